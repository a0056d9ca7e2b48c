"""The per-type fast paths against obvious reference implementations."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from outsidein.core.voice_features import LexicalVectorizer, pooled_embeddings, segment_reduce
from outsidein.core.voice_text import tokenize_batch

TEXTS = [
    "the food was good and the staff was friendly",
    "terrible service slow waiter cold food",
    "good value for the price",
    "the waiter was friendly",
    "prices are high and the food is good good good",
]


def test_lexical_vectorizer_equals_scikit_learn_word_and_char_wb_tfidf() -> None:
    """Same vocabulary, idf, sublinear tf and per-block l2 norm as two TfidfVectorizers
    (on texts without punctuation or clause words, which the engine drops from its words)."""
    words = tokenize_batch(TEXTS).words()
    ours = LexicalVectorizer().fit(words).transform(words).toarray()
    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(TEXTS)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(TEXTS)
    vectorizer = LexicalVectorizer().fit(words)
    n_word = len(vectorizer.word_vocabulary_)
    word_reference = word.transform(TEXTS).toarray()
    char_reference = char.transform(TEXTS).toarray()
    for term, column in word.vocabulary_.items():
        np.testing.assert_allclose(
            ours[:, vectorizer.word_vocabulary_[term]], word_reference[:, column], atol=1e-12
        )
    for term, column in char.vocabulary_.items():
        np.testing.assert_allclose(
            ours[:, n_word + vectorizer.char_vocabulary_[term]],
            char_reference[:, column],
            atol=1e-12,
        )
    assert ours.shape[1] == len(word.vocabulary_) + len(char.vocabulary_)


def test_lexical_vectorizer_ignores_unseen_terms_and_empty_sentences() -> None:
    vectorizer = LexicalVectorizer().fit(tokenize_batch(TEXTS).words())
    matrix = vectorizer.transform(tokenize_batch(["", "zzzz qqqq", "good food"]).words())
    assert matrix[0].nnz == 0
    assert matrix[1].nnz == 0
    assert matrix[2].nnz > 0
    assert np.isclose(np.sqrt((matrix[2].toarray() ** 2).sum()), np.sqrt(2.0))  # two blocks


@pytest.mark.parametrize("how", ["max", "min", "sum"])
def test_segment_reduce_against_a_loop(how: str) -> None:
    rng = np.random.default_rng(5)
    texts = [" ".join(rng.choice(list("abcdefgh"), size=n)) for n in rng.integers(0, 40, 600)]
    batch = tokenize_batch(texts)
    values = rng.standard_normal((len(batch.types), 7)).astype(np.float32)
    reduced = segment_reduce(values, batch, how)  # type: ignore[arg-type]
    for i in range(batch.n_sentences):
        rows = values[batch.token_type[batch.offsets[i] : batch.offsets[i + 1]]]
        if not len(rows):
            expected = np.zeros(7)
        elif how == "max":
            expected = rows.max(axis=0)
        elif how == "min":
            expected = rows.min(axis=0)
        else:
            expected = rows.sum(axis=0)
        np.testing.assert_allclose(reduced[i], expected, rtol=1e-5, atol=1e-5)


def test_pooled_embeddings_shape_and_unit_mean() -> None:
    batch = tokenize_batch(["a b", "", "c"]).words()
    vectors = np.eye(len(batch.types), 300, dtype=np.float32)
    pooled = pooled_embeddings(batch, vectors)
    assert pooled.shape == (3, 300 + 2 * 128)
    np.testing.assert_allclose(np.linalg.norm(pooled[[0, 2], :300], axis=1), 1.0, rtol=1e-6)
    assert not pooled[1].any()
