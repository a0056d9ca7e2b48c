"""Customer-side quality statistics, each against a hand-computed, published or slow value."""

from __future__ import annotations

import itertools
import json
import math
from datetime import date

import numpy as np
import polars as pl
import pytest
from scipy import stats

from outsidein.core.quality import (
    AttributeMean,
    KeyDriverAnalysis,
    NetScore,
    NotEstimable,
    Proportion,
    SentimentImpact,
    SentimentImpactModel,
    ShareOfVoice,
    Suppressed,
    attribute_means,
    comment_mentions,
    csat,
    customer_quality,
    dimension_split,
    importance_performance_grid,
    key_drivers,
    net_promoter_score,
    net_score,
    net_sentiment,
    relative_weights,
    sentiment_impact,
    shapley_r_squared,
    share_of_voice,
)
from outsidein.core.resampling import bootstrap_column_means, bootstrap_correlations

Z95 = 1.959963984540054

# mtcars (R datasets): mpg, cyl, disp, hp, gear for the 32 cars, in R's row order.
MTCARS = np.array([
    [21.0, 6, 160.0, 110, 4], [21.0, 6, 160.0, 110, 4], [22.8, 4, 108.0, 93, 4],
    [21.4, 6, 258.0, 110, 3], [18.7, 8, 360.0, 175, 3], [18.1, 6, 225.0, 105, 3],
    [14.3, 8, 360.0, 245, 3], [24.4, 4, 146.7, 62, 4], [22.8, 4, 140.8, 95, 4],
    [19.2, 6, 167.6, 123, 4], [17.8, 6, 167.6, 123, 4], [16.4, 8, 275.8, 180, 3],
    [17.3, 8, 275.8, 180, 3], [15.2, 8, 275.8, 180, 3], [10.4, 8, 472.0, 205, 3],
    [10.4, 8, 460.0, 215, 3], [14.7, 8, 440.0, 230, 3], [32.4, 4, 78.7, 66, 4],
    [30.4, 4, 75.7, 52, 4], [33.9, 4, 71.1, 65, 4], [21.5, 4, 120.1, 97, 3],
    [15.5, 8, 318.0, 150, 3], [15.2, 8, 304.0, 150, 3], [13.3, 8, 350.0, 245, 3],
    [19.2, 8, 400.0, 175, 3], [27.3, 4, 79.0, 66, 4], [26.0, 4, 120.3, 91, 5],
    [30.4, 4, 95.1, 113, 5], [15.8, 8, 351.0, 264, 5], [19.7, 6, 145.0, 175, 5],
    [15.0, 8, 301.0, 335, 5], [21.4, 4, 121.0, 109, 4],
])


# --- slow references -------------------------------------------------------------------------


