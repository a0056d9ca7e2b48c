"""In customers' words: the distinctive words of praise and of complaints per attribute."""

from __future__ import annotations

import pytest

from outsidein.core.sentiment import Polarity
from outsidein.core.voice_attributes import Attribute
from outsidein.core.voice_words import customer_words

# (comment, attribute, polarity, sentence): every reliability sentence names the delivery,
# only the complaints say it was late, only the praise that it was punctual
PAIRS = [
    *[(i, "reliability", "negative", "The delivery was late again.") for i in range(8)],
    *[
        (10 + i, "reliability", "positive", "A punctual delivery, right on schedule.")
        for i in range(6)
    ],
    *[(20 + i, "reliability", "neutral", "The delivery came on a Tuesday.") for i in range(5)],
    *[(30 + i, "courtesy", "positive", "The driver was friendly and polite.") for i in range(7)],
    # two comments only: fewer than the anonymity threshold
    (40, "courtesy", "negative", "Rude driver, write to anna@example.com"),
    (41, "courtesy", "negative", "Hi Anna, the driver was rude."),
]


def _words(min_group: int = 5) -> dict[tuple[str, Polarity], tuple[str, ...]]:
    comments, attributes, polarities, texts = zip(*PAIRS, strict=True)
    found = customer_words(texts, comments, attributes, polarities, min_group=min_group)
    return {(g.attribute, g.polarity): g.words for g in found.groups}


def test_each_attribute_and_polarity_gets_the_words_that_set_it_apart() -> None:
    words = _words()
    complaints = words[("reliability", Polarity.NEGATIVE)]
    praise = words[("reliability", Polarity.POSITIVE)]
    assert complaints[0] == "late" and "punctual" not in complaints
    assert {"punctual", "schedule"} <= set(praise) and "late" not in praise
    # the word every reliability group shares ranks below the words of judgement
    assert "delivery" not in complaints[:1] and "delivery" not in praise[:2]
    assert {"friendly", "polite"} <= set(words[("courtesy", Polarity.POSITIVE)])
    # neutral mentions are a background group, never shown
    assert ("reliability", Polarity.NEUTRAL) not in words


def test_small_groups_are_withheld_and_personal_data_never_becomes_a_word() -> None:
    comments, attributes, polarities, texts = zip(*PAIRS, strict=True)
    found = customer_words(texts, comments, attributes, polarities, min_group=5)
    rude = found.of("courtesy", Polarity.NEGATIVE)
    assert rude is not None and rude.withheld and rude.comments == 2 and rude.words == ()
    assert rude.to_dict()["comments"] is None  # a group below the threshold shows no count
    shown = customer_words(texts, comments, attributes, polarities, min_group=2)
    rude = shown.of("courtesy", Polarity.NEGATIVE)
    assert rude is not None and not rude.withheld and "rude" in rude.words
    every_word = {w for g in shown.groups for w in g.words}
    assert not every_word & {"anna", "example", "com"}
    assert shown.to_dict()["groups"][0] == shown.groups[0].to_dict()


def test_inputs_must_line_up() -> None:
    with pytest.raises(ValueError, match="same length"):
        customer_words(["a"], [0, 1], ["x"], ["positive"], min_group=1)
    assert customer_words([], [], [], [], min_group=1).groups == ()


def test_words_the_firms_definition_never_uses_are_named() -> None:
    comments, attributes, polarities, texts = zip(*PAIRS, strict=True)
    definitions = {
        "reliability": Attribute(
            id="reliability",
            name="Reliability",
            description="Deliveries on schedule.",  # "schedule"; "deliveries" covers "delivery"
            complaints=("late delivery",),
        )
    }
    found = customer_words(
        texts, comments, attributes, polarities, min_group=5, definitions=definitions
    )
    complaints = found.of("reliability", Polarity.NEGATIVE)
    praise = found.of("reliability", Polarity.POSITIVE)
    assert complaints is not None and praise is not None
    assert "late" in complaints.words and "late" not in complaints.unsaid
    assert "punctual" in praise.unsaid and "schedule" not in praise.unsaid
    assert "delivery" not in praise.unsaid + complaints.unsaid
    assert set(complaints.unsaid) <= set(complaints.words)
    # an attribute without a definition names nothing
    courtesy = found.of("courtesy", Polarity.POSITIVE)
    assert courtesy is not None and courtesy.words and courtesy.unsaid == ()


def test_inflected_forms_of_the_definitions_words_are_not_unsaid() -> None:
    pairs = [
        *[(i, "problem_resolution", "positive", "They refunded the claim.") for i in range(6)],
        *[(10 + i, "problem_resolution", "negative", "The claim is delayed.") for i in range(6)],
        *[(20 + i, "problem_resolution", "negative", "Nobody is helping.") for i in range(6)],
    ]
    comments, attributes, polarities, texts = zip(*pairs, strict=True)
    definition = Attribute(
        id="problem_resolution",
        name="Problem resolution",
        description="We refund and help without delay.",
    )
    found = customer_words(
        texts,
        comments,
        attributes,
        polarities,
        min_group=5,
        definitions={"problem_resolution": definition},
    )
    praise = found.of("problem_resolution", Polarity.POSITIVE)
    complaints = found.of("problem_resolution", Polarity.NEGATIVE)
    assert praise is not None and complaints is not None
    assert "refunded" in praise.words and "refunded" not in praise.unsaid
    assert {"delayed", "helping"} <= set(complaints.words)
    assert not {"delayed", "helping"} & set(complaints.unsaid)
    assert "nobody" in complaints.unsaid


def test_a_word_fewer_comments_use_than_the_threshold_is_never_shown() -> None:
    pairs = [
        *[(i, "reliability", "negative", "The delivery was late.") for i in range(6)],
        (6, "reliability", "negative", "The delivery was late, ask Kowalski at Nordhafen."),
        *[(10 + i, "reliability", "positive", "A punctual delivery.") for i in range(6)],
    ]
    comments, attributes, polarities, texts = zip(*pairs, strict=True)

    def complaints(min_group: int) -> tuple[str, ...]:
        found = customer_words(texts, comments, attributes, polarities, min_group=min_group)
        group = found.of("reliability", Polarity.NEGATIVE)
        assert group is not None and not group.withheld
        return group.words

    assert {"kowalski", "nordhafen"} <= set(complaints(1))  # shown when one comment suffices
    assert "late" in complaints(5) and not {"kowalski", "nordhafen"} & set(complaints(5))
