"""The label-attention classifier: hand-written gradients against finite differences, learning,
unseen words, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from outsidein.core.voice_attention import (
    _batch_forward,
    _gradients,
    _loss,
    _Parameters,
    fit_attention,
)
from outsidein.core.voice_text import tokenize_batch


def _problem(
    seed: int = 3, heads: int = 1
) -> tuple[_Parameters, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    params = _Parameters(
        vectors=rng.normal(size=(6, 4)),
        queries=rng.normal(size=(2 * heads, 4)),
        coef=rng.normal(size=(2 * heads, 4)),
        intercept=rng.normal(size=2),
    )
    ids = np.array([[0, 1, 2, 0], [3, 4, 0, 0], [5, 1, 3, 2]])
    mask = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]], dtype=bool)
    y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    weight = np.array([2.0, 0.5])
    return params, ids, mask, y, weight


@pytest.mark.parametrize("heads", [1, 3])
def test_gradients_match_finite_differences(heads: int) -> None:
    params, ids, mask, y, weight = _problem(heads=heads)
    grads = _gradients(ids, mask, y, weight, params)
    full_vectors = np.zeros_like(params.vectors)
    full_vectors[grads.rows] = grads.vectors
    analytic = {
        "vectors": full_vectors,
        "queries": grads.queries,
        "coef": grads.coef,
        "intercept": grads.intercept,
    }
    step = 1e-6
    for name, gradient in analytic.items():
        array = getattr(params, name)
        numeric = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            saved = array[index]
            array[index] = saved + step
            up = _loss(ids, mask, y, weight, params)
            array[index] = saved - step
            down = _loss(ids, mask, y, weight, params)
            array[index] = saved
            numeric[index] = (up - down) / (2 * step)
        np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-8, err_msg=name)
    # rows no sentence used get no gradient (the padding row 0 is used by real tokens here)
    assert set(grads.rows.tolist()) == {0, 1, 2, 3, 4, 5}


def _sentences(n: int, seed: int) -> tuple[list[str], np.ndarray]:
    """Attribute 0 when "soup" occurs, attribute 1 when "waiter" occurs, among filler."""
    rng = np.random.default_rng(seed)
    filler = ["we", "had", "the", "a", "was", "very", "and", "then", "it", "our"]
    texts, y = [], np.zeros((n, 2), dtype=np.int64)
    for i in range(n):
        words = list(rng.choice(filler, size=6))
        for j, cue in enumerate(("soup", "waiter")):
            if rng.random() < 0.5:
                words.insert(int(rng.integers(0, len(words))), cue)
                y[i, j] = 1
        texts.append(" ".join(words))
    return texts, y


def _vectors(types: tuple[str, ...] | list[str], seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    table = {t: rng.normal(size=8) for t in sorted(set(types))}
    return np.array([table[t] for t in types], dtype=np.float32)


def test_it_learns_which_word_carries_each_attribute() -> None:
    texts, y = _sentences(300, seed=1)
    words = tokenize_batch(texts).words()
    model = fit_attention(words, _vectors(words.types), y, epochs=20, learning_rate=1e-2)
    test_texts, test_y = _sentences(100, seed=2)
    test = tokenize_batch(test_texts).words()
    predicted = model.probabilities(test, _vectors(test.types)) >= 0.5
    assert (predicted == test_y.astype(bool)).mean() > 0.95


def test_unseen_words_keep_their_static_vectors_and_fits_repeat() -> None:
    texts, y = _sentences(120, seed=4)
    words = tokenize_batch(texts).words()
    vectors = _vectors(words.types)
    first = fit_attention(words, vectors, y, epochs=3, random_state=5)
    again = fit_attention(words, vectors, y, epochs=3, random_state=5)
    test = tokenize_batch(["the broth was cold", "a soup and a waiter"]).words()
    test_vectors = _vectors(test.types, seed=9)
    np.testing.assert_array_equal(
        first.probabilities(test, test_vectors), again.probabilities(test, test_vectors)
    )
    assert "broth" not in first.vocabulary and "soup" in first.vocabulary
    with pytest.raises(ValueError, match="label rows"):
        fit_attention(words, vectors, y[:10])
    with pytest.raises(ValueError, match="heads"):
        fit_attention(words, vectors, y, heads=0)
    assert first.heads == 4


def test_word_pairs_follow_each_sentences_words() -> None:
    from outsidein.core.voice_attention import with_word_pairs

    words = tokenize_batch(["the check came", "check", ""]).words()
    vectors = _vectors(words.types)
    paired, paired_vectors = with_word_pairs(words, vectors)
    sentences = [
        [paired.types[t] for t in paired.token_type[paired.offsets[i] : paired.offsets[i + 1]]]
        for i in range(paired.n_sentences)
    ]
    assert sentences == [["the", "check", "came", "the check", "check came"], ["check"], []]
    pair = paired.types.index("the check")
    expected = vectors[words.types.index("the")] + vectors[words.types.index("check")]
    np.testing.assert_allclose(paired_vectors[pair], expected / np.linalg.norm(expected), rtol=1e-5)
    np.testing.assert_array_equal(paired_vectors[: len(words.types)], vectors)


def test_logits_are_the_heads_attention_views_read_by_their_coefficients() -> None:
    """The per-type shortcut of the forward pass against the model written out per sentence."""
    params, ids, mask, _, _ = _problem(seed=8, heads=2)
    logits, *_ = _batch_forward(ids, mask, params)
    for i in range(ids.shape[0]):
        words = params.vectors[ids[i][mask[i]]]
        for a in range(2):
            expected = params.intercept[a]
            for column in (2 * a, 2 * a + 1):
                scores = words @ params.queries[column]
                attention = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
                expected += (attention @ words) @ params.coef[column]
            assert logits[i, a] == pytest.approx(expected, rel=1e-10)
