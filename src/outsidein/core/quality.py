"""What matters to customers: survey scores, key drivers, and the voice of the customer in text.

Customer side of Grönroos' question Q (DESIGN §1.3): stated importance and performance per
attribute, NPS and CSAT, key-driver analysis of overall satisfaction (Johnson's relative
weights with bootstrap CIs, and the Shapley decomposition of R²), the importance–performance
grid, and, from already tagged feedback sentences, share of voice, net sentiment and the impact
of each attribute's sentiment on the comment's rating.

Every statistic carries n, a confidence interval and a method. Groups smaller than
``min_group`` (the anonymity threshold, 5 by default) give :class:`Suppressed`; data that
cannot answer (no variance, collinear ratings, too few units) give :class:`NotEstimable`.
Scales: NPS and net sentiment are in points from −100 to 100; shares are proportions 0–1.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import polars as pl
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from outsidein.core.anonymity import hidden_groups
from outsidein.core.resampling import (
    DEFAULT_LEVEL,
    FloatArray,
    as_generator,
    bootstrap_column_means,
    bootstrap_correlations,
    resample_weights,
)

Scale = tuple[float, float]
"""A rating scale as (lowest, highest) answer."""
Columns = Sequence[str] | Mapping[str, str]
"""Attribute columns: a list of column names (the attribute ids), or attribute id → column."""
ImportanceSource = Literal["derived", "stated"]
NetMethod = Literal["adjusted_wald", "wald", "bootstrap"]
Quadrant = Literal["concentrate here", "keep up the good work", "low priority", "possible overkill"]
POLARITIES = ("positive", "negative", "neutral")
DEFAULT_MIN_GROUP = 5
DEFAULT_DRIVER_RESAMPLES = 1000
_EIGEN_TOLERANCE = 1e-10
# Key drivers need k + 10 complete answers: with fewer, R² is mostly overfit and many
# bootstrap resamples are degenerate (a rule of thumb, not a power calculation).
_MIN_DRIVER_SURPLUS = 10


# --- outcomes that are not numbers ---------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class NotEstimable:
    """A statistic the data cannot answer (too few units, no variance, collinearity), and why."""

    what: str
    reason: str
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {"status": "not_estimable", "what": self.what, "reason": self.reason, "n": self.n}


@dataclass(frozen=True, slots=True, kw_only=True)
class Suppressed:
    """A statistic withheld because its group is below the anonymity threshold (n not shown)."""

    what: str
    threshold: int
    because: str = ""  # why, where it is not a small group of its own

    @property
    def reason(self) -> str:
        return self.because or f"fewer than {self.threshold} respondents: suppressed for anonymity"

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "suppressed", "what": self.what, "reason": self.reason,
            "threshold": self.threshold,
        }


# --- column helpers --------------------------------------------------------------------------


def column_map(columns: Columns) -> dict[str, str]:
    """Attribute id → column name, from a list (ids are the column names) or a mapping."""
    if isinstance(columns, Mapping):
        return dict(columns)
    if isinstance(columns, str):
        raise TypeError("columns must be a list of names or a mapping, not one string")
    return {c: c for c in columns}


def numeric_matrix(frame: pl.DataFrame, columns: Sequence[str]) -> FloatArray:
    """The named columns as a float matrix, nulls as NaN; names a missing column."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"missing column(s): {', '.join(missing)}")
    if not columns:
        return np.empty((frame.height, 0), dtype=np.float64)
    values = frame.select(pl.col(c).cast(pl.Float64) for c in columns).to_numpy()
    return np.asarray(values, dtype=np.float64).reshape(frame.height, len(columns))


def _finite(values: npt.ArrayLike) -> FloatArray:
    x = np.asarray(values, dtype=np.float64).ravel()
    return x[~np.isnan(x)]


# --- rating scales ---------------------------------------------------------------------------


def scale_text(scale: Scale) -> str:
    """``(1, 7)`` as ``1–7``."""
    return f"{scale[0]:g}–{scale[1]:g}"


def _check_scale(scale: Scale) -> None:
    if not scale[0] < scale[1]:
        raise ValueError(f"scale {scale_text(scale)} must run from low to high")


def rescale(values: npt.ArrayLike, scale: Scale, onto: Scale) -> FloatArray:
    """Map ratings linearly from ``scale`` = (low, high) onto ``onto``; NaN stays NaN.

    The ends go to the ends and equal steps stay equal, so means, differences and correlations
    keep their meaning: a 4 on 1–5 becomes 5.5 on 1–7. Values off ``scale`` are refused.

    Example::

        rescale([1, 3, 5], (1, 5), onto=(1, 7))  # array([1., 4., 7.])
    """
    _check_scale(scale)
    _check_scale(onto)
    x = np.asarray(values, dtype=np.float64)
    if np.any((x < scale[0]) | (x > scale[1])):
        raise ValueError(f"ratings outside the {scale_text(scale)} scale")
    if scale == onto:
        return x
    stretch = (onto[1] - onto[0]) / (scale[1] - scale[0])
    return onto[0] + (x - scale[0]) * stretch


def rescale_columns(frame: pl.DataFrame, scales: Mapping[str, Scale], onto: Scale) -> pl.DataFrame:
    """``frame`` with each column of ``scales`` mapped linearly from its scale onto ``onto``.

    As :func:`rescale`, column by column (nulls stay null, values off a column's scale are
    refused, naming the column); a column already on ``onto`` is left exactly as it was.
    """
    _check_scale(onto)
    changed: list[pl.Expr] = []
    for column, scale in scales.items():
        _check_scale(scale)
        values = _finite(frame.get_column(column).cast(pl.Float64).drop_nulls().to_numpy())
        if values.size and (values.min() < scale[0] or values.max() > scale[1]):
            raise ValueError(f"{column}: ratings outside the {scale_text(scale)} scale")
        if scale != onto:
            stretch = (onto[1] - onto[0]) / (scale[1] - scale[0])
            changed.append(((pl.col(column).cast(pl.Float64) - scale[0]) * stretch + onto[0])
                           .alias(column))
    return frame.with_columns(changed) if changed else frame


@dataclass(frozen=True, slots=True, kw_only=True)
class CommonScale:
    """The one scale ratings pooled from several datasets are on, and the other scales some of
    them were answered on (each mapped onto it linearly, :func:`rescale`), for method texts."""

    scale: Scale
    rescaled_from: tuple[Scale, ...] = ()

    def __post_init__(self) -> None:
        for scale in (self.scale, *self.rescaled_from):
            _check_scale(scale)

    @property
    def text(self) -> str:
        return scale_text(self.scale)

    def note(self, what: str) -> str:
        """``'; <what> on 1–5 and 1–10 rescaled linearly to 1–7'``, or ``''`` if none were."""
        others = list(dict.fromkeys(s for s in self.rescaled_from if s != self.scale))
        if not others:
            return ""
        listed = " and ".join(scale_text(s) for s in others)
        return f"; {what} on {listed} rescaled linearly to {self.text}"


