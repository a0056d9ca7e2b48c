"""Customer feedback and survey files: every format gives the same canonical frame; every bad
cell is named with its row and column; nothing but ImportRejected ever comes out of bad input."""

from __future__ import annotations

import json
import string
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from outsidein.io.customer import read_customer_survey, read_mapping
from outsidein.io.feedback import FEEDBACK_SCHEMA, read_feedback
from outsidein.io.problems import ImportRejected
from outsidein.io.survey_exports import read_table

DATA = Path(__file__).resolve().parent.parent / "data" / "customer"
Found = list[tuple[int | None, str | None, str]]

# The four customers every fixture file holds (r3 left courtesy unanswered).
DATES = [
    datetime(2024, 3, 14, 8, 15, tzinfo=UTC),
    datetime(2024, 3, 15, 12, 30, tzinfo=UTC),
    datetime(2024, 3, 18, 17, 45, tzinfo=UTC),
    datetime(2024, 3, 21, 9, 0, tzinfo=UTC),
]
SURVEY = pl.DataFrame(
    {
        "date": DATES,
        "segment": ["business", "consumer", "consumer", "business"],
        "reliability": [6.0, 3.0, 5.0, 2.0],
        "courtesy": [7.0, 5.0, None, 4.0],
        "importance__reliability": [7.0, 6.0, 5.0, 7.0],
        "importance__courtesy": [5.0, 4.0, 3.0, 6.0],
        "overall": [6.0, 4.0, 5.0, 3.0],
        "nps": [9.0, 6.0, 10.0, 2.0],
        "csat": [5.0, 3.0, 4.0, 2.0],
    },
    schema_overrides={"date": pl.Datetime("us", "UTC")},
)
FEEDBACK = pl.DataFrame(
    {
        "text": [
            "Delivery was fast, and the driver was friendly.",
            "Waited 40 minutes on the phone; nobody called back.",
            "Prices went up again without notice.",
            'Great support: fixed my "broken" invoice in one call.\nKiitos paljon, hyvää työtä!',
        ],
        "rating": [5.0, 1.0, 2.0, 4.5],
        "date": DATES,
        "segment": ["business", "consumer", "consumer", "business"],
    },
    schema_overrides={"date": pl.Datetime("us", "UTC")},
)
PLAIN = {
    "survey": {
        "attributes": {"reliability": "reliability", "courtesy": "courtesy"},
        "importance": {"reliability": "importance_reliability", "courtesy": "importance_courtesy"},
        "overall": "overall", "nps": "nps", "csat": "csat", "segment": "segment", "date": "date",
        "id": "id",
    },
    "feedback": {"text": "comment", "rating": "stars", "segment": "segment", "date": "date",
                 "id": "id"},
}
FORMS = {
    "survey": {
        "attributes": {"reliability": "How reliable is Acme?",
                       "courtesy": "How courteous is our staff?"},
        "importance": {"reliability": "How important is reliability to you?",
                       "courtesy": "How important is courtesy to you?"},
        "overall": "Overall, how satisfied are you with Acme?",
        "nps": "How likely are you to recommend Acme to a friend or colleague?",
        "csat": "How satisfied were you with your last contact with us?",
        "segment": "Which best describes you?",
        "timezone": "Europe/Helsinki",
    },
    "feedback": {"text": "What should we know?", "rating": "How many stars would you give Acme?",
                 "segment": "Which best describes you?", "timezone": "Europe/Helsinki"},
}
# file, expected format, its mapping, the ids it gives (None: generated), the rows they are on
CASES: list[tuple[str, str, dict[str, dict[str, Any]], list[str] | None, list[int]]] = [
    (
        "qualtrics.csv", "qualtrics",
        {
            "survey": {
                "attributes": {"reliability": "Q3_1", "courtesy": "Q3_2"},
                # a column may be named by its ImportId, too
                "importance": {"reliability": "QID4_1", "courtesy": "Q4_2"},
                "overall": "Q1", "nps": "Q6", "csat": "Q7", "segment": "Q8",
            },
            "feedback": {"text": "Q5", "rating": "Q2", "segment": "Q8"},
        },
        ["R_1a2B3c4D5e6F7g8", "R_2b3C4d5E6f7G8h9", "R_3c4D5e6F7g8H9i0", "R_4d5E6f7G8h9I0j1"],
        [4, 6, 8, 9],
    ),
    (
        "limesurvey.csv", "limesurvey",
        {
            "survey": {
                "attributes": {"reliability": "RATE[SQ001]", "courtesy": "RATE[SQ002]"},
                "importance": {"reliability": "IMP[SQ001]", "courtesy": "IMP[SQ002]"},
                "overall": "OVERALL", "nps": "NPS", "csat": "CSAT", "segment": "SEG",
                "timezone": "Europe/Helsinki",
            },
            "feedback": {"text": "COMMENT", "rating": "STARS", "segment": "SEG",
                         "timezone": "Europe/Helsinki"},
        },
        ["1", "3", "4", "5"],
        [2, 4, 5, 6],
    ),
    ("googleforms.csv", "googleforms", FORMS, None, [2, 3, 4, 5]),
    ("survey.jsonl", "jsonl", PLAIN, ["r1", "r2", "r3", "r4"], [1, 2, 3, 4]),
    ("survey.parquet", "parquet", PLAIN, ["r1", "r2", "r3", "r4"], [2, 3, 4, 5]),
    ("survey.xlsx", "xlsx", PLAIN, ["r1", "r2", "r3", "r4"], [2, 3, 4, 5]),
    (
        "survey_fi.csv", "csv",
        {kind: {**PLAIN[kind], "timezone": "Europe/Helsinki"} for kind in PLAIN},
        ["r1", "r2", "r3", "r4"],
        [2, 3, 4, 5],
    ),
]

