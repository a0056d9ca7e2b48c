"""The journey staff believe customers take, held against the journeys the event log shows.

A :class:`JourneyModel` is an ordered list of steps; a step may be optional or repeatable, and
an :class:`StepGroup` holds either-or alternatives (each a sequence) or a repeatable block. Its
language is compiled to a finite automaton (Thompson 1968) and every distinct trace variant is
aligned to it once: the cheapest sequence of synchronous moves (cost 0), log moves and model
moves (cost 1 each), found by a 0-1 breadth-first search over (trace position, model state).
Trace fitness is 1 − cost / (len(trace) + shortest model path), as in van der Aalst, Adriansyah
and van Dongen, "Replaying history on process models for conformance checking and performance
analysis", WIREs DMKD 2(2), 2012, and the log's fitness is its case-weighted mean.

Anonymity: as the journey measures (:mod:`outsidein.core.journeys`), every result here takes the
threshold ``min_cases`` (k, default 5) and publishes nothing that fewer than k journeys stand
behind: variants' fitness, deviations, unknown and skipped steps, staff-estimate errors and
the actors serving a step below k are left out or withheld; the log's fitness is kept as an
aggregate of every journey when there are at least k of them.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import polars as pl

from outsidein.core.anonymity import hidden_groups
from outsidein.core.journeys import (
    ACTIVITY,
    ACTOR,
    MIN_CASES,
    TIMESTAMP,
    JourneySteps,
    JourneySummary,
    activity_cases,
    shown_count,
)
from outsidein.core.resampling import Interval

ServerKind = Literal["firm", "partner", "customer"]
CUSTOMER = "customer"
"""``served_by`` value (and actor value) for a step the customer does alone."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelStep:
    """One step of the believed journey, with who serves it and what staff expect of it."""

    activity: str
    served_by: str | None = None
    optional: bool = False
    repeatable: bool = False
    expected_share: float | None = None
    expected_seconds: float | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "step": self.activity,
            "served_by": self.served_by,
            "optional": self.optional,
            "repeatable": self.repeatable,
            "expected_share": self.expected_share,
            "expected_seconds": self.expected_seconds,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class StepGroup:
    """Either-or alternatives, each a sequence of elements; one alternative makes a block."""

    alternatives: tuple[tuple[ModelStep | StepGroup, ...], ...]
    optional: bool = False
    repeatable: bool = False

    def __post_init__(self) -> None:
        if not self.alternatives or any(not path for path in self.alternatives):
            raise ValueError("a step group needs at least one non-empty alternative")

    def to_dict(self) -> dict[str, object]:
        return {
            "either": [[element.to_dict() for element in path] for path in self.alternatives],
            "optional": self.optional,
            "repeatable": self.repeatable,
        }


Element = ModelStep | StepGroup


@dataclass(frozen=True, slots=True, kw_only=True)
class JourneyModel:
    """The journey staff believe customers take: ordered steps and what they expect of it."""

    name: str
    elements: tuple[Element, ...]
    partners: tuple[str, ...] = ()
    expected_completion_share: float | None = None

    def steps(self) -> tuple[ModelStep, ...]:
        """Every step of the model, in the order written."""
        return tuple(_flatten(self.elements))

    def activities(self) -> tuple[str, ...]:
        """The distinct activities of the model, in the order written."""
        return tuple(dict.fromkeys(step.activity for step in self.steps()))

    def end_steps(self) -> tuple[str, ...]:
        """Activities that can be the last step of a journey the model allows."""
        return _Automaton.build(self.elements).last_labels()

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "partners": list(self.partners),
            "expected_completion_share": self.expected_completion_share,
            "steps": [element.to_dict() for element in self.elements],
        }


def _flatten(elements: Iterable[Element]) -> Iterable[ModelStep]:
    for element in elements:
        if isinstance(element, ModelStep):
            yield element
        else:
            for path in element.alternatives:
                yield from _flatten(path)


Arc = tuple[str | None, int]