# --- attribute means -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributeMean:
    """The mean rating of one attribute with its Student t confidence interval."""

    attribute: str
    mean: float
    ci_low: float
    ci_high: float
    n: int
    level: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok", "attribute": self.attribute, "mean": self.mean,
            "ci_low": self.ci_low, "ci_high": self.ci_high, "n": self.n, "level": self.level,
            "method": self.method,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributeMeans:
    """Per-attribute means of one kind of rating (stated importance or performance)."""

    what: str
    scores: Mapping[str, AttributeMean | Suppressed | NotEstimable]

    def estimates(self) -> dict[str, float]:
        """Attribute → mean, for the attributes that are reported."""
        return {a: s.mean for a, s in self.scores.items() if isinstance(s, AttributeMean)}

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "attributes": {a: s.to_dict() for a, s in self.scores.items()}}

    def to_frame(self) -> pl.DataFrame:
        rows = [
            {"attribute": a, "mean": s.mean, "ci_low": s.ci_low, "ci_high": s.ci_high,
             "n": s.n, "suppressed": False}
            if isinstance(s, AttributeMean)
            else {"attribute": a, "mean": None, "ci_low": None, "ci_high": None, "n": None,
                  "suppressed": isinstance(s, Suppressed)}
            for a, s in self.scores.items()
        ]
        return pl.DataFrame(rows, schema={
            "attribute": pl.String, "mean": pl.Float64, "ci_low": pl.Float64,
            "ci_high": pl.Float64, "n": pl.Int64, "suppressed": pl.Boolean,
        })


def mean_interval(
    values: npt.ArrayLike, *, attribute: str, level: float = DEFAULT_LEVEL,
    min_group: int = DEFAULT_MIN_GROUP, scale: CommonScale | None = None,
) -> AttributeMean | Suppressed | NotEstimable:
    """Mean with a Student t CI (NaNs dropped); below ``min_group`` answers, suppressed.

    With no variance the interval is the point itself and the method says so. ``scale``, when
    given, is the scale the values are on, named in the method with any rescaling.
    """
    on = "" if scale is None else f" on {scale.text}"
    note = "" if scale is None else scale.note("answers")
    x = _finite(values)
    if x.size < min_group:
        return Suppressed(what=f"mean of {attribute}", threshold=min_group)
    if x.size < 2:
        return NotEstimable(what=f"mean of {attribute}", reason="fewer than two answers",
                            n=int(x.size))
    mean = float(x.mean())
    sd = float(x.std(ddof=1))
    if sd == 0.0:
        return AttributeMean(
            attribute=attribute, mean=mean, ci_low=mean, ci_high=mean, n=int(x.size),
            level=level,
            method=f"mean{on}; every answer equal, so no sampling spread is visible{note}",
        )
    half = float(stats.t.ppf(0.5 + level / 2.0, x.size - 1)) * sd / math.sqrt(x.size)
    return AttributeMean(
        attribute=attribute, mean=mean, ci_low=mean - half, ci_high=mean + half, n=int(x.size),
        level=level, method=f"mean{on} with Student t CI{note}",
    )


def attribute_means(
    frame: pl.DataFrame, columns: Columns, *, what: str, level: float = DEFAULT_LEVEL,
    min_group: int = DEFAULT_MIN_GROUP, scale: CommonScale | None = None,
) -> AttributeMeans:
    """Mean and Student t CI of each attribute's rating (stated importance or performance)."""
    mapping = column_map(columns)
    matrix = numeric_matrix(frame, list(mapping.values()))
    return AttributeMeans(what=what, scores={
        attribute: mean_interval(matrix[:, j], attribute=attribute, level=level,
                                 min_group=min_group, scale=scale)
        for j, attribute in enumerate(mapping)
    })


# --- technical and functional quality (Grönroos) ----------------------------------------------

DIMENSION_ORDER = ("technical", "functional", "image")
FUNCTIONAL_MINUS_TECHNICAL = "functional − technical"


@dataclass(frozen=True, slots=True, kw_only=True)
class DimensionSplit:
    """Customers' ratings by Grönroos' dimensions: technical (what the customer gets),
    functional (how it is delivered) and image.

    A dimension's score is, per respondent who rated every one of its attributes, the mean of
    those ratings, then the mean over respondents with a Student t CI;
    ``functional_minus_technical`` is the same difference within the respondents complete on
    both (a paired difference), so that "how we deliver is rated below what we deliver" comes
    with its own interval rather than as two overlapping ones.

    Anonymity: only attributes whose own mean is shown take part; a figure is suppressed below
    ``min_group`` respondents, and also where the respondents it leaves out (raters of one of
    its attributes who skipped another; respondents of a dimension not complete on the other)
    number 1 to ``min_group`` − 1, because the published attribute means less this figure would
    then give that small group's ratings by subtraction.
    """

    attributes: Mapping[str, tuple[str, ...]]  # dimension → its rated attributes
    scores: Mapping[str, AttributeMean | Suppressed | NotEstimable]
    functional_minus_technical: AttributeMean | Suppressed | NotEstimable | None

    def to_dict(self) -> dict[str, Any]:
        difference = self.functional_minus_technical
        return {
            "dimensions": {
                dimension: {**score.to_dict(), "attributes": list(self.attributes[dimension])}
                for dimension, score in self.scores.items()
            },
            "functional_minus_technical": None if difference is None else difference.to_dict(),
        }


def _left_out_few(counts: Sequence[int], min_group: int) -> bool:
    return any(0 < count < min_group for count in counts)


