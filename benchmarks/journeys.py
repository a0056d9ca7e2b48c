"""Benchmark: journey analytics of outsidein against pm4py on the same event log.

Builds logs of 1 M and 10 M events by replicating the eventdataR traffic-fines log (34,724
events, 10,000 cases; MIT) with new case ids and times shifted by one hour per copy, writes them
as Parquet under a temporary folder, and times, for each tool on the same file:

- import: outsidein ``read_events`` (validation, time zones, duplicates) / pm4py
  ``pandas.read_parquet`` + ``format_dataframe``;
- DFG: ``order_journeys`` + ``directly_follows`` / ``discover_dfg``;
- variants: ``variants`` / ``get_variants``;
- throughput: ``throughput`` / ``get_all_case_durations`` + median.

Both must agree on cases, events, variants (with their counts), DF edges (with their counts) and
the median throughput; the script exits non-zero otherwise. pm4py (AGPL) runs in a subprocess
of ``--peer-python`` so that the runtime environment never needs it.

``--events 100000000`` builds a 100 M-event Parquet and analyses it in a subprocess, reporting
wall time and peak resident memory; pm4py is skipped at that size, with its memory extrapolated
from the largest size it ran in the same call (e.g. ``--events 10000000 --events 100000000``).

Run: ``python benchmarks/journeys.py --peer-python /work/venvs/journeys-bench/bin/python``
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO.parent / "shared" / "data" / "eventdataR" / "traffic_fines.csv"
STEPS = ("import", "dfg", "variants", "throughput")


def build_log(events: int, folder: Path) -> Path:
    """Replicate traffic fines into a Parquet file of exactly ``events`` events."""
    import polars as pl
    import pyarrow.parquet as pq

    target = folder / f"traffic_fines_{events}.parquet"
    if target.exists():
        return target
    base = pl.read_csv(SOURCE, infer_schema=False).select(
        "case_id",
        "activity",
        pl.col("timestamp").str.to_datetime("%Y-%m-%d", time_zone="UTC", time_unit="us"),
        "resource",
        pl.col("paymentamount").cast(pl.Float64),
    )
    copies = -(-events // base.height)
    per_chunk = max(1, 2_000_000 // base.height)
    written = 0
    writer: pq.ParquetWriter | None = None
    for first in range(0, copies, per_chunk):
        chunk = pl.concat(
            base.with_columns(
                pl.col("case_id") + f"-{copy}",
                pl.col("timestamp") + pl.duration(hours=copy),
            )
            for copy in range(first, min(copies, first + per_chunk))
        ).head(events - written)
        table = chunk.to_arrow()
        if writer is None:
            writer = pq.ParquetWriter(target.with_suffix(".tmp"), table.schema)
        writer.write_table(table, row_group_size=1_000_000)
        written += chunk.height
    assert writer is not None
    writer.close()
    target.with_suffix(".tmp").rename(target)
    return target


def run_outsidein(path: Path) -> dict[str, Any]:
    """Time outsidein's import, DFG, variants and throughput; return times and results."""
    from outsidein.core.journeys import directly_follows, order_journeys, throughput, variants
    from outsidein.io.events import read_events

    times: dict[str, float] = {}
    start = time.perf_counter()
    imported = read_events(path, case="case_id", activity="activity", timestamp="timestamp")
    times["import"] = time.perf_counter() - start
    start = time.perf_counter()
    journeys = order_journeys(imported.events, grouped_by_case=True)
    graph = directly_follows(journeys, min_cases=1)
    times["dfg"] = time.perf_counter() - start
    start = time.perf_counter()
    found = variants(journeys, min_cases=1)
    times["variants"] = time.perf_counter() - start
    start = time.perf_counter()
    (overall,) = throughput(journeys, min_cases=1)
    times["throughput"] = time.perf_counter() - start
    return {
        "times": times,
        "cases": journeys.cases.height,
        "events": journeys.steps.height,
        "duplicates_dropped": imported.duplicates_dropped,
        "variants": sorted([list(v.steps), v.count] for v in found.variants),
        "edges": sorted([e.source, e.target, e.count] for e in graph.edges),
        "median_throughput": overall.median_seconds,
        "peak_rss_gib": peak_rss_gib(),
    }