def johnson_slow(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson (2000) from the data: SVD orthogonalisation, then two least-squares fits."""
    zx = (x - x.mean(0)) / x.std(0)
    zy = (y - y.mean()) / y.std()
    p, _, qt = np.linalg.svd(zx, full_matrices=False)
    z = np.sqrt(len(y)) * p @ qt  # orthogonal, unit-variance counterparts closest to zx
    beta = np.linalg.lstsq(z, zy, rcond=None)[0]
    lam = np.linalg.lstsq(z, zx, rcond=None)[0]  # X = Z Λ*: Λ*[k, j] relates Z_k to X_j
    return np.array([np.sum(lam[:, j] ** 2 * beta**2) for j in range(x.shape[1])])


def r2(x: np.ndarray, y: np.ndarray, members: tuple[int, ...]) -> float:
    if not members:
        return 0.0
    design = np.column_stack([np.ones(len(y)), x[:, list(members)]])
    residual = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
    return 1.0 - float(residual @ residual) / float(((y - y.mean()) ** 2).sum())


def shapley_by_orderings(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Shapley values of R² averaged over every ordering of the predictors (k! fits)."""
    k = x.shape[1]
    values = np.zeros(k)
    orders = list(itertools.permutations(range(k)))
    for order in orders:
        for position, j in enumerate(order):
            before = tuple(sorted(order[:position]))
            values[j] += r2(x, y, (*before, j)) - r2(x, y, before)
    return values / len(orders)


def correlated_data(seed: int, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(k, k)) * 0.5 + np.eye(k)
    x = rng.normal(size=(n, k)) @ mixing
    y = x @ rng.uniform(0.1, 1.0, size=k) + rng.normal(size=n) * 2.0
    return x, y


# --- relative weights and Shapley --------------------------------------------------------------


def test_relative_weights_reproduce_the_published_mtcars_example() -> None:
    # rwa (Chan, CRAN) README: mpg ~ cyl + disp + hp + gear.
    corr = np.corrcoef(MTCARS, rowvar=False)
    weights = relative_weights(corr[1:, 1:], corr[1:, 0])
    np.testing.assert_allclose(weights, [0.2284797, 0.2221469, 0.2321744, 0.0963886], atol=5e-8)
    assert weights.sum() == pytest.approx(0.7791896, abs=5e-8)


@pytest.mark.parametrize(("seed", "k"), [(0, 2), (1, 3), (2, 5), (3, 7)])
def test_relative_weights_match_a_slow_johnson_implementation(seed: int, k: int) -> None:
    x, y = correlated_data(seed, 200, k)
    corr = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    weights = relative_weights(corr[:k, :k], corr[:k, k])
    np.testing.assert_allclose(weights, johnson_slow(x, y), rtol=1e-9, atol=1e-12)
    assert weights.sum() == pytest.approx(r2(x, y, tuple(range(k))), rel=1e-9)


@pytest.mark.parametrize(("seed", "k"), [(4, 2), (5, 3), (6, 4), (7, 5)])
def test_shapley_matches_every_ordering_and_sums_to_r_squared(seed: int, k: int) -> None:
    x, y = correlated_data(seed, 150, k)
    corr = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    shapley = shapley_r_squared(corr[:k, :k], corr[:k, k])
    np.testing.assert_allclose(shapley, shapley_by_orderings(x, y), rtol=1e-9, atol=1e-12)
    assert shapley.sum() == pytest.approx(r2(x, y, tuple(range(k))), rel=1e-9)


def test_relative_weights_and_shapley_close_but_not_equal_under_correlation() -> None:
    x, y = correlated_data(8, 500, 4)
    corr = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    weights = relative_weights(corr[:4, :4], corr[:4, 4])
    shapley = shapley_r_squared(corr[:4, :4], corr[:4, 4])
    assert not np.allclose(weights, shapley, atol=1e-6)
    np.testing.assert_allclose(weights, shapley, atol=0.05)


def test_uncorrelated_predictors_get_their_squared_correlation() -> None:
    r_xy = np.array([0.5, 0.3, 0.1])
    np.testing.assert_allclose(relative_weights(np.eye(3), r_xy), r_xy**2)
    np.testing.assert_allclose(shapley_r_squared(np.eye(3), r_xy), r_xy**2)


def test_relative_weights_vectorise_and_flag_singular_matrices() -> None:
    x, y = correlated_data(9, 100, 3)
    corr = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    singular = np.ones((3, 3))
    batch = relative_weights(np.stack([corr[:3, :3], singular]), np.stack([corr[:3, 3]] * 2))
    np.testing.assert_allclose(batch[0], relative_weights(corr[:3, :3], corr[:3, 3]))
    assert np.isnan(batch[1]).all()


# --- key drivers end to end ------------------------------------------------------------------


def survey(seed: int, n: int) -> tuple[pl.DataFrame, np.ndarray]:
    """Customers with three correlated attribute ratings and an overall rating; true weights."""
    population = np.array([
        [1.0, 0.3, 0.2, 0.62],
        [0.3, 1.0, 0.25, 0.45],
        [0.2, 0.25, 1.0, 0.3],
        [0.62, 0.45, 0.3, 1.0],
    ])
    truth = relative_weights(population[:3, :3], population[:3, 3])
    rng = np.random.default_rng(seed)
    data = rng.multivariate_normal(np.zeros(4), population, size=n)
    frame = pl.DataFrame({"food": data[:, 0], "service": data[:, 1], "price": data[:, 2],
                          "overall": data[:, 3]})
    return frame, truth


def test_key_drivers_result_is_complete_and_json_ready() -> None:
    frame, _ = survey(1, 300)
    result = key_drivers(frame, attributes=["food", "service", "price"], overall="overall",
                         seed=1, resamples=400)
    assert isinstance(result, KeyDriverAnalysis)
    assert result.n == 300
    assert sum(d.weight for d in result.drivers) == pytest.approx(result.r_squared)
    assert sum(d.shapley or 0.0 for d in result.drivers) == pytest.approx(result.r_squared)
    assert sum(d.share for d in result.drivers) == pytest.approx(1.0)
    for driver in result.drivers:
        assert driver.ci_low <= driver.weight <= driver.ci_high
    assert result.r_squared_ci_low <= result.r_squared <= result.r_squared_ci_high
    assert [d.attribute for d in result.drivers] == ["food", "service", "price"]
    assert result.to_frame().height == 3
    json.dumps(result.to_dict())


def test_key_drivers_same_seed_same_interval() -> None:
    frame, _ = survey(2, 120)
    first = key_drivers(frame, attributes=["food", "service", "price"], overall="overall",
                        seed=7, resamples=200)
    again = key_drivers(frame, attributes=["food", "service", "price"], overall="overall",
                        seed=7, resamples=200)
    assert first == again


def test_key_driver_bootstrap_covers_the_population_weights_in_most_seeds() -> None:
    seeds = range(20)
    covered = np.zeros(3)
    for seed in seeds:
        frame, truth = survey(100 + seed, 250)
        result = key_drivers(frame, attributes=["food", "service", "price"], overall="overall",
                             seed=seed, resamples=300)
        assert isinstance(result, KeyDriverAnalysis)
        covered += [d.ci_low <= t <= d.ci_high for d, t in zip(result.drivers, truth, strict=True)]
    assert (covered >= 16).all(), covered  # nominal 95 %: at least 16 of 20 each


def test_key_drivers_say_why_they_cannot_answer() -> None:
    frame, _ = survey(3, 50)
    small = key_drivers(frame.head(4), attributes=["food", "service"], overall="overall", seed=0)
    assert isinstance(small, Suppressed)
    flat = key_drivers(frame.with_columns(pl.lit(5.0).alias("overall")),
                       attributes=["food", "service"], overall="overall", seed=0)
    assert isinstance(flat, NotEstimable)
    assert "overall" in flat.reason
    twin = key_drivers(frame.with_columns((pl.col("food") * 2 + 1).alias("service")),
                       attributes=["food", "service"], overall="overall", seed=0)
    assert isinstance(twin, NotEstimable)
    assert "collinear" in twin.reason
    few = key_drivers(frame.head(12), attributes=["food", "service", "price"], overall="overall",
                      seed=0)
    assert isinstance(few, NotEstimable)


def test_key_drivers_drop_incomplete_customers() -> None:
    frame, _ = survey(4, 60)
    holes = frame.with_columns(
        pl.when(pl.int_range(pl.len()) < 10).then(None).otherwise(pl.col("food")).alias("food"))
    result = key_drivers(holes, attributes=["food", "service", "price"], overall="overall",
                         seed=0, resamples=100)
    assert isinstance(result, KeyDriverAnalysis)
    assert result.n == 50


# --- resampling primitives ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bootstrap_correlations_match_index_resampling(seed: int) -> None:
    rng = np.random.default_rng(seed)
    data = rng.integers(1, 8, size=(80, 3)).astype(float)
    data[:, 2] += data[:, 0]
    replicates = bootstrap_correlations(data, seed=seed, resamples=4000)
    index = np.array([np.corrcoef(data[rng.integers(0, 80, 80)], rowvar=False)
                      for _ in range(4000)])
    assert replicates.shape == (4000, 3, 3)
    np.testing.assert_allclose(replicates.mean(0), index.mean(0), atol=0.01)
    np.testing.assert_allclose(replicates.std(0), index.std(0), rtol=0.1, atol=1e-9)


def test_bootstrap_column_means_skip_missing_answers() -> None:
    data = np.array([[1.0, np.nan], [3.0, 4.0], [5.0, 6.0], [7.0, np.nan]])
    replicates = bootstrap_column_means(data, seed=0, resamples=5000)
    assert replicates[:, 0].mean() == pytest.approx(4.0, abs=0.05)
    finite = replicates[np.isfinite(replicates[:, 1]), 1]
    assert ((finite >= 4.0) & (finite <= 6.0)).all()
    assert (~np.isfinite(replicates[:, 1])).mean() == pytest.approx(1 / 16, abs=0.02)


# --- attribute means, NPS, CSAT ------------------------------------------------------------------


def test_attribute_means_use_a_student_t_interval_and_suppress_small_groups() -> None:
    frame = pl.DataFrame({"q_food": [5, 6, 7, 4, 6, 5], "q_price": [3, None, 4, None, None, 2]})
    means = attribute_means(frame, {"food": "q_food", "price": "q_price"}, what="performance")
    food = means.scores["food"]
    assert isinstance(food, AttributeMean)
    x = np.array([5, 6, 7, 4, 6, 5.0])
    low, high = stats.t.interval(0.95, 5, loc=x.mean(), scale=stats.sem(x))
    assert (food.mean, food.ci_low, food.ci_high, food.n) == pytest.approx(
        (x.mean(), low, high, 6))
    assert isinstance(means.scores["price"], Suppressed)
    assert means.to_frame().get_column("suppressed").to_list() == [False, True]
    assert means.estimates() == {"food": pytest.approx(5.5)}


def test_dimension_split_averages_each_customer_first_and_pairs_the_difference() -> None:
    rng = np.random.default_rng(4)
    n = 15
    product, price = rng.integers(3, 8, n).astype(float), rng.integers(2, 8, n).astype(float)
    courtesy = rng.integers(1, 6, n).astype(float)
    courtesy[:5] = np.nan  # 10 rated courtesy: 5 left out of the paired difference
    brand = np.full(n, np.nan)
    brand[:4] = 6.0  # 4 rated the image attribute: its own mean is suppressed, so it takes no part
    frame = pl.DataFrame({"q_product": product, "q_price": price, "q_courtesy": courtesy,
                          "q_brand": brand}, nan_to_null=True)
    columns = {a: f"q_{a}" for a in ("product", "price", "courtesy", "brand")}
    dimensions = {"product": "technical", "price": "technical", "courtesy": "functional",
                  "brand": "image", "unrated": "functional"}
    split = dimension_split(frame, columns, dimensions)
    assert split is not None
    assert list(split.scores) == ["technical", "functional"]
    assert split.attributes == {"technical": ("product", "price"), "functional": ("courtesy",)}
    # per customer the mean of the dimension's attributes, then over customers, Student t
    technical = (product + price) / 2
    for name, x in (("technical", technical), ("functional", courtesy[5:])):
        score = split.scores[name]
        assert isinstance(score, AttributeMean)
        low, high = stats.t.interval(0.95, x.size - 1, loc=x.mean(), scale=stats.sem(x))
        assert (score.mean, score.ci_low, score.ci_high, score.n) == pytest.approx(
            (x.mean(), low, high, x.size))
        assert score.method.startswith("per respondent who rated all its attributes")
    difference = split.functional_minus_technical
    assert isinstance(difference, AttributeMean)
    paired = (courtesy - technical)[5:]
    result = stats.ttest_1samp(paired, 0.0).confidence_interval(0.95)
    assert (difference.mean, difference.ci_low, difference.ci_high, difference.n) == pytest.approx(
        (paired.mean(), result.low, result.high, 10))
    assert json.dumps(split.to_dict())
    assert dimension_split(frame, columns, {}) is None
    only_technical = dimension_split(frame, columns, {"product": "technical"})
    assert only_technical is not None and only_technical.functional_minus_technical is None


def test_dimension_split_gives_no_small_group_away_by_subtraction() -> None:
    """Ten customers rate A and nine of them B (both means shown): a technical mean over
    everyone who rated either would give the tenth customer's A rating, as
    2·n·T − n_A·A − n_B·B; with one customer of the difference left out, the functional and
    technical means less the difference would give theirs."""
    a = [3.0, 6, 5, 7, 4, 6, 5, 6, 7, 5]
    b = [None, 5.0, 4, 6, 5, 7, 6, 5, 4, 6]
    c = [4.0, 3, 5, 4, 3, 4, 5, 3, 4, None]
    frame = pl.DataFrame({"a": a, "b": b, "c": c})
    dimensions = {"a": "technical", "b": "technical", "c": "functional"}
    split = dimension_split(frame, {"a": "a", "b": "b", "c": "c"}, dimensions)
    assert split is not None
    technical = split.scores["technical"]
    assert isinstance(technical, Suppressed) and "by subtraction" in technical.reason
    assert isinstance(split.scores["functional"], AttributeMean)
    assert isinstance(split.functional_minus_technical, Suppressed)
    # whole groups left out (five customers skipped B) give no one away: shown
    wide = pl.DataFrame(
        {"a": a * 2, "b": b[:5] + [None] * 5 + b[5:] * 2, "c": c[:9] * 2 + [4.0, 4]}
    )
    shown = dimension_split(wide, {"a": "a", "b": "b", "c": "c"}, dimensions)
    assert shown is not None and isinstance(shown.scores["technical"], AttributeMean)


def test_nps_matches_hand_computation() -> None:
    scores = [10, 9, 9, 8, 7, 6, 5, 0, 10, 10]  # 5 promoters, 2 passives, 3 detractors
    wald = net_promoter_score(scores, method="wald")
    assert isinstance(wald, NetScore)
    assert wald.score == pytest.approx(20.0)
    half = Z95 * math.sqrt((0.5 + 0.3 - 0.2**2) / 10)
    assert (wald.ci_low, wald.ci_high) == pytest.approx((100 * (0.2 - half), 100 * (0.2 + half)))
    adjusted = net_promoter_score(scores)
    p, d = 5.75 / 13, 3.75 / 13
    half = Z95 * math.sqrt((p + d - (p - d) ** 2) / 13)
    assert isinstance(adjusted, NetScore)
    assert adjusted.score == pytest.approx(20.0)
    assert (adjusted.ci_low, adjusted.ci_high) == pytest.approx(
        (100 * (p - d - half), 100 * (p - d + half)))
    shares = (adjusted.positive_share, adjusted.neutral_share, adjusted.negative_share)
    assert shares == pytest.approx((0.5, 0.2, 0.3))


def test_nps_edge_cases() -> None:
    assert isinstance(net_promoter_score([10, 9, 3]), Suppressed)
    unanimous = net_promoter_score([10] * 20)
    assert isinstance(unanimous, NetScore)
    assert unanimous.score == 100.0
    assert unanimous.ci_high == 100.0
    assert unanimous.ci_low < 95.0  # adjusted Wald stays informative when all agree
    with pytest.raises(ValueError, match="0 to 10"):
        net_promoter_score([11, 3, 4, 5, 6])


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_nps_bootstrap_agrees_with_wald_on_large_samples(seed: int) -> None:
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 11, size=2000)
    wald = net_promoter_score(scores, method="wald")
    boot = net_promoter_score(scores, method="bootstrap", seed=seed)
    assert isinstance(wald, NetScore)
    assert isinstance(boot, NetScore)
    assert boot.ci_low == pytest.approx(wald.ci_low, abs=1.0)
    assert boot.ci_high == pytest.approx(wald.ci_high, abs=1.0)