def dimension_split(
    frame: pl.DataFrame, columns: Columns, dimensions: Mapping[str, str], *,
    level: float = DEFAULT_LEVEL, min_group: int = DEFAULT_MIN_GROUP,
    scale: CommonScale | None = None,
) -> DimensionSplit | None:
    """Ratings by dimension (see :class:`DimensionSplit`); ``dimensions`` maps each attribute
    to its dimension. None when no attribute with a dimension has a mean to show."""
    mapping = column_map(columns)
    matrix = numeric_matrix(frame, list(mapping.values()))
    rated = np.isfinite(matrix)
    members: dict[str, list[int]] = {}
    for j, attribute in enumerate(mapping):
        dimension = dimensions.get(attribute)
        if dimension is not None and rated[:, j].sum() >= max(min_group, 2):
            members.setdefault(dimension, []).append(j)
    if not members:
        return None
    order = sorted(members, key=lambda d: (DIMENSION_ORDER.index(d)
                                           if d in DIMENSION_ORDER else len(DIMENSION_ORDER), d))
    leak = ("suppressed for anonymity: fewer than {k} respondents rated some of its attributes "
            "and not the others, whose ratings the attribute means would give by subtraction")
    complete: dict[str, npt.NDArray[np.bool_]] = {}
    respondent: dict[str, FloatArray] = {}
    scores: dict[str, AttributeMean | Suppressed | NotEstimable] = {}
    how = "per respondent who rated all its attributes the mean of those ratings, then the "
    for dimension in order:
        columns_of = members[dimension]
        complete[dimension] = np.asarray(rated[:, columns_of].all(axis=1), dtype=np.bool_)
        respondent[dimension] = np.where(
            complete[dimension], matrix[:, columns_of].mean(axis=1), np.nan)
        skipped = [int((rated[:, j] & ~complete[dimension]).sum()) for j in columns_of]
        if _left_out_few(skipped, min_group):
            scores[dimension] = Suppressed(what=f"mean of {dimension}", threshold=min_group,
                                           because=leak.format(k=min_group))
            continue
        score = mean_interval(respondent[dimension], attribute=dimension, level=level,
                              min_group=min_group, scale=scale)
        if isinstance(score, AttributeMean):
            score = dataclasses.replace(score, method=how + score.method)
        scores[dimension] = score
    difference: AttributeMean | Suppressed | NotEstimable | None = None
    if "functional" in respondent and "technical" in respondent:
        both = complete["functional"] & complete["technical"]
        outside = [int((complete[d] & ~both).sum()) for d in ("functional", "technical")]
        if _left_out_few(outside, min_group):
            difference = Suppressed(
                what=FUNCTIONAL_MINUS_TECHNICAL, threshold=min_group,
                because=f"suppressed for anonymity: fewer than {min_group} respondents rated "
                        "one dimension's attributes and not the other's")
        else:
            difference = mean_interval(
                respondent["functional"] - respondent["technical"],
                attribute=FUNCTIONAL_MINUS_TECHNICAL, level=level, min_group=min_group)
            if isinstance(difference, AttributeMean):
                difference = dataclasses.replace(
                    difference,
                    method="within respondents who rated the attributes of both, their "
                           f"functional minus their technical mean; {difference.method}")
    names = list(mapping)
    return DimensionSplit(
        attributes={d: tuple(names[j] for j in members[d]) for d in order},
        scores=scores, functional_minus_technical=difference,
    )


# --- NPS, CSAT and net shares ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class NetScore:
    """A net score: share positive minus share negative, in points (−100 to 100), with CI.

    NPS (promoters − detractors) and net sentiment (positive − negative mentions) alike.
    """

    score: float
    ci_low: float
    ci_high: float
    positive_share: float
    neutral_share: float
    negative_share: float
    n: int
    level: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok", "score": self.score, "ci_low": self.ci_low, "ci_high": self.ci_high,
            "positive_share": self.positive_share, "neutral_share": self.neutral_share,
            "negative_share": self.negative_share, "n": self.n, "level": self.level,
            "method": self.method,
        }


def net_score(
    positive: int, neutral: int, negative: int, *, level: float = DEFAULT_LEVEL,
    method: NetMethod = "adjusted_wald", seed: int | np.random.Generator | None = None,
    resamples: int = 2000, what: str = "net score", min_group: int = DEFAULT_MIN_GROUP,
) -> NetScore | Suppressed:
    """Net score ``100 (p₊ − p₋)`` from trinomial counts, with a CI.

    ``wald``: ±z·sqrt((p₊ + p₋ − (p₊ − p₋)²) / n), the variance of a difference of two
    multinomial proportions. ``adjusted_wald`` (default): the same on counts with ¾ added to
    the positive and negative cells and 3 to n, which Rocks (2016, *The American Statistician*
    70(4), "Interval estimation for the Net Promoter Score") found to cover best; it also stays
    informative when every answer falls in one class. ``bootstrap``: percentile interval of
    multinomial resamples (needs ``seed``). Bounds are clipped to [−100, 100].
    """
    n = positive + neutral + negative
    if min(positive, neutral, negative) < 0:
        raise ValueError("counts must be non-negative")
    if n < max(min_group, 1):
        return Suppressed(what=what, threshold=max(min_group, 1))
    p_pos, p_neg = positive / n, negative / n
    estimate = p_pos - p_neg
    z = float(stats.norm.ppf(0.5 + level / 2.0))
    if method == "bootstrap":
        rng = as_generator(seed)
        counts = np.array([positive, neutral, negative], dtype=np.int64)
        draws = resample_weights(n, counts, resamples, rng).astype(np.float64)
        replicates = (draws[:, 0] - draws[:, 2]) / n
        low, high = np.quantile(replicates, [(1 - level) / 2, (1 + level) / 2])
        label = f"bootstrap percentile CI ({resamples} multinomial resamples)"
    else:
        if method == "adjusted_wald":
            n_eff = n + 3.0
            a_pos, a_neg = (positive + 0.75) / n_eff, (negative + 0.75) / n_eff
            label = "adjusted Wald CI (Rocks 2016: +3/4 positive, +3/4 negative, +3 n)"
        else:
            n_eff, a_pos, a_neg = float(n), p_pos, p_neg
            label = "Wald CI of a difference of multinomial proportions"
        centre = a_pos - a_neg
        half = z * math.sqrt(max(a_pos + a_neg - centre**2, 0.0) / n_eff)
        low, high = centre - half, centre + half
    return NetScore(
        score=100.0 * estimate,
        ci_low=100.0 * max(float(low), -1.0), ci_high=100.0 * min(float(high), 1.0),
        positive_share=p_pos, neutral_share=neutral / n, negative_share=p_neg, n=n,
        level=level, method=f"{what}: share positive − share negative; {label}",
    )


def net_promoter_score(
    scores: npt.ArrayLike, *, level: float = DEFAULT_LEVEL, method: NetMethod = "adjusted_wald",
    seed: int | np.random.Generator | None = None, min_group: int = DEFAULT_MIN_GROUP,
) -> NetScore | Suppressed:
    """NPS of 0–10 likelihood-to-recommend answers (Reichheld 2003): % 9–10 minus % 0–6.

    CI as in :func:`net_score` (adjusted Wald, Rocks 2016, by default). NaNs are dropped.
    """
    x = _finite(scores)
    if np.any((x < 0) | (x > 10) | (x != np.round(x))):
        raise ValueError("NPS answers must be whole numbers from 0 to 10")
    promoters = int(np.count_nonzero(x >= 9))
    detractors = int(np.count_nonzero(x <= 6))
    return net_score(
        promoters, int(x.size) - promoters - detractors, detractors, level=level, method=method,
        seed=seed, what="NPS", min_group=min_group,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Proportion:
    """A share with its Wilson score interval."""

    share: float
    ci_low: float
    ci_high: float
    count: int
    n: int
    level: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok", "share": self.share, "ci_low": self.ci_low, "ci_high": self.ci_high,
            "count": self.count, "n": self.n, "level": self.level, "method": self.method,
        }


