"""Tagging sentences with the quality attributes they speak about, in three regimes.

* **zero-shot** (no labelled sentences): an attribute is tagged when some word of the sentence
  has affinity at least ``zero_shot_threshold`` to it (:mod:`outsidein.core.voice_attributes`).
* **few-shot** and **supervised** (labelled sentences): an ensemble of one-vs-rest models per
  attribute, on (1) word and character TF-IDF, each feature scaled for each attribute by its
  naive-Bayes log-count ratio (NB-LR; Wang & Manning 2012), (2) pooled static word vectors,
  (3) per attribute, the word vectors averaged by their learned relevance to it (below),
  (4) in the supervised regime, a label-attention network over fine-tuned static vectors
  (:mod:`outsidein.core.voice_attention`), and (5) the attribute affinities; their
  probabilities are weighted and summed. The affinity model carries what the attribute
  definitions say, which is what lets 16 examples per attribute go a long way; the TF-IDF and
  attention models carry the firm's own vocabulary once there are enough examples. Classes are
  weighted inversely to their frequency, so 0.5 is a sensible threshold for rare attributes
  too. The weights are chosen by cross-validation on the labelled sentences when there are
  enough of them (see ``ensemble_weights``), else equal. The regime is called *supervised*
  when every attribute has at least ``SUPERVISED_MIN_EXAMPLES`` positive sentences, else
  *few-shot*.

Multi-label rule: when every training sentence carried at least *k* attributes, every tagged
sentence gets at least *k* (its *k* best), learned as ``min_labels_``. With labelled data that
has untagged sentences, ``k`` is 0 and nothing is forced.

The NB log-count ratios of the words also give each word a learned *relevance* to each
attribute (``relevance_``), which aspect polarity uses to find where a sentence speaks of an
attribute (:mod:`outsidein.core.sentiment`).

Without an embedding model the same code runs on the lexical signals only (``embeddings_`` is
False): zero-shot then matches seed words exactly.

Measured on MAMS-ACSA (``benchmarks/voice.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Self

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from outsidein.core.voice_attention import AttentionModel, fit_attention
from outsidein.core.voice_attributes import Attribute, AttributeAffinity, check_attributes
from outsidein.core.voice_features import (
    Float32Array,
    FloatArray,
    LexicalVectorizer,
    TextEncoder,
    log_count_ratios,
    pooled_embeddings,
    rows_by_type,
    segment_reduce,
    sentence_type_counts,
    type_vectors,
)
from outsidein.core.voice_text import TokenBatch, negation_marks, tokenize_batch

Regime = Literal["zero-shot", "few-shot", "supervised"]
IntArray = npt.NDArray[np.int64]
Features = sparse.csr_matrix | npt.NDArray[np.floating[Any]]

SUPERVISED_MIN_EXAMPLES = 50
MEMBERS = ("lexical", "embedding", "attention", "finetuned", "affinity")
_AFFINITY_SCALE = 5.0  # affinities lie in [0, 1]; scaled so that one C suits all three models


@dataclass(frozen=True, slots=True, kw_only=True)
class SentenceBatch:
    """Sentences prepared once for tagging and polarity: tokens, word vectors, affinities."""

    texts: tuple[str, ...]
    tokens: TokenBatch  # with clause punctuation
    words: TokenBatch  # words only
    vectors: Float32Array | None  # per type, None without an embedding model
    affinity: Float32Array  # per type × attribute
    relevance: Float32Array  # per type × attribute: where a sentence speaks of the attribute
    marks: IntArray  # per token: negation-marked form, id into mark_names (-1: boundary)
    mark_names: tuple[str, ...]

    @property
    def n_sentences(self) -> int:
        return len(self.texts)

    def sentence_affinity(self) -> Float32Array:
        """Sentences × attributes: the strongest word affinity in each sentence."""
        return segment_reduce(self.affinity, self.words, "max")


def prepare_sentences(
    texts: Sequence[str],
    affinity: AttributeAffinity,
    relevance: Mapping[str, Float32Array] | None = None,
) -> SentenceBatch:
    """Tokenize ``texts`` and compute their word vectors and attribute affinities.

    ``relevance`` maps words to their learned relevance to each attribute (a tagger trained on
    labelled sentences has one: ``AttributeTagger.relevance_``); without it, or for words it
    does not know, the relevance of a word is its affinity.
    """
    tokens = tokenize_batch(texts)
    vectors = type_vectors(tokens, affinity.encoder) if affinity.encoder is not None else None
    marks, mark_names = negation_marks(tokens)
    type_affinity = affinity.of_types(tokens, vectors)
    return SentenceBatch(
        texts=tuple(texts),
        tokens=tokens,
        words=tokens.words(),
        vectors=vectors,
        affinity=type_affinity,
        relevance=_type_relevance(tokens, type_affinity, relevance),
        marks=marks,
        mark_names=mark_names,
    )


_AFFINITY_TIE_BREAK = 0.01
"""Share of a word's affinity added to its learned relevance: it breaks ties between words the
labelled sentences did not tell apart, and lets words they never saw still anchor weakly."""


def _type_relevance(
    tokens: TokenBatch, affinity: Float32Array, relevance: Mapping[str, Float32Array] | None
) -> Float32Array:
    if relevance is None:
        return affinity
    learned = rows_by_type(tokens.types, np.zeros_like(affinity), relevance)
    return np.asarray(learned + _AFFINITY_TIE_BREAK * affinity, dtype=np.float32)


@dataclass(frozen=True, slots=True)
class _Members:
    """What a fit learns: the vectorizer, the linear members, word relevance, and the
    fine-tuned label-attention member (supervised regime with word vectors only)."""

    lexical: LexicalVectorizer
    linear: dict[str, _LinearModel]
    relevance: dict[str, Float32Array]
    finetuned: AttentionModel | None

    def names(self) -> list[str]:
        """The members present, in ``MEMBERS`` order (as :meth:`AttributeTagger._member_scores`
        returns them)."""
        present = set(self.linear) | ({"finetuned"} if self.finetuned is not None else set())
        return [name for name in MEMBERS if name in present]


@dataclass(frozen=True, slots=True)
class _LinearModel:
    """One logistic regression per attribute, stacked: probabilities by one product."""

    coef: FloatArray  # features × attributes
    intercept: FloatArray  # attributes
    fitted: npt.NDArray[np.bool_]  # attributes whose training labels had both classes

    def probabilities(self, features: Features) -> FloatArray:
        logits = np.asarray(features @ self.coef) + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float64)

    def probabilities_per_attribute(self, features: Sequence[Float32Array]) -> FloatArray:
        """As :meth:`probabilities`, attribute j reading its own ``features[j]``."""
        logits = (
            np.column_stack([features[j] @ self.coef[:, j] for j in range(self.coef.shape[1])])
            + self.intercept
        )
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float64)


class AttributeTagger:
    """Tags sentences with quality attributes (see the module docstring for the method).

    Parameters
    ----------
    attributes : sequence of Attribute
        The attributes to tag, in output order.
    encoder : TextEncoder or None
        The static embedding model; None runs the lexical-only regime.
    C : float
        Inverse regularisation strength of each logistic regression.
    zero_shot_threshold : float
        Affinity at which a word tags its attribute in the zero-shot regime with embeddings
        (0.65: the best on MAMS-ACSA train, from 0.5-0.85 in steps of 0.05).
    min_labels : "auto" or int
        At least this many attributes per tagged sentence; "auto" learns it from the labels.
    ensemble_weights : "auto" or (lexical, embedding, attention, finetuned, affinity)
        Weights of the members' probabilities. "auto": equal weights in the few-shot regime
        (too few examples to choose); in the supervised regime, the weights on a 0.1 grid
        with the best macro-F1 of ``cv_folds``-fold cross-validation on the training data.
    finetune_epochs : int
        Epochs of the fine-tuned label-attention member (supervised regime with an embedding
        model; :mod:`outsidein.core.voice_attention`, 4 heads per attribute); 0 leaves it out.
        8 epochs with 4 heads: the best out-of-fold macro-F1 on MAMS-ACSA train of 1, 4, 8
        and 16 heads and 6 or 8 epochs (0.872 alone, against 0.863 for 1 head and 6 epochs).
    cv_folds : int
        Folds of that cross-validation.
    random_state : int
        Seed of the cross-validation split.

    Examples
    --------
    >>> staff = Attribute(id="staff", name="Staff", examples=("waiter", "rude"))
    >>> price = Attribute(id="price", name="Price", examples=("expensive", "cheap"))
    >>> AttributeTagger([staff, price]).fit().predict(["The waiter was rude."])
    [('staff',)]
    """

    def __init__(
        self,
        attributes: Sequence[Attribute],
        encoder: TextEncoder | None = None,
        *,
        C: float = 4.0,
        zero_shot_threshold: float = 0.65,
        min_labels: Literal["auto"] | int = "auto",
        ensemble_weights: Literal["auto"] | tuple[float, float, float, float, float] = "auto",
        finetune_epochs: int = 8,
        cv_folds: int = 3,
        random_state: int = 0,
    ) -> None:
        self.attributes = attributes
        self.encoder = encoder
        self.C = C
        self.zero_shot_threshold = zero_shot_threshold
        self.min_labels = min_labels
        self.ensemble_weights = ensemble_weights
        self.finetune_epochs = finetune_epochs
        self.cv_folds = cv_folds
        self.random_state = random_state

    # -- fitting ------------------------------------------------------------------------------

    def fit(
        self,
        texts: Sequence[str] | None = None,
        labels: Sequence[Collection[str]] | None = None,
    ) -> Self:
        """Learn from labelled sentences; with no labels, prepare the zero-shot tagger.

        ``labels[i]`` holds the attribute ids of ``texts[i]`` (possibly none). In the
        supervised regime, ``cv_macro_f1_`` is the cross-validated macro-F1 of the chosen
        ensemble weights (optimistic: the weights were chosen on it); otherwise None.
        """
        attributes = check_attributes(self.attributes)
        if self.C <= 0:
            raise ValueError("C must be positive")
        if self.cv_folds < 2:
            raise ValueError("cv_folds must be at least 2")
        self.attribute_ids_ = tuple(attribute.id for attribute in attributes)
        self.affinity_ = AttributeAffinity(attributes, self.encoder)
        self.embeddings_ = self.affinity_.uses_embeddings
        self.members_: _Members | None = None
        self.weights_: dict[str, float] = {}
        if labels is None:
            if texts:
                raise ValueError("texts without labels: pass labels, or nothing for zero-shot")
            self.regime_: Regime = "zero-shot"
            self.min_labels_ = 0 if self.min_labels == "auto" else int(self.min_labels)
            self.threshold_ = self.zero_shot_threshold if self.embeddings_ else 0.5
            self.positives_ = np.zeros(len(attributes), dtype=np.int64)
            self.relevance_: dict[str, Float32Array] | None = None
            self.cv_macro_f1_: float | None = None
            return self
        if texts is None:
            raise ValueError("labels without texts")
        texts = list(texts)
        y = self._indicator(labels, len(texts))
        self.positives_ = y.sum(axis=0).astype(np.int64)
        self.regime_ = (
            "supervised" if self.positives_.min() >= SUPERVISED_MIN_EXAMPLES else "few-shot"
        )
        counts = y.sum(axis=1)
        self.min_labels_ = int(counts.min()) if self.min_labels == "auto" else int(self.min_labels)
        self.threshold_ = 0.5
        self.relevance_ = None
        self.members_ = self._fit_members(self.prepare(texts), y)
        self.relevance_ = self.members_.relevance
        self.weights_ = self._choose_weights(texts, y)
        return self

    @property
    def models_(self) -> dict[str, _LinearModel]:
        """The linear members of the ensemble (none in the zero-shot regime)."""
        return {} if self.members_ is None else self.members_.linear

    @property
    def lexical_(self) -> LexicalVectorizer:
        """The fitted TF-IDF vectorizer of the lexical member."""
        return self._fitted_members().lexical

    def _fitted_members(self) -> _Members:
        if self.members_ is None:
            raise ValueError("the zero-shot tagger has no ensemble members")
        return self.members_

    def _fit_members(self, batch: SentenceBatch, y: IntArray) -> _Members:
        lexical = LexicalVectorizer().fit(batch.words)
        x = lexical.transform(batch.words)
        relevance = _word_relevance(lexical, x, y)
        linear = {"lexical": self._fit_linear(x, y, scale=log_count_ratios(x, y))}
        finetuned = None
        if batch.vectors is not None:
            pooled = pooled_embeddings(batch.words, batch.vectors)
            linear["embedding"] = self._fit_linear(pooled, y)
            linear["attention"] = self._fit_per_attribute(_attention_pooled(batch, relevance), y)
            if self.regime_ == "supervised" and self.finetune_epochs > 0:
                finetuned = fit_attention(
                    batch.words,
                    batch.vectors,
                    y,
                    epochs=self.finetune_epochs,
                    random_state=self.random_state,
                )
        linear["affinity"] = self._fit_linear(batch.sentence_affinity() * _AFFINITY_SCALE, y)
        return _Members(lexical=lexical, linear=linear, relevance=relevance, finetuned=finetuned)

    def _choose_weights(self, texts: list[str], y: IntArray) -> dict[str, float]:
        names = self._fitted_members().names()
        if self.ensemble_weights != "auto":
            given = dict(zip(MEMBERS, self.ensemble_weights, strict=True))
            return {name: float(given[name]) for name in names}
        self.cv_macro_f1_ = None
        if self.regime_ != "supervised":
            return {name: 1.0 / len(names) for name in names}
        # out-of-fold probabilities of each member, then the best grid of weights
        out_of_fold = {name: np.zeros(y.shape, dtype=np.float64) for name in names}
        folds = np.random.default_rng(self.random_state).permutation(len(texts)) % self.cv_folds
        for fold in range(self.cv_folds):
            train, test = np.flatnonzero(folds != fold), np.flatnonzero(folds == fold)
            members = self._fit_members(self.prepare([texts[i] for i in train]), y[train])
            batch = self.prepare([texts[i] for i in test])
            for name, probability in self._member_scores(batch, members).items():
                out_of_fold[name][test] = probability
        best: tuple[float, tuple[float, ...]] = (-1.0, ())
        for weights in _simplex_grid(len(names), steps=10):
            scores = sum(w * out_of_fold[n] for w, n in zip(weights, names, strict=True))
            quality = _macro_f1(y, self._decide(np.asarray(scores), np.ones(len(y), dtype=bool)))
            if quality > best[0] + 1e-9:
                best = (quality, weights)
        self.cv_macro_f1_ = best[0]
        return dict(zip(names, best[1], strict=True))

    def _indicator(self, labels: Sequence[Collection[str]], n: int) -> IntArray:
        if len(labels) != n:
            raise ValueError(f"{n} texts but {len(labels)} label sets")
        index = {identifier: j for j, identifier in enumerate(self.attribute_ids_)}
        y = np.zeros((n, len(index)), dtype=np.int64)
        unknown: set[str] = set()
        for i, label_set in enumerate(labels):
            for identifier in label_set:
                if identifier in index:
                    y[i, index[identifier]] = 1
                else:
                    unknown.add(identifier)
        if unknown:
            raise ValueError(f"labels name unknown attributes: {', '.join(sorted(unknown))}")
        return y

    def _fit_linear(
        self, features: Features, y: IntArray, *, scale: FloatArray | None = None
    ) -> _LinearModel:
        """One logistic regression per attribute; with ``scale`` (attributes × features),
        attribute j's regression reads ``features * scale[j]`` (NB-LR, Wang & Manning 2012),
        which folds into its coefficients: prediction costs nothing more."""
        n_features = features.shape[1]
        coef = np.zeros((y.shape[1], n_features))
        intercept = np.zeros(y.shape[1])
        fitted = np.zeros(y.shape[1], dtype=np.bool_)
        for j in range(y.shape[1]):
            if 0 < y[:, j].sum() < y.shape[0]:
                x = features if scale is None else sparse.csr_matrix(features).multiply(scale[j])
                model = LogisticRegression(
                    C=self.C,
                    class_weight="balanced",
                    solver="liblinear",
                    max_iter=1000,
                    random_state=self.random_state,
                ).fit(x, y[:, j])
                coef[j] = model.coef_[0] if scale is None else model.coef_[0] * scale[j]
                intercept[j], fitted[j] = model.intercept_[0], True
        return _LinearModel(coef=np.ascontiguousarray(coef.T), intercept=intercept, fitted=fitted)

    def _fit_per_attribute(self, features: list[Float32Array], y: IntArray) -> _LinearModel:
        """Attribute j's logistic regression reads its own ``features[j]`` (same width)."""
        width = features[0].shape[1] if features else 0
        coef = np.zeros((width, y.shape[1]))
        intercept = np.zeros(y.shape[1])
        fitted = np.zeros(y.shape[1], dtype=np.bool_)
        for j in range(y.shape[1]):
            single = self._fit_linear(features[j], y[:, [j]])
            coef[:, j], intercept[j], fitted[j] = (
                single.coef[:, 0],
                single.intercept[0],
                single.fitted[0],
            )
        return _LinearModel(coef=coef, intercept=intercept, fitted=fitted)

    # -- prediction ---------------------------------------------------------------------------

    def prepare(self, texts: Sequence[str]) -> SentenceBatch:
        """Tokens, vectors and affinities of ``texts`` (reusable for polarity)."""
        if not hasattr(self, "affinity_"):
            raise RuntimeError("this AttributeTagger is not fitted yet: call fit() first")
        return prepare_sentences(texts, self.affinity_, self.relevance_)

    def _prepare(self, texts: Sequence[str] | SentenceBatch) -> SentenceBatch:
        return texts if isinstance(texts, SentenceBatch) else self.prepare(texts)

    def _member_scores(
        self,
        batch: SentenceBatch,
        members: _Members,
        sentence_affinity: Float32Array | None = None,
        wanted: Collection[str] = MEMBERS,
    ) -> dict[str, FloatArray]:
        """The probabilities of each member in ``wanted`` that the fit has."""
        if sentence_affinity is None:
            sentence_affinity = batch.sentence_affinity()
        linear = members.linear
        scores = {}
        if "lexical" in wanted:
            x = members.lexical.transform(batch.words)
            scores["lexical"] = linear["lexical"].probabilities(x)
        if "embedding" in linear and batch.vectors is not None:
            if "embedding" in wanted:
                pooled = pooled_embeddings(batch.words, batch.vectors)
                scores["embedding"] = linear["embedding"].probabilities(pooled)
            if "attention" in wanted:
                attention = _attention_pooled(batch, members.relevance)
                scores["attention"] = linear["attention"].probabilities_per_attribute(attention)
            if members.finetuned is not None and "finetuned" in wanted:
                scores["finetuned"] = members.finetuned.probabilities(batch.words, batch.vectors)
        if "affinity" in wanted:
            scores["affinity"] = linear["affinity"].probabilities(
                sentence_affinity * _AFFINITY_SCALE
            )
        return scores

    def member_scores(self, texts: Sequence[str] | SentenceBatch) -> dict[str, FloatArray]:
        """Each ensemble member's probabilities alone (for ablation studies)."""
        if self.regime_ == "zero-shot":
            raise ValueError("the zero-shot tagger has no ensemble members")
        return self._member_scores(self._prepare(texts), self._fitted_members())

    def zero_shot_attributes(self) -> tuple[str, ...]:
        """The attributes a trained tagger decides zero-shot (no positive or no negative
        labelled sentence to learn from); all of them in the zero-shot regime is no news, so
        then none."""
        if self.regime_ == "zero-shot":
            return ()
        fitted = self.models_["lexical"].fitted
        ids = zip(self.attribute_ids_, fitted.tolist(), strict=True)
        return tuple(attribute for attribute, ok in ids if not ok)

    def scores(self, texts: Sequence[str] | SentenceBatch) -> FloatArray:
        """Sentences × attributes scores; a score at or above ``threshold_`` tags."""
        batch = self._prepare(texts)
        zero_shot = batch.sentence_affinity()
        if self.regime_ == "zero-shot":
            return np.asarray(zero_shot, dtype=np.float64)
        used = [name for name, weight in self.weights_.items() if weight > 0]
        members = self._member_scores(batch, self._fitted_members(), zero_shot, used)
        scores = sum(self.weights_[name] * members[name] for name in used)
        scores = np.asarray(scores, dtype=np.float64)
        # attributes with no positive (or no negative) training sentence: zero-shot decision
        fallback = ~self.models_["lexical"].fitted
        if fallback.any():
            zero_shot_threshold = self.zero_shot_threshold if self.embeddings_ else 0.5
            scores[:, fallback] = (zero_shot[:, fallback] >= zero_shot_threshold) * 1.0
        return scores

    def _decide(self, scores: FloatArray, has_words: npt.NDArray[np.bool_]) -> IntArray:
        tags = (scores >= self.threshold_).astype(np.int64)
        k = min(self.min_labels_, tags.shape[1])
        if k > 0:
            best = np.argsort(-scores, axis=1, kind="stable")[:, :k]
            rows = np.repeat(np.flatnonzero(has_words), k)
            tags[rows, best[has_words].ravel()] = 1
        return tags

    def predict_indicator(self, texts: Sequence[str] | SentenceBatch) -> IntArray:
        """Sentences × attributes 0/1 matrix of tags."""
        batch = self._prepare(texts)
        return self._decide(self.scores(batch), batch.words.lengths > 0)

    def predict(self, texts: Sequence[str] | SentenceBatch) -> list[tuple[str, ...]]:
        """The attribute ids of each sentence, in attribute order."""
        tags = self.predict_indicator(texts)
        ids = self.attribute_ids_
        return [tuple(ids[j] for j in np.flatnonzero(row)) for row in tags]