@dataclass(slots=True)
class _Automaton:
    """Thompson automaton of a model's language: labelled arcs are steps, ``None`` is silent."""

    arcs: list[list[Arc]] = field(default_factory=list)
    start: int = 0
    final: int = 0

    @classmethod
    def build(cls, elements: Sequence[Element]) -> _Automaton:
        automaton = cls()
        automaton.start, automaton.final = automaton._sequence(elements)
        return automaton

    def _state(self) -> int:
        self.arcs.append([])
        return len(self.arcs) - 1

    def _sequence(self, elements: Sequence[Element]) -> tuple[int, int]:
        start = current = self._state()
        for element in elements:
            begin, end = self._element(element)
            self.arcs[current].append((None, begin))
            current = end
        return start, current

    def _element(self, element: Element) -> tuple[int, int]:
        begin, end = self._state(), self._state()
        if isinstance(element, ModelStep):
            self.arcs[begin].append((element.activity, end))
        else:
            for path in element.alternatives:
                path_begin, path_end = self._sequence(path)
                self.arcs[begin].append((None, path_begin))
                self.arcs[path_end].append((None, end))
        if not (element.optional or element.repeatable):
            return begin, end
        # Fresh outer states keep the loop and the skip from leaking into neighbours
        # (the classic pitfall of sharing states in Thompson's construction).
        outer_begin, outer_end = self._state(), self._state()
        self.arcs[outer_begin].append((None, begin))
        self.arcs[end].append((None, outer_end))
        if element.repeatable:
            self.arcs[end].append((None, begin))
        if element.optional:
            self.arcs[outer_begin].append((None, outer_end))
        return outer_begin, outer_end

    def shortest_path(self) -> int:
        """Fewest labelled arcs from start to final (the cost of aligning an empty trace)."""
        return align((), self).cost

    def last_labels(self) -> tuple[str, ...]:
        """Labels of arcs after which the final state is reachable by silent arcs only."""
        silent_to_final = {self.final}
        changed = True
        while changed:
            changed = False
            for state, arcs in enumerate(self.arcs):
                if state not in silent_to_final and any(
                    label is None and target in silent_to_final for label, target in arcs
                ):
                    silent_to_final.add(state)
                    changed = True
        labels = {
            label
            for arcs in self.arcs
            for label, target in arcs
            if label is not None and target in silent_to_final
        }
        return tuple(sorted(labels))


