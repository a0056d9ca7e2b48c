"""Event-log import: real files, time zones, and every kind of bad log."""

from __future__ import annotations

import gzip
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsidein.io.events import event_format, read_events
from outsidein.io.problems import MAX_REPORTED, ImportRejected

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data sets not found at {SHARED} (they live beside the repository)")
    return SHARED


def write(tmp_path: Path, text: str, name: str = "log.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rejected(path: Path, **options: object) -> ImportRejected:
    with pytest.raises(ImportRejected) as caught:
        read_events(path, **options)  # type: ignore[arg-type]
    return caught.value


def reasons(error: ImportRejected) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.reason) for p in error.problems]


def test_running_example_csv_and_xes_agree(shared_data: Path) -> None:
    folder = shared_data / "pm4py_running_example"
    from_csv = read_events(folder / "running-example.csv")
    from_xes = read_events(folder / "running-example.xes")
    assert (from_csv.events.height, from_csv.cases) == (42, 6)
    assert from_xes.columns["actor"] == "org:resource"
    assert from_xes.utc_offsets == ("+01:00",)
    columns = ["case", "activity", "timestamp"]
    assert from_csv.events.select(columns).equals(from_xes.events.select(columns))
    first = from_csv.events.row(0, named=True)
    # 2010-12-30 14:32:00+01:00 in UTC
    assert (first["case"], first["timestamp"]) == ("3", datetime(2010, 12, 30, 13, 32, tzinfo=UTC))
    assert from_csv.events["timestamp"].dtype == pl.Datetime("us", "UTC")


def test_gzipped_xes_reads_like_plain(shared_data: Path, tmp_path: Path) -> None:
    plain = shared_data / "pm4py_running_example" / "running-example.xes"
    packed = tmp_path / "running-example.xes.gz"
    with plain.open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    assert read_events(packed).events.equals(read_events(plain).events)


def test_traffic_fines_needs_a_zone_and_keeps_same_day_payments(shared_data: Path) -> None:
    path = shared_data / "eventdataR" / "traffic_fines.csv"
    error = rejected(path, case="case_id")
    assert error.total == 1
    assert "default_timezone" in error.problems[0].reason
    log = read_events(path, case="case_id", actor="resource", default_timezone="Europe/Rome")
    # rows sharing case, activity and day but not amount are distinct events (pm4py keeps them)
    assert (log.events.height, log.cases, log.duplicates_dropped) == (34724, 10000, 0)
    assert log.events["timestamp"][0] == datetime(2006, 7, 23, 22, 0, tzinfo=UTC)


def test_patients_with_z_timestamps(shared_data: Path) -> None:
    log = read_events(
        shared_data / "eventdataR" / "patients.csv",
        case="patient",
        activity="handling",
        timestamp="time",
        lifecycle="registration_type",
        actor="employee",
    )
    assert (log.events.height, log.cases, log.one_event_cases) == (5442, 500, 0)
    assert set(log.events["lifecycle"].unique()) == {"start", "complete"}


def test_missing_unreadable_and_empty_cells_are_all_named(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "case,activity,time\n"
        "1,Order,2024-01-01T10:00:00Z\n"
        "1,Pay,\n"
        ",Order,2024-01-01T10:00:00Z\n"
        "   ,Pay,2024-01-01T11:00:00Z\n"
        "2,,2024-01-01T10:00:00Z\n"
        "2,Pay,yesterday\n",
    )
    error = rejected(path, timestamp="time")
    assert sorted(reasons(error), key=lambda r: (r[0] or 0, r[2])) == [
        (3, "time", "missing timestamp"),
        (4, "case", "empty case id"),
        (5, "case", "empty case id"),
        (6, "activity", "empty activity"),
        (7, "time", "cannot read 'yesterday' as a date and time"),
    ]
    assert "nothing was stored" in str(error)


def test_one_event_cases_are_kept_and_counted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "case,activity,timestamp\n"
        "a,Visit,2024-01-01T10:00:00+00:00\n"
        "b,Visit,2024-01-01T10:00:00+00:00\n"
        "b,Buy,2024-01-01T10:05:00+00:00\n"
        "c,Visit,2024-01-02T10:00:00+00:00\n",
    )
    log = read_events(path)
    assert (log.events.height, log.cases, log.one_event_cases) == (4, 3, 2)


DUPLICATED = (
    "case,activity,timestamp,amount\n"
    "1,Pay,2024-01-01T10:00:00Z,5\n"
    "1,Remind,2024-01-01T10:00:00Z,\n"
    "1,Pay,2024-01-01T10:00:00Z,5\n"  # the same as row 2 in every column
    "1,Pay,2024-01-01T10:00:00Z,7\n"  # another payment at the same time
    "2,Pay,2024-01-01T10:00:00Z,5\n"
)


