"""Alignment fitness against hand-computed alignments and a brute-force reference; process gap
and ecosystem map on small logs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outsidein.core.conformance import (
    Element,
    JourneyModel,
    ModelStep,
    StepGroup,
    case_fitness,
    check_conformance,
    conformance,
    ecosystem_map,
    estimate_errors,
    server_kind,
)
from outsidein.core.journeys import order_journeys


def step(activity: str, **options: object) -> ModelStep:
    return ModelStep(activity=activity, **options)  # type: ignore[arg-type]


def model(*elements: Element, **options: object) -> JourneyModel:
    return JourneyModel(name="m", elements=elements, **options)  # type: ignore[arg-type]


def fit(journey_model: JourneyModel, trace: str) -> tuple[int, float]:
    result = check_conformance(journey_model, [(tuple(trace), 1)], min_cases=1)
    (variant,) = result.variants
    return variant.cost, variant.fitness


SEQUENCE = model(step("A"), step("B"), step("C"))
OPTIONAL_B = model(step("A"), step("B", optional=True), step("C"))
REPEATED_B = model(step("A"), step("B", repeatable=True), step("C"))
LOOP_BC = model(
    step("A"),
    StepGroup(alternatives=((step("B"), step("C")),), repeatable=True, optional=True),
    step("D"),
)
EITHER = model(step("A"), StepGroup(alternatives=((step("B"),), (step("C"), step("D")))), step("E"))


@pytest.mark.parametrize(
    ("journey_model", "trace", "cost", "fitness"),
    [
        # fitness = 1 - cost / (len(trace) + shortest model path); hand-aligned
        (SEQUENCE, "ABC", 0, 1.0),
        (SEQUENCE, "AC", 1, 1 - 1 / (2 + 3)),  # model move B
        (SEQUENCE, "ABBC", 1, 1 - 1 / (4 + 3)),  # log move B
        (SEQUENCE, "ACB", 2, 1 - 2 / (3 + 3)),  # log move C, model move C (or B twice)
        (SEQUENCE, "X", 4, 0.0),  # log move X, model moves A B C
        (SEQUENCE, "", 3, 0.0),
        (OPTIONAL_B, "AC", 0, 1.0),
        (OPTIONAL_B, "ABC", 0, 1.0),
        (OPTIONAL_B, "ABBC", 1, 1 - 1 / (4 + 2)),
        (REPEATED_B, "ABBBC", 0, 1.0),
        (REPEATED_B, "AC", 1, 1 - 1 / (2 + 3)),
        (LOOP_BC, "AD", 0, 1.0),
        (LOOP_BC, "ABCBCD", 0, 1.0),
        (LOOP_BC, "ABCBD", 1, 1 - 1 / (5 + 2)),  # model move C in the second round
        (LOOP_BC, "ABD", 1, 1 - 1 / (3 + 2)),
        (LOOP_BC, "ABCCD", 1, 1 - 1 / (5 + 2)),
        (EITHER, "ABE", 0, 1.0),
        (EITHER, "ACDE", 0, 1.0),
        (EITHER, "ACE", 1, 1 - 1 / (3 + 3)),  # model move D
        (EITHER, "ABDE", 1, 1 - 1 / (4 + 3)),  # log move D
        (EITHER, "AE", 1, 1 - 1 / (2 + 3)),  # model move B, the cheaper alternative
        (EITHER, "ABCDE", 1, 1 - 1 / (5 + 3)),  # log move B, then the C D branch
    ],
)
def test_fitness_of_hand_aligned_traces(
    journey_model: JourneyModel, trace: str, cost: int, fitness: float
) -> None:
    assert fit(journey_model, trace) == (cost, pytest.approx(fitness))


def test_moves_of_an_alignment() -> None:
    result = check_conformance(EITHER, [(tuple("AE"), 3), (tuple("AXBE"), 1)], min_cases=1)
    moves = {v.steps: (v.log_moves, v.model_moves) for v in result.variants}
    assert moves[tuple("AE")] == ((), ("B",))
    assert moves[tuple("AXBE")] == (("X",), ())


def test_fitness_is_weighted_by_variant_counts() -> None:
    result = check_conformance(
        SEQUENCE, [(tuple("ABC"), 3), (tuple("AC"), 1), (tuple("AXC"), 2)], min_cases=1
    )
    # AXC: log move X and model move B, cost 2 of 3 + 3
    assert result.cases == 6
    assert result.fitness == pytest.approx((3 * 1 + 1 * 0.8 + 2 * (1 - 2 / 6)) / 6)
    assert result.log_fitness == pytest.approx(1 - (1 + 2 * 2) / (3 * 6 + 5 + 2 * 6))
    assert result.fitting_share == 0.5
    assert result.shortest_model_path == 3
    assert [(d.kind, d.activity, d.cases, d.moves) for d in result.deviations] == [
        ("model", "B", 3, 3), ("log", "X", 2, 2),
    ]  # fmt: skip
    assert [(s.activity, s.cases, s.share) for s in result.skipped_steps] == [("B", 3, 0.5)]
    assert [(u.activity, u.cases, u.events) for u in result.unknown_activities] == [("X", 2, 2)]
    assert result.to_frame().height == 3


def test_empty_log_has_no_fitness() -> None:
    result = check_conformance(SEQUENCE, [])
    assert result.fitness is None and result.log_fitness is None and result.cases == 0


def test_end_steps_of_a_model() -> None:
    assert OPTIONAL_B.end_steps() == ("C",)
    assert model(step("A"), step("B", optional=True)).end_steps() == ("A", "B")
    assert LOOP_BC.end_steps() == ("D",)
    assert model(step("A"), StepGroup(alternatives=((step("P"),), (step("R"),)))).end_steps() == (
        "P",
        "R",
    )


T0 = datetime(2024, 1, 1, tzinfo=UTC)


def events(rows: list[tuple[str, str, float, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "case": [r[0] for r in rows],
            "activity": [r[1] for r in rows],
            "timestamp": [T0 + timedelta(hours=r[2]) for r in rows],
            "actor": [r[3] for r in rows],
        },
        schema_overrides={"timestamp": pl.Datetime("us", "UTC"), "actor": pl.String},
    )


def test_a_duration_runs_from_the_previous_step_of_the_model_not_of_the_log() -> None:
    """Staff believe C follows B within an hour; a step they do not know (X, a failed
    attempt) sits between them in the log: C is timed from B, X's minutes do not count."""
    believed = model(step("A"), step("B"), step("C", expected_seconds=3600))
    journeys = order_journeys(
        events(
            [
                ("1", "A", 0, None),
                ("1", "B", 1, None),
                ("1", "X", 4, None),
                ("1", "C", 5, None),
                ("2", "A", 0, None),
                ("2", "B", 1, None),
                ("2", "C", 3, None),
                ("2", "C", 6, None),  # done again: timed from the earlier C, a model step
            ]
        )
    )
    errors = {(e.quantity, e.step): e for e in estimate_errors(believed, journeys, min_cases=1)}
    duration = errors[("duration_seconds", "C")]
    assert duration.n == 3
    assert duration.observed == 3 * 3600.0  # median of 4 h, 2 h and 3 h


