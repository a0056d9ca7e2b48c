"""Attribute polarity: anchoring, negation, shipping as data, the estimator contract."""

from __future__ import annotations

import numpy as np
import pytest

from outsidein.core.sentiment import (
    POLARITIES,
    WHOLE_SENTENCE,
    AspectPolarity,
    Polarity,
    PolarityWeights,
)
from outsidein.core.voice_attributes import Attribute, AttributeAffinity
from outsidein.core.voice_tagging import prepare_sentences

FOOD = Attribute(id="food", name="Food", examples=("soup", "pasta", "burger"))
STAFF = Attribute(id="staff", name="Staff", examples=("waiter", "server"))
AFFINITY = AttributeAffinity([FOOD, STAFF])

GOOD = ["great", "lovely", "excellent", "tasty", "friendly"]
BAD = ["awful", "terrible", "rude", "cold", "bland"]


def _training() -> tuple[list[str], list[int], list[int], list[str]]:
    """Two-clause sentences whose clauses disagree: polarity must be read near the anchor."""
    rng = np.random.default_rng(11)
    texts, sentence, attribute, polarity = [], [], [], []
    for i in range(200):
        good, bad = rng.choice(GOOD), rng.choice(BAD)
        food_good = bool(i % 2)
        food_word = rng.choice(["soup", "pasta", "burger"])
        staff_word = rng.choice(["waiter", "server"])
        if food_good:
            text = f"the {food_word} was {good} but the {staff_word} was {bad}"
        else:
            text = f"the {food_word} was {bad} but the {staff_word} was {good}"
        texts.append(text)
        sentence += [i, i]
        attribute += [0, 1]
        polarity += ["positive", "negative"] if food_good else ["negative", "positive"]
    return texts, sentence, attribute, polarity


@pytest.fixture(scope="module")
def fitted() -> AspectPolarity:
    texts, sentence, attribute, polarity = _training()
    batch = prepare_sentences(texts, AFFINITY)
    return AspectPolarity(attribute_aware=False, embedding_weight=0.0).fit(
        batch, sentence, attribute, polarity
    )


def test_polarity_is_read_near_the_attribute(fitted: AspectPolarity) -> None:
    batch = prepare_sentences(
        ["the pasta was lovely but the waiter was awful", "the server was great, the soup cold"],
        AFFINITY,
    )
    predicted = fitted.predict(batch, [0, 0, 1, 1], [0, 1, 0, 1])
    assert predicted == [Polarity.POSITIVE, Polarity.NEGATIVE, Polarity.NEGATIVE, Polarity.POSITIVE]


def test_negation_flips_polarity() -> None:
    texts = [f"the soup was {w}" for w in GOOD + BAD] * 4
    labels = (["positive"] * 5 + ["negative"] * 5) * 4
    batch = prepare_sentences(texts, AFFINITY)
    model = AspectPolarity(attribute_aware=False, embedding_weight=0.0, min_count=1)
    model.fit(batch, list(range(len(texts))), [0] * len(texts), labels)
    # "NOT_great" is unseen; "not" itself is learned as neither: compare with and without
    test = prepare_sentences(["the soup was great", "the soup was not great"], AFFINITY)
    probabilities = model.predict_proba(test, [0, 1], [0, 0])
    positive = POLARITIES.index(Polarity.POSITIVE)
    assert probabilities[0, positive] > probabilities[1, positive]


def test_whole_sentence_polarity_has_no_anchor(fitted: AspectPolarity) -> None:
    batch = prepare_sentences(["lovely lovely", "the soup was awful"], AFFINITY)
    whole = fitted.predict_proba(batch, [0, 1], [WHOLE_SENTENCE, WHOLE_SENTENCE])
    assert whole.shape == (2, 3)
    np.testing.assert_allclose(whole.sum(axis=1), 1.0)
    assert fitted.predict(batch, [1], [WHOLE_SENTENCE]) == [Polarity.NEGATIVE]


def test_shipping_as_weights_round_trips_exactly(fitted: AspectPolarity) -> None:
    weights = fitted.to_weights(source="test")
    again = PolarityWeights.from_dict(weights.to_dict())
    assert again == weights
    shipped = AspectPolarity.from_weights(again)
    texts, sentence, attribute, _ = _training()
    batch = prepare_sentences(texts[:20], AFFINITY)
    pairs = ([s for s in sentence if s < 20], attribute[:40])
    np.testing.assert_allclose(
        shipped.predict_proba(batch, *pairs), fitted.predict_proba(batch, *pairs), atol=1e-12
    )


