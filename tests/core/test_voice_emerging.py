"""Emerging problems: planted topics are found, labelled, ranked and quoted without PII, and
planted growth is found."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from scipy import optimize, stats

from outsidein.core.emerging import (
    Windows,
    default_clusters,
    emerging_problems,
    find_emerging_problems,
    problem_growth,
    recent_window,
)
from outsidein.core.sentiment import AspectPolarity, Polarity
from outsidein.core.voice import analyse_voice
from outsidein.core.voice_attributes import Attribute
from outsidein.core.voice_tagging import AttributeTagger

PARKING = [
    "The parking lot was full again",
    "No parking spaces left at the parking garage",
    "Parking garage closed, had to circle the block",
    "Could not find parking near the entrance",
    "The parking lot is far too small",
    "Parking fees at the garage are a joke",
    "Hi John, parking was impossible again, call me on +358 40 123 4567",
]
APP = [
    "The new mobile app is easy to use",
    "Booking through the app was quick",
    "Love the app notifications",
    "The app remembers my favourite order",
    "Ordering in the app saves time",
    "The app works well on my phone",
]


def _texts() -> tuple[list[str], list[Polarity]]:
    texts = PARKING + APP
    polarity = [Polarity.NEGATIVE] * len(PARKING) + [Polarity.POSITIVE] * len(APP)
    return texts, polarity


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_topics_are_found_ranked_and_labelled(seed: int) -> None:
    texts, polarity = _texts()
    problems = find_emerging_problems(texts, polarity, n_clusters=2, random_state=seed)
    assert [p.size for p in problems] == [7, 6]
    first, second = problems
    assert first.terms[0] == "parking"  # the most distinctive word (c-TF-IDF)
    assert "app" in second.terms[:2]
    assert first.negative_share == 1.0 and second.negative == 0  # ranked by negativity
    assert len(first.examples) == 3
    assert first.to_dict()["label"] == first.label


def test_quotes_are_masked() -> None:
    texts, polarity = _texts()
    problems = find_emerging_problems(texts, polarity, n_clusters=2, n_examples=7)
    quotes = " ".join(problems[0].examples)
    assert "John" not in quotes and "4567" not in quotes
    assert "Hi [NAME], parking was impossible again, call me on [PHONE]" in problems[0].examples


def test_cluster_labels_hold_no_personal_data() -> None:
    greetings = [
        "Hei Liisa, my number is 050 765 4321.",
        "Hei Liisa, call me on 050 765 4321 please.",
        "Hi Liisa, write to liisa.k@example.fi about my number.",
    ] * 3  # "number" in six comments: a label word needs five
    texts, polarity = _texts()
    problems = find_emerging_problems(
        texts + greetings, polarity + [Polarity.NEUTRAL] * len(greetings), n_clusters=3
    )
    terms = {term for problem in problems for term in problem.terms}
    assert "number" in terms  # the greetings' cluster is labelled, by what they ask
    assert not terms & {"liisa", "example", "050", "765", "4321", "name", "phone", "email"}


def test_small_clusters_are_not_reported() -> None:
    texts, polarity = _texts()
    assert find_emerging_problems(texts[:4], polarity[:4], min_size=5) == ()
    problems = find_emerging_problems(texts, polarity, n_clusters=2, min_size=7)
    assert [p.size for p in problems] == [7]


def test_vectors_can_drive_the_clustering() -> None:
    texts, polarity = _texts()
    vectors = np.array([[1.0, 0.0]] * len(PARKING) + [[0.0, 1.0]] * len(APP))
    problems = find_emerging_problems(texts, polarity, vectors=vectors, n_clusters=2)
    assert [p.size for p in problems] == [7, 6]
    with pytest.raises(ValueError, match="one vector per text"):
        find_emerging_problems(texts, polarity, vectors=vectors[:3])


def test_each_problem_names_the_attribute_it_is_nearest_to() -> None:
    texts, polarity = _texts()
    affinity = np.array([[0.6, 0.1]] * len(PARKING) + [[0.2, 0.3]] * len(APP))
    problems = find_emerging_problems(
        texts, polarity, n_clusters=2, affinity=affinity, attribute_ids=("location", "ordering")
    )
    nearest = {p.terms[0]: (p.nearest, p.nearest_affinity) for p in problems}
    assert nearest["parking"] == ("location", pytest.approx(0.6))
    assert nearest["app"] == ("ordering", pytest.approx(0.3))
    assert problems[0].to_dict()["nearest_attribute"] == "location"
    with pytest.raises(ValueError, match="one column per attribute id"):
        find_emerging_problems(texts, polarity, affinity=affinity, attribute_ids=("location",))


def test_default_clusters() -> None:
    assert default_clusters(10, 5) == 1
    assert default_clusters(200, 5) == 10
    assert default_clusters(10_000, 5) == 20


def test_from_an_analysis_only_uncovered_sentences_count() -> None:
    food = Attribute(id="food", name="Food", examples=("soup",))
    tagger = AttributeTagger([food]).fit()
    texts = ["The soup was cold. " + p for p in PARKING] + APP
    polarity = AspectPolarity(attribute_aware=False, embedding_weight=0.0, min_count=1)
    batch = tagger.prepare(["the soup was bad", "the app was good"])
    polarity.fit(batch, [0, 1], [0, 0], ["negative", "positive"])
    analysis = analyse_voice(texts, tagger=tagger, polarity=polarity)
    problems = emerging_problems(analysis, tagger, n_clusters=2, min_size=5)
    assert sum(p.size for p in problems) == len(PARKING) + len(APP)
    assert all("soup" not in p.terms for p in problems)


# -- growth -----------------------------------------------------------------------------------

START = date(2025, 1, 1)


def _koopman_reference(x1: int, n1: int, x0: int, n0: int) -> tuple[float, float]:
    """Koopman's (1984) score interval for p1 / p0, written out naively: the ratios theta at
    which the score statistic, with p0 fitted by maximum likelihood under p1 = theta p0
    (numerically, not by Koopman's closed form), equals the chi-square quantile."""
    critical = stats.chi2.ppf(0.95, 1)

    def statistic(theta: float) -> float:
        def minus_log_likelihood(p0: float) -> float:
            p1 = theta * p0
            return -(x1 * math.log(p1) + (n1 - x1) * math.log1p(-p1)) - (
                x0 * math.log(p0) + (n0 - x0) * math.log1p(-p0)
            )

        upper = min(1.0, 1.0 / theta) - 1e-12
        p0 = optimize.minimize_scalar(
            minus_log_likelihood, bounds=(1e-12, upper), method="bounded", options={"xatol": 1e-13}
        ).x
        p1 = theta * p0
        variance = p1 * (1 - p1) / n1 + theta**2 * p0 * (1 - p0) / n0
        return float((x1 / n1 - theta * x0 / n0) ** 2 / variance - critical)

    ratio = (x1 / n1) / (x0 / n0)
    low = optimize.brentq(statistic, 1e-6, ratio * (1 - 1e-9), xtol=1e-12)
    high = optimize.brentq(statistic, ratio * (1 + 1e-9), 1e4, xtol=1e-12)
    return low, high


def _flags(x1: int, n1: int, x0: int, n0: int) -> tuple[np.ndarray, list[date | None]]:
    """n0 comments before the window (x0 of them raising the problem), then n1 in it."""
    raised = np.array([True] * x0 + [False] * (n0 - x0) + [True] * x1 + [False] * (n1 - x1))
    dates: list[date | None] = [START] * n0 + [START + timedelta(days=200)] * n1
    return raised, dates


@pytest.mark.parametrize(
    ("x1", "n1", "x0", "n0"), [(30, 120, 12, 380), (7, 34, 5, 60), (3, 50, 9, 90)]
)
def test_growth_ratio_and_its_score_interval_match_a_naive_koopman(
    x1: int, n1: int, x0: int, n0: int
) -> None:
    raised, dates = _flags(x1, n1, x0, n0)
    growth = problem_growth(raised, Windows.split(dates, START + timedelta(days=100)))
    assert growth is not None
    assert (growth.recent, growth.recent_comments, growth.earlier, growth.earlier_comments) == (
        x1,
        n1,
        x0,
        n0,
    )
    assert growth.ratio == pytest.approx((x1 / n1) / (x0 / n0))
    low, high = _koopman_reference(x1, n1, x0, n0)
    assert growth.ci_low == pytest.approx(low, rel=1e-4)
    assert growth.ci_high == pytest.approx(high, rel=1e-4)
    assert growth.growing == (low > 1)


def test_a_problem_new_in_the_window_has_no_finite_ratio() -> None:
    raised, dates = _flags(12, 100, 0, 300)
    growth = problem_growth(raised, Windows.split(dates, START + timedelta(days=100)))
    assert growth is not None and math.isinf(growth.ratio) and math.isinf(growth.ci_high)
    assert growth.growing and growth.ci_low > 1
    assert growth.to_dict()["ratio"] is None and growth.to_dict()["ci_high"] is None


def test_growth_needs_dated_comments_on_both_sides() -> None:
    raised, dates = _flags(5, 20, 0, 0)
    assert problem_growth(raised, Windows.split(dates, START)) is None
    undated: list[date | None] = [None] * len(dates)
    assert problem_growth(raised, Windows.split(undated, START)) is None
    assert recent_window(undated) is None
    assert recent_window([START, None, START + timedelta(days=100)]) == START + timedelta(days=10)


@pytest.mark.parametrize(("planted", "growing_share"), [(1.0, (0.0, 0.08)), (3.0, (0.9, 1.0))])
def test_simulated_growth_is_found_and_steady_problems_are_not_flagged(
    planted: float, growing_share: tuple[float, float]
) -> None:
    """A quarter of 300 comments against three quarters of 900; the problem is raised by 4% of
    comments before, by ``planted`` times as many lately. Steady problems are flagged about as
    often as a one-sided 2.5% test allows; a tripled one nearly always."""
    rng = np.random.default_rng(7)
    dates: list[date | None] = [START] * 900 + [START + timedelta(days=300)] * 300
    flagged = 0
    runs = 300
    windows = Windows.split(dates, START + timedelta(days=250))
    for _ in range(runs):
        shares = np.r_[np.full(900, 0.04), np.full(300, 0.04 * planted)]
        raised = rng.random(1200) < shares
        growth = problem_growth(raised, windows)
        flagged += growth is not None and growth.growing
    low, high = growing_share
    assert low <= flagged / runs <= high


def test_a_problem_planted_in_the_last_quarter_is_growing() -> None:
    """Parking complaints only in the last quarter, app praise all year: over a year of 120
    comments (the rest about nothing the clustering sees), parking is growing, the app not."""
    texts, polarity = _texts()
    n_comments = 120
    comment_dates: list[date | None] = [
        START + timedelta(days=3 * i) for i in range(n_comments)
    ]  # the last 91 days hold comments 90-119
    parking = [119 - 2 * i for i in range(len(PARKING))]
    app = [10 * i for i in range(len(APP))]
    problems = find_emerging_problems(
        texts,
        polarity,
        n_clusters=2,
        comment_of=parking + app,
        comment_dates=comment_dates,
        random_state=0,
    )
    by_word = {p.terms[0]: p for p in problems}
    parking_growth, app_growth = by_word["parking"].growth, by_word["app"].growth
    assert parking_growth is not None and app_growth is not None
    assert parking_growth.recent == len(PARKING) and parking_growth.earlier == 0
    assert parking_growth.growing and not app_growth.growing
    assert parking_growth.since == START + timedelta(days=3 * 119 - 90)
    with pytest.raises(ValueError, match="go together"):
        find_emerging_problems(texts, polarity, comment_of=parking + app)
