"""Ratings answered on different scales, put on one scale before they are pooled or compared."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from outsidein.core.quality import (
    AttributeMean,
    CommonScale,
    Proportion,
    SentimentImpactModel,
    csat,
    customer_quality,
    mean_interval,
    rescale,
    rescale_columns,
    sentiment_impact,
)


def test_rescale_maps_ends_to_ends_and_keeps_equal_steps() -> None:
    assert rescale([1, 2, 3, 4, 5], (1, 5), (1, 7)).tolist() == [1.0, 2.5, 4.0, 5.5, 7.0]
    assert rescale([0, 5, 10], (0, 10), (1, 5)).tolist() == [1.0, 3.0, 5.0]
    assert rescale([1, 10], (1, 10), (1, 5)).tolist() == [1.0, 5.0]
    nan = rescale([np.nan, 3], (1, 5), (1, 7))
    assert np.isnan(nan[0]) and nan[1] == 4.0
    same = np.array([1.0, 6.5])
    assert rescale(same, (1, 7), (1, 7)).tolist() == [1.0, 6.5]
    with pytest.raises(ValueError, match="outside the 1–5 scale"):
        rescale([6], (1, 5), (1, 7))
    with pytest.raises(ValueError, match="low to high"):
        rescale([1], (5, 1), (1, 7))


def test_rescale_columns_names_the_column_off_its_scale_and_keeps_nulls() -> None:
    frame = pl.DataFrame({"a": [1.0, None, 5.0], "b": [7, 4, 1], "c": ["x", "y", "z"]})
    out = rescale_columns(frame, {"a": (1, 5), "b": (1, 7)}, (1, 7))
    assert out["a"].to_list() == [1.0, None, 7.0]
    assert out["b"].to_list() == [7, 4, 1] and out["b"].dtype == pl.Int64  # already on 1–7
    assert out["c"].to_list() == ["x", "y", "z"]
    with pytest.raises(ValueError, match="b: ratings outside the 1–5 scale"):
        rescale_columns(frame, {"b": (1, 5)}, (1, 7))
    empty = pl.DataFrame({"a": [None, None]}, schema={"a": pl.Float64})
    assert rescale_columns(empty, {"a": (1, 5)}, (1, 7))["a"].to_list() == [None, None]


def test_common_scale_names_the_scales_it_put_its_ratings_on() -> None:
    assert CommonScale(scale=(1, 7)).note("ratings") == ""
    assert CommonScale(scale=(1, 7), rescaled_from=((1, 7),)).note("ratings") == ""
    pooled = CommonScale(scale=(1, 5), rescaled_from=((1, 5), (1, 10), (0, 10), (1, 10)))
    assert pooled.text == "1–5"
    assert pooled.note("ratings") == "; ratings on 1–10 and 0–10 rescaled linearly to 1–5"
    with pytest.raises(ValueError, match="low to high"):
        CommonScale(scale=(1, 7), rescaled_from=((5, 5),))


def test_means_say_which_scale_they_are_on() -> None:
    values = rescale([1, 2, 3, 4, 5, 5], (1, 5), (1, 7))
    plain = mean_interval(values, attribute="food")
    assert isinstance(plain, AttributeMean) and plain.method == "mean with Student t CI"
    on_seven = mean_interval(
        values, attribute="food", scale=CommonScale(scale=(1, 7), rescaled_from=((1, 5),))
    )
    assert isinstance(on_seven, AttributeMean)
    assert on_seven.mean == pytest.approx(1 + (20 / 6 - 1) * 1.5)
    assert on_seven.method == (
        "mean on 1–7 with Student t CI; answers on 1–5 rescaled linearly to 1–7"
    )


def test_csat_of_answers_rescaled_from_1_to_7_counts_the_same_top_two_boxes() -> None:
    answers = np.array([7, 6, 6, 5, 4, 3, 7, 2, 1, 6])
    top_two = int(np.count_nonzero(answers >= 6))
    result = csat(rescale(answers, (1, 7), (1, 5)), rescaled_from=[(1, 7)])
    assert isinstance(result, Proportion)
    assert result.count == top_two == 5 and result.n == 10
    assert "top-2-box share of 1–5; answers on 1–7 rescaled linearly to 1–5" in result.method
    # on 1–10 the same cut (the top quarter of the range) is the top three boxes
    tens = csat(rescale(np.arange(1, 11), (1, 10), (1, 5)), min_group=1)
    assert isinstance(tens, Proportion) and tens.count == 3
    # answers on 1–5 count as ever: 4 and 5
    fives = csat([1, 2, 3, 4, 5], min_group=1)
    assert isinstance(fives, Proportion) and fives.count == 2


def test_customer_quality_names_the_scales_of_pooled_surveys() -> None:
    rng = np.random.default_rng(3)
    customers = pl.DataFrame(
        {
            "food": rng.integers(1, 8, 40).astype(float),
            "service": rng.integers(1, 8, 40).astype(float),
            "csat": rescale(rng.integers(1, 11, 40), (1, 10), (1, 5)),
        }
    )
    seven = CommonScale(scale=(1, 7), rescaled_from=((1, 5), (1, 7)))
    result = customer_quality(
        customers,
        attributes=["food", "service"],
        csat_column="csat",
        seed=1,
        rating_scale=seven,
        csat_scale=CommonScale(scale=(1, 5), rescaled_from=((1, 10),)),
    )
    food = result.performance.scores["food"]
    assert isinstance(food, AttributeMean)
    assert food.method.endswith("; answers on 1–5 rescaled linearly to 1–7")
    assert isinstance(result.csat, Proportion)
    assert "answers on 1–10 rescaled linearly to 1–5" in result.csat.method
    with pytest.raises(ValueError, match="CSAT must be on 1–n"):
        customer_quality(
            customers, attributes=["food"], csat_column="csat", seed=1,
            csat_scale=CommonScale(scale=(0, 10)),
        )


def test_sentiment_impact_is_in_points_of_the_common_scale() -> None:
    rng = np.random.default_rng(5)
    n = 300
    food = rng.choice(["positive", "negative", "none"], size=n, p=[0.4, 0.2, 0.4])
    stars = np.clip(np.round(5.5 + 2.0 * (food == "positive") - 2.5 * (food == "negative")
                             + rng.normal(0, 1.5, n)), 1, 10)
    rows = []
    for i in range(n):
        rows.append((i, None if food[i] == "none" else "food",
                     None if food[i] == "none" else str(food[i]), float(stars[i])))
    on_ten = pl.DataFrame(rows, schema=["comment_id", "attribute", "polarity", "rating"],
                          orient="row")
    on_five = rescale_columns(on_ten, {"rating": (1, 10)}, (1, 5))
    raw = sentiment_impact(on_ten)
    pooled = sentiment_impact(
        on_five, rating_scale=CommonScale(scale=(1, 5), rescaled_from=((1, 5), (1, 10)))
    )
    assert isinstance(raw, SentimentImpactModel) and isinstance(pooled, SentimentImpactModel)
    for ten, five in zip(raw.impacts, pooled.impacts, strict=True):
        # a linear map of the rating scales every effect by the same factor, 4/9
        assert five.effect == pytest.approx(ten.effect * 4 / 9)
        assert five.ci_low == pytest.approx(ten.ci_low * 4 / 9)
    assert pooled.method == (
        "OLS of rating (points on 1–5) on sentiment indicators, HC3 robust CI "
        "(MacKinnon & White 1985); ratings on 1–10 rescaled linearly to 1–5"
    )