def test_nps_interval_covers_the_truth_in_most_seeds() -> None:
    truth = 100 * (0.45 - 0.25)
    covered = 0
    for seed in range(40):
        counts = np.random.default_rng(seed).multinomial(120, [0.45, 0.30, 0.25])
        result = net_score(int(counts[0]), int(counts[1]), int(counts[2]))
        assert isinstance(result, NetScore)
        covered += result.ci_low <= truth <= result.ci_high
    assert covered >= 34


def test_csat_is_top_two_box_with_wilson_interval() -> None:
    result = csat([5, 5, 4, 3, 2, 1, 4, 5], scale_max=5)
    assert isinstance(result, Proportion)
    n, p = 8, 5 / 8
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2)) / (1 + Z95**2 / n)
    assert (result.share, result.ci_low, result.ci_high, result.count) == pytest.approx(
        (p, centre - half, centre + half, 5))
    assert isinstance(csat([5, 4]), Suppressed)
    with pytest.raises(ValueError, match="1–5"):
        csat([6, 5, 4, 4, 4])


# --- the grid --------------------------------------------------------------------------------


def test_importance_performance_grid_places_attributes_by_mean_cuts() -> None:
    grid = importance_performance_grid(
        {"food": 0.4, "service": 0.3, "price": 0.1, "ambience": 0.2},
        {"food": 4.0, "service": 6.0, "price": 6.5, "ambience": 3.0, "menu": 5.0},
        importance_source="derived",
    )
    assert not isinstance(grid, NotEstimable)
    assert grid.importance_cut == pytest.approx(0.25)
    assert grid.performance_cut == pytest.approx(4.875)
    quadrants = {p.attribute: p.quadrant for p in grid.points}
    assert quadrants == {"food": "concentrate here", "service": "keep up the good work",
                         "price": "possible overkill", "ambience": "low priority"}
    assert grid.to_frame().height == 4
    assert isinstance(importance_performance_grid({"a": 1.0}, {"a": 2.0},
                                                  importance_source="stated"), NotEstimable)


