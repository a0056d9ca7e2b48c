"""Scale scores, reliability, within-group agreement and group differences.

Every function takes plain arrays (respondents in rows, items in columns, ``NaN`` for a missing
answer) and returns a frozen result that carries its sample size, interval and method.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

from outsidein.core.resampling import (
    DEFAULT_LEVEL,
    DEFAULT_RESAMPLES,
    NORMAL_LIMIT_UNITS,
    as_generator,
    bootstrap_feature_means,
    distinct_rows,
)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True, kw_only=True)
class NotEstimable:
    """A statistic that cannot be computed from these data, and why."""

    reason: str
    n: int

    def to_dict(self) -> dict[str, object]:
        return {"estimable": False, "reason": self.reason, "n": self.n}


# --------------------------------------------------------------------------- scoring


def reverse_keyed(
    values: npt.ArrayLike, reverse: npt.ArrayLike, scale_min: float, scale_max: float
) -> FloatArray:
    """Flip reverse-keyed columns: ``min + max - x``; NaN stays NaN."""
    x = np.array(values, dtype=np.float64, copy=True)
    mask = np.asarray(reverse, dtype=bool)
    x[:, mask] = scale_min + scale_max - x[:, mask]
    return x


def scale_scores(items: npt.ArrayLike, *, min_answered: float = 0.5) -> FloatArray:
    """Each respondent's scale score: the mean of the items they answered.

    A respondent who answered fewer than ``min_answered`` of the items (a share, rounded up,
    at least one) gets NaN: a score from one item out of six says too little. This is the
    usual "person-mean imputation" rule (Schafer & Graham 2002) with a completeness floor.
    """
    x = np.asarray(items, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("items must be a 2-d array: respondents x items")
    k = x.shape[1]
    needed = max(1, math.ceil(min_answered * k))
    answered = np.count_nonzero(~np.isnan(x), axis=1)
    with np.errstate(invalid="ignore"):
        means = np.nansum(x, axis=1) / np.maximum(answered, 1)
    means[answered < needed] = np.nan
    return np.asarray(means, dtype=np.float64)


# --------------------------------------------------------------------------- reliability


@dataclass(frozen=True, slots=True, kw_only=True)
class Reliability:
    """Internal consistency of one scale."""

    scale: str
    alpha: float
    alpha_ci_low: float
    alpha_ci_high: float
    omega: float
    omega_ci_low: float
    omega_ci_high: float
    n: int
    k: int
    method: str

    def to_dict(self) -> dict[str, object]:
        return {
            "scale": self.scale,
            "alpha": self.alpha,
            "alpha_ci_low": self.alpha_ci_low,
            "alpha_ci_high": self.alpha_ci_high,
            "omega": self.omega,
            "omega_ci_low": self.omega_ci_low,
            "omega_ci_high": self.omega_ci_high,
            "n": self.n,
            "k": self.k,
            "method": self.method,
        }


def cronbach_alpha_from_cov(cov: FloatArray) -> FloatArray:
    """Cronbach's alpha from covariance matrices of shape ``(..., k, k)``.

    ``alpha = k / (k - 1) * (1 - trace(C) / sum(C))`` (Cronbach 1951).
    """
    k = cov.shape[-1]
    trace = np.trace(cov, axis1=-2, axis2=-1)
    total = cov.sum(axis=(-2, -1))
    return np.asarray(k / (k - 1) * (1.0 - trace / total), dtype=np.float64)


def feldt_interval(alpha: float, n: int, k: int, level: float) -> tuple[float, float]:
    """Feldt's (1965) exact interval for alpha: ``(1 - a) / (1 - a_hat) ~ F(n-1, (n-1)(k-1))``."""
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1.0 - level) / 2.0
    upper_f = float(stats.f.ppf(1.0 - tail, df1, df2))
    lower_f = float(stats.f.ppf(tail, df1, df2))
    return 1.0 - (1.0 - alpha) * upper_f, 1.0 - (1.0 - alpha) * lower_f