def wilson_proportion(
    count: int, n: int, *, level: float = DEFAULT_LEVEL, what: str = "share",
    min_group: int = DEFAULT_MIN_GROUP,
) -> Proportion | Suppressed:
    """``count / n`` with the Wilson score interval (Wilson 1927; Agresti & Coull 1998)."""
    if n < max(min_group, 1):
        return Suppressed(what=what, threshold=max(min_group, 1))
    low, high = proportion_confint(count, n, alpha=1.0 - level, method="wilson")
    return Proportion(
        share=count / n, ci_low=float(low), ci_high=float(high), count=count, n=n, level=level,
        method=f"{what} with Wilson score CI",
    )


def csat(
    ratings: npt.ArrayLike, *, scale_max: int = 5, top_boxes: int = 2,
    level: float = DEFAULT_LEVEL, min_group: int = DEFAULT_MIN_GROUP,
    rescaled_from: Sequence[Scale] = (),
) -> Proportion | Suppressed:
    """CSAT: share of answers in the top ``top_boxes`` of a 1–``scale_max`` scale, Wilson CI.

    An answer counts when it is at least the lowest top box (4 of 1–5). Answers put on
    1–``scale_max`` linearly from another scale (``rescaled_from``, named in the method) count
    by the same cut, the top quarter of that scale's range on 1–5: the top two boxes of 1–7,
    the top three of 1–10.
    """
    x = _finite(ratings)
    if np.any((x < 1) | (x > scale_max)):
        raise ValueError(f"CSAT ratings must lie on the 1–{scale_max} scale")
    count = int(np.count_nonzero(x >= scale_max - top_boxes + 1))
    common = CommonScale(scale=(1.0, float(scale_max)), rescaled_from=tuple(rescaled_from))
    return wilson_proportion(
        count, int(x.size), level=level, min_group=min_group,
        what=f"CSAT (top-{top_boxes}-box share of 1–{scale_max}{common.note('answers')})",
    )


# --- key drivers -----------------------------------------------------------------------------


def relative_weights(r_xx: npt.ArrayLike, r_xy: npt.ArrayLike) -> FloatArray:
    """Johnson's (2000) relative weights from predictor and criterion correlations.

    ``R_xx = V Λ V'``; the orthogonal counterparts ``Z`` of the predictors relate to them by
    ``Λ* = V Λ^½ V'``; the criterion's weights on ``Z`` are ``β = Λ*⁻¹ r_xy`` and
    ``ε_j = Σ_k λ*_jk² β_k²``, which sum to R². Johnson, J. W. (2000), *Multivariate Behavioral
    Research* 35(1), 1–19. Vectorised over leading axes (``(..., k, k)`` and ``(..., k)``);
    a non-finite or singular ``R_xx`` gives NaN weights.
    """
    rxx = np.asarray(r_xx, dtype=np.float64)
    rxy = np.asarray(r_xy, dtype=np.float64)
    out = np.full(rxy.shape, np.nan)
    finite = np.isfinite(rxx).all(axis=(-2, -1)) & np.isfinite(rxy).all(axis=-1)
    if not finite.any():
        return out
    eigenvalues, vectors = np.linalg.eigh(rxx[finite])
    regular = eigenvalues.min(axis=-1) > _EIGEN_TOLERANCE * np.maximum(eigenvalues.max(axis=-1), 1)
    root = np.sqrt(np.clip(eigenvalues, _EIGEN_TOLERANCE, None))
    transposed = np.swapaxes(vectors, -1, -2)
    lam = (vectors * root[..., None, :]) @ transposed
    inverse = (vectors / root[..., None, :]) @ transposed
    beta = (inverse @ rxy[finite][..., None])[..., 0]
    weights = ((lam**2) @ (beta**2)[..., None])[..., 0]
    weights[~regular] = np.nan
    out[finite] = weights
    return out


def subset_r_squared(r_xx: npt.ArrayLike, r_xy: npt.ArrayLike) -> FloatArray:
    """R² of the regression on every subset of predictors; entry ``m`` is the subset of bitmask m.

    ``R²(S) = r_S' R_SS⁻¹ r_S`` from correlations; ``2^k`` small solves (k ≤ 15).
    """
    rxx = np.asarray(r_xx, dtype=np.float64)
    rxy = np.asarray(r_xy, dtype=np.float64)
    k = rxy.shape[0]
    if k > 15:
        raise ValueError("exhaustive subsets are limited to 15 predictors")
    out = np.zeros(1 << k, dtype=np.float64)
    for mask in range(1, 1 << k):
        members = [j for j in range(k) if mask >> j & 1]
        r_s = rxy[members]
        out[mask] = float(r_s @ np.linalg.lstsq(rxx[np.ix_(members, members)], r_s, rcond=None)[0])
    return out


def shapley_r_squared(r_xx: npt.ArrayLike, r_xy: npt.ArrayLike) -> FloatArray:
    """Shapley decomposition of R² over predictors (Lipovetsky & Conklin 2001; Grömping 2006 LMG).

    ``φ_j = Σ_{S ∌ j} |S|!(k−|S|−1)!/k! · (R²(S ∪ j) − R²(S))``, exhaustive over subsets, so the
    values sum to the full R². For small k only.
    """
    rsq = subset_r_squared(r_xx, r_xy)
    k = int(np.asarray(r_xy).shape[0])
    masks = np.arange(1 << k)
    sizes = np.array([bin(m).count("1") for m in masks])
    weights = np.array([
        math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) if s < k else 0.0
        for s in sizes
    ])
    values = np.empty(k, dtype=np.float64)
    for j in range(k):
        without = masks[(masks >> j & 1) == 0]
        values[j] = float(np.sum(weights[without] * (rsq[without | (1 << j)] - rsq[without])))
    return values


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyDriver:
    """One attribute's relative weight on overall satisfaction, with its bootstrap CI."""

    attribute: str
    weight: float
    ci_low: float
    ci_high: float
    share: float
    shapley: float | None
    correlation: float
    n: int
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok", "attribute": self.attribute, "weight": self.weight,
            "ci_low": self.ci_low, "ci_high": self.ci_high, "share": self.share,
            "shapley": self.shapley, "correlation": self.correlation, "n": self.n,
            "method": self.method,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyDriverAnalysis:
    """Relative weights (and Shapley values) of attribute ratings on overall satisfaction.

    ``weight`` is Johnson's raw relative weight (its share of R²); ``share`` = weight / R².
    """

    outcome: str
    r_squared: float
    r_squared_ci_low: float
    r_squared_ci_high: float
    drivers: tuple[KeyDriver, ...]
    n: int
    resamples: int
    level: float
    method: str

    def weights(self) -> dict[str, float]:
        return {d.attribute: d.weight for d in self.drivers}

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok", "outcome": self.outcome, "r_squared": self.r_squared,
            "r_squared_ci_low": self.r_squared_ci_low,
            "r_squared_ci_high": self.r_squared_ci_high,
            "drivers": {d.attribute: d.to_dict() for d in self.drivers}, "n": self.n,
            "resamples": self.resamples, "level": self.level, "method": self.method,
        }

    def to_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [{"attribute": d.attribute, "weight": d.weight, "ci_low": d.ci_low,
              "ci_high": d.ci_high, "share": d.share, "shapley": d.shapley,
              "correlation": d.correlation, "n": d.n} for d in self.drivers],
            schema={"attribute": pl.String, "weight": pl.Float64, "ci_low": pl.Float64,
                    "ci_high": pl.Float64, "share": pl.Float64, "shapley": pl.Float64,
                    "correlation": pl.Float64, "n": pl.Int64},
        )


