"""Journey counts and fitness on real logs equal pm4py's, stored as golden values.

The expected numbers were computed once with pm4py 2.7.23.11 (in a separate environment; pm4py
is AGPL and never a dependency of outsidein): ``pm4py.format_dataframe`` on the CSVs (or
``pm4py.read_xes``), then ``discover_dfg``, ``get_variants``, ``get_all_case_durations`` and,
for fitness, ``conformance_diagnostics_alignments`` on the process tree equivalent to
``tests/data/journeys/running_example_model.yaml``. ``test_journeys_pm4py.py`` recomputes them
live wherever pm4py is installed.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from outsidein.core.conformance import conformance
from outsidein.core.journeys import JourneySteps, order_journeys, summarize_journeys
from outsidein.io.events import read_events
from outsidein.io.journey_model import read_journey_model

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
MODEL = Path(__file__).resolve().parents[1] / "data" / "journeys" / "running_example_model.yaml"


@pytest.fixture(scope="module")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data sets not found at {SHARED} (they live beside the repository)")
    return SHARED


LOGS = {
    "patients": (
        "eventdataR/patients.csv",
        {"case": "patient", "activity": "handling", "timestamp": "time"},
    ),
    "patients_complete": (
        "eventdataR/patients.csv",
        {
            "case": "patient",
            "activity": "handling",
            "timestamp": "time",
            "lifecycle": "registration_type",
        },
    ),
    "traffic_fines": (
        "eventdataR/traffic_fines.csv",
        {"case": "case_id", "default_timezone": "UTC"},
    ),
    "running_example": ("pm4py_running_example/running-example.xes", {}),
}

# pm4py 2.7.23.11: cases, events, variants, DF edges, sum of DF edge counts, median case
# duration (s). patients_complete: pm4py on the rows with registration_type == "complete".
PM4PY = {
    "patients": (500, 5442, 13, 16, 4942, 525788.0),
    "patients_complete": (500, 2721, 7, 7, 2221, None),
    "traffic_fines": (10000, 34724, 44, 40, 24724, 10800000.0),
    "running_example": (6, 42, 6, 16, 36, 815940.0),
}


def journeys_of(shared: Path, name: str) -> JourneySteps:
    relative, options = LOGS[name]
    return order_journeys(read_events(shared / relative, **options).events)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(PM4PY))
def test_counts_equal_pm4py(shared_data: Path, name: str) -> None:
    summary = summarize_journeys(journeys_of(shared_data, name), min_cases=1)
    cases, events, n_variants, n_edges, edge_total, median = PM4PY[name]
    assert (summary.cases, summary.events) == (cases, events)
    assert summary.variants.total == n_variants
    assert sum(v.count for v in summary.variants.variants) <= cases
    assert (len(summary.graph.edges), sum(e.count for e in summary.graph.edges)) == (
        n_edges, edge_total,
    )  # fmt: skip
    if median is not None:  # with start events our throughput starts at the first start
        assert summary.throughput[0].median_seconds == median


def test_traffic_fines_start_and_end_activities_equal_pm4py(shared_data: Path) -> None:
    graph = summarize_journeys(journeys_of(shared_data, "traffic_fines"), min_cases=1).graph
    assert {p.activity: p.count for p in graph.starts} == {"Create Fine": 10000}
    assert {p.activity: p.count for p in graph.ends} == {
        "Send Fine": 1893, "Send for Credit Collection": 3384, "Payment": 4535,
        "Send Appeal to Prefecture": 182, "Appeal to Judge": 5,
        "Notify Result Appeal to Offender": 1,
    }  # fmt: skip
    top = summarize_journeys(journeys_of(shared_data, "traffic_fines")).variants.variants[0]
    assert (top.steps, top.count) == (("Create Fine", "Payment"), 3428)


def test_running_example_graph_equals_pm4py(shared_data: Path) -> None:
    graph = summarize_journeys(journeys_of(shared_data, "running_example"), min_cases=1).graph
    assert sorted((e.source, e.target, e.count) for e in graph.edges) == [
        ("check ticket", "decide", 6), ("check ticket", "examine casually", 2),
        ("check ticket", "examine thoroughly", 1), ("decide", "pay compensation", 3),
        ("decide", "reinitiate request", 3), ("decide", "reject request", 3),
        ("examine casually", "check ticket", 4), ("examine casually", "decide", 2),
        ("examine thoroughly", "check ticket", 2), ("examine thoroughly", "decide", 1),
        ("register request", "check ticket", 2), ("register request", "examine casually", 3),
        ("register request", "examine thoroughly", 1), ("reinitiate request", "check ticket", 1),
        ("reinitiate request", "examine casually", 1),
        ("reinitiate request", "examine thoroughly", 1),
    ]  # fmt: skip


def test_running_example_fitness_equals_pm4py_alignments(shared_data: Path) -> None:
    result = conformance(
        read_journey_model(MODEL), journeys_of(shared_data, "running_example"), min_cases=1
    )
    # pm4py trace fitness per case: 1.0, 0.8, 1.0, 0.8, 0.888..., 1.0; averageFitness below
    assert sorted(round(v.fitness, 6) for v in result.variants) == [
        0.8, 0.8, 0.888889, 1.0, 1.0, 1.0,
    ]  # fmt: skip
    assert result.fitness == pytest.approx(0.9148148148148149)
    assert result.fitting_share == 0.5  # pm4py percFitTraces 50.0
    assert statistics.mean(v.cost for v in result.variants) == 1.0