def test_customer_quality_bundles_everything() -> None:
    frame, _ = survey(5, 200)
    rng = np.random.default_rng(5)
    as_scale = frame.with_columns(
        (pl.col(c) * 1.2 + 4).round().clip(1, 7).alias(c) for c in frame.columns
    ).with_columns(
        pl.Series("nps", rng.integers(0, 11, 200)), pl.Series("csat", rng.integers(1, 6, 200)),
        pl.Series("imp_food", rng.integers(4, 8, 200)),
        pl.Series("imp_service", rng.integers(3, 8, 200)),
        pl.Series("imp_price", rng.integers(1, 8, 200)),
    )
    result = customer_quality(
        as_scale, attributes=["food", "service", "price"], overall="overall",
        importance_columns={"food": "imp_food", "service": "imp_service", "price": "imp_price"},
        nps_column="nps", csat_column="csat", seed=0, resamples=200)
    assert isinstance(result.key_drivers, KeyDriverAnalysis)
    assert not isinstance(result.grid, NotEstimable)
    assert result.grid.importance_source == "derived"
    json.dumps(result.to_dict())
    stated_only = customer_quality(
        as_scale, attributes=["food", "service", "price"],
        importance_columns={"food": "imp_food", "service": "imp_service", "price": "imp_price"},
        seed=0)
    assert not isinstance(stated_only.grid, NotEstimable)
    assert stated_only.grid.importance_source == "stated"


