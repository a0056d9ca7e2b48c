"""No journey figure resting on fewer than k journeys is published, nor can one be worked out by
subtraction from what is (DESIGN §3): the auditor's repro, the boundary at exactly k, and each
measure's rule."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from outsidein.core.conformance import (
    JourneyModel,
    ModelStep,
    case_fitness,
    conformance,
    ecosystem_map,
    estimate_errors,
)
from outsidein.core.journeys import (
    directly_follows,
    drop_off,
    order_journeys,
    rework,
    summarize_journeys,
    throughput,
    variants,
    waiting_hot_spots,
)

T0 = datetime(2024, 1, 1, 9, tzinfo=UTC)
JANE = "Jane Doe (account manager)"
# the VIP's own times in seconds: Ship → Complaint (13.3 h), Complaint → Deliver (45.6 h), both
VIP_TIMES = (47880, 164160, 212040)


def repro(vips: int = 1, regulars: int = 20) -> pl.DataFrame:
    """``regulars`` journeys Order → Ship → Deliver and ``vips`` Order → Ship → Complaint →
    Deliver, the complaint handled by Jane Doe."""
    rows: list[tuple[str, str, datetime, str, str]] = []
    for i in range(regulars):
        start = T0 + timedelta(days=i)
        for j, (activity, actor) in enumerate(
            [("Order", "customer"), ("Ship", "Warehouse"), ("Deliver", "Courier")]
        ):
            rows.append((f"c{i:02d}", activity, start + timedelta(hours=10 * j), actor, "retail"))
    for v in range(vips):
        start = T0 + timedelta(days=40 + v)
        for activity, actor, seconds in [
            ("Order", "customer", 0),
            ("Ship", "Warehouse", 7 * 3600),
            ("Complaint", JANE, 7 * 3600 + VIP_TIMES[0]),
            ("Deliver", "Courier", 7 * 3600 + VIP_TIMES[2]),
        ]:
            rows.append((f"vip{v}", activity, start + timedelta(seconds=seconds), actor, "VIP"))
    return pl.DataFrame(
        rows,
        schema={
            "case": pl.String,
            "activity": pl.String,
            "timestamp": pl.Datetime("us", "UTC"),
            "actor": pl.String,
            "segment": pl.String,
        },
        orient="row",
    )


MODEL = JourneyModel(
    name="Order to delivery",
    elements=(
        ModelStep(activity="Order", served_by="customer"),
        ModelStep(activity="Ship", served_by="Warehouse", expected_seconds=36000),
        ModelStep(activity="Deliver", served_by="Courier"),
    ),
)


def published(vips: int, *, min_cases: int = 5) -> str:
    journeys = order_journeys(repro(vips))
    parts = {
        "summary": summarize_journeys(journeys, min_cases=min_cases).to_dict(),
        "grouped": summarize_journeys(repro(vips), by="segment", min_cases=min_cases).to_dict(),
        "conformance": conformance(MODEL, journeys, min_cases=min_cases).to_dict(),
        "estimates": [e.to_dict() for e in estimate_errors(MODEL, journeys, min_cases=min_cases)],
        "ecosystem": ecosystem_map(journeys, MODEL, min_cases=min_cases).to_dict(),
    }
    return json.dumps(parts)


def test_the_vip_path_its_times_and_the_rare_actor_appear_nowhere() -> None:
    text = published(1)
    for secret in ("Complaint", "Jane", "vip", *(str(t) for t in VIP_TIMES)):
        assert secret not in text, secret
    journeys = order_journeys(repro(1))
    everything = directly_follows(journeys, min_cases=1).edges
    assert {e.median_seconds for e in everything} == {36000.0, *map(float, VIP_TIMES[:2])}
    summary = summarize_journeys(journeys)
    # aggregates stay: 21 journeys, 64 events, 2 distinct paths, 4 distinct steps
    assert (summary.cases, summary.events, summary.variants.total) == (21, 64, 2)
    assert summary.activities == ("Deliver", "Order", "Ship") and summary.hidden_activities == 1
    assert summary.throughput[0].median_seconds == 72000.0
    graph = summary.graph
    assert {(e.source, e.target, e.count) for e in graph.edges} == {
        ("Order", "Ship", 21), ("Ship", "Deliver", 20),
    }  # fmt: skip
    assert graph.hidden_edges == 2
    assert [(p.activity, p.count) for p in graph.ends] == [("Deliver", 21)]


def test_exactly_k_journeys_are_shown_and_one_fewer_are_not() -> None:
    shown, hidden = published(5), published(4)
    assert "Complaint" in shown and JANE in shown
    assert "Complaint" not in hidden and "Jane" not in hidden
    journeys = order_journeys(repro(5))
    found = variants(journeys)
    assert [(v.steps, v.count) for v in found.variants] == [
        (("Order", "Ship", "Deliver"), 20),
        (("Order", "Ship", "Complaint", "Deliver"), 5),
    ]
    assert (found.rare_variants, found.rare_cases) == (0, 0)
    edges = {(e.source, e.target): e for e in directly_follows(journeys).edges}
    assert edges[("Ship", "Complaint")].count == 5
    assert edges[("Ship", "Complaint")].median_seconds == pytest.approx(VIP_TIMES[0])
    result = conformance(MODEL, journeys)
    assert [(u.activity, u.cases) for u in result.unknown_activities] == [("Complaint", 5)]
    complaint = next(s for s in ecosystem_map(journeys, MODEL).steps if s.step == "Complaint")
    assert [(a.actor, a.events) for a in complaint.actors] == [(JANE, 5)]
    assert complaint.cases == 5 and complaint.other_actors == 0
    # a threshold of 4 shows the four VIPs' path; one of 5 does not
    assert "Complaint" in published(4, min_cases=4)


def test_rarer_variants_are_counted_and_hold_at_least_k_journeys_together() -> None:
    # one VIP: the fitness of all 21 minus the 20 regulars' would be the VIP's, so the
    # regulars' path is hidden with it
    found = variants(order_journeys(repro(1)))
    assert found.variants == ()
    assert (found.total, found.rare_variants, found.rare_cases) == (2, 2, 21)
    # rare paths holding k journeys together leave the common path shown
    odd = [
        repro(1, regulars=0).with_columns(
            pl.lit(f"odd{n}").alias("case"), pl.col("activity").replace("Complaint", extra)
        )
        for n, extra in enumerate("ABCDE")
    ]
    rows = pl.concat([repro(0), *odd])
    found = variants(order_journeys(rows))
    assert [(v.steps, v.count) for v in found.variants] == [(("Order", "Ship", "Deliver"), 20)]
    assert (found.rare_variants, found.rare_cases) == (5, 5)
    result = conformance(MODEL, order_journeys(rows))
    assert [v.count for v in result.variants] == [20]
    assert (result.rare_variants, result.rare_cases) == (5, 5)


def test_an_arc_counts_journeys_not_traversals() -> None:
    # one customer goes back and forth between Ship and Complaint five times
    loops = [("loop", a, float(h)) for h, a in enumerate(["Order", *["Ship", "Complaint"] * 5])]
    rows = repro(0).select("case", "activity", "timestamp")
    extra = pl.DataFrame(
        {
            "case": [r[0] for r in loops],
            "activity": [r[1] for r in loops],
            "timestamp": [T0 + timedelta(hours=r[2]) for r in loops],
        },
        schema=rows.schema,
    )
    journeys = order_journeys(pl.concat([rows, extra]))
    everything = {
        (e.source, e.target): e.count for e in directly_follows(journeys, min_cases=1).edges
    }
    assert everything[("Ship", "Complaint")] == 5
    graph = directly_follows(journeys)
    assert ("Ship", "Complaint") not in {(e.source, e.target) for e in graph.edges}
    assert "Complaint" not in json.dumps([w.to_dict() for w in waiting_hot_spots(journeys)])


def test_waiting_shares_leave_no_total_of_a_few_journeys_to_subtract() -> None:
    # the hidden arcs hold one journey; with Ship → Deliver shown its total and the mean
    # throughput would give the VIP's wait, so it is left out too, and shares are of the shown
    spots = waiting_hot_spots(order_journeys(repro(1)))
    assert [(s.source, s.target, s.count) for s in spots] == [("Order", "Ship", 21)]
    assert spots[0].share_of_waiting == 1.0
    spots = waiting_hot_spots(order_journeys(repro(5)))
    assert {(s.source, s.target) for s in spots} == {
        ("Order", "Ship"), ("Ship", "Deliver"), ("Ship", "Complaint"), ("Complaint", "Deliver"),
    }  # fmt: skip
    assert sum(s.share_of_waiting or 0 for s in spots) == pytest.approx(1.0)


def looping(with_rework: int, stopping: int) -> pl.DataFrame:
    """20 journeys A → B → C; ``with_rework`` of them do B twice, ``stopping`` stop after B."""
    rows: list[tuple[str, str, datetime]] = []
    for i in range(20):
        steps = ["A", "B", "B"] if i < with_rework else ["A", "B"]
        if i < 20 - stopping:
            steps.append("C")
        rows += [(str(i), a, T0 + timedelta(hours=h)) for h, a in enumerate(steps)]
    schema = {"case": pl.String, "activity": pl.String, "timestamp": pl.Datetime("us", "UTC")}
    return pl.DataFrame(rows, schema=schema, orient="row")


@pytest.mark.parametrize(("few", "shown"), [(0, 0), (2, None), (4, None), (5, 5)])
def test_rework_and_drop_off_below_k_are_withheld(few: int, shown: int | None) -> None:
    journeys = order_journeys(looping(with_rework=few, stopping=few))
    step = next(r for r in rework(journeys) if r.step == "B")
    assert step.cases == 20 and step.cases_with_rework == shown
    assert step.repeat_events == shown and (step.share is None) == (shown is None)
    result = drop_off(journeys, end_steps=["C"])
    stop = next(s for s in result.steps if s.step == "B")
    assert stop.cases_reaching == 20 and stop.cases_stopping == shown
    # the completion share is of every journey
    assert result.completion[0].share == pytest.approx((20 - few) / 20)


def test_the_order_of_rows_tells_nothing_of_withheld_counts() -> None:
    # 20 journeys A B C D; 6 redo D, 3 redo C, 2 redo B: C and B are withheld alike
    rows: list[tuple[str, str, datetime]] = []
    for i in range(20):
        steps = ["A", "B", *(["B"] if i < 2 else []), "C", *(["C"] if i < 3 else []), "D"]
        steps += ["D"] if i < 6 else []
        rows += [(str(i), a, T0 + timedelta(hours=h)) for h, a in enumerate(steps)]
    schema = {"case": pl.String, "activity": pl.String, "timestamp": pl.Datetime("us", "UTC")}
    journeys = order_journeys(pl.DataFrame(rows, schema=schema, orient="row"))
    ranked = [(r.step, r.cases_with_rework) for r in rework(journeys)]
    assert ranked == [("D", 6), ("B", None), ("C", None), ("A", 0)]


def test_a_log_of_fewer_than_k_journeys_gives_only_its_size() -> None:
    journeys = order_journeys(repro(0, regulars=4))
    (overall,) = throughput(journeys)
    assert overall.cases == 4 and overall.median_seconds is None and overall.mean_seconds is None
    (completion,) = drop_off(journeys).completion
    assert completion.completed is None and completion.share is None
    result = conformance(MODEL, journeys)
    assert result.cases == 4 and result.fitness is None and result.variants == ()
    assert all(e.withheld and e.observed is None for e in estimate_errors(MODEL, journeys))
    assert summarize_journeys(journeys).graph.edges == ()
    five = order_journeys(repro(0, regulars=5))
    assert throughput(five)[0].median_seconds == 72000.0
    assert conformance(MODEL, five).fitness == 1.0


def test_estimates_of_a_step_few_journeys_take_are_withheld() -> None:
    believed = JourneyModel(
        name="m",
        elements=(
            ModelStep(activity="Order"),
            ModelStep(activity="Ship"),
            ModelStep(activity="Complaint", expected_share=0.5, expected_seconds=3600),
            ModelStep(activity="Deliver"),
        ),
    )
    for vips, withheld in ((4, True), (5, False)):
        errors = estimate_errors(believed, order_journeys(repro(vips)))
        by_kind = {e.quantity: e for e in errors if e.step == "Complaint"}
        share, duration = by_kind["step_share"], by_kind["duration_seconds"]
        assert share.withheld == duration.withheld == withheld
        if withheld:
            assert share.observed is None and share.n is None and duration.n is None
        else:
            assert share.observed == pytest.approx(5 / 25) and duration.n == 5
            assert duration.observed == pytest.approx(VIP_TIMES[0])


def test_conformance_leaves_out_rare_variants_but_averages_every_journey() -> None:
    journeys = order_journeys(repro(1))
    everything = conformance(MODEL, journeys, min_cases=1)
    result = conformance(MODEL, journeys)
    # the VIP's trace: one log move (Complaint) in 4 events against a 3-step model
    assert result.fitness == everything.fitness == pytest.approx((20 + (1 - 1 / 7)) / 21)
    assert result.deviations == () and result.unknown_activities == ()
    assert result.skipped_steps == () and result.variants == ()
    assert everything.without_rare(5) == result
    per_case = case_fitness(result, journeys)
    assert per_case["fitness"].null_count() == 21  # every variant is left out here
    assert case_fitness(everything, journeys)["fitness"].null_count() == 0


def test_rare_actors_are_not_named_but_a_step_is_still_known_to_be_served() -> None:
    believed = JourneyModel(
        name="m",
        elements=(
            ModelStep(activity="Order", served_by="customer"),
            ModelStep(activity="Ship"),
            ModelStep(activity="Complaint"),  # the model names nobody for it
            ModelStep(activity="Deliver", served_by="Courier"),
        ),
    )
    mapped = ecosystem_map(order_journeys(repro(1)), believed)
    complaint = next(s for s in mapped.steps if s.step == "Complaint")
    assert complaint.actors == () and complaint.other_actors == 1
    assert complaint.kinds == ("firm",) and complaint.served and not complaint.served_by_nobody
    assert complaint.cases is None and complaint.events is None
    assert "Jane" not in json.dumps(mapped.to_dict())
    # a step the model does not know, taken by one journey, is not listed at all
    plain = ecosystem_map(order_journeys(repro(1)), MODEL)
    assert [s.step for s in plain.steps] == ["Order", "Ship", "Deliver"]
    assert plain.hidden_steps == 1


def test_min_cases_must_be_positive() -> None:
    journeys = order_journeys(repro(1))
    with pytest.raises(ValueError, match="at least 1"):
        summarize_journeys(journeys, min_cases=0)
    with pytest.raises(ValueError, match="at least 1"):
        conformance(MODEL, journeys, min_cases=0)