def one_factor_loadings(
    corr: FloatArray,
    *,
    iterations: int = 5000,
    tol: float = 1e-10,
    initial: FloatArray | None = None,
) -> FloatArray:
    """Loadings of a one-factor model fitted by iterated principal axes (minres).

    Works on a stack of correlation matrices ``(..., k, k)`` at once. Iterated principal-axis
    factoring converges to the unweighted least squares (minres) solution, the default of
    ``psych::omega`` (Revelle). Communalities start at the squared multiple correlations.
    Each iteration takes one power step towards the leading eigenvector of the reduced
    correlation matrix (``R`` with communalities on the diagonal) and rescales so that
    ``lambda' lambda`` equals its eigenvalue; the fixed point is the principal-axis solution,
    and a stack of thousands of bootstrap matrices converges in milliseconds.
    """
    r = np.asarray(corr, dtype=np.float64)
    if initial is None:
        inv_diag = np.diagonal(np.linalg.pinv(r), axis1=-2, axis2=-1)
        loadings = np.sqrt(np.clip(1.0 - 1.0 / inv_diag, 0.005, 0.995))
    else:  # warm start, e.g. bootstrap replicates from the full-sample solution
        loadings = np.broadcast_to(np.abs(initial), r.shape[:-1]).astype(np.float64)
    off_diagonal = r * (1.0 - np.eye(r.shape[-1]))
    for _ in range(iterations):
        communality = np.clip(loadings**2, 0.0, 0.995)
        image = np.einsum("...ij,...j->...i", off_diagonal, loadings) + communality * loadings
        rayleigh = np.einsum("...i,...i->...", image, loadings)
        new = image / np.sqrt(np.clip(rayleigh, 1e-12, None))[..., None]
        done = np.max(np.abs(new - loadings)) < tol
        loadings = new
        if done:
            break
    # orient each solution so that the loadings sum to a positive number
    sign = np.where(loadings.sum(axis=-1, keepdims=True) < 0, -1.0, 1.0)
    return np.asarray(loadings * sign, dtype=np.float64)


def omega_from_cov(
    cov: FloatArray, *, initial: FloatArray | None = None, tol: float = 1e-10
) -> FloatArray:
    """McDonald's omega (total) from covariance matrices ``(..., k, k)``.

    ``omega = (sum lambda)^2 / ((sum lambda)^2 + sum psi)`` on the standardised items, with
    lambda from a one-factor model (McDonald 1999, *Test Theory*, ch. 6).
    """
    sd = np.sqrt(np.diagonal(cov, axis1=-2, axis2=-1))
    corr = cov / (sd[..., :, None] * sd[..., None, :])
    loadings = one_factor_loadings(corr, initial=initial, tol=tol)
    common = loadings.sum(axis=-1) ** 2
    unique = (1.0 - loadings**2).sum(axis=-1)
    return np.asarray(common / (common + unique), dtype=np.float64)


def bootstrap_covariances(
    complete: FloatArray, *, rng: np.random.Generator, resamples: int
) -> FloatArray:
    """Covariance matrices ``(B, k, k)`` of bootstrap resamples of the rows of ``complete``.

    Each replicate's covariance comes from its first and second moments, which are means of
    per-respondent features; :func:`bootstrap_feature_means` resamples those over distinct
    answer patterns, so the cost does not grow with the number of respondents.
    """
    n, k = complete.shape
    upper = np.triu_indices(k)
    if n >= NORMAL_LIMIT_UNITS:  # the normal limit needs only the moments: no distinct rows
        rows, counts = complete, None
    else:
        rows, counts = distinct_rows(complete)
    features = np.hstack([rows, rows[:, upper[0]] * rows[:, upper[1]]])
    moments, _ = bootstrap_feature_means(features, counts, resamples=resamples, rng=rng)
    first = moments[:, :k]
    second = np.zeros((resamples, k, k))
    second[:, upper[0], upper[1]] = moments[:, k:]
    second[:, upper[1], upper[0]] = moments[:, k:]
    cov = (second - first[:, :, None] * first[:, None, :]) * (n / (n - 1.0))
    return np.asarray(cov, dtype=np.float64)


def bootstrap_item_variances(
    complete: FloatArray, *, rng: np.random.Generator, resamples: int
) -> FloatArray:
    """Item variances ``(B, k)`` of bootstrap resamples, from the first two moments only."""
    n, k = complete.shape
    if n >= NORMAL_LIMIT_UNITS:
        rows, counts = complete, None
    else:
        rows, counts = distinct_rows(complete)
    moments, _ = bootstrap_feature_means(
        np.hstack([rows, rows**2]), counts, resamples=resamples, rng=rng
    )
    return np.asarray((moments[:, k:] - moments[:, :k] ** 2) * (n / (n - 1.0)), dtype=np.float64)


