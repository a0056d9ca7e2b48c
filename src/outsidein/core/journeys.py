"""Customer journeys from event logs: paths, variants, times, drop-off, rework and waiting.

An event log has one row per event with the canonical columns ``case`` (the customer or journey),
``activity`` (the step), ``timestamp`` (an aware UTC datetime) and optionally ``actor``,
``channel``, ``lifecycle`` and ``segment``. The measures follow van der Aalst, *Process Mining:
Data Science in Action* (2nd ed., Springer 2016): the directly-follows graph (§6.2, with the
edge durations of its performance view), trace variants (§5.3) and case throughput time (§9.4).

Every measure is computed by polars expressions over whole columns; no Python loop visits an
event. :func:`order_journeys` reads the input lazily (a ``LazyFrame`` from ``scan_parquet`` is
streamed, only the needed columns are kept, activities become categorical codes) and sorts only
when the log is not already grouped by case in time order, so that a 100 M-event log fits in memory.

Anonymity (DESIGN §3): no published figure rests on fewer than ``min_cases`` journeys (the
anonymity threshold k, default :data:`MIN_CASES`). Every measure takes ``min_cases`` and

- leaves out each row that fewer than k journeys stand behind: variants, arcs, start and end
  points, steps (drop-off, rework, the activities listed), waiting arcs; it says how many it
  left out (``rare_variants`` and the journeys they hold together, ``hidden_edges``...), never
  what they were;
- withholds (``None``) a count within a shown row that is neither 0 (nobody) nor at least k,
  e.g. 2 of 300 journeys with rework at a step, and the figures that rest on it;
- guards against subtraction: where the rows left out could be worked out together as the
  whole minus the rows shown (a per-journey quantity such as fitness or completion over the
  variants, the waiting time over the arcs), they must hold at least k journeys together, or
  the least frequent row shown is left out too (secondary suppression, as :func:`_grouped` does
  for segments); a waiting arc's share is of the waiting on the arcs shown; and a step's figure
  drawn from the graph counts only its arcs shown (see :class:`DirectlyFollowsGraph`);
- keeps whole-log aggregates (journeys, events, distinct variants and activities, throughput,
  completion) when the log has at least k journeys; what they give by subtraction from the rows
  shown is how many journeys lie outside those rows, a count that is published anyway, never
  their steps, times or actors.

``min_cases=1`` shows everything (for checks against a reference implementation).
:func:`variant_counts` and :func:`activity_cases` are building blocks: frames of raw counts that
the measures are computed from, not results to publish.

Example::

    summary = summarize_journeys(events)
    summary.variants.to_frame()
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

from outsidein.core.anonymity import hidden_groups

CASE = "case"
ACTIVITY = "activity"
TIMESTAMP = "timestamp"
ACTOR = "actor"
CHANNEL = "channel"
LIFECYCLE = "lifecycle"
SEGMENT = "segment"
REQUIRED_COLUMNS = (CASE, ACTIVITY, TIMESTAMP)
OPTIONAL_COLUMNS = (ACTOR, CHANNEL, LIFECYCLE, SEGMENT)

GroupBy = Literal["segment", "channel"]
"""Case-level grouping: a case's segment is its first non-empty ``segment`` value; its channel is
the channel of its first event that has one (the channel the customer came in by)."""

UNKNOWN_GROUP = "(unknown)"
"""Group label of cases that have no segment or channel at all."""

MIN_CASES = 5
"""The default anonymity threshold k: no figure resting on fewer journeys is published."""

MIN_GROUP_CASES = MIN_CASES
"""Groups with fewer cases are suppressed from grouped results (DESIGN §3, anonymity)."""

P90 = 0.9
GROUP = "group"
"""Column holding each case's segment or entry channel when grouped."""


def _seconds(expr: pl.Expr) -> pl.Expr:
    return expr.dt.total_seconds(fractional=True)


def _optional_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _check_min_cases(min_cases: int) -> None:
    if min_cases < 1:
        raise ValueError(f"min_cases must be at least 1, not {min_cases}")


def shown_count(count: int, min_cases: int) -> int | None:
    """A count of journeys within a shown row: 0 (nobody) or at least ``min_cases``, else
    withheld (``None``)."""
    return count if count == 0 or count >= min_cases else None


@dataclass(frozen=True, slots=True, kw_only=True)
class JourneySteps:
    """The events of each journey in time order, the shared input of every journey measure.

    ``steps`` has one row per step event with ``run`` (the case's index), ``case``, ``activity``,
    ``timestamp``, ``prev_activity`` and ``seconds_from_prev`` (null on a case's first step),
    ``wait_seconds`` (from the previous step's completion to this step's start; equal to
    ``seconds_from_prev`` without start events), ``group`` and ``actor`` when present. ``cases``
    has one row per case: ``run``, ``case``, ``group``, ``start``, ``end``, ``events``,
    ``first_activity``, ``last_activity`` and ``variant`` (the list of its activities).
    """

    steps: pl.DataFrame
    cases: pl.DataFrame
    grouped_by: GroupBy | None
    suppressed_groups: int
    events_in_input: int

    @property
    def group_keys(self) -> list[str]:
        return [GROUP] if self.grouped_by is not None else []

    def group_of(self, row: dict[str, object]) -> str | None:
        value = row.get(GROUP) if self.grouped_by is not None else None
        return None if value is None else str(value)


