"""Attribute definitions from YAML: whatever the file holds, a reader returns attributes or
names the problem; it never crashes (fuzzed with hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsidein.core.attributes import QualityAttribute
from outsidein.core.voice_attributes import Attribute
from outsidein.instruments.loader import InstrumentError, parse_attributes
from outsidein.io.problems import ImportRejected
from outsidein.io.voice_files import read_attributes

TEXT = st.text(alphabet="abcxyz_ ;:ÄöA1-", min_size=0, max_size=8)
SCALAR = st.one_of(st.none(), st.integers(-3, 3), st.booleans(), TEXT)
PHRASES = st.lists(st.one_of(TEXT, st.integers()), max_size=3)
VALUE = st.one_of(
    SCALAR,
    PHRASES,
    st.dictionaries(st.sampled_from(["en", "fi", "de"]), st.one_of(TEXT, PHRASES), max_size=2),
)
OPTIONAL = {"description": VALUE, "examples": VALUE, "praise": VALUE, "complaints": VALUE}
GOOD_PHRASES = st.one_of(
    st.lists(TEXT, max_size=3),
    st.dictionaries(st.sampled_from(["en", "fi"]), st.lists(TEXT, max_size=3), max_size=2),
)
WELL_FORMED = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["staff", "food", "on_time"]),
        "name": st.sampled_from(["Staff", "Food", "On time"]),
        "dimension": st.sampled_from(["technical", "functional", "image"]),
    },
    optional={"examples": GOOD_PHRASES, "praise": GOOD_PHRASES, "complaints": GOOD_PHRASES},
)
ENTRY = st.one_of(
    WELL_FORMED,
    SCALAR,
    st.fixed_dictionaries(
        {},
        optional={
            "id": st.one_of(TEXT, st.sampled_from(["staff", "food", "on_time"]), st.integers()),
            "name": VALUE,
            "description": VALUE,
            "dimension": st.one_of(st.sampled_from(["technical", "functional", "image"]), SCALAR),
            **OPTIONAL,
        },
    ),
)
DOCUMENT = st.one_of(
    SCALAR,
    st.fixed_dictionaries({"attributes": st.one_of(SCALAR, st.lists(ENTRY, max_size=3))}),
    st.fixed_dictionaries(
        {"attributes": st.lists(WELL_FORMED, min_size=1, max_size=3, unique_by=lambda e: e["id"])}
    ),
)


def _read(path: Path) -> tuple[Attribute, ...] | ImportRejected:
    try:
        return read_attributes(path)
    except ImportRejected as rejected:
        return rejected


def _parse(document: dict[str, Any]) -> tuple[QualityAttribute, ...] | InstrumentError:
    try:
        return parse_attributes(document, source="attrs.yaml")
    except InstrumentError as error:
        return error


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=DOCUMENT)
def test_attribute_files_give_attributes_or_name_the_problem(document: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "attrs.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        attributes = _read(path)
    if isinstance(attributes, ImportRejected):
        assert attributes.problems and all(p.reason for p in attributes.problems)
    else:
        assert attributes and all(a.name.strip() for a in attributes)
        entries = {entry["id"]: entry for entry in document["attributes"]}
        for attribute in attributes:
            assert all(isinstance(p, str) and p for p in attribute.phrases)
            given_praise = entries[attribute.id].get("praise")
            if isinstance(given_praise, list):  # kept as given, blanks dropped
                assert attribute.praise == tuple(p.strip() for p in given_praise if p.strip())
    if isinstance(document, dict):
        parsed = _parse(document)
        # one reader: a file tags standalone exactly when a workspace takes it
        assert isinstance(attributes, ImportRejected) == isinstance(parsed, InstrumentError)
        if isinstance(parsed, InstrumentError):
            assert str(parsed).startswith("attrs.yaml")
            assert isinstance(attributes, ImportRejected)
            assert [p.reason for p in attributes.problems] == [
                line.removeprefix("attrs.yaml: ") for line in str(parsed).splitlines()
            ]
        else:
            assert not isinstance(attributes, ImportRejected)
            assert [a.id for a in attributes] == [q.id for q in parsed]
            for quality in parsed:
                for by_language in (quality.examples, quality.praise, quality.complaints):
                    assert all(isinstance(p, str) for ps in by_language.values() for p in ps)


def test_every_problem_of_an_attribute_file_is_named_at_once() -> None:
    document = {
        "attributes": [
            {"id": "Staff", "name": "Staff", "dimension": "functional"},
            {"id": "food", "name": 3, "description": [1], "dimension": "taste", "praise": "tasty"},
            {"id": "price", "name": "Price", "dimension": "technical"},
        ]
    }
    error = _parse(document)
    assert isinstance(error, InstrumentError)
    assert str(error).splitlines() == [
        "attrs.yaml: attribute 1 ('Staff'): id 'Staff' must be lowercase letters, digits and _",
        "attrs.yaml: attribute 2 ('food'): dimension must be technical, functional or image, "
        "not 'taste'",
        "attrs.yaml: attribute 2 ('food'): name: expected a text or a mapping of language to text",
        "attrs.yaml: attribute 2 ('food'): description: expected a text or a mapping of language "
        "to text",
        "attrs.yaml: attribute 2 ('food'): praise must be a list of phrases or a map of language "
        "to such a list",
    ]


def test_every_problem_of_an_items_file_is_named_at_once() -> None:
    from outsidein.instruments.loader import parse_items

    items = [
        {"id": "own1", "question": "Q", "aspect": "U", "text": "We know our buyers."},
        {"id": "own2", "question": "P", "aspect": "M", "scale": "1-5", "text": "Mapped."},
        {"id": "own3", "question": "X", "aspect": "M", "roles": ["boss"], "text": "Hm."},
        {
            "id": "own1",
            "question": "P",
            "aspect": "M",
            "scale": {"min": 1.0, "max": "5"},
            "text": None,
        },
    ]
    with pytest.raises(InstrumentError) as error:
        parse_items(items, source="items.yaml")
    assert str(error.value).splitlines() == [
        "items.yaml: item 1 ('own1'): U items need a side (customer or own)",
        "items.yaml: item 2 ('own2'): scale must be a mapping of whole numbers min and max",
        "items.yaml: item 3 ('own3'): question must be P, Q, stage or belief",
        "items.yaml: item 3 ('own3'): roles must be manager and/or operational",
        # a scale of 1.0 to "5" is read (stored items may hold it so); the text is missing
        "items.yaml: item 4 ('own1'): duplicate id 'own1'",
        "items.yaml: item 4 ('own1'): text: expected a text or a mapping of language to text",
    ]


def test_voice_tag_and_a_workspace_read_attribute_files_alike(tmp_path: Path) -> None:
    """``voice tag`` once took ids a workspace refused ("On-time"); now both name the same
    problems, and read translated maps alike (the language asked, else English, else the first)."""
    path = tmp_path / "attrs.yaml"
    path.write_text(
        "attributes:\n"
        "  - {id: On-time, name: On time, dimension: functional}\n"
        "  - {id: fast, name: '  ', dimension: functional}\n",
        encoding="utf-8",
    )
    rejected = _read(path)
    assert isinstance(rejected, ImportRejected)
    assert [(p.file, p.reason) for p in rejected.problems] == [
        (
            str(path),
            "attribute 1 ('On-time'): id 'On-time' must be lowercase letters, digits and _",
        ),
        (str(path), "attribute 2 ('fast'): name is empty"),
    ]
    path.write_text(
        "attributes:\n"
        "  - id: on_time\n"
        "    name: {fi: Ajallaan, de: Pünktlich}\n"
        "    description: {de: Wann es ankommt}\n"
        "    dimension: functional\n"
        "    complaints: {fi: [myöhässä], de: [verspätet]}\n",
        encoding="utf-8",
    )
    # name and description in the language asked, phrases in all, the one asked first
    (german,) = read_attributes(path, language="de")
    assert (german.name, german.description, german.complaints) == (
        "Pünktlich",
        "Wann es ankommt",
        ("verspätet", "myöhässä"),
    )
    (english,) = read_attributes(path, language="en")  # no English: the first language given
    assert (english.name, english.description, english.complaints) == (
        "Ajallaan",
        "Wann es ankommt",
        ("myöhässä", "verspätet"),
    )
    (document,) = parse_attributes(yaml.safe_load(path.read_text("utf-8")), source="x")
    assert Attribute.from_quality(document, "de") == german