def test_duplicate_events_are_dropped_and_counted(tmp_path: Path) -> None:
    log = read_events(write(tmp_path, DUPLICATED))
    assert (log.events.height, log.duplicates_dropped) == (4, 1)
    assert log.events.filter(pl.col("case") == "1")["activity"].cast(str).to_list() == [
        "Pay", "Remind", "Pay",
    ]  # fmt: skip


def test_duplicate_events_can_reject_the_file(tmp_path: Path) -> None:
    error = rejected(write(tmp_path, DUPLICATED), duplicates="reject")
    assert reasons(error) == [(4, "case", "duplicate event: same in every column as row 2")]


def test_mixed_zones_are_rejected_row_by_row(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "case,activity,timestamp\n"
        "1,A,2024-01-01 10:00:00+02:00\n"
        "1,B,2024-01-01 11:00:00\n"
        "2,A,2024-01-01T09:00:00Z\n",
    )
    error = rejected(path, default_timezone="Europe/Helsinki")
    ((row, column, reason),) = reasons(error)
    assert (row, column) == (3, "timestamp")
    assert "no time zone while 2 other rows have one (mixed zones)" in reason


def test_naive_times_are_read_in_the_given_zone(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "case,activity,timestamp\n"
        "1,A,2024-06-01 12:00\n"
        "1,B,2024-12-01 12:00:30.5\n"
        "1,C,2024-12-02\n",
    )
    error = rejected(path)
    assert error.problems[0].row == 2 and "default_timezone" in error.problems[0].reason
    log = read_events(path, default_timezone="Europe/Helsinki")
    assert log.events["timestamp"].to_list() == [
        datetime(2024, 6, 1, 9, 0, tzinfo=UTC),  # summer: UTC+3
        datetime(2024, 12, 1, 10, 0, 30, 500000, tzinfo=UTC),  # winter: UTC+2
        datetime(2024, 12, 1, 22, 0, tzinfo=UTC),
    ]


def test_local_times_that_do_not_exist_or_repeat_are_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "case,activity,timestamp\n"
        "1,A,2024-03-31 03:30\n"  # clocks jump 03:00 → 04:00 in Helsinki
        "1,B,2024-10-27 03:30\n"  # and 04:00 → 03:00: this hour happens twice
        "1,C,2024-10-28 03:30\n",
    )
    error = rejected(path, default_timezone="Europe/Helsinki")
    assert [p.row for p in error.problems] == [2, 3]
    assert "daylight-saving" in error.problems[0].reason


def test_different_offsets_are_fine_and_listed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "case,activity,timestamp\n1,A,2024-03-30T12:00:00+02:00\n1,B,2024-04-01T12:00:00+0300\n",
    )
    log = read_events(path)
    assert log.utc_offsets == ("+02:00", "+0300")
    assert [t.hour for t in log.events["timestamp"]] == [10, 9]


def test_explicit_timestamp_format(tmp_path: Path) -> None:
    path = write(tmp_path, "case,activity,timestamp\n1,A,31.12.2024 23:30\n1,B,1.1.2025 0:15\n")
    log = read_events(path, timestamp_format="%d.%m.%Y %H:%M", default_timezone="UTC")
    assert log.events["timestamp"].to_list() == [
        datetime(2024, 12, 31, 23, 30, tzinfo=UTC),
        datetime(2025, 1, 1, 0, 15, tzinfo=UTC),
    ]


def test_unsorted_input_comes_out_by_case_and_time_with_ties_in_file_order(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "case,activity,timestamp\n"
        "b,Second,2024-01-02T00:00:00Z\n"
        "a,Tie1,2024-01-01T00:00:00Z\n"
        "b,First,2024-01-01T00:00:00Z\n"
        "a,Tie2,2024-01-01T00:00:00Z\n",
    )
    log = read_events(path)
    assert log.events.select("case", pl.col("activity").cast(str)).rows() == [
        ("a", "Tie1"), ("a", "Tie2"), ("b", "First"), ("b", "Second"),
    ]  # fmt: skip


def test_columns_that_are_not_there_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, "id,step,when\n1,A,2024-01-01T00:00:00Z\n")
    error = rejected(path, case="customer", activity="step")
    assert [(p.column, p.reason.split(";")[0]) for p in error.problems] == [
        ("customer", "column 'customer' (for case) is not in the file"),
        ("timestamp", "no timestamp column: name it (columns are id, step, when)"),
    ]