def check_event_schema(schema: pl.Schema) -> None:
    """Raise ``ValueError`` unless the canonical columns are there with usable types."""
    missing = [name for name in REQUIRED_COLUMNS if name not in schema]
    if missing:
        raise ValueError(f"event log lacks the canonical column(s) {missing}")
    stamp = schema[TIMESTAMP]
    if not isinstance(stamp, pl.Datetime) or stamp.time_zone != "UTC":
        raise ValueError(f"column 'timestamp' must be an aware UTC datetime, not {stamp}")


def order_journeys(
    events: pl.DataFrame | pl.LazyFrame,
    *,
    by: GroupBy | None = None,
    min_group_cases: int = MIN_GROUP_CASES,
    grouped_by_case: bool = False,
) -> JourneySteps:
    """Put each case's events in time order (ties keep input order) and derive per-step times.

    When a ``lifecycle`` column is present, the journey is the sequence of completion events
    (``complete`` or empty); a ``start`` event gives the start time of the next completion of the
    same activity in the case (van der Aalst 2016, §4.3 on transactional life-cycles), so that
    waiting time (previous completion to start) is told apart from service time. Other life-cycle
    transitions (schedule, suspend...) are left out of the journey.

    ``grouped_by_case=True`` promises that each case's events are contiguous (as
    :func:`outsidein.io.events.read_events` returns them) and skips that check; time order
    within each case is checked regardless.
    """
    schema = events.collect_schema()
    check_event_schema(schema)
    keep = [CASE, ACTIVITY, TIMESTAMP, *(c for c in (ACTOR, LIFECYCLE) if c in schema)]
    if by is not None:
        if by not in schema:
            raise ValueError(f"cannot group by {by!r}: the event log has no {by!r} column")
        keep.append(by)
    activity = (
        pl.col(ACTIVITY)
        if schema[ACTIVITY] == pl.Categorical
        else pl.col(ACTIVITY).cast(pl.String).cast(pl.Categorical)
    )
    casts = [pl.col(CASE).cast(pl.String), activity]
    if isinstance(events, pl.DataFrame):
        frame = events.select(keep).with_columns(casts)
    else:
        frame = events.select(keep).with_columns(casts).collect(engine="streaming")
    events_in_input = frame.height
    frame = in_case_order(frame, grouped_by_case=grouped_by_case)
    steps = _with_starts(frame) if LIFECYCLE in frame.columns else frame
    steps = _with_step_times(steps)
    cases = _cases(steps, by)
    suppressed = 0
    if by is not None:
        steps, cases, suppressed = _grouped(steps, cases, min_group_cases)
    return JourneySteps(
        steps=steps,
        cases=cases,
        grouped_by=by,
        suppressed_groups=suppressed,
        events_in_input=events_in_input,
    )


def in_case_order(frame: pl.DataFrame, *, grouped_by_case: bool = False) -> pl.DataFrame:
    """Sort by case and time unless each case's events already form one time-ordered block.

    The check is linear: cases are contiguous when the first ids of the runs of equal ids are
    all distinct, which is tested on their 64-bit hashes (a collision can only make the check
    fail and sort needlessly, never pass wrongly). So the common export layout, grouped by case
    and in time order, skips the O(n log n) sort. Ties in time keep their input order either
    way, as in pm4py's ``format_dataframe``. ``grouped_by_case=True`` trusts that cases are
    contiguous and checks only time order.
    """
    if frame.height == 0:
        return frame
    same_case = pl.col(CASE) == pl.col(CASE).shift(1)
    runs = (~same_case).fill_null(True).sum()
    firsts = pl.col(CASE).filter((~same_case).fill_null(True))
    check = frame.select(
        runs=runs,
        distinct=runs if grouped_by_case else firsts.hash(seed=0).n_unique(),
        backwards=(same_case & (pl.col(TIMESTAMP) < pl.col(TIMESTAMP).shift(1))).sum(),
    ).row(0, named=True)
    if check["runs"] == check["distinct"] and check["backwards"] == 0:
        return frame
    return frame.with_row_index("_seq").sort(CASE, TIMESTAMP, "_seq").drop("_seq")


def _with_starts(frame: pl.DataFrame) -> pl.DataFrame:
    transition = pl.col(LIFECYCLE).cast(pl.String).str.strip_chars().str.to_lowercase()
    starts = frame.filter(transition == "start").select(
        CASE, ACTIVITY, pl.col(TIMESTAMP).alias("started")
    )
    completions = frame.filter(transition.is_null() | (transition == "complete")).drop(LIFECYCLE)
    if starts.height == 0:
        return completions
    return completions.join_asof(
        starts,
        left_on=TIMESTAMP,
        right_on="started",
        by=[CASE, ACTIVITY],
        strategy="backward",
        check_sortedness=False,
    )


def _with_step_times(frame: pl.DataFrame) -> pl.DataFrame:
    new_case = (pl.col(CASE) != pl.col(CASE).shift(1)).fill_null(True)
    gap = pl.when(~pl.col("_new")).then(_seconds(pl.col(TIMESTAMP).diff()))
    steps = frame.with_columns(_new=new_case).with_columns(
        run=(pl.col("_new").cum_sum().cast(pl.UInt32) - 1).set_sorted(),
        prev_activity=pl.when(~pl.col("_new")).then(pl.col(ACTIVITY).shift(1)),
        seconds_from_prev=gap,
    )
    if "started" in steps.columns:
        began = pl.coalesce("started", TIMESTAMP)
        wait = _seconds(began - pl.col(TIMESTAMP).shift(1)).clip(lower_bound=0.0)
        steps = steps.with_columns(wait_seconds=pl.when(~pl.col("_new")).then(wait))
    else:
        steps = steps.with_columns(wait_seconds=pl.col("seconds_from_prev"))
    return steps.drop("_new")


