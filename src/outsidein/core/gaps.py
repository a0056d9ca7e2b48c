"""The understanding and delivery gaps: staff beliefs about quality against customers' evidence.

Per staff role (DESIGN §1.3). The **understanding gap** is the rank agreement (Kendall τ-b)
between the importance staff believe each attribute has and the importance customers reveal:
derived importance (Johnson's relative weights on overall satisfaction) when an overall rating
exists, stated importance otherwise. Its bootstrap CI resamples staff respondents *and*
customers, so both rankings' uncertainty is in it. The **delivery gap** is staff-believed minus
customer-perceived performance per attribute on the 1–7 scale, with a Welch or bootstrap CI.

Attributes named as over- or under-estimated: let ``shift = customer rank − staff rank``
(rank 1 = most important, ties averaged). An attribute is *overestimated* (staff think it
matters more than it does to customers) when ``shift ≥ min_rank_shift`` (default 2 places)
and the bootstrap percentile CI of the shift lies above 0; *underestimated* symmetrically.
Requiring both a sizeable shift and a CI that excludes no shift keeps noise in either ranking
from naming attributes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl
from scipy import stats

from outsidein.core.quality import (
    DEFAULT_DRIVER_RESAMPLES,
    DEFAULT_MIN_GROUP,
    Columns,
    CommonScale,
    ImportanceSource,
    NotEstimable,
    Suppressed,
    column_map,
    driver_data,
    driver_problem,
    numeric_matrix,
    relative_weight_replicates,
    relative_weights,
    rescale,
    stated_importance_replicates,
)
from outsidein.core.resampling import (
    DEFAULT_LEVEL,
    FloatArray,
    as_generator,
    bootstrap_column_means,
)

STAFF_SCALE = (1.0, 7.0)
DeliveryMethod = Literal["welch", "bootstrap"]
_TIE_TOLERANCE = 1e-9


# --- Kendall's tau-b, vectorised -------------------------------------------------------------


def kendall_tau_b(x: npt.ArrayLike, y: npt.ArrayLike) -> FloatArray:
    """Kendall's τ-b of two rankings, vectorised over leading axes (last axis: the items).

    ``τ_b = (C − D) / sqrt((n₀ − n₁)(n₀ − n₂))`` with ties in either ranking (Kendall 1945;
    as ``scipy.stats.kendalltau``). Differences within a relative 1e-9 count as ties, so
    means equal up to rounding tie. NaN where a ranking is all ties.
    """
    a = np.asarray(x, dtype=np.float64)
    b = np.asarray(y, dtype=np.float64)
    i, j = np.triu_indices(a.shape[-1], 1)
    sa = _signs(a[..., i] - a[..., j], a)
    sb = _signs(b[..., i] - b[..., j], b)
    untied = np.count_nonzero(sa, axis=-1) * np.count_nonzero(sb, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(untied > 0, (sa * sb).sum(axis=-1) / np.sqrt(untied), np.nan)


def _row_scale(values: FloatArray) -> FloatArray:
    """The largest absolute value of each row (NaNs ignored; at least a tiny positive)."""
    magnitude = np.abs(np.where(np.isnan(values), 0.0, values))
    scale: FloatArray = np.maximum(magnitude.max(axis=-1, keepdims=True), 1e-300)
    return scale


def _signs(differences: FloatArray, values: FloatArray) -> FloatArray:
    tolerance = _TIE_TOLERANCE * _row_scale(values)
    return np.where(np.abs(differences) > tolerance, np.sign(differences), 0.0)


def importance_ranks(values: npt.ArrayLike) -> FloatArray:
    """Ranks with 1 = most important, ties averaged; vectorised over leading axes."""
    x = np.asarray(values, dtype=np.float64)
    # Rounding relative to the row's scale makes means equal up to rounding tie, as in tau.
    rounded = np.round(-x / _row_scale(x), 9)
    return np.asarray(stats.rankdata(rounded, axis=-1, method="average"), dtype=np.float64)


# --- what customers reveal -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RevealedImportance:
    """The importance customers reveal per attribute, with bootstrap replicates ``(B, k)``."""

    attributes: tuple[str, ...]
    estimate: FloatArray
    replicates: FloatArray
    source: ImportanceSource
    n: int
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok", "source": self.source, "n": self.n, "method": self.method,
            "importance": {a: float(v) if math.isfinite(v) else None
                           for a, v in zip(self.attributes, self.estimate, strict=True)},
        }


def revealed_importance(
    customers: pl.DataFrame, *, attributes: Columns, importance_columns: Columns | None = None,
    overall: str | None = None, seed: int | np.random.Generator,
    resamples: int = DEFAULT_DRIVER_RESAMPLES, min_group: int = DEFAULT_MIN_GROUP,
) -> RevealedImportance | Suppressed | NotEstimable:
    """Importance customers reveal: relative weights on ``overall`` if estimable, else stated.

    Derived importance is Johnson's (2000) relative weight of each attribute rating on overall
    satisfaction (listwise complete customers); stated importance is the mean importance
    answer. Replicates resample customers (multinomial counts, vectorised).
    """
    names = list(column_map(attributes))
    reasons: list[str] = []
    if overall is not None:
        _, data = driver_data(customers, attributes, overall)
        if data.shape[0] < min_group:
            return Suppressed(what="customer importance", threshold=min_group)
        problem = driver_problem(data, len(names))
        if problem is None:
            k = len(names)
            corr = np.atleast_2d(np.corrcoef(data, rowvar=False))
            return RevealedImportance(
                attributes=tuple(names),
                estimate=relative_weights(corr[:k, :k], corr[:k, k]),
                replicates=relative_weight_replicates(data, seed=seed, resamples=resamples),
                source="derived", n=int(data.shape[0]),
                method="derived importance: Johnson (2000) relative weights on overall "
                       "satisfaction",
            )
        reasons.append(f"derived importance not estimable ({problem})")
    if importance_columns is not None:
        mapping = column_map(importance_columns)
        missing = [a for a in names if a not in mapping]
        if missing:
            raise ValueError(f"no stated importance column for: {', '.join(missing)}")
        matrix = numeric_matrix(customers, [mapping[a] for a in names])
        answered = matrix[~np.isnan(matrix).all(axis=1)]
        if answered.shape[0] < min_group:
            return Suppressed(what="customer importance", threshold=min_group)
        # an attribute fewer than k customers rated has no figure (NaN: left out of the ranks)
        few = (~np.isnan(answered)).sum(axis=0) < min_group
        estimate = np.nanmean(answered, axis=0)
        estimate[few] = np.nan
        replicates = stated_importance_replicates(answered, seed=seed, resamples=resamples)
        replicates[:, few] = np.nan
        return RevealedImportance(
            attributes=tuple(names), estimate=estimate,
            replicates=replicates,
            source="stated", n=int(answered.shape[0]),
            method="stated importance: mean customer importance rating"
                   + (f"; {reasons[0]}" if reasons else ""),
        )
    return NotEstimable(
        what="customer importance", n=customers.height,
        reason=reasons[0] if reasons else "no overall satisfaction and no stated importance",
    )


# --- the understanding gap -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributeRank:
    """An attribute's importance rank by staff and by customers, and the shift between them."""

    attribute: str
    staff_importance: float
    customer_importance: float
    staff_rank: float
    customer_rank: float
    rank_shift: float
    shift_ci_low: float
    shift_ci_high: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "staff_importance": self.staff_importance,
            "customer_importance": self.customer_importance, "staff_rank": self.staff_rank,
            "customer_rank": self.customer_rank, "rank_shift": self.rank_shift,
            "shift_ci_low": self.shift_ci_low, "shift_ci_high": self.shift_ci_high,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class UnderstandingGap:
    """Rank agreement of one role's believed importance with customers' revealed importance."""

    role: str
    tau: float
    ci_low: float
    ci_high: float
    n_staff: int
    n_customers: int
    overestimated: tuple[str, ...]
    underestimated: tuple[str, ...]
    method: str
    importance_source: ImportanceSource
    level: float
    ranks: tuple[AttributeRank, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok", "role": self.role, "tau": self.tau, "ci_low": self.ci_low,
            "ci_high": self.ci_high, "n_staff": self.n_staff, "n_customers": self.n_customers,
            "overestimated": list(self.overestimated),
            "underestimated": list(self.underestimated),
            "importance_source": self.importance_source, "level": self.level,
            "method": self.method, "ranks": {r.attribute: r.to_dict() for r in self.ranks},
        }

    def to_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [{"attribute": r.attribute, **r.to_dict()} for r in self.ranks],
            schema={"attribute": pl.String, "staff_importance": pl.Float64,
                    "customer_importance": pl.Float64, "staff_rank": pl.Float64,
                    "customer_rank": pl.Float64, "rank_shift": pl.Float64,
                    "shift_ci_low": pl.Float64, "shift_ci_high": pl.Float64},
        )


