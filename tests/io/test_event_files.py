"""Event-log CSVs as spreadsheets and other tools write them: separators, blank and ragged rows,
encodings, headers; each fault named by row (and byte), nothing read half."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from outsidein.io.events import read_events
from outsidein.io.problems import ImportRejected

ROWS = (
    ("case_id", "activity", "timestamp", "actor"),
    ("c1", "Quote", "2026-01-05T10:00:00Z", "anna"),
    ("c1", "Order", "2026-01-06T11:00:00Z", "ben"),
    ("c2", "Quote", "2026-01-07T09:00:00Z", "anna"),
)


def text(separator: str, newline: str = "\n") -> str:
    return "".join(separator.join(row) + newline for row in ROWS)


def write(tmp_path: Path, content: str | bytes, name: str = "log.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def rejected(path: Path, **options: object) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        read_events(path, **options)  # type: ignore[arg-type]
    return caught.value


def where(error: ImportRejected) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.reason) for p in error.problems]


@pytest.mark.parametrize(("separator", "name"), [(";", "log.csv"), ("\t", "log.tsv")])
def test_the_separator_is_found_from_the_header(tmp_path: Path, separator: str, name: str) -> None:
    log = read_events(write(tmp_path, text(separator), name), actor="actor")
    assert log.separator == separator
    assert log.events.select("case", "actor").rows() == [
        ("c1", "anna"), ("c1", "ben"), ("c2", "anna"),
    ]  # fmt: skip


def test_a_named_separator_wins_and_a_bad_one_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "case_id;activity;timestamp;amount\nc1;Pay;2026-01-05T10:00Z;1,5\n")
    assert read_events(path, separator=";").events.height == 1
    error = rejected(path, separator=",")
    assert "(columns are case_id;activity;timestamp;amount)" in error.problems[0].reason
    with pytest.raises(ValueError, match="one character"):
        read_events(path, separator=";;")


def test_a_gzipped_csv_is_read_with_its_separator(tmp_path: Path) -> None:
    path = tmp_path / "log.csv.gz"
    path.write_bytes(gzip.compress(text(";").encode("utf-8")))
    assert read_events(path).events.height == 3


def test_bom_and_crlf_read_like_plain_utf8(tmp_path: Path) -> None:
    plain = read_events(write(tmp_path, text(","), "plain.csv"))
    excel = write(tmp_path, "\ufeff" + text(",", newline="\r\n"), "excel.csv")
    assert read_events(excel).events.equals(plain.events)


def test_fully_blank_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    content = (
        "case_id,activity,timestamp,actor\n"
        "c1,Quote,2026-01-05T10:00:00Z,anna\n"
        "\n"  # an empty line
        "c1,Order,2026-01-06T11:00:00Z,ben\n"
        ",,,\n"  # Excel's trailing rows
        " , ,,\n"
    )
    log = read_events(write(tmp_path, content))
    assert (log.events.height, log.blank_rows, log.rows) == (2, 3, 2)
    assert log.to_dict()["blank_rows"] == 3


def test_a_row_that_is_only_partly_blank_is_still_named(tmp_path: Path) -> None:
    content = "case_id,activity,timestamp,actor\n\nc1,Quote,2026-01-05T10:00:00Z,\n,,,anna\n"
    error = rejected(write(tmp_path, content))
    assert where(error) == [
        (4, "case_id", "empty case id"),
        (4, "activity", "empty activity"),
        (4, "timestamp", "missing timestamp"),
    ]


def test_rows_with_more_fields_than_the_header_are_named(tmp_path: Path) -> None:
    content = (
        "case_id,activity,timestamp\n"
        "c1,Quote,2026-01-05T10:00:00Z\n"
        "c1,Order, large,2026-01-06T11:00:00Z\n"
        "c2,Quote,2026-01-07T09:00:00Z\n"
        "c2,Order,2026-01-08T09:00:00Z,,\n"
    )
    error = rejected(write(tmp_path, content))
    assert [(p.row, p.reason.split(":")[0]) for p in error.problems] == [
        (3, "4 fields where the header has 3"),
        (5, "5 fields where the header has 3"),
    ]
    assert "must be quoted" in error.problems[0].reason


def test_a_windows_1252_file_names_the_line_and_byte(tmp_path: Path) -> None:
    content = (
        "case_id,activity,timestamp,actor\n"
        "c1,Quote,2026-01-05T10:00Z,anna\n"
        "c1,Order,2026-01-06T10:00Z,Järvi\n"
    )
    data = content.encode("cp1252")
    error = rejected(write(tmp_path, data))
    ((row, column, reason),) = where(error)
    assert (row, column) == (3, None)
    offset = data.index("ä".encode("cp1252"))
    assert f"byte {offset}: " + repr(b"\xe4") in reason
    assert "CSV UTF-8" in reason


def test_a_utf16_file_is_refused_before_it_is_read_as_garbage(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, text(",").encode("utf-16")))
    assert "not UTF-8" in error.problems[0].reason


def test_a_header_that_names_a_column_twice_is_refused(tmp_path: Path) -> None:
    content = "case_id,activity,timestamp,activity,,\nc1,Quote,2026-01-05T10:00Z,Order,,\n"
    error = rejected(write(tmp_path, content))
    # the empty names that Excel leaves are not columns anyone named
    assert where(error) == [
        (
            1,
            "activity",
            "the header names column 'activity' 2 times (columns 2, 4); rename or remove all "
            "but one",
        )
    ]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", "", "the file is empty"),
        ("header.csv", "case_id,activity,timestamp\n", "the file has no events"),
        ("blank.csv", "case_id,activity,timestamp\n,,\n\n", "the file has no events"),
        ("empty.xes", '<?xml version="1.0"?>\n<log>\n</log>\n', "the file has no events"),
        ("traces.xes", "<log><trace><string key='concept:name' value='t'/></trace></log>", None),
    ],
)
def test_a_file_without_events_says_so(
    tmp_path: Path, name: str, content: str, reason: str | None
) -> None:
    error = rejected(write(tmp_path, content, name))
    assert where(error) == [(None, None, reason or "the file has no events")]


def test_an_explicit_format_reads_the_cell_as_written(tmp_path: Path) -> None:
    content = "case_id;activity;timestamp\nc1;Quote;2026-01-05T10:00:00+0100\n"
    log = read_events(write(tmp_path, content), timestamp_format="%Y-%m-%dT%H:%M:%S%z")
    assert log.events["timestamp"][0] == datetime(2026, 1, 5, 9, tzinfo=UTC)