def test_estimate_errors_against_the_log() -> None:
    believed = model(
        step("A"),
        step("B", expected_share=0.75),
        step("C", expected_seconds=3600),
        expected_completion_share=0.5,
    )
    journeys = order_journeys(
        events(
            [
                ("1", "A", 0, None),
                ("1", "B", 1, None),
                ("1", "C", 2, None),
                ("2", "A", 0, None),
                ("2", "B", 2, None),
                ("2", "C", 5, None),
                ("3", "A", 0, None),
                ("3", "B", 1, None),
                ("4", "A", 0, None),
            ]
        )
    )
    errors = {(e.quantity, e.step): e for e in estimate_errors(believed, journeys, min_cases=1)}
    completion = errors[("completion_share", None)]
    assert (completion.observed, completion.error, completion.n) == (0.5, 0.0, 4)
    assert errors[("step_share", "B")].observed == 0.75
    duration = errors[("duration_seconds", "C")]
    assert duration.observed == 7200.0  # median of 1 h and 3 h after B
    assert duration.error == 3600.0 and duration.relative_error == 1.0 and duration.n == 2
    result = conformance(believed, journeys, min_cases=1)
    assert result.fitness == pytest.approx((2 * 1 + 0.8 + (1 - 2 / 4)) / 4)
    per_case = case_fitness(result, journeys)
    assert dict(zip(per_case["case"], per_case["cost"], strict=True)) == {
        "1": 0, "2": 0, "3": 1, "4": 2,
    }  # fmt: skip


def test_ecosystem_map_names_steps_served_by_nobody() -> None:
    believed = model(
        step("A", served_by="Sales"),
        step("B", served_by="customer"),
        step("C", served_by="Shipping"),
        step("E", served_by="DHL"),
        partners=("DHL",),
    )
    journeys = order_journeys(
        events(
            [
                ("1", "A", 0, "Anna"),
                ("1", "B", 1, None),
                ("1", "C", 2, "dhl"),
                ("1", "D", 3, None),
                ("2", "A", 0, "Anna"),
                ("2", "B", 1, "Customer"),
                ("2", "D", 2, None),
            ]
        )
    )
    mapped = ecosystem_map(journeys, believed, min_cases=1)
    by_step = {s.step: s for s in mapped.steps}
    assert [s.step for s in mapped.steps] == ["A", "B", "C", "E", "D"]
    assert by_step["A"].kinds == ("firm",) and by_step["A"].cases == 2
    assert by_step["B"].kinds == ("customer",) and by_step["B"].customer_alone
    assert not by_step["B"].served_by_nobody and not by_step["B"].served
    assert by_step["C"].kinds == ("firm", "partner")  # log: dhl (partner); model: Shipping
    assert by_step["E"].cases == 0 and not by_step["E"].served_by_nobody
    assert not by_step["D"].in_model and by_step["D"].served_by_nobody
    assert mapped.served_by_nobody == ("D",)
    assert mapped.customer_alone == ("B",)
    assert mapped.share_steps_served == 3 / 5  # A, C, E served; B by the customer; D nobody
    assert mapped.to_frame().height == 5
    assert server_kind(" dhl ", ["DHL"]) == "partner"