def test_attribute_aware_models_learn_base_rates() -> None:
    """Mentions with no opinion word: an aware model learns each attribute's usual polarity."""
    texts = ["we had the soup and met the waiter"] * 40
    sentence = [i for i in range(40) for _ in range(2)]
    attribute = [0, 1] * 40
    polarity = ["neutral", "negative"] * 40
    batch = prepare_sentences(texts, AFFINITY)
    aware = AspectPolarity(embedding_weight=0.0).fit(
        batch, sentence, attribute, polarity, attribute_ids=["food", "staff"]
    )
    assert aware.predict(batch, [0, 0], [0, 1]) == [Polarity.NEUTRAL, Polarity.NEGATIVE]
    with pytest.raises(ValueError, match="only attribute-agnostic"):
        aware.to_weights(source="x")


def test_contract_and_degenerate_labels() -> None:
    model = AspectPolarity(window=3.0)
    assert model.window == 3.0
    batch = prepare_sentences(["the soup was fine"], AFFINITY)
    with pytest.raises(RuntimeError, match="not fitted"):
        model.predict(batch, [0], [0])
    assert model.fit(batch, [0], [0], ["neutral"]) is model  # one class: always that class
    assert model.predict(batch, [0], [0]) == [Polarity.NEUTRAL]
    with pytest.raises(ValueError, match="same length"):
        model.fit(batch, [0], [0, 1], ["neutral"])
    with pytest.raises(ValueError, match="no labelled pairs"):
        model.fit(batch, [], [], [])
    assert model.predict_proba(batch, [], []).shape == (0, 3)


def test_learned_relevance_moves_the_anchor(fitted: AspectPolarity) -> None:
    """The word "broth" is no seed word of food: only what the labels taught makes it the anchor."""
    text = ["the broth was lovely but the waiter was awful"]
    unseen = prepare_sentences(text, AFFINITY)
    taught = prepare_sentences(text, AFFINITY, {"broth": np.array([1.0, 0.0], dtype=np.float32)})
    assert fitted.predict(taught, [0], [0]) == [Polarity.POSITIVE]
    food_positive = POLARITIES.index(Polarity.POSITIVE)
    assert (
        fitted.predict_proba(taught, [0], [0])[0, food_positive]
        > fitted.predict_proba(unseen, [0], [0])[0, food_positive]
    )


def test_a_second_mention_is_a_second_anchor() -> None:
    """The opinion sits by the second "soup": one anchor misses it, two find it."""
    texts, sentence, attribute, polarity = _training()
    batch = prepare_sentences(texts, AFFINITY)
    test = prepare_sentences(
        ["the soup came with bread and later on the waiter awful and the soup lovely"], AFFINITY
    )
    food_positive = POLARITIES.index(Polarity.POSITIVE)
    share = {}
    for anchors in (1, 2):
        model = AspectPolarity(
            attribute_aware=False, embedding_weight=0.0, anchors=anchors, anchor_floor=0.5
        ).fit(batch, sentence, attribute, polarity)
        share[anchors] = model.predict_proba(test, [0], [0])[0, food_positive]
    assert share[2] > share[1]


LEXICON = {"great": 3.1, "lovely": 2.8, "awful": -2.5, "terrible": -2.1, "damaged": -1.9}


def test_a_sentiment_lexicon_carries_polarity_to_unseen_words() -> None:
    """Trained on restaurant words only, the model still reads "damaged" through the lexicon;
    negation flips the lexicon's valence."""
    texts, sentence, attribute, polarity = _training()
    batch = prepare_sentences(texts, AFFINITY)
    with_lexicon = AspectPolarity(attribute_aware=False, embedding_weight=0.0, lexicon=LEXICON)
    with_lexicon.fit(batch, sentence, attribute, polarity)
    plain = AspectPolarity(attribute_aware=False, embedding_weight=0.0)
    plain.fit(batch, sentence, attribute, polarity)
    test = prepare_sentences(["the soup was damaged", "the soup was not damaged"], AFFINITY)
    negative = POLARITIES.index(Polarity.NEGATIVE)
    read = with_lexicon.predict_proba(test, [0, 1], [0, 0])[:, negative]
    blind = plain.predict_proba(test, [0, 1], [0, 0])[:, negative]
    assert read[0] > 0.5 > blind[0]
    assert read[1] < read[0]