def _cases(steps: pl.DataFrame, by: GroupBy | None) -> pl.DataFrame:
    """One row per case; ``run`` is sorted, so the group-by takes polars' sorted-key fast path."""
    begin = (
        pl.coalesce(pl.col("started").first(), pl.col(TIMESTAMP).first())
        if "started" in steps.columns
        else pl.col(TIMESTAMP).first()
    )
    group = (
        [pl.col(by).drop_nulls().first().cast(pl.String).fill_null(UNKNOWN_GROUP).alias("group")]
        if by is not None
        else []
    )
    return (
        steps.group_by("run")
        .agg(
            pl.col(CASE).first(),
            *group,
            begin.alias("start"),
            pl.col(TIMESTAMP).last().alias("end"),
            pl.len().alias("events"),
            pl.col(ACTIVITY).first().alias("first_activity"),
            pl.col(ACTIVITY).last().alias("last_activity"),
            pl.col(ACTIVITY).alias("variant"),
        )
        .sort("run")
    )


def _grouped(
    steps: pl.DataFrame, cases: pl.DataFrame, min_group_cases: int
) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Give each step its case's group and drop groups too small to show (anonymity).

    The groups' journeys add up to the whole log's, which is shown too: when the hidden groups
    together hold fewer than ``min_group_cases`` cases, the whole minus the shown groups would
    give them away, so the next smallest groups are hidden as well (secondary suppression).
    """
    steps = steps.with_columns(group=cases["group"].gather(steps["run"]))
    sizes = dict(cases.group_by("group").len().iter_rows())
    hidden = hidden_groups(sizes, min_group_cases)
    out = pl.Series(list(hidden), dtype=cases.schema["group"]).implode()
    return (
        steps.filter(~pl.col("group").is_in(out)),
        cases.filter(~pl.col("group").is_in(out)),
        len(hidden),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Edge:
    """One arc of the directly-follows graph: how often ``target`` came right after ``source``."""

    source: str
    target: str
    count: int
    median_seconds: float | None
    p90_seconds: float | None
    group: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "from": self.source,
            "to": self.target,
            "count": self.count,
            "median_seconds": self.median_seconds,
            "p90_seconds": self.p90_seconds,
            "group": self.group,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Endpoint:
    """How many cases start (or end) with ``activity``."""

    activity: str
    count: int
    group: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"activity": self.activity, "count": self.count, "group": self.group}


@dataclass(frozen=True, slots=True, kw_only=True)
class DirectlyFollowsGraph:
    """The directly-follows graph with edge frequencies and durations (van der Aalst 2016, §6.2).

    Arcs and start or end points taken by fewer than k journeys are left out and counted in
    ``hidden_edges``, ``hidden_starts`` and ``hidden_ends``. A step's total drawn from the graph
    (a process map's box) must be the sum of its arcs and start point shown: a step's true
    number of visits minus the arcs shown into it would give a hidden arc's count away.
    """

    edges: tuple[Edge, ...]
    starts: tuple[Endpoint, ...]
    ends: tuple[Endpoint, ...]
    hidden_edges: int = 0
    hidden_starts: int = 0
    hidden_ends: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "edges": [edge.to_dict() for edge in self.edges],
            "starts": [point.to_dict() for point in self.starts],
            "ends": [point.to_dict() for point in self.ends],
            "hidden_edges": self.hidden_edges,
            "hidden_starts": self.hidden_starts,
            "hidden_ends": self.hidden_ends,
        }

    def to_frame(self) -> pl.DataFrame:
        return _frame([edge.to_dict() for edge in self.edges], _EDGE_SCHEMA)


_EDGE_SCHEMA: dict[str, pl.DataType] = {
    "from": pl.String(),
    "to": pl.String(),
    "count": pl.Int64(),
    "median_seconds": pl.Float64(),
    "p90_seconds": pl.Float64(),
    "group": pl.String(),
}


def _frame(rows: list[dict[str, object]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


def _ranked(frame: pl.DataFrame, keys: list[str], count: str, names: list[str]) -> pl.DataFrame:
    return frame.sort(
        [*keys, count, *names], descending=[*(False for _ in keys), True, *(False for _ in names)]
    )


def _ranked_withheld(
    frame: pl.DataFrame, keys: list[str], count: str, names: list[str], min_cases: int
) -> pl.DataFrame:
    """:func:`_ranked` where counts that will be withheld (1 to ``min_cases`` − 1) rank as
    equals, between those shown and 0, so that the order tells nothing of them."""
    withheld = pl.col(count).is_between(1, min_cases - 1)
    rank = pl.when(withheld).then(pl.lit(min_cases - 0.5)).otherwise(pl.col(count))
    return _ranked(frame.with_columns(rank.alias("_rank")), keys, "_rank", names).drop("_rank")


def directly_follows(journeys: JourneySteps, *, min_cases: int = MIN_CASES) -> DirectlyFollowsGraph:
    """Directly-follows graph: edge counts and median / p90 seconds between the two steps.

    Durations are completion to completion, as in pm4py's performance DFG; p90 interpolates
    linearly between order statistics (numpy's default). Reference: van der Aalst 2016, §6.2.
    Arcs taken by fewer than ``min_cases`` journeys (however often each took it) and start or
    end points of fewer are left out and counted (anonymity).
    """
    _check_min_cases(min_cases)
    keys = journeys.group_keys
    # one integer key per (previous, next) activity pair groups faster than two categoricals
    pair = pl.col("prev_activity").to_physical().cast(pl.UInt64) * 2**32 + pl.col(
        ACTIVITY
    ).to_physical().cast(pl.UInt64)
    edges = (
        journeys.steps.filter(pl.col("prev_activity").is_not_null())
        .group_by([*keys, pair.alias("_pair")])
        .agg(
            pl.col("prev_activity").first(),
            pl.col(ACTIVITY).first(),
            pl.len().alias("count"),
            pl.col("seconds_from_prev").median().alias("median_seconds"),
            pl.col("seconds_from_prev").quantile(P90, interpolation="linear").alias("p90"),
        )
        .with_columns(pl.col("prev_activity", ACTIVITY).cast(pl.String))
    )
    all_edges = edges.height
    edges = _ranked(
        _taken_by(edges, journeys, min_cases), keys, "count", ["prev_activity", ACTIVITY]
    )
    starts, hidden_starts = _endpoints(journeys, "first_activity", min_cases)
    ends, hidden_ends = _endpoints(journeys, "last_activity", min_cases)
    return DirectlyFollowsGraph(
        edges=tuple(
            Edge(
                source=row["prev_activity"],
                target=row[ACTIVITY],
                count=row["count"],
                median_seconds=_optional_float(row["median_seconds"]),
                p90_seconds=_optional_float(row["p90"]),
                group=journeys.group_of(row),
            )
            for row in edges.iter_rows(named=True)
        ),
        starts=starts,
        ends=ends,
        hidden_edges=all_edges - edges.height,
        hidden_starts=hidden_starts,
        hidden_ends=hidden_ends,
    )


def variant_arcs(journeys: JourneySteps) -> pl.DataFrame:
    """Each distinct arc (``prev_activity`` → ``activity``) of each distinct variant
    (``_variant``, with its ``count`` of cases), from the variants, which are far fewer than the
    events. Raw counts, not anonymised: a building block."""
    steps = pl.col("variant")
    return (
        variant_counts(journeys)
        .with_row_index("_variant")
        .with_columns(
            steps.list.slice(0, steps.list.len() - 1).alias("prev_activity"),
            steps.list.slice(1).alias(ACTIVITY),
        )
        .drop("variant")
        .explode(["prev_activity", ACTIVITY])
        .drop_nulls(["prev_activity", ACTIVITY])
        .unique(["_variant", "prev_activity", ACTIVITY], maintain_order=True)
    )


def _taken_by(arcs: pl.DataFrame, journeys: JourneySteps, min_cases: int) -> pl.DataFrame:
    """The rows of ``arcs`` (String ``prev_activity`` and ``activity``) taken by at least
    ``min_cases`` journeys."""
    if min_cases == 1:
        return arcs
    keys = [*journeys.group_keys, "prev_activity", ACTIVITY]
    taken = (
        variant_arcs(journeys)
        .group_by(keys)
        .agg(pl.col("count").sum().alias("_journeys"))
        .filter(pl.col("_journeys") >= min_cases)
        .drop("_journeys")
    )
    return arcs.join(taken, on=keys, how="semi", maintain_order="left")


def _endpoints(
    journeys: JourneySteps, column: str, min_cases: int
) -> tuple[tuple[Endpoint, ...], int]:
    keys = journeys.group_keys
    counts = journeys.cases.group_by([*keys, column]).len().with_columns(pl.col(column).cast(str))
    shown = counts.filter(pl.col("len") >= min_cases)
    points = tuple(
        Endpoint(activity=row[column], count=row["len"], group=journeys.group_of(row))
        for row in _ranked(shown, keys, "len", [column]).iter_rows(named=True)
    )
    return points, counts.height - shown.height


@dataclass(frozen=True, slots=True, kw_only=True)
class Variant:
    """One trace variant: a distinct sequence of steps, with the cases that took it."""

    steps: tuple[str, ...]
    count: int
    share: float
    group: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "steps": list(self.steps),
            "count": self.count,
            "share": self.share,
            "group": self.group,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Variants:
    """Trace variants, most frequent first, with counts and shares of cases (van der Aalst §5.3).

    ``total`` is the number of distinct variants (summed over groups when grouped); ``variants``
    holds those followed by at least ``min_cases`` journeys, maybe cut to the most frequent;
    ``cases`` counts all cases. The rarer variants are left out (anonymity): ``rare_variants``
    says how many there are and ``rare_cases`` how many journeys they hold together.
    """

    variants: tuple[Variant, ...]
    total: int
    cases: int
    rare_variants: int
    rare_cases: int
    min_cases: int

    def to_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "cases": self.cases,
            "variants": [variant.to_dict() for variant in self.variants],
            "rare_variants": self.rare_variants,
            "rare_cases": self.rare_cases,
            "min_cases": self.min_cases,
        }

    def to_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "steps": [list(v.steps) for v in self.variants],
                "count": [v.count for v in self.variants],
                "share": [v.share for v in self.variants],
                "group": [v.group for v in self.variants],
            },
            schema={
                "steps": pl.List(pl.String),
                "count": pl.Int64,
                "share": pl.Float64,
                "group": pl.String,
            },
        )


def variant_counts(journeys: JourneySteps) -> pl.DataFrame:
    """Each distinct variant (``variant``: list of activities) with its ``count`` of cases.

    Raw counts, rare variants included: a building block, not a result to publish (that is
    :func:`variants`)."""
    keys = journeys.group_keys
    return (
        journeys.cases.group_by([*keys, "variant"])
        .len("count")
        .with_columns(pl.col("variant").cast(pl.List(pl.String)))
    )


def _per_group(expr: pl.Expr, keys: list[str]) -> pl.Expr:
    return expr.over(keys) if keys else expr


def _rare_variants(counts: pl.DataFrame, keys: list[str], min_cases: int) -> pl.Series:
    """Which variants (rows of ``counts``) are not listed: those of fewer than ``min_cases``
    journeys and, where these hold fewer than ``min_cases`` journeys (of their group), the
    least followed other one (ties: by steps), which has ``min_cases`` or more on its own."""
    rare = pl.col("count") < min_cases
    held = _per_group(pl.col("count").filter(rare).sum(), keys)
    order = pl.struct("count", "_key").rank("ordinal")
    least_common = order == _per_group(order.filter(~rare).min(), keys)
    return counts.select(
        rare | (~rare & least_common & (held > 0) & (held < min_cases))
    ).to_series()


def variants(
    journeys: JourneySteps, *, top: int | None = None, min_cases: int = MIN_CASES
) -> Variants:
    """Trace variants with counts and shares of cases, most frequent first (ties by steps).

    Variants followed by fewer than ``min_cases`` journeys are counted, not listed. Whatever
    each journey carries (its fitness to a model, whether it completed, its events) summed over
    all journeys minus the variants listed gives the same for the rarer ones together, so they
    must hold at least ``min_cases`` journeys: when they hold fewer, the least followed variant
    listed is counted with them (secondary suppression, as for segments). A share is of all
    the journeys (of the group).
    """
    _check_min_cases(min_cases)
    keys = journeys.group_keys
    counts = variant_counts(journeys)
    counts = counts.with_columns(
        (pl.col("count") / _per_group(pl.col("count").sum(), keys)).alias("share"),
        pl.col("variant").list.join("\x1f").alias("_key"),
    )
    total = counts.height
    hidden = _rare_variants(counts, keys, min_cases)
    rare = counts.filter(hidden)
    counts = _ranked(counts.filter(~hidden), keys, "count", ["_key"])
    if top is not None:
        counts = counts.group_by(keys, maintain_order=True).head(top) if keys else counts.head(top)
    return Variants(
        variants=tuple(
            Variant(
                steps=tuple(row["variant"]),
                count=row["count"],
                share=row["share"],
                group=journeys.group_of(row),
            )
            for row in counts.iter_rows(named=True)
        ),
        total=total,
        cases=journeys.cases.height,
        rare_variants=rare.height,
        rare_cases=int(rare["count"].sum()),
        min_cases=min_cases,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Throughput:
    """Case throughput time, first event to last, in seconds (van der Aalst 2016, §9.4)."""

    cases: int
    median_seconds: float | None
    p90_seconds: float | None
    mean_seconds: float | None
    group: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "median": self.median_seconds,
            "p90": self.p90_seconds,
            "mean": self.mean_seconds,
            "group": self.group,
        }


def throughput(journeys: JourneySteps, *, min_cases: int = MIN_CASES) -> tuple[Throughput, ...]:
    """Median, p90 (linear interpolation) and mean case duration, per group when grouped.

    A one-event case lasts 0 seconds and counts. With start events, a case begins at its first
    start. An empty log gives one row with ``cases=0`` and no times (not estimable); so does a
    log (or group) of fewer than ``min_cases`` journeys (withheld: anonymity).
    """
    _check_min_cases(min_cases)
    keys = journeys.group_keys
    durations = journeys.cases.with_columns(_seconds(pl.col("end") - pl.col("start")).alias("s"))
    aggregations = [
        pl.len().alias("cases"),
        pl.col("s").median().alias("median"),
        pl.col("s").quantile(P90, interpolation="linear").alias("p90"),
        pl.col("s").mean().alias("mean"),
    ]
    table = (
        durations.group_by(keys).agg(aggregations).sort(keys)
        if keys
        else durations.select(aggregations)
    )
    return tuple(
        _throughput_row(row, journeys.group_of(row), shown=row["cases"] >= min_cases)
        for row in table.iter_rows(named=True)
    )


def _throughput_row(row: dict[str, Any], group: str | None, *, shown: bool) -> Throughput:
    def seconds(key: str) -> float | None:
        return _optional_float(row[key]) if shown else None

    return Throughput(
        cases=row["cases"],
        median_seconds=seconds("median"),
        p90_seconds=seconds("p90"),
        mean_seconds=seconds("mean"),
        group=group,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class StepDropOff:
    """Cases that reached ``step`` and how many of them stopped there without finishing.

    ``cases_stopping`` and ``stop_share`` are withheld (``None``) when between 1 and k − 1
    journeys stopped there.
    """

    step: str
    cases_reaching: int
    cases_stopping: int | None
    stop_share: float | None
    is_end_step: bool
    group: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "step": self.step,
            "cases_reaching": self.cases_reaching,
            "cases_stopping": self.cases_stopping,
            "stop_share": self.stop_share,
            "is_end_step": self.is_end_step,
            "group": self.group,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Completion:
    """Share of cases whose journey ends in an end step (withheld below k journeys)."""

    cases: int
    completed: int | None
    share: float | None
    group: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "completed": self.completed,
            "share": self.share,
            "group": self.group,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class DropOff:
    """Where journeys stop before an end step; end steps given or inferred (``inferred``)."""

    end_steps: tuple[str, ...]
    inferred: bool
    completion: tuple[Completion, ...]
    steps: tuple[StepDropOff, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "end_steps": list(self.end_steps),
            "inferred": self.inferred,
            "completion": [row.to_dict() for row in self.completion],
            "steps": [row.to_dict() for row in self.steps],
        }

    def to_frame(self) -> pl.DataFrame:
        return _frame(
            [row.to_dict() for row in self.steps],
            {
                "step": pl.String(),
                "cases_reaching": pl.Int64(),
                "cases_stopping": pl.Int64(),
                "stop_share": pl.Float64(),
                "is_end_step": pl.Boolean(),
                "group": pl.String(),
            },
        )


END_SHARE = 0.5
"""An activity is inferred to be an end step when at least this share of the cases that
contain it end with it (e.g. a payment that closes most of the journeys it appears in)."""


def infer_end_steps(
    journeys: JourneySteps, *, end_share: float = END_SHARE, min_cases: int = MIN_CASES
) -> tuple[str, ...]:
    """End steps of the process: activities that end at least ``end_share`` of their cases.

    Only activities of at least ``min_cases`` journeys are candidates: the list is published,
    and a rare step in it would name what a few customers did.
    """
    _check_min_cases(min_cases)
    reached = _cases_reaching(journeys, []).filter(pl.col("reaching") >= min_cases)
    ending = journeys.cases.group_by(pl.col("last_activity").cast(pl.String).alias(ACTIVITY)).len(
        "ending"
    )
    table = reached.join(ending, on=ACTIVITY, how="left").fill_null(0)
    chosen = table.filter(pl.col("ending") >= end_share * pl.col("reaching"))
    return tuple(sorted(chosen[ACTIVITY].cast(pl.String).to_list()))


def _cases_reaching(journeys: JourneySteps, keys: list[str]) -> pl.DataFrame:
    if keys != journeys.group_keys:
        pooled = variant_counts(journeys).group_by("variant").agg(pl.col("count").sum())
        exploded = (
            pooled.with_row_index("_variant").explode("variant").unique(["_variant", "variant"])
        )
        return exploded.group_by(pl.col("variant").alias(ACTIVITY)).agg(
            pl.col("count").sum().alias("reaching")
        )
    return activity_cases(journeys).select([*keys, ACTIVITY, pl.col("cases").alias("reaching")])


def drop_off(
    journeys: JourneySteps,
    *,
    end_steps: Collection[str] | None = None,
    end_share: float = END_SHARE,
    min_cases: int = MIN_CASES,
) -> DropOff:
    """Completion share and, per step, the cases that stopped there before an end step.

    A case *completes* when its last step is an end step; otherwise it dropped off at its last
    step. Without ``end_steps`` they are inferred by :func:`infer_end_steps`. Steps reached by
    fewer than ``min_cases`` journeys are left out; a number stopping at a step that is neither
    0 nor at least ``min_cases`` is withheld, and so is the completion of fewer than
    ``min_cases`` journeys.
    """
    _check_min_cases(min_cases)
    inferred = end_steps is None
    ends = (
        infer_end_steps(journeys, end_share=end_share, min_cases=min_cases)
        if end_steps is None
        else tuple(end_steps)
    )
    keys = journeys.group_keys
    is_end = pl.col("last_activity").cast(pl.String).is_in(list(ends))
    completion = (
        journeys.cases.group_by(keys).agg(pl.len().alias("cases"), is_end.sum().alias("completed"))
        if keys
        else journeys.cases.select(pl.len().alias("cases"), is_end.sum().alias("completed"))
    )
    stopping = (
        journeys.cases.filter(~is_end)
        .group_by([*keys, pl.col("last_activity").cast(pl.String).alias(ACTIVITY)])
        .len("stopping")
    )
    table = (
        _cases_reaching(journeys, keys)
        .join(stopping, on=[*keys, ACTIVITY], how="left")
        .with_columns(pl.col("stopping").fill_null(0), pl.col(ACTIVITY).cast(pl.String))
    )
    table = table.filter(pl.col("reaching") >= min_cases)
    table = _ranked_withheld(table, keys, "stopping", [ACTIVITY], min_cases)
    return DropOff(
        end_steps=ends,
        inferred=inferred,
        completion=tuple(
            _completion(row, journeys.group_of(row), shown=row["cases"] >= min_cases)
            for row in (completion.sort(keys) if keys else completion).iter_rows(named=True)
        ),
        steps=tuple(
            StepDropOff(
                step=row[ACTIVITY],
                cases_reaching=row["reaching"],
                cases_stopping=stopping,
                stop_share=None if stopping is None else stopping / row["reaching"],
                is_end_step=row[ACTIVITY] in ends,
                group=journeys.group_of(row),
            )
            for row in table.iter_rows(named=True)
            for stopping in [shown_count(row["stopping"], min_cases)]
        ),
    )


def _completion(row: dict[str, int], group: str | None, *, shown: bool) -> Completion:
    cases, completed = row["cases"], row["completed"]
    return Completion(
        cases=cases,
        completed=completed if shown else None,
        share=completed / cases if shown and cases else None,
        group=group,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class StepRework:
    """Loops back to ``step``: cases that did it more than once and the repeated events.

    ``cases_with_rework``, ``repeat_events`` and ``share`` are withheld (``None``) when between
    1 and k − 1 journeys looped back to the step.
    """

    step: str
    cases: int
    cases_with_rework: int | None
    repeat_events: int | None
    share: float | None
    group: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "step": self.step,
            "cases": self.cases,
            "cases_with_rework": self.cases_with_rework,
            "repeat_events": self.repeat_events,
            "share": self.share,
            "group": self.group,
        }


def activity_cases(journeys: JourneySteps) -> pl.DataFrame:
    """Per activity (and group): ``cases`` containing it, ``with_rework`` (cases doing it more
    than once) and ``repeats`` (occurrences beyond the first), computed on the variants, which
    are far fewer than the events. Raw counts, not anonymised: a building block."""
    keys = journeys.group_keys
    return (
        variant_counts(journeys)
        .with_row_index("_variant")
        .explode("variant")
        .group_by([*keys, "_variant", "variant"])
        .agg(pl.len().alias("n"), pl.col("count").first())
        .group_by([*keys, pl.col("variant").alias(ACTIVITY)])
        .agg(
            pl.col("count").sum().alias("cases"),
            pl.col("count").filter(pl.col("n") > 1).sum().alias("with_rework"),
            ((pl.col("n") - 1) * pl.col("count")).sum().alias("repeats"),
        )
    )


def rework(journeys: JourneySteps, *, min_cases: int = MIN_CASES) -> tuple[StepRework, ...]:
    """Rework per step: an event whose activity the case has already visited is a loop back.

    ``repeat_events`` = occurrences − cases containing the step; ``share`` = cases with rework /
    cases with the step. Steps sorted by cases with rework, most first. Steps of fewer than
    ``min_cases`` journeys are left out, and rework of 1 to ``min_cases`` − 1 journeys is
    withheld.
    """
    _check_min_cases(min_cases)
    keys = journeys.group_keys
    table = activity_cases(journeys).filter(pl.col("cases") >= min_cases)
    table = _ranked_withheld(table, keys, "with_rework", [ACTIVITY], min_cases)
    return tuple(
        StepRework(
            step=row[ACTIVITY],
            cases=row["cases"],
            cases_with_rework=looped,
            repeat_events=None if looped is None else row["repeats"],
            share=None if looped is None else looped / row["cases"],
            group=journeys.group_of(row),
        )
        for row in table.iter_rows(named=True)
        for looped in [shown_count(row["with_rework"], min_cases)]
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class WaitingHotSpot:
    """Waiting between two steps: how much of all customer waiting time is spent on this edge."""

    source: str
    target: str
    count: int
    total_seconds: float
    share_of_waiting: float | None
    median_seconds: float | None
    p90_seconds: float | None
    group: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "from": self.source,
            "to": self.target,
            "count": self.count,
            "total_seconds": self.total_seconds,
            "share_of_waiting": self.share_of_waiting,
            "median_seconds": self.median_seconds,
            "p90_seconds": self.p90_seconds,
            "group": self.group,
        }


def waiting_hot_spots(
    journeys: JourneySteps, *, top: int = 10, min_cases: int = MIN_CASES
) -> tuple[WaitingHotSpot, ...]:
    """Edges where customers wait longest in total, with their share of the waiting time.

    Waiting is the time from one step's completion to the next step's start (its completion
    when the log has no start events). Ranking by total rather than median time puts frequent
    moderate waits above rare long ones, which is where most customer time is lost.

    Anonymity: waits add up to the journeys' durations (without start events), so the arcs
    left out must hold at least ``min_cases`` journeys together, or their total wait, worked
    out from the mean throughput minus the totals shown, would be a few customers' time. Arcs
    of fewer than ``min_cases`` journeys are left out, then the least taken others until those
    left out hold at least ``min_cases`` journeys; a share is of the waiting on the arcs shown.
    """
    _check_min_cases(min_cases)
    keys = journeys.group_keys
    arcs = [*keys, "prev_activity", ACTIVITY]
    waits = journeys.steps.filter(pl.col("prev_activity").is_not_null())
    table = (
        waits.group_by(arcs)
        .agg(
            pl.len().alias("count"),
            pl.col("wait_seconds").sum().alias("total"),
            pl.col("wait_seconds").median().alias("median"),
            pl.col("wait_seconds").quantile(P90, interpolation="linear").alias("p90"),
        )
        .with_columns(pl.col("prev_activity", ACTIVITY).cast(pl.String))
        .join(_additive_arcs(journeys, min_cases), on=arcs, how="semi")
        .with_columns(
            (
                pl.col("total")
                / (pl.col("total").sum().over(keys) if keys else pl.col("total").sum())
            ).alias("share"),
        )
    )
    table = _ranked(table, keys, "total", ["prev_activity", ACTIVITY])
    table = table.group_by(keys, maintain_order=True).head(top) if keys else table.head(top)
    return tuple(
        WaitingHotSpot(
            source=row["prev_activity"],
            target=row[ACTIVITY],
            count=row["count"],
            total_seconds=float(row["total"]),
            share_of_waiting=_finite_or_none(row["share"]),
            median_seconds=_optional_float(row["median"]),
            p90_seconds=_optional_float(row["p90"]),
            group=journeys.group_of(row),
        )
        for row in table.iter_rows(named=True)
    )


def _additive_arcs(journeys: JourneySteps, min_cases: int) -> pl.DataFrame:
    """The arcs (per group) whose sums may be shown: each is taken by at least ``min_cases``
    journeys, and the arcs not shown hold at least ``min_cases`` journeys together (or none).

    Secondary suppression as for groups (:func:`_grouped`): while the journeys that take a
    hidden arc number fewer than ``min_cases``, the least taken shown arc is hidden too.
    """
    keys = journeys.group_keys
    arcs = variant_arcs(journeys)
    columns = [*keys, "prev_activity", ACTIVITY]
    taken = arcs.group_by(columns).agg(pl.col("count").sum().alias("journeys"))
    if min_cases == 1:
        return taken.select(columns)
    shown: list[dict[str, object]] = []
    groups = taken.partition_by(keys) if keys else [taken]
    for group in groups:
        ranked = group.sort("journeys", "prev_activity", ACTIVITY).to_dicts()
        hidden = [arc for arc in ranked if arc["journeys"] < min_cases]
        visible = [arc for arc in ranked if arc["journeys"] >= min_cases]
        while hidden and visible and _journeys_taking(arcs, hidden, columns) < min_cases:
            hidden.append(visible.pop(0))
        shown += visible
    return pl.DataFrame(shown, schema=taken.schema, orient="row").select(columns)


def _journeys_taking(arcs: pl.DataFrame, chosen: list[dict[str, object]], on: list[str]) -> int:
    """How many journeys take at least one of the ``chosen`` arcs."""
    wanted = pl.DataFrame(chosen, schema={c: arcs.schema[c] for c in on}, orient="row")
    hit = arcs.join(wanted.select(on), on=on, how="semi").unique("_variant")
    return int(hit["count"].sum())


def _finite_or_none(value: float | None) -> float | None:
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return None
    return float(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class JourneySummary:
    """Everything the journey engine measures on one event log.

    ``activities`` lists the steps of at least ``min_cases`` journeys; ``hidden_activities``
    counts the others. Every part leaves out or withholds what fewer than ``min_cases``
    journeys stand behind (see the module's notes on anonymity).
    """

    cases: int
    events: int
    activities: tuple[str, ...]
    hidden_activities: int
    min_cases: int
    grouped_by: GroupBy | None
    suppressed_groups: int
    graph: DirectlyFollowsGraph
    variants: Variants
    throughput: tuple[Throughput, ...]
    drop_off: DropOff
    rework: tuple[StepRework, ...]
    waiting: tuple[WaitingHotSpot, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "cases": self.cases,
            "events": self.events,
            "activities": list(self.activities),
            "hidden_activities": self.hidden_activities,
            "min_cases": self.min_cases,
            "grouped_by": self.grouped_by,
            "suppressed_groups": self.suppressed_groups,
            "graph": self.graph.to_dict(),
            "variants": self.variants.to_dict(),
            "throughput": [row.to_dict() for row in self.throughput],
            "drop_off": self.drop_off.to_dict(),
            "rework": [row.to_dict() for row in self.rework],
            "waiting": [row.to_dict() for row in self.waiting],
        }


def activities(journeys: JourneySteps, *, min_cases: int = 1) -> tuple[str, ...]:
    """The distinct activities of the journeys (those of at least ``min_cases`` of them), sorted.

    Pass the anonymity threshold where the list is published: a step that only a few customers
    took names what they did.
    """
    _check_min_cases(min_cases)
    if min_cases == 1:
        return tuple(sorted(journeys.steps[ACTIVITY].unique().cast(pl.String).to_list()))
    pooled = _cases_reaching(journeys, []).filter(pl.col("reaching") >= min_cases)
    return tuple(sorted(pooled[ACTIVITY].cast(pl.String).to_list()))


def summarize_journeys(
    events: pl.DataFrame | pl.LazyFrame | JourneySteps,
    *,
    by: GroupBy | None = None,
    end_steps: Iterable[str] | None = None,
    top: int = 10,
    min_cases: int = MIN_CASES,
) -> JourneySummary:
    """All journey measures of an event log: graph, variants, throughput, drop-off, rework, waits.

    ``min_cases`` is the anonymity threshold k: nothing resting on fewer journeys is in the
    result (groups of fewer are suppressed as well, when ``events`` is not yet ordered).

    Example::

        summarize_journeys(events, by="segment").throughput
    """
    _check_min_cases(min_cases)
    journeys = (
        events
        if isinstance(events, JourneySteps)
        else order_journeys(events, by=by, min_group_cases=min_cases)
    )
    shown = activities(journeys, min_cases=min_cases)
    return JourneySummary(
        cases=journeys.cases.height,
        events=journeys.steps.height,
        activities=shown,
        hidden_activities=len(activities(journeys)) - len(shown),
        min_cases=min_cases,
        grouped_by=journeys.grouped_by,
        suppressed_groups=journeys.suppressed_groups,
        graph=directly_follows(journeys, min_cases=min_cases),
        variants=variants(journeys, top=top, min_cases=min_cases),
        throughput=throughput(journeys, min_cases=min_cases),
        drop_off=drop_off(
            journeys,
            end_steps=None if end_steps is None else tuple(end_steps),
            min_cases=min_cases,
        ),
        rework=rework(journeys, min_cases=min_cases),
        waiting=waiting_hot_spots(journeys, top=top, min_cases=min_cases),
    )
