"""An event log read against the events already stored, and stored logs merged: each event once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from outsidein.io.events import SOURCE, merge_event_logs, read_events
from outsidein.io.problems import ImportRejected

HEADER = "case_id,activity,timestamp,actor,amount\n"
JANUARY = (
    "c1,Quote,2026-01-30T10:00:00Z,anna,\n"
    "c1,Pay,2026-01-31T10:00:00Z,,5\n"
    "c1,Pay,2026-01-31T10:00:00Z,,7\n"  # a second payment at the same instant
    "c2,Quote,2026-01-31T12:00:00Z,ben,\n"
)
FEBRUARY = "c1,Order,2026-02-01T09:00:00Z,anna,\nc3,Quote,2026-02-02T09:00:00Z,ben,\n"


def write(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def stored_from(*logs: tuple[str, pl.DataFrame]) -> pl.DataFrame:
    return merge_event_logs(
        [events.with_columns(pl.lit(name).alias(SOURCE)) for name, events in logs]
    )


def steps(events: pl.DataFrame, case: str) -> list[str]:
    ordered = events.filter(pl.col("case") == case).sort("timestamp", maintain_order=True)
    return ordered["activity"].cast(pl.String).to_list()


def test_the_next_months_log_splices_onto_the_same_cases(tmp_path: Path) -> None:
    january = read_events(write(tmp_path, "jan.csv", JANUARY), actor="actor")
    february = read_events(
        write(tmp_path, "feb.csv", FEBRUARY),
        actor="actor",
        stored=stored_from(("jan.csv", january.events)),
    )
    assert (february.events.height, february.already_stored) == (2, 0)
    merged = merge_event_logs([january.events, february.events])
    assert steps(merged, "c1") == ["Quote", "Pay", "Pay", "Order"]


def test_a_log_stored_again_is_refused_naming_the_earlier_file(tmp_path: Path) -> None:
    january = read_events(write(tmp_path, "jan.csv", JANUARY), actor="actor")
    stored = stored_from(("jan.csv", january.events))
    again = tmp_path / "jan-again.csv"
    again.write_bytes(("\ufeff" + HEADER + JANUARY).replace("\n", "\r\n").encode("utf-8"))
    for policy in ("drop", "reject"):
        with pytest.raises(ImportRejected) as caught:
            read_events(again, actor="actor", stored=stored, duplicates=policy)
        (problem,) = caught.value.problems
        assert problem.row is None
        assert problem.reason.startswith(
            "every event of this file is already in the workspace (imported from jan.csv)"
        )


def test_an_overlapping_export_stores_only_what_is_new(tmp_path: Path) -> None:
    january = read_events(write(tmp_path, "jan.csv", JANUARY), actor="actor")
    stored = stored_from(("jan.csv", january.events))
    # the export of 31 January to 2 February: rows 3 to 5 are already stored
    overlap = write(tmp_path, "late-jan-feb.csv", JANUARY.split("\n", 1)[1] + FEBRUARY)
    log = read_events(overlap, actor="actor", stored=stored)
    assert (log.rows, log.already_stored, log.events.height) == (5, 3, 2)
    assert log.to_dict()["already_stored"] == 3
    assert sorted(log.events["activity"].cast(pl.String)) == ["Order", "Quote"]
    with pytest.raises(ImportRejected) as caught:
        read_events(overlap, actor="actor", stored=stored, duplicates="reject")
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "case_id"), (3, "case_id"), (4, "case_id"),
    ]  # fmt: skip
    assert caught.value.problems[0].reason == (
        "event already in the workspace (imported from jan.csv): same case, activity and time"
    )


def test_same_instant_events_count_as_many_times_as_stored(tmp_path: Path) -> None:
    once = read_events(write(tmp_path, "one.csv", "c1,Pay,2026-01-31T10:00:00Z,,5\n"))
    # the file has two same-instant payments; only one of them is stored
    both = write(
        tmp_path,
        "two.csv",
        "c1,Pay,2026-01-31T10:00:00Z,,5\nc1,Pay,2026-01-31T10:00:00Z,,7\n",
    )
    log = read_events(both, stored=stored_from(("one.csv", once.events)))
    assert (log.already_stored, log.events.height) == (1, 1)


def test_actor_and_lifecycle_tell_events_apart(tmp_path: Path) -> None:
    anna = read_events(
        write(tmp_path, "a.csv", "c1,Check,2026-01-31T10:00:00Z,anna,\n"), actor="actor"
    )
    ben = write(
        tmp_path,
        "b.csv",
        "c1,Check,2026-01-31T10:00:00Z,ben,\nc1,Check,2026-01-31T10:00:00Z,anna,\n",
    )
    log = read_events(ben, actor="actor", stored=stored_from(("a.csv", anna.events)))
    assert log.events["actor"].to_list() == ["ben"]


def test_merged_logs_hold_each_event_once_and_every_case_whole() -> None:
    def log(*rows: tuple[str, str, int]) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "case": [r[0] for r in rows],
                "activity": pl.Series([r[1] for r in rows], dtype=pl.Categorical),
                "timestamp": [datetime(2026, 1, r[2], tzinfo=UTC) for r in rows],
            }
        )

    first = log(("c1", "Quote", 1), ("c1", "Pay", 2), ("c1", "Pay", 2), ("c2", "Quote", 3))
    second = log(("c1", "Quote", 1), ("c1", "Pay", 2), ("c1", "Order", 4))
    third = log(("c1", "Pay", 2), ("c1", "Pay", 2), ("c1", "Pay", 2))
    merged = merge_event_logs([first, second, third])
    assert steps(merged, "c1") == ["Quote", "Pay", "Pay", "Pay", "Order"]
    assert steps(merged, "c2") == ["Quote"]
    assert merged.columns == ["case", "activity", "timestamp"]
    assert merge_event_logs([first]).equals(first)
    with pytest.raises(ValueError, match="at least one"):
        merge_event_logs([])