def test_weights_that_read_a_lexicon_need_it() -> None:
    texts, sentence, attribute, polarity = _training()
    batch = prepare_sentences(texts, AFFINITY)
    model = AspectPolarity(attribute_aware=False, embedding_weight=0.0, lexicon=LEXICON)
    weights = model.fit(batch, sentence, attribute, polarity).to_weights(source="test")
    assert weights.dense == ("anchor_affinity", "lexicon_positive", "lexicon_negative")
    again = PolarityWeights.from_dict(weights.to_dict())
    with pytest.raises(ValueError, match="lexicon"):
        AspectPolarity.from_weights(again)
    shipped = AspectPolarity.from_weights(again, lexicon=LEXICON)
    np.testing.assert_allclose(
        shipped.predict_proba(batch, sentence[:40], attribute[:40]),
        model.predict_proba(batch, sentence[:40], attribute[:40]),
        atol=1e-12,
    )


def test_a_prior_carries_what_a_few_labels_never_showed(fitted: AspectPolarity) -> None:
    """A firm labels a few pairs, some in general words and some in its own; the shipped model
    (here ``fitted``) knows the general ones. On top of it, the firm's model also reads general
    words its labels never showed."""
    words = [("lovely", "positive"), ("terrible", "negative")] * 2
    words += [("spotless", "positive"), ("filthy", "negative")] * 2
    texts = [f"the soup was {word}" for word, _ in words]
    batch = prepare_sentences(texts, AFFINITY)
    pairs = (list(range(len(texts))), [0] * len(texts), [label for _, label in words])
    alone = AspectPolarity(embedding_weight=0.0, min_count=1).fit(
        batch, *pairs, attribute_ids=("food", "staff")
    )
    on_prior = AspectPolarity(embedding_weight=0.0, min_count=1, prior=fitted).fit(
        batch, *pairs, attribute_ids=("food", "staff")
    )
    test = prepare_sentences(
        ["the soup was great", "the soup was awful", "the pasta was spotless"], AFFINITY
    )
    expected = [Polarity.POSITIVE, Polarity.NEGATIVE, Polarity.POSITIVE]
    assert on_prior.predict(test, [0, 1, 2], [0, 0, 0]) == expected
    # from the labels alone, words it never saw leave it undecided between the two polarities
    undecided = alone.predict_proba(test, [0, 1], [0, 0])[:, [0, 2]]
    np.testing.assert_allclose(undecided, 0.5, atol=0.1)
    with pytest.raises(ValueError, match="prior"):
        on_prior.to_weights(source="test")


def _softmax_of_full_matrix(model: AspectPolarity, batch: object, pairs: tuple) -> np.ndarray:
    """Probabilities from the whole feature matrix, as the model was fitted on (the slow way)."""
    terms = model._terms(batch, np.asarray(pairs[0]), np.asarray(pairs[1]))  # type: ignore[arg-type]
    logits = np.asarray(model._matrix(terms, len(pairs[0])) @ model.coef_.T) + model.intercept_
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(exp / exp.sum(axis=1, keepdims=True))


@pytest.mark.parametrize("with_prior", [False, True])
def test_word_vectors_are_read_per_type_as_the_full_matrix_would(
    fitted: AspectPolarity, with_prior: bool
) -> None:
    """Prediction takes the embedding block's logits from one product per word type; they are
    the logits of the block itself, and shipped weights that read vectors round-trip."""
    from tests.core.test_voice_tagging import HashEncoder

    affinity = AttributeAffinity([FOOD, STAFF], HashEncoder(16))
    texts, sentence, attribute, polarity = _training()
    batch = prepare_sentences(texts, affinity)
    model = AspectPolarity(
        attribute_aware=False,
        embedding_weight=2.0,
        lexicon=LEXICON,
        prior=fitted if with_prior else None,
    ).fit(batch, sentence, attribute, polarity)
    test = prepare_sentences(
        ["the soup was lovely but the waiter was awful", "cold pasta"], affinity
    )
    pairs = ([0, 0, 1, 1, 0], [0, 1, 0, 1, WHOLE_SENTENCE])
    np.testing.assert_allclose(
        model.predict_proba(test, *pairs), _softmax_of_full_matrix(model, test, pairs), atol=1e-10
    )
    if with_prior:
        return
    weights = PolarityWeights.from_dict(model.to_weights(source="t", vectors_sha256="x").to_dict())
    assert weights.reads_vectors and weights.vectors_sha256 == "x"
    assert weights.dense[3:] == tuple(f"vector_{i}" for i in range(16))
    shipped = AspectPolarity.from_weights(weights, lexicon=LEXICON)
    np.testing.assert_allclose(
        shipped.predict_proba(test, *pairs), model.predict_proba(test, *pairs), atol=1e-3
    )
    with pytest.raises(ValueError, match="reads word vectors"):
        shipped.predict_proba(prepare_sentences(["cold pasta"], AFFINITY), [0], [0])
    with pytest.raises(ValueError, match="needs vectors_sha256"):
        model.to_weights(source="t")


