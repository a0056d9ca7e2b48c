"""A label-attention classifier over fine-tuned static word vectors (numpy only).

Each attribute has a query vector; a sentence is seen from an attribute as the
attention-weighted mean of its word vectors (softmax of word · query), and a logistic
regression reads that view. Trained end to end with Adam (Kingma & Ba 2015) on the
class-weighted binary cross-entropy, the word vectors included: they start from the static
embedding model and move towards what separates the firm's attributes. Words the training
sentences never used keep their static vectors, so the model still reads them. Pairs of
consecutive words are tokens too ("the check" is not "check"), starting from the unit sum of
their words' vectors. This is the
label-wise attention of Xiao et al. (2019, "Label-Specific Document Representation for
Multi-Label Text Classification") on a model2vec-style static model (Tulkens & van Dongen 2024),
kept small enough to train in seconds on two cores.

The gradients are written out by hand (the model is three products and a softmax);
``tests/core/test_voice_attention.py`` checks them against finite differences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from outsidein.core.voice_features import padded_type_ids, rows_by_type, unit_rows
from outsidein.core.voice_text import TokenBatch

FloatArray = npt.NDArray[np.floating[Any]]  # float64 to train, float32 to predict
Float32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class _Parameters:
    vectors: FloatArray  # vocabulary × d, fine-tuned
    queries: FloatArray  # attributes × d
    coef: FloatArray  # attributes × d
    intercept: FloatArray  # attributes


@dataclass(frozen=True, slots=True)
class _Gradients:
    rows: IntArray  # the vocabulary rows the batch used
    vectors: FloatArray  # their gradients, one per row
    queries: FloatArray
    coef: FloatArray
    intercept: FloatArray


@dataclass(frozen=True, slots=True)
class AttentionModel:
    """A fitted label-attention classifier (see the module docstring)."""

    vocabulary: dict[str, int]
    parameters: _Parameters
    word_pairs: bool = True

    def probabilities(
        self, words: TokenBatch, type_vectors: Float32Array
    ) -> npt.NDArray[np.float64]:
        """Sentences × attributes probabilities; ``type_vectors`` are the static vectors of
        ``words.types`` (used for words the model was not trained on)."""
        if self.word_pairs:
            words, type_vectors = with_word_pairs(words, type_vectors)
        tuned = self.parameters.vectors
        known = {word: tuned[row] for word, row in self.vocabulary.items()}
        table32 = rows_by_type(words.types, type_vectors, known).astype(np.float32)
        params32 = _Parameters(*(a.astype(np.float32) for a in _arrays(self.parameters)))
        n = words.n_sentences
        out = np.zeros((n, self.parameters.coef.shape[0]))
        order = np.argsort(words.lengths, kind="stable")  # similar lengths: little padding
        for start in range(0, n, _PREDICT_CHUNK):
            rows = order[start : start + _PREDICT_CHUNK]
            ids, mask = padded_type_ids(words, rows, 0)
            logits, _ = _forward(table32[ids], mask, params32)
            out[rows] = _sigmoid(np.asarray(logits, dtype=np.float64))
        return out


def fit_attention(
    words: TokenBatch,
    type_vectors: Float32Array,
    y: npt.NDArray[np.integer[Any]],
    *,
    epochs: int = 6,
    learning_rate: float = 1e-3,
    batch_size: int = 32,
    word_pairs: bool = True,
    random_state: int = 0,
) -> AttentionModel:
    """Train on ``words`` (sentences) with 0/1 labels ``y`` (sentences × attributes).

    With ``word_pairs``, each pair of consecutive words is a token too (see
    :func:`with_word_pairs`), so that the network can attend to "the check" apart from "check".
    """
    if y.shape[0] != words.n_sentences:
        raise ValueError(f"{words.n_sentences} sentences but {y.shape[0]} label rows")
    if word_pairs:
        words, type_vectors = with_word_pairs(words, type_vectors)
    used = np.unique(words.token_type)
    vocabulary = {words.types[t]: i for i, t in enumerate(used.tolist())}
    local = np.full(len(words.types), -1, dtype=np.int64)
    local[used] = np.arange(used.size)
    width = type_vectors.shape[1]
    n_attributes = y.shape[1]
    params = _Parameters(
        vectors=np.asarray(type_vectors[used], dtype=np.float64).copy(),
        queries=np.zeros((n_attributes, width)),
        coef=np.zeros((n_attributes, width)),
        intercept=np.zeros(n_attributes),
    )
    share = np.clip(y.mean(axis=0), 1e-6, 1 - 1e-6)
    positive_weight = (1.0 - share) / share  # as torch's pos_weight: balances each attribute
    adam = _Adam(params, learning_rate)
    rng = np.random.default_rng(random_state)
    labels = np.asarray(y, dtype=np.float64)
    for _ in range(epochs):
        permutation = rng.permutation(words.n_sentences)
        for start in range(0, words.n_sentences, batch_size):
            rows = permutation[start : start + batch_size]
            ids, mask = padded_type_ids(words, rows, 0)
            grads = _gradients(local[ids], mask, labels[rows], positive_weight, params)
            adam.step(params, grads)
    return AttentionModel(vocabulary=vocabulary, parameters=params, word_pairs=word_pairs)


def with_word_pairs(
    words: TokenBatch, type_vectors: Float32Array
) -> tuple[TokenBatch, Float32Array]:
    """Each sentence's words followed by its pairs of consecutive words as tokens of their own
    ("the check"); a pair's static vector is the unit sum of its two words' vectors."""
    n_types = len(words.types)
    sentence = words.sentence_of_token()
    same = sentence[1:] == sentence[:-1]
    codes = words.token_type[:-1][same] * n_types + words.token_type[1:][same]
    unique, inverse = np.unique(codes, return_inverse=True)
    first, second = unique // n_types, unique % n_types
    names = tuple(f"{words.types[a]} {words.types[b]}" for a, b in zip(first, second, strict=True))
    pair_vectors = unit_rows(type_vectors[first] + type_vectors[second])
    all_sentence = np.concatenate([sentence, sentence[1:][same]])
    all_type = np.concatenate([words.token_type, n_types + inverse.astype(np.int64)])
    order = np.argsort(all_sentence, kind="stable")  # per sentence: its words, then its pairs
    lengths = np.bincount(all_sentence, minlength=words.n_sentences)
    batch = TokenBatch(
        types=words.types + names,
        token_type=all_type[order],
        offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        is_word=np.concatenate([words.is_word, np.ones(len(names), dtype=np.bool_)]),
        is_boundary=np.concatenate([words.is_boundary, np.zeros(len(names), dtype=np.bool_)]),
    )
    return batch, np.vstack([type_vectors, pair_vectors]).astype(np.float32)


# -- the model ------------------------------------------------------------------------------

_PREDICT_CHUNK = 512


def _sigmoid(z: FloatArray) -> FloatArray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=np.float64)


def _forward(
    embedded: FloatArray, mask: npt.NDArray[np.bool_], params: _Parameters
) -> tuple[FloatArray, tuple[FloatArray, FloatArray]]:
    """Logits (batch × attributes) and the attention and views for the backward pass."""
    scores = embedded @ params.queries.T  # batch × length × attributes
    scores = np.where(mask[:, :, None], scores, -np.inf)
    scores -= np.max(np.where(mask[:, :, None], scores, -1e30), axis=1, keepdims=True)
    weights = np.where(mask[:, :, None], np.exp(scores), 0.0)
    total = weights.sum(axis=1, keepdims=True)
    attention = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    views = attention.transpose(0, 2, 1) @ embedded  # batch × attributes × d
    logits = np.sum(views * params.coef[None, :, :], axis=2) + params.intercept
    return logits, (attention, views)


def _gradients(
    local_ids: IntArray,
    mask: npt.NDArray[np.bool_],
    y: FloatArray,
    positive_weight: FloatArray,
    params: _Parameters,
) -> _Gradients:
    """Gradients of the mean weighted binary cross-entropy over the batch's cells."""
    embedded = params.vectors[np.maximum(local_ids, 0)] * mask[:, :, None]
    logits, (attention, views) = _forward(embedded, mask, params)
    p = _sigmoid(logits)
    # d/dz of -[w y log p + (1 - y) log(1 - p)]
    d_logits = ((1.0 - y) * p - positive_weight * y * (1.0 - p)) / y.size
    d_coef = np.sum(d_logits[:, :, None] * views, axis=0)
    d_intercept = d_logits.sum(axis=0)
    d_views = d_logits[:, :, None] * params.coef[None, :, :]  # batch × attributes × d
    d_attention = embedded @ d_views.transpose(0, 2, 1)  # batch × length × attributes
    d_embedded = attention @ d_views  # batch × length × d
    d_scores = attention * (d_attention - np.sum(attention * d_attention, axis=1, keepdims=True))
    width = embedded.shape[2]
    d_queries = d_scores.reshape(-1, d_scores.shape[2]).T @ embedded.reshape(-1, width)
    d_embedded += d_scores @ params.queries
    rows, compact = np.unique(local_ids[mask], return_inverse=True)
    scatter = sparse.csr_matrix(
        (np.ones(compact.size), (compact, np.arange(compact.size))),
        shape=(rows.size, compact.size),
    )
    d_vectors = np.asarray(scatter @ d_embedded[mask])  # only the rows the batch used
    return _Gradients(
        rows=rows, vectors=d_vectors, queries=d_queries, coef=d_coef, intercept=d_intercept
    )