MAP_LABELS = "(map labels to numbers with --value LABEL=NUMBER, values= from Python)"


def write(tmp_path: Path, text: str, name: str = "feedback.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def feedback_problems(path: Path, **kwargs: Any) -> Found:
    with pytest.raises(ImportRejected) as info:
        read_feedback(path, **kwargs)
    return [(p.row, p.column, p.reason) for p in info.value.problems]


def survey_problems(path: Path, **kwargs: Any) -> Found:
    with pytest.raises(ImportRejected) as info:
        read_customer_survey(path, **kwargs)
    return [(p.row, p.column, p.reason) for p in info.value.problems]


def only(found: Found) -> tuple[int | None, str | None, str]:
    assert len(found) == 1, found
    return found[0]


# --- every format, one canonical frame ------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt", "mapping", "ids", "rows"), CASES)
def test_every_survey_format_gives_the_same_frame(
    name: str, fmt: str, mapping: dict[str, dict[str, Any]], ids: list[str] | None,
    rows: list[int],
) -> None:
    imported = read_customer_survey(DATA / name, rating_scale=(1, 7), **mapping["survey"])
    frame = imported.frame
    assert imported.format == fmt
    assert frame.columns == ["customer_id", *SURVEY.columns, "source_row"]
    assert frame.drop("customer_id", "source_row").equals(SURVEY)
    assert frame["source_row"].to_list() == rows
    if ids is None:
        assert imported.generated_ids
        assert frame["customer_id"].to_list() == [f"{imported.sha256[:12]}:{r}" for r in rows]
    else:
        assert frame["customer_id"].to_list() == ids
    assert imported.attributes == mapping["survey"]["attributes"] | (
        {"reliability": "Q3_1", "courtesy": "Q3_2"} if fmt == "qualtrics" else {}
    )


@pytest.mark.parametrize(("name", "fmt", "mapping", "ids", "rows"), CASES)
def test_every_feedback_format_gives_the_same_frame(
    name: str, fmt: str, mapping: dict[str, dict[str, Any]], ids: list[str] | None,
    rows: list[int],
) -> None:
    imported = read_feedback(DATA / name, **mapping["feedback"])
    frame = imported.frame
    assert imported.format == fmt
    assert frame.schema == pl.Schema(FEEDBACK_SCHEMA)
    assert frame.drop("comment_id", "source_row").equals(FEEDBACK)
    assert frame["source_row"].to_list() == rows
    if ids is not None:
        assert frame["comment_id"].to_list() == ids


def test_qualtrics_export_is_read_as_qualtrics_says() -> None:
    imported = read_feedback(DATA / "qualtrics.csv", text="Q5", rating="Q2")
    # the ImportId row says RecordedDate is Denver time; Finished=0 and the preview are skipped
    assert imported.timezone == "America/Denver"
    assert imported.skipped == {"blank": 0, "unfinished": 1, "test": 1}
    assert imported.columns["id"] == "ResponseId" and imported.columns["date"] == "RecordedDate"
    kept = read_feedback(DATA / "qualtrics.csv", text="Q5", keep_unfinished=True,
                         empty_text="skip")
    # the unfinished response has no comment: kept, then skipped as empty text
    assert kept.skipped == {"blank": 0, "unfinished": 0, "test": 1, "empty_text": 1}
    # an explicit zone wins over the export's
    utc = read_feedback(DATA / "qualtrics.csv", text="Q5", timezone="UTC")
    assert utc.frame["date"][0] == datetime(2024, 3, 14, 2, 15, tzinfo=UTC)
    # a column is named by its question text (row 2) too, as the people who wrote it know it
    by_text = read_feedback(
        DATA / "qualtrics.csv",
        text="What should we know? Tell us in your own words.",
        rating="How many stars would you give Acme?",
    )
    assert by_text.frame.equals(imported.frame)
    assert by_text.columns["text"] == "Q5" and by_text.columns["rating"] == "Q2"



def test_a_question_text_never_takes_a_headers_name(tmp_path: Path) -> None:
    """Q1's question text is "Region" and an embedded-data column is headed "region": the name
    "Region" stays the header's (letter case aside), as it was before question texts named
    columns."""
    lines = [
        "ResponseId,Finished,Q1,region,Q2",
        "Response ID,Finished,Region,region,Anything else?",
        '"{""ImportId"":""_recordId""}","{""ImportId"":""finished""}",'
        '"{""ImportId"":""QID1""}","{""ImportId"":""region""}","{""ImportId"":""QID2""}"',
        "R_1,1,North,EU,Slow reply",
        "R_2,1,South,US,Fine",
    ]
    path = write(tmp_path, "\n".join(lines) + "\n", "export.csv")
    imported = read_feedback(path, text="Anything else?", segment="Region")
    assert imported.columns["segment"] == "region"
    assert imported.frame["segment"].to_list() == ["EU", "US"]
    assert imported.frame["text"].to_list() == ["Slow reply", "Fine"]


def test_limesurvey_unfinished_kept_on_request_and_code_headings(tmp_path: Path) -> None:
    kept = read_customer_survey(DATA / "limesurvey.csv", overall="OVERALL", keep_unfinished=True)
    assert kept.frame["customer_id"].to_list() == ["1", "2", "3", "4", "5"]
    assert kept.frame["date"][1] is None
    # "Question code & question text" headings are found by their code
    text = (
        '"id","submitdate","lastpage","Q1[SQ001]. How reliable is Acme?","Q2. Overall?"\n'
        '"7","2024-03-14 10:15:00","2","6","5 = Very satisfied"\n'
    )
    imported = read_customer_survey(
        write(tmp_path, text, "lime.csv"), attributes={"reliability": "Q1[SQ001]"},
        overall="Q2", rating_scale=(1, 7),
    )
    assert imported.format == "limesurvey"
    assert imported.frame.row(0, named=True)["overall"] == 5.0


def test_google_forms_dates_day_first_month_first_or_named(tmp_path: Path) -> None:
    day_first = "Timestamp,Comment\n25/03/2024 09:05:00,ok\n03/04/2024 18:00:00,fine\n"
    imported = read_feedback(write(tmp_path, day_first), text="Comment", timezone="Europe/Paris")
    assert imported.frame["date"].to_list() == [
        datetime(2024, 3, 25, 8, 5, tzinfo=UTC), datetime(2024, 4, 3, 16, 0, tzinfo=UTC),
    ]
    ambiguous = "Timestamp,Comment\n03/04/2024 09:05:00,ok\n05/04/2024 18:00:00,fine\n"
    row, column, reason = only(feedback_problems(write(tmp_path, ambiguous), text="Comment"))
    assert (row, column) == (2, "Timestamp") and "date_format=" in reason
    named = read_feedback(
        write(tmp_path, ambiguous), text="Comment", date_format="%m/%d/%Y %H:%M:%S"
    )
    assert named.frame["date"][0] == datetime(2024, 3, 4, 9, 5, tzinfo=UTC)
    forms_download = "Timestamp,Comment\n2024/03/14 2:03:12 PM GMT+2,ok\n"
    direct = read_feedback(write(tmp_path, forms_download), text="Comment")
    assert direct.frame["date"][0] == datetime(2024, 3, 14, 12, 3, 12, tzinfo=UTC)


def test_mapping_file_equals_arguments_and_arguments_win(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "format: qualtrics\n"
        "columns: {overall: Q1, nps: Q6, csat: Q7, segment: Q8}\n"
        "attributes: {reliability: Q3_1, courtesy: Q3_2}\n"
        "importance: {reliability: Q4_1, courtesy: Q4_2}\n"
        "rating_scale: [1, 7]\n",
        encoding="utf-8",
    )
    by_file = read_customer_survey(DATA / "qualtrics.csv", mapping=mapping)
    by_args = read_customer_survey(DATA / "qualtrics.csv", **CASES[0][2]["survey"])
    assert by_file.frame.equals(by_args.frame)
    overridden = read_customer_survey(DATA / "qualtrics.csv", mapping=mapping, segment="Q2")
    assert overridden.frame["segment"].to_list() == ["5", "1", "2", "4.5"]


def test_bad_mapping_file_names_every_bad_key(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "format: surveymonkey\ncolumns: {text: Q5, score: Q2}\nrating_scale: [5, 1]\ncolour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as info:
        read_mapping(mapping, kind="feedback")
    keys = {p.column for p in info.value.problems}
    assert keys == {"format", "columns.score", "rating_scale", "colour"}
    assert all(p.file == "mapping.yaml" for p in info.value.problems)
    mapping.write_text("columns: [unclosed\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="not valid YAML"):
        read_mapping(mapping, kind="feedback")


# --- every kind of bad input, named -----------------------------------------------------------


def test_every_bad_cell_is_named_at_once(tmp_path: Path) -> None:
    text = (
        "id,comment,stars,posted,segment\n"
        "a1,Great,5,2024-03-01,web\n"
        "a2,,4,2024-03-02,web\n"  # empty text
        "a3,Slow,9,2024-03-03,web\n"  # out of scale
        "a1,Rude,3,2024-03-04,shop\n"  # duplicate id
        "a5,Fine,three,2024-03-05,web\n"  # not a number
        "a6,Okay,4,yesterday,web\n"  # not a date
        "a7,Nice,4,2024-02-30,web\n"  # no such day
        ",Good,4,2024-03-05,web\n"  # empty id
    )
    found = feedback_problems(
        write(tmp_path, text), text="comment", rating="stars", date="posted", segment="segment",
        id="id",
    )
    assert (3, "comment", "empty text") in found
    assert (4, "stars", "'9' is outside the scale 1–5") in found
    assert (5, "id", "duplicate id 'a1' (first on row 2)") in found
    assert (6, "stars", "'three' is not a number " + MAP_LABELS) in found
    assert (7, "posted", "cannot read 'yesterday' as a date and time") in found
    no_day = "cannot read '2024-02-30' as a date: day is out of range for month"
    assert (8, "posted", no_day) in found
    assert (9, "id", "empty id") in found
    assert len(found) == 7


def test_qualtrics_rows_are_numbered_as_in_the_spreadsheet(tmp_path: Path) -> None:
    lines = (DATA / "qualtrics.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    # the first answer (file row 4) gets a star rating of 7
    lines[3] = lines[3].replace(",6,5,6,7,7,5,", ",6,7,6,7,7,5,")
    path = tmp_path / "qualtrics.csv"
    path.write_bytes("\r\n".join(lines).encode())
    assert only(feedback_problems(path, text="Q5", rating="Q2")) == (
        4, "Q2", "'7' is outside the scale 1–5",
    )


def test_a_survey_whose_scale_is_not_given_and_none_above_5_is_refused(tmp_path: Path) -> None:
    """On the default 1-7, a survey on 1-5 would be read two thirds up the scale where its
    customers were unanimous: with no rating above 5 and no scale given, the importer asks."""
    path = write(tmp_path, "id,rel,cour,imp,overall\nc1,5,4,5,5\nc2,4,5,3,4\n", "s.csv")
    columns: dict[str, Any] = {
        "attributes": {"reliability": "rel", "courtesy": "cour"},
        "importance": {"reliability": "imp"},
        "overall": "overall",
        "id": "id",
    }
    with pytest.raises(ImportRejected) as info:
        read_customer_survey(path, **columns)
    reasons = [p.reason for p in info.value.problems]
    assert [p.row for p in info.value.problems] == [None, None, None]
    assert reasons[0].startswith(
        "the 4 ratings in rel, cour are read on 1–7 when no scale is given, but none is above 5"
    )
    assert "(--rating-scale 1 5, or --rating-scale 1 7 if it was 1–7;" in reasons[0]
    assert reasons[1].startswith("the 2 ratings in imp are read on 1–7")
    assert "--importance-scale 1 5" in reasons[1]
    assert "--rating-scale, which sets it too" in reasons[1]
    assert reasons[2].startswith("the 2 ratings in overall are read on 1–7")
    # a scale given answers it, for the measures that follow the ratings' scale too
    on_five = read_customer_survey(path, rating_scale=(1, 5), **columns)
    assert on_five.scales["overall_scale"] == (1, 5)
    on_seven = read_customer_survey(path, rating_scale=(1, 7), **columns)
    assert on_seven.frame["reliability"].to_list() == [5.0, 4.0]
    assert on_seven.scales["rating_scale"] == (1, 7)
    # the measures on the default answer for each other: a rating's 6 settles overall's scale
    settled = write(tmp_path, "id,rel,overall\nc1,6,4\nc2,3,5\n", "settled.csv")
    read = read_customer_survey(settled, attributes={"reliability": "rel"}, overall="overall")
    assert read.frame["overall"].to_list() == [4.0, 5.0]
    # a written 8, out of 1-7, also says the scale is no 1-5: only that cell is named
    eight = write(tmp_path, "id,rel\nc1,8\nc2,4\n", "eight.csv")
    assert survey_problems(eight, attributes={"reliability": "rel"}, id="id") == [
        (2, "rel", "'8' is outside the scale 1–7")
    ]


def test_survey_scores_are_checked(tmp_path: Path) -> None:
    text = (
        "id,rel,imp,overall,nps,csat\n"
        "c1,8,5,6,7.5,3\n"  # rating above 1–7, NPS not whole
        "c2,4,0,6,11,6\n"  # importance below 1–7, NPS and CSAT outside their scales
        "c3,4,5,6,10 - Extremely likely,Don't know\n"  # labels: one read, one mapped to null
    )
    found = survey_problems(
        write(tmp_path, text, "survey.csv"), attributes={"reliability": "rel"},
        importance={"reliability": "imp"}, overall="overall", nps="nps", csat="csat", id="id",
        importance_scale=(1, 7),  # its ratings (5, 0, 5) alone would leave 1-5 open
    )
    assert sorted(found) == sorted([
        (2, "rel", "'8' is outside the scale 1–7"),
        (2, "nps", "'7.5' is not a whole number"),
        (3, "imp", "'0' is outside the scale 1–7"),
        (3, "nps", "'11' is outside the scale 0–10"),
        (3, "csat", "'6' is outside the scale 1–5"),
        (4, "csat", "\"Don't know\" is not a number " + MAP_LABELS),
    ])
    fixed = text.replace("c1,8,5,6,7.5,3", "c1,7,5,6,7,3").replace("c2,4,0,6,11,6", "c2,4,1,6,9,5")
    imported = read_customer_survey(
        write(tmp_path, fixed, "survey.csv"), attributes={"reliability": "rel"},
        importance={"reliability": "imp"}, overall="overall", nps="nps", csat="csat", id="id",
        values={"Don't know": None}, importance_scale=(1, 7),
    )
    assert imported.frame["nps"].to_list() == [7.0, 9.0, 10.0]
    assert imported.frame["csat"].to_list() == [3.0, 5.0, None]


def test_unknown_and_doubly_mapped_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "id,comment,stars\na,good,5\n")
    row, column, reason = only(feedback_problems(path, text="comments"))
    assert (row, column) == (1, "comments")
    assert "is not in the file; its columns are id, comment, stars" in reason
    row, column, reason = only(feedback_problems(path, text="comment", segment="comment"))
    assert (row, column) == (1, "comment") and "mapped twice" in reason
    assert only(feedback_problems(path))[2].startswith("name the column that holds the comment")


def test_survey_mapping_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "id,a,b\nc1,1,2\n", "survey.csv")
    found = survey_problems(
        path, attributes={"Bad Id": "a", "overall": "b"}, importance={"speed": "id"}
    )
    reasons = " | ".join(r for _, _, r in found)
    assert "'Bad Id' must be lowercase letters, digits and _" in reasons
    assert "'overall' is a reserved column name" in reasons
    assert "importance is mapped for attribute 'speed'" in reasons
    assert "nothing to import" in only(survey_problems(path))[2]


def test_time_zones(tmp_path: Path) -> None:
    text = (
        "comment,at\n"
        "a,2024-03-31 03:30:00\n"  # does not exist in Helsinki (clocks jump 03:00 → 04:00)
        "b,2024-10-27 03:30:00\n"  # happens twice there: the earlier instant (EEST)
        "c,2024-06-01 12:00:00+03:00\n"
        "d,2024-06-01\n"
    )
    row, column, reason = only(feedback_problems(
        write(tmp_path, text), text="comment", date="at", timezone="Europe/Helsinki"
    ))
    assert (row, column) == (2, "at") and "does not exist in Europe/Helsinki" in reason
    good = text.replace("03-31 03:30:00", "03-31 01:30:00")
    imported = read_feedback(write(tmp_path, good), text="comment", date="at",
                             timezone="Europe/Helsinki")
    assert imported.frame["date"].to_list() == [
        datetime(2024, 3, 30, 23, 30, tzinfo=UTC), datetime(2024, 10, 27, 0, 30, tzinfo=UTC),
        datetime(2024, 6, 1, 9, 0, tzinfo=UTC), datetime(2024, 5, 31, 21, 0, tzinfo=UTC),
    ]
    assert imported.ambiguous_times == 1
    with pytest.raises(ImportRejected, match="unknown time zone 'Mars/Olympus'"):
        read_feedback(write(tmp_path, good), text="comment", timezone="Mars/Olympus")


def test_parquet_naive_times_use_the_zone(tmp_path: Path) -> None:
    path = tmp_path / "naive.parquet"
    pl.DataFrame(
        {"text": ["hi", "ho"], "at": [datetime(2024, 1, 1, 12), None]}
    ).write_parquet(path)
    imported = read_feedback(path, text="text", date="at", timezone="America/New_York")
    assert imported.frame["date"].to_list() == [datetime(2024, 1, 1, 17, tzinfo=UTC), None]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("blank.csv", b"\n \n", "the file is empty"),
        ("latin1.csv", "text\nhyv\u00e4\n".encode("latin-1"), "not UTF-8 text"),
        ("nul.csv", b"text\ngood\x00bad\n", "NUL bytes"),
        ("header.csv", b"text,rating\n", "no rows"),
        ("broken.xlsx", b"PK\x03\x04 not a zip", "not a readable XLSX workbook"),
        ("broken.parquet", b"PAR1 nonsense PAR1", "not a readable Parquet file"),
        ("lines.jsonl", b'{"text": "ok"}\n[1, 2]\n{"text": \n', "not an object"),
        ("notes.docx", b"hello", "unsupported file type"),
        ("qualtrics.csv", b"a,b\nc,d\ne,f\ng,h\n", "row 3 is not Qualtrics' ImportId row"),
    ],
)
def test_unreadable_files_are_rejected(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    fmt = "qualtrics" if name == "qualtrics.csv" else None
    with pytest.raises(ImportRejected) as info:
        read_feedback(path, text="text", format=fmt)
    assert reason in str(info.value)


def test_missing_file_and_long_rows(tmp_path: Path) -> None:
    assert only(feedback_problems(tmp_path / "nowhere.csv", text="t"))[2] == "no such file"
    path = write(tmp_path, "text,rating\nfine,5\nextra,4,surprise\ntrailing,3,,\n")
    assert only(feedback_problems(path, text="text")) == (
        3, None, "3 cells but the header has 2",
    )


def test_short_csv_rows_are_refused_but_short_workbook_rows_are_padded(tmp_path: Path) -> None:
    # an unquoted line break cut the first comment in two: neither half may be stored
    path = write(tmp_path, "text,rating\nThe soup was cold\nand the waiter rude,2\nfine,5\n")
    assert only(feedback_problems(path, text="text", rating="rating")) == (
        2,
        None,
        "1 cells but the header has 2: a line break inside an unquoted cell seems to cut a "
        "record in two; put such cells in quotes (or, where the row just ends early, write out "
        "its empty cells)",
    )
    # short rows that were never cut: a header ending in an empty column, and a writer that
    # leaves out the delimiters of empty cells at the end of a row
    trailing = write(tmp_path, "text,rating,\nfine,5\nbad,1\n", "trailing.csv")
    assert read_feedback(trailing, text="text", rating="rating").frame.height == 2
    ragged = write(tmp_path, "rating,text,segment\n5,good,b\n4,ok\n3,meh,c\n", "ragged.csv")
    frame = read_feedback(ragged, text="text", rating="rating", segment="segment").frame
    assert frame["segment"].to_list() == ["b", None, "c"]
    quoted = write(tmp_path, 'text,rating\n"The soup was cold\nand the waiter rude",2\n')
    assert read_feedback(quoted, text="text", rating="rating").frame["text"].to_list() == [
        "The soup was cold\nand the waiter rude"
    ]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["text", "rating"])
    sheet.append(["no rating given"])  # a workbook leaves trailing empty cells out
    sheet.append(["good", 4])
    book = tmp_path / "f.xlsx"
    workbook.save(book)
    frame = read_feedback(book, text="text", rating="rating").frame
    assert frame["rating"].to_list() == [None, 4.0]