def driver_data(
    customers: pl.DataFrame, attributes: Columns, overall: str
) -> tuple[list[str], FloatArray]:
    """Attribute ids and the complete rows ``(n, k + 1)`` of ratings with overall last."""
    mapping = column_map(attributes)
    matrix = numeric_matrix(customers, [*mapping.values(), overall])
    return list(mapping), matrix[~np.isnan(matrix).any(axis=1)]


def driver_problem(data: FloatArray, k: int) -> str | None:
    """Why relative weights cannot be estimated from ``data`` (None when they can)."""
    n = data.shape[0]
    if k < 2:
        return "key-driver analysis needs at least two attributes"
    if n < k + _MIN_DRIVER_SURPLUS:
        return (f"{n} complete answers for {k} attributes: need at least "
                f"{k + _MIN_DRIVER_SURPLUS}")
    flat = [j for j in range(k + 1) if np.ptp(data[:, j]) == 0]
    if flat:
        return "no variance in " + ("the overall rating" if k in flat else "an attribute rating")
    eigenvalues = np.linalg.eigvalsh(np.corrcoef(data[:, :k], rowvar=False))
    if eigenvalues.min() <= _EIGEN_TOLERANCE * eigenvalues.max():
        return "attribute ratings are perfectly collinear"
    return None


def key_drivers(
    customers: pl.DataFrame, *, attributes: Columns, overall: str,
    seed: int | np.random.Generator, resamples: int = DEFAULT_DRIVER_RESAMPLES,
    level: float = DEFAULT_LEVEL, shapley_max_attributes: int = 12,
    min_group: int = DEFAULT_MIN_GROUP,
) -> KeyDriverAnalysis | Suppressed | NotEstimable:
    """Key drivers of overall satisfaction: Johnson's (2000) relative weights with bootstrap CIs.

    Customers with any missing rating are dropped (listwise). CIs are percentile intervals of
    customer resamples (Tonidandel, LeBreton & Johnson 2009), all computed at once from
    resampled correlation matrices. Shapley values of R² (exhaustive subsets) are added when
    there are at most ``shapley_max_attributes`` attributes.
    """
    names, data = driver_data(customers, attributes, overall)
    n, k = data.shape[0], len(names)
    if n < min_group:
        return Suppressed(what="key drivers", threshold=min_group)
    problem = driver_problem(data, k)
    if problem is not None:
        return NotEstimable(what="key drivers", reason=problem, n=n)
    corr: FloatArray = np.atleast_2d(np.corrcoef(data, rowvar=False))
    weights = relative_weights(corr[:k, :k], corr[:k, k])
    r_squared = float(weights.sum())
    replicates = relative_weight_replicates(data, seed=seed, resamples=resamples)
    usable = replicates[np.isfinite(replicates).all(axis=1)]
    if usable.shape[0] < resamples // 2:
        return NotEstimable(what="key drivers", n=n,
                            reason="most bootstrap resamples are degenerate (too little spread)")
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(usable, [alpha, 1.0 - alpha], axis=0)
    r2_low, r2_high = np.quantile(usable.sum(axis=1), [alpha, 1.0 - alpha])
    shapley = shapley_r_squared(corr[:k, :k], corr[:k, k]) if k <= shapley_max_attributes else None
    dropped = resamples - usable.shape[0]
    method = (
        f"Johnson (2000) relative weights; bootstrap percentile CI ({usable.shape[0]} customer "
        f"resamples{f', {dropped} degenerate dropped' if dropped else ''})"
    )
    drivers = tuple(
        KeyDriver(
            attribute=name, weight=float(weights[j]), ci_low=float(low[j]),
            ci_high=float(high[j]), share=float(weights[j] / r_squared) if r_squared > 0 else 0.0,
            shapley=None if shapley is None else float(shapley[j]),
            correlation=float(corr[j, k]), n=n, method=method,
        )
        for j, name in enumerate(names)
    )
    return KeyDriverAnalysis(
        outcome=overall, r_squared=r_squared, r_squared_ci_low=float(r2_low),
        r_squared_ci_high=float(r2_high), drivers=drivers, n=n, resamples=resamples,
        level=level, method=method + ("; Shapley decomposition of R² over all subsets"
                                      if shapley is not None else ""),
    )


def _split(correlations: FloatArray, k: int) -> tuple[FloatArray, FloatArray]:
    """Predictor block and criterion column of correlation matrices with the criterion last."""
    return correlations[..., :k, :k], correlations[..., :k, k]


def relative_weight_replicates(
    data: FloatArray, *, seed: int | np.random.Generator, resamples: int
) -> FloatArray:
    """Bootstrap replicates ``(B, k)`` of relative weights of complete rows, criterion last."""
    k = data.shape[1] - 1
    return relative_weights(*_split(bootstrap_correlations(data, seed=seed,
                                                           resamples=resamples), k))


def stated_importance_replicates(
    matrix: FloatArray, *, seed: int | np.random.Generator, resamples: int
) -> FloatArray:
    """Bootstrap replicates ``(B, k)`` of mean stated importance per attribute."""
    return bootstrap_column_means(matrix, seed=seed, resamples=resamples)


# --- importance–performance grid -------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class GridPoint:
    """An attribute's place in the importance–performance grid."""

    attribute: str
    importance: float
    performance: float
    quadrant: Quadrant

    def to_dict(self) -> dict[str, Any]:
        return {"attribute": self.attribute, "importance": self.importance,
                "performance": self.performance, "quadrant": self.quadrant}


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportancePerformanceGrid:
    """Importance–performance analysis: attributes in four quadrants cut at the means."""

    points: tuple[GridPoint, ...]
    importance_cut: float
    performance_cut: float
    importance_source: ImportanceSource
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok", "points": [p.to_dict() for p in self.points],
            "importance_cut": self.importance_cut, "performance_cut": self.performance_cut,
            "importance_source": self.importance_source, "method": self.method,
        }

    def to_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [p.to_dict() for p in self.points],
            schema={"attribute": pl.String, "importance": pl.Float64,
                    "performance": pl.Float64, "quadrant": pl.String},
        )


