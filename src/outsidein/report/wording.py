"""The report's own wording in English, Finnish and German: headings, explanations, table
headers, badges, chart titles and axes, and the lines ``outsidein assess`` and ``outsidein demo``
print in a terminal.

Texts that come with the results (questions, aspects, attribute names, stage names) are
translated where they are defined; this module holds only what the report itself writes. Each
message has a key and a text per language with ``str.format`` placeholders (``{n}``), the same in
every language; an unknown language falls back to English. Messages used in the HTML template
may hold markup (``<em>``, ``<strong>``); :func:`say_html` escapes the values put into them.
Numbers are formatted by the caller, the same in every language.

>>> say("stage.name", "de", level=2, name="Menschen sind verschieden")
'Stufe 2: Menschen sind verschieden'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from markupsafe import Markup

LANGUAGES: Final = ("en", "fi", "de")

MESSAGES: Final[Mapping[str, Mapping[str, str]]] = {
    # header and verdict
    "head.title": {
        "en": "{firm} — outside-in readiness report",
        "fi": "{firm} — outside-in-valmiusraportti",
        "de": "{firm} — Bericht zur Outside-in-Bereitschaft",
    },
    "head.heading": {
        "en": "{firm}: how well do we understand our customers?",
        "fi": "{firm}: kuinka hyvin ymmärrämme asiakkaitamme?",
        "de": "{firm}: Wie gut verstehen wir unsere Kunden?",
    },
    "head.generated": {"en": "generated {when}", "fi": "luotu {when}", "de": "erstellt {when}"},
    "head.instrument": {
        "en": "instrument {version}",
        "fi": "mittaristo {version}",
        "de": "Instrument {version}",
    },
    "head.respondents": {
        "en": "respondents: managers {managers}, operational staff {operational}",
        "fi": "vastaajat: esihenkilöt {managers}, operatiivinen henkilöstö {operational}",
        "de": "Befragte: Führungskräfte {managers}, operatives Personal {operational}",
    },
    "head.closed": {
        "en": "staff survey closed {when}",
        "fi": "henkilöstökysely suljettu {when}",
        "de": "Mitarbeiterbefragung geschlossen {when}",
    },
    "head.summary": {"en": "summary", "fi": "yhteenveto", "de": "Zusammenfassung"},
    "fewer_than": {"en": "fewer than {n}", "fi": "alle {n}", "de": "weniger als {n}"},
    "verdict.readiness": {
        "en": "Readiness to be customer-focused (Grönroos)",
        "fi": "Valmius asiakaskeskeisyyteen (Grönroos)",
        "de": "Bereitschaft zur Kundenorientierung (Grönroos)",
    },
    "verdict.ready": {"en": "Ready", "fi": "Valmis", "de": "Bereit"},
    "verdict.not_ready": {"en": "Not ready", "fi": "Ei valmis", "de": "Nicht bereit"},
    "verdict.passed": {
        "en": "{passed} of {total} aspects pass",
        "fi": "{total} osa-alueesta {passed} täyttää kriteerit",
        "de": "{passed} von {total} Aspekten erfüllen die Kriterien",
    },
    "verdict.failed": {"en": "; {n} fail", "fi": "; {n} ei täytä", "de": "; {n} nicht"},
    "verdict.withheld": {
        "en": "; {n} withheld (fewer than {k} answers)",
        "fi": "; {n} jätetty pois (alle {k} vastausta)",
        "de": "; {n} zurückgehalten (weniger als {k} Antworten)",
    },
    "verdict.no_answers": {
        "en": "No staff answers yet",
        "fi": "Henkilöstön vastauksia ei vielä ole",
        "de": "Noch keine Antworten der Mitarbeitenden",
    },
    "verdict.no_answers_help": {
        "en": "Import them (<code>outsidein import responses</code>) or invite staff to the "
        "survey (<code>outsidein serve</code>): there is no verdict without them.",
        "fi": "Tuo ne (<code>outsidein import responses</code>) tai kutsu henkilöstö kyselyyn "
        "(<code>outsidein serve</code>): ilman niitä arviota ei voi antaa.",
        "de": "Importieren Sie sie (<code>outsidein import responses</code>) oder laden Sie die "
        "Mitarbeitenden zur Befragung ein (<code>outsidein serve</code>): Ohne sie gibt es kein "
        "Urteil.",
    },
    "verdict.stage": {
        "en": "Stage of outside-in (Gulati)",
        "fi": "Outside-in-kehitysvaihe (Gulati)",
        "de": "Outside-in-Stufe (Gulati)",
    },
    "verdict.survey_level": {
        "en": "Staff answers alone would place the firm at stage {level}; customer evidence "
        "must confirm it.",
        "fi": "Pelkkien henkilöstön vastausten perusteella yritys olisi vaiheessa {level}; "
        "asiakasaineiston on vahvistettava se.",
        "de": "Allein nach den Antworten der Mitarbeitenden stünde das Unternehmen auf Stufe "
        "{level}; Belege aus Kundendaten müssen das bestätigen.",
    },
    "verdict.blockers.one": {
        "en": "{n} indicator block stage {level}.",
        "fi": "{n} indikaattori estää pääsyn vaiheeseen {level}.",
        "de": "{n} Indikator blockiert Stufe {level}.",
    },
    "verdict.blockers.other": {
        "en": "{n} indicators block stage {level}.",
        "fi": "{n} indikaattoria estää pääsyn vaiheeseen {level}.",
        "de": "{n} Indikatoren blockieren Stufe {level}.",
    },
    # next steps
    "next.heading": {"en": "What to do next", "fi": "Mitä seuraavaksi", "de": "Nächste Schritte"},
    "next.none": {
        "en": "Every aspect passes and no indicator blocks the next stage.",
        "fi": "Kaikki osa-alueet täyttävät kriteerit, eikä mikään indikaattori estä pääsyä "
        "seuraavaan vaiheeseen.",
        "de": "Alle Aspekte erfüllen die Kriterien, und kein Indikator blockiert die nächste "
        "Stufe.",
    },
    "next.climb": {
        "en": "Climb to stage {level}: {name}",
        "fi": "Nouse vaiheeseen {level}: {name}",
        "de": "Auf Stufe {level} aufsteigen: {name}",
    },
    # readiness grid
    "grid.heading": {"en": "Readiness grid", "fi": "Valmiusruudukko", "de": "Bereitschaftsraster"},
    "grid.explain": {
        "en": "Each aspect passes only if the <em>lower</em> bound of its 95% confidence interval "
        "is at least {score} on the 1–7 scale and, for understanding (U), the lower bound of the "
        "parity index (customer side ÷ own side) is at least {parity}. The bar shows the "
        "interval, the black tick the mean, the dashed line the threshold. Groups with fewer "
        "than {n} respondents are not shown.",
        "fi": "Osa-alue täyttää kriteerit vain, jos sen 95 %:n luottamusvälin <em>alaraja</em> on "
        "vähintään {score} asteikolla 1–7 ja ymmärryksen (U) osalta myös pariteetti-indeksin "
        "(asiakkaan puoli ÷ oma puoli) alaraja on vähintään {parity}. Palkki näyttää "
        "luottamusvälin, musta merkki keskiarvon ja katkoviiva kynnysarvon. Ryhmiä, joissa on "
        "alle {n} vastaajaa, ei näytetä.",
        "de": "Ein Aspekt gilt nur dann als erfüllt, wenn die <em>untere</em> Grenze seines "
        "95-%-Konfidenzintervalls auf der Skala von 1–7 mindestens {score} beträgt und beim "
        "Verständnis (U) zudem die untere Grenze des Paritätsindex (Kundenseite ÷ eigene Seite) "
        "mindestens {parity}. Der Balken zeigt das Intervall, der schwarze Strich den "
        "Mittelwert, die gestrichelte Linie den Schwellenwert. Gruppen mit weniger als {n} "
        "Befragten werden nicht angezeigt.",
    },
    "grid.ci_label": {
        "en": "confidence interval {low} to {high}",
        "fi": "luottamusväli {low}–{high}",
        "de": "Konfidenzintervall {low} bis {high}",
    },
    "grid.parity": {"en": "parity", "fi": "pariteetti", "de": "Parität"},
    # column headers and short words
    "col.aspect": {"en": "aspect", "fi": "osa-alue", "de": "Aspekt"},
    "col.scale": {"en": "scale", "fi": "asteikko", "de": "Skala"},
    "col.role": {"en": "role", "fi": "rooli", "de": "Rolle"},
    "col.department": {"en": "department", "fi": "osasto", "de": "Abteilung"},
    "col.items": {"en": "items", "fi": "osioita", "de": "Items"},
    "col.managers": {"en": "managers", "fi": "esihenkilöt", "de": "Führungskräfte"},
    "col.operational": {"en": "operational", "fi": "operatiiviset", "de": "operativ"},
    "col.attribute": {"en": "attribute", "fi": "ominaisuus", "de": "Merkmal"},
    "ci95": {"en": "95% CI", "fi": "95 %:n luottamusväli", "de": "95-%-KI"},
    # status badges
    "status.pass": {"en": "pass", "fi": "täyttyy", "de": "erfüllt"},
    "status.fail": {"en": "fail", "fi": "ei täyty", "de": "nicht erfüllt"},
    "status.suppressed": {"en": "suppressed", "fi": "piilotettu", "de": "ausgeblendet"},
    "status.not_estimable": {
        "en": "not estimable",
        "fi": "ei arvioitavissa",
        "de": "nicht schätzbar",
    },
    "status.contradicted": {"en": "contradicted", "fi": "ristiriidassa", "de": "widerlegt"},
    "status.holds": {"en": "holds", "fi": "toteutuu", "de": "erfüllt"},
    "status.fails": {"en": "fails", "fi": "ei toteudu", "de": "nicht erfüllt"},
    "status.not_measured": {"en": "not measured", "fi": "ei mitattu", "de": "nicht gemessen"},
    # managers and operational staff
    "gaps.heading": {
        "en": "Managers and operational staff",
        "fi": "Esihenkilöt ja operatiivinen henkilöstö",
        "de": "Führungskräfte und operatives Personal",
    },
    "gaps.explain": {
        "en": "Difference of mean scale scores (managers − operational staff) with Welch's 95% "
        "CI, Hedges' g (standardised effect; |g| ≥ 0.8 is large) and Welch's t-test.",
        "fi": "Asteikkopisteiden keskiarvojen ero (esihenkilöt − operatiivinen henkilöstö) "
        "Welchin 95 %:n luottamusvälillä, Hedgesin g (standardoitu vaikutuksen koko; |g| ≥ 0.8 "
        "on suuri) ja Welchin t-testi.",
        "de": "Differenz der mittleren Skalenwerte (Führungskräfte − operatives Personal) mit "
        "95-%-Konfidenzintervall nach Welch, Hedges' g (standardisierte Effektstärke; "
        "|g| ≥ 0.8 ist groß) und Welch-t-Test.",
    },
    "gaps.hedges": {"en": "Hedges' g", "fi": "Hedgesin g", "de": "Hedges' g"},
    "gaps.difference": {"en": "difference", "fi": "ero", "de": "Differenz"},
    # departments
    "dept.heading": {"en": "By department", "fi": "Osastoittain", "de": "Nach Abteilung"},
    "dept.explain": {
        "en": "Mean scale score per department, both roles together, with its 95% confidence "
        "interval and the number of answers. Departments with fewer than {n} answers on a scale "
        "are hidden on it, and so are the next smallest ones wherever a hidden department, a "
        "hidden role or a small group of one role within a department could otherwise be worked "
        "out by subtraction from the figures shown.",
        "fi": "Asteikkopisteiden keskiarvo osastoittain molemmat roolit yhdessä, 95 %:n "
        "luottamusväli ja vastausten määrä. Osasto piilotetaan asteikolta, jolla sillä on alle "
        "{n} vastausta. Myös seuraavaksi pienimmät piilotetaan aina, kun piilotetun osaston, "
        "piilotetun roolin tai osaston sisäisen pienen rooliryhmän tulos voitaisiin muuten "
        "päätellä vähennyslaskulla näytetyistä luvuista.",
        "de": "Mittlerer Skalenwert je Abteilung, beide Rollen zusammen, mit "
        "95-%-Konfidenzintervall und Anzahl der Antworten. Abteilungen mit weniger als {n} "
        "Antworten auf einer Skala werden dort ausgeblendet, ebenso die nächstkleineren, wo "
        "sich sonst eine ausgeblendete Abteilung, eine ausgeblendete Rolle oder eine kleine "
        "Gruppe einer Rolle innerhalb einer Abteilung durch Subtraktion aus den gezeigten Zahlen "
        "ermitteln ließe.",
    },
    "dept.hidden": {"en": "hidden", "fi": "piilotettu", "de": "ausgeblendet"},
    "dept.hidden_why": {
        "en": "fewer than {n} answers, or hidden so that a smaller group cannot be worked out by "
        "subtraction",
        "fi": "alle {n} vastausta, tai piilotettu, jottei pienemmän ryhmän tulosta voi päätellä "
        "vähennyslaskulla",
        "de": "weniger als {n} Antworten, oder ausgeblendet, damit sich keine kleinere Gruppe "
        "durch Subtraktion ermitteln lässt",
    },
    # reliability and agreement
    "rel.heading": {
        "en": "Reliability and agreement",
        "fi": "Reliabiliteetti ja yksimielisyys",
        "de": "Reliabilität und Übereinstimmung",
    },
    "rel.explain": {
        "en": "Internal consistency of each scale (Cronbach's α with Feldt's CI; McDonald's ω "
        "from a one-factor model with bootstrap CI; complete answers only). Values of 0.7 or "
        "more are usual for group-level decisions.",
        "fi": "Kunkin asteikon sisäinen johdonmukaisuus (Cronbachin α ja Feldtin luottamusväli; "
        "McDonaldin ω yksifaktorimallista ja bootstrap-luottamusväli; vain täydelliset "
        "vastaukset). Ryhmätason päätöksissä tavanomainen vaatimus on 0.7 tai enemmän.",
        "de": "Interne Konsistenz jeder Skala (Cronbachs α mit Konfidenzintervall nach Feldt; "
        "McDonalds ω aus einem Ein-Faktor-Modell mit Bootstrap-Konfidenzintervall; nur "
        "vollständige Antworten). Für Entscheidungen auf Gruppenebene sind Werte ab 0.7 üblich.",
    },
    "rel.agreement": {
        "en": "Within-group agreement r<sub>wg(j)</sub> (James, Demaree &amp; Wolf 1984; uniform "
        "null): does a role speak with one voice on an aspect? 0.7 or more is conventional "
        "agreement; low agreement means a mean hides a divided group.",
        "fi": "Ryhmän sisäinen yksimielisyys r<sub>wg(j)</sub> (James, Demaree &amp; Wolf 1984; "
        "tasajakauma nollamallina): puhuuko rooli osa-alueesta yhdellä äänellä? Arvoa 0.7 tai "
        "enemmän pidetään tavallisesti yksimielisyytenä; matala arvo tarkoittaa, että "
        "keskiarvon takana on jakautunut ryhmä.",
        "de": "Übereinstimmung innerhalb der Gruppe r<sub>wg(j)</sub> (James, Demaree &amp; Wolf "
        "1984; Gleichverteilung als Nullmodell): Spricht eine Rolle bei einem Aspekt mit einer "
        "Stimme? Ab 0.7 gilt die Übereinstimmung üblicherweise als gegeben; geringe "
        "Übereinstimmung heißt, dass sich hinter einem Mittelwert eine gespaltene Gruppe "
        "verbirgt.",
    },
    # stage ladder
    "stage.heading": {"en": "Stage ladder", "fi": "Kehitysvaiheet", "de": "Stufenleiter"},
    "stage.explain": {
        "en": "A stage is reached when all its indicators, and those of every stage below, hold. "
        "Survey indicators hold when the conservative bound of each role's 95% CI clears the "
        'threshold. Indicators that need customer evidence are marked "not yet measured" until '
        "that data is in the workspace; they never count as holding.",
        "fi": "Vaihe saavutetaan, kun kaikki sen indikaattorit ja kaikkien alempien vaiheiden "
        "indikaattorit toteutuvat. Kyselyyn perustuva indikaattori toteutuu, kun kunkin roolin "
        "95 %:n luottamusvälin varovaisempi raja ylittää kynnyksen. Asiakasaineistoa vaativat "
        "indikaattorit merkitään ”ei vielä mitattu”, kunnes aineisto on työtilassa; niitä ei "
        "koskaan lasketa toteutuneiksi.",
        "de": "Eine Stufe ist erreicht, wenn alle ihre Indikatoren und die aller darunter "
        "liegenden Stufen erfüllt sind. Befragungsindikatoren sind erfüllt, wenn die "
        "vorsichtigere Grenze des 95-%-Konfidenzintervalls jeder Rolle den Schwellenwert "
        "überschreitet. Indikatoren, die Kundendaten erfordern, sind als „noch nicht gemessen“ "
        "markiert, bis diese Daten im Arbeitsbereich liegen; sie gelten nie als erfüllt.",
    },
    "stage.name": {
        "en": "Stage {level}: {name}",
        "fi": "Vaihe {level}: {name}",
        "de": "Stufe {level}: {name}",
    },
    "stage.here": {
        "en": "the firm is here",
        "fi": "yritys on tässä",
        "de": "hier steht das Unternehmen",
    },
    # quality (question Q)
    "quality.heading": {
        "en": "What customers value and rate, against what staff believe (question Q)",
        "fi": "Mitä asiakkaat arvostavat ja miten he arvioivat laadun – verrattuna henkilöstön "
        "käsityksiin (kysymys Q)",
        "de": "Was Kunden wichtig ist und wie sie die Qualität bewerten – verglichen mit dem, "
        "was die Mitarbeitenden glauben (Frage Q)",
    },
    "quality.rank_agreement": {
        "en": "{role}: rank agreement with customers' priorities (Kendall τ-b)",
        "fi": "{role}: tärkeysjärjestyksen yhtäpitävyys asiakkaiden prioriteettien kanssa "
        "(Kendallin τ-b)",
        "de": "{role}: Rangübereinstimmung mit den Prioritäten der Kunden (Kendalls τ-b)",
    },
    "quality.rank_detail": {
        "en": "95% CI {low}–{high}; {staff} staff, {customers} customers; importance {source}",
        "fi": "95 %:n luottamusväli {low}–{high}; {staff} henkilöstön vastaajaa, {customers} "
        "asiakasta; tärkeys {source}",
        "de": "95-%-KI {low}–{high}; {staff} Mitarbeitende, {customers} Kunden; "
        "Wichtigkeit {source}",
    },
    "importance.derived": {"en": "derived", "fi": "johdettu", "de": "abgeleitet"},
    "importance.stated": {"en": "stated", "fi": "ilmoitettu", "de": "angegeben"},
    "quality.underestimated": {
        "en": "Underestimated:",
        "fi": "Aliarvioitu:",
        "de": "Unterschätzt:",
    },
    "quality.overestimated": {"en": "Overestimated:", "fi": "Yliarvioitu:", "de": "Überschätzt:"},
    "quality.not_shown": {
        "en": "not shown (fewer than {n})",
        "fi": "ei näytetä (alle {n})",
        "de": "nicht angezeigt (weniger als {n})",
    },
    "quality.nps": {
        "en": "Net Promoter Score",
        "fi": "Net Promoter Score (NPS)",
        "de": "Net Promoter Score (NPS)",
    },
    "quality.nps_detail": {
        "en": "95% CI {low} to {high}; n = {n}",
        "fi": "95 %:n luottamusväli {low}…{high}; n = {n}",
        "de": "95-%-KI {low} bis {high}; n = {n}",
    },
    "drivers.heading": {
        "en": "Key drivers of overall satisfaction",
        "fi": "Kokonaistyytyväisyyden keskeiset ajurit",
        "de": "Haupttreiber der Gesamtzufriedenheit",
    },
    "drivers.explain": {
        "en": "Relative weights (Johnson 2000) of the attribute ratings on overall satisfaction: "
        "each attribute's share of the explained variance (R² = {r2} [{low}–{high}]), with "
        "bootstrap 95% CIs.",
        "fi": "Ominaisuuksien arvioiden suhteelliset painot (Johnson 2000) kokonaistyytyväisyyden "
        "selittäjinä: kunkin ominaisuuden osuus selitetystä varianssista (R² = {r2} "
        "[{low}–{high}]) ja bootstrap-menetelmällä lasketut 95 %:n luottamusvälit.",
        "de": "Relative Gewichte (Johnson 2000) der Merkmalsbewertungen für die "
        "Gesamtzufriedenheit: der Anteil jedes Merkmals an der erklärten Varianz (R² = {r2} "
        "[{low}–{high}]), mit 95-%-Bootstrap-Konfidenzintervallen.",
    },
    "drivers.weight": {"en": "weight", "fi": "paino", "de": "Gewicht"},
    "drivers.share": {"en": "share of R²", "fi": "osuus R²:sta", "de": "Anteil an R²"},
    # customer voice
    "voice.heading": {
        "en": "What customers say",
        "fi": "Mitä asiakkaat sanovat",
        "de": "Was Kunden sagen",
    },
    "voice.counts": {
        "en": "{comments} comments, {sentences} sentences; {method}.",
        "fi": "{comments} kommenttia, {sentences} virkettä; {method}.",
        "de": "{comments} Kommentare, {sentences} Sätze; {method}.",
    },
    "words.heading": {
        "en": "In customers' words",
        "fi": "Asiakkaiden omin sanoin",
        "de": "In den Worten der Kunden",
    },
    "words.explain": {
        "en": "What customers say when they praise and when they complain about each attribute: "
        "the words that set those sentences apart from all other tagged sentences (class-based "
        "TF-IDF). Set them beside the attribute's definition and the firm's own praise and "
        "complaint phrases: this is what good and bad quality mean to customers. Words in "
        "<strong>bold</strong> appear nowhere in the attribute's name, description or phrases: "
        "what customers mean by it that the firm's own words miss. Groups from fewer than {n} "
        "comments are withheld.",
        "fi": "Mitä asiakkaat sanovat kehuessaan ja moittiessaan kutakin ominaisuutta: sanat, "
        "jotka erottavat nämä virkkeet kaikista muista luokitelluista virkkeistä "
        "(luokkakohtainen TF-IDF). Vertaa niitä ominaisuuden määritelmään ja yrityksen omiin "
        "kehu- ja valitusilmauksiin: tätä hyvä ja huono laatu asiakkaille tarkoittaa. "
        "<strong>Lihavoituja</strong> sanoja ei ole ominaisuuden nimessä, kuvauksessa eikä "
        "ilmauksissa: ne kertovat, mitä asiakkaat ominaisuudella tarkoittavat mutta yrityksen "
        "omat sanat eivät tavoita. Alle {n} kommentin ryhmiä ei näytetä.",
        "de": "Was Kunden sagen, wenn sie ein Merkmal loben und wenn sie es bemängeln: die "
        "Wörter, die diese Sätze von allen anderen zugeordneten Sätzen unterscheiden "
        "(klassenbasiertes TF-IDF). Stellen Sie sie neben die Definition des Merkmals und die "
        "eigenen Lob- und Beschwerdeformulierungen des Unternehmens: Das bedeuten gute und "
        "schlechte Qualität für Kunden. <strong>Fett</strong> gedruckte Wörter kommen weder im "
        "Namen noch in der Beschreibung oder den Formulierungen des Merkmals vor: Sie zeigen, "
        "was Kunden darunter verstehen und die eigenen Worte des Unternehmens verfehlen. Gruppen "
        "aus weniger als {n} Kommentaren werden zurückgehalten.",
    },
    "words.praised": {
        "en": "praised with",
        "fi": "kehuissa käytetyt sanat",
        "de": "Wörter im Lob",
    },
    "words.complained": {
        "en": "complained about with",
        "fi": "moitteissa käytetyt sanat",
        "de": "Wörter in Beschwerden",
    },
    "words.withheld": {"en": "withheld", "fi": "ei näytetä", "de": "zurückgehalten"},
    "words.no_praise": {
        "en": "no sentence read as praise",
        "fi": "yhtään virkettä ei tulkittu kehuksi",
        "de": "kein Satz als Lob gelesen",
    },
    "words.no_complaint": {
        "en": "no sentence read as a complaint",
        "fi": "yhtään virkettä ei tulkittu valitukseksi",
        "de": "kein Satz als Beschwerde gelesen",
    },
    "words.comments": {
        "en": "({n} comments)",
        "fi": "({n} kommenttia)",
        "de": "({n} Kommentare)",
    },
    # emerging problems
    "emerging.heading": {
        "en": "Emerging problems: what customers raise that no attribute covers",
        "fi": "Nousevat ongelmat: mitä asiakkaat tuovat esiin mutta mikään ominaisuus ei kata",
        "de": "Neu auftretende Probleme: was Kunden ansprechen, aber kein Merkmal abdeckt",
    },
    "emerging.explain": {
        "en": "Sentences about none of the firm's quality attributes, clustered and labelled by "
        "their most distinctive words, ranked by volume and negativity. Personal data in the "
        "quotes is masked. <em>Nearest</em>: the attribute the sentences come closest to, with "
        "their mean affinity to it (0–1; zero-shot tagging needs 0.65): a problem close to an "
        "attribute is often that attribute in words its definition lacks (add them as example "
        "phrases, or label a few sentences).",
        "fi": "Virkkeet, jotka eivät koske mitään yrityksen laatuominaisuutta, ryhmiteltyinä ja "
        "nimettyinä erottuvimpien sanojensa mukaan ja järjestettyinä määrän ja kielteisyyden "
        "mukaan. Lainausten henkilötiedot on peitetty. <em>Lähin</em>: ominaisuus, jota "
        "virkkeet ovat lähimpänä, ja niiden keskimääräinen samankaltaisuus siihen (0–1; "
        "zero-shot-luokittelu vaatii 0.65): ominaisuutta lähellä oleva ongelma on usein sama "
        "ominaisuus sanoin, jotka sen määritelmästä puuttuvat (lisää ne esimerkki-ilmauksiksi "
        "tai luokittele muutama virke käsin).",
        "de": "Sätze, die keines der Qualitätsmerkmale des Unternehmens betreffen, gruppiert und "
        "nach ihren charakteristischsten Wörtern benannt, geordnet nach Umfang und Negativität. "
        "Personenbezogene Daten in den Zitaten sind maskiert. <em>Nächstes</em>: das Merkmal, "
        "dem die Sätze am nächsten kommen, mit ihrer mittleren Affinität dazu (0–1; "
        "Zero-Shot-Zuordnung braucht 0.65): Ein Problem nahe an einem Merkmal ist oft dieses "
        "Merkmal in Worten, die seiner Definition fehlen (fügen Sie sie als "
        "Beispielformulierungen hinzu oder kennzeichnen Sie einige Sätze von Hand).",
    },
    "emerging.lately_explain": {
        "en": "<em>Lately</em>: the share of comments raising it since {since} against the share "
        "before, as a ratio with its 95% CI (Koopman's score interval); <strong>growing</strong> "
        "when the whole interval lies above 1.",
        "fi": "<em>Viime aikoina</em>: ongelman esiin tuovien kommenttien osuus {since} alkaen "
        "verrattuna aiempaan osuuteen, suhdelukuna 95 %:n luottamusvälein (Koopmanin "
        "score-väli); <strong>kasvava</strong>, kun koko väli on yli 1.",
        "de": "<em>Zuletzt</em>: der Anteil der Kommentare, die es seit {since} ansprechen, "
        "gegenüber dem Anteil davor, als Verhältnis mit 95-%-Konfidenzintervall "
        "(Score-Intervall nach Koopman); <strong>wachsend</strong>, wenn das ganze Intervall "
        "über 1 liegt.",
    },
    "emerging.words": {"en": "words", "fi": "sanat", "de": "Wörter"},
    "emerging.sentences": {"en": "sentences", "fi": "virkkeitä", "de": "Sätze"},
    "emerging.negative": {"en": "negative", "fi": "kielteisiä", "de": "negativ"},
    "emerging.lately": {
        "en": "lately vs before",
        "fi": "viime aikoina vs. aiemmin",
        "de": "zuletzt vs. vorher",
    },
    "emerging.example": {"en": "for example", "fi": "esimerkiksi", "de": "zum Beispiel"},
    "emerging.nearest": {
        "en": "nearest: {name} ({affinity})",
        "fi": "lähin: {name} ({affinity})",
        "de": "nächstes: {name} ({affinity})",
    },
    "emerging.from": {
        "en": "from {n} comments",
        "fi": "{n} kommentista",
        "de": "aus {n} Kommentaren",
    },
    "emerging.new": {"en": "new", "fi": "uusi", "de": "neu"},
    "emerging.growing": {"en": "growing", "fi": "kasvava", "de": "wachsend"},
    "emerging.against": {
        "en": "{recent}/{recent_comments} against {earlier}/{earlier_comments} comments",
        "fi": "{recent}/{recent_comments} vs. {earlier}/{earlier_comments} kommenttia",
        "de": "{recent}/{recent_comments} gegenüber {earlier}/{earlier_comments} Kommentaren",
    },
    # technical and functional quality
    "dims.heading": {
        "en": "Technical and functional quality",
        "fi": "Tekninen ja toiminnallinen laatu",
        "de": "Technische und funktionale Qualität",
    },
    "dims.explain": {
        "en": "Grönroos: technical quality is what the customer gets, functional quality how it "
        "is delivered. A dimension's rating is, per customer who rated all its attributes, the "
        "mean of those ratings, then the mean over customers, with its 95% CI; only attributes "
        "whose own mean is shown take part.",
        "fi": "Grönroos: tekninen laatu on se, mitä asiakas saa, toiminnallinen laatu se, miten "
        "hän sen saa. Ulottuvuuden arvio on ensin kunkin asiakkaan, joka arvioi kaikki sen "
        "ominaisuudet, arvioiden keskiarvo ja sitten näiden keskiarvo asiakkaiden yli 95 %:n "
        "luottamusvälein; mukana ovat vain ominaisuudet, joiden oma keskiarvo näytetään.",
        "de": "Grönroos: Technische Qualität ist, was der Kunde erhält, funktionale Qualität, "
        "wie er es erhält. Die Bewertung einer Dimension ist je Kunde, der alle ihre Merkmale "
        "bewertet hat, der Mittelwert dieser Bewertungen, dann der Mittelwert über die Kunden, "
        "mit 95-%-Konfidenzintervall; nur Merkmale, deren eigener Mittelwert angezeigt wird, "
        "gehen ein.",
    },
    "dims.dimension": {"en": "dimension", "fi": "ulottuvuus", "de": "Dimension"},
    "dims.attributes": {"en": "attributes", "fi": "ominaisuudet", "de": "Merkmale"},
    "dims.rating": {
        "en": "customers' rating",
        "fi": "asiakkaiden arvio",
        "de": "Bewertung der Kunden",
    },
    "dims.weakest": {"en": "weakest", "fi": "heikoin", "de": "schwächstes"},
    "dimension.technical": {"en": "technical", "fi": "tekninen", "de": "technisch"},
    "dimension.functional": {"en": "functional", "fi": "toiminnallinen", "de": "funktional"},
    "dimension.image": {"en": "image", "fi": "imago", "de": "Image"},
    "dims.difference": {
        "en": "How it is delivered against what is delivered, within the {n} customers who rated "
        "both: functional − technical {mean} [{low}, {high}]",
        "fi": "Miten palvelu tuotetaan verrattuna siihen, mitä asiakas saa, niiden {n} asiakkaan "
        "joukossa, jotka arvioivat molemmat: toiminnallinen − tekninen {mean} [{low}, {high}]",
        "de": "Wie geleistet wird gegenüber dem, was geleistet wird, bei den {n} Kunden, die "
        "beides bewertet haben: funktional − technisch {mean} [{low}, {high}]",
    },
    "dims.below": {
        "en": ": <strong>delivery is rated below what is delivered</strong>",
        "fi": ": <strong>palvelun tapa arvioidaan heikommaksi kuin sen sisältö</strong>",
        "de": ": <strong>das Wie wird schlechter bewertet als das Was</strong>",
    },
    "dims.above": {
        "en": ": delivery is rated above what is delivered",
        "fi": ": palvelun tapa arvioidaan paremmaksi kuin sen sisältö",
        "de": ": das Wie wird besser bewertet als das Was",
    },
    "dims.unclear": {
        "en": ": no clear difference",
        "fi": ": ei selvää eroa",
        "de": ": kein klarer Unterschied",
    },
    "dims.no_difference": {
        "en": "How it is delivered against what is delivered: {reason}.",
        "fi": "Palvelun tapa verrattuna sen sisältöön: {reason}.",
        "de": "Das Wie gegenüber dem Was: {reason}.",
    },
    # journeys (question P)
    "journeys.heading": {
        "en": "Customers' real journeys against the journey staff believe in (question P)",
        "fi": "Asiakkaiden todelliset polut verrattuna polkuun, johon henkilöstö uskoo (kysymys P)",
        "de": "Die tatsächlichen Wege der Kunden im Vergleich zur Customer Journey, an die die "
        "Mitarbeitenden glauben (Frage P)",
    },
    "journeys.from_log": {
        "en": "From the event log: {cases} journeys, {events} events, {variants} distinct paths.",
        "fi": "Tapahtumalokista: {cases} asiakaspolkua, {events} tapahtumaa, {variants} "
        "erilaista reittiä.",
        "de": "Aus dem Ereignisprotokoll: {cases} Journeys, {events} Ereignisse, {variants} "
        "verschiedene Pfade.",
    },
    "journeys.duration": {
        "en": "A journey takes {median} days (median; 90% finish within {p90} days).",
        "fi": "Asiakaspolku kestää {median} päivää (mediaani; 90 % päättyy {p90} päivän kuluessa).",
        "de": "Eine Journey dauert {median} Tage (Median; 90 % sind innerhalb von {p90} Tagen "
        "abgeschlossen).",
    },
    "journeys.completion": {
        "en": "{share}% of journeys reach an end step.",
        "fi": "{share} % asiakaspoluista päätyy loppuvaiheeseen.",
        "de": "{share} % der Journeys erreichen einen Endschritt.",
    },
    "journeys.k": {
        "en": "No figure rests on fewer than {k} journeys: rarer paths, steps and actors are "
        "left out or counted together.",
        "fi": "Mikään luku ei perustu alle {k} asiakaspolkuun: harvinaisemmat reitit, vaiheet ja "
        "toimijat jätetään pois tai lasketaan yhteen.",
        "de": "Keine Zahl beruht auf weniger als {k} Journeys: Seltenere Pfade, Schritte und "
        "Akteure werden weggelassen oder zusammengefasst.",
    },
    "journeys.fit": {
        "en": "Fit of the staff's journey model to real journeys",
        "fi": "Henkilöstön polkumallin vastaavuus todellisiin asiakaspolkuihin",
        "de": "Passung des Journey-Modells der Mitarbeitenden zu den tatsächlichen Journeys",
    },
    "journeys.fit_detail": {
        "en": "95% CI {low}–{high}; alignment fitness (1 = every journey follows the model); "
        "{share}% of journeys fit perfectly",
        "fi": "95 %:n luottamusväli {low}–{high}; alignment-fitness (1 = jokainen asiakaspolku "
        "noudattaa mallia); {share} % asiakaspoluista vastaa mallia täysin",
        "de": "95-%-KI {low}–{high}; Alignment-Fitness (1 = jede Journey folgt dem Modell); "
        "{share} % der Journeys passen vollständig",
    },
    "journeys.unknown": {
        "en": "Steps customers take that the model does not know",
        "fi": "Asiakkaiden vaiheet, joita malli ei tunne",
        "de": "Schritte der Kunden, die das Modell nicht kennt",
    },
    "journeys.skipped": {
        "en": "Steps the model expects that customers skip",
        "fi": "Mallin vaiheet, jotka asiakkaat ohittavat",
        "de": "Schritte des Modells, die Kunden überspringen",
    },
    "journeys.count": {"en": "{n} journeys", "fi": "{n} asiakaspolkua", "de": "{n} Journeys"},
    "journeys.share": {
        "en": "{share}% of journeys",
        "fi": "{share} % asiakaspoluista",
        "de": "{share} % der Journeys",
    },
    "journeys.none": {"en": "none", "fi": "ei yhtään", "de": "keine"},
    "journeys.fewer": {
        "en": "fewer than {k} journeys",
        "fi": "alle {k} asiakaspolkua",
        "de": "weniger als {k} Journeys",
    },
    "map.heading": {"en": "Process map", "fi": "Prosessikartta", "de": "Prozesslandkarte"},
    "map.explain": {
        "en": "Boxes are steps, arrows how often one step directly follows another (blue "
        "forward, red back: rework). Use the slider to hide what fewer journeys take.",
        "fi": "Laatikot ovat vaiheita, nuolet kertovat, kuinka usein vaihe seuraa suoraan toista "
        "(sininen eteenpäin, punainen taaksepäin: uudelleentyö). Liukusäätimellä voit piilottaa "
        "vaiheet ja reitit, joita harvemmat asiakaspolut kulkevat.",
        "de": "Kästen sind Schritte, Pfeile zeigen, wie oft ein Schritt direkt auf einen anderen "
        "folgt (blau vorwärts, rot zurück: Nacharbeit). Mit dem Schieberegler blenden Sie aus, "
        "was weniger Journeys nehmen.",
    },
    "map.hidden.one": {
        "en": "{n} arc taken by fewer than {k} journeys is not drawn, and a box counts only the "
        "arcs drawn into it.",
        "fi": "{n} nuoli, jota alle {k} asiakaspolkua kulkee, on jätetty piirtämättä, ja laatikko "
        "laskee vain siihen piirretyt nuolet.",
        "de": "{n} Pfeil, den weniger als {k} Journeys nehmen, wird nicht gezeichnet, und ein "
        "Kasten zählt nur die in ihn gezeichneten Pfeile.",
    },
    "map.hidden.other": {
        "en": "{n} arcs taken by fewer than {k} journeys are not drawn, and a box counts only "
        "the arcs drawn into it.",
        "fi": "{n} nuolta, joita alle {k} asiakaspolkua kulkee, on jätetty piirtämättä, ja "
        "laatikko laskee vain siihen piirretyt nuolet.",
        "de": "{n} Pfeile, die weniger als {k} Journeys nehmen, werden nicht gezeichnet, und ein "
        "Kasten zählt nur die in ihn gezeichneten Pfeile.",
    },
    "map.filter": {
        "en": "Show steps and paths taken by at least {value}% of journeys",
        "fi": "Näytä vaiheet ja reitit, joita vähintään {value} % asiakaspoluista kulkee",
        "de": "Schritte und Pfade anzeigen, die mindestens {value} % der Journeys nehmen",
    },
    "map.rare": {
        "en": "Not shown: {note} (each path followed by fewer than {k} journeys, or hidden with "
        "them so that none can be worked out by subtraction).",
        "fi": "Ei näytetä: {note} (kutakin reittiä kulkee alle {k} asiakaspolkua, tai reitti on "
        "piilotettu niiden mukana, jottei mitään niistä voi päätellä vähennyslaskulla).",
        "de": "Nicht angezeigt: {note} (jeder Pfad von weniger als {k} Journeys genommen oder "
        "mit ihnen ausgeblendet, damit sich keiner durch Subtraktion ermitteln lässt).",
    },
    "map.rare_paths.one": {
        "en": "{n} rarer path",
        "fi": "{n} harvinaisempi reitti",
        "de": "{n} seltenerer Pfad",
    },
    "map.rare_paths.other": {
        "en": "{n} rarer paths",
        "fi": "{n} harvinaisempaa reittiä",
        "de": "{n} seltenere Pfade",
    },
    "map.journeys.one": {"en": "{n} journey", "fi": "{n} asiakaspolku", "de": "{n} Journey"},
    "map.journeys.other": {"en": "{n} journeys", "fi": "{n} asiakaspolkua", "de": "{n} Journeys"},
    "map.aria": {
        "en": "process map of {n} customer journeys",
        "fi": "prosessikartta, {n} asiakaspolkua",
        "de": "Prozesslandkarte von {n} Customer Journeys",
    },
    "map.median_wait": {
        "en": ", median wait {wait}",
        "fi": ", odotuksen mediaani {wait}",
        "de": ", Median der Wartezeit {wait}",
    },
    "map.visits": {"en": "{n} visits", "fi": "{n} käyntiä", "de": "{n} Besuche"},
    "map.no_journeys": {"en": "No journeys.", "fi": "Ei asiakaspolkuja.", "de": "Keine Journeys."},
    "unit.days": {"en": "{value} d", "fi": "{value} vrk", "de": "{value} Tg."},
    "unit.hours": {"en": "{value} h", "fi": "{value} h", "de": "{value} Std."},
    "unit.minutes": {"en": "{value} min", "fi": "{value} min", "de": "{value} Min."},
    "estimates.heading": {
        "en": "Staff estimates against the log",
        "fi": "Henkilöstön arviot verrattuna lokiin",
        "de": "Schätzungen der Mitarbeitenden im Vergleich zum Protokoll",
    },
    "estimates.estimate": {"en": "estimate", "fi": "arvio", "de": "Schätzung"},
    "estimates.expected": {
        "en": "staff expect",
        "fi": "henkilöstö odottaa",
        "de": "Mitarbeitende erwarten",
    },
    "estimates.observed": {"en": "log shows", "fi": "loki näyttää", "de": "Protokoll zeigt"},
    "estimates.error": {"en": "error", "fi": "virhe", "de": "Abweichung"},
    "quantity.completion_share": {
        "en": "completion share",
        "fi": "loppuun asti kulkevien osuus",
        "de": "Abschlussquote",
    },
    "quantity.step_share": {
        "en": "step share",
        "fi": "vaiheen kautta kulkevien osuus",
        "de": "Anteil über den Schritt",
    },
    "quantity.duration_seconds": {"en": "duration seconds", "fi": "kesto", "de": "Dauer"},
    "waiting.heading": {
        "en": "Where customers wait",
        "fi": "Missä asiakkaat odottavat",
        "de": "Wo Kunden warten",
    },
    "waiting.route": {"en": "from → to", "fi": "mistä → mihin", "de": "von → nach"},
    "waiting.journeys": {"en": "journeys", "fi": "asiakaspolkuja", "de": "Journeys"},
    "waiting.median": {
        "en": "median wait",
        "fi": "odotuksen mediaani",
        "de": "Median der Wartezeit",
    },
    "waiting.share": {
        "en": "share of the waiting shown",
        "fi": "osuus näytetystä odotuksesta",
        "de": "Anteil an der gezeigten Wartezeit",
    },
    "eco.heading": {
        "en": "Ecosystem: who serves each step of the customer's process",
        "fi": "Ekosysteemi: kuka palvelee asiakkaan prosessin kutakin vaihetta",
        "de": "Ökosystem: Wer bedient welchen Schritt im Prozess des Kunden",
    },
    "eco.served_share": {
        "en": "{share}% of the steps are served by the firm or a partner.",
        "fi": "{share} % vaiheista palvelee yritys tai kumppani.",
        "de": "{share} % der Schritte werden vom Unternehmen oder einem Partner bedient.",
    },
    "eco.nobody": {
        "en": "<strong>Served by nobody:</strong> {steps}.",
        "fi": "<strong>Kukaan ei palvele:</strong> {steps}.",
        "de": "<strong>Von niemandem bedient:</strong> {steps}.",
    },
    "eco.customer_alone": {
        "en": "<strong>The customer alone:</strong> {steps}.",
        "fi": "<strong>Asiakas yksin:</strong> {steps}.",
        "de": "<strong>Der Kunde allein:</strong> {steps}.",
    },
    "eco.hidden.one": {
        "en": "{n} step outside the model that fewer than {k} journeys take is not listed.",
        "fi": "{n} mallin ulkopuolinen vaihe, jota alle {k} asiakaspolkua kulkee, on jätetty "
        "listaamatta.",
        "de": "{n} Schritt außerhalb des Modells, den weniger als {k} Journeys nehmen, ist nicht "
        "aufgeführt.",
    },
    "eco.hidden.other": {
        "en": "{n} steps outside the model that fewer than {k} journeys take are not listed.",
        "fi": "{n} mallin ulkopuolista vaihetta, joita alle {k} asiakaspolkua kulkee, on jätetty "
        "listaamatta.",
        "de": "{n} Schritte außerhalb des Modells, die weniger als {k} Journeys nehmen, sind "
        "nicht aufgeführt.",
    },
    "eco.step": {"en": "step", "fi": "vaihe", "de": "Schritt"},
    "eco.staff_say": {"en": "staff say", "fi": "henkilöstön mukaan", "de": "laut Mitarbeitenden"},
    "eco.log_shows": {"en": "the log shows", "fi": "loki näyttää", "de": "das Protokoll zeigt"},
    "eco.in_model": {"en": "in the model", "fi": "mallissa", "de": "im Modell"},
    "eco.badge_nobody": {"en": "nobody", "fi": "ei kukaan", "de": "niemand"},
    "eco.badge_customer_alone": {
        "en": "customer alone",
        "fi": "asiakas yksin",
        "de": "Kunde allein",
    },
    "eco.more": {"en": " and {n} more", "fi": " ja {n} muuta", "de": " und {n} weitere"},
    "eco.other_actors.one": {
        "en": "{n} actor, each in fewer than {k} journeys",
        "fi": "{n} toimija, alle {k} asiakaspolussa",
        "de": "{n} Akteur, in weniger als {k} Journeys",
    },
    "eco.other_actors.other": {
        "en": "{n} actors, each in fewer than {k} journeys",
        "fi": "{n} toimijaa, kukin alle {k} asiakaspolussa",
        "de": "{n} Akteure, jeder in weniger als {k} Journeys",
    },
    "kind.firm": {"en": "firm", "fi": "yritys", "de": "Unternehmen"},
    "kind.partner": {"en": "partner", "fi": "kumppani", "de": "Partner"},
    "kind.customer": {"en": "customer", "fi": "asiakas", "de": "Kunde"},
    "yes": {"en": "yes", "fi": "kyllä", "de": "ja"},
    "no": {"en": "no", "fi": "ei", "de": "nein"},
    # method and footer
    "method.heading": {"en": "Method", "fi": "Menetelmä", "de": "Methode"},
    "method.scores": {
        "en": "Scale scores: mean of the items each respondent answered (reverse-keyed items "
        "flipped), when at least {share}% of the scale's items were answered.",
        "fi": "Asteikkopisteet: kunkin vastaajan vastaamien osioiden keskiarvo (käänteiset osiot "
        "käännettyinä), kun vähintään {share} % asteikon osioista on vastattu.",
        "de": "Skalenwerte: Mittelwert der Items, die jede befragte Person beantwortet hat "
        "(umgepolte Items umgekehrt), sofern mindestens {share} % der Items der Skala "
        "beantwortet wurden.",
    },
    "method.intervals": {
        "en": "Intervals: nonparametric bootstrap over respondents, {resamples} resamples, "
        "percentile method, {level}% level; seed {seed} (results are reproducible).",
        "fi": "Luottamusvälit: vastaajien yli tehty epäparametrinen bootstrap, {resamples} "
        "uudelleenotosta, persentiilimenetelmä, {level} %:n taso; siemenluku {seed} (tulokset "
        "ovat toistettavissa).",
        "de": "Intervalle: nichtparametrischer Bootstrap über die Befragten, {resamples} "
        "Stichprobenwiederholungen, Perzentilmethode, {level}-%-Niveau; Seed {seed} (die "
        "Ergebnisse sind reproduzierbar).",
    },
    "method.anonymity": {
        "en": "Anonymity: no result is shown for a group of fewer than {n} respondents, in this "
        "report or in any export.",
        "fi": "Anonymiteetti: alle {n} vastaajan ryhmästä ei näytetä tuloksia tässä raportissa "
        "eikä missään viennissä.",
        "de": "Anonymität: Für Gruppen mit weniger als {n} Befragten wird kein Ergebnis gezeigt, "
        "weder in diesem Bericht noch in einem Export.",
    },
    "method.thresholds": {
        "en": "Thresholds: score ≥ {score}, parity ≥ {parity}, judged on the lower confidence "
        "bound.",
        "fi": "Kynnysarvot: pisteet ≥ {score}, pariteetti ≥ {parity}, arvioituna luottamusvälin "
        "alarajasta.",
        "de": "Schwellenwerte: Wert ≥ {score}, Parität ≥ {parity}, beurteilt an der unteren "
        "Konfidenzgrenze.",
    },
    "footer": {
        "en": "outsidein · readiness (Grönroos) and stages of outside-in (Gulati) · this file is "
        "self-contained and works offline.",
        "fi": "outsidein · valmius (Grönroos) ja outside-in-kehitysvaiheet (Gulati) · tämä "
        "tiedosto on itsenäinen ja toimii ilman verkkoyhteyttä.",
        "de": "outsidein · Bereitschaft (Grönroos) und Stufen von Outside-in (Gulati) · diese "
        "Datei ist in sich geschlossen und funktioniert offline.",
    },
    # charts (plain text: titles, axes, legends, hover labels)
    "chart.aspects.title": {
        "en": "Aspect scores",
        "fi": "Osa-alueiden pisteet",
        "de": "Werte der Aspekte",
    },
    "chart.aspects.axis": {
        "en": "mean score (1–7) with 95% CI",
        "fi": "keskiarvo (1–7) ja 95 %:n luottamusväli",
        "de": "Mittelwert (1–7) mit 95-%-KI",
    },
    "chart.threshold": {
        "en": "threshold {value}",
        "fi": "kynnys {value}",
        "de": "Schwelle {value}",
    },
    "chart.gaps.title": {
        "en": "Manager–operational gaps",
        "fi": "Esihenkilöiden ja operatiivisen henkilöstön erot",
        "de": "Unterschiede Führungskräfte – operatives Personal",
    },
    "chart.gaps.axis": {
        "en": "managers − operational staff (points on 1–7)",
        "fi": "esihenkilöt − operatiivinen henkilöstö (pisteinä asteikolla 1–7)",
        "de": "Führungskräfte − operatives Personal (Punkte auf 1–7)",
    },
    "chart.ipa.title": {
        "en": "Importance–performance grid (red: concentrate here)",
        "fi": "Tärkeys–suoriutuminen-nelikenttä (punainen: keskity tähän)",
        "de": "Wichtigkeits-Leistungs-Matrix (rot: hier ansetzen)",
    },
    "chart.ipa.x_derived": {
        "en": "importance to customers (share of R² in overall satisfaction)",
        "fi": "tärkeys asiakkaille (osuus kokonaistyytyväisyyden R²:sta)",
        "de": "Wichtigkeit für Kunden (Anteil am R² der Gesamtzufriedenheit)",
    },
    "chart.ipa.x_stated": {
        "en": "importance to customers (stated)",
        "fi": "tärkeys asiakkaille (ilmoitettu)",
        "de": "Wichtigkeit für Kunden (angegeben)",
    },
    "chart.ipa.y": {
        "en": "customers' rating (1–7)",
        "fi": "asiakkaiden arvio (1–7)",
        "de": "Bewertung der Kunden (1–7)",
    },
    "chart.ipa.importance": {"en": "importance", "fi": "tärkeys", "de": "Wichtigkeit"},
    "chart.ipa.performance": {"en": "performance", "fi": "suoriutuminen", "de": "Leistung"},
    "chart.ranks.title": {
        "en": "What matters most: beliefs vs evidence",
        "fi": "Mikä on tärkeintä: käsitykset vs. asiakasaineisto",
        "de": "Was am wichtigsten ist: Annahmen vs. Belege",
    },
    "chart.ranks.customers": {
        "en": "customers (evidence)",
        "fi": "asiakkaat (aineisto)",
        "de": "Kunden (Belege)",
    },
    "chart.ranks.role": {
        "en": "{role} believe (τ = {tau})",
        "fi": "{role}: käsitys (τ = {tau})",
        "de": "{role}: Einschätzung (τ = {tau})",
    },
    "chart.ranks.axis": {
        "en": "rank of importance (1 = most important)",
        "fi": "tärkeysjärjestys (1 = tärkein)",
        "de": "Rang der Wichtigkeit (1 = am wichtigsten)",
    },
    "chart.delivery.title": {"en": "Delivery gap", "fi": "Toteutuskuilu", "de": "Leistungslücke"},
    "chart.delivery.axis": {
        "en": "staff believe − customers rate (points on 1–7); right = staff overrate",
        "fi": "henkilöstön käsitys − asiakkaiden arvio (pisteinä asteikolla 1–7); oikealla = "
        "henkilöstö yliarvioi",
        "de": "Einschätzung der Mitarbeitenden − Bewertung der Kunden (Punkte auf 1–7); "
        "rechts = Mitarbeitende überschätzen",
    },
    "chart.share.title": {
        "en": "What customers talk about",
        "fi": "Mistä asiakkaat puhuvat",
        "de": "Worüber Kunden sprechen",
    },
    "chart.share.axis": {
        "en": "share of comments that mention it",
        "fi": "osuus kommenteista, joissa se mainitaan",
        "de": "Anteil der Kommentare, die es erwähnen",
    },
    "chart.trend.title": {
        "en": "Sentiment over time",
        "fi": "Asiakkaiden sävy ajan mittaan",
        "de": "Stimmung im Zeitverlauf",
    },
    "chart.trend.axis": {
        "en": "net sentiment (% positive − % negative)",
        "fi": "nettosävy (% myönteisiä − % kielteisiä)",
        "de": "Netto-Stimmung (% positiv − % negativ)",
    },
    "chart.variants.title": {
        "en": "Most frequent journeys",
        "fi": "Yleisimmät asiakaspolut",
        "de": "Häufigste Journeys",
    },
    "chart.variants.axis": {
        "en": "share of journeys",
        "fi": "osuus asiakaspoluista",
        "de": "Anteil der Journeys",
    },
    "chart.variants.hover": {
        "en": "of journeys",
        "fi": "asiakaspoluista",
        "de": "der Journeys",
    },
    "chart.funnel.title": {
        "en": "Journeys reaching each step",
        "fi": "Kuhunkin vaiheeseen etenevät asiakaspolut",
        "de": "Journeys, die den jeweiligen Schritt erreichen",
    },
    # roles as the terminal names them (English: the role's id, as the JSON has it)
    "role.manager": {"en": "manager", "fi": "esihenkilöt", "de": "Führungskräfte"},
    "role.operational": {
        "en": "operational",
        "fi": "operatiivinen henkilöstö",
        "de": "operatives Personal",
    },
    # terminal: what `outsidein demo` and `outsidein assess` print around the verdict
    "cli.staff_answered": {
        "en": "{firm}: {n} staff answered ({roles})",
        "fi": "{firm}: {n} vastaajaa henkilöstöstä ({roles})",
        "de": "{firm}: {n} Mitarbeitende haben geantwortet ({roles})",
    },
    "cli.role_count": {"en": "{n} {role}", "fi": "{role} {n}", "de": "{role} {n}"},
    "cli.readiness": {
        "en": "readiness: {verdict}",
        "fi": "valmius: {verdict}",
        "de": "Bereitschaft: {verdict}",
    },
    "cli.ready": {"en": "ready", "fi": "valmis", "de": "bereit"},
    "cli.not_ready": {"en": "not ready", "fi": "ei valmis", "de": "nicht bereit"},
    "cli.demo_stage": {
        "en": "stage: {level} ({name})",
        "fi": "vaihe: {level} ({name})",
        "de": "Stufe: {level} ({name})",
    },
    "cli.blockers.one": {
        "en": "; {n} indicator blocks stage {level}",
        "fi": "; {n} indikaattori estää pääsyn vaiheeseen {level}",
        "de": "; {n} Indikator blockiert Stufe {level}",
    },
    "cli.blockers.other": {
        "en": "; {n} indicators block stage {level}",
        "fi": "; {n} indikaattoria estää pääsyn vaiheeseen {level}",
        "de": "; {n} Indikatoren blockieren Stufe {level}",
    },
    "cli.workspace": {
        "en": "workspace: {path}",
        "fi": "työtila: {path}",
        "de": "Arbeitsbereich: {path}",
    },
    "cli.report": {"en": "report: {path}", "fi": "raportti: {path}", "de": "Bericht: {path}"},
    "cli.no_answers": {
        "en": "{firm} — no staff answers yet: import them (outsidein import responses FILE "
        "--workspace DIR) or invite staff to the survey (outsidein serve --workspace DIR)",
        "fi": "{firm} — henkilöstön vastauksia ei vielä ole: tuo ne (outsidein import responses "
        "FILE --workspace DIR) tai kutsu henkilöstö kyselyyn (outsidein serve --workspace DIR)",
        "de": "{firm} — noch keine Antworten der Mitarbeitenden: Importieren Sie sie (outsidein "
        "import responses FILE --workspace DIR) oder laden Sie die Mitarbeitenden zur Befragung "
        "ein (outsidein serve --workspace DIR)",
    },
    "cli.closed": {
        "en": "staff survey closed at {when}: later answers are not taken",
        "fi": "henkilöstökysely suljettu {when}: myöhempiä vastauksia ei oteta huomioon",
        "de": "Mitarbeiterbefragung geschlossen am {when}: spätere Antworten werden nicht "
        "berücksichtigt",
    },
    "cli.stage": {
        "en": "stage {level}: {name}",
        "fi": "vaihe {level}: {name}",
        "de": "Stufe {level}: {name}",
    },
    "cli.blocks": {
        "en": "blocks stage {level}: {indicator} — {detail}",
        "fi": "estää pääsyn vaiheeseen {level}: {indicator} — {detail}",
        "de": "blockiert Stufe {level}: {indicator} — {detail}",
    },
    # terminal: the customer evidence after the verdict (outsidein.report.text)
    "text.quality": {
        "en": "quality (question Q): staff beliefs against customers",
        "fi": "laatu (kysymys Q): henkilöstön käsitykset verrattuna asiakkaisiin",
        "de": "Qualität (Frage Q): Annahmen der Mitarbeitenden im Vergleich zu den Kunden",
    },
    "text.understanding": {
        "en": "understanding: Kendall τ {tau} [{low}, {high}], {staff} staff, "
        "{customers} customers",
        "fi": "ymmärrys: Kendallin τ {tau} [{low}, {high}], {staff} henkilöstön vastaajaa, "
        "{customers} asiakasta",
        "de": "Verständnis: Kendalls τ {tau} [{low}, {high}], {staff} Mitarbeitende, "
        "{customers} Kunden",
    },
    "text.understanding_not_shown": {
        "en": "understanding: {reason}",
        "fi": "ymmärrys: {reason}",
        "de": "Verständnis: {reason}",
    },
    "text.overestimated": {
        "en": "overestimated: {attributes}",
        "fi": "yliarvioitu: {attributes}",
        "de": "überschätzt: {attributes}",
    },
    "text.underestimated": {
        "en": "underestimated: {attributes}",
        "fi": "aliarvioitu: {attributes}",
        "de": "unterschätzt: {attributes}",
    },
    "text.delivery": {
        "en": "delivery (staff − customers, 1–7): {gaps}",
        "fi": "toteutuskuilu (henkilöstö − asiakkaat, 1–7): {gaps}",
        "de": "Leistungslücke (Mitarbeitende − Kunden, 1–7): {gaps}",
    },
    "text.delivery_not_shown": {
        "en": "delivery: {reason}",
        "fi": "toteutuskuilu: {reason}",
        "de": "Leistungslücke: {reason}",
    },
    "text.no_attributes": {"en": "no attributes", "fi": "ei ominaisuuksia", "de": "keine Merkmale"},
    "text.dimensions": {
        "en": "customers' ratings by dimension: {ratings}",
        "fi": "asiakkaiden arviot ulottuvuuksittain: {ratings}",
        "de": "Bewertungen der Kunden nach Dimension: {ratings}",
    },
    "text.functional_minus_technical": {
        "en": "; functional − technical {difference}",
        "fi": "; toiminnallinen − tekninen {difference}",
        "de": "; funktional − technisch {difference}",
    },
    "text.functional_minus_technical_not_shown": {
        "en": "; functional − technical: {reason}",
        "fi": "; toiminnallinen − tekninen: {reason}",
        "de": "; funktional − technisch: {reason}",
    },
    "text.voice": {
        "en": "customer voice: {comments} comments, {sentences} sentences ({method})",
        "fi": "asiakkaiden ääni: {comments} kommenttia, {sentences} virkettä ({method})",
        "de": "Stimme der Kunden: {comments} Kommentare, {sentences} Sätze ({method})",
    },
    "text.share": {
        "en": "{share}% of comments [{low}, {high}], {sentiment}",
        "fi": "{share} % kommenteista [{low}, {high}], {sentiment}",
        "de": "{share} % der Kommentare [{low}, {high}], {sentiment}",
    },
    "text.sentiment": {
        "en": "net sentiment {score} [{low}, {high}]",
        "fi": "nettosävy {score} [{low}, {high}]",
        "de": "Netto-Stimmung {score} [{low}, {high}]",
    },
    "text.sentiment_suppressed": {
        "en": "net sentiment suppressed",
        "fi": "nettosävy piilotettu",
        "de": "Netto-Stimmung ausgeblendet",
    },
    "text.share_not_shown": {
        "en": "share of voice: {reason}",
        "fi": "osuus kommenteista: {reason}",
        "de": "Anteil an den Kommentaren: {reason}",
    },
    "text.emerging": {
        "en": "emerging problems (no attribute covers them):",
        "fi": "nousevat ongelmat (mikään ominaisuus ei kata niitä):",
        "de": "neu auftretende Probleme (kein Merkmal deckt sie ab):",
    },
    "text.emerging_more.one": {
        "en": "… and {n} more (see the report)",
        "fi": "… ja {n} muu (ks. raportti)",
        "de": "… und {n} weiteres (siehe Bericht)",
    },
    "text.emerging_more.other": {
        "en": "… and {n} more (see the report)",
        "fi": "… ja {n} muuta (ks. raportti)",
        "de": "… und {n} weitere (siehe Bericht)",
    },
    "text.problem": {
        "en": "{label}: {n} sentences",
        "fi": "{label}: {n} virkettä",
        "de": "{label}: {n} Sätze",
    },
    "text.problem_from": {
        "en": " from {n} comments",
        "fi": " {n} kommentista",
        "de": " aus {n} Kommentaren",
    },
    "text.problem_negative": {
        "en": ", {share}% negative",
        "fi": ", {share} % kielteisiä",
        "de": ", {share} % negativ",
    },
    "text.problem_lately": {
        "en": ", lately {ratio} [{low}, {high}] (since {since})",
        "fi": ", viime aikoina {ratio} [{low}, {high}] ({since} alkaen)",
        "de": ", zuletzt {ratio} [{low}, {high}] (seit {since})",
    },
    "text.problem_growing": {"en": " GROWING", "fi": " KASVAA", "de": " WÄCHST"},
    "text.problem_nearest": {
        "en": ", nearest {name} ({affinity})",
        "fi": ", lähin {name} ({affinity})",
        "de": ", nächstes {name} ({affinity})",
    },
    "text.problem_quote": {
        "en": "{problem} — “{quote}”",
        "fi": "{problem} — ”{quote}”",
        "de": "{problem} — „{quote}“",
    },
    "text.unsaid": {
        "en": " (not in our definition: {words})",
        "fi": " (ei omassa määritelmässämme: {words})",
        "de": " (nicht in unserer Definition: {words})",
    },
    "text.customer_words": {
        "en": "in customers' words (groups of at least {n} comments):",
        "fi": "asiakkaiden omin sanoin (ryhmät, joissa vähintään {n} kommenttia):",
        "de": "in den Worten der Kunden (Gruppen ab {n} Kommentaren):",
    },
}


def say(key: str, language: str, /, **values: object) -> str:
    """The message ``key`` in ``language`` (English where it has none), ``values`` filled in."""
    texts = MESSAGES[key]
    return texts.get(language, texts["en"]).format(**values)


def say_html(key: str, language: str, /, **values: object) -> Markup:
    """:func:`say` for the HTML template: the message's own markup kept, ``values`` escaped
    (unless they are :class:`~markupsafe.Markup` already)."""
    texts = MESSAGES[key]
    return Markup(texts.get(language, texts["en"])).format(**values)


def plural(key: str, count: int) -> str:
    """The key of the singular (``key.one``) or plural (``key.other``) form for ``count``."""
    return f"{key}.one" if count == 1 else f"{key}.other"


def status(value: str, language: str) -> str:
    """A status badge (``not_measured``…) in words; an unknown status as it is, spaced."""
    key = f"status.{value}"
    return say(key, language) if key in MESSAGES else value.replace("_", " ")


def term(kind: str, value: str, language: str) -> str:
    """A value of the results (a dimension, an actor kind…) in words, where the table has it."""
    key = f"{kind}.{value}"
    return say(key, language) if key in MESSAGES else value
