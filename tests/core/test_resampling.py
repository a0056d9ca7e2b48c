"""The count-based bootstrap against plain index resampling and scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from outsidein.core.resampling import (
    as_generator,
    bootstrap_mean,
    bootstrap_ratio_of_means,
    bootstrap_statistic,
)


def likert(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.clip(np.rint(rng.normal(5.0, 1.2, size=(n, 4))), 1, 7).mean(axis=1)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_bootstrap_mean_matches_scipy_percentile_interval(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = likert(rng, 120)
    ours = bootstrap_mean(x, seed=seed, resamples=4000)
    ref = stats.bootstrap(
        (x,), np.mean, n_resamples=4000, method="percentile", random_state=seed + 100
    ).confidence_interval
    # Two independent Monte Carlo runs of the same bootstrap distribution: their quantiles
    # differ by sampling error only (SE of a 2.5% quantile with 4000 draws ~ 0.02 SD units).
    se = x.std(ddof=1) / np.sqrt(x.size)
    assert ours.estimate == pytest.approx(x.mean())
    assert ours.low == pytest.approx(ref.low, abs=0.12 * se)
    assert ours.high == pytest.approx(ref.high, abs=0.12 * se)
    assert ours.n == 120


def test_count_resampling_equals_index_resampling_in_distribution() -> None:
    """Multinomial counts over distinct values reproduce index resampling's moments."""
    rng = np.random.default_rng(11)
    x = likert(rng, 60)
    ours = bootstrap_mean(x, seed=5, resamples=20000)
    idx = np.random.default_rng(6).integers(0, x.size, size=(20000, x.size))
    naive = x[idx].mean(axis=1)
    assert (ours.high - ours.low) == pytest.approx(
        np.quantile(naive, 0.975) - np.quantile(naive, 0.025), rel=0.05
    )


@pytest.mark.parametrize("seed", range(6))
def test_same_seed_same_interval(seed: int) -> None:
    x = likert(np.random.default_rng(0), 50)
    assert bootstrap_mean(x, seed=seed) == bootstrap_mean(x, seed=seed)


def test_missing_values_are_dropped_and_counted() -> None:
    x = np.array([5, 6, np.nan, 7, 4, np.nan, 5.0])
    result = bootstrap_mean(x, seed=1, resamples=500)
    assert result.n == 5
    assert result.estimate == pytest.approx(5.4)


def test_ratio_interval_covers_true_ratio_in_most_seeds() -> None:
    """Coverage of the parity-style ratio CI on simulated data with a known ratio of 0.9."""
    covered = 0
    runs = 60
    for seed in range(runs):
        rng = np.random.default_rng(seed)
        own = rng.normal(6.0, 0.8, size=80)
        customer = 0.9 * own + rng.normal(0.0, 0.5, size=80)
        ci = bootstrap_ratio_of_means(np.column_stack([customer, own]), seed=seed, resamples=1000)
        covered += ci.low <= 0.9 <= ci.high
    assert covered / runs >= 0.85


def test_ratio_matches_naive_loop() -> None:
    rng = np.random.default_rng(3)
    pairs = np.clip(np.rint(rng.normal([5, 6], 1, size=(40, 2))), 1, 7)
    ours = bootstrap_ratio_of_means(pairs, seed=9, resamples=20000)
    g = np.random.default_rng(10)
    reps = []
    for _ in range(20000):
        s = pairs[g.integers(0, 40, size=40)]
        reps.append(s[:, 0].mean() / s[:, 1].mean())
    assert ours.low == pytest.approx(np.quantile(reps, 0.025), abs=0.006)
    assert ours.high == pytest.approx(np.quantile(reps, 0.975), abs=0.006)


def test_bca_interval_close_to_scipy_bca() -> None:
    rng = np.random.default_rng(21)
    x = rng.exponential(2.0, size=80).round(1)
    ours = bootstrap_mean(x, seed=2, resamples=8000, method="bca")
    ref = stats.bootstrap((x,), np.mean, n_resamples=8000, method="BCa", random_state=3)
    se = x.std(ddof=1) / np.sqrt(x.size)
    assert ours.low == pytest.approx(ref.confidence_interval.low, abs=0.15 * se)
    assert ours.high == pytest.approx(ref.confidence_interval.high, abs=0.15 * se)


def test_refuses_hidden_randomness_and_tiny_samples() -> None:
    with pytest.raises(ValueError, match="seed"):
        as_generator(None)
    with pytest.raises(ValueError, match="two units"):
        bootstrap_mean([5.0], seed=1)


def test_generic_statistic_bootstrap() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(200, 1))
    estimate, reps, (low, high) = bootstrap_statistic(
        x, lambda d: float(np.median(d)), seed=1, resamples=500
    )
    assert reps.shape == (500,)
    assert low <= estimate <= high


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_normal_limit_for_large_samples_matches_index_resampling(seed: int) -> None:
    """From 5,000 units on the bootstrap draws from the multinomial's normal limit."""
    rng = np.random.default_rng(seed)
    pairs = np.clip(np.rint(rng.normal([5.0, 6.0], 1.1, size=(8000, 2))), 1, 7)
    ours = bootstrap_ratio_of_means(pairs, seed=seed, resamples=4000)
    assert "normal limit" in ours.method
    index = np.random.default_rng(seed + 50).integers(0, 8000, size=(1000, 8000))
    naive = pairs[index, 0].mean(axis=1) / pairs[index, 1].mean(axis=1)
    width = np.quantile(naive, 0.975) - np.quantile(naive, 0.025)
    assert (ours.high - ours.low) == pytest.approx(width, rel=0.1)
    assert (ours.low + ours.high) / 2 == pytest.approx(np.median(naive), abs=0.1 * width)