def quadrant(importance: float, performance: float, importance_cut: float,
             performance_cut: float) -> Quadrant:
    """Martilla & James (1977) quadrant; a value on a cut counts as high."""
    if importance >= importance_cut:
        return "keep up the good work" if performance >= performance_cut else "concentrate here"
    return "possible overkill" if performance >= performance_cut else "low priority"


def importance_performance_grid(
    importance: Mapping[str, float], performance: Mapping[str, float], *,
    importance_source: ImportanceSource,
) -> ImportancePerformanceGrid | NotEstimable:
    """Importance–performance grid (Martilla & James 1977), crosshairs at the attribute means.

    Data-centred cuts follow Bacon (2003, *Int. J. Market Research* 45(1)). Importance is the
    derived share of R² or the stated mean; performance is the mean customer rating. Only
    attributes present in both mappings are placed.
    """
    shared = [a for a in importance if a in performance]
    if len(shared) < 2:
        return NotEstimable(what="importance–performance grid",
                            reason="fewer than two attributes with importance and performance",
                            n=len(shared))
    imp_cut = float(np.mean([importance[a] for a in shared]))
    perf_cut = float(np.mean([performance[a] for a in shared]))
    points = tuple(
        GridPoint(attribute=a, importance=float(importance[a]),
                  performance=float(performance[a]),
                  quadrant=quadrant(importance[a], performance[a], imp_cut, perf_cut))
        for a in shared
    )
    return ImportancePerformanceGrid(
        points=points, importance_cut=imp_cut, performance_cut=perf_cut,
        importance_source=importance_source,
        method=f"importance–performance analysis, {importance_source} importance, "
               "cuts at the attribute means (Martilla & James 1977; Bacon 2003)",
    )


# --- one call for a customer survey ----------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerQuality:
    """Everything a customer survey says about quality, attribute by attribute."""

    performance: AttributeMeans
    stated_importance: AttributeMeans | None
    key_drivers: KeyDriverAnalysis | Suppressed | NotEstimable | None
    grid: ImportancePerformanceGrid | NotEstimable
    nps: NetScore | Suppressed | None
    csat: Proportion | Suppressed | None
    dimensions: DimensionSplit | None = None  # technical and functional quality

    def to_dict(self) -> dict[str, Any]:
        return {
            "performance": self.performance.to_dict(),
            "dimensions": None if self.dimensions is None else self.dimensions.to_dict(),
            "stated_importance": None if self.stated_importance is None
            else self.stated_importance.to_dict(),
            "key_drivers": None if self.key_drivers is None else self.key_drivers.to_dict(),
            "grid": self.grid.to_dict(),
            "nps": None if self.nps is None else self.nps.to_dict(),
            "csat": None if self.csat is None else self.csat.to_dict(),
        }


def customer_quality(
    customers: pl.DataFrame, *, attributes: Columns, importance_columns: Columns | None = None,
    overall: str | None = None, nps_column: str | None = None, csat_column: str | None = None,
    csat_scale_max: int = 5, seed: int | np.random.Generator,
    resamples: int = DEFAULT_DRIVER_RESAMPLES, level: float = DEFAULT_LEVEL,
    min_group: int = DEFAULT_MIN_GROUP, rating_scale: CommonScale | None = None,
    importance_scale: CommonScale | None = None, csat_scale: CommonScale | None = None,
    dimensions: Mapping[str, str] | None = None,
) -> CustomerQuality:
    """Performance, stated importance, key drivers, grid, NPS and CSAT of one customer survey.

    The grid uses derived importance (share of R²) when key drivers are estimable, else the
    stated importance means. ``rating_scale``, ``importance_scale`` and ``csat_scale`` say
    which scale those columns are on (and which scales they were rescaled from, when pooled from
    several datasets) for the method texts; ``csat_scale`` must run from 1 and replaces
    ``csat_scale_max``. ``dimensions`` (attribute → Grönroos dimension) adds the technical and
    functional split (:func:`dimension_split`).
    """
    rescaled_csat: tuple[Scale, ...] = ()
    if csat_scale is not None:
        low, high = csat_scale.scale
        if low != 1 or not float(high).is_integer():
            raise ValueError(f"CSAT must be on 1–n, not {csat_scale.text}")
        csat_scale_max, rescaled_csat = int(high), csat_scale.rescaled_from
    performance = attribute_means(customers, attributes, what="performance", level=level,
                                  min_group=min_group, scale=rating_scale)
    stated = None if importance_columns is None else attribute_means(
        customers, importance_columns, what="stated importance", level=level,
        min_group=min_group, scale=importance_scale)
    drivers = None if overall is None else key_drivers(
        customers, attributes=attributes, overall=overall, seed=seed, resamples=resamples,
        level=level, min_group=min_group)
    grid: ImportancePerformanceGrid | NotEstimable
    if isinstance(drivers, KeyDriverAnalysis):
        grid = importance_performance_grid(
            {d.attribute: d.share for d in drivers.drivers}, performance.estimates(),
            importance_source="derived")
    elif stated is not None:
        grid = importance_performance_grid(stated.estimates(), performance.estimates(),
                                           importance_source="stated")
    else:
        grid = NotEstimable(what="importance–performance grid",
                            reason="no overall rating for key drivers and no stated importance",
                            n=customers.height)
    nps = None if nps_column is None else net_promoter_score(
        numeric_matrix(customers, [nps_column]), level=level, min_group=min_group)
    satisfied = None if csat_column is None else csat(
        numeric_matrix(customers, [csat_column]), scale_max=csat_scale_max, level=level,
        min_group=min_group, rescaled_from=rescaled_csat)
    split = None if not dimensions else dimension_split(
        customers, attributes, dimensions, level=level, min_group=min_group, scale=rating_scale)
    return CustomerQuality(performance=performance, stated_importance=stated,
                           key_drivers=drivers, grid=grid, nps=nps, csat=satisfied,
                           dimensions=split)


# --- the voice of the customer: tagged sentences -------------------------------------------


