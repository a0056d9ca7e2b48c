"""Seeded, vectorised bootstrap confidence intervals.

The nonparametric bootstrap resamples *units* (respondents, customers) with replacement.
Drawing ``n`` units with replacement from ``n`` observed units is the same as drawing
multinomial counts over the *distinct* observed values, with probabilities equal to their
observed shares. Survey scores take few distinct values (a mean of four 1-7 items has at most
25), so :func:`bootstrap_mean` and :func:`bootstrap_ratio_of_means` draw a ``(B, K)`` count
matrix with ``K`` distinct values instead of a ``(B, n)`` index matrix: the same bootstrap
distribution, exactly, at a cost independent of ``n``. When the data have many distinct
values the functions fall back to resampling indices in chunks.

Percentile intervals follow Efron & Tibshirani (1993), *An Introduction to the Bootstrap*,
ch. 13; the BCa interval ch. 14.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats

FloatArray = npt.NDArray[np.float64]
CIMethod = Literal["percentile", "bca"]

DEFAULT_RESAMPLES = 2000
DEFAULT_LEVEL = 0.95
_MAX_DISTINCT_FOR_COUNTS = 4096
_CHUNK_CELLS = 8_000_000  # resample index matrix cells per chunk (64 MB of int64)


@dataclass(frozen=True, slots=True, kw_only=True)
class Interval:
    """A point estimate with its confidence interval."""

    estimate: float
    low: float
    high: float
    n: int
    level: float
    method: str

    def to_dict(self) -> dict[str, float | int | str]:
        return {
            "estimate": self.estimate,
            "ci_low": self.low,
            "ci_high": self.high,
            "n": self.n,
            "level": self.level,
            "method": self.method,
        }


def as_generator(seed: int | np.random.Generator | None) -> np.random.Generator:
    """Return a Generator; an int seeds a new one, ``None`` is refused (no hidden randomness)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        raise ValueError("pass a seed or a numpy Generator: results must be reproducible")
    return np.random.default_rng(seed)


def _percentile_bounds(replicates: FloatArray, level: float) -> tuple[float, float]:
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(replicates, [alpha, 1.0 - alpha])
    return float(low), float(high)


def _bca_bounds(
    replicates: FloatArray, estimate: float, jackknife: FloatArray, level: float
) -> tuple[float, float]:
    """Bias-corrected and accelerated bounds (Efron & Tibshirani 1993, eq. 14.9-14.15)."""
    below = np.count_nonzero(replicates < estimate) + 0.5 * np.count_nonzero(replicates == estimate)
    floor = 1.0 / replicates.size
    share_below = min(max(below / replicates.size, floor), 1.0 - floor)
    z0 = float(stats.norm.ppf(share_below))
    deviations = jackknife.mean() - jackknife
    denominator = 6.0 * float(np.sum(deviations**2)) ** 1.5
    acceleration = float(np.sum(deviations**3)) / denominator if denominator > 0 else 0.0
    alpha = (1.0 - level) / 2.0
    z = stats.norm.ppf([alpha, 1.0 - alpha])
    adjusted = stats.norm.cdf(z0 + (z0 + z) / (1.0 - acceleration * (z0 + z)))
    bounds = np.quantile(replicates, np.asarray(adjusted, dtype=np.float64))
    return float(bounds[0]), float(bounds[1])


_COMMON_DENOMINATOR = 2520  # lcm(1..10): a mean of up to ten whole answers times this is whole
_MAX_BINS = 1 << 22


def _small_integer_codes(x: FloatArray) -> npt.NDArray[np.int64] | None:
    """One small integer per row when every value is a multiple of 1/2520 (a mean of up to ten
    whole-number answers), else None. Rows with equal codes are equal rows."""
    scale = 1 if np.array_equal(x, np.rint(x)) else _COMMON_DENOMINATOR
    scaled = x * scale
    whole = np.rint(scaled)
    if scale != 1 and not np.allclose(scaled, whole, rtol=0.0, atol=1e-6):
        return None
    if not np.isfinite(whole).all() or (whole.max(axis=0) - whole.min(axis=0)).max() > _MAX_BINS:
        return None
    ints = whole.astype(np.int64)
    codes = np.zeros(x.shape[0], dtype=np.int64)
    combined = 1
    for j in range(x.shape[1]):
        column = ints[:, j] - ints[:, j].min()
        seen = np.bincount(column) > 0
        dense = np.cumsum(seen) - 1  # value -> rank among the values present
        base = int(dense[-1]) + 1
        codes += dense[column] * combined
        combined *= base
        if combined > _MAX_BINS:
            return None
    return codes