def staff_groups(
    staff: pl.DataFrame, attributes: Sequence[str]
) -> dict[str, FloatArray]:
    """Role → answers ``(respondents, attributes)``; respondents with no answer are left out."""
    for column in ("respondent_id", "role"):
        if column not in staff.columns:
            raise ValueError(f"missing column: {column}")
    groups: dict[str, FloatArray] = {}
    for role in sorted(staff.get_column("role").drop_nulls().unique().to_list()):
        matrix = numeric_matrix(staff.filter(pl.col("role") == role), list(attributes))
        groups[str(role)] = matrix[~np.isnan(matrix).all(axis=1)]
    return groups


def understanding_gap_for_role(
    role: str, staff: FloatArray, revealed: RevealedImportance, *,
    seed: int | np.random.Generator, resamples: int = DEFAULT_DRIVER_RESAMPLES,
    level: float = DEFAULT_LEVEL, min_group: int = DEFAULT_MIN_GROUP, min_rank_shift: float = 2.0,
) -> UnderstandingGap | Suppressed | NotEstimable:
    """Kendall τ-b of one role's mean believed importance against revealed importance.

    The CI is the percentile interval of τ-b over paired replicates: staff respondents of the
    role resampled (NaN-aware means) and, independently, customers (``revealed.replicates``).
    Over- and under-estimated attributes follow the rule in the module docstring.
    """
    what = f"understanding gap ({role})"
    if staff.shape[0] < min_group:
        return Suppressed(what=what, threshold=min_group)
    # an attribute's believed importance is a figure of its own: it needs k answers, and so
    # does its importance to customers
    answered: npt.NDArray[np.bool_] = np.asarray(
        ((~np.isnan(staff)).sum(axis=0) >= min_group) & np.isfinite(revealed.estimate)
    )
    if answered.sum() < 3:
        return NotEstimable(what=what, n=int(staff.shape[0]),
                            reason=f"fewer than three attributes with {min_group} staff answers")
    names = [a for a, keep in zip(revealed.attributes, answered.tolist(), strict=True) if keep]
    believed = np.nanmean(staff[:, answered], axis=0)
    customer = revealed.estimate[answered]
    tau = float(kendall_tau_b(believed, customer))
    if not math.isfinite(tau):
        return NotEstimable(what=what, n=int(staff.shape[0]),
                            reason="one side ranks every attribute equally")
    staff_reps = bootstrap_column_means(staff[:, answered], seed=seed, resamples=resamples)
    customer_reps = revealed.replicates[:, answered]
    taus = kendall_tau_b(staff_reps, customer_reps)
    # a resample can draw only people who skipped an attribute: its mean is then undefined
    usable = (
        np.isfinite(taus)
        & np.isfinite(customer_reps).all(axis=1)
        & np.isfinite(staff_reps).all(axis=1)
    )
    if usable.sum() < resamples // 2:
        return NotEstimable(what=what, n=int(staff.shape[0]),
                            reason="most bootstrap resamples rank every attribute equally")
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(taus[usable], [alpha, 1.0 - alpha])
    shifts = importance_ranks(customer_reps[usable]) - importance_ranks(staff_reps[usable])
    shift_low, shift_high = np.quantile(shifts, [alpha, 1.0 - alpha], axis=0)
    staff_rank, customer_rank = importance_ranks(believed), importance_ranks(customer)
    ranks = tuple(
        AttributeRank(
            attribute=a, staff_importance=float(believed[j]),
            customer_importance=float(customer[j]), staff_rank=float(staff_rank[j]),
            customer_rank=float(customer_rank[j]),
            rank_shift=float(customer_rank[j] - staff_rank[j]),
            shift_ci_low=float(shift_low[j]), shift_ci_high=float(shift_high[j]),
        )
        for j, a in enumerate(names)
    )
    over = tuple(r.attribute for r in ranks
                 if r.rank_shift >= min_rank_shift and r.shift_ci_low > 0)
    under = tuple(r.attribute for r in ranks
                  if r.rank_shift <= -min_rank_shift and r.shift_ci_high < 0)
    return UnderstandingGap(
        role=role, tau=tau, ci_low=float(low), ci_high=float(high),
        n_staff=int(staff.shape[0]), n_customers=revealed.n, overestimated=over,
        underestimated=under, importance_source=revealed.source, level=level, ranks=ranks,
        method=(
            f"Kendall tau-b of mean believed importance against {revealed.method}; bootstrap "
            f"percentile CI ({int(usable.sum())} resamples of staff and customers); named when "
            f"the rank shift is at least {min_rank_shift:g} places and its CI excludes 0"
        ),
    )