def test_arguments_are_checked(tmp_path: Path) -> None:
    path = write(tmp_path, "case,activity,timestamp\n1,A,2024-01-01T00:00:00Z\n")
    with pytest.raises(ValueError, match="unknown time zone"):
        read_events(path, default_timezone="Mars/Olympus")
    with pytest.raises(ValueError, match="duplicates"):
        read_events(path, duplicates="keep")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not an event log"):
        event_format("log.xlsx")


def test_problems_are_capped_but_counted(tmp_path: Path) -> None:
    rows = "".join(f"{i},A,never\n" for i in range(MAX_REPORTED + 50))
    error = rejected(write(tmp_path, "case,activity,timestamp\n" + rows))
    assert len(error.problems) == MAX_REPORTED and error.total == MAX_REPORTED + 50


def test_a_broken_csv_is_rejected_not_crashed(tmp_path: Path) -> None:
    path = write(tmp_path, 'case,activity,timestamp\n1,"A,2024-01-01T00:00:00Z\n2,B\n')
    error = rejected(path)
    assert error.problems[0].reason.startswith("cannot read") or error.total >= 1


def test_parquet_with_typed_timestamps(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "case": ["1", "1", ""],
            "activity": ["A", "B", "A"],
            "at": [datetime(2024, 1, 1, 12), datetime(2024, 1, 1, 13), None],
        }
    )
    naive = tmp_path / "naive.parquet"
    frame.write_parquet(naive)
    error = rejected(naive, timestamp="at")
    assert sorted(reasons(error), key=str) == sorted(
        [
            (4, "case", "empty case id"),
            (4, "at", "missing timestamp"),
            (None, "at", error.problems[-1].reason),
        ],
        key=str,
    )
    aware = tmp_path / "aware.parquet"
    frame.head(2).with_columns(pl.col("at").dt.replace_time_zone("America/New_York")).write_parquet(
        aware
    )
    log = read_events(aware, timestamp="at")
    assert log.events["timestamp"][0] == datetime(2024, 1, 1, 17, tzinfo=UTC)
    days = tmp_path / "days.parquet"
    pl.DataFrame({"case": ["1"], "activity": ["A"], "timestamp": [date(2024, 5, 1)]}).write_parquet(
        days
    )
    assert read_events(days, default_timezone="UTC").events["timestamp"][0] == datetime(
        2024, 5, 1, tzinfo=UTC
    )


XES_HEAD = '<?xml version="1.0"?>\n<log>\n'


def test_xes_problems_name_the_line_of_the_event(tmp_path: Path) -> None:
    text = (
        XES_HEAD
        + '<trace><string key="concept:name" value="t1"/>\n'
        + '<event><string key="concept:name" value="A"/>'
        + '<date key="time:timestamp" value="2024-01-01T00:00:00+01:00"/></event>\n'
        + '<event><string key="concept:name" value="B"/></event>\n'
        + "</trace>\n</log>\n"
    )
    error = rejected(write(tmp_path, text, "log.xes"))
    assert reasons(error) == [(5, "time:timestamp", "missing timestamp")]
    broken = write(tmp_path, XES_HEAD + "<trace><event></trace>", "broken.xes")
    problem = rejected(broken).problems[0]
    assert problem.row == 3 and "not well-formed" in problem.reason


cells = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "A",
            "B",
            "x,y",
            '"',
            "2024-01-01T00:00:00Z",
            "2024-02-30 10:00",
            "2024-01-01 10:00",
            "10:00+02:00",
            "Z",
        ]
    ),
    st.text(max_size=6),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(cells, cells, cells), max_size=8))