def peak_rss_gib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def run_pm4py(path: Path) -> dict[str, Any]:
    """The same four steps in pm4py (run under the peer interpreter)."""
    import pandas as pd
    import pm4py

    times: dict[str, float] = {}
    start = time.perf_counter()
    frame = pd.read_parquet(path)
    frame = pm4py.format_dataframe(
        frame, case_id="case_id", activity_key="activity", timestamp_key="timestamp"
    )
    times["import"] = time.perf_counter() - start
    start = time.perf_counter()
    dfg, _, _ = pm4py.discover_dfg(frame)
    times["dfg"] = time.perf_counter() - start
    start = time.perf_counter()
    found = pm4py.get_variants(frame)
    times["variants"] = time.perf_counter() - start
    start = time.perf_counter()
    durations = pm4py.get_all_case_durations(frame)
    median = float(statistics.median(durations))
    times["throughput"] = time.perf_counter() - start
    return {
        "times": times,
        "cases": int(frame["case:concept:name"].nunique()),
        "events": len(frame),
        "variants": sorted([list(steps), int(count)] for steps, count in found.items()),
        "edges": sorted([a, b, int(count)] for (a, b), count in dfg.items()),
        "median_throughput": median,
        "version": pm4py.__version__,
        "peak_rss_gib": peak_rss_gib(),
    }


def run_large(path: Path) -> dict[str, Any]:
    """Import and summarise a large log; report wall time and peak resident memory."""
    from outsidein.core.journeys import order_journeys, summarize_journeys
    from outsidein.io.events import read_events

    start = time.perf_counter()
    imported = read_events(path, case="case_id", activity="activity", timestamp="timestamp")
    loaded = time.perf_counter() - start
    summary = summarize_journeys(
        order_journeys(imported.events, grouped_by_case=True), min_cases=1
    )
    total = time.perf_counter() - start
    return {
        "events": summary.events,
        "cases": summary.cases,
        "variants": summary.variants.total,
        "edges": len(summary.graph.edges),
        "import_seconds": loaded,
        "total_seconds": total,
        "peak_rss_gib": peak_rss_gib(),
    }