def understanding_gap(
    staff_importance: pl.DataFrame, customers: pl.DataFrame, *, attributes: Columns,
    importance_columns: Columns | None = None, overall: str | None = None,
    seed: int | np.random.Generator, resamples: int = DEFAULT_DRIVER_RESAMPLES,
    level: float = DEFAULT_LEVEL, min_group: int = DEFAULT_MIN_GROUP,
    min_rank_shift: float = 2.0,
) -> dict[str, UnderstandingGap | Suppressed | NotEstimable]:
    """Understanding gap per role: τ-b of believed vs revealed importance, with bootstrap CI.

    ``staff_importance`` has ``respondent_id``, ``role`` and one column per attribute id (the
    keys of ``attributes``); ``customers`` one row per customer with the rating columns named
    by ``attributes``, and optionally ``overall`` and stated ``importance_columns``.
    """
    rng = as_generator(seed)
    customer_rng, staff_rng = rng.spawn(2)
    names = list(column_map(attributes))
    groups = staff_groups(staff_importance, names)
    revealed = revealed_importance(
        customers, attributes=attributes, importance_columns=importance_columns, overall=overall,
        seed=customer_rng, resamples=resamples, min_group=min_group)
    role_rngs = staff_rng.spawn(max(len(groups), 1))
    out: dict[str, UnderstandingGap | Suppressed | NotEstimable] = {}
    for (role, matrix), role_rng in zip(groups.items(), role_rngs, strict=False):
        if isinstance(revealed, RevealedImportance):
            out[role] = understanding_gap_for_role(
                role, matrix, revealed, seed=role_rng, resamples=resamples, level=level,
                min_group=min_group, min_rank_shift=min_rank_shift)
        elif isinstance(revealed, Suppressed):
            out[role] = Suppressed(what=f"understanding gap ({role})", threshold=min_group)
        else:
            out[role] = NotEstimable(what=f"understanding gap ({role})", reason=revealed.reason,
                                     n=revealed.n)
    return out