# --- text side -------------------------------------------------------------------------------


def tagged() -> pl.DataFrame:
    rows = [
        # comment 1: food positive twice, service negative
        (1, "food", "positive", 5), (1, "food", "positive", 5), (1, "service", "negative", 5),
        # comment 2: food mixed (tie -> neutral)
        (2, "food", "positive", 3), (2, "food", "negative", 3),
        (3, "service", "negative", 1), (4, None, None, 4), (5, "food", "neutral", 4),
        (6, "food", "negative", 2), (7, "food", "positive", 5), (8, "price", "negative", 3),
        (9, "food", "positive", 4), (10, None, None, 3),
    ]
    return pl.DataFrame(rows, schema=["comment_id", "attribute", "polarity", "rating"],
                        orient="row")


def test_comment_mentions_take_the_majority_polarity() -> None:
    mentions = comment_mentions(tagged())
    food = dict(mentions.filter(pl.col("attribute") == "food").select("comment_id", "polarity")
                .iter_rows())
    assert food == {1: "positive", 2: "neutral", 5: "neutral", 6: "negative", 7: "positive",
                    9: "positive"}


def test_share_of_voice_counts_comments_not_sentences() -> None:
    result = share_of_voice(tagged())
    assert isinstance(result, ShareOfVoice)
    assert result.n == 10
    shares = {s.attribute: (s.share.count, s.share.share) for s in result.shares}
    assert shares == {"food": (6, 0.6), "price": (1, 0.1), "service": (2, 0.2)}
    low, high = stats.binomtest(6, 10).proportion_ci(method="wilson")
    food = next(s.share for s in result.shares if s.attribute == "food")
    assert (food.ci_low, food.ci_high) == pytest.approx((low, high))
    assert isinstance(share_of_voice(tagged().filter(pl.col("comment_id") < 4)), Suppressed)