def _loss(
    local_ids: IntArray,
    mask: npt.NDArray[np.bool_],
    y: FloatArray,
    positive_weight: FloatArray,
    params: _Parameters,
) -> float:
    """The objective whose gradients :func:`_gradients` computes (for the tests)."""
    embedded = params.vectors[np.maximum(local_ids, 0)] * mask[:, :, None]
    logits, _ = _forward(embedded, mask, params)
    log_p = -np.logaddexp(0.0, -logits)
    log_not_p = -np.logaddexp(0.0, logits)
    return float(-(positive_weight * y * log_p + (1.0 - y) * log_not_p).mean())


class _Adam:
    """Adam with the default betas, updating the parameters in place. The word vectors are
    updated lazily: only the rows a batch used, with their own moments (as TensorFlow's
    LazyAdam), which keeps a step proportional to the batch, not to the vocabulary."""

    def __init__(self, params: _Parameters, learning_rate: float) -> None:
        self.learning_rate = learning_rate
        self.t = 0
        self.m = [np.zeros_like(p) for p in _arrays(params)]
        self.v = [np.zeros_like(p) for p in _arrays(params)]

    def step(self, params: _Parameters, grads: _Gradients) -> None:
        self.t += 1
        beta1, beta2, eps = 0.9, 0.999, 1e-8
        correction1 = 1.0 - beta1**self.t
        correction2 = 1.0 - beta2**self.t
        parts = (grads.vectors, grads.queries, grads.coef, grads.intercept)
        for k, (p, g) in enumerate(zip(_arrays(params), parts, strict=True)):
            rows: IntArray | slice = grads.rows if k == 0 else slice(None)
            m = beta1 * self.m[k][rows] + (1.0 - beta1) * g
            v = beta2 * self.v[k][rows] + (1.0 - beta2) * g * g
            self.m[k][rows], self.v[k][rows] = m, v
            p[rows] -= self.learning_rate * (m / correction1) / (np.sqrt(v / correction2) + eps)


def _arrays(params: _Parameters) -> tuple[FloatArray, ...]:
    return (params.vectors, params.queries, params.coef, params.intercept)