# --- the delivery gap ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryGap:
    """Staff-believed minus customer-perceived performance of one attribute, on 1–7."""

    role: str
    attribute: str
    staff_mean: float
    customer_mean: float
    gap: float
    ci_low: float
    ci_high: float
    n_staff: int
    n_customers: int
    method: str
    level: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok", "role": self.role, "attribute": self.attribute,
            "staff_mean": self.staff_mean, "customer_mean": self.customer_mean, "gap": self.gap,
            "ci_low": self.ci_low, "ci_high": self.ci_high, "n_staff": self.n_staff,
            "n_customers": self.n_customers, "level": self.level, "method": self.method,
        }


def rescale_to_seven(values: npt.ArrayLike, scale: tuple[float, float]) -> FloatArray:
    """Map ratings linearly from ``scale`` = (low, high) onto 1–7; refuses values off the scale."""
    return rescale(values, scale, STAFF_SCALE)


def welch_interval(
    a: FloatArray, b: FloatArray, level: float
) -> tuple[float, float] | None:
    """Welch's CI of ``mean(a) − mean(b)`` (Welch 1947); None when both have no variance."""
    va, vb = float(a.var(ddof=1)), float(b.var(ddof=1))
    se2 = va / a.size + vb / b.size
    if se2 <= 0:
        return None
    df = se2**2 / ((va / a.size) ** 2 / (a.size - 1) + (vb / b.size) ** 2 / (b.size - 1))
    half = float(stats.t.ppf(0.5 + level / 2.0, df)) * math.sqrt(se2)
    gap = float(a.mean() - b.mean())
    return gap - half, gap + half