ATTENTION_FLOOR = 0.02
"""Weight of a word with no relevance to the attribute in its attention-pooled vector."""


def _attention_pooled(
    batch: SentenceBatch, relevance: Mapping[str, Float32Array]
) -> list[Float32Array]:
    """Per attribute, each sentence's word vectors averaged with weight ``relevance +
    ATTENTION_FLOOR``: the sentence as seen from that attribute (needs word vectors)."""
    if batch.vectors is None:
        raise ValueError("attention pooling needs word vectors")
    n_attributes = batch.affinity.shape[1]
    type_relevance = (
        _type_relevance(batch.tokens, np.zeros_like(batch.affinity), relevance)
        if relevance
        else np.zeros((len(batch.tokens.types), n_attributes), dtype=np.float32)
    )
    counts = sentence_type_counts(batch.words)
    pooled = []
    for j in range(n_attributes):
        weighted = sparse.csr_matrix(counts.multiply(type_relevance[:, j] + ATTENTION_FLOOR))
        total = np.asarray(weighted.sum(axis=1)).ravel()
        mean = np.asarray(weighted @ batch.vectors) / np.maximum(total, 1e-9)[:, None]
        pooled.append(mean.astype(np.float32))
    return pooled


def _word_relevance(
    lexical: LexicalVectorizer, features: sparse.csr_matrix, y: IntArray
) -> dict[str, Float32Array]:
    """Each training word's relevance to each attribute, in [0, 1]: its positive log-count ratio
    among the words (not bigrams or character n-grams) over the largest of any word for that
    attribute. Polarity anchors on it."""
    words = {term: column for term, column in lexical.word_vocabulary_.items() if " " not in term}
    if not words:
        return {}
    columns = np.fromiter(words.values(), dtype=np.int64, count=len(words))
    positive = np.clip(log_count_ratios(features[:, columns], y).T, 0.0, None)
    top = positive.max(axis=0)
    scaled = np.divide(positive, top, out=np.zeros_like(positive), where=top > 0)
    return {word: scaled[i].astype(np.float32) for i, word in enumerate(words)}


def _simplex_grid(size: int, *, steps: int) -> list[tuple[float, ...]]:
    """All weight vectors of ``size`` non-negative multiples of 1/steps summing to one."""
    grid: list[tuple[float, ...]] = []

    def extend(prefix: tuple[int, ...], left: int, slots: int) -> None:
        if slots == 1:
            grid.append(tuple(p / steps for p in (*prefix, left)))
            return
        for value in range(left + 1):
            extend((*prefix, value), left - value, slots - 1)

    extend((), steps, size)
    return grid


def _macro_f1(y_true: IntArray, y_pred: IntArray) -> float:
    """Mean over attributes of binary F1 (attributes without positives or tags score 0)."""
    tp = (y_true & y_pred).sum(axis=0)
    denominator = y_true.sum(axis=0) + y_pred.sum(axis=0)
    f1 = np.divide(2.0 * tp, denominator, out=np.zeros(tp.shape), where=denominator > 0)
    return float(f1.mean())
