"""Psychometric statistics against hand-computed and population reference values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from outsidein.core.psychometrics import (
    Agreement,
    GroupDifference,
    NotEstimable,
    Reliability,
    agreement,
    cronbach_alpha_from_cov,
    feldt_interval,
    group_difference,
    hedges_g,
    omega_from_cov,
    one_factor_loadings,
    reliability,
    reverse_keyed,
    rwg_j_from_variances,
    scale_scores,
)

# A small data set worked by hand: 5 respondents x 3 items.
HAND = np.array([[4, 5, 5], [6, 6, 7], [3, 4, 3], [5, 5, 6], [2, 3, 2]], dtype=float)


def test_reverse_keys_flip_only_marked_columns() -> None:
    x = np.array([[1.0, 7.0], [np.nan, 2.0]])
    out = reverse_keyed(x, [True, False], 1, 7)
    assert out[0].tolist() == [7.0, 7.0]
    assert np.isnan(out[1, 0]) and out[1, 1] == 2.0


def test_scale_scores_use_answered_items_and_a_completeness_floor() -> None:
    x = np.array([[5, 6, np.nan, np.nan], [5, np.nan, np.nan, np.nan], [1, 2, 3, 4.0]])
    scores = scale_scores(x, min_answered=0.5)
    assert scores[0] == pytest.approx(5.5)
    assert np.isnan(scores[1])  # one of four answered: below the floor
    assert scores[2] == pytest.approx(2.5)


def test_cronbach_alpha_hand_computed() -> None:
    # item variances (ddof=1): 2.5, 1.3, 4.3; sum scores 14, 19, 10, 16, 7 have variance 22.7
    cov = np.cov(HAND, rowvar=False)
    assert np.diag(cov).tolist() == pytest.approx([2.5, 1.3, 4.3])
    assert cov.sum() == pytest.approx(22.7)
    expected = 3 / 2 * (1 - (2.5 + 1.3 + 4.3) / 22.7)
    assert float(cronbach_alpha_from_cov(cov)) == pytest.approx(expected)
    assert expected == pytest.approx(0.9647577093)


def test_feldt_interval_covers_population_alpha() -> None:
    """Coverage of Feldt's interval under the tau-equivalent normal model it assumes."""
    k, n, loading = 5, 60, 0.6
    corr = np.full((k, k), loading**2)
    np.fill_diagonal(corr, 1.0)
    true_alpha = float(cronbach_alpha_from_cov(corr))
    rng = np.random.default_rng(0)
    hits = 0
    for _ in range(400):
        x = rng.multivariate_normal(np.zeros(k), corr, size=n)
        a = float(cronbach_alpha_from_cov(np.cov(x, rowvar=False)))
        low, high = feldt_interval(a, n, k, 0.95)
        hits += low <= true_alpha <= high
    assert 0.92 <= hits / 400 <= 0.98


def congeneric(loadings: np.ndarray) -> np.ndarray:
    corr = np.outer(loadings, loadings)
    np.fill_diagonal(corr, 1.0)
    return corr


def test_one_factor_recovers_exact_loadings() -> None:
    lam = np.array([0.8, 0.7, 0.6, 0.5])
    assert one_factor_loadings(congeneric(lam)) == pytest.approx(lam, abs=1e-6)


def test_omega_equals_population_value_for_congeneric_items() -> None:
    lam = np.array([0.8, 0.7, 0.6, 0.5])
    expected = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())  # McDonald 1999
    assert float(omega_from_cov(congeneric(lam))) == pytest.approx(expected, abs=1e-6)
    assert expected == pytest.approx(0.7494456762749446)


def test_omega_equals_alpha_for_tau_equivalent_items() -> None:
    corr = congeneric(np.full(5, 0.65))
    assert float(omega_from_cov(corr)) == pytest.approx(float(cronbach_alpha_from_cov(corr)))