def test_net_sentiment_per_attribute_and_over_time() -> None:
    result = net_sentiment(tagged())
    by_attribute = {s.attribute: s.sentiment for s in result.sentiments}
    food = by_attribute["food"]
    assert isinstance(food, NetScore)
    assert food.n == 6
    assert food.score == pytest.approx(100 * (3 - 1) / 6)
    assert isinstance(by_attribute["service"], Suppressed)
    dated = tagged().with_columns(
        pl.when(pl.col("comment_id") <= 5).then(pl.lit(date(2024, 1, 15)))
        .otherwise(pl.lit(date(2024, 2, 3))).alias("date"))
    monthly = net_sentiment(dated, period="1mo", min_group=1)
    periods = {(s.attribute, s.period) for s in monthly.sentiments}
    assert ("food", date(2024, 1, 1)) in periods
    assert ("food", date(2024, 2, 1)) in periods
    assert monthly.to_frame().height == len(monthly.sentiments)


def test_a_small_month_cannot_be_recovered_from_the_attributes_overall_figure() -> None:
    """Food: 8 comments in January, 6 in February, 3 in March (below 5). The overall figure
    minus January and February would give March away, so February, the smaller of the two,
    is hidden as well; service's months are all large enough and stay."""
    months = [date(2024, 1, 10)] * 8 + [date(2024, 2, 10)] * 6 + [date(2024, 3, 10)] * 3
    rows = [(i, "food", "positive" if i % 3 else "negative", 4, d) for i, d in enumerate(months)]
    rows += [(100 + i, "service", "positive", 5, date(2024, 1 + i % 2, 5)) for i in range(12)]
    frame = pl.DataFrame(rows, schema=["comment_id", "attribute", "polarity", "rating", "date"],
                         orient="row")
    monthly = net_sentiment(frame, period="1mo", min_group=5)
    shown = {(s.attribute, s.period): isinstance(s.sentiment, NetScore)
             for s in monthly.sentiments}
    assert shown == {
        ("food", date(2024, 1, 1)): True,
        ("food", date(2024, 2, 1)): False,
        ("food", date(2024, 3, 1)): False,
        ("service", date(2024, 1, 1)): True,
        ("service", date(2024, 2, 1)): True,
    }