# -- correction by signed examples -------------------------------------------------------------

LATE = (
    ["the soup came late", "late pasta again", "the burger was late", "the soup was hot"],
    ["negative", "negative", "negative", "positive"],
)


def _corrected(fitted: AspectPolarity, attribute: int) -> AspectPolarity:
    texts, polarity = LATE
    batch = prepare_sentences(texts, AFFINITY)
    return fitted.corrected(batch, list(range(len(texts))), [attribute] * len(texts), polarity)


def test_signed_examples_teach_a_word_the_model_never_saw(fitted: AspectPolarity) -> None:
    corrected = _corrected(fitted, 0)
    batch = prepare_sentences(["the pasta was late", "the pasta arrived"], AFFINITY)
    before = fitted.predict_proba(batch, [0, 1], [0, 0])
    after = corrected.predict_proba(batch, [0, 1], [0, 0])
    negative = POLARITIES.index(Polarity.NEGATIVE)
    assert after[0, negative] > 0.5 > before[0, negative]
    # a sentence near none of the examples' content words is read exactly as before
    np.testing.assert_array_equal(after[1], before[1])
    # the anchors ("soup", "burger") and function words learn nothing; "late" leans negative
    assert "soup" not in corrected.corrections_ and "the" not in corrected.corrections_
    negative_weight, positive_weight = corrected.corrections_["late"]
    assert negative_weight > 0 > positive_weight
    # the correction is a copy: the fitted model is unchanged
    np.testing.assert_array_equal(fitted.predict_proba(batch, [0, 1], [0, 0]), before)


def test_the_correction_maximises_the_penalised_likelihood(fitted: AspectPolarity) -> None:
    """Whole-sentence examples weigh every word 1, so the objective can be written out here:
    the folded model must give softmax(log p + [x·w_neg, 0, x·w_pos]) and sit at its optimum."""
    texts, polarity = LATE
    batch = prepare_sentences(texts, AFFINITY)
    whole = [WHOLE_SENTENCE] * len(texts)
    penalty = 0.5
    corrected = fitted.corrected(batch, list(range(len(texts))), whole, polarity, penalty=penalty)
    words = sorted(corrected.corrections_)
    # content words only: "came", "again", "the", "was" are function words
    assert set(words) == {"late", "pasta", "soup", "burger", "hot"}
    counts = np.array([[text.split().count(w) for w in words] for text in texts], dtype=float)
    # (this model never saw neutral: its probability 0 is floored as the method floors it)
    offset = np.log(np.maximum(fitted.predict_proba(batch, list(range(len(texts))), whole), 1e-12))
    y = np.array([POLARITIES.index(Polarity(p)) for p in polarity])

    def probabilities(w: np.ndarray) -> np.ndarray:
        logits = offset + np.column_stack(
            [counts @ w[:, 0], np.zeros(len(texts)), counts @ w[:, 1]]
        )
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)

    def objective(w: np.ndarray) -> float:
        p = probabilities(w.reshape(-1, 2))
        return float(-np.log(p[np.arange(len(y)), y]).sum() + 0.5 * penalty * (w @ w))

    fitted_w = np.array([corrected.corrections_[w] for w in words])
    np.testing.assert_allclose(
        corrected.predict_proba(batch, list(range(len(texts))), whole),
        probabilities(fitted_w),
        atol=1e-9,
    )
    step = 1e-6
    flat = fitted_w.ravel()
    gradient = [
        (objective(flat + step * e) - objective(flat - step * e)) / (2 * step)
        for e in np.eye(flat.size)
    ]
    np.testing.assert_allclose(gradient, 0.0, atol=1e-4)


def test_correction_contract(fitted: AspectPolarity) -> None:
    batch = prepare_sentences(["late soup"], AFFINITY)
    with pytest.raises(ValueError, match="same length"):
        fitted.corrected(batch, [0], [0, 0], ["negative"])
    with pytest.raises(ValueError, match="penalty"):
        fitted.corrected(batch, [0], [0], ["negative"], penalty=0.0)
    with pytest.raises(RuntimeError, match="not fitted"):
        AspectPolarity().corrected(batch, [0], [0], ["negative"])