def reliability(
    items: npt.ArrayLike,
    *,
    scale: str,
    seed: int | np.random.Generator,
    resamples: int = DEFAULT_RESAMPLES,
    level: float = DEFAULT_LEVEL,
) -> Reliability | NotEstimable:
    """Cronbach's alpha (Feldt CI) and McDonald's omega (bootstrap percentile CI) of a scale.

    Reverse-keyed items must already be flipped. Uses respondents who answered every item
    (listwise deletion), as ``psych::alpha`` does with ``use="complete.obs"``.
    """
    x = np.asarray(items, dtype=np.float64)
    complete = x[~np.isnan(x).any(axis=1)]
    n, k = complete.shape
    if k < 2:
        return NotEstimable(reason="a scale needs at least two items", n=n)
    if n < 3:
        return NotEstimable(reason="fewer than three complete answers", n=n)
    cov = np.cov(complete, rowvar=False)
    if np.any(np.diag(cov) <= 0):
        return NotEstimable(reason="an item has no variance (everyone gave the same answer)", n=n)
    alpha = float(cronbach_alpha_from_cov(cov))
    a_low, a_high = feldt_interval(alpha, n, k, level)
    omega = float(omega_from_cov(cov))
    sd = np.sqrt(np.diag(cov))
    point_loadings = one_factor_loadings(cov / np.outer(sd, sd))
    rng = as_generator(seed)
    boot = bootstrap_covariances(complete, rng=rng, resamples=resamples)
    keep = np.all(np.diagonal(boot, axis1=1, axis2=2) > 0, axis=1)
    # replicates start from the full-sample loadings and stop at 1e-7: far below the spread
    omegas = omega_from_cov(boot[keep], initial=point_loadings, tol=1e-7)
    tail = (1.0 - level) / 2.0
    o_low, o_high = (float(v) for v in np.quantile(omegas, [tail, 1.0 - tail]))
    return Reliability(
        scale=scale,
        alpha=alpha,
        alpha_ci_low=a_low,
        alpha_ci_high=a_high,
        omega=omega,
        omega_ci_low=o_low,
        omega_ci_high=o_high,
        n=n,
        k=k,
        method=(
            f"Cronbach's alpha with Feldt {level:.0%} CI; McDonald's omega total from a "
            f"one-factor minres model with bootstrap percentile CI ({resamples} resamples); "
            "complete cases"
        ),
    )


# --------------------------------------------------------------------------- agreement


@dataclass(frozen=True, slots=True, kw_only=True)
class Agreement:
    """Within-group agreement rwg(j) of one group on one multi-item scale."""

    rwg: float
    ci_low: float
    ci_high: float
    mean_item_variance: float
    expected_variance: float
    n: int
    k: int
    method: str

    def to_dict(self) -> dict[str, object]:
        return {
            "rwg": self.rwg,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "mean_item_variance": self.mean_item_variance,
            "n": self.n,
            "k": self.k,
            "method": self.method,
        }


def rwg_j_from_variances(mean_variance: FloatArray | float, k: int, expected: float) -> FloatArray:
    """rwg(j) of James, Demaree & Wolf (1984), eq. 2, truncated to [0, 1].

    ``rwg(j) = J (1 - s2/e) / (J (1 - s2/e) + s2/e)`` where ``s2`` is the mean observed item
    variance and ``e`` the variance expected under no agreement. When ``s2 > e`` the formula
    leaves [0, 1]; following Lindell & Brandt (1999) such groups are set to 0 (no agreement).
    """
    ratio = np.asarray(mean_variance, dtype=np.float64) / expected
    value = k * (1.0 - ratio) / (k * (1.0 - ratio) + ratio)
    return np.asarray(np.where(ratio >= 1.0, 0.0, value), dtype=np.float64)


def uniform_null_variance(options: int) -> float:
    """Variance of a discrete uniform answer over ``options`` points: ``(A^2 - 1) / 12``."""
    return (options**2 - 1) / 12.0