def distinct_rows(values: npt.ArrayLike) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """Distinct rows of ``values`` and how often each occurs.

    Answers and scale means are few distinct rational numbers: such rows are packed into one
    small integer each and counted with ``bincount`` (linear time); other data fall back to a
    sort-based ``unique``.
    """
    x = np.asarray(values, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.shape[0] == 0:
        return x, np.zeros(0, dtype=np.int64)
    codes = _small_integer_codes(x)
    if codes is not None:
        counts = np.bincount(codes)
        present = np.flatnonzero(counts)
        first = np.full(counts.size, -1, dtype=np.int64)
        first[codes[::-1]] = np.arange(codes.size - 1, -1, -1)
        return x[first[present]], counts[present].astype(np.int64)
    distinct, counts = np.unique(x, axis=0, return_counts=True)
    return distinct.astype(np.float64), counts.astype(np.int64)


def _distinct_counts(values: FloatArray) -> tuple[FloatArray, npt.NDArray[np.int64]] | None:
    """Distinct rows of ``values`` and their counts, or None when there are too many."""
    distinct, counts = distinct_rows(values)
    if distinct.shape[0] > _MAX_DISTINCT_FOR_COUNTS:
        return None
    return distinct, counts


NORMAL_LIMIT_UNITS = 5000
"""From this many units on, the bootstrap distribution of a vector of means is drawn from its
normal limit instead of by multinomial resampling; below it, always exactly."""


def bootstrap_feature_means(
    features: npt.ArrayLike,
    counts: npt.ArrayLike | None = None,
    *,
    resamples: int,
    rng: np.random.Generator,
) -> tuple[FloatArray, str]:
    """Bootstrap replicates ``(B, f)`` of the means of per-unit features, and the method used.

    ``features`` holds one row per unit, or one row per *distinct* unit profile with ``counts``
    saying how many units share it. Resampling ``n`` units with replacement is drawing
    multinomial counts over the profiles; that is done exactly for fewer than 5,000 units. From
    5,000 units on, the replicate means are drawn from their normal limit N(mean, Cov / n)
    (central limit theorem for the multinomial; at thousands of units the two agree far inside
    the Monte Carlo error of the bootstrap itself), which costs nothing in ``n``.
    """
    f = np.asarray(features, dtype=np.float64)
    if f.ndim == 1:
        f = f[:, None]
    c = np.ones(f.shape[0], dtype=np.int64) if counts is None else np.asarray(counts, np.int64)
    n = int(c.sum())
    shares = c / n
    if n < NORMAL_LIMIT_UNITS:
        if counts is None:
            f, c = distinct_rows(f)
            shares = c / n
        weights = rng.multinomial(n, shares, size=resamples).astype(np.float64)
        return (weights @ f) / n, "bootstrap"
    if counts is None:  # one row per unit: one BLAS product, no centred copy of the data
        mean = f.mean(axis=0)
        cov = (f.T @ f / n - np.outer(mean, mean)) / n
    else:
        mean = shares @ f
        centred = f - mean
        cov = (centred * shares[:, None]).T @ centred / n
    draws = rng.multivariate_normal(mean, cov, size=resamples, method="eigh")
    return np.asarray(draws, dtype=np.float64), "bootstrap (normal limit, n ≥ 5,000)"


def resample_weights(
    n_units: int, unit_counts: npt.NDArray[np.int64], resamples: int, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """Multinomial bootstrap counts: row b says how often each distinct value is drawn."""
    shares = unit_counts / n_units
    return rng.multinomial(n_units, shares, size=resamples)


def bootstrap_mean(
    values: npt.ArrayLike,
    *,
    seed: int | np.random.Generator,
    resamples: int = DEFAULT_RESAMPLES,
    level: float = DEFAULT_LEVEL,
    method: CIMethod = "percentile",
) -> Interval:
    """Bootstrap CI of the mean of ``values`` (NaNs dropped), resampling units."""
    x = np.asarray(values, dtype=np.float64)
    x = x[~np.isnan(x)]
    return bootstrap_ratio_of_means(
        np.column_stack([x, np.ones_like(x)]),
        seed=seed,
        resamples=resamples,
        level=level,
        method=method,
        _label="mean",
    )


def bootstrap_ratio_of_means(
    pairs: npt.ArrayLike,
    *,
    seed: int | np.random.Generator,
    resamples: int = DEFAULT_RESAMPLES,
    level: float = DEFAULT_LEVEL,
    method: CIMethod = "percentile",
    _label: str = "ratio of means",
) -> Interval:
    """Bootstrap CI of ``mean(a) / mean(b)`` for paired columns ``(a, b)`` of one unit each.

    Rows with a NaN in either column are dropped. Used for the parity index
    (customer-side score / own-side score of the same respondents).
    """
    data = np.asarray(pairs, dtype=np.float64)
    if data.ndim != 2 or data.shape[1] != 2:
        raise ValueError("pairs must have two columns")
    data = data[~np.isnan(data).any(axis=1)]
    n = data.shape[0]
    if n < 2:
        raise ValueError("at least two units are needed for a bootstrap interval")
    if np.any(data[:, 1] <= 0) and _label != "mean":
        raise ValueError("the denominator must be positive")
    rng = as_generator(seed)
    estimate = float(data[:, 0].mean() / data[:, 1].mean())
    how = "bootstrap"
    if n >= NORMAL_LIMIT_UNITS:
        means, how = bootstrap_feature_means(data, resamples=resamples, rng=rng)
        replicates = means[:, 0] / means[:, 1]
    elif (grouped := _distinct_counts(data)) is not None:
        distinct, counts = grouped
        means, how = bootstrap_feature_means(distinct, counts, resamples=resamples, rng=rng)
        replicates = means[:, 0] / means[:, 1]
    else:
        replicates = _chunked_index_replicates(
            data, resamples, rng, lambda sample: sample[..., 0].mean(-1) / sample[..., 1].mean(-1)
        )
    if method == "percentile":
        low, high = _percentile_bounds(replicates, level)
    else:
        sums = data.sum(axis=0)
        jack = (sums[0] - data[:, 0]) / (sums[1] - data[:, 1])
        low, high = _bca_bounds(replicates, estimate, jack, level)
    return Interval(
        estimate=estimate,
        low=low,
        high=high,
        n=n,
        level=level,
        method=f"{how} {method} CI of the {_label} ({resamples} resamples)",
    )


def _chunked_index_replicates(
    data: FloatArray,
    resamples: int,
    rng: np.random.Generator,
    statistic: Callable[[FloatArray], FloatArray],
) -> FloatArray:
    """Classic index resampling, in chunks so memory stays bounded for large n."""
    n = data.shape[0]
    per_chunk = max(1, _CHUNK_CELLS // max(n, 1))
    out = np.empty(resamples, dtype=np.float64)
    for start in range(0, resamples, per_chunk):
        stop = min(resamples, start + per_chunk)
        idx = rng.integers(0, n, size=(stop - start, n))
        out[start:stop] = statistic(data[idx])
    return out


def bootstrap_statistic(
    data: npt.ArrayLike,
    statistic: Callable[[FloatArray], float],
    *,
    seed: int | np.random.Generator,
    resamples: int = DEFAULT_RESAMPLES,
    level: float = DEFAULT_LEVEL,
) -> tuple[float, FloatArray, tuple[float, float]]:
    """Generic percentile bootstrap of any statistic of the rows of ``data``.

    For statistics that are not means (Kendall's tau, relative weights); slower, one call of
    ``statistic`` per resample. Returns the estimate, the replicates and the bounds.
    """
    x = np.asarray(data, dtype=np.float64)
    rng = as_generator(seed)
    n = x.shape[0]
    estimate = statistic(x)
    replicates = np.empty(resamples, dtype=np.float64)
    for b in range(resamples):
        replicates[b] = statistic(x[rng.integers(0, n, size=n)])
    finite = replicates[np.isfinite(replicates)]
    if finite.size == 0:
        return estimate, replicates, (float("nan"), float("nan"))
    return estimate, replicates, _percentile_bounds(finite, level)


def _bootstrap_count_chunks(
    rows: FloatArray, resamples: int, rng: np.random.Generator
) -> tuple[FloatArray, list[FloatArray]]:
    """Distinct rows of ``rows`` and multinomial bootstrap counts over them, in chunks.

    Resampling ``n`` units with replacement is drawing counts over the distinct rows (see the
    module docstring); chunks keep the ``(B, K)`` count matrix under ``_CHUNK_CELLS`` cells.
    """
    n = rows.shape[0]
    distinct, counts = np.unique(rows, axis=0, return_counts=True)
    per_chunk = max(1, _CHUNK_CELLS // max(distinct.shape[0], 1))
    chunks = [
        resample_weights(n, counts.astype(np.int64), min(per_chunk, resamples - start), rng).astype(
            np.float64
        )
        for start in range(0, resamples, per_chunk)
    ]
    return distinct.astype(np.float64), chunks


def bootstrap_column_means(
    data: npt.ArrayLike, *, seed: int | np.random.Generator, resamples: int = DEFAULT_RESAMPLES
) -> FloatArray:
    """Bootstrap replicates ``(B, p)`` of the column means of ``data`` (rows are units).

    NaNs are missing answers: each replicate averages the non-missing values of each column
    among the resampled units (a column with none gives NaN in that replicate). Vectorised
    with multinomial counts over distinct rows (Efron & Tibshirani 1993, ch. 6).
    """
    x = np.asarray(data, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 1:
        raise ValueError("data must be a non-empty two-dimensional array")
    rng = as_generator(seed)
    present = ~np.isnan(x)
    p = x.shape[1]
    distinct, chunks = _bootstrap_count_chunks(
        np.hstack([np.where(present, x, 0.0), present.astype(np.float64)]), resamples, rng
    )
    out = np.empty((resamples, p), dtype=np.float64)
    start = 0
    for weights in chunks:
        sums = weights @ distinct[:, :p]
        counts = weights @ distinct[:, p:]
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start : start + weights.shape[0]] = np.where(counts > 0, sums / counts, np.nan)
        start += weights.shape[0]
    return out


def bootstrap_correlations(
    data: npt.ArrayLike, *, seed: int | np.random.Generator, resamples: int = DEFAULT_RESAMPLES
) -> FloatArray:
    """Bootstrap replicates ``(B, p, p)`` of the Pearson correlation matrix of ``data``'s columns.

    Rows are units and must be complete (drop missing rows first). Each replicate's moments are
    weighted sums over distinct rows with multinomial counts, so no ``(B, n, p)`` sample is
    built. A replicate in which a column has no variance gives NaN correlations for it.
    """
    x = np.asarray(data, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2:
        raise ValueError("data must be a two-dimensional array with at least two rows")
    if np.isnan(x).any():
        raise ValueError("data must have no missing values")
    rng = as_generator(seed)
    n, p = x.shape
    # Centring at the sample mean first keeps the one-pass moments E[xy] - E[x]E[y] accurate.
    distinct, chunks = _bootstrap_count_chunks(x - x.mean(axis=0), resamples, rng)
    products = (distinct[:, :, None] * distinct[:, None, :]).reshape(distinct.shape[0], p * p)
    out = np.empty((resamples, p, p), dtype=np.float64)
    start = 0
    for weights in chunks:
        means = weights @ distinct / n
        second = (weights @ products / n).reshape(-1, p, p)
        cov = second - means[:, :, None] * means[:, None, :]
        sd = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0.0, None))
        scale = sd[:, :, None] * sd[:, None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = np.where(scale > 1e-12, cov / scale, np.nan)
        out[start : start + weights.shape[0]] = corr
        start += weights.shape[0]
    return out