def test_omega_vectorised_over_stacks() -> None:
    stack = np.stack([congeneric(np.array([0.8, 0.7, 0.6])), congeneric(np.full(3, 0.5))])
    out = omega_from_cov(stack)
    assert out.shape == (2,)
    assert out[1] == pytest.approx(float(cronbach_alpha_from_cov(stack[1])))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reliability_result_on_simulated_scale(seed: int) -> None:
    lam = np.array([0.8, 0.75, 0.7, 0.65])
    rng = np.random.default_rng(seed)
    x = rng.multivariate_normal(np.zeros(4), congeneric(lam), size=3000)
    result = reliability(x, scale="S", seed=seed, resamples=400)
    assert isinstance(result, Reliability)
    true_omega = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    assert result.omega_ci_low <= true_omega <= result.omega_ci_high
    assert result.alpha_ci_low < result.alpha < result.alpha_ci_high
    assert result.n == 3000 and result.k == 4


def test_reliability_not_estimable_cases() -> None:
    assert isinstance(reliability(HAND[:, :1], scale="one", seed=1), NotEstimable)
    constant = np.column_stack([np.full(10, 4.0), np.arange(10.0)])
    out = reliability(constant, scale="flat", seed=1)
    assert isinstance(out, NotEstimable) and "variance" in out.reason


def test_rwg_j_hand_computed() -> None:
    # mean item variance of HAND: (2.5 + 1.3 + 4.3) / 3 = 2.7; uniform null for 7 options: 4
    ratio = 2.7 / 4.0
    expected = 3 * (1 - ratio) / (3 * (1 - ratio) + ratio)
    assert float(rwg_j_from_variances(2.7, 3, 4.0)) == pytest.approx(expected)
    assert expected == pytest.approx(0.5909090909)
    result = agreement(HAND, options=7, seed=1, resamples=300)
    assert isinstance(result, Agreement)
    assert result.rwg == pytest.approx(expected)
    assert result.expected_variance == pytest.approx(4.0)


def test_rwg_truncated_to_zero_beyond_the_null() -> None:
    assert float(rwg_j_from_variances(5.0, 4, 4.0)) == 0.0
    assert float(rwg_j_from_variances(0.0, 4, 4.0)) == 1.0


def test_hedges_g_hand_computed() -> None:
    a = np.array([6.0, 5, 7, 6, 5, 6])
    b = np.array([4.0, 5, 3, 4, 4])
    # means 5.8333, 4.0; variances 0.5667, 0.5; pooled SD sqrt((5*.5667+4*.5)/9) = 0.7328;
    # d = 1.8333 / 0.7328 = 2.5017; J = 1 - 3/35 = 0.9143; g = 2.2873
    pooled = math.sqrt((5 * np.var(a, ddof=1) + 4 * np.var(b, ddof=1)) / 9)
    d = (a.mean() - b.mean()) / pooled
    j = 1 - 3 / (4 * 11 - 9)
    g, se = hedges_g(a, b)
    assert g == pytest.approx(j * d)
    assert g == pytest.approx(2.2873, abs=1e-3)
    assert se == pytest.approx(j * math.sqrt(11 / 30 + d**2 / 22))


def test_group_difference_matches_scipy_welch() -> None:
    rng = np.random.default_rng(8)
    a, b = rng.normal(5.5, 1, 40), rng.normal(5.0, 1.4, 70)
    out = group_difference(a, b)
    assert isinstance(out, GroupDifference)
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert out.t == pytest.approx(ref.statistic)
    assert out.p_value == pytest.approx(ref.pvalue)
    ci = ref.confidence_interval(0.95)
    assert (out.ci_low, out.ci_high) == pytest.approx((ci.low, ci.high))
    assert out.n_a == 40 and out.n_b == 70


def test_group_difference_degenerate() -> None:
    assert isinstance(group_difference([5.0], [4.0, 3.0]), NotEstimable)
    assert isinstance(group_difference([5.0, 5.0], [5.0, 5.0]), NotEstimable)