def delivery_gap(
    staff_performance: pl.DataFrame, customers: pl.DataFrame, *, attributes: Columns,
    customer_scale: tuple[float, float] = STAFF_SCALE,
    staff_scale: tuple[float, float] = STAFF_SCALE, method: DeliveryMethod = "welch",
    seed: int | np.random.Generator | None = None, resamples: int = DEFAULT_DRIVER_RESAMPLES,
    level: float = DEFAULT_LEVEL, min_group: int = DEFAULT_MIN_GROUP,
    customer_rescaled_from: Sequence[tuple[float, float]] = (),
) -> dict[str, dict[str, DeliveryGap | Suppressed | NotEstimable]]:
    """Delivery gap per role and attribute: staff-believed − customer-rated performance, 1–7.

    Ratings on other scales are rescaled linearly to 1–7 (the method says so).
    ``customer_rescaled_from`` names the scales customer ratings pooled from several surveys
    were answered on before they were put on ``customer_scale`` (the method names them too). CI:
    Welch's t (default; Welch 1947) or the percentile bootstrap resampling staff and customers
    independently (needs ``seed``). Groups below ``min_group`` answers are suppressed.
    """
    mapping = column_map(attributes)
    names = list(mapping)
    groups = staff_groups(staff_performance, names)
    customer = rescale_to_seven(numeric_matrix(customers, list(mapping.values())), customer_scale)
    answered = (*customer_rescaled_from, customer_scale)
    note = CommonScale(scale=STAFF_SCALE, rescaled_from=answered).note("customer ratings")
    if staff_scale != STAFF_SCALE:
        note += (f"; staff ratings rescaled linearly from {staff_scale[0]:g}–{staff_scale[1]:g}"
                 " to 1–7")
    rng = as_generator(seed) if method == "bootstrap" else None
    customer_reps = (bootstrap_column_means(customer, seed=rng, resamples=resamples)
                     if rng is not None and customer.shape[0] else None)
    out: dict[str, dict[str, DeliveryGap | Suppressed | NotEstimable]] = {}
    for role, raw in groups.items():
        staff = rescale_to_seven(raw, staff_scale)
        staff_reps = (bootstrap_column_means(staff, seed=rng, resamples=resamples)
                      if rng is not None and staff.shape[0] else None)
        row: dict[str, DeliveryGap | Suppressed | NotEstimable] = {}
        for j, attribute in enumerate(names):
            row[attribute] = _delivery_cell(
                role, attribute, staff[:, j], customer[:, j], level=level, min_group=min_group,
                note=note, replicates=None if staff_reps is None or customer_reps is None
                else staff_reps[:, j] - customer_reps[:, j])
        out[role] = row
    return out


def _delivery_cell(
    role: str, attribute: str, staff: FloatArray, customer: FloatArray, *, level: float,
    min_group: int, note: str, replicates: FloatArray | None,
) -> DeliveryGap | Suppressed | NotEstimable:
    what = f"delivery gap ({role}, {attribute})"
    a, b = staff[~np.isnan(staff)], customer[~np.isnan(customer)]
    if min(a.size, b.size) < min_group:
        return Suppressed(what=what, threshold=min_group)
    if min(a.size, b.size) < 2:
        return NotEstimable(what=what, reason="fewer than two answers on a side",
                            n=int(min(a.size, b.size)))
    if replicates is None:
        bounds = welch_interval(a, b, level)
        label = "Welch t CI"
    else:
        finite = replicates[np.isfinite(replicates)]
        spread = finite.size > 0 and float(np.ptp(finite)) > 0
        quantiles = np.quantile(finite, [(1 - level) / 2, (1 + level) / 2]) if spread else None
        bounds = None if quantiles is None else (float(quantiles[0]), float(quantiles[1]))
        label = f"bootstrap percentile CI ({finite.size} resamples of staff and customers)"
    if bounds is None:
        return NotEstimable(what=what, reason="no variance in staff or customer ratings",
                            n=int(a.size + b.size))
    return DeliveryGap(
        role=role, attribute=attribute, staff_mean=float(a.mean()),
        customer_mean=float(b.mean()), gap=float(a.mean() - b.mean()), ci_low=bounds[0],
        ci_high=bounds[1], n_staff=int(a.size), n_customers=int(b.size), level=level,
        method=f"staff mean − customer mean on 1–7, {label}{note}",
    )


