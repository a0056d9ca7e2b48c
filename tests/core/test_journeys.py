"""Journey measures on small hand-computed logs, against naive Python, and on real logs."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outsidein.core.journeys import (
    directly_follows,
    drop_off,
    infer_end_steps,
    order_journeys,
    rework,
    summarize_journeys,
    throughput,
    variants,
    waiting_hot_spots,
)

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def log(rows: list[tuple[str, str, float]], **extra: list[str | None]) -> pl.DataFrame:
    """Events from (case, activity, hours after T0) rows, plus optional extra columns."""
    return pl.DataFrame(
        {
            "case": [r[0] for r in rows],
            "activity": [r[1] for r in rows],
            "timestamp": [T0 + timedelta(hours=r[2]) for r in rows],
            **extra,
        },
        schema_overrides={"timestamp": pl.Datetime("us", "UTC")},
    )


# a: A B C; b: A C; c: A B C B (a loop back to B)
SMALL = [
    ("a", "A", 0), ("a", "B", 1), ("a", "C", 3),
    ("b", "A", 0), ("b", "C", 2),
    ("c", "A", 0), ("c", "B", 2), ("c", "C", 3), ("c", "B", 4),
]  # fmt: skip


def test_directly_follows_counts_and_durations_by_hand() -> None:
    graph = directly_follows(order_journeys(log(SMALL)), min_cases=1)
    edges = {(e.source, e.target): (e.count, e.median_seconds, e.p90_seconds) for e in graph.edges}
    # A→B waits 1 h and 2 h: median 1.5 h; p90 = 3600 + 0.9 × 3600 (linear interpolation)
    assert edges == {
        ("A", "B"): (2, 5400.0, 6840.0),
        ("B", "C"): (2, 5400.0, 6840.0),
        ("A", "C"): (1, 7200.0, 7200.0),
        ("C", "B"): (1, 3600.0, 3600.0),
    }
    assert [e.count for e in graph.edges] == [2, 2, 1, 1]
    assert [(p.activity, p.count) for p in graph.starts] == [("A", 3)]
    assert [(p.activity, p.count) for p in graph.ends] == [("C", 2), ("B", 1)]
    assert graph.to_frame().height == 4


def test_variants_throughput_rework_by_hand() -> None:
    journeys = order_journeys(log(SMALL))
    found = variants(journeys, min_cases=1)
    assert found.total == 3 and found.cases == 3
    assert sorted((v.steps, v.count) for v in found.variants) == [
        (("A", "B", "C"), 1), (("A", "B", "C", "B"), 1), (("A", "C"), 1),
    ]  # fmt: skip
    assert all(v.share == pytest.approx(1 / 3) for v in found.variants)
    (overall,) = throughput(journeys, min_cases=1)
    # durations 3 h, 2 h, 4 h → median 3 h; p90 at rank 1.8 → 3 h + 0.8 h
    assert overall.cases == 3
    assert overall.median_seconds == 10800.0
    assert overall.p90_seconds == pytest.approx(13680.0)
    assert overall.mean_seconds == pytest.approx(10800.0)
    by_step = {r.step: r for r in rework(journeys, min_cases=1)}
    assert (by_step["B"].cases, by_step["B"].cases_with_rework, by_step["B"].repeat_events) == (
        2, 1, 1,
    )  # fmt: skip
    assert by_step["B"].share == 0.5
    assert by_step["A"].cases_with_rework == 0
    assert next(iter(rework(journeys, min_cases=1))).step == "B"


def test_drop_off_with_given_end_steps() -> None:
    result = drop_off(order_journeys(log(SMALL)), end_steps=["C"], min_cases=1)
    assert not result.inferred
    (completion,) = result.completion
    assert (completion.cases, completion.completed) == (3, 2)
    assert completion.share == pytest.approx(2 / 3)
    stops = {s.step: (s.cases_reaching, s.cases_stopping, s.is_end_step) for s in result.steps}
    assert stops == {"B": (2, 1, False), "A": (3, 0, False), "C": (3, 0, True)}
    assert result.steps[0].step == "B" and result.steps[0].stop_share == 0.5


def test_end_steps_are_inferred_from_where_cases_end() -> None:
    # Pay ends 3 of its 3 cases; Remind ends 1 of its 4 cases (below the 0.5 rule).
    rows = [
        ("1", "Order", 0), ("1", "Remind", 1), ("1", "Pay", 2),
        ("2", "Order", 0), ("2", "Remind", 1), ("2", "Pay", 2),
        ("3", "Order", 0), ("3", "Pay", 1),
        ("4", "Order", 0), ("4", "Remind", 1),
        ("5", "Order", 0), ("5", "Remind", 5), ("5", "Remind", 6), ("5", "Order", 7),
    ]  # fmt: skip
    journeys = order_journeys(log(rows))
    assert infer_end_steps(journeys, min_cases=1) == ("Pay",)
    result = drop_off(journeys, min_cases=1)
    assert result.inferred and result.end_steps == ("Pay",)
    assert result.completion[0].completed == 3
    stopped = {s.step: s.cases_stopping for s in result.steps}
    assert stopped == {"Remind": 1, "Order": 1, "Pay": 0}


def test_waiting_hot_spots_rank_by_total_wait() -> None:
    spots = waiting_hot_spots(order_journeys(log(SMALL)), top=3, min_cases=1)
    assert [(s.source, s.target, s.total_seconds) for s in spots] == [
        ("A", "B", 10800.0), ("B", "C", 10800.0), ("A", "C", 7200.0),
    ]  # fmt: skip
    assert spots[0].share_of_waiting == pytest.approx(10800 / 32400)


def test_lifecycle_start_events_split_waiting_from_service() -> None:
    rows = [("x", "A", 0), ("x", "A", 1), ("x", "B", 3), ("x", "B", 4)]
    events = log(rows, lifecycle=["start", "complete", "Start", "COMPLETE"])
    journeys = order_journeys(events)
    assert journeys.steps["activity"].cast(pl.String).to_list() == ["A", "B"]
    (spot,) = waiting_hot_spots(journeys, min_cases=1)
    assert spot.total_seconds == 7200.0  # A completes at 1 h, B starts at 3 h
    (edge,) = directly_follows(journeys, min_cases=1).edges
    assert edge.median_seconds == 10800.0  # completion to completion
    # throughput runs from the first start to the last completion
    assert throughput(journeys, min_cases=1)[0].median_seconds == 14400.0


def test_start_events_pair_with_their_own_case_and_activity() -> None:
    # case y runs earlier than x, and x repeats A: each completion takes the latest start of
    # the same activity in the same case
    rows = [
        ("x", "A", 10), ("x", "A", 11), ("x", "A", 12), ("x", "A", 14),
        ("y", "A", 0), ("y", "A", 1), ("y", "B", 2), ("y", "B", 5),
    ]  # fmt: skip
    events = log(rows, lifecycle=["start", "complete", "start", "complete"] * 2)
    journeys = order_journeys(events)
    steps = journeys.steps.select("case", pl.col("activity").cast(pl.String), "wait_seconds")
    # x: A completes at 11 h and starts again at 12 h; y: A completes at 1 h, B starts at 2 h
    assert steps.rows() == [
        ("x", "A", None),
        ("x", "A", 3600.0),
        ("y", "A", None),
        ("y", "B", 3600.0),
    ]
    # x lasts 10 h → 14 h, y 0 h → 5 h
    assert [t.median_seconds for t in throughput(journeys, min_cases=1)] == [16200.0]


def test_unsorted_input_gives_the_same_answer() -> None:
    events = log(SMALL)
    shuffled = events.sample(fraction=1.0, shuffle=True, seed=7)
    everything = summarize_journeys(events, min_cases=1).to_dict()
    assert summarize_journeys(shuffled, min_cases=1).to_dict() == everything


def test_events_at_the_same_time_keep_their_input_order() -> None:
    first = order_journeys(log([("k", "A", 0), ("k", "B", 0)]))
    second = order_journeys(log([("k", "B", 0), ("k", "A", 0)]))
    assert [(e.source, e.target) for e in directly_follows(first, min_cases=1).edges] == [
        ("A", "B")
    ]
    assert [(e.source, e.target) for e in directly_follows(second, min_cases=1).edges] == [
        ("B", "A")
    ]
    # and when the log must be sorted (cases interleaved), ties still keep input order
    mixed = log([("k", "B", 0), ("m", "A", 0), ("k", "A", 0), ("m", "B", 1)])
    edges = {
        (e.source, e.target) for e in directly_follows(order_journeys(mixed), min_cases=1).edges
    }
    assert edges == {("B", "A"), ("A", "B")}


def test_grouped_by_segment_and_channel_with_small_groups_suppressed() -> None:
    rows = [(str(i), "A", 0) for i in range(6)] + [(str(i), "B", 1 + i) for i in range(6)]
    segments = ["big"] * 5 + ["tiny"] + ["big"] * 5 + [None]
    summary = summarize_journeys(log(rows, segment=segments), by="segment")
    # "tiny" has one case; the whole log minus "big" would give it away, so "big" goes too
    assert summary.suppressed_groups == 2
    assert summary.cases == 0 and summary.graph.edges == ()
    rows12 = [(str(i), "A", 0) for i in range(12)] + [(str(i), "B", 1 + i) for i in range(12)]
    three = ["big"] * 6 + ["mid"] * 5 + ["tiny"]
    summary = summarize_journeys(log(rows12, segment=three + three), by="segment")
    assert summary.suppressed_groups == 2  # tiny, and mid (hidden together: 6 cases)
    assert summary.cases == 6
    assert {(t.group, t.cases) for t in summary.throughput} == {("big", 6)}
    assert {(e.group, e.count) for e in summary.graph.edges} == {("big", 6)}
    # channel: a case belongs to the channel of its first event
    channels = ["web"] * 5 + ["phone"] * 1 + ["phone"] * 6
    grouped = order_journeys(log(rows, channel=channels), by="channel", min_group_cases=1)
    assert dict(grouped.cases.group_by("group").len().iter_rows()) == {"web": 5, "phone": 1}
    with pytest.raises(ValueError, match="no 'segment' column"):
        order_journeys(log(rows), by="segment")


def test_empty_log_is_not_estimable_rather_than_nan() -> None:
    summary = summarize_journeys(log([]))
    assert summary.cases == 0 and summary.events == 0
    (overall,) = summary.throughput
    assert overall.median_seconds is None and overall.p90_seconds is None
    json.dumps(summary.to_dict())


def test_schema_is_checked() -> None:
    with pytest.raises(ValueError, match="canonical column"):
        order_journeys(log(SMALL).drop("activity"))
    naive = log(SMALL).with_columns(pl.col("timestamp").dt.replace_time_zone(None))
    with pytest.raises(ValueError, match="aware UTC"):
        order_journeys(naive)


def test_lazy_input_and_to_dict_is_json_ready() -> None:
    summary = summarize_journeys(log(SMALL).lazy(), end_steps=["C"], min_cases=1)
    text = json.dumps(summary.to_dict())
    assert '"from": "A"' in text
    assert summary.activities == ("A", "B", "C")


traces = st.lists(
    st.lists(st.sampled_from("ABCD"), min_size=1, max_size=6), min_size=1, max_size=12
)


@settings(max_examples=60, deadline=None)
@given(traces=traces, seed=st.integers(0, 2**32 - 1))
def test_measures_equal_a_naive_python_reference(traces: list[list[str]], seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, str, float]] = []
    for number, trace in enumerate(traces):
        hours = np.cumsum(rng.integers(1, 50, size=len(trace)))
        rows += [(f"c{number}", a, float(h)) for a, h in zip(trace, hours, strict=True)]
    order = rng.permutation(len(rows))
    journeys = order_journeys(log([rows[i] for i in order]))

    naive_edges = Counter((t[i], t[i + 1]) for t in traces for i in range(len(t) - 1))
    graph = directly_follows(journeys, min_cases=1)
    assert {(e.source, e.target): e.count for e in graph.edges} == dict(naive_edges)
    found = variants(journeys, min_cases=1)
    assert {v.steps: v.count for v in found.variants} == dict(Counter(map(tuple, traces)))
    durations = []
    for number in range(len(traces)):
        times = [h for c, _, h in rows if c == f"c{number}"]
        durations.append((max(times) - min(times)) * 3600)
    (overall,) = throughput(journeys, min_cases=1)
    assert overall.median_seconds == pytest.approx(statistics.median(durations))
    assert overall.p90_seconds == pytest.approx(float(np.quantile(durations, 0.9)))