# --- properties and a brute-force reference ---------------------------------------------------

leaf = st.builds(
    ModelStep,
    activity=st.sampled_from("AB"),
    optional=st.booleans(),
    repeatable=st.booleans(),
)
element = st.recursive(
    leaf,
    lambda inner: st.builds(
        StepGroup,
        alternatives=st.lists(
            st.lists(inner, min_size=1, max_size=2).map(tuple), min_size=1, max_size=2
        ).map(tuple),
        optional=st.booleans(),
        repeatable=st.booleans(),
    ),
    max_leaves=4,
)
models = st.lists(element, min_size=1, max_size=3).map(lambda es: model(*es))
short_traces = st.text(alphabet="ABX", max_size=3)


def concatenate(
    left: set[tuple[str, ...]], right: set[tuple[str, ...]], cap: int
) -> set[tuple[str, ...]]:
    by_length: dict[int, list[tuple[str, ...]]] = {}
    for word in right:
        by_length.setdefault(len(word), []).append(word)
    return {
        w + p
        for w in left
        for length, parts in by_length.items()
        if len(w) + length <= cap
        for p in parts
    }


def language(elements: tuple[Element, ...], cap: int) -> set[tuple[str, ...]]:
    """Every word of length ≤ cap that the model allows, straight from its definition."""
    words: set[tuple[str, ...]] = {()}
    for item in elements:
        words = concatenate(words, element_language(item, cap), cap)
    return words


def element_language(item: Element, cap: int) -> set[tuple[str, ...]]:
    if isinstance(item, ModelStep):
        base = {(item.activity,)}
    else:
        base = set().union(*(language(path, cap) for path in item.alternatives))
    words = set(base)
    if item.repeatable:
        frontier = set(base)
        while frontier:
            frontier = concatenate(frontier, base, cap) - words
            words |= frontier
    if item.optional:
        words.add(())
    return words


def edit_cost(trace: tuple[str, ...], word: tuple[str, ...]) -> int:
    """Insertions + deletions turning trace into word: len + len − 2 × LCS."""
    lcs = [[0] * (len(word) + 1) for _ in range(len(trace) + 1)]
    for i, a in enumerate(trace):
        for j, b in enumerate(word):
            lcs[i + 1][j + 1] = lcs[i][j] + 1 if a == b else max(lcs[i][j + 1], lcs[i + 1][j])
    return len(trace) + len(word) - 2 * lcs[-1][-1]


@settings(max_examples=100, deadline=None)
@given(journey_model=models, text=short_traces)
def test_alignment_cost_equals_brute_force_edit_distance(
    journey_model: JourneyModel, text: str
) -> None:
    trace = tuple(text)
    shortest = min(len(w) for w in language(journey_model.elements, 12))
    # an optimal word is at most 2 × len(trace) + shortest long (its cost ≤ len + shortest)
    words = language(journey_model.elements, 2 * len(trace) + shortest)
    expected = min(edit_cost(trace, w) for w in words)
    result = check_conformance(journey_model, [(trace, 1)], min_cases=1)
    assert result.shortest_model_path == shortest
    assert result.variants[0].cost == expected
    assert 0.0 <= result.variants[0].fitness <= 1.0


@st.composite
def model_and_path(draw: st.DrawFn) -> tuple[JourneyModel, tuple[str, ...]]:
    journey_model = draw(models)

    def walk(elements: tuple[Element, ...]) -> list[str]:
        out: list[str] = []
        for item in elements:
            if item.optional and draw(st.booleans()):
                continue
            for _ in range(draw(st.integers(1, 2)) if item.repeatable else 1):
                if isinstance(item, ModelStep):
                    out.append(item.activity)
                else:
                    out += walk(draw(st.sampled_from(item.alternatives)))
        return out

    return journey_model, tuple(walk(journey_model.elements))


@settings(max_examples=150, deadline=None)
@given(pair=model_and_path())
def test_a_path_of_the_model_fits_perfectly(pair: tuple[JourneyModel, tuple[str, ...]]) -> None:
    journey_model, path = pair
    result = check_conformance(journey_model, [(path, 2)], min_cases=1)
    assert result.fitness == 1.0 and result.fitting_share == 1.0
    assert result.deviations == () and result.unknown_activities == ()
