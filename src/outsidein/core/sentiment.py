"""Polarity of what a sentence says about an attribute, and of the sentence as a whole.

A sentence often says two things: "the food was great but the waiter was rude". The polarity
of an attribute is therefore read from the words *near where the sentence speaks about it*:

1. The **anchors** are the words most relevant to the attribute: its learned relevance when the
   tagger was trained on labelled sentences (naive-Bayes log-count ratios,
   :mod:`outsidein.core.voice_tagging`), else its affinity
   (:mod:`outsidein.core.voice_attributes`). Each word has the strength
   ``(relevance / best relevance in the sentence) ** anchor_sharpness``; up to ``anchors``
   words of strength at least ``anchor_floor`` anchor: "the food ... the food" has two.
2. Each word gets the weight ``max over anchors of strength * exp(-distance / window)``,
   multiplied by ``cross_clause`` when a clause boundary ("," ";" "but" "mutta" "aber"...)
   lies between the word and that anchor.
3. Negation marks the next three words of its clause (``NOT_good``; see
   :func:`~outsidein.core.voice_text.negation_marks`).
4. A logistic regression per polarity (one against the others, on word features scaled by
   their naive-Bayes log-count ratio: NB-LR, Wang & Manning 2012) reads the weighted words and
   word pairs, the words of the whole sentence, the best anchor word itself and its affinity,
   and (with embeddings) the weighted mean of the word vectors. Their logits go through a
   softmax. With ``attribute_aware`` it also learns attribute-specific words and base rates,
   which needs polarity labels for the firm's own attributes.

Whole-sentence polarity uses the same model with every word weighted 1 and no anchor.

The package ships attribute-agnostic models of this form as plain data
(:class:`PolarityWeights`), trained on the MAMS-ACSA training split (Jiang et al. 2019,
Apache-2.0) by ``scripts/train_polarity_weights.py``: one that reads the weighted mean word
vector too, tied to the static model whose vectors it read, and a lexical one;
:mod:`outsidein.io.voice_model` loads them.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse
from sklearn.linear_model import LogisticRegression

from outsidein.core.voice_features import FloatArray, log_count_ratios
from outsidein.core.voice_tagging import SentenceBatch
from outsidein.core.voice_text import STOPWORDS

IntArray = npt.NDArray[np.int64]
Indices = Sequence[int] | npt.NDArray[np.integer[Any]]


class Polarity(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


POLARITIES: tuple[Polarity, ...] = (Polarity.NEGATIVE, Polarity.NEUTRAL, Polarity.POSITIVE)
LEXICON_FEATURES = ("lexicon_positive", "lexicon_negative")
NEGATED_VALENCE = -0.74
"""A negated word's valence is its own times this (VADER's N_SCALAR; Hutto & Gilbert 2014)."""
WHOLE_SENTENCE = -1
"""Attribute index meaning "the sentence as a whole" (no anchor)."""
CORRECTION_PENALTY = 0.3
"""Penalty of :meth:`AspectPolarity.corrected` (see there)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PolarityWeights:
    """A fitted attribute-agnostic polarity model as plain data (what ships in the package)."""

    features: tuple[str, ...]
    coef: tuple[tuple[float, ...], ...]  # one row per polarity, in POLARITIES order
    intercept: tuple[float, ...]
    window: float
    cross_clause: float
    source: str
    anchors: int = 1
    anchor_floor: float = 1.0
    anchor_sharpness: float = 1.0
    dense: tuple[str, ...] = ("anchor_affinity",)  # the last features, in this order
    # weights that read word vectors: their scale, and the static model whose vectors they read
    embedding_weight: float = 0.0
    vectors_sha256: str | None = None

    @property
    def reads_lexicon(self) -> bool:
        return LEXICON_FEATURES[0] in self.dense

    @property
    def reads_vectors(self) -> bool:
        return self.embedding_weight > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "window": self.window,
            "cross_clause": self.cross_clause,
            "anchors": self.anchors,
            "anchor_floor": self.anchor_floor,
            "anchor_sharpness": self.anchor_sharpness,
            "dense": list(self.dense),
            **(
                {"embedding_weight": self.embedding_weight, "vectors_sha256": self.vectors_sha256}
                if self.reads_vectors
                else {}
            ),
            "classes": [str(p) for p in POLARITIES],
            "intercept": list(self.intercept),
            "features": {
                name: [row[i] for row in self.coef] for i, name in enumerate(self.features)
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PolarityWeights:
        if list(data.get("classes", [])) != [str(p) for p in POLARITIES]:
            raise ValueError(f"polarity weights must list the classes {list(POLARITIES)}")
        features = dict(data["features"])
        names = tuple(features)
        coef = tuple(tuple(float(features[n][k]) for n in names) for k in range(len(POLARITIES)))
        return cls(
            features=names,
            coef=coef,
            intercept=tuple(float(v) for v in data["intercept"]),
            window=float(data["window"]),
            cross_clause=float(data["cross_clause"]),
            source=str(data.get("source", "")),
            anchors=int(data.get("anchors", 1)),
            anchor_floor=float(data.get("anchor_floor", 1.0)),
            anchor_sharpness=float(data.get("anchor_sharpness", 1.0)),
            dense=tuple(str(d) for d in data.get("dense", ("anchor_affinity",))),
            embedding_weight=float(data.get("embedding_weight", 0.0)),
            vectors_sha256=data.get("vectors_sha256"),
        )


@dataclass(frozen=True, slots=True)
class _PairTerms:
    """Candidate features of (sentence, attribute) pairs, as batch-local codes and values."""

    rows: list[IntArray]
    keys: list[list[str]]  # per family: the feature name of each code
    codes: list[IntArray]
    values: list[FloatArray]
    dense: FloatArray  # anchor affinity, optional lexicon sums, embedding block, prior
    # the words of the whole sentence, once per distinct sentence (shared by its pairs)
    sentence_of_pair: IntArray  # index into the distinct sentences
    sentence_rows: IntArray
    sentence_keys: list[str]
    sentence_codes: IntArray
    # at prediction: the embedding block's share of the logits, in place of the block itself
    vector_logits: FloatArray | None = None


class AspectPolarity:
    """Polarity of attributes within sentences (see the module docstring).

    Parameters
    ----------
    window : float
        Distance (in tokens) at which a word's weight falls to 1/e of the anchor's.
    cross_clause : float
        Weight factor for words in another clause than the anchor.
    anchors : int
        At most this many anchors per (sentence, attribute).
    anchor_floor : float
        A word anchors when its strength (below) is at least this.
    anchor_sharpness : float
        An anchor's strength is ``(relevance / best relevance) ** anchor_sharpness``.
    attribute_aware : bool
        Learn attribute-specific words and base rates (needs labels for those attributes).
    embedding_weight : float
        Scale of the weighted-mean word vector block; 0 leaves embeddings out.
    lexicon : mapping of word to valence, optional
        A general sentiment lexicon (valence on -4..4, as VADER's; Hutto & Gilbert 2014): the
        weighted sums of the positive and of the negative valences near the anchor become two
        features, which carry polarity to words the labelled sentences never showed (a model
        trained on restaurant reviews then still reads "damaged" or "delayed" in a logistics
        firm's feedback).
    prior : AspectPolarity, optional
        A fitted model (the shipped one) whose log-probabilities become three more features:
        trained on a firm's few labelled pairs, the model then corrects what the prior gets
        wrong in the firm's language instead of starting from nothing.
    C : float
        Inverse regularisation strength of the logistic regressions.
    min_count : int
        Features seen in fewer training pairs are dropped.
    random_state : int
        Seed for the solver (liblinear is deterministic here; kept for the estimator contract).
    """

    def __init__(
        self,
        *,
        window: float = 3.0,
        cross_clause: float = 0.0,
        anchors: int = 3,
        anchor_floor: float = 0.3,
        anchor_sharpness: float = 4.0,
        attribute_aware: bool = True,
        embedding_weight: float = 2.0,
        lexicon: Mapping[str, float] | None = None,
        prior: AspectPolarity | None = None,
        C: float = 1.0,
        min_count: int = 2,
        random_state: int = 0,
    ) -> None:
        self.window = window
        self.cross_clause = cross_clause
        self.anchors = anchors
        self.anchor_floor = anchor_floor
        self.anchor_sharpness = anchor_sharpness
        self.attribute_aware = attribute_aware
        self.embedding_weight = embedding_weight
        self.lexicon = lexicon
        self.prior = prior
        self.C = C
        self.min_count = min_count
        self.random_state = random_state

    @classmethod
    def from_weights(
        cls, weights: PolarityWeights, *, lexicon: Mapping[str, float] | None = None
    ) -> Self:
        """A fitted, attribute-agnostic model from shipped weights (and the sentiment lexicon
        they were trained with, if they read one). Weights that read word vectors need batches
        prepared with the static model they name (``vectors_sha256``)."""
        if weights.reads_lexicon and lexicon is None:
            raise ValueError("these polarity weights read a sentiment lexicon: pass lexicon=")
        model = cls(
            lexicon=lexicon if weights.reads_lexicon else None,
            window=weights.window,
            cross_clause=weights.cross_clause,
            anchors=weights.anchors,
            anchor_floor=weights.anchor_floor,
            anchor_sharpness=weights.anchor_sharpness,
            attribute_aware=False,
            embedding_weight=weights.embedding_weight,
        )
        n_dense = len(weights.dense)
        if tuple(weights.features[-n_dense:]) != weights.dense:
            raise ValueError("polarity weights: the dense features must come last")
        model.vocabulary_ = {name: i for i, name in enumerate(weights.features[:-n_dense])}
        model.coef_ = np.asarray(weights.coef, dtype=np.float64)
        model.intercept_ = np.asarray(weights.intercept, dtype=np.float64)
        model.n_dense_ = n_dense
        model.attribute_ids_ = ()
        model.corrections_ = {}
        return model

    def to_weights(self, *, source: str, vectors_sha256: str | None = None) -> PolarityWeights:
        """The fitted model as plain data; only for attribute-agnostic models without a prior.
        A model that reads word vectors needs the SHA-256 of the static model that made them
        (``vectors_sha256``)."""
        if self.attribute_aware or self.prior is not None:
            raise ValueError("only attribute-agnostic models without a prior can be shipped")
        if self.embedding_weight and not vectors_sha256:
            raise ValueError("a model that reads word vectors needs vectors_sha256")
        names = sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)
        start, stop = self._vector_columns()
        dense = (
            "anchor_affinity",
            *(LEXICON_FEATURES if self.lexicon is not None else ()),
            *(f"vector_{i}" for i in range(stop - start)),
        )
        names.extend(dense)
        coef = tuple(tuple(float(v) for v in row) for row in self.coef_)
        return PolarityWeights(
            features=tuple(names),
            coef=coef,
            intercept=tuple(float(v) for v in self.intercept_),
            window=self.window,
            cross_clause=self.cross_clause,
            source=source,
            anchors=self.anchors,
            anchor_floor=self.anchor_floor,
            anchor_sharpness=self.anchor_sharpness,
            dense=dense,
            embedding_weight=float(self.embedding_weight),
            vectors_sha256=vectors_sha256 if self.embedding_weight else None,
        )

    # -- fitting ------------------------------------------------------------------------------

    def fit(
        self,
        batch: SentenceBatch,
        sentence: Indices,
        attribute: Indices,
        polarity: Sequence[Polarity | str],
        *,
        attribute_ids: Sequence[str] = (),
    ) -> Self:
        """Learn from (sentence index, attribute index, polarity) triples of ``batch``."""
        if not len(sentence) == len(attribute) == len(polarity):
            raise ValueError("sentence, attribute and polarity must have the same length")
        if not sentence:
            raise ValueError("no labelled pairs to learn polarity from")
        y = np.array([POLARITIES.index(Polarity(p)) for p in polarity])
        self.attribute_ids_ = tuple(attribute_ids)
        self.corrections_: dict[str, tuple[float, float]] = {}
        terms = self._terms(batch, np.asarray(sentence), np.asarray(attribute))
        frequency: dict[str, int] = {}
        for rows, keys, codes in zip(terms.rows, terms.keys, terms.codes, strict=True):
            pair_codes = np.unique(rows * (len(keys) + 1) + codes)
            counts = np.bincount(pair_codes % (len(keys) + 1), minlength=len(keys))
            for code in np.flatnonzero(counts):
                frequency[keys[code]] = frequency.get(keys[code], 0) + int(counts[code])
        # sentence words: each distinct (sentence, word) counts once per pair of that sentence
        width = len(terms.sentence_keys) + 1
        entries = np.unique(terms.sentence_rows * width + terms.sentence_codes)
        pairs_per_sentence = np.bincount(terms.sentence_of_pair)
        sentence_counts = np.bincount(
            entries % width, weights=pairs_per_sentence[entries // width], minlength=width
        )
        for code in np.flatnonzero(sentence_counts[:-1]):
            key = terms.sentence_keys[code]
            frequency[key] = frequency.get(key, 0) + int(sentence_counts[code])
        kept = sorted(name for name, count in frequency.items() if count >= self.min_count)
        self.vocabulary_ = {name: i for i, name in enumerate(kept)}
        self.n_dense_ = terms.dense.shape[1]
        features = self._matrix(terms, len(sentence))
        coef = np.zeros((len(POLARITIES), features.shape[1]))
        intercept = np.full(len(POLARITIES), -1e3)  # classes never seen: never predicted
        classes = np.unique(y)
        if classes.size == 1:
            intercept[classes[0]] = 0.0
            self.coef_, self.intercept_ = coef, intercept
            return self
        self._fit_one_vs_rest(features, y, classes, coef, intercept)
        self.coef_, self.intercept_ = coef, intercept
        return self

    def _fit_one_vs_rest(
        self,
        features: sparse.csr_matrix,
        y: IntArray,
        classes: IntArray,
        coef: FloatArray,
        intercept: FloatArray,
    ) -> None:
        """One logistic regression per polarity against the others, on the word features scaled
        by their log-count ratio for that polarity (NB-LR, as the tagger's lexical member); the
        scale folds into the coefficients. Dense features keep scale 1."""
        n_words = len(self.vocabulary_)
        one_hot = np.eye(len(POLARITIES), dtype=np.int64)[y]
        ratios = log_count_ratios(features[:, :n_words], one_hot)
        for k in classes.tolist():
            scale = np.concatenate([ratios[k], np.ones(features.shape[1] - n_words)])
            model = LogisticRegression(
                C=self.C, solver="liblinear", max_iter=5000, random_state=self.random_state
            ).fit(features.multiply(scale).tocsr(), one_hot[:, k])
            coef[k], intercept[k] = model.coef_[0] * scale, model.intercept_[0]

    # -- correction by signed examples --------------------------------------------------------

    def corrected(
        self,
        batch: SentenceBatch,
        sentence: Indices,
        attribute: Indices,
        polarity: Sequence[Polarity | str],
        *,
        penalty: float = CORRECTION_PENALTY,
    ) -> AspectPolarity:
        """This fitted model corrected by a firm's signed examples ("late delivery": negative).

        A model trained on restaurant reviews does not know that "late" is the complaint of a
        logistics firm. The firm's example phrases of what praise and complaints sound like
        teach it: each content word near the attribute (the ``u:`` features, weighted as this
        model weighs them) gets a negative and a positive weight, learned by maximising the
        penalised likelihood of ``polarity`` under

            p(k | pair) ∝ p_this(k | pair) · exp(w_k · x)     (w_neutral = 0)

        with penalty ``penalty / 2 · ‖w‖²``. The fitted model's probabilities enter as an
        offset, so the examples only move what they are about: a sentence none of their
        content words is near is read exactly as before. Neutral is the reference class, so
        examples that all praise or complain still leave room for neutral readings. As the
        correction is linear in this model's own features, it folds into a copy's
        coefficients: prediction costs nothing more. ``corrections_`` holds the learned
        weights per word, for explanation.

        The default penalty (0.3) is the smallest of 0.03, 0.1, 0.3 and 1 that left both shipped
        models' accuracy on MAMS-ACSA val as it was with 48 restaurant phrases, where the models
        already know the domain: smaller penalties let a phrase or two outweigh what thousands
        of labelled sentences taught (``benchmarks/voice.py``).
        """
        if not hasattr(self, "coef_"):
            raise RuntimeError("this AspectPolarity is not fitted yet: call fit() first")
        if not len(sentence) == len(attribute) == len(polarity):
            raise ValueError("sentence, attribute and polarity must have the same length")
        if penalty <= 0:
            raise ValueError("penalty must be positive")
        pairs_sentence = np.asarray(sentence, dtype=np.int64)
        pairs_attribute = np.asarray(attribute, dtype=np.int64)
        y = np.array([POLARITIES.index(Polarity(p)) for p in polarity], dtype=np.int64)
        terms = self._terms(batch, pairs_sentence, pairs_attribute)
        rows, keys, codes, values = terms.rows[0], terms.keys[0], terms.codes[0], terms.values[0]
        content = np.array([_is_content_word(key.removeprefix("u:")) for key in keys], dtype=bool)
        # the anchor is what the example is about ("delivery" in "late delivery"), not how it
        # went: its occurrences teach nothing
        anchor_code = np.full(pairs_sentence.size, -1, dtype=np.int64)
        anchor_code[terms.rows[2]] = terms.codes[2]
        keep = content[codes] & (codes != anchor_code[rows]) if codes.size else content[codes]
        used, column = np.unique(codes[keep], return_inverse=True)
        x = sparse.csr_matrix(
            (values[keep], (rows[keep], column)), shape=(pairs_sentence.size, used.size)
        )
        offset = np.log(
            np.maximum(self.predict_proba(batch, pairs_sentence, pairs_attribute), 1e-12)
        )
        weights = _fit_correction(x, offset, y, penalty)
        model = copy.copy(self)
        n_words = len(self.vocabulary_)
        word_coef = self.coef_[:, :n_words].copy()
        vocabulary = dict(self.vocabulary_)
        added: list[FloatArray] = []
        corrections = dict(self.corrections_)
        for code, (negative, positive) in zip(used.tolist(), weights.tolist(), strict=True):
            if negative == 0.0 and positive == 0.0:
                continue
            key = keys[code]
            earlier = corrections.get(key.removeprefix("u:"), (0.0, 0.0))
            corrections[key.removeprefix("u:")] = (earlier[0] + negative, earlier[1] + positive)
            delta = np.array([negative, 0.0, positive])
            if key in vocabulary:
                word_coef[:, vocabulary[key]] += delta
            else:
                vocabulary[key] = n_words + len(added)
                added.append(delta)
        model.vocabulary_ = vocabulary
        model.coef_ = np.hstack(
            [word_coef, np.array(added).T.reshape(len(POLARITIES), -1), self.coef_[:, n_words:]]
        )
        model.corrections_ = corrections
        return model

    # -- prediction ---------------------------------------------------------------------------

    def predict_proba(
        self, batch: SentenceBatch, sentence: Indices, attribute: Indices
    ) -> FloatArray:
        """Pairs × (negative, neutral, positive) probabilities.

        ``attribute[i] == WHOLE_SENTENCE`` asks for the polarity of the whole sentence.
        """
        if not hasattr(self, "coef_"):
            raise RuntimeError("this AspectPolarity is not fitted yet: call fit() first")
        if len(sentence) == 0:
            return np.zeros((0, len(POLARITIES)))
        n_words = len(self.vocabulary_)
        dense_coef = self.coef_[:, n_words:]
        start, stop = self._vector_columns()
        if stop > start and batch.vectors is None:
            raise ValueError(
                "this polarity model reads word vectors: prepare the sentences with the static "
                "embedding model it was trained with"
            )
        # the block's logits come from one product per word type, not per (pair, dimension)
        vector_coef = self.embedding_weight * dense_coef[:, start:stop].T
        terms = self._terms(
            batch, np.asarray(sentence), np.asarray(attribute), vector_coef=vector_coef
        )
        logits = (
            np.asarray(self._word_matrix(terms, len(sentence)) @ self.coef_[:, :n_words].T)
            + terms.dense @ np.delete(dense_coef, np.s_[start:stop], axis=1).T
            + self.intercept_
        )
        if terms.vector_logits is not None:
            logits += terms.vector_logits
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float64)

    def predict(
        self, batch: SentenceBatch, sentence: Indices, attribute: Indices
    ) -> list[Polarity]:
        probabilities = self.predict_proba(batch, sentence, attribute)
        return [POLARITIES[k] for k in probabilities.argmax(axis=1)]

    # -- features -----------------------------------------------------------------------------

    def _vector_columns(self) -> tuple[int, int]:
        """Where the embedding block lies among the dense features (empty if fitted without):
        after the anchor affinity and the lexicon sums, before the prior's log-probabilities."""
        start = 1 + (len(LEXICON_FEATURES) if self.lexicon is not None else 0)
        stop = self.n_dense_ - (len(POLARITIES) if self.prior is not None else 0)
        return start, stop

    def _matrix(self, terms: _PairTerms, n_pairs: int) -> sparse.csr_matrix:
        """The pairs' features: the word features, then the dense ones."""
        dense = terms.dense[:, : self.n_dense_]
        return sparse.csr_matrix(
            sparse.hstack([self._word_matrix(terms, n_pairs), sparse.csr_matrix(dense)])
        )

    def _word_matrix(self, terms: _PairTerms, n_pairs: int) -> sparse.csr_matrix:
        vocabulary = self.vocabulary_
        rows: list[IntArray] = []
        columns: list[IntArray] = []
        values: list[FloatArray] = []
        for family_rows, keys, codes, family_values in zip(
            terms.rows, terms.keys, terms.codes, terms.values, strict=True
        ):
            lookup = np.fromiter(
                (vocabulary.get(k, -1) for k in keys), dtype=np.int64, count=len(keys)
            )
            column = lookup[codes] if codes.size else codes
            keep = column >= 0
            rows.append(family_rows[keep])
            columns.append(column[keep])
            values.append(family_values[keep])
        sparse_part = sparse.csr_matrix(
            (np.concatenate(values), (np.concatenate(rows), np.concatenate(columns))),
            shape=(n_pairs, len(vocabulary)),
        )
        lookup = np.fromiter(
            (vocabulary.get(k, -1) for k in terms.sentence_keys),
            dtype=np.int64,
            count=len(terms.sentence_keys),
        )
        column = lookup[terms.sentence_codes]
        keep = column >= 0
        per_sentence = sparse.csr_matrix(
            (np.ones(int(keep.sum())), (terms.sentence_rows[keep], column[keep])),
            shape=(int(terms.sentence_of_pair.max(initial=-1)) + 1, len(vocabulary)),
        )
        return sparse.csr_matrix(sparse_part + per_sentence[terms.sentence_of_pair])

    def _terms(
        self,
        batch: SentenceBatch,
        sentence: IntArray,
        attribute: IntArray,
        *,
        vector_coef: FloatArray | None = None,
    ) -> _PairTerms:
        """The pairs' candidate features. With ``vector_coef`` (dimensions × polarities, the
        fitted embedding block's coefficients times ``embedding_weight``; empty when the model
        was fitted without vectors), the block's share of the logits replaces the block."""
        tokens = batch.tokens
        lengths = tokens.lengths[sentence]
        pair = np.repeat(np.arange(sentence.size), lengths)
        start = np.repeat(tokens.offsets[sentence], lengths)
        within = np.arange(pair.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        position = start + within
        whole = attribute == WHOLE_SENTENCE
        weight, anchor = self._anchor_weights(batch, attribute, pair, position, whole)
        has_anchor = anchor >= 0
        mark = batch.marks[position]
        is_word = mark >= 0
        names = batch.mark_names
        n_names = len(names)
        rows: list[IntArray] = []
        keys: list[list[str]] = []
        codes: list[IntArray] = []
        values: list[FloatArray] = []
        # u: weighted words; s: words of the whole sentence
        rows.append(pair[is_word])
        keys.append([f"u:{n}" for n in names])
        codes.append(mark[is_word])
        values.append(weight[is_word])
        distinct, sentence_of_pair = np.unique(sentence, return_inverse=True)
        distinct_lengths = tokens.lengths[distinct]
        distinct_row = np.repeat(np.arange(distinct.size), distinct_lengths)
        distinct_position = (
            np.repeat(tokens.offsets[distinct], distinct_lengths)
            + np.arange(distinct_row.size)
            - np.repeat(np.cumsum(distinct_lengths) - distinct_lengths, distinct_lengths)
        )
        distinct_mark = batch.marks[distinct_position]
        distinct_word = distinct_mark >= 0
        # b: weighted pairs of consecutive words of the same clause
        follows = np.flatnonzero(is_word[:-1] & is_word[1:] & (pair[:-1] == pair[1:]))
        bigram = mark[follows] * n_names + mark[follows + 1]
        unique_bigrams, bigram_code = np.unique(bigram, return_inverse=True)
        rows.append(pair[follows])
        keys.append([f"b:{names[c // n_names]}_{names[c % n_names]}" for c in unique_bigrams])
        codes.append(bigram_code.astype(np.int64))
        values.append(np.minimum(weight[follows], weight[follows + 1]))
        # a: the anchor word
        anchor_pairs = np.flatnonzero(has_anchor)
        anchor_mark = batch.marks[anchor[anchor_pairs]]
        ok = anchor_mark >= 0
        rows.append(anchor_pairs[ok])
        keys.append([f"a:{n}" for n in names])
        codes.append(anchor_mark[ok])
        values.append(np.ones(int(ok.sum())))
        if self.attribute_aware and len(self.attribute_ids_):
            family = self._attribute_terms(attribute, pair, mark, weight, is_word, names)
            for collected, part in zip((rows, keys, codes, values), family, strict=True):
                collected.append(part)  # type: ignore[attr-defined]
        # dense: anchor affinity, then (optionally) the weighted mean word vector
        anchor_affinity = np.zeros(sentence.size)
        anchor_affinity[has_anchor] = batch.affinity[
            tokens.token_type[anchor[has_anchor]], attribute[has_anchor]
        ]
        dense = [anchor_affinity[:, None]]
        if self.lexicon is not None:
            valence = self._valences(names)[np.maximum(mark, 0)]
            valence = np.where(is_word, valence, 0.0) * weight
            positive = np.bincount(pair, weights=np.maximum(valence, 0.0), minlength=sentence.size)
            negative = np.bincount(pair, weights=np.minimum(valence, 0.0), minlength=sentence.size)
            dense.append(np.column_stack([positive, -negative]))
        vector_logits = None
        reads_vectors = vector_coef is None or vector_coef.size > 0
        if self.embedding_weight and batch.vectors is not None and reads_vectors:
            # weights summed per (pair, word type), then one product with the type vectors:
            # no per-token copy of the vectors
            w = np.where(is_word, weight, 0.0)
            token_type = tokens.token_type[position]
            total = np.maximum(np.bincount(pair, weights=w, minlength=sentence.size), 1e-9)
            if vector_coef is None:
                by_type = sparse.csr_matrix(
                    (w, (pair, token_type)), shape=(sentence.size, batch.vectors.shape[0])
                )
                pooled = np.asarray(by_type @ batch.vectors, dtype=np.float64)
                dense.append(self.embedding_weight * pooled / total[:, None])
            else:  # each token adds its weight times its type's logits
                per_type = batch.vectors.astype(np.float64) @ vector_coef
                vector_logits = (
                    np.column_stack(
                        [
                            np.bincount(
                                pair, weights=w * per_type[token_type, k], minlength=sentence.size
                            )
                            for k in range(per_type.shape[1])
                        ]
                    )
                    / total[:, None]
                )
        if self.prior is not None:
            log_p = np.log(np.maximum(self.prior.predict_proba(batch, sentence, attribute), 1e-6))
            dense.append(log_p - log_p.mean(axis=1, keepdims=True))
        return _PairTerms(
            rows=rows,
            keys=keys,
            codes=codes,
            values=values,
            dense=np.hstack(dense),
            sentence_of_pair=sentence_of_pair.astype(np.int64),
            sentence_rows=distinct_row[distinct_word],
            sentence_keys=[f"s:{n}" for n in names],
            sentence_codes=distinct_mark[distinct_word],
            vector_logits=vector_logits,
        )

    def _valences(self, names: Sequence[str]) -> FloatArray:
        """Lexicon valence of each (possibly negation-marked) word, scaled to -1..1."""
        lexicon = self.lexicon or {}
        values = np.zeros(len(names))
        for i, name in enumerate(names):
            if name.startswith("NOT_"):
                values[i] = NEGATED_VALENCE * lexicon.get(name[4:], 0.0)
            else:
                values[i] = lexicon.get(name, 0.0)
        return values / 4.0

    def _anchor_weights(
        self,
        batch: SentenceBatch,
        attribute: IntArray,
        pair: IntArray,
        position: IntArray,
        whole: npt.NDArray[np.bool_],
    ) -> tuple[FloatArray, IntArray]:
        """Per token, its weight; per pair, its best anchor's token position (-1: none).
        Tokens of a pair are contiguous in ``pair`` (as ``np.repeat`` lays them)."""
        tokens = batch.tokens
        n_pairs = attribute.size
        relevance = np.asarray(
            batch.relevance[tokens.token_type[position], np.maximum(attribute, 0)[pair]],
            dtype=np.float64,
        )
        relevance[whole[pair] | (relevance < 0)] = 0.0
        # each pair's tokens are one contiguous segment: per-pair maxima by reduceat
        lengths = np.bincount(pair, minlength=n_pairs)
        nonempty = lengths > 0
        starts = (np.cumsum(lengths) - lengths)[nonempty]

        def pair_max(values: FloatArray) -> FloatArray:
            out = np.zeros(n_pairs)
            if starts.size:
                out[nonempty] = np.maximum.reduceat(values, starts)
            return out

        best = pair_max(relevance)
        clause = np.cumsum(tokens.is_boundary[tokens.token_type])[position]
        weight = np.where(best[pair] > 0, 0.0, 1.0)
        anchor = np.full(n_pairs, -1, dtype=np.int64)
        index = np.arange(pair.size)
        left = relevance.copy()  # candidates not yet chosen
        floor = max(self.anchor_floor, 1e-12)
        for m in range(max(self.anchors, 1)):
            top = pair_max(left)
            # the first token of each pair at its pair's highest remaining relevance
            hits = np.flatnonzero((left == top[pair]) & (top[pair] > 0))
            hits = hits[np.r_[True, pair[hits][1:] != pair[hits][:-1]]] if hits.size else hits
            strength_of_hit = (left[hits] / best[pair[hits]]) ** self.anchor_sharpness
            chosen = hits[strength_of_hit >= floor]
            if chosen.size == 0:
                break
            left[chosen] = -1.0
            at = np.full(n_pairs, -1, dtype=np.int64)
            at[pair[chosen]] = chosen
            strength = np.zeros(n_pairs)
            strength[pair[chosen]] = strength_of_hit[strength_of_hit >= floor]
            if m == 0:
                anchor[pair[chosen]] = position[chosen]
            token_anchor = at[pair]
            live = token_anchor >= 0
            source = np.maximum(token_anchor, 0)
            candidate = (
                strength[pair]
                * np.exp(-np.abs(index - source) / self.window)
                * np.where(clause == clause[source], 1.0, self.cross_clause)
            )
            weight = np.where(live, np.maximum(weight, candidate), weight)
        return weight, anchor

    def _attribute_terms(
        self,
        attribute: IntArray,
        pair: IntArray,
        mark: IntArray,
        weight: FloatArray,
        is_word: npt.NDArray[np.bool_],
        names: tuple[str, ...],
    ) -> tuple[IntArray, list[str], IntArray, FloatArray]:
        """Attribute-specific weighted words ("food|u:cold") and base rates ("food|")."""
        ids = self.attribute_ids_
        n_names = len(names) + 1  # the last code of each attribute is its base rate
        pair_attribute = attribute[pair]
        known = is_word & (pair_attribute >= 0) & (pair_attribute < len(ids))
        word_code = pair_attribute[known] * n_names + mark[known]
        base_pairs = np.flatnonzero((attribute >= 0) & (attribute < len(ids)))
        base_code = attribute[base_pairs] * n_names + len(names)
        all_codes = np.concatenate([word_code, base_code])
        unique_codes, inverse = np.unique(all_codes, return_inverse=True)
        keys = [
            f"{ids[c // n_names]}|"
            + (f"u:{names[c % n_names]}" if c % n_names < len(names) else "")
            for c in unique_codes.tolist()
        ]
        return (
            np.concatenate([pair[known], base_pairs]),
            keys,
            inverse.astype(np.int64),
            np.concatenate([weight[known], np.ones(base_pairs.size)]),
        )


def _is_content_word(name: str) -> bool:
    """A word that can carry a judgement: alphabetic and not a function word ("NOT_" marks
    negation and is kept)."""
    word = name.removeprefix("NOT_")
    return word.isalpha() and word not in STOPWORDS


def _fit_correction(
    x: sparse.csr_matrix, offset: FloatArray, y: IntArray, penalty: float
) -> FloatArray:
    """Words × (negative, positive) weights maximising the penalised likelihood of ``y`` under
    softmax(offset + [x w_negative, 0, x w_positive]) (:meth:`AspectPolarity.corrected`)."""
    n_pairs, n_words = x.shape
    if n_words == 0 or n_pairs == 0:
        return np.zeros((n_words, 2))
    moved = [POLARITIES.index(Polarity.NEGATIVE), POLARITIES.index(Polarity.POSITIVE)]
    picked = np.arange(n_pairs)

    def loss_and_gradient(flat: FloatArray) -> tuple[float, FloatArray]:
        w = flat.reshape(n_words, 2)
        logits = offset.copy()
        logits[:, moved] += np.asarray(x @ w)
        logits -= logits.max(axis=1, keepdims=True)
        probability = np.exp(logits)
        probability /= probability.sum(axis=1, keepdims=True)
        loss = -np.log(probability[picked, y]).sum() + 0.5 * penalty * float(flat @ flat)
        residual = probability
        residual[picked, y] -= 1.0
        gradient = np.asarray(x.T @ residual[:, moved]) + penalty * w
        return float(loss), gradient.ravel()

    result = optimize.minimize(
        loss_and_gradient, np.zeros(n_words * 2), jac=True, method="L-BFGS-B"
    )
    return np.asarray(result.x, dtype=np.float64).reshape(n_words, 2)