MoveKind = Literal["sync", "log", "model"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Alignment:
    """An optimal alignment of one trace: its cost and its moves in order."""

    cost: int
    moves: tuple[tuple[MoveKind, str], ...]


def align(trace: Sequence[str], automaton: _Automaton) -> Alignment:
    """Optimal alignment of ``trace`` to the automaton's language by 0-1 breadth-first search.

    States are (events consumed, automaton state); a synchronous or silent move costs 0, a log
    move (event the model cannot mimic) or a model move (step the trace lacks) costs 1. The
    search is Dijkstra's with a deque, exact because costs are 0 or 1; ties go to the move
    found first (model order; sync, then model, then log), so the result is deterministic.
    """
    n_states = len(automaton.arcs)
    size = (len(trace) + 1) * n_states
    infinity = size + len(trace) + 1
    dist = [infinity] * size
    came: list[tuple[int, MoveKind | None, str] | None] = [None] * size
    origin = automaton.start
    dist[origin] = 0
    frontier: deque[int] = deque([origin])
    goal = len(trace) * n_states + automaton.final
    while frontier:
        node = frontier.popleft()
        if node == goal:
            break
        position, state = divmod(node, n_states)
        here = dist[node]
        candidates: list[tuple[int, int, MoveKind | None, str]] = []
        for label, target in automaton.arcs[state]:
            if label is None:
                candidates.append((node - state + target, 0, None, ""))
                continue
            if position < len(trace) and trace[position] == label:
                candidates.append((node - state + n_states + target, 0, "sync", label))
            candidates.append((node - state + target, 1, "model", label))
        if position < len(trace):
            candidates.append((node + n_states, 1, "log", trace[position]))
        free: list[int] = []
        for successor, step_cost, kind, label in candidates:
            if here + step_cost < dist[successor]:
                dist[successor] = here + step_cost
                came[successor] = (node, kind, label)
                if step_cost:
                    frontier.append(successor)
                else:
                    free.append(successor)
        # Zero-cost successors go to the front in reverse, so they are expanded in model order.
        frontier.extendleft(reversed(free))
    return Alignment(cost=dist[goal], moves=_moves(came, goal))


def _moves(
    came: list[tuple[int, MoveKind | None, str] | None], goal: int
) -> tuple[tuple[MoveKind, str], ...]:
    moves: list[tuple[MoveKind, str]] = []
    link = came[goal]
    while link is not None:
        node, kind, label = link
        if kind is not None:
            moves.append((kind, label))
        link = came[node]
    return tuple(reversed(moves))


def trace_fitness(cost: int, trace_length: int, shortest_model_path: int) -> float:
    """1 − cost / (len(trace) + shortest model path): 1 fits perfectly, 0 shares nothing."""
    worst = trace_length + shortest_model_path
    return 1.0 if worst == 0 else 1.0 - cost / worst


@dataclass(frozen=True, slots=True, kw_only=True)
class VariantFit:
    """How one trace variant aligns to the model."""

    steps: tuple[str, ...]
    count: int
    cost: int
    fitness: float
    log_moves: tuple[str, ...]
    model_moves: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "steps": list(self.steps),
            "count": self.count,
            "cost": self.cost,
            "fitness": self.fitness,
            "log_moves": list(self.log_moves),
            "model_moves": list(self.model_moves),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Deviation:
    """A kind of misfit: a log move (customers do a step the model does not expect there) or a
    model move (the model expects a step the customers skip), with the cases that show it."""

    kind: Literal["log", "model"]
    activity: str
    cases: int
    share: float
    moves: int

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "activity": self.activity,
            "cases": self.cases,
            "share": self.share,
            "moves": self.moves,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class UnknownActivity:
    """An activity customers perform that the model does not know at all."""

    activity: str
    cases: int
    events: int

    def to_dict(self) -> dict[str, object]:
        return {"activity": self.activity, "cases": self.cases, "events": self.events}


@dataclass(frozen=True, slots=True, kw_only=True)
class Conformance:
    """Alignment-based fitness of the log to the journey model, and where they disagree.

    ``fitness`` is the case-weighted mean trace fitness; ``log_fitness`` is 1 − total cost /
    total worst-case cost (pm4py's ``log_fitness``); ``fitting_share`` is the share of cases
    that fit perfectly. ``skipped_steps`` are the model moves, by activity.

    With ``min_cases`` k above 1 (:meth:`without_rare`), deviations, unknown and skipped steps
    of fewer than k journeys are left out, and so are the variants of fewer than k journeys;
    ``rare_variants`` and ``rare_cases`` count the variants left out and their journeys. The
    three fitness figures average every journey (``None`` for fewer than k in all), so the
    fitness of the variants left out, together, is the whole minus the variants shown: when
    those hold fewer than k journeys, the least followed variants shown are left out too, until
    they hold k (secondary suppression, as for segments).
    """

    cases: int
    fitness: float | None
    log_fitness: float | None
    fitting_share: float | None
    shortest_model_path: int
    variants: tuple[VariantFit, ...]
    deviations: tuple[Deviation, ...]
    unknown_activities: tuple[UnknownActivity, ...]
    skipped_steps: tuple[Deviation, ...]
    rare_variants: int = 0
    rare_cases: int = 0
    min_cases: int = 1

    def without_rare(self, min_cases: int) -> Conformance:
        """The same result without what fewer than ``min_cases`` journeys stand behind."""
        if min_cases < 1:
            raise ValueError(f"min_cases must be at least 1, not {min_cases}")
        sizes = {fit.steps: fit.count for fit in self.variants}
        rare = hidden_groups(sizes, min_cases, unseen=self.rare_cases)
        kept = {steps for steps in sizes if steps not in rare}
        enough = self.cases >= min_cases
        return replace(
            self,
            fitness=self.fitness if enough else None,
            log_fitness=self.log_fitness if enough else None,
            fitting_share=self.fitting_share if enough else None,
            variants=tuple(fit for fit in self.variants if fit.steps in kept),
            deviations=tuple(d for d in self.deviations if d.cases >= min_cases),
            unknown_activities=tuple(u for u in self.unknown_activities if u.cases >= min_cases),
            skipped_steps=tuple(d for d in self.skipped_steps if d.cases >= min_cases),
            rare_variants=self.rare_variants + len(rare),
            rare_cases=self.rare_cases + sum(sizes[steps] for steps in rare),
            min_cases=max(self.min_cases, min_cases),
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "fitness": self.fitness,
            "log_fitness": self.log_fitness,
            "fitting_share": self.fitting_share,
            "shortest_model_path": self.shortest_model_path,
            "variants": [variant.to_dict() for variant in self.variants],
            "rare_variants": self.rare_variants,
            "rare_cases": self.rare_cases,
            "min_cases": self.min_cases,
            "deviations": [deviation.to_dict() for deviation in self.deviations],
            "unknown_activities": [unknown.to_dict() for unknown in self.unknown_activities],
            "skipped_steps": [skipped.to_dict() for skipped in self.skipped_steps],
        }

    def to_frame(self) -> pl.DataFrame:
        """One row per variant: steps, count, cost, fitness."""
        return pl.DataFrame(
            {
                "steps": [list(v.steps) for v in self.variants],
                "count": [v.count for v in self.variants],
                "cost": [v.cost for v in self.variants],
                "fitness": [v.fitness for v in self.variants],
            },
            schema={
                "steps": pl.List(pl.String),
                "count": pl.Int64,
                "cost": pl.Int64,
                "fitness": pl.Float64,
            },
        )


def check_conformance(
    model: JourneyModel,
    variants: Iterable[tuple[Sequence[str], int]],
    *,
    min_cases: int = MIN_CASES,
) -> Conformance:
    """Align each distinct variant once to the model and weight the results by its case count.

    ``variants`` gives (steps, number of cases); e.g. from :func:`variant_table`. What fewer
    than ``min_cases`` journeys stand behind is left out (:meth:`Conformance.without_rare`);
    the fitness figures average every journey.
    """
    automaton = _Automaton.build(model.elements)
    shortest = automaton.shortest_path()
    known = set(model.activities())
    fits: list[VariantFit] = []
    for steps, count in variants:
        trace = tuple(steps)
        alignment = align(trace, automaton)
        fits.append(
            VariantFit(
                steps=trace,
                count=count,
                cost=alignment.cost,
                fitness=trace_fitness(alignment.cost, len(trace), shortest),
                log_moves=tuple(a for kind, a in alignment.moves if kind == "log"),
                model_moves=tuple(a for kind, a in alignment.moves if kind == "model"),
            )
        )
    fits.sort(key=lambda fit: (-fit.count, fit.steps))
    cases = sum(fit.count for fit in fits)
    worst = sum(fit.count * (len(fit.steps) + shortest) for fit in fits)
    deviations = _deviations(fits, cases)
    return Conformance(
        cases=cases,
        fitness=sum(fit.count * fit.fitness for fit in fits) / cases if cases else None,
        log_fitness=(1.0 - sum(fit.count * fit.cost for fit in fits) / worst if worst else None)
        if cases
        else None,
        fitting_share=sum(fit.count for fit in fits if fit.cost == 0) / cases if cases else None,
        shortest_model_path=shortest,
        variants=tuple(fits),
        deviations=deviations,
        unknown_activities=_unknown(fits, known),
        skipped_steps=tuple(d for d in deviations if d.kind == "model"),
    ).without_rare(min_cases)


def _deviations(fits: Sequence[VariantFit], cases: int) -> tuple[Deviation, ...]:
    in_cases: Counter[tuple[Literal["log", "model"], str]] = Counter()
    moves: Counter[tuple[Literal["log", "model"], str]] = Counter()
    for fit in fits:
        found: list[tuple[Literal["log", "model"], str]] = [
            *(("log", activity) for activity in fit.log_moves),
            *(("model", activity) for activity in fit.model_moves),
        ]
        for key, times in Counter(found).items():
            moves[key] += times * fit.count
            in_cases[key] += fit.count
    ranked = sorted(in_cases, key=lambda key: (-in_cases[key], key))
    return tuple(
        Deviation(
            kind=kind,
            activity=activity,
            cases=in_cases[(kind, activity)],
            share=in_cases[(kind, activity)] / cases,
            moves=moves[(kind, activity)],
        )
        for kind, activity in ranked
    )


def _unknown(fits: Sequence[VariantFit], known: set[str]) -> tuple[UnknownActivity, ...]:
    in_cases: Counter[str] = Counter()
    events: Counter[str] = Counter()
    for fit in fits:
        counted = Counter(step for step in fit.steps if step not in known)
        for activity, times in counted.items():
            in_cases[activity] += fit.count
            events[activity] += times * fit.count
    return tuple(
        UnknownActivity(activity=activity, cases=in_cases[activity], events=events[activity])
        for activity in sorted(in_cases, key=lambda a: (-in_cases[a], a))
    )


def variant_table(journeys: JourneySteps) -> list[tuple[tuple[str, ...], int]]:
    """(steps, case count) of each distinct variant of the whole log, groups pooled."""
    counts = (
        journeys.cases.group_by("variant")
        .len("count")
        .with_columns(pl.col("variant").cast(pl.List(pl.String)))
    )
    return [(tuple(steps), count) for steps, count in counts.iter_rows()]


def conformance(
    model: JourneyModel, journeys: JourneySteps, *, min_cases: int = MIN_CASES
) -> Conformance:
    """:func:`check_conformance` of the journeys' variants to ``model``."""
    return check_conformance(model, variant_table(journeys), min_cases=min_cases)


def case_fitness(result: Conformance, journeys: JourneySteps) -> pl.DataFrame:
    """Fitness of each case (``case``, ``fitness``, ``cost``), from its variant's alignment.

    A case whose variant ``result`` leaves out (fewer than its ``min_cases`` journeys) gets null
    fitness and cost. For an aggregate over every journey (a bootstrap interval of the log's
    fitness) pass a result with ``min_cases=1``, and publish only the aggregate.
    """
    by_variant = result.to_frame().select(pl.col("steps").alias("variant"), "cost", "fitness")
    cases = journeys.cases.select("case", pl.col("variant").cast(pl.List(pl.String)))
    return cases.join(by_variant, on="variant", how="left", maintain_order="left").drop("variant")


Quantity = Literal["completion_share", "step_share", "duration_seconds"]


@dataclass(frozen=True, slots=True, kw_only=True)
class EstimateError:
    """One staff estimate against what the log shows: observed − expected, and relative error.

    ``observed`` is None (not estimable) when the log has no case (or no timed step) for it.
    ``withheld``: the log shows it for fewer than k journeys (anonymity), so neither the value
    nor its ``n`` is published.
    """

    quantity: Quantity
    step: str | None
    expected: float
    observed: float | None
    n: int | None
    withheld: bool = False

    @property
    def error(self) -> float | None:
        return None if self.observed is None else self.observed - self.expected

    @property
    def relative_error(self) -> float | None:
        if self.observed is None or self.expected == 0:
            return None
        return (self.observed - self.expected) / self.expected

    def to_dict(self) -> dict[str, object]:
        return {
            "quantity": self.quantity,
            "step": self.step,
            "expected": self.expected,
            "observed": self.observed,
            "error": self.error,
            "relative_error": self.relative_error,
            "n": self.n,
            "withheld": self.withheld,
        }


def estimate_errors(
    model: JourneyModel, journeys: JourneySteps, *, min_cases: int = MIN_CASES
) -> tuple[EstimateError, ...]:
    """Each staff estimate of the model against the log.

    - completion share: cases whose last step is one the model can end with, over all cases;
    - step share: cases that pass through the step at least once, over all cases;
    - duration: median seconds from the completion of the previous step *of the model* to
      this step's completion (the time the step takes a customer, waiting included), over all
      its occurrences: the staff estimate "two days from In transit to Delivered" is held
      against that interval, not against the minutes since a log step they do not know of
      (a failed "Delivery attempted" in between).

    Withheld (anonymity): every figure of a log of fewer than ``min_cases`` journeys, a step
    share when 1 to ``min_cases`` − 1 journeys pass through the step, and a duration timed in
    fewer than ``min_cases`` journeys.
    """
    if min_cases < 1:
        raise ValueError(f"min_cases must be at least 1, not {min_cases}")
    cases = journeys.cases.height
    too_few = 0 < cases < min_cases
    errors: list[EstimateError] = []
    if model.expected_completion_share is not None:
        ends = list(model.end_steps())
        completed = journeys.cases.filter(
            pl.col("last_activity").cast(pl.String).is_in(ends)
        ).height
        errors.append(
            _estimate(
                "completion_share",
                None,
                model.expected_completion_share,
                completed / cases if cases else None,
                cases,
                withheld=too_few,
            )
        )
    observed = _observed_steps(journeys, {step.activity for step in model.steps()})
    for step in model.steps():
        through, timed, timed_cases, median = observed.get(step.activity, (0, 0, 0, None))
        if step.expected_share is not None:
            errors.append(
                _estimate(
                    "step_share",
                    step.activity,
                    step.expected_share,
                    through / cases if cases else None,
                    cases,
                    withheld=too_few or shown_count(through, min_cases) is None,
                )
            )
        if step.expected_seconds is not None:
            errors.append(
                _estimate(
                    "duration_seconds",
                    step.activity,
                    step.expected_seconds,
                    median,
                    timed,
                    withheld=shown_count(timed_cases, min_cases) is None,
                )
            )
    return tuple(errors)


def _estimate(
    quantity: Quantity,
    step: str | None,
    expected: float,
    observed: float | None,
    n: int,
    *,
    withheld: bool,
) -> EstimateError:
    return EstimateError(
        quantity=quantity,
        step=step,
        expected=expected,
        observed=None if withheld else observed,
        n=None if withheld else n,
        withheld=withheld,
    )


def _observed_steps(
    journeys: JourneySteps, known: set[str]
) -> dict[str, tuple[int, int, int, float | None]]:
    """activity → (cases through it, timed occurrences, cases with a timed occurrence, median
    seconds since the case's previous event of a ``known`` activity)."""
    is_known = pl.col(ACTIVITY).cast(pl.String).is_in(sorted(known))
    previous_known = pl.when(is_known).then(pl.col(TIMESTAMP)).shift(1).forward_fill().over("run")
    since = (pl.col(TIMESTAMP) - previous_known).dt.total_milliseconds() / 1000.0
    times = (
        journeys.steps.sort("run", TIMESTAMP, maintain_order=True)
        .with_columns(since.alias("_since"))
        .group_by(ACTIVITY)
        .agg(
            pl.col("_since").count().alias("timed"),
            pl.col("run").filter(pl.col("_since").is_not_null()).n_unique().alias("timed_cases"),
            pl.col("_since").median().alias("median"),
        )
        .with_columns(pl.col(ACTIVITY).cast(pl.String))
    )
    table = _pooled_cases(journeys).join(times, on=ACTIVITY, how="left")
    return {
        row[ACTIVITY]: (row["cases"], row["timed"] or 0, row["timed_cases"] or 0, row["median"])
        for row in table.iter_rows(named=True)
    }


def _pooled_cases(journeys: JourneySteps) -> pl.DataFrame:
    """Per activity, all groups together: ``cases`` containing it (from the variants)."""
    return activity_cases(journeys).group_by(ACTIVITY).agg(pl.col("cases").sum())


@dataclass(frozen=True, slots=True, kw_only=True)
class ActorShare:
    """An actor seen serving a step in the log (in at least k journeys), with its events."""

    actor: str
    kind: ServerKind
    events: int

    def to_dict(self) -> dict[str, object]:
        return {"actor": self.actor, "kind": self.kind, "events": self.events}


@dataclass(frozen=True, slots=True, kw_only=True)
class EcosystemStep:
    """Who serves one step of the customer's process, and how many customers pass through it.

    ``served_by_nobody``: neither the log nor the model names anyone for the step (no actor at
    all); ``customer_alone``: only the customer does it. Both are steps where neither the firm
    nor a partner serves the customer, the gaps that stage 4 asks to close.

    Anonymity: ``actors`` names only actors seen in at least k journeys of the step (at most a
    few, most events first); ``other_actors`` counts the rest, unnamed and without figures.
    ``kinds`` and the served / nobody / customer-alone flags still count every actor: they say
    whether the firm's process serves the step, not what one person did. ``cases`` is withheld
    (``None``) when 1 to k − 1 journeys pass through the step, and ``events`` also when 1 to
    k − 1 journeys repeat it (events − cases is the number of repeats).
    """

    step: str
    cases: int | None
    events: int | None
    in_model: bool
    model_served_by: str | None
    model_kind: ServerKind | None
    actors: tuple[ActorShare, ...]
    distinct_actors: int
    kinds: tuple[ServerKind, ...]
    served_by_nobody: bool
    other_actors: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "step": self.step,
            "cases": self.cases,
            "events": self.events,
            "in_model": self.in_model,
            "served_by": self.model_served_by,
            "model_kind": self.model_kind,
            "actors": [actor.to_dict() for actor in self.actors],
            "other_actors": self.other_actors,
            "distinct_actors": self.distinct_actors,
            "kinds": list(self.kinds),
            "served_by_nobody": self.served_by_nobody,
            "customer_alone": self.customer_alone,
        }

    @property
    def customer_alone(self) -> bool:
        return self.kinds == ("customer",)

    @property
    def served(self) -> bool:
        """Served by the firm or a partner."""
        return bool(set(self.kinds) & {"firm", "partner"})