# --- both gaps -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class QualityGaps:
    """The understanding gap per role and the delivery gap per role and attribute."""

    understanding: Mapping[str, UnderstandingGap | Suppressed | NotEstimable]
    delivery: Mapping[str, Mapping[str, DeliveryGap | Suppressed | NotEstimable]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "understanding_gap": {role: g.to_dict() for role, g in self.understanding.items()},
            "delivery_gap": {
                role: {attribute: g.to_dict() for attribute, g in cells.items()}
                for role, cells in self.delivery.items()
            },
        }

    def understanding_frame(self) -> pl.DataFrame:
        rows = [
            {"role": role, "tau": g.tau, "ci_low": g.ci_low, "ci_high": g.ci_high,
             "n_staff": g.n_staff, "n_customers": g.n_customers,
             "overestimated": ";".join(g.overestimated),
             "underestimated": ";".join(g.underestimated), "status": "ok"}
            if isinstance(g, UnderstandingGap)
            else {"role": role, "tau": None, "ci_low": None, "ci_high": None, "n_staff": None,
                  "n_customers": None, "overestimated": "", "underestimated": "",
                  "status": "suppressed" if isinstance(g, Suppressed) else "not_estimable"}
            for role, g in self.understanding.items()
        ]
        return pl.DataFrame(rows, schema={
            "role": pl.String, "tau": pl.Float64, "ci_low": pl.Float64, "ci_high": pl.Float64,
            "n_staff": pl.Int64, "n_customers": pl.Int64, "overestimated": pl.String,
            "underestimated": pl.String, "status": pl.String})

    def to_frame(self) -> pl.DataFrame:
        """The delivery gap as a table: one row per role and attribute."""
        rows = []
        for role, cells in self.delivery.items():
            for attribute, g in cells.items():
                ok = isinstance(g, DeliveryGap)
                rows.append({
                    "role": role, "attribute": attribute,
                    "staff_mean": g.staff_mean if isinstance(g, DeliveryGap) else None,
                    "customer_mean": g.customer_mean if isinstance(g, DeliveryGap) else None,
                    "gap": g.gap if isinstance(g, DeliveryGap) else None,
                    "ci_low": g.ci_low if isinstance(g, DeliveryGap) else None,
                    "ci_high": g.ci_high if isinstance(g, DeliveryGap) else None,
                    "n_staff": g.n_staff if isinstance(g, DeliveryGap) else None,
                    "n_customers": g.n_customers if isinstance(g, DeliveryGap) else None,
                    "status": "ok" if ok else
                    ("suppressed" if isinstance(g, Suppressed) else "not_estimable"),
                })
        return pl.DataFrame(rows, schema={
            "role": pl.String, "attribute": pl.String, "staff_mean": pl.Float64,
            "customer_mean": pl.Float64, "gap": pl.Float64, "ci_low": pl.Float64,
            "ci_high": pl.Float64, "n_staff": pl.Int64, "n_customers": pl.Int64,
            "status": pl.String})


def quality_gaps(
    staff_importance: pl.DataFrame, staff_performance: pl.DataFrame, customers: pl.DataFrame, *,
    attributes: Columns, importance_columns: Columns | None = None, overall: str | None = None,
    customer_scale: tuple[float, float] = STAFF_SCALE,
    staff_scale: tuple[float, float] = STAFF_SCALE, delivery_method: DeliveryMethod = "welch",
    seed: int | np.random.Generator, resamples: int = DEFAULT_DRIVER_RESAMPLES,
    level: float = DEFAULT_LEVEL, min_group: int = DEFAULT_MIN_GROUP,
    min_rank_shift: float = 2.0, customer_rescaled_from: Sequence[tuple[float, float]] = (),
) -> QualityGaps:
    """Both gaps for every role: see :func:`understanding_gap` and :func:`delivery_gap`.

    Customer ratings must be on one scale, ``customer_scale``: pool surveys answered on other
    scales only after rescaling them linearly (``customer_rescaled_from`` names those).
    """
    rng = as_generator(seed)
    understanding_rng, delivery_rng = rng.spawn(2)
    return QualityGaps(
        understanding=understanding_gap(
            staff_importance, customers, attributes=attributes,
            importance_columns=importance_columns, overall=overall, seed=understanding_rng,
            resamples=resamples, level=level, min_group=min_group,
            min_rank_shift=min_rank_shift),
        delivery=delivery_gap(
            staff_performance, customers, attributes=attributes, customer_scale=customer_scale,
            staff_scale=staff_scale, method=delivery_method, seed=delivery_rng,
            resamples=resamples, level=level, min_group=min_group,
            customer_rescaled_from=customer_rescaled_from),
    )
