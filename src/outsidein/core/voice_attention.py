"""A label-attention classifier over fine-tuned static word vectors (numpy only).

Each attribute has a few attention heads, each a query vector; a head sees a sentence as the
attention-weighted mean of its word vectors (softmax of word · query) and reads that view with
its own coefficients; the heads' logits add up to the attribute's. Trained end to end with
Adam (Kingma & Ba 2015) on the class-weighted binary cross-entropy, the word vectors included:
they start from the static embedding model and move towards what separates the firm's
attributes. Words the training sentences never used keep their static vectors, so the model
still reads them. Pairs of consecutive words are tokens too ("the check" is not "check"),
starting from the unit sum of their words' vectors. This is the label-wise attention of Xiao
et al. (2019, "Label-Specific Document Representation for Multi-Label Text Classification")
on a model2vec-style static model (Tulkens & van Dongen 2024), kept small enough to train in
seconds on two cores.

Because a head's logit is the attention-weighted mean of word · coef, both products with the
word vectors (word · query and word · coef) are taken once per word type, not per token; the
tokens only gather and softmax those numbers. The gradients are written out by hand and
``tests/core/test_voice_attention.py`` checks them against finite differences, and the
per-type shortcut against the model written out sentence by sentence.
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
        params = self.parameters
        known = {word: params.vectors[row] for word, row in self.vocabulary.items()}
        table = rows_by_type(words.types, type_vectors, known).astype(np.float32)
        scores_by_type = table @ params.queries.T.astype(np.float32)
        values_by_type = table @ params.coef.T.astype(np.float32)
        intercept = params.intercept.astype(np.float32)
        n = words.n_sentences
        out = np.zeros((n, params.intercept.shape[0]))
        order = np.argsort(words.lengths, kind="stable")  # similar lengths: little padding
        for start in range(0, n, _PREDICT_CHUNK):
            rows = order[start : start + _PREDICT_CHUNK]
            ids, mask = padded_type_ids(words, rows, 0)
            logits, _ = _forward(
                ids, mask, scores_by_type, values_by_type, _n_heads(params), intercept
            )
            out[rows] = _sigmoid(np.asarray(logits, dtype=np.float64))
        return out

    @property
    def heads(self) -> int:
        """Attention heads per attribute."""
        return _n_heads(self.parameters)


QUERY_INIT = 0.1


def fit_attention(
    words: TokenBatch,
    type_vectors: Float32Array,
    y: npt.NDArray[np.integer[Any]],
    *,
    epochs: int = 6,
    learning_rate: float = 1e-3,
    batch_size: int = 32,
    word_pairs: bool = True,
    heads: int = 4,
    random_state: int = 0,
) -> AttentionModel:
    """Train on ``words`` (sentences) with 0/1 labels ``y`` (sentences × attributes).

    Each attribute has ``heads`` queries, each with its own coefficients, whose logits add up:
    one head can attend to "waiter", another to "rude". The queries start at small random
    values (standard deviation ``QUERY_INIT``), which breaks the symmetry between the heads.

    With ``word_pairs``, each pair of consecutive words is a token too (see
    :func:`with_word_pairs`), so that the network can attend to "the check" apart from "check".
    """
    if y.shape[0] != words.n_sentences:
        raise ValueError(f"{words.n_sentences} sentences but {y.shape[0]} label rows")
    if heads < 1:
        raise ValueError("heads must be at least 1")
    if word_pairs:
        words, type_vectors = with_word_pairs(words, type_vectors)
    used = np.unique(words.token_type)
    vocabulary = {words.types[t]: i for i, t in enumerate(used.tolist())}
    local = np.full(len(words.types), -1, dtype=np.int64)
    local[used] = np.arange(used.size)
    width = type_vectors.shape[1]
    n_attributes = y.shape[1]
    rng = np.random.default_rng(random_state)
    params = _Parameters(  # column a * heads + h: attribute a's head h
        vectors=np.asarray(type_vectors[used], dtype=np.float64).copy(),
        queries=rng.normal(0.0, QUERY_INIT, size=(n_attributes * heads, width)),
        coef=np.zeros((n_attributes * heads, width)),
        intercept=np.zeros(n_attributes),
    )
    share = np.clip(y.mean(axis=0), 1e-6, 1 - 1e-6)
    positive_weight = (1.0 - share) / share  # as torch's pos_weight: balances each attribute
    adam = _Adam(params, learning_rate)
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


@dataclass(frozen=True, slots=True)
class _Pass:
    """What the forward pass keeps for the backward pass (``columns`` = attributes × heads)."""

    attention: FloatArray  # batch × length × columns
    values: FloatArray  # batch × length × columns: each token's word · coef
    heads: FloatArray  # batch × columns: each head's contribution to its attribute's logit


def _forward(
    ids: IntArray,
    mask: npt.NDArray[np.bool_],
    scores_by_type: FloatArray,
    values_by_type: FloatArray,
    n_heads: int,
    intercept: FloatArray,
) -> tuple[FloatArray, _Pass]:
    """Logits (batch × attributes) of the padded sentences ``ids``.

    A head's view of a sentence is the attention-weighted mean of its word vectors and its
    logit the view · coef, so it is also the attention-weighted mean of word · coef: with
    ``scores_by_type`` (word · query) and ``values_by_type`` (word · coef) computed once per
    word type, no token needs a product in the vectors' dimension.
    """
    scores = np.where(mask[:, :, None], scores_by_type[ids], -np.inf)
    scores -= np.max(np.where(mask[:, :, None], scores, -1e30), axis=1, keepdims=True)
    weights = np.where(mask[:, :, None], np.exp(scores), 0.0)
    total = weights.sum(axis=1, keepdims=True)
    attention = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    values = values_by_type[ids]
    heads = np.sum(attention * values, axis=1)
    logits = heads.reshape(heads.shape[0], -1, n_heads).sum(axis=2) + intercept
    return logits, _Pass(attention=attention, values=values, heads=heads)


def _n_heads(params: _Parameters) -> int:
    return int(params.queries.shape[0] // params.intercept.shape[0])


def _batch_forward(
    local_ids: IntArray, mask: npt.NDArray[np.bool_], params: _Parameters
) -> tuple[FloatArray, _Pass, IntArray, IntArray]:
    """The forward pass on the vocabulary rows a batch uses: logits, the pass, those rows and
    the batch's ids into them."""
    rows, compact = np.unique(np.where(mask, local_ids, -1), return_inverse=True)
    compact = compact.reshape(local_ids.shape)
    if rows[0] < 0:  # padding, if any, is slot 0 and masked out
        rows = rows[1:]
        compact = np.maximum(compact - 1, 0)
    vectors = params.vectors[rows]
    logits, state = _forward(
        compact,
        mask,
        vectors @ params.queries.T,
        vectors @ params.coef.T,
        _n_heads(params),
        params.intercept,
    )
    return logits, state, rows, compact