@dataclass(frozen=True, slots=True, kw_only=True)
class EcosystemMap:
    """For each step of the customer's process: who serves it and how many cases pass through.

    Steps of the staff's model are always listed (the firm's own process); a step only the log
    shows is listed when at least k journeys take it, and ``hidden_steps`` counts the others
    (their names would say what a few customers did).
    """

    steps: tuple[EcosystemStep, ...]
    hidden_steps: int = 0

    @property
    def served_by_nobody(self) -> tuple[str, ...]:
        return tuple(step.step for step in self.steps if step.served_by_nobody)

    @property
    def customer_alone(self) -> tuple[str, ...]:
        return tuple(step.step for step in self.steps if step.customer_alone)

    @property
    def share_steps_served(self) -> float | None:
        """Share of the customer's steps that the firm or a partner serves."""
        if not self.steps:
            return None
        return sum(step.served for step in self.steps) / len(self.steps)

    def to_dict(self) -> dict[str, object]:
        return {
            "steps": [step.to_dict() for step in self.steps],
            "served_by_nobody": list(self.served_by_nobody),
            "customer_alone": list(self.customer_alone),
            "share_steps_served": self.share_steps_served,
            "hidden_steps": self.hidden_steps,
        }

    def to_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "step": [s.step for s in self.steps],
                "cases": [s.cases for s in self.steps],
                "events": [s.events for s in self.steps],
                "in_model": [s.in_model for s in self.steps],
                "served_by": [s.model_served_by for s in self.steps],
                "kinds": [list(s.kinds) for s in self.steps],
                "served_by_nobody": [s.served_by_nobody for s in self.steps],
            },
            schema={
                "step": pl.String,
                "cases": pl.Int64,
                "events": pl.Int64,
                "in_model": pl.Boolean,
                "served_by": pl.String,
                "kinds": pl.List(pl.String),
                "served_by_nobody": pl.Boolean,
            },
        )