def agreement(
    items: npt.ArrayLike,
    *,
    options: int,
    seed: int | np.random.Generator,
    resamples: int = DEFAULT_RESAMPLES,
    level: float = DEFAULT_LEVEL,
) -> Agreement | NotEstimable:
    """rwg(j) with a uniform null and a bootstrap percentile CI over group members."""
    x = np.asarray(items, dtype=np.float64)
    complete = x[~np.isnan(x).any(axis=1)]
    n, k = complete.shape
    if n < 3 or k < 1:
        return NotEstimable(reason="fewer than three complete answers", n=n)
    expected = uniform_null_variance(options)
    mean_var = float(np.var(complete, axis=0, ddof=1).mean())
    value = float(rwg_j_from_variances(mean_var, k, expected))
    variances = bootstrap_item_variances(complete, rng=as_generator(seed), resamples=resamples)
    boot_values = rwg_j_from_variances(variances.mean(axis=1), k, expected)
    tail = (1.0 - level) / 2.0
    low, high = (float(v) for v in np.quantile(boot_values, [tail, 1.0 - tail]))
    return Agreement(
        rwg=value,
        ci_low=low,
        ci_high=high,
        mean_item_variance=mean_var,
        expected_variance=expected,
        n=n,
        k=k,
        method=(
            f"rwg(j) (James, Demaree & Wolf 1984), uniform null over {options} options, "
            f"truncated at 0; bootstrap percentile {level:.0%} CI"
        ),
    )


# --------------------------------------------------------------------------- group gaps


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupDifference:
    """Difference between two independent groups' means: ``mean_a - mean_b``."""

    mean_a: float
    mean_b: float
    difference: float
    ci_low: float
    ci_high: float
    hedges_g: float
    g_ci_low: float
    g_ci_high: float
    t: float
    df: float
    p_value: float
    n_a: int
    n_b: int
    method: str

    def to_dict(self) -> dict[str, object]:
        return {
            "mean_a": self.mean_a,
            "mean_b": self.mean_b,
            "difference": self.difference,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "hedges_g": self.hedges_g,
            "g_ci_low": self.g_ci_low,
            "g_ci_high": self.g_ci_high,
            "t": self.t,
            "df": self.df,
            "p_value": self.p_value,
            "n_a": self.n_a,
            "n_b": self.n_b,
            "method": self.method,
        }


def hedges_g(a: FloatArray, b: FloatArray) -> tuple[float, float]:
    """Hedges' g (bias-corrected standardised mean difference) and its standard error.

    ``g = J * (mean_a - mean_b) / s_pooled`` with ``J = 1 - 3 / (4 (n_a + n_b) - 9)``
    (Hedges 1981; Borenstein et al. 2009, *Introduction to Meta-Analysis*, eq. 4.18-4.23).
    """
    n_a, n_b = a.size, b.size
    pooled = math.sqrt(
        ((n_a - 1) * np.var(a, ddof=1) + (n_b - 1) * np.var(b, ddof=1)) / (n_a + n_b - 2)
    )
    d = (float(a.mean()) - float(b.mean())) / pooled
    correction = 1.0 - 3.0 / (4.0 * (n_a + n_b) - 9.0)
    var_d = (n_a + n_b) / (n_a * n_b) + d**2 / (2.0 * (n_a + n_b))
    return correction * d, correction * math.sqrt(var_d)


def group_difference(
    a: npt.ArrayLike, b: npt.ArrayLike, *, level: float = DEFAULT_LEVEL
) -> GroupDifference | NotEstimable:
    """Welch's t-test and CI for ``mean(a) - mean(b)``, with Hedges' g and its CI."""
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    if x.size < 2 or y.size < 2:
        return NotEstimable(reason="each group needs at least two respondents", n=x.size + y.size)
    va, vb = np.var(x, ddof=1) / x.size, np.var(y, ddof=1) / y.size
    if va + vb == 0:
        return NotEstimable(reason="no variance in either group", n=x.size + y.size)
    result = stats.ttest_ind(x, y, equal_var=False)
    se = math.sqrt(va + vb)
    df = float((va + vb) ** 2 / (va**2 / (x.size - 1) + vb**2 / (y.size - 1)))
    crit = float(stats.t.ppf(0.5 + level / 2.0, df))
    diff = float(x.mean() - y.mean())
    g, g_se = hedges_g(x, y)
    z = float(stats.norm.ppf(0.5 + level / 2.0))
    return GroupDifference(
        mean_a=float(x.mean()),
        mean_b=float(y.mean()),
        difference=diff,
        ci_low=diff - crit * se,
        ci_high=diff + crit * se,
        hedges_g=g,
        g_ci_low=g - z * g_se,
        g_ci_high=g + z * g_se,
        t=float(result.statistic),
        df=df,
        p_value=float(result.pvalue),
        n_a=int(x.size),
        n_b=int(y.size),
        method=f"Welch's t-test, {level:.0%} CI of the difference; Hedges' g with normal CI",
    )
