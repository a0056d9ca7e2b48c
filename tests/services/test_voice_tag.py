"""`outsidein voice tag`: the OUT.csv format, the three regimes, and bad input."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from outsidein.io.problems import ImportRejected
from outsidein.io.voice_model import (
    MANIFEST,
    VoiceModelError,
    default_model_dir,
    load_encoder,
    load_polarity_weights,
    load_shipped_polarity,
)
from outsidein.services.voice import tag_file
from tests.conftest import need

REPO = Path(__file__).resolve().parents[2]
ATTRIBUTES = REPO / "benchmarks" / "mams_attributes.yaml"
EXCERPT = REPO / "tests" / "data" / "mams_acsa_excerpt"
IDS = "food|service|staff|price|ambience|menu|place|miscellaneous"
ATTRIBUTES_CELL = re.compile(rf"^((?:{IDS})(?:;(?:{IDS}))*)?$")
SENTIMENT_CELL = re.compile(
    rf"^(?:(?:{IDS}):(?:positive|negative|neutral)(?:;(?:{IDS}):(?:positive|negative|neutral))*)?$"
)

COMMENTS = pl.DataFrame(
    {
        "id": [1, 2, 3, 4],
        "comment": [
            "The waiter was rude and slow. But the pizza was delicious!",
            "Way too expensive for what you get.",
            None,
            "Hi John, lovely music and a cozy room.",
        ],
        "rating": [3, 2, 4, 5],
    }
)


@pytest.fixture
def no_model(tmp_path: Path) -> Path:
    return tmp_path / "no-model-here"


def _check_out(out: Path, source: pl.DataFrame) -> pl.DataFrame:
    frame = pl.read_csv(out, infer_schema=False)
    assert frame.columns == [*source.columns, "attributes", "attribute_sentiment", "sentiment"]
    assert frame.height == source.height
    assert frame["comment"].to_list() == [
        None if v is None else str(v) for v in source["comment"].to_list()
    ]
    for comment, attributes, pairs, overall in frame.select(
        "comment",
        pl.col("attributes").fill_null(""),
        pl.col("attribute_sentiment").fill_null(""),
        pl.col("sentiment").fill_null(""),
    ).iter_rows():
        assert ATTRIBUTES_CELL.match(attributes), attributes
        assert SENTIMENT_CELL.match(pairs), pairs
        assert [p.split(":")[0] for p in pairs.split(";") if p] == [
            a for a in attributes.split(";") if a
        ]
        # an empty comment has no sentiment; every other one has one
        said = comment is not None and comment.strip() != ""
        assert overall in ({"positive", "negative", "neutral"} if said else {""})
    return frame


def test_zero_shot_csv(tmp_path: Path, no_model: Path) -> None:
    source = tmp_path / "comments.csv"
    COMMENTS.write_csv(source)
    out = tmp_path / "out" / "tagged.csv"
    summary = tag_file(
        source, text_column="comment", attributes_path=ATTRIBUTES, out_path=out, model_dir=no_model
    )
    assert summary.rows == 4 and summary.regime == "zero-shot"
    assert summary.signals == "lexical-only" and summary.model_dir is None
    assert "lexical signals only" in summary.note
    frame = _check_out(out, COMMENTS)
    assert frame["attributes"][0] == "food;staff"  # lexical-only: "slow" is no example
    assert "staff:negative" in frame["attribute_sentiment"][0]
    assert frame["attribute_sentiment"][1] == "price:negative"
    assert frame["attributes"].fill_null("")[2] == ""  # an empty comment: no attribute
    assert frame["attributes"][3] == "ambience;place"
    assert frame["id"].to_list() == ["1", "2", "3", "4"]  # input columns unchanged


@pytest.mark.parametrize("suffix", ["xlsx", "parquet", "jsonl"])
def test_other_input_formats(tmp_path: Path, no_model: Path, suffix: str) -> None:
    source = tmp_path / f"comments.{suffix}"
    if suffix == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(COMMENTS.columns)
        for row in COMMENTS.iter_rows():
            sheet.append(list(row))
        book.save(source)
    elif suffix == "parquet":
        COMMENTS.write_parquet(source)
    else:
        COMMENTS.write_ndjson(source)
    out = tmp_path / "out.csv"
    tag_file(
        source, text_column="comment", attributes_path=ATTRIBUTES, out_path=out, model_dir=no_model
    )
    _check_out(out, COMMENTS)


def test_trained_on_a_labelled_file(tmp_path: Path, no_model: Path) -> None:
    val = pl.read_csv(EXCERPT / "val.csv").rename({"text": "review"})
    source = tmp_path / "val.csv"
    val.select("review").write_csv(source)
    out = tmp_path / "out.csv"
    summary = tag_file(
        source,
        text_column="review",
        attributes_path=ATTRIBUTES,
        train_path=EXCERPT / "train.csv",
        out_path=out,
        model_dir=no_model,
    )
    assert summary.regime == "few-shot"
    tagged = pl.read_csv(out, infer_schema=False)
    hits = sum(
        set(predicted.split(";")) == set(gold.split(";"))
        for predicted, gold in zip(tagged["attributes"], val["attributes"], strict=True)
    )
    assert hits >= 25  # exact label sets out of 100 held-out sentences (measured 41)


def test_with_the_static_model_when_built(tmp_path: Path) -> None:
    need(load_encoder() is not None, f"static model not built in {default_model_dir()}")
    source = tmp_path / "comments.csv"
    COMMENTS.write_csv(source)
    summary = tag_file(
        source, text_column="comment", attributes_path=ATTRIBUTES, out_path=tmp_path / "o.csv"
    )
    assert summary.signals == "embedding+lexical"
    _check_out(tmp_path / "o.csv", COMMENTS)


def test_shipped_polarity_weights_load() -> None:
    weights = load_polarity_weights()
    assert len(weights.features) > 1000 and "MAMS" in weights.source
    assert weights.features[-3:] == weights.dense
    assert weights.dense == ("anchor_affinity", "lexicon_positive", "lexicon_negative")
    assert weights.window == 3.0 and weights.anchors == 3  # the current anchoring
    shipped = load_shipped_polarity()  # with the VADER lexicon the weights read
    assert shipped.lexicon is not None and shipped.lexicon["damaged"] < 0


# -- bad input --------------------------------------------------------------------------------


def _problems(error: pytest.ExceptionInfo[ImportRejected]) -> str:
    return str(error.value)


def test_missing_text_column_names_the_columns(tmp_path: Path, no_model: Path) -> None:
    source = tmp_path / "comments.csv"
    COMMENTS.write_csv(source)
    with pytest.raises(ImportRejected) as error:
        tag_file(
            source, text_column="text", attributes_path=ATTRIBUTES, out_path=tmp_path / "o.csv"
        )
    message = _problems(error)
    assert "column 'text'" in message and "id, comment, rating" in message
    assert not (tmp_path / "o.csv").exists()


def test_missing_and_unknown_files(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match="file not found"):
        tag_file(
            tmp_path / "nope.csv", text_column="c", attributes_path=ATTRIBUTES, out_path=tmp_path
        )
    odd = tmp_path / "comments.doc"
    odd.write_text("x")
    with pytest.raises(ImportRejected, match=r"unknown file type '\.doc'"):
        tag_file(odd, text_column="c", attributes_path=ATTRIBUTES, out_path=tmp_path / "o.csv")


def test_output_columns_must_not_clash(tmp_path: Path) -> None:
    source = tmp_path / "comments.csv"
    COMMENTS.rename({"rating": "sentiment"}).write_csv(source)
    with pytest.raises(ImportRejected, match="column 'sentiment': the input already has"):
        tag_file(source, text_column="comment", attributes_path=ATTRIBUTES, out_path=source)


def test_bad_labelled_file_lists_every_problem(tmp_path: Path, no_model: Path) -> None:
    source = tmp_path / "comments.csv"
    COMMENTS.write_csv(source)
    labelled = tmp_path / "labelled.csv"
    labelled.write_text(
        "text,attributes,attribute_sentiment\n"
        "The soup was cold,food,food:negative\n"
        ",food,\n"
        "Great staff,staf;food,\n"
        "Nice room,place,place:happy\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as error:
        tag_file(
            source,
            text_column="comment",
            attributes_path=ATTRIBUTES,
            train_path=labelled,
            out_path=tmp_path / "o.csv",
            model_dir=no_model,
        )
    message = _problems(error)
    assert "3 problems" in message
    assert "row 3, column 'text': empty text" in message
    assert "row 4, column 'attributes': unknown attribute id(s) staf" in message
    assert "row 5, column 'attribute_sentiment'" in message


def test_labelled_file_without_required_columns(tmp_path: Path, no_model: Path) -> None:
    source = tmp_path / "comments.csv"
    COMMENTS.write_csv(source)
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("sentence,label\nThe soup was cold,food\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as error:
        tag_file(
            source,
            text_column="comment",
            attributes_path=ATTRIBUTES,
            train_path=labelled,
            out_path=tmp_path / "o.csv",
            model_dir=no_model,
        )
    message = _problems(error)
    assert "column 'text': required column missing" in message
    assert "column 'attributes': required column missing" in message


def test_bad_attributes_file_lists_every_problem(tmp_path: Path) -> None:
    source = tmp_path / "comments.csv"
    COMMENTS.write_csv(source)
    attrs = tmp_path / "attrs.yaml"
    attrs.write_text(
        "attributes:\n"
        "  - {id: food, name: Food, dimension: technical}\n"
        "  - {id: food, name: {en: Food, fi: Ruoka}, dimension: technical}\n"
        "  - {id: staff, name: Staff}\n"
        "  - {id: 'a;b', name: X, dimension: image}\n"
        "  - {name: Nameless, dimension: image, examples: 3}\n"
        "  - {id: late, name: Late, dimension: image, complaints: {en: late}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as error:
        tag_file(source, text_column="comment", attributes_path=attrs, out_path=tmp_path / "o.csv")
    message = _problems(error)
    assert "attribute 2 ('food'): duplicate id 'food'" in message
    assert "attribute 3 ('staff'): dimension must be technical, functional or image" in message
    assert "attribute 4 ('a;b'): id 'a;b' must be lowercase letters, digits and _" in message
    assert "attribute 5: every attribute needs an id" in message
    assert "attribute 5: examples must be a list" in message
    assert "attribute 6 ('late'): complaints must be a list of phrases" in message
    attrs.write_text("attribute: []\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="expected a non-empty list under 'attributes'"):
        tag_file(source, text_column="comment", attributes_path=attrs, out_path=tmp_path / "o.csv")


def test_translated_names_are_accepted(tmp_path: Path, no_model: Path) -> None:
    source = tmp_path / "comments.csv"
    pl.DataFrame({"c": ["Henkilökunta oli töykeää", "Ruoka oli hyvää"]}).write_csv(source)
    attrs = tmp_path / "attrs.yaml"
    attrs.write_text(
        "attributes:\n"
        "  - id: staff\n"
        "    name: {en: Staff, fi: Henkilökunta}\n"
        "    description: {en: The people who serve, fi: Palvelevat ihmiset}\n"
        "    dimension: functional\n"
        "    examples: [henkilökunta, töykeä]\n",
        encoding="utf-8",
    )
    tag_file(source, text_column="c", attributes_path=attrs, out_path=tmp_path / "o.csv",
             model_dir=no_model)  # fmt: skip
    assert pl.read_csv(tmp_path / "o.csv")["attributes"].to_list()[0] == "staff"


def test_a_folder_that_is_not_a_model_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "model").mkdir()
    with pytest.raises(VoiceModelError, match=f"no {MANIFEST}"):
        load_encoder(tmp_path / "model")
    assert load_encoder(tmp_path / "absent") is None
    # a model folder whose weights were cut short: a clear error, and the CLI says it
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / MANIFEST).write_text("{}", encoding="utf-8")
    (broken / "model.safetensors").write_bytes(b"\x00\x01truncated")
    with pytest.raises(VoiceModelError, match="cannot be read"):
        load_encoder(broken)
    from typer.testing import CliRunner

    from outsidein.cli import app

    comments = tmp_path / "c.csv"
    comments.write_text("comment\nGreat soup\n", encoding="utf-8")
    done = CliRunner().invoke(app, [
        "voice", "tag", str(comments), "--text", "comment", "--attributes", str(ATTRIBUTES),
        "--out", str(tmp_path / "o.csv"),
    ], env={"OUTSIDEIN_VOICE_MODEL": str(broken)})  # fmt: skip
    assert done.exit_code == 2 and "error: " in done.stderr and "Traceback" not in done.stderr


def test_files_as_people_save_them(tmp_path: Path, no_model: Path) -> None:
    """Semicolons and a trailing blank row are read; another encoding is refused, never
    written back with replacement characters; lists in Parquet come back as JSON text."""
    out = tmp_path / "out.csv"

    def tag(source: Path) -> pl.DataFrame:
        tag_file(source, text_column="comment", attributes_path=ATTRIBUTES, out_path=out,
                 model_dir=no_model)
        return pl.read_csv(out, infer_schema=False)

    semicolons = tmp_path / "eu.csv"
    semicolons.write_bytes("id;comment\r\n1;Très bon, merci\r\n;\r\n".encode())
    assert tag(semicolons)["comment"].to_list() == ["Très bon, merci"]

    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,comment\n1,ok\n2,Tr\xe8s bien, M\xfcller\n".encode("latin-1"))
    with pytest.raises(ImportRejected) as info:
        tag(latin)
    assert "not UTF-8" in str(info.value) and "row 3" in str(info.value)

    twice = tmp_path / "twice.csv"
    twice.write_text("comment,id,comment\na,1,b\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        tag(twice)
    assert [(p.column, p.row) for p in info.value.problems] == [("comment", 1)]

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"comment": "fine"}\n{"comment": "cut\n', encoding="utf-8")
    with pytest.raises(ImportRejected) as info:
        tag(broken)
    assert [p.row for p in info.value.problems] == [2]

    nested = tmp_path / "nested.parquet"
    pl.DataFrame({"comment": ["Rude waiter."], "tags": [["a", "b"]]}).write_parquet(nested)
    assert tag(nested)["tags"].to_list() == ['["a", "b"]']

    not_a_workbook = tmp_path / "fake.xlsx"
    not_a_workbook.write_text("comment\nhello\n", encoding="utf-8")
    with pytest.raises(ImportRejected):
        tag(not_a_workbook)


def test_what_labels_could_not_teach_is_said(tmp_path: Path, no_model: Path) -> None:
    """Labels of two attributes leave the other six zero-shot, and labelled polarities that
    are all one class teach nothing: the summary says both."""
    source = tmp_path / "in.csv"
    COMMENTS.write_csv(source)
    labelled = tmp_path / "labels.csv"
    rows = [
        ("The soup was cold.", "food", "food:positive"),
        ("Lovely pasta.", "food", "food:positive"),
        ("The waiter was slow.", "service", "service:positive"),
        ("Service was quick.", "service", "service:positive"),
        ("Nice music.", "", ""),
    ] * 2
    schema = ["text", "attributes", "attribute_sentiment"]
    pl.DataFrame(rows, schema=schema, orient="row").write_csv(labelled)
    summary = tag_file(
        source, text_column="comment", attributes_path=ATTRIBUTES, train_path=labelled,
        out_path=tmp_path / "out.csv", model_dir=no_model,
    )
    assert summary.regime == "few-shot"
    assert (
        "tagged zero-shot, as no labelled sentence (or every one) shows them: staff, price, "
        "ambience, menu, "
        "place, miscellaneous" in summary.note
    )
    assert "the labelled polarities are all positive, which teaches nothing" in summary.note
