"""The understanding and delivery gaps: tau-b checked against scipy and by hand, gaps planted."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest
from scipy import stats

from outsidein.core.gaps import (
    DeliveryGap,
    QualityGaps,
    RevealedImportance,
    UnderstandingGap,
    delivery_gap,
    importance_ranks,
    kendall_tau_b,
    quality_gaps,
    revealed_importance,
    understanding_gap,
    understanding_gap_for_role,
)
from outsidein.core.quality import NotEstimable, Suppressed, numeric_matrix

ATTRIBUTES = ["food", "service", "staff", "price", "ambience", "menu", "place", "speed"]
# True drivers of overall satisfaction, in this order of importance.
BETAS = np.array([0.9, 0.7, 0.55, 0.42, 0.3, 0.2, 0.1, 0.03])
# Operational staff believe the top two matter least and the bottom two most.
SWAPPED = ["place", "speed", "staff", "price", "ambience", "menu", "food", "service"]


def customers(seed: int, n: int = 500) -> pl.DataFrame:
    """Customers rating eight correlated attributes 1–7 and overall satisfaction 1–7."""
    rng = np.random.default_rng(seed)
    k = len(ATTRIBUTES)
    latent = rng.normal(size=(n, k)) + 0.6 * rng.normal(size=(n, 1))
    overall = latent @ BETAS + rng.normal(size=n) * 0.8
    ratings = np.clip(np.round(4.5 + 1.3 * latent), 1, 7)
    score = np.clip(np.round(4.5 + 1.3 * overall / overall.std()), 1, 7)
    frame = pl.DataFrame({a: ratings[:, j] for j, a in enumerate(ATTRIBUTES)})
    return frame.with_columns(pl.Series("overall", score))


def staff(seed: int, order_by_role: dict[str, list[str]], n: int = 15) -> pl.DataFrame:
    """Staff rating each attribute's importance 1–7: 7 for what they rank first, down by 0.6."""
    rng = np.random.default_rng(seed)
    rows = []
    for role, order in order_by_role.items():
        believed = {a: 7.0 - 0.6 * order.index(a) for a in ATTRIBUTES}
        for i in range(n):
            answers = {a: float(np.clip(np.round(believed[a] + rng.normal(0, 0.8)), 1, 7))
                       for a in ATTRIBUTES}
            rows.append({"respondent_id": f"{role}-{i}", "role": role, **answers})
    return pl.DataFrame(rows)


# --- Kendall's tau-b -------------------------------------------------------------------------


def test_tau_b_by_hand_with_ties() -> None:
    # pairs: 3 concordant, 1 discordant, one tied in x only, one tied in y only:
    # tau_b = (3 - 1) / sqrt((6 - 1) * (6 - 1)) = 0.4
    assert float(kendall_tau_b([1, 2, 2, 3], [1, 3, 2, 2])) == pytest.approx(0.4)
    assert stats.kendalltau([1, 2, 2, 3], [1, 3, 2, 2]).statistic == pytest.approx(0.4)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_tau_b_matches_scipy_row_by_row(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 5, size=(50, 8)).astype(float)  # many ties
    y = rng.integers(1, 5, size=(50, 8)).astype(float)
    expected = [stats.kendalltau(a, b).statistic for a, b in zip(x, y, strict=True)]
    np.testing.assert_allclose(kendall_tau_b(x, y), expected, equal_nan=True, atol=1e-12)


def test_tau_b_treats_rounding_noise_as_a_tie_and_all_ties_as_undefined() -> None:
    assert float(kendall_tau_b([0.1 + 0.2, 0.3, 1.0], [1, 2, 3])) == pytest.approx(
        stats.kendalltau([0.3, 0.3, 1.0], [1, 2, 3]).statistic)
    assert np.isnan(kendall_tau_b([2.0, 2.0, 2.0], [1, 2, 3]))


def test_importance_ranks_put_the_largest_first_and_average_ties() -> None:
    np.testing.assert_allclose(importance_ranks([0.5, 0.1, 0.5, 0.2]), [1.5, 4, 1.5, 3])