def comment_mentions(sentences: pl.DataFrame) -> pl.DataFrame:
    """One row per (comment, attribute) with the comment's polarity towards it.

    Input: tagged sentences with ``comment_id``, ``attribute`` (null for a sentence about no
    attribute) and ``polarity`` in {positive, negative, neutral}. A comment's polarity towards
    an attribute is the majority of its sentences' polarities, positive against negative; a tie
    (mixed or all neutral) is neutral.
    """
    for column in ("comment_id", "attribute", "polarity"):
        if column not in sentences.columns:
            raise ValueError(f"missing column: {column}")
    bad = sentences.filter(
        pl.col("attribute").is_not_null() & ~pl.col("polarity").is_in(list(POLARITIES))
    )
    if bad.height:
        raise ValueError(
            f"polarity must be one of {', '.join(POLARITIES)}; got "
            f"{bad.get_column('polarity').unique().to_list()[:5]}"
        )
    return (
        sentences.filter(pl.col("attribute").is_not_null())
        .group_by("comment_id", "attribute")
        .agg(
            # Boolean sums are unsigned in polars: cast before subtracting.
            ((pl.col("polarity") == "positive").sum().cast(pl.Int64)
             - (pl.col("polarity") == "negative").sum().cast(pl.Int64)).alias("balance")
        )
        .with_columns(
            pl.when(pl.col("balance") > 0).then(pl.lit("positive"))
            .when(pl.col("balance") < 0).then(pl.lit("negative"))
            .otherwise(pl.lit("neutral")).alias("polarity")
        )
        .drop("balance")
        .sort("attribute", "comment_id")
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributeShare:
    """Share of voice: the share of comments that speak about an attribute."""

    attribute: str
    share: Proportion

    def to_dict(self) -> dict[str, Any]:
        return {"attribute": self.attribute, **self.share.to_dict()}


@dataclass(frozen=True, slots=True, kw_only=True)
class ShareOfVoice:
    """Share of voice of every attribute among ``n`` comments."""

    shares: tuple[AttributeShare, ...]
    n: int
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {"status": "ok", "attributes": {s.attribute: s.to_dict() for s in self.shares},
                "n": self.n, "method": self.method}

    def to_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [{"attribute": s.attribute, "share": s.share.share, "ci_low": s.share.ci_low,
              "ci_high": s.share.ci_high, "comments": s.share.count, "n": s.share.n}
             for s in self.shares],
            schema={"attribute": pl.String, "share": pl.Float64, "ci_low": pl.Float64,
                    "ci_high": pl.Float64, "comments": pl.Int64, "n": pl.Int64},
        )


def share_of_voice(
    sentences: pl.DataFrame, *, level: float = DEFAULT_LEVEL, min_group: int = DEFAULT_MIN_GROUP,
) -> ShareOfVoice | Suppressed:
    """Share of comments mentioning each attribute, with Wilson CIs (comments are the units).

    Every distinct ``comment_id`` counts in the denominator, including comments whose
    sentences carry no attribute (null). Shares do not sum to one: a comment may speak of
    several attributes.
    """
    n = sentences.get_column("comment_id").n_unique()
    if n < min_group:
        return Suppressed(what="share of voice", threshold=min_group)
    counts = comment_mentions(sentences).group_by("attribute").len().sort("attribute")
    shares = []
    for attribute, count in counts.iter_rows():
        share = wilson_proportion(int(count), n, level=level, what="share of comments",
                                  min_group=0)
        assert isinstance(share, Proportion)
        shares.append(AttributeShare(attribute=str(attribute), share=share))
    return ShareOfVoice(shares=tuple(shares), n=n,
                        method="share of comments mentioning the attribute, Wilson score CI")


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributeSentiment:
    """Net sentiment towards one attribute (optionally in one period)."""

    attribute: str
    period: date | datetime | None
    sentiment: NetScore | Suppressed

    def to_dict(self) -> dict[str, Any]:
        period = None if self.period is None else self.period.isoformat()
        return {"attribute": self.attribute, "period": period, **self.sentiment.to_dict()}


@dataclass(frozen=True, slots=True, kw_only=True)
class NetSentiment:
    """Net sentiment (% positive − % negative comments) per attribute, and per period if asked."""

    sentiments: tuple[AttributeSentiment, ...]
    period: str | None
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "method": self.method,
                "rows": [s.to_dict() for s in self.sentiments]}

    def to_frame(self) -> pl.DataFrame:
        rows = []
        for s in self.sentiments:
            ok = isinstance(s.sentiment, NetScore)
            score = s.sentiment if isinstance(s.sentiment, NetScore) else None
            rows.append({
                "attribute": s.attribute, "period": s.period,
                "net": score.score if score else None,
                "ci_low": score.ci_low if score else None,
                "ci_high": score.ci_high if score else None,
                "positive_share": score.positive_share if score else None,
                "negative_share": score.negative_share if score else None,
                "n": score.n if score else None, "suppressed": not ok,
            })
        return pl.DataFrame(rows, infer_schema_length=None)


def net_sentiment(
    sentences: pl.DataFrame, *, period: str | None = None, level: float = DEFAULT_LEVEL,
    min_group: int = DEFAULT_MIN_GROUP,
) -> NetSentiment:
    """Net sentiment towards each attribute among the comments that mention it, with CI.

    A comment's polarity towards the attribute is as in :func:`comment_mentions`. The CI is
    the adjusted Wald interval of a difference of multinomial proportions (Rocks 2016), as for
    NPS. With ``period`` (a polars duration such as ``"1mo"`` or ``"1w"``) the table needs a
    ``date`` column and is split by truncated date: attribute sentiment over time.
    """
    mentions = comment_mentions(sentences)
    keys = ["attribute"]
    everything = mentions.group_by("attribute").len("all")
    if period is not None:
        if "date" not in sentences.columns:
            raise ValueError("net sentiment over time needs a 'date' column")
        dates = (
            sentences.filter(pl.col("date").is_not_null())
            .group_by("comment_id").agg(pl.col("date").min())
            .with_columns(pl.col("date").dt.truncate(period).alias("period"))
            .select("comment_id", "period")
        )
        mentions = mentions.join(dates, on="comment_id", how="inner")
        keys.append("period")
    counts = (
        mentions.group_by(keys)
        .agg(*[(pl.col("polarity") == p).sum().alias(p) for p in POLARITIES])
        .sort(keys)
    )
    hidden = _hidden_periods(counts, everything, min_group) if period is not None else set()
    rows = []
    for row in counts.iter_rows(named=True):
        what = f"net sentiment on {row['attribute']}"
        score = (
            Suppressed(what=what, threshold=max(min_group, 1))
            if (row["attribute"], row.get("period")) in hidden
            else net_score(int(row["positive"]), int(row["neutral"]), int(row["negative"]),
                           level=level, what=what, min_group=min_group)
        )
        rows.append(AttributeSentiment(attribute=str(row["attribute"]),
                                       period=row.get("period"), sentiment=score))
    return NetSentiment(
        sentiments=tuple(rows), period=period,
        method="% positive − % negative comments among those mentioning the attribute; "
               "adjusted Wald CI (Rocks 2016)",
    )


