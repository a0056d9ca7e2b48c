"""Emerging problems: planted topics are found, labelled, ranked and quoted without PII."""

from __future__ import annotations

import numpy as np
import pytest

from outsidein.core.emerging import default_clusters, emerging_problems, find_emerging_problems
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