def server_kind(name: str, partners: Iterable[str]) -> ServerKind:
    """``customer`` for the customer alone, ``partner`` for a named partner, else ``firm``."""
    folded = name.strip().casefold()
    if folded == CUSTOMER:
        return "customer"
    if folded in {partner.strip().casefold() for partner in partners}:
        return "partner"
    return "firm"


def ecosystem_map(
    journeys: JourneySteps,
    model: JourneyModel | None = None,
    *,
    top_actors: int = 5,
    min_cases: int = MIN_CASES,
) -> EcosystemMap:
    """Per step (model steps in model order, then log-only steps by cases): who serves it.

    Actors come from the log's ``actor`` column (events without an actor name nobody) and the
    model's ``served_by``; a name is a partner when the model lists it under ``partners``.
    What fewer than ``min_cases`` journeys stand behind is left out or withheld as
    :class:`EcosystemStep` and :class:`EcosystemMap` say.
    """
    if min_cases < 1:
        raise ValueError(f"min_cases must be at least 1, not {min_cases}")
    partners = model.partners if model is not None else ()
    declared = {step.activity: step.served_by for step in model.steps()} if model else {}
    events = journeys.steps.group_by(ACTIVITY).len("events")
    counts = (
        activity_cases(journeys)
        .group_by(ACTIVITY)
        .agg(pl.col("cases", "with_rework").sum())
        .with_columns(pl.col(ACTIVITY).cast(pl.String))
        .join(events.with_columns(pl.col(ACTIVITY).cast(pl.String)), on=ACTIVITY, how="left")
    )
    seen = {
        row[ACTIVITY]: (row["cases"], row["events"], row["with_rework"])
        for row in counts.iter_rows(named=True)
    }
    logged = sorted((a for a in seen if a not in declared), key=lambda a: (-seen[a][0], a))
    shown = [a for a in logged if seen[a][0] >= min_cases]
    served = _actors(journeys)
    steps = []
    for activity in [*declared, *shown]:
        cases, events_seen, looped = seen.get(activity, (0, 0, 0))
        by = declared.get(activity)
        actors = [
            (ActorShare(actor=name, kind=server_kind(name, partners), events=n), in_cases)
            for name, n, in_cases in served.get(activity, [])
        ]
        named = tuple(actor for actor, in_cases in actors if in_cases >= min_cases)
        kinds = {actor.kind for actor, _ in actors}
        model_kind = server_kind(by, partners) if by else None
        if model_kind is not None:
            kinds.add(model_kind)
        through = shown_count(cases, min_cases)
        repeats_shown = shown_count(looped, min_cases) is not None
        steps.append(
            EcosystemStep(
                step=activity,
                cases=through,
                events=events_seen if through is not None and repeats_shown else None,
                in_model=activity in declared,
                model_served_by=by,
                model_kind=model_kind,
                actors=named[:top_actors],
                distinct_actors=len(actors),
                kinds=tuple(sorted(kinds)),
                served_by_nobody=not kinds,
                other_actors=len(actors) - min(len(named), top_actors),
            )
        )
    return EcosystemMap(steps=tuple(steps), hidden_steps=len(logged) - len(shown))


