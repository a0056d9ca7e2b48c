"""The journeys-analyze use case: summary.json shape and numbers, with and without a model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outsidein.io.problems import ImportRejected
from outsidein.services.journeys import analyze_event_file, write_summary

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
EXAMPLE = SHARED / "pm4py_running_example" / "running-example.xes"
MODEL = Path(__file__).resolve().parents[1] / "data" / "journeys" / "running_example_model.yaml"
BASE_KEYS = {
    "cases",
    "events",
    "activities",
    "variants",
    "anonymity_threshold",
    "top_variants",
    "rare_variants",
    "hidden_edges",
    "edges",
    "throughput_seconds",
}


@pytest.fixture
def example() -> Path:
    if not EXAMPLE.is_file():
        pytest.skip(f"shared data sets not found at {SHARED}")
    return EXAMPLE


def test_summary_without_a_model(example: Path, tmp_path: Path) -> None:
    analysis = analyze_event_file(example)
    summary = analysis.to_dict()
    assert set(summary) == BASE_KEYS
    assert (summary["cases"], summary["events"], summary["activities"], summary["variants"]) == (
        6, 42, 8, 6,
    )  # fmt: skip
    # pm4py get_all_case_durations → median, and numpy.quantile(durations, 0.9)
    assert summary["throughput_seconds"] == {"median": 815940.0, "p90": pytest.approx(1472610.0)}
    # 6 journeys, each on its own path; no arc is taken by 5 of them ("check ticket" →
    # "decide" 6 times, but by 4 journeys: two loop back): the threshold counts journeys
    assert summary["anonymity_threshold"] == 5
    assert summary["edges"] == [] and summary["hidden_edges"] == 16
    assert summary["top_variants"] == []
    assert summary["rare_variants"] == {"variants": 6, "cases": 6}
    everything = analyze_event_file(example, min_cases=1).to_dict()
    edges = everything["edges"]
    assert isinstance(edges, list) and len(edges) == 16
    assert edges[0] == {
        "from": "check ticket",
        "to": "decide",
        "count": 6,
        "median_seconds": 129300.0,
    }
    top = everything["top_variants"]
    assert isinstance(top, list) and len(top) == 6
    assert all(set(v) == {"steps", "count"} for v in top)
    written = write_summary(analysis, tmp_path / "out")
    assert written.name == "summary.json"
    assert json.loads(written.read_text(encoding="utf-8")) == json.loads(json.dumps(summary))
    json.dumps(analysis.to_full_dict())


def test_summary_with_the_staff_model(example: Path) -> None:
    # fewer than 5 journeys skip each step: nothing is named at the default threshold
    default = analyze_event_file(example, model_path=MODEL).to_dict()
    assert default["skipped_steps"] == [] and default["deviations"] == []
    assert default["fitness"] == pytest.approx(0.9148148148148149)  # every journey counts
    analysis = analyze_event_file(example, model_path=MODEL, min_cases=1)
    summary = analysis.to_dict()
    assert set(summary) == BASE_KEYS | {
        "fitness",
        "unknown_activities",
        "skipped_steps",
        "deviations",
    }
    assert summary["fitness"] == pytest.approx(0.9148148148148149)  # pm4py averageFitness
    assert summary["unknown_activities"] == []
    skipped = summary["skipped_steps"]
    assert isinstance(skipped, list) and skipped
    assert all(set(s) == {"step", "cases", "share"} for s in skipped)
    assert sum(s["cases"] for s in skipped) == 3  # one model move in each of 3 misfit cases
    assert analysis.ecosystem.served_by_nobody == ()
    assert analysis.summary.drop_off.end_steps == ("pay compensation", "reject request")
    assert analysis.summary.drop_off.completion[0].share == 1.0
    errors = {(e.quantity, e.step): e for e in analysis.estimate_errors}
    assert errors[("completion_share", None)].error == pytest.approx(0.1)


def test_grouped_analysis_and_rejected_input(tmp_path: Path) -> None:
    rows = "".join(
        f"{i},Visit,2024-01-01T0{i}:00:00Z,{'web' if i < 5 else 'store'}\n"
        f"{i},Buy,2024-01-01T0{i}:30:00Z,{'web' if i < 5 else 'store'}\n"
        for i in range(7)
    )
    path = tmp_path / "visits.csv"
    path.write_text("case,activity,timestamp,channel\n" + rows, encoding="utf-8")
    analysis = analyze_event_file(path, channel="channel", by="channel")
    assert analysis.grouped is not None
    # "store" has 2 cases, below 5; the 7 cases of the whole log minus web's 5 would give
    # them away, so web is hidden too
    assert analysis.grouped.suppressed_groups == 2
    assert analysis.grouped.throughput == () and analysis.grouped.cases == 0
    assert analysis.to_dict()["cases"] == 7
    bad = tmp_path / "bad.csv"
    bad.write_text("case,activity,timestamp\n1,A,\n", encoding="utf-8")
    with pytest.raises(ImportRejected):
        analyze_event_file(bad)
