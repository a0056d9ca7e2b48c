"""The report's own wording follows the assessment's language: headings, explanations, badges,
chart titles and axes in Finnish and German, with no English sentence of the report left."""

from __future__ import annotations

import json
import re
from pathlib import Path
from string import Formatter

import pytest

from outsidein.report.wording import LANGUAGES, MESSAGES, plural, say, say_html, status, term
from outsidein.services.assessment import write_report
from outsidein.services.demo import DemoOutcome, run_demo

TAG = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoOutcome:
    return run_demo(tmp_path_factory.mktemp("demo") / "ws", seed=7)


@pytest.fixture(scope="module")
def reports(demo: DemoOutcome, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("reports")
    written = {
        language: write_report(demo.workspace.path, out / f"{language}.html", language=language)
        for language in ("fi", "de")
    }
    return {language: Path(path).read_text(encoding="utf-8") for language, path in written.items()}


def _in_page(text: str, html: str) -> bool:
    """``text`` in the page as HTML text, or inside a chart's JSON (non-ASCII as \\u escapes)."""
    return text in html or json.dumps(text)[1:-1] in html


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def _sentences(text: str) -> list[str]:
    """The literal pieces of a message longer than three words: its markup and placeholders cut
    out, so that what is left must appear word for word wherever the message is used."""
    pieces = re.split(r"\{[^}]*\}", TAG.sub("\x00", text))
    return [p.strip() for piece in pieces for p in piece.split("\x00") if len(p.split()) > 3]


def test_every_message_has_every_language_with_the_same_placeholders_and_markup() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        english = texts["en"]
        for language in ("fi", "de"):
            assert texts[language].strip(), (key, language)
            assert _fields(texts[language]) == _fields(english), (key, language)
            assert sorted(TAG.findall(texts[language])) == sorted(TAG.findall(english)), key
        if key.endswith(".one"):
            assert key.removesuffix(".one") + ".other" in MESSAGES, key


def test_say_falls_back_to_english_and_escapes_values_in_html() -> None:
    assert say("verdict.ready", "sv") == "Ready"
    assert say("stage.name", "fi", level=2, name="Ihmiset ovat erilaisia") == (
        "Vaihe 2: Ihmiset ovat erilaisia"
    )
    assert str(say_html("eco.nobody", "de", steps="<b>")) == (
        "<strong>Von niemandem bedient:</strong> &lt;b&gt;."
    )
    assert plural("map.hidden", 1) == "map.hidden.one"
    assert plural("map.hidden", 0) == plural("map.hidden", 2) == "map.hidden.other"
    assert status("not_measured", "de") == "nicht gemessen"
    assert status("something_new", "fi") == "something new"
    assert term("dimension", "functional", "fi") == "toiminnallinen"
    assert term("dimension", "unknown", "fi") == "unknown"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fi",
            [
                '<html lang="fi">',
                "Mitä seuraavaksi",
                "Valmiusruudukko",
                "Esihenkilöt ja operatiivinen henkilöstö",
                "Osastoittain",
                "Reliabiliteetti ja yksimielisyys",
                "Kehitysvaiheet",
                "Vaihe 2: Ihmiset ovat erilaisia",
                "ei vielä mitattu",
                "Asiakkaiden omin sanoin",
                "Tekninen ja toiminnallinen laatu",
                "<strong>Kukaan ei palvele:</strong> Claim investigated",
                "Menetelmä",
                "12 osa-alueesta 7 täyttää kriteerit",
                "luottamusväli",
            ],
        ),
        (
            "de",
            [
                '<html lang="de">',
                "Nächste Schritte",
                "Bereitschaftsraster",
                "Führungskräfte und operatives Personal",
                "Nach Abteilung",
                "Reliabilität und Übereinstimmung",
                "Stufenleiter",
                "Stufe 2: Menschen sind verschieden",
                "noch nicht gemessen",
                "In den Worten der Kunden",
                "Technische und funktionale Qualität",
                "<strong>Von niemandem bedient:</strong> Claim investigated",
                "Methode",
                "7 von 12 Aspekten erfüllen die Kriterien",
                "Konfidenzintervall",
            ],
        ),
    ],
)
def test_headings_and_explanations_are_translated(
    reports: dict[str, str], language: str, expected: list[str]
) -> None:
    html = reports[language]
    for text in expected:
        assert text in html, text
    for key in ("chart.aspects.title", "chart.ipa.title", "chart.trend.axis", "map.heading"):
        assert _in_page(say(key, language), html), key


@pytest.mark.parametrize("language", ["fi", "de"])
def test_no_english_sentence_of_the_report_is_left(reports: dict[str, str], language: str) -> None:
    html = reports[language]
    left = [
        sentence
        for texts in MESSAGES.values()
        if texts["en"] != texts[language]
        for sentence in _sentences(texts["en"])
        if _in_page(sentence, html)
    ]
    assert left == []
    assert _sentences(MESSAGES["stage.explain"]["en"])  # the check does look at sentences


def test_english_report_keeps_its_wording(demo: DemoOutcome) -> None:
    html = demo.report.read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert demo.result.readiness.summary() in html  # the report's count says what the core's does
    for key in ("grid.heading", "stage.heading", "method.heading", "footer"):
        assert str(say_html(key, "en")) in html
    assert _in_page(say("chart.gaps.axis", "en"), html)
