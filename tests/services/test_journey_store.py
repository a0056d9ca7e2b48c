"""Event logs imported into a real workspace, file after file: journeys spliced by case, each
event once, every import all or nothing; and the `import events` command on such files."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from outsidein.cli import app
from outsidein.io.events import read_events
from outsidein.io.problems import ImportRejected
from outsidein.services.journeys import (
    import_events,
    process_evidence,
    store_parquet,
    workspace_events,
)
from outsidein.services.workspace import Workspace

HEADER = "case_id,activity,timestamp\n"
THREE = "c1,Quote,2026-01-05 10:00\nc1,Order,2026-01-06 11:00\nc2,Quote,2026-01-07 09:00\n"
BERLIN = "Europe/Berlin"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def excel_copy(folder: Path, name: str, content: str) -> Path:
    """The same log as Excel saves it: a UTF-8 byte-order mark and CRLF line ends."""
    return write(folder, name, ("\ufeff" + content).replace("\n", "\r\n").encode("utf-8"))


def variants(ws: Workspace) -> dict[tuple[str, ...], int]:
    """Every variant of the stored journeys: with a threshold of 1, none is left out."""
    evidence = process_evidence(ws, min_cases=1)
    assert evidence is not None
    return {v.steps: v.count for v in evidence.summary.variants.variants}


def parquet_files(ws: Workspace) -> list[Path]:
    return sorted((ws.path / "data").rglob("*.parquet"))


def test_the_same_log_in_another_encoding_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    import_events(
        workspace, excel_copy(tmp_path, "bom.csv", HEADER + THREE), default_timezone=BERLIN
    )
    stored = parquet_files(workspace)
    plain = write(tmp_path, "plain.csv", HEADER + THREE)
    with pytest.raises(ImportRejected, match=r"already in the workspace \(imported from bom.csv\)"):
        import_events(workspace, plain, default_timezone=BERLIN)
    assert parquet_files(workspace) == stored
    assert variants(workspace) == {("Quote", "Order"): 1, ("Quote",): 1}


def test_monthly_exports_splice_journeys_that_span_them(
    workspace: Workspace, tmp_path: Path
) -> None:
    january = write(
        tmp_path, "jan.csv", HEADER + "c1,Quote,2026-01-30 10:00\nc2,Quote,2026-01-31 10:00\n"
    )
    february = write(
        tmp_path, "feb.csv", HEADER + "c1,Order,2026-02-02 10:00\nc1,Pay,2026-02-03 10:00\n"
    )
    import_events(workspace, january, default_timezone=BERLIN)
    stored = import_events(workspace, february, default_timezone=BERLIN)
    assert (stored.rows, stored.detail["already_stored"]) == (2, 0)
    assert variants(workspace) == {("Quote", "Order", "Pay"): 1, ("Quote",): 1}


def test_an_overlapping_export_adds_only_its_new_events(
    workspace: Workspace, tmp_path: Path
) -> None:
    import_events(workspace, write(tmp_path, "jan.csv", HEADER + THREE), default_timezone=BERLIN)
    overlap = write(tmp_path, "jan-feb.csv", HEADER + THREE + "c2,Order,2026-02-01 10:00\n")
    with pytest.raises(ImportRejected) as caught:
        import_events(workspace, overlap, duplicates="reject", default_timezone=BERLIN)
    assert [p.row for p in caught.value.problems] == [2, 3, 4]
    assert len(parquet_files(workspace)) == 1
    stored = import_events(workspace, overlap, default_timezone=BERLIN)
    assert (stored.rows, stored.detail["already_stored"]) == (1, 3)
    assert variants(workspace) == {("Quote", "Order"): 2}


def test_events_stored_twice_before_count_once(workspace: Workspace, tmp_path: Path) -> None:
    """A workspace filled before imports were checked (or by two at once) holds one log twice."""
    for name in ("bom.csv", "plain.csv"):
        path = (excel_copy if name == "bom.csv" else write)(tmp_path, name, HEADER + THREE)
        log = read_events(path, default_timezone=BERLIN)
        store_parquet(workspace, log.events, kind="events", source=path, options={})
    assert len(parquet_files(workspace)) == 2
    events = workspace_events(workspace)
    assert events is not None and events.height == 3
    assert variants(workspace) == {("Quote", "Order"): 1, ("Quote",): 1}
    evidence = process_evidence(workspace, min_cases=1)
    assert evidence is not None
    assert all(step.repeat_events == 0 for step in evidence.summary.rework)


runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_import_events_command_reads_us_semicolon_logs(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = str(workspace.path)
    us = write(
        tmp_path,
        "us.csv",
        "case_id;activity;timestamp\n"
        "c1;Quote;01/02/2026 10:00 AM\n"
        "c1;Order;01/03/2026 1:30 PM\n"
        ";;\n",
    )
    code, _, err = run("import", "events", str(us), "-w", ws, "--timezone", "America/Chicago")
    assert code == 1 and "row 2" in err and "--timestamp-format" in err
    flags = ["--timezone", "America/Chicago", "--timestamp-format", "%m/%d/%Y %I:%M %p"]
    code, out, err = run("import", "events", str(us), "-w", ws, *flags, "--separator", ",")
    assert code == 1 and "no case column" in err
    code, out, err = run("import", "events", str(us), "-w", ws, *flags, "--separator", ";")
    assert code == 0, err
    assert (
        out.startswith("imported 2 events of 1 journeys from us.csv")
        and "(left out, blank rows: 1)" in out
    )
    events = workspace_events(workspace)
    assert events is not None
    assert events["timestamp"].dt.to_string("%Y-%m-%d %H:%M").to_list() == [
        "2026-01-02 16:00",  # 10:00 in Chicago, UTC-6
        "2026-01-03 19:30",
    ]
    tabbed = write(
        tmp_path, "tab.tsv", "case_id\tactivity\ttimestamp\nc9\tQuote\t2026-01-05 10:00\n"
    )
    code, out, err = run(
        "import", "events", str(tabbed), "-w", ws, *flags[:2], "--separator", "tab", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["rows"] == 1
    code, _, err = run("import", "events", str(us), "-w", ws, *flags)
    assert code == 1 and "already in the workspace (imported from us.csv)" in err
    assert pl.read_parquet(parquet_files(workspace)).height == 3