def _hidden_periods(
    counts: pl.DataFrame, everything: pl.DataFrame, min_group: int
) -> set[tuple[object, object]]:
    """The (attribute, period) cells withheld: those with fewer than ``min_group`` comments,
    and, where those of an attribute hold fewer than ``min_group`` together, its next smallest
    periods too, since the attribute's overall figure minus its shown periods would give them
    away (secondary suppression). Its undated comments (in the overall figure, in no period)
    count as one more hidden cell."""
    sizes = counts.select(
        "attribute", "period", n=pl.sum_horizontal(*[pl.col(p) for p in POLARITIES])
    )
    totals = dict(everything.iter_rows())
    hidden: set[tuple[object, object]] = set()
    for (attribute,), group in sizes.group_by(["attribute"], maintain_order=True):
        cells = {row["period"]: int(row["n"]) for row in group.iter_rows(named=True)}
        undated = int(totals.get(attribute, 0)) - sum(cells.values())
        small = hidden_groups(cells, min_group, unseen=undated)
        hidden.update((attribute, p) for p in small)
    return hidden


@dataclass(frozen=True, slots=True, kw_only=True)
class SentimentImpact:
    """The rating difference a positive or negative mention of an attribute goes with."""

    attribute: str
    polarity: Literal["positive", "negative"]
    effect: float
    ci_low: float
    ci_high: float
    mentions: int
    n: int
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok", "attribute": self.attribute, "polarity": self.polarity,
            "effect": self.effect, "ci_low": self.ci_low, "ci_high": self.ci_high,
            "mentions": self.mentions, "n": self.n, "method": self.method,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SentimentImpactModel:
    """Regression of the comment's rating on its per-attribute sentiment indicators."""

    impacts: tuple[SentimentImpact, ...]
    intercept: float | None  # None when the comments with no indicator are fewer than k
    r_squared: float
    n: int
    omitted: tuple[str, ...]
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": "ok", "impacts": [i.to_dict() for i in self.impacts],
            "intercept": self.intercept, "r_squared": self.r_squared, "n": self.n,
            "omitted": list(self.omitted), "method": self.method,
        }

    def to_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [{k: v for k, v in i.to_dict().items() if k not in ("status", "method")}
             for i in self.impacts],
            schema={"attribute": pl.String, "polarity": pl.String, "effect": pl.Float64,
                    "ci_low": pl.Float64, "ci_high": pl.Float64, "mentions": pl.Int64,
                    "n": pl.Int64},
        )


def sentiment_impact(
    sentences: pl.DataFrame, *, level: float = DEFAULT_LEVEL, min_group: int = DEFAULT_MIN_GROUP,
    rating_scale: CommonScale | None = None,
) -> SentimentImpactModel | Suppressed | NotEstimable:
    """Impact of each attribute's sentiment on the comment's rating: OLS with HC3 robust CIs.

    One row per rated comment; regressors are indicators "mentions attribute a positively" and
    "… negatively" (the reference is no or neutral mention). An indicator is used only when at
    least ``min_group`` comments have it and as many do not; those left out for being small are
    not named (that would say a small group exists), the constant ones are listed. The
    intercept, the mean rating of the comments with no indicator, is withheld when they are
    fewer than ``min_group``. Robust standard errors:
    MacKinnon & White (1985) HC3, via statsmodels. Ratings must share one scale: effects are
    in its points. ``rating_scale`` names it (and the scales put on it) in the method.
    """
    if "rating" not in sentences.columns:
        raise ValueError("sentiment impact needs a 'rating' column")
    ratings = (
        sentences.filter(pl.col("rating").is_not_null())
        .group_by("comment_id").agg(pl.col("rating").cast(pl.Float64).first())
        .sort("comment_id")
    )
    n = ratings.height
    if n < min_group:
        return Suppressed(what="sentiment impact on rating", threshold=min_group)
    mentions = comment_mentions(sentences).filter(pl.col("polarity") != "neutral")
    indicators = (
        mentions.with_columns((pl.col("attribute") + "|" + pl.col("polarity")).alias("term"))
        .select("comment_id", "term").unique()
    )
    names: list[str] = []
    omitted: list[str] = []
    columns: list[FloatArray] = []
    ids = ratings.get_column("comment_id")
    for term in sorted(indicators.get_column("term").unique().to_list()):
        hit = ids.is_in(
            indicators.filter(pl.col("term") == term).get_column("comment_id").to_list())
        x = hit.cast(pl.Float64).to_numpy()
        count = int(x.sum())
        if count == n:
            omitted.append(term)
        if count < min_group or n - count < min_group:
            continue
        names.append(term)
        columns.append(np.asarray(x, dtype=np.float64))
    if not names:
        return NotEstimable(what="sentiment impact on rating",
                            reason=f"no attribute sentiment in at least {min_group} comments", n=n)
    design = np.column_stack([np.ones(n), *columns])
    y = np.asarray(ratings.get_column("rating").to_numpy(), dtype=np.float64)
    if n <= design.shape[1] + 1:
        return NotEstimable(what="sentiment impact on rating",
                            reason=f"{n} rated comments for {len(names)} indicators", n=n)
    if np.linalg.matrix_rank(design) < design.shape[1]:
        return NotEstimable(what="sentiment impact on rating",
                            reason="sentiment indicators are collinear", n=n)
    if np.ptp(y) == 0:
        return NotEstimable(what="sentiment impact on rating", reason="no variance in ratings",
                            n=n)
    fit = sm.OLS(y, design).fit(cov_type="HC3")
    bounds = np.asarray(fit.conf_int(alpha=1.0 - level), dtype=np.float64)
    params = np.asarray(fit.params, dtype=np.float64)
    on = "" if rating_scale is None else f" (points on {rating_scale.text})"
    note = "" if rating_scale is None else rating_scale.note("ratings")
    method = (f"OLS of rating{on} on sentiment indicators, HC3 robust CI "
              f"(MacKinnon & White 1985){note}")
    impacts = []
    for j, term in enumerate(names, start=1):
        attribute, polarity = term.rsplit("|", 1)
        impacts.append(SentimentImpact(
            attribute=attribute, polarity="positive" if polarity == "positive" else "negative",
            effect=float(params[j]), ci_low=float(bounds[j, 0]), ci_high=float(bounds[j, 1]),
            mentions=int(columns[j - 1].sum()), n=n, method=method))
    reference = int((design[:, 1:].sum(axis=1) == 0).sum())
    return SentimentImpactModel(
        impacts=tuple(impacts),
        intercept=float(params[0]) if reference >= min_group else None,
        r_squared=float(fit.rsquared), n=n, omitted=tuple(omitted), method=method,
    )
