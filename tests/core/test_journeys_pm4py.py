"""Live comparison with pm4py, where it is installed (never in the runtime environment: AGPL).

Run from a venv with pm4py (``--noconftest`` skips the Django set-up of tests/conftest.py), e.g.
``PYTHONPATH=src /work/venvs/journeys-bench/bin/python -m pytest --noconftest
tests/core/test_journeys_pm4py.py``.
Counts, per-edge and per-variant frequencies, median throughput and alignment fitness (on
process trees equivalent to our journey models) must agree exactly.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest

from outsidein.core.conformance import Element, JourneyModel, ModelStep, conformance
from outsidein.core.journeys import JourneySteps, order_journeys, summarize_journeys
from outsidein.io.events import read_events
from outsidein.io.journey_model import parse_journey_model, read_journey_model

pm4py = pytest.importorskip("pm4py")
pd = pytest.importorskip("pandas")

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
MODEL = Path(__file__).resolve().parents[1] / "data" / "journeys" / "running_example_model.yaml"


@pytest.fixture(scope="module")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data sets not found at {SHARED}")
    return SHARED


def pm4py_frame(shared: Path, name: str) -> Any:
    if name == "running_example":
        return pm4py.read_xes(str(shared / "pm4py_running_example" / "running-example.xes"))
    if name == "traffic_fines":
        frame = pd.read_csv(shared / "eventdataR" / "traffic_fines.csv")
        return pm4py.format_dataframe(
            frame, case_id="case_id", activity_key="activity", timestamp_key="timestamp"
        )
    frame = pd.read_csv(shared / "eventdataR" / "patients.csv")
    return pm4py.format_dataframe(
        frame, case_id="patient", activity_key="handling", timestamp_key="time"
    )


def ours(shared: Path, name: str) -> JourneySteps:
    if name == "running_example":
        log = read_events(shared / "pm4py_running_example" / "running-example.xes")
    elif name == "traffic_fines":
        log = read_events(
            shared / "eventdataR" / "traffic_fines.csv", case="case_id", default_timezone="UTC"
        )
    else:
        log = read_events(
            shared / "eventdataR" / "patients.csv",
            case="patient",
            activity="handling",
            timestamp="time",
        )
    return order_journeys(log.events)


@pytest.mark.parametrize("name", ["patients", "traffic_fines", "running_example"])
def test_same_counts_edges_variants_and_throughput(shared_data: Path, name: str) -> None:
    frame = pm4py_frame(shared_data, name)
    summary = summarize_journeys(ours(shared_data, name), top=10**6, min_cases=1)
    dfg, starts, ends = pm4py.discover_dfg(frame)
    assert {(e.source, e.target): e.count for e in summary.graph.edges} == dict(dfg)
    assert {p.activity: p.count for p in summary.graph.starts} == dict(starts)
    assert {p.activity: p.count for p in summary.graph.ends} == dict(ends)
    found = pm4py.get_variants(frame)
    assert {v.steps: v.count for v in summary.variants.variants} == {
        tuple(k): int(v) for k, v in found.items()
    }
    durations = pm4py.get_all_case_durations(frame)
    assert summary.throughput[0].median_seconds == pytest.approx(statistics.median(durations))
    assert summary.cases == len(durations)
    assert summary.events == len(frame)


def tree(elements: tuple[Element, ...]) -> str:
    """The pm4py process tree of a model: sequence ->, choice X, loop *(body, tau)."""
    parts = [_node(e) for e in elements]
    return parts[0] if len(parts) == 1 else "->(" + ", ".join(parts) + ")"


def _node(element: Element) -> str:
    if isinstance(element, ModelStep):
        text = "'" + element.activity + "'"
    else:
        paths = [tree(path) for path in element.alternatives]
        text = paths[0] if len(paths) == 1 else "X(" + ", ".join(paths) + ")"
    if element.repeatable:
        text = f"*({text}, tau)"
    if element.optional:
        text = f"X({text}, tau)"
    return text


def pm4py_fitness(model: JourneyModel, log: Any) -> list[float]:
    from pm4py.objects.process_tree.utils.generic import parse

    net, initial, final = pm4py.convert_to_petri_net(parse(tree(model.elements)))
    aligned = pm4py.conformance_diagnostics_alignments(log, net, initial, final)
    return sorted(round(a["fitness"], 9) for a in aligned)


TRAFFIC_MODEL = """
steps:
  - Create Fine
  - either:
      - Payment
      - - Send Fine
        - Insert Fine Notification
        - step: Add penalty
          optional: true
        - either: [Payment, Send for Credit Collection]
  - step: Payment
    optional: true
    repeatable: true
"""


@pytest.mark.parametrize("which", ["running_example", "traffic_fines"])
def test_fitness_equals_pm4py_alignments(shared_data: Path, which: str) -> None:
    if which == "running_example":
        model = read_journey_model(MODEL)
    else:
        model = parse_journey_model(TRAFFIC_MODEL)
    journeys = ours(shared_data, which)
    result = conformance(model, journeys, min_cases=1)
    ours_per_case = sorted(round(v.fitness, 9) for v in result.variants for _ in range(v.count))
    assert ours_per_case == pm4py_fitness(model, pm4py_frame(shared_data, which))
