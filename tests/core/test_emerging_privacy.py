"""Emerging problems keep the anonymity threshold in comments, not sentences: one verbose
customer never forms, labels or is quoted as a cluster; the same words from enough customers do.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np
import pytest

from outsidein.core.emerging import (
    EmergingProblem,
    Windows,
    emerging_problems,
    find_emerging_problems,
    problem_growth,
)
from outsidein.core.sentiment import AspectPolarity, Polarity
from outsidein.core.voice import VoiceAnalysis, analyse_voice
from outsidein.core.voice_attributes import Attribute
from outsidein.core.voice_tagging import AttributeTagger

# ten sentences about one customer's cat: the defect's repro
WHISKERS = [
    "Whiskers the cat and the van.",
    "Whiskers the cat rode in the van.",
    "The van carried Whiskers the cat home.",
    "Whiskers slept in the van carried by the driver.",
    "The driver carried Whiskers out of the van.",
    "Whiskers the cat loves the van.",
    "The van smelled of Whiskers the cat.",
    "Whiskers carried a mouse into the van.",
    "Whiskers the cat hid under the van seat.",
    "The van door trapped Whiskers the cat.",
]
PARKING = [
    "The parking lot was full again",
    "No parking spaces left at the parking garage",
    "Parking garage closed, had to circle the block",
    "Could not find parking near the entrance",
    "The parking lot is far too small",
    "Parking fees at the garage are a joke",
    "Parking was impossible again",
]
APP = [
    "The new mobile app is easy to use",
    "Booking through the app was quick",
    "Love the app notifications",
    "The app remembers my favourite order",
    "Ordering in the app saves time",
    "The app works well on my phone",
]
CAT_WORDS = {"whiskers", "cat", "van", "carried"}


def _corpus(whiskers_comments: list[int]) -> tuple[list[str], list[Polarity], list[int]]:
    """The cat's sentences from ``whiskers_comments``, then parking and app complaints and
    praise, each from a comment of its own (numbered after the cat's)."""
    first = max(whiskers_comments) + 1
    texts = WHISKERS + PARKING + APP
    polarity = [Polarity.NEUTRAL] * len(WHISKERS)
    polarity += [Polarity.NEGATIVE] * len(PARKING) + [Polarity.POSITIVE] * len(APP)
    comment_of = whiskers_comments + list(range(first, first + len(PARKING) + len(APP)))
    return texts, polarity, comment_of


def _undated(comment_of: list[int]) -> list[date | None]:
    return [None] * (max(comment_of) + 1)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def _cat_shows(problems: tuple[EmergingProblem, ...]) -> bool:
    words = {w for p in problems for w in p.terms}
    quotes = " ".join(q for p in problems for q in p.examples)
    return bool(words & CAT_WORDS) or "Whiskers" in quotes


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_verbose_comment_never_forms_labels_or_is_quoted(seed: int) -> None:
    texts, polarity, comment_of = _corpus([0] * len(WHISKERS))
    problems = find_emerging_problems(
        texts,
        polarity,
        n_clusters=3,
        comment_of=comment_of,
        comment_dates=_undated(comment_of),
        min_comments=5,
        random_state=seed,
    )
    assert not _cat_shows(problems), problems
    # what enough customers said still shows: the seven parking complaints
    parking = next(p for p in problems if p.terms[0] == "parking")
    assert (parking.size, parking.comments) == (7, 7)
    # counted in sentences, as before, the cat's ten would form the first cluster
    as_sentences = find_emerging_problems(texts, polarity, n_clusters=3, random_state=seed)
    assert _cat_shows(as_sentences)


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("k", [3, 5, 10])
def test_the_same_words_from_k_comments_form_a_labelled_cluster(seed: int, k: int) -> None:
    """The cat's ten sentences from exactly ``k`` comments are shown, labelled by words that
    at least ``k`` of them use, quoted from different comments; from ``k - 1``, withheld."""
    spread = [i % k for i in range(len(WHISKERS))]
    texts, polarity, comment_of = _corpus(spread)
    problems = find_emerging_problems(
        texts,
        polarity,
        n_clusters=3,
        comment_of=comment_of,
        comment_dates=_undated(comment_of),
        min_comments=k,
        random_state=seed,
    )
    cat = next(p for p in problems if "whiskers" in p.terms)
    assert (cat.size, cat.comments) == (len(WHISKERS), k)
    for word in cat.terms:  # each label word is used by at least k of the cat's comments
        assert len({spread[i] for i, t in enumerate(WHISKERS) if word in _words(t)}) >= k, word
    quoted = [spread[WHISKERS.index(q)] for q in cat.examples]
    assert len(quoted) == 3 and len(set(quoted)) == 3  # three quotes, three customers
    assert cat.to_dict()["comments"] == k

    fewer = [i % (k - 1) for i in range(len(WHISKERS))]
    texts, polarity, comment_of = _corpus(fewer)
    withheld = find_emerging_problems(
        texts,
        polarity,
        n_clusters=3,
        comment_of=comment_of,
        comment_dates=_undated(comment_of),
        min_comments=k,
        random_state=seed,
    )
    assert not _cat_shows(withheld), withheld


def test_a_word_fewer_than_k_comments_use_does_not_label_a_cluster() -> None:
    """Seven customers complain about parking; one of them names the zeppelin hangar in three
    sentences: frequent enough to lead the c-TF-IDF ranking, but one customer's word."""
    hangar = [
        "Parking by the zeppelin hangar again",
        "The zeppelin hangar parking was shut",
        "Parking at the zeppelin hangar was full",
    ]
    texts = PARKING + hangar + APP
    comment_of = list(range(len(PARKING))) + [0] * len(hangar)
    comment_of += list(range(len(PARKING), len(PARKING) + len(APP)))
    polarity = [Polarity.NEGATIVE] * (len(PARKING) + len(hangar))
    polarity += [Polarity.POSITIVE] * len(APP)
    vectors = np.array([[1.0, 0.0]] * (len(PARKING) + len(hangar)) + [[0.0, 1.0]] * len(APP))

    def parking_terms(min_comments: int) -> tuple[str, ...]:
        problems = find_emerging_problems(
            texts,
            polarity,
            vectors=vectors,
            n_clusters=2,
            comment_of=comment_of,
            comment_dates=_undated(comment_of),
            min_comments=min_comments,
        )
        return next(p for p in problems if p.terms and p.terms[0] == "parking").terms

    assert {"zeppelin", "hangar"} <= set(parking_terms(1))  # the word ranks high by c-TF-IDF
    terms = parking_terms(5)
    assert terms[0] == "parking" and not {"zeppelin", "hangar"} & set(terms)
    # every word shown is used by at least five of the cluster's comments
    for word in terms:
        assert len({comment_of[i] for i, t in enumerate(texts) if word in _words(t)}) >= 5


def test_quotes_come_from_different_comments_when_there_are_enough() -> None:
    """Comment 0's three sentences lie at the centre, the six other comments' around it; the
    quotes still name three customers, and fall back to a second sentence of one only when
    customers run out."""
    texts = [f"Slow lift number {i}" for i in range(9)]
    comment_of = [0, 0, 0, 1, 2, 3, 4, 5, 6]
    angles = [0.0] * 3 + [0.2, -0.2, 0.4, -0.4, 0.6, -0.6]
    vectors = np.array([[np.cos(a), np.sin(a)] for a in angles])
    polarity = [Polarity.NEGATIVE] * len(texts)
    (problem,) = find_emerging_problems(
        texts,
        polarity,
        vectors=vectors,
        n_clusters=1,
        comment_of=comment_of,
        comment_dates=_undated(comment_of),
        n_examples=3,
    )
    assert problem.examples == ("Slow lift number 0", "Slow lift number 3", "Slow lift number 4")
    assert (problem.size, problem.comments) == (9, 7)
    (problem,) = find_emerging_problems(
        texts,
        polarity,
        vectors=vectors,
        n_clusters=1,
        comment_of=comment_of,
        comment_dates=_undated(comment_of),
        n_examples=9,
    )
    order = (0, 3, 4, 5, 6, 7, 8, 1, 2)  # every comment's nearest, then comment 0's others
    assert problem.examples == tuple(f"Slow lift number {i}" for i in order)


def test_without_comment_of_each_sentence_counts_as_a_comment() -> None:
    texts, polarity, _ = _corpus([0] * len(WHISKERS))
    problems = find_emerging_problems(texts[10:], polarity[10:], n_clusters=2)
    assert sorted((p.size, p.comments) for p in problems) == [(6, 6), (7, 7)]
    (parking,) = find_emerging_problems(texts[10:], polarity[10:], n_clusters=2, min_comments=7)
    assert parking.terms[0] == "parking"
    with pytest.raises(ValueError, match="min_comments"):
        find_emerging_problems(texts, polarity, min_comments=0)


# -- through an analysis: the service's path ----------------------------------------------------


def _analysis(comments: list[str]) -> tuple[VoiceAnalysis, AttributeTagger]:
    food = Attribute(id="food", name="Food", examples=("soup",))
    tagger = AttributeTagger([food]).fit()
    polarity = AspectPolarity(attribute_aware=False, embedding_weight=0.0, min_count=1)
    batch = tagger.prepare(["the soup was bad", "the app was good"])
    polarity.fit(batch, [0, 1], [0, 0], ["negative", "positive"])
    return analyse_voice(comments, tagger=tagger, polarity=polarity), tagger


@pytest.mark.parametrize("dated", [False, True])
def test_from_an_analysis_one_customers_ten_sentences_are_withheld(dated: bool) -> None:
    """The repro: one comment of ten sentences about a cat, among short comments, without and
    with dates (before, comments were only told apart when the feedback had dates)."""
    comments = [" ".join(WHISKERS)] + ["The soup was cold. " + p for p in PARKING] + APP
    analysis, tagger = _analysis(comments)
    dates: list[date | None] | None = None
    if dated:
        dates = [date(2025, 1, 1) + timedelta(days=30 * i) for i in range(len(comments))]
    problems = emerging_problems(
        analysis, tagger, n_clusters=3, min_comments=5, comment_dates=dates
    )
    assert not _cat_shows(problems), problems
    assert "parking" in {p.terms[0] for p in problems}
    # the same ten sentences from ten customers are a problem, and say so
    analysis, tagger = _analysis(WHISKERS + comments[1:])
    problems = emerging_problems(analysis, tagger, n_clusters=3, min_comments=5)
    cat = next(p for p in problems if "whiskers" in p.terms)
    assert (cat.size, cat.comments) == (len(WHISKERS), len(WHISKERS))


# -- growth -------------------------------------------------------------------------------------


def test_growth_is_withheld_when_a_window_has_fewer_comments_than_the_threshold() -> None:
    start = date(2025, 1, 1)
    raised = np.array([True, False, False, False, False, False, True, True, True])
    dates: list[date | None] = [start, start, start, start, start, start]
    dates += [start + timedelta(days=200)] * 3
    windows = Windows.split(dates, start + timedelta(days=100))
    assert problem_growth(raised, windows) is not None  # three recent comments: a ratio
    assert problem_growth(raised, windows, min_group=3) is not None
    assert problem_growth(raised, windows, min_group=4) is None  # only three lately
    with pytest.raises(ValueError, match="min_group"):
        problem_growth(raised, windows, min_group=0)


def test_problems_grow_only_over_windows_of_at_least_k_comments() -> None:
    """Five parking complaints in the last quarter, two and six app comments before: growth is
    shown while the last quarter's five comments reach ``min_comments``, withheld after."""
    texts = PARKING + APP
    polarity = [Polarity.NEGATIVE] * len(PARKING) + [Polarity.POSITIVE] * len(APP)
    start = date(2025, 1, 1)
    comment_of = list(range(len(texts)))
    later = start + timedelta(days=300)
    dates: list[date | None] = [later, later, later, later, later]
    dates += [start] * (2 + len(APP))

    def growth(min_comments: int) -> dict[str, bool]:
        problems = find_emerging_problems(
            texts,
            polarity,
            n_clusters=2,
            comment_of=comment_of,
            comment_dates=dates,
            min_comments=min_comments,
        )
        return {p.terms[0]: p.growth is not None for p in problems}

    assert growth(5) == {"parking": True, "app": True}
    assert growth(6) == {"parking": False, "app": False}  # five comments lately