def _gradients(
    local_ids: IntArray,
    mask: npt.NDArray[np.bool_],
    y: FloatArray,
    positive_weight: FloatArray,
    params: _Parameters,
) -> _Gradients:
    """Gradients of the mean weighted binary cross-entropy over the batch's cells."""
    logits, state, rows, compact = _batch_forward(local_ids, mask, params)
    p = _sigmoid(logits)
    # d/dz of -[w y log p + (1 - y) log(1 - p)]
    d_logits = ((1.0 - y) * p - positive_weight * y * (1.0 - p)) / y.size
    d_heads = np.repeat(d_logits, _n_heads(params), axis=1)[:, None, :]  # batch × 1 × columns
    d_values = state.attention * d_heads
    # softmax: d score = attention * (d attention - sum(attention * d attention)), where
    # d attention = d head * value and sum(attention * value) is the head itself
    d_scores = d_values * (state.values - state.heads[:, None, :])
    # every token's gradients, summed per vocabulary row the batch used
    where = compact[mask]
    scatter = sparse.csr_matrix(
        (np.ones(where.size), (where, np.arange(where.size))), shape=(rows.size, where.size)
    )
    d_scores_by_type = np.asarray(scatter @ d_scores[mask])  # rows × columns
    d_values_by_type = np.asarray(scatter @ d_values[mask])
    vectors = params.vectors[rows]
    return _Gradients(
        rows=rows,
        vectors=d_scores_by_type @ params.queries + d_values_by_type @ params.coef,
        queries=d_scores_by_type.T @ vectors,
        coef=d_values_by_type.T @ vectors,
        intercept=d_logits.sum(axis=0),
    )


def _loss(
    local_ids: IntArray,
    mask: npt.NDArray[np.bool_],
    y: FloatArray,
    positive_weight: FloatArray,
    params: _Parameters,
) -> float:
    """The objective whose gradients :func:`_gradients` computes (for the tests)."""
    logits, *_ = _batch_forward(local_ids, mask, params)
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