def test_jsonl_lines_are_the_rows(tmp_path: Path) -> None:
    lines = ['{"text": "ok", "stars": 4}', "", '{"text": "", "stars": 5}', "{bad json}"]
    found = feedback_problems(write(tmp_path, "\n".join(lines), "f.jsonl"), text="text",
                              rating="stars")
    assert (3, "text", "empty text") in found
    assert any(row == 4 and "not valid JSON" in reason for row, _, reason in found)


def test_xlsx_typed_cells(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "text", "stars", "when"])
    sheet.append([101, "good", 4, datetime(2024, 5, 1, 10, 0)])
    sheet.append([102, "bad", True, "not a date"])
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    found = feedback_problems(path, id="id", text="text", rating="stars", date="when")
    assert found == [
        (3, "stars", "True is a true/false value, not a number"),
        (3, "when", "cannot read 'not a date' as a date and time"),
    ]


def test_problems_beyond_the_cap_are_counted(tmp_path: Path) -> None:
    text = "text,stars\n" + "".join(f"c{i},9\n" for i in range(250))
    with pytest.raises(ImportRejected) as info:
        read_feedback(write(tmp_path, text), text="text", rating="stars")
    assert info.value.total == 250 and len(info.value.problems) == 200


def test_empty_text_can_be_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "text,stars\nfine,5\n,4\n  ,3\nok,2\n")
    imported = read_feedback(path, text="text", rating="stars", empty_text="skip")
    assert imported.frame["source_row"].to_list() == [2, 5]
    assert imported.skipped["empty_text"] == 2