def test_fuzzed_csv_is_either_read_or_rejected(tmp_path: Path, rows: list[tuple[str, ...]]) -> None:
    def quoted(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    text = "case,activity,timestamp\n" + "".join(
        ",".join(quoted(c) for c in row) + "\n" for row in rows
    )
    path = write(tmp_path, text, "fuzz.csv")
    try:
        log = read_events(path, default_timezone="UTC")
    except ImportRejected as error:
        total = error.total
        assert total >= 1 and len(error.problems) >= 1  # noqa: PT017 (either outcome is valid)
        return
    assert log.events.height + log.duplicates_dropped == len(rows)
    assert log.events["timestamp"].null_count() == 0


def stamps_of(tmp_path: Path, *cells: str, **options: object) -> list[datetime]:
    rows = "".join(f"c1,Step{i},{cell}\n" for i, cell in enumerate(cells))
    path = write(tmp_path, "case_id,activity,timestamp\n" + rows)
    log = read_events(path, default_timezone="UTC", **options)  # type: ignore[arg-type]
    return sorted(log.events["timestamp"].to_list())


def test_slashed_dates_that_no_date_settles_are_refused_with_both_formats(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "case_id,activity,timestamp\nc1,Quote,01/02/2026 10:00\nc1,Order,01/03/2026 11:00\n",
    )
    error = rejected(path, default_timezone="UTC")
    ((row, column, reason),) = reasons(error)
    assert (row, column) == (2, "timestamp")
    assert reason.startswith("'01/02/2026 10:00' can be read day-first or month-first")
    assert "--timestamp-format" in reason
    assert "'%d/%m/%Y %H:%M' or '%m/%d/%Y %H:%M'" in reason
    twelve = write(tmp_path, "case_id,activity,timestamp\nc1,Quote,1/5/2026 10:00 AM\n", "12h.csv")
    assert "'%d/%m/%Y %I:%M %p' or '%m/%d/%Y %I:%M %p'" in rejected(twelve).problems[0].reason


def test_a_named_format_settles_what_the_dates_cannot(tmp_path: Path) -> None:
    assert stamps_of(
        tmp_path, "01/02/2026 10:00", "01/03/2026 11:00", timestamp_format="%m/%d/%Y %H:%M"
    ) == [datetime(2026, 1, 2, 10, tzinfo=UTC), datetime(2026, 1, 3, 11, tzinfo=UTC)]
    error = rejected(
        write(tmp_path, "case_id,activity,timestamp\nc1,A,2026-01-02 10:00\n"),
        default_timezone="UTC",
        timestamp_format="%m/%d/%Y %H:%M",
    )
    assert reasons(error) == [
        (2, "timestamp", "cannot read '2026-01-02 10:00' as a date and time in the format "
         "'%m/%d/%Y %H:%M'"),
    ]  # fmt: skip


def test_one_date_with_a_day_above_12_settles_the_whole_column(tmp_path: Path) -> None:
    # a US log: 11/25 can only be month-first, so 01/02 is January 2nd
    assert stamps_of(tmp_path, "01/02/2026 10:00", "11/25/2026 10:00") == [
        datetime(2026, 1, 2, 10, tzinfo=UTC),
        datetime(2026, 11, 25, 10, tzinfo=UTC),
    ]
    # a European one: 25/11 can only be day-first, so 01/02 is February 1st
    assert stamps_of(tmp_path, "01/02/2026 10:00", "25/11/2026 10:00") == [
        datetime(2026, 2, 1, 10, tzinfo=UTC),
        datetime(2026, 11, 25, 10, tzinfo=UTC),
    ]


def test_twelve_hour_clocks_and_short_numbers(tmp_path: Path) -> None:
    assert stamps_of(tmp_path, "1/5/2026 10:00 AM", "1/25/2026 1:05 PM", "1/26/2026 12:00 AM") == [
        datetime(2026, 1, 5, 10, tzinfo=UTC),
        datetime(2026, 1, 25, 13, 5, tzinfo=UTC),
        datetime(2026, 1, 26, 0, 0, tzinfo=UTC),
    ]


def test_a_date_against_the_columns_order_is_named_as_such(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "case_id,activity,timestamp\n"
        "c1,A,25/12/2026 10:00\n"
        "c1,B,26/12/2026 10:00\n"
        "c1,C,12/27/2026 10:00\n",
    )
    error = rejected(path, default_timezone="UTC")
    assert reasons(error) == [
        (4, "timestamp", "cannot read '12/27/2026 10:00' as a date and time (read day-first, "
         "as the column's other dates are)"),
    ]  # fmt: skip


def test_other_spellings_of_dates_and_zones(tmp_path: Path) -> None:
    assert stamps_of(tmp_path, "05.01.2026 10:00", "2026/01/06 11:00", "7-7-2026 09:30:15") == [
        datetime(2026, 1, 5, 10, tzinfo=UTC),  # dotted dates are day-first
        datetime(2026, 1, 6, 11, tzinfo=UTC),
        datetime(2026, 7, 7, 9, 30, 15, tzinfo=UTC),  # the same read either way
    ]
    dashed = write(tmp_path, "case_id,activity,timestamp\nc1,A,06-01-2026 10:00\n", "d.csv")
    assert "'%d-%m-%Y %H:%M' or '%m-%d-%Y %H:%M'" in rejected(dashed).problems[0].reason
    path = write(
        tmp_path,
        "case_id,activity,timestamp\n"
        "c1,A,2026-01-05 10:00:00 UTC\n"
        "c1,B,2026-01-06 11:00 +02:00\n"
        "c1,C,2026-01-07 9:05+0100\n",
    )
    log = read_events(path)
    assert log.events["timestamp"].to_list() == [
        datetime(2026, 1, 5, 10, tzinfo=UTC),
        datetime(2026, 1, 6, 9, tzinfo=UTC),
        datetime(2026, 1, 7, 8, 5, tzinfo=UTC),
    ]
    assert log.utc_offsets == ("+00:00", "+0100", "+02:00")