def worker(
    kind: str, path: Path, python: str, timeout: float | None, warm_up: Path | None = None
) -> dict[str, Any]:
    """Run one worker in a fresh interpreter (own peak memory) and read its JSON.

    With ``warm_up`` the worker first runs the same steps, untimed, on that small log, so that
    neither tool is charged for loading its libraries.
    """
    command = [python, str(Path(__file__).resolve()), "--worker", kind, "--file", str(path)]
    if warm_up is not None:
        command += ["--warm-up", str(warm_up)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} worker failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def same_results(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """Names of the results where outsidein and pm4py disagree."""
    keys = ("cases", "events", "variants", "edges", "median_throughput")
    return [key for key in keys if ours[key] != theirs[key]]


def compare(
    events: int, folder: Path, peer: str | None, repeat: int, timeout: float
) -> tuple[bool, dict[str, Any] | None]:
    path = build_log(events, folder)
    small = build_log(34_724, folder)
    runs = [worker("outsidein", path, sys.executable, None, small) for _ in range(repeat)]
    ours = min(runs, key=lambda run: sum(run["times"].values()))
    print(f"\n{events:,} events ({path.name}); outsidein best of {repeat} runs")
    theirs: dict[str, Any] | None = None
    if peer is None:
        print("  pm4py: skipped (no --peer-python given)")
    else:
        try:
            theirs = worker("pm4py", path, peer, timeout, small)
        except subprocess.TimeoutExpired:
            print(f"  pm4py: skipped, did not finish within {timeout:.0f} s")
    print(f"  {'step':<11}{'outsidein s':>13}{'pm4py s':>11}{'ratio':>9}")
    for step in (*STEPS, "total"):
        mine = sum(ours["times"].values()) if step == "total" else ours["times"][step]
        if theirs is None:
            print(f"  {step:<11}{mine:>13.3f}{'-':>11}{'-':>9}")
            continue
        peer_time = sum(theirs["times"].values()) if step == "total" else theirs["times"][step]
        print(f"  {step:<11}{mine:>13.3f}{peer_time:>11.3f}{peer_time / mine:>8.1f}x")
    print(
        f"  cases {ours['cases']:,}, events {ours['events']:,}, variants "
        f"{len(ours['variants']):,}, DF edges {len(ours['edges'])}, median throughput "
        f"{ours['median_throughput']:.0f} s, duplicates dropped {ours['duplicates_dropped']}"
    )
    peer_memory = "" if theirs is None else f", pm4py {theirs['peak_rss_gib']:.2f} GiB"
    print(f"  peak RSS: outsidein {ours['peak_rss_gib']:.2f} GiB{peer_memory}")
    if theirs is None:
        return True, None
    differ = same_results(ours, theirs)
    if differ:
        print(f"  MISMATCH with pm4py {theirs['version']} on: {', '.join(differ)}")
        return False, theirs
    print(
        f"  same counts as pm4py {theirs['version']}: cases, events, variants with counts, "
        "DF edges with counts, median throughput"
    )
    return True, theirs


def large(events: int, folder: Path, peer_runs: dict[int, dict[str, Any]]) -> None:
    start = time.perf_counter()
    path = build_log(events, folder)
    print(
        f"\n{events:,} events: Parquet built in {time.perf_counter() - start:.0f} s "
        f"({path.stat().st_size / 2**30:.2f} GiB)"
    )
    result = worker("large", path, sys.executable, None)
    print(
        f"  outsidein import {result['import_seconds']:.1f} s, import + all journey measures "
        f"{result['total_seconds']:.1f} s, peak RSS {result['peak_rss_gib']:.2f} GiB\n"
        f"  cases {result['cases']:,}, events {result['events']:,}, variants "
        f"{result['variants']:,}, DF edges {result['edges']}"
    )
    if not peer_runs:
        print("  pm4py: skipped (run a smaller size with --peer-python for an extrapolation)")
        return
    size = max(peer_runs)
    run = peer_runs[size]
    scale = events / size
    print(
        f"  pm4py: skipped; at {size:,} events it took {sum(run['times'].values()):.0f} s and "
        f"peaked at {run['peak_rss_gib']:.1f} GiB, so {events:,} would need about "
        f"{run['peak_rss_gib'] * scale:.0f} GiB (linear extrapolation) on a machine with "
        f"{physical_memory_gib():.0f} GiB"
    )


def physical_memory_gib() -> float:
    import os

    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--events", type=int, action="append", help="log sizes (default 1,000,000 and 10,000,000)"
    )
    parser.add_argument("--peer-python", help="interpreter with pm4py installed")
    parser.add_argument("--repeat", type=int, default=3, help="outsidein runs per size")
    parser.add_argument("--peer-timeout", type=float, default=1800.0, help="seconds")
    parser.add_argument("--folder", type=Path, help="where to keep the logs (default: temp)")
    parser.add_argument("--worker", choices=["outsidein", "pm4py", "large"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--warm-up", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run = {"outsidein": run_outsidein, "pm4py": run_pm4py, "large": run_large}[args.worker]
        if args.warm_up is not None:
            run(args.warm_up)
        print(json.dumps(run(args.file)))
        return 0
    sizes = args.events or [1_000_000, 10_000_000]
    with tempfile.TemporaryDirectory(prefix="journeys-bench-") as temporary:
        folder = args.folder or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        ok = True
        peer_runs: dict[int, dict[str, Any]] = {}
        for events in sorted(sizes):
            if events >= 50_000_000:
                large(events, folder, peer_runs)
                continue
            fine, theirs = compare(events, folder, args.peer_python, args.repeat, args.peer_timeout)
            ok = fine and ok
            if theirs is not None:
                peer_runs[events] = theirs
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