# --- the understanding gap -------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_understanding_gap_is_found_and_matching_beliefs_agree(seed: int) -> None:
    beliefs = staff(seed, {"manager": ATTRIBUTES, "operational": SWAPPED})
    gaps = understanding_gap(beliefs, customers(seed), attributes=ATTRIBUTES, overall="overall",
                             seed=seed, resamples=600)
    manager, operational = gaps["manager"], gaps["operational"]
    assert isinstance(manager, UnderstandingGap)
    assert isinstance(operational, UnderstandingGap)
    assert manager.importance_source == "derived"
    # matching beliefs: the interval reaches high agreement, and no attribute is named
    assert manager.ci_high >= 0.85
    assert manager.tau > 0.6
    assert manager.overestimated == manager.underestimated == ()
    # the swap: agreement is clearly low, and the swapped attributes are named
    assert operational.ci_high < 0.3
    assert {"place", "speed"} <= set(operational.overestimated)
    assert {"food", "service"} <= set(operational.underestimated)
    assert not set(operational.overestimated) & {"staff", "price", "ambience", "menu"}
    for gap in (manager, operational):
        assert gap.ci_low <= gap.tau <= gap.ci_high
        assert gap.n_staff == 15
        assert gap.n_customers == 500


def test_understanding_gap_falls_back_to_stated_importance() -> None:
    rng = np.random.default_rng(5)
    stated = {f"imp_{a}": np.clip(np.round(6.5 - 0.5 * j + rng.normal(0, 1, 300)), 1, 7)
              for j, a in enumerate(ATTRIBUTES)}
    frame = customers(5, 300).with_columns(pl.Series(k, v) for k, v in stated.items())
    beliefs = staff(5, {"manager": ATTRIBUTES})
    gaps = understanding_gap(beliefs, frame, attributes=ATTRIBUTES, seed=1, resamples=300,
                             importance_columns={a: f"imp_{a}" for a in ATTRIBUTES})
    manager = gaps["manager"]
    assert isinstance(manager, UnderstandingGap)
    assert manager.importance_source == "stated"
    assert manager.ci_high >= 0.85
    # an overall rating with no variance also falls back, and says why
    flat = frame.with_columns(pl.lit(4.0).alias("overall"))
    revealed = revealed_importance(flat, attributes=ATTRIBUTES, overall="overall", seed=0,
                                   importance_columns={a: f"imp_{a}" for a in ATTRIBUTES},
                                   resamples=50)
    assert isinstance(revealed, RevealedImportance)
    assert revealed.source == "stated"
    assert "no variance" in revealed.method


def test_understanding_gap_suppresses_small_roles_and_explains_missing_evidence() -> None:
    beliefs = staff(6, {"manager": ATTRIBUTES, "operational": ATTRIBUTES}, n=15)
    beliefs = pl.concat([beliefs.filter(pl.col("role") == "manager"),
                         beliefs.filter(pl.col("role") == "operational").head(3)])
    gaps = understanding_gap(beliefs, customers(6, 200), attributes=ATTRIBUTES,
                             overall="overall", seed=0, resamples=200)
    assert isinstance(gaps["manager"], UnderstandingGap)
    assert isinstance(gaps["operational"], Suppressed)
    no_evidence = understanding_gap(beliefs, customers(6, 200), attributes=ATTRIBUTES, seed=0)
    assert isinstance(no_evidence["manager"], NotEstimable)
    few_customers = understanding_gap(beliefs, customers(6, 4), attributes=ATTRIBUTES,
                                      overall="overall", seed=0)
    assert isinstance(few_customers["manager"], Suppressed)


def test_an_attribute_few_staff_rated_is_left_out_and_never_breaks_the_interval() -> None:
    """Five managers, one of whom skipped "speed": resamples of only that one manager have no
    mean for speed (a NaN once broke `assess --json`), and speed's believed importance would
    rest on four answers, so it is left out of the ranking."""
    beliefs = staff(8, {"manager": ATTRIBUTES}, n=5)
    beliefs = beliefs.with_columns(
        pl.when(pl.col("respondent_id") != "manager-0").then(pl.col("speed")).alias("speed")
    )
    gap = understanding_gap(beliefs, customers(8, 300), attributes=ATTRIBUTES,
                            overall="overall", seed=0, resamples=400)["manager"]
    assert isinstance(gap, UnderstandingGap)
    assert "speed" not in {r.attribute for r in gap.ranks}
    assert len(gap.ranks) == len(ATTRIBUTES) - 1
    json.dumps(gap.to_dict(), allow_nan=False)  # no NaN anywhere
    assert all(np.isfinite([r.shift_ci_low, r.shift_ci_high]).all() for r in gap.ranks)