def test_detection_reads_the_header() -> None:
    assert read_table(DATA / "qualtrics.csv").format == "qualtrics"
    assert read_table(DATA / "limesurvey.csv").format == "limesurvey"
    assert read_table(DATA / "googleforms.csv").format == "googleforms"
    assert read_table(DATA / "survey_fi.csv").format == "csv"


# --- fuzz: nothing but ImportRejected -----------------------------------------------------------

SUFFIXES = [".csv", ".xlsx", ".jsonl", ".parquet", ".txt"]
FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read_both(path: Path, **kwargs: Any) -> None:
    for read in (
        lambda: read_feedback(path, text="text", rating="rating", date="date", segment="segment",
                              id="id", **kwargs),
        lambda: read_customer_survey(path, attributes={"reliability": "rating"}, nps="nps",
                                     date="date", id="id", **kwargs),
    ):
        try:
            imported = read()
        except ImportRejected as rejected:
            failure = rejected
        else:
            assert imported.frame.height > 0
            continue
        assert failure.problems and failure.total >= len(failure.problems)


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from(SUFFIXES),
       fmt=st.sampled_from([None, "qualtrics", "limesurvey", "googleforms"]))
def test_random_bytes_never_crash_the_reader(
    tmp_path: Path, data: bytes, suffix: str, fmt: str | None
) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    _read_both(path, format=fmt)


CELL = st.one_of(
    st.text(alphabet=string.printable + "äö€\u00a0\u2028", max_size=12),
    st.sampled_from(["", "5", "4,5", "-1", "10 - Extremely likely", "NaN", "inf", "1e3",
                     "2024-03-31 03:30", "31/12/2024 10:00", "03/04/2024", "2024-02-30",
                     "2024-01-01T00:00:00Z", "GMT+2", "{\"ImportId\":\"QID1\"}", '"', "\r\n"]),
)
HEADER = ["id", "text", "rating", "date", "segment", "nps"]


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=8), min_size=0, max_size=8),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_random_cells_never_crash_the_reader(
    tmp_path: Path, rows: list[list[str]], delimiter: str
) -> None:
    import csv

    path = tmp_path / "cells.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(HEADER)
        writer.writerows(rows)
    _read_both(path)


JSON_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), CELL,
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(),
                                                          max_size=1),
)


@FUZZ
@given(records=st.lists(st.fixed_dictionaries({}, optional=dict.fromkeys(HEADER, JSON_VALUE)),
                        max_size=6))
def test_random_json_records_never_crash_the_reader(
    tmp_path: Path, records: list[dict[str, object]]
) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    _read_both(path)