def test_undated_comments_cannot_be_recovered_from_the_months_either() -> None:
    """Reliability: 10 comments in January, 10 in February, 2 without a date. The overall
    figure minus the two months would give the two undated ones away: a month goes too."""
    months = [date(2024, 1, 10)] * 10 + [date(2024, 2, 10)] * 10 + [None, None]
    rows = [(i, "reliability", "positive" if i < 20 else "negative", 3, d)
            for i, d in enumerate(months)]
    frame = pl.DataFrame(rows, schema=["comment_id", "attribute", "polarity", "rating", "date"],
                         orient="row")
    overall = net_sentiment(frame, min_group=5).sentiments[0].sentiment
    assert isinstance(overall, NetScore) and overall.n == 22
    monthly = net_sentiment(frame, period="1mo", min_group=5)
    shown = [s for s in monthly.sentiments if isinstance(s.sentiment, NetScore)]
    assert len(shown) == 1 and len(monthly.sentiments) == 2


def test_sentiment_impact_recovers_planted_effects() -> None:
    rng = np.random.default_rng(11)
    n = 800
    food = rng.choice(["positive", "negative", "none"], size=n, p=[0.4, 0.2, 0.4])
    service = rng.choice(["positive", "negative", "none"], size=n, p=[0.3, 0.3, 0.4])
    rating = (3.5 + 0.8 * (food == "positive") - 0.5 * (food == "negative")
              - 1.2 * (service == "negative") + rng.normal(0, 0.8, n))
    rows: list[tuple[int, str | None, str | None, float]] = []
    for i in range(n):
        for attribute, polarity in (("food", food[i]), ("service", service[i])):
            if polarity != "none":
                rows.append((i, attribute, polarity, float(rating[i])))
        rows.append((i, None, None, float(rating[i])))
    sentences = pl.DataFrame(rows, schema=["comment_id", "attribute", "polarity", "rating"],
                             orient="row")
    model = sentiment_impact(sentences)
    assert isinstance(model, SentimentImpactModel)
    effects: dict[tuple[str, str], SentimentImpact] = {
        (i.attribute, i.polarity): i for i in model.impacts}
    for key, truth in {("food", "positive"): 0.8, ("food", "negative"): -0.5,
                       ("service", "negative"): -1.2, ("service", "positive"): 0.0}.items():
        assert effects[key].ci_low < truth < effects[key].ci_high, key
    assert effects[("service", "negative")].ci_high < 0
    assert model.to_frame().height == 4
    json.dumps(model.to_dict())