def test_understanding_gap_is_reproducible() -> None:
    beliefs = staff(7, {"manager": ATTRIBUTES, "operational": SWAPPED}, n=40)
    frame = customers(7, 5000)
    first = understanding_gap(beliefs, frame, attributes=ATTRIBUTES, overall="overall", seed=3)
    again = understanding_gap(beliefs, frame, attributes=ATTRIBUTES, overall="overall", seed=3)
    assert first == again


# --- the delivery gap ------------------------------------------------------------------------


def performance_beliefs(seed: int, believed: dict[str, float], n: int = 20) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    rows = [
        {"respondent_id": f"{role}-{i}", "role": role,
         **{a: float(np.clip(np.round(m + rng.normal(0, 0.9)), 1, 7)) for a, m in
            believed.items()}}
        for role in ("manager", "operational") for i in range(n)
    ]
    return pl.DataFrame(rows)


def test_delivery_gap_welch_matches_scipy() -> None:
    beliefs = performance_beliefs(0, {"food": 6.0, "service": 5.0})
    frame = customers(0, 200).select("food", "service")
    gaps = delivery_gap(beliefs, frame, attributes=["food", "service"])
    cell = gaps["manager"]["food"]
    assert isinstance(cell, DeliveryGap)
    a = beliefs.filter(pl.col("role") == "manager").get_column("food").to_numpy()
    b = frame.get_column("food").to_numpy()
    result = stats.ttest_ind(a, b, equal_var=False)
    low, high = result.confidence_interval(0.95)
    assert (cell.gap, cell.ci_low, cell.ci_high) == pytest.approx(
        (a.mean() - b.mean(), low, high))
    assert (cell.n_staff, cell.n_customers) == (20, 200)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_planted_delivery_gap_is_found(seed: int) -> None:
    # customers see food at about 4.5; staff believe 6.5 (a gap of 2) and service matches.
    rng = np.random.default_rng(seed)
    frame = pl.DataFrame({
        "food": np.clip(np.round(rng.normal(4.5, 1.2, 400)), 1, 7),
        "service": np.clip(np.round(rng.normal(5.0, 1.2, 400)), 1, 7),
    })
    customer_means = {c: frame.get_column(c).mean() for c in ("food", "service")}
    beliefs = performance_beliefs(seed, {"food": 6.5, "service": 5.0})
    for method in ("welch", "bootstrap"):
        gaps = delivery_gap(beliefs, frame, attributes=["food", "service"], method=method,
                            seed=seed, resamples=800)
        for role in ("manager", "operational"):
            food, service = gaps[role]["food"], gaps[role]["service"]
            assert isinstance(food, DeliveryGap)
            assert isinstance(service, DeliveryGap)
            assert 1.0 < food.ci_low < food.gap < food.ci_high < 3.0
            assert food.customer_mean == pytest.approx(customer_means["food"])
            # matching beliefs: the interval does not rule out a negligible gap
            assert service.ci_low < 0.5
            assert service.ci_high > -0.5


def test_delivery_gap_covers_the_true_gap_in_most_seeds() -> None:
    covered = 0
    for seed in range(30):
        rng = np.random.default_rng(1000 + seed)
        frame = pl.DataFrame({"food": rng.uniform(2.0, 6.0, 150)})  # mean 4
        beliefs = pl.DataFrame({"respondent_id": [str(i) for i in range(12)], "role": "manager",
                                "food": rng.uniform(4.0, 7.0, 12)})  # mean 5.5
        cell = delivery_gap(beliefs, frame, attributes=["food"])["manager"]["food"]
        assert isinstance(cell, DeliveryGap)
        covered += cell.ci_low <= 1.5 <= cell.ci_high
    assert covered >= 25


def test_delivery_gap_rescales_other_customer_scales_and_says_so() -> None:
    frame = pl.DataFrame({"food": [1, 2, 3, 4, 5, 3, 3]})  # 1–5: mean 3 → 4 on 1–7
    beliefs = pl.DataFrame({"respondent_id": list("abcdef"), "role": "manager",
                            "food": [5, 6, 5, 6, 5, 6]})
    cell = delivery_gap(beliefs, frame, attributes=["food"], customer_scale=(1, 5))["manager"]
    food = cell["food"]
    assert isinstance(food, DeliveryGap)
    assert food.customer_mean == pytest.approx(4.0)
    assert food.gap == pytest.approx(1.5)
    assert "customer ratings on 1–5 rescaled linearly to 1–7" in food.method
    with pytest.raises(ValueError, match="outside"):
        delivery_gap(beliefs, frame.with_columns(pl.lit(9).alias("food")), attributes=["food"],
                     customer_scale=(1, 5))