def _actors(journeys: JourneySteps) -> dict[str, list[tuple[str, int, int]]]:
    """activity → (actor, events, journeys) of each actor of the step, most events first."""
    if ACTOR not in journeys.steps.columns:
        return {}
    table = (
        journeys.steps.filter(pl.col(ACTOR).is_not_null())
        .group_by(ACTIVITY, pl.col(ACTOR).cast(pl.String))
        .agg(pl.len().alias("events"), pl.col("run").n_unique().alias("cases"))
        .with_columns(pl.col(ACTIVITY).cast(pl.String))
        .sort(ACTIVITY, "events", ACTOR, descending=[False, True, False])
    )
    served: dict[str, list[tuple[str, int, int]]] = {}
    for activity, actor, events, cases in table.iter_rows():
        served.setdefault(activity, []).append((actor, events, cases))
    return served


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessEvidence:
    """The process gap: the staff's journey model against the log, with the ecosystem map."""

    summary: JourneySummary
    model: JourneyModel | None
    conformance: Conformance | None
    fitness: Interval | None
    estimate_errors: tuple[EstimateError, ...]
    ecosystem: EcosystemMap

    def to_dict(self) -> dict[str, object]:
        conf = self.conformance
        return {
            "cases": self.summary.cases,
            "events": self.summary.events,
            "model": None if self.model is None else self.model.name,
            "fitness": None if self.fitness is None else self.fitness.estimate,
            "fitness_ci_low": None if self.fitness is None else self.fitness.low,
            "fitness_ci_high": None if self.fitness is None else self.fitness.high,
            "unknown_activities": []
            if conf is None
            else [u.to_dict() for u in conf.unknown_activities],
            "skipped_steps": [] if conf is None else [s.to_dict() for s in conf.skipped_steps],
            "deviations": [] if conf is None else [d.to_dict() for d in conf.deviations[:10]],
            "estimate_errors": [e.to_dict() for e in self.estimate_errors],
        }