def test_sentiment_impact_needs_enough_rated_comments() -> None:
    assert isinstance(sentiment_impact(tagged().filter(pl.col("comment_id") < 3)), Suppressed)
    assert isinstance(sentiment_impact(tagged()), NotEstimable)


def test_sentiment_impact_names_no_small_group_and_withholds_a_small_reference() -> None:
    """20 comments: 17 praise food, 3 praise price (below 5): price is left out unnamed. Only
    3 comments praise no food: too few to be the reference (food's indicator leaves fewer
    than 5 without it), so no model; with 8 such comments the reference shows."""
    def frame(without_food: int) -> pl.DataFrame:
        rows: list[tuple[int, str | None, str | None, float]] = []
        for i in range(20):
            if i >= without_food:
                rows.append((i, "food", "positive", 4.0 + (i % 2)))
            if i < 3:
                rows.append((i, "price_value", "positive", 1.0 + i % 2))
            rows.append((i, None, None, 4.0 + (i % 2) if i >= without_food else 1.0 + i % 2))
        return pl.DataFrame(rows, schema=["comment_id", "attribute", "polarity", "rating"],
                            orient="row")

    few = sentiment_impact(frame(3), min_group=5)
    assert isinstance(few, NotEstimable)  # food alone is in 17 of 20: 3 without it
    model = sentiment_impact(frame(8), min_group=5)
    assert isinstance(model, SentimentImpactModel)
    assert [(i.attribute, i.mentions) for i in model.impacts] == [("food", 12)]
    assert model.omitted == () and "price_value" not in json.dumps(model.to_dict())
    assert model.intercept is not None  # the 8 comments without food are enough