def test_delivery_gap_of_pooled_surveys_names_the_scales_they_were_answered_on() -> None:
    # two surveys, one on 1–5 and one on 1–7, already pooled on 1–7
    frame = pl.DataFrame({"food": [1.0, 2.5, 4.0, 5.5, 7.0, 4.0, 3.0, 5.0]})
    beliefs = pl.DataFrame({"respondent_id": list("abcdef"), "role": "manager",
                            "food": [5, 6, 5, 6, 5, 6]})
    plain = delivery_gap(beliefs, frame, attributes=["food"])["manager"]["food"]
    pooled = delivery_gap(beliefs, frame, attributes=["food"],
                          customer_rescaled_from=[(1, 5), (1, 7)])["manager"]["food"]
    assert isinstance(plain, DeliveryGap) and isinstance(pooled, DeliveryGap)
    assert pooled.gap == plain.gap == pytest.approx(5.5 - 4.0)
    assert plain.method == "staff mean − customer mean on 1–7, Welch t CI"
    assert pooled.method == (
        "staff mean − customer mean on 1–7, Welch t CI; "
        "customer ratings on 1–5 rescaled linearly to 1–7")


def test_delivery_gap_degenerate_and_small_groups() -> None:
    frame = pl.DataFrame({"food": [4.0] * 10})
    beliefs = pl.DataFrame({"respondent_id": list("abcdefgh"),
                            "role": ["manager"] * 6 + ["operational"] * 2, "food": [5.0] * 8})
    gaps = delivery_gap(beliefs, frame, attributes=["food"])
    assert isinstance(gaps["manager"]["food"], NotEstimable)
    assert isinstance(gaps["operational"]["food"], Suppressed)


# --- both, as the assess JSON needs them --------------------------------------------------------


def test_quality_gaps_to_dict_has_the_assess_shape() -> None:
    importance = staff(8, {"manager": ATTRIBUTES, "operational": SWAPPED})
    performance = performance_beliefs(8, dict.fromkeys(ATTRIBUTES, 5.5))
    result = quality_gaps(importance, performance, customers(8, 300), attributes=ATTRIBUTES,
                          overall="overall", seed=0, resamples=300)
    assert isinstance(result, QualityGaps)
    payload = json.loads(json.dumps(result.to_dict()))
    assert set(payload) == {"understanding_gap", "delivery_gap"}
    for role in ("manager", "operational"):
        entry = payload["understanding_gap"][role]
        assert {"tau", "ci_low", "ci_high", "overestimated", "underestimated"} <= set(entry)
        assert set(payload["delivery_gap"][role]) == set(ATTRIBUTES)
        assert {"gap", "ci_low", "ci_high", "staff_mean", "customer_mean"} <= set(
            payload["delivery_gap"][role]["food"])
    assert result.to_frame().height == 2 * len(ATTRIBUTES)
    assert result.understanding_frame().height == 2


def test_an_attribute_few_customers_rated_as_important_is_left_out() -> None:
    """30 customers state importance, only 2 of them for "speed": its mean would be two
    people's answers, so it is neither published nor ranked."""
    rng = np.random.default_rng(4)
    stated = {f"imp_{a}": np.clip(np.round(rng.normal(5, 1, 30)), 1, 7) for a in ATTRIBUTES}
    stated["imp_speed"] = np.array([1.0, 2.0] + [np.nan] * 28)
    frame = pl.DataFrame(stated)
    revealed = revealed_importance(
        frame, attributes=ATTRIBUTES, importance_columns={a: f"imp_{a}" for a in ATTRIBUTES},
        seed=0, resamples=200,
    )
    assert isinstance(revealed, RevealedImportance)
    assert revealed.to_dict()["importance"]["speed"] is None
    json.dumps(revealed.to_dict(), allow_nan=False)
    beliefs = staff(4, {"manager": ATTRIBUTES}, n=10)
    gap = understanding_gap_for_role(
        "manager", numeric_matrix(beliefs, ATTRIBUTES), revealed, seed=0, resamples=200
    )
    assert isinstance(gap, UnderstandingGap)
    assert "speed" not in {r.attribute for r in gap.ranks}
