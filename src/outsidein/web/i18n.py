"""The survey's interface texts in English, Finnish and German.

A small catalogue rather than gettext: the survey speaks the language of the respondent's
invitation, not the browser's, it has a few dozen strings, and it needs no compiled ``.mo``
files (so no GNU gettext on the build machine). Question texts come from the instrument.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

CATALOGUE: Mapping[str, Mapping[str, str]] = {
    "en": {
        "skip": "Skip to the questions",
        "survey": "Staff survey",
        "anonymous": (
            "Your answers are anonymous: nobody sees them individually, and results are shown "
            "only for groups of at least {threshold} people."
        ),
        "progress": "Page {page} of {pages}",
        "answered": "{answered} of {total} questions answered",
        "back": "Back",
        "next": "Save and continue",
        "submit": "Submit my answers",
        "saved": "Saved",
        "save_failed": "Not saved yet – your answers will be saved when you continue.",
        "error_summary": "Please check {count} question(s) on this page.",
        "required": "Please choose an answer.",
        "invalid": "Please choose one of the options.",
        "unknown": "This question is not part of your survey.",
        "incomplete": "Some questions on earlier pages are still unanswered.",
        "done_title": "Thank you!",
        "done": "Your answers have been received. You can close this page.",
        "already": "Answers from this link have already been received.",
        "invalid_link_title": "This link does not work",
        "invalid_link": "The survey link is not valid. Please use the link you received.",
        "cookies_title": "This page could not be saved",
        "cookies": "Your browser did not send this site's security cookie, so the page was not "
                   "saved. Allow cookies for this site, then open your link again: what you saved "
                   "before is kept.",
        "resume": "You can stop at any time: your answers are saved, and the same link brings "
                  "you back here.",
        "scale": "Choose one answer",
        "closed_title": "This survey is closed",
        "closed": "The survey closed on {date}, so it takes no more answers.",
        "closed_drafts": "Answers that were saved but not submitted are not counted.",
        "closed_contact": "If you think this is a mistake, please contact the person who sent "
                          "you the link.",
    },
    "fi": {
        "skip": "Siirry kysymyksiin",
        "survey": "Henkilöstökysely",
        "anonymous": (
            "Vastauksesi ovat nimettömiä: kukaan ei näe niitä yksittäin, ja tulokset näytetään "
            "vain vähintään {threshold} hengen ryhmistä."
        ),
        "progress": "Sivu {page}/{pages}",
        "answered": "{answered}/{total} kysymykseen vastattu",
        "back": "Takaisin",
        "next": "Tallenna ja jatka",
        "submit": "Lähetä vastaukseni",
        "saved": "Tallennettu",
        "save_failed": "Ei vielä tallennettu – vastauksesi tallentuvat, kun jatkat.",
        "error_summary": "Tarkista tämän sivun {count} kysymys(tä).",
        "required": "Valitse vastaus.",
        "invalid": "Valitse jokin vaihtoehdoista.",
        "unknown": "Tämä kysymys ei kuulu kyselyysi.",
        "incomplete": "Joihinkin aiempien sivujen kysymyksiin ei ole vielä vastattu.",
        "done_title": "Kiitos!",
        "done": "Vastauksesi on vastaanotettu. Voit sulkea tämän sivun.",
        "already": "Tämän linkin vastaukset on jo vastaanotettu.",
        "invalid_link_title": "Linkki ei toimi",
        "invalid_link": "Kyselylinkki ei kelpaa. Käytä saamaasi linkkiä.",
        "cookies_title": "Sivua ei voitu tallentaa",
        "cookies": "Selaimesi ei lähettänyt sivuston suojausevästettä, joten sivua ei tallennettu. "
                   "Salli evästeet tälle sivustolle ja avaa linkkisi uudelleen: aiemmin "
                   "tallentamasi vastaukset säilyvät.",
        "resume": "Voit keskeyttää milloin tahansa: vastauksesi tallentuvat, ja samalla "
                  "linkillä pääset takaisin tähän.",
        "scale": "Valitse yksi vastaus",
        "closed_title": "Kysely on suljettu",
        "closed": "Kysely suljettiin {date}, joten siihen ei voi enää vastata.",
        "closed_drafts": "Tallennettuja mutta lähettämättömiä vastauksia ei lasketa mukaan.",
        "closed_contact": "Jos tämä on mielestäsi virhe, ota yhteyttä linkin lähettäjään.",
    },
    "de": {
        "skip": "Zu den Fragen springen",
        "survey": "Mitarbeitendenbefragung",
        "anonymous": (
            "Ihre Antworten sind anonym: Niemand sieht sie einzeln, und Ergebnisse werden nur "
            "für Gruppen ab {threshold} Personen gezeigt."
        ),
        "progress": "Seite {page} von {pages}",
        "answered": "{answered} von {total} Fragen beantwortet",
        "back": "Zurück",
        "next": "Speichern und weiter",
        "submit": "Meine Antworten absenden",
        "saved": "Gespeichert",
        "save_failed": "Noch nicht gespeichert – Ihre Antworten werden beim Weitergehen "
                       "gespeichert.",
        "error_summary": "Bitte prüfen Sie {count} Frage(n) auf dieser Seite.",
        "required": "Bitte wählen Sie eine Antwort.",
        "invalid": "Bitte wählen Sie eine der Möglichkeiten.",
        "unknown": "Diese Frage gehört nicht zu Ihrer Befragung.",
        "incomplete": "Einige Fragen auf früheren Seiten sind noch nicht beantwortet.",
        "done_title": "Vielen Dank!",
        "done": "Ihre Antworten sind eingegangen. Sie können diese Seite schließen.",
        "already": "Die Antworten zu diesem Link sind bereits eingegangen.",
        "invalid_link_title": "Dieser Link funktioniert nicht",
        "invalid_link": "Der Link zur Befragung ist ungültig. Bitte verwenden Sie den Link, "
                        "den Sie erhalten haben.",
        "cookies_title": "Diese Seite konnte nicht gespeichert werden",
        "cookies": "Ihr Browser hat das Sicherheits-Cookie dieser Seite nicht gesendet, daher "
                   "wurde die Seite nicht gespeichert. Erlauben Sie Cookies für diese Seite und "
                   "öffnen Sie Ihren Link erneut: Was Sie zuvor gespeichert haben, bleibt "
                   "erhalten.",
        "resume": "Sie können jederzeit unterbrechen: Ihre Antworten werden gespeichert, und "
                  "derselbe Link bringt Sie hierher zurück.",
        "scale": "Wählen Sie eine Antwort",
        "closed_title": "Diese Befragung ist geschlossen",
        "closed": "Die Befragung wurde am {date} geschlossen; es werden keine Antworten mehr "
                  "angenommen.",
        "closed_drafts": "Gespeicherte, aber nicht abgesendete Antworten werden nicht gezählt.",
        "closed_contact": "Wenn Sie das für einen Irrtum halten, wenden Sie sich bitte an die "
                          "Person, die Ihnen den Link geschickt hat.",
    },
}


def texts(language: str) -> Mapping[str, str]:
    """The catalogue of ``language`` (English for any other)."""
    return CATALOGUE.get(language, CATALOGUE["en"])


_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)


def format_date(moment: datetime, language: str) -> str:
    """A day as the respondent's language writes it (in UTC): 26 November 2026, 26.11.2026."""
    day = moment.astimezone(UTC)
    if language in ("fi", "de"):
        return f"{day.day}.{day.month}.{day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
