"""Features of sentences for tagging and polarity: word vectors and TF-IDF, computed per type.

Two kinds of signal are combined by the voice engine:

* **Embedding signal.** A static embedding model (a model2vec distillation of all-MiniLM-L6-v2,
  built by :mod:`outsidein.io.voice_model`) gives each word a vector. The core never loads it:
  it receives any object with an ``encode(texts) -> array`` method (:class:`TextEncoder`).
  Vectors are computed once per distinct word of a batch, then pooled per sentence (mean,
  max and min of the word vectors: the max and min keep a single strong word, such as
  "waitress", from being averaged away in a long sentence).
* **Lexical signal.** TF-IDF of word unigrams and bigrams and of character 3-5-grams inside
  word boundaries (as scikit-learn's ``char_wb`` analyzer), with sublinear term frequency and
  each block normalised to unit length. Character n-grams are computed per word type and summed
  per sentence, which gives exactly the ``char_wb`` counts at a fraction of the cost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
from scipy import sparse

from outsidein.core.voice_text import TokenBatch

FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


class TextEncoder(Protocol):
    """Anything that turns texts into one vector each (a model2vec ``StaticModel`` does)."""

    def encode(self, texts: Sequence[str]) -> npt.ArrayLike: ...


def unit_rows(matrix: npt.ArrayLike) -> Float32Array:
    """Rows scaled to unit length (zero rows stay zero)."""
    array = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(array, axis=-1, keepdims=True)
    return np.asarray(
        np.divide(array, norms, out=np.zeros_like(array), where=norms > 0), dtype=np.float32
    )


def encode_phrases(encoder: TextEncoder, phrases: Sequence[str]) -> Float32Array:
    """Unit vectors of ``phrases`` from ``encoder`` (checked to be one row per phrase)."""
    if not phrases:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = unit_rows(encoder.encode(list(phrases)))
    if vectors.ndim != 2 or vectors.shape[0] != len(phrases):
        raise ValueError(
            f"the encoder returned shape {vectors.shape} for {len(phrases)} texts; "
            "it must return one vector per text"
        )
    return vectors


def type_vectors(batch: TokenBatch, encoder: TextEncoder) -> Float32Array:
    """Unit vector of each word type of ``batch`` (zero for punctuation)."""
    word_ids = np.flatnonzero(batch.is_word)
    vectors = encode_phrases(encoder, [batch.types[i] for i in word_ids])
    out = np.zeros((len(batch.types), vectors.shape[1] if vectors.size else 1), dtype=np.float32)
    out[word_ids] = vectors
    return out


def sentence_type_counts(tokens: TokenBatch) -> sparse.csr_matrix:
    """Sentences × types: how often each type occurs in each sentence."""
    return _count_matrix(
        tokens.sentence_of_token(), tokens.token_type, (tokens.n_sentences, len(tokens.types))
    )


def padded_type_ids(
    tokens: TokenBatch, rows: IntArray, pad: int
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    """The type ids of sentences ``rows``, one row each, padded with ``pad`` to the longest
    (at least one column), and the mask of real tokens."""
    lengths = tokens.lengths[rows]
    longest = max(int(lengths.max(initial=0)), 1)
    inside = np.arange(longest)[None, :] < lengths[:, None]
    ids = np.full((rows.size, longest), pad, dtype=np.int64)
    positions = tokens.offsets[rows][:, None] + np.arange(longest)[None, :]
    ids[inside] = tokens.token_type[positions[inside]]
    return ids, inside


def rows_by_type(
    types: Sequence[str], base: npt.NDArray[np.floating[Any]], rows: Mapping[str, npt.ArrayLike]
) -> npt.NDArray[np.floating[Any]]:
    """A copy of ``base`` (one row per type) with the row of each type that ``rows`` knows
    replaced by that row."""
    table = np.array(base, copy=True)
    for t, word in enumerate(types):
        row = rows.get(word)
        if row is not None:
            table[t] = row
    return table


def segment_reduce(
    type_values: npt.NDArray[np.float32], tokens: TokenBatch, how: Literal["max", "min", "sum"]
) -> Float32Array:
    """Per sentence, the ``max``, ``min`` or ``sum`` over its tokens of their types' rows.

    Sentences without tokens give zeros. Sums are one sparse product (sentence × type counts
    times the type rows); maxima and minima gather the rows into a padded block per group of
    sentences of similar length, which numpy reduces far faster than ``ufunc.reduceat``.
    """
    n, width = tokens.n_sentences, type_values.shape[1]
    if how == "sum":
        return np.asarray(sentence_type_counts(tokens) @ type_values, dtype=np.float32)
    fill = -np.inf if how == "max" else np.inf
    padded = np.vstack([type_values, np.full((1, width), fill, dtype=type_values.dtype)])
    pad_id = type_values.shape[0]
    lengths = tokens.lengths
    order = np.argsort(lengths, kind="stable")
    out = np.zeros((n, width), dtype=np.float32)
    for start in range(0, n, _CHUNK_SENTENCES):
        rows = order[start : start + _CHUNK_SENTENCES]
        ids, _ = padded_type_ids(tokens, rows, pad_id)
        block = padded[ids]
        reduced = block.max(axis=1) if how == "max" else block.min(axis=1)
        out[rows] = np.where(lengths[rows][:, None] > 0, reduced, 0.0)
    return out


_CHUNK_SENTENCES = 256


POOLED_EXTREMES = 128
"""Leading dimensions whose per-sentence max and min are kept (the model's dimensions are
principal components in order of variance)."""


def pooled_embeddings(words: TokenBatch, vectors: Float32Array) -> Float32Array:
    """Per sentence: unit mean, max and min of its word vectors, side by side.

    The max and min are taken over the leading ``POOLED_EXTREMES`` dimensions only.
    """
    leading = np.ascontiguousarray(vectors[:, :POOLED_EXTREMES])
    return np.hstack(
        [
            unit_rows(segment_reduce(vectors, words, "sum")),
            segment_reduce(leading, words, "max"),
            segment_reduce(leading, words, "min"),
        ]
    )


CHAR_NGRAMS = (3, 5)
"""Lengths of the character n-grams, as scikit-learn's ``ngram_range`` (3-5: as accurate as
2-5 on MAMS-ACSA and a third faster)."""


def _char_ngrams(word: str, low: int, high: int) -> list[str]:
    padded = f" {word} "
    return [
        padded[start : start + n]
        for n in range(low, high + 1)
        for start in range(len(padded) - n + 1)
    ]


class LexicalVectorizer:
    """TF-IDF of word 1-2-grams and character 3-5-grams, fitted on a :class:`TokenBatch`.

    Equivalent to ``hstack([TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
    TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)])`` on the same
    tokens, computed per word type (see the module docstring).

    Parameters
    ----------
    min_df : int
        Terms seen in fewer training sentences are dropped.
    chars : bool
        Include the character n-gram block.
    """

    def __init__(self, *, min_df: int = 1, chars: bool = True) -> None:
        self.min_df = min_df
        self.chars = chars

    def fit(self, words: TokenBatch) -> LexicalVectorizer:
        unigrams, bigrams, grams = self._term_lists(words)
        n = words.n_sentences
        self.word_vocabulary_ = _vocabulary(
            (set(u) | set(b) for u, b in zip(unigrams, bigrams, strict=True)), self.min_df
        )
        self.char_vocabulary_ = _vocabulary((set(g) for g in grams), self.min_df)
        self.word_idf_ = self._idf(self._word_counts(words, self.word_vocabulary_), n)
        self.char_idf_ = self._idf(self._char_counts(words, self.char_vocabulary_), n)
        return self

    def transform(self, words: TokenBatch) -> sparse.csr_matrix:
        blocks = [self._tfidf(self._word_counts(words, self.word_vocabulary_), self.word_idf_)]
        if self.chars:
            blocks.append(
                self._tfidf(self._char_counts(words, self.char_vocabulary_), self.char_idf_)
            )
        return sparse.csr_matrix(sparse.hstack(blocks, format="csr"))

    # -- internals ----------------------------------------------------------------------------

    def _term_lists(
        self, words: TokenBatch
    ) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
        types = words.types
        unigrams: list[list[str]] = []
        bigrams: list[list[str]] = []
        grams: list[list[str]] = []
        char_cache: dict[int, list[str]] = {}
        for i in range(words.n_sentences):
            ids = words.token_type[words.offsets[i] : words.offsets[i + 1]].tolist()
            tokens = [types[t] for t in ids]
            unigrams.append(tokens)
            bigrams.append([f"{a} {b}" for a, b in pairwise(tokens)])
            if self.chars:
                sentence_grams: list[str] = []
                for t in set(ids):
                    if t not in char_cache:
                        char_cache[t] = _char_ngrams(types[t], CHAR_NGRAMS[0], CHAR_NGRAMS[1])
                    sentence_grams.extend(char_cache[t])
                grams.append(sentence_grams)
            else:
                grams.append([])
        return unigrams, bigrams, grams

    @staticmethod
    def _idf(counts: sparse.csr_matrix, n: int) -> FloatArray:
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        return np.asarray(np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0, dtype=np.float64)

    @staticmethod
    def _tfidf(counts: sparse.csr_matrix, idf: FloatArray) -> sparse.csr_matrix:
        weighted = counts.astype(np.float64)
        weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
        row_nnz = np.diff(weighted.indptr)
        squares = np.zeros(weighted.shape[0])
        nonempty = row_nnz > 0
        squares[nonempty] = np.add.reduceat(weighted.data**2, weighted.indptr[:-1][nonempty])
        norms = np.sqrt(squares)
        scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        weighted.data *= np.repeat(scale, row_nnz)
        return weighted

    @staticmethod
    def _word_counts(words: TokenBatch, vocabulary: dict[str, int]) -> sparse.csr_matrix:
        """Sentence × vocabulary counts of unigrams and bigrams."""
        n, types = words.n_sentences, words.types
        type_column = np.fromiter(
            (vocabulary.get(t, -1) for t in types), dtype=np.int64, count=len(types)
        )
        rows = words.sentence_of_token()
        columns = type_column[words.token_type]
        # bigrams: consecutive tokens of the same sentence, looked up once per distinct pair
        same = rows[1:] == rows[:-1]
        first, second = words.token_type[:-1][same], words.token_type[1:][same]
        codes = first * len(types) + second
        unique_codes, inverse = np.unique(codes, return_inverse=True)
        pair_column = np.fromiter(
            (
                vocabulary.get(f"{types[c // len(types)]} {types[c % len(types)]}", -1)
                for c in unique_codes.tolist()
            ),
            dtype=np.int64,
            count=unique_codes.size,
        )
        all_rows = np.concatenate([rows, rows[:-1][same]])
        all_columns = np.concatenate([columns, pair_column[inverse]])
        keep = all_columns >= 0
        return _count_matrix(all_rows[keep], all_columns[keep], (n, len(vocabulary)))

    def _char_counts(self, words: TokenBatch, vocabulary: dict[str, int]) -> sparse.csr_matrix:
        """Sentence × character n-gram counts: (sentence × type) @ (type × n-gram)."""
        if not self.chars:
            return sparse.csr_matrix((words.n_sentences, len(vocabulary)))
        used = np.unique(words.token_type)
        type_rows: list[int] = []
        gram_columns: list[int] = []
        for t in used.tolist():
            for gram in _char_ngrams(words.types[t], CHAR_NGRAMS[0], CHAR_NGRAMS[1]):
                column = vocabulary.get(gram)
                if column is not None:
                    type_rows.append(t)
                    gram_columns.append(column)
        type_grams = _count_matrix(
            np.asarray(type_rows, dtype=np.int64),
            np.asarray(gram_columns, dtype=np.int64),
            (len(words.types), len(vocabulary)),
        )
        return sparse.csr_matrix(sentence_type_counts(words) @ type_grams)


def _vocabulary(documents: Iterable[set[str]], min_df: int) -> dict[str, int]:
    frequency: Counter[str] = Counter()
    for terms in documents:
        frequency.update(terms)
    kept = sorted(term for term, count in frequency.items() if count >= min_df)
    return {term: i for i, term in enumerate(kept)}


def _count_matrix(rows: IntArray, columns: IntArray, shape: tuple[int, int]) -> sparse.csr_matrix:
    data = np.ones(rows.size, dtype=np.float64)
    matrix = sparse.csr_matrix((data, (rows, columns)), shape=shape)
    matrix.sum_duplicates()
    return matrix


def log_count_ratios(
    features: sparse.csr_matrix | npt.NDArray[np.floating[Any]],
    y: npt.NDArray[np.integer[Any]],
    alpha: float = 1.0,
) -> FloatArray:
    """Labels × features: log-count ratio of each feature's presence in rows with the label
    against those without (Wang & Manning 2012, NBSVM), smoothed by ``alpha``."""
    present = sparse.csr_matrix(features, copy=True)
    present.data = (present.data != 0).astype(np.float64)
    positive = np.asarray((sparse.csr_matrix(y.T.astype(np.float64)) @ present).todense())
    negative = np.asarray(present.sum(axis=0)).ravel() - positive
    positive += alpha
    negative += alpha
    return np.asarray(
        np.log(positive / positive.sum(axis=1, keepdims=True))
        - np.log(negative / negative.sum(axis=1, keepdims=True)),
        dtype=np.float64,
    )
