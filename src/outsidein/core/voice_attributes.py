"""Quality attributes and how strongly each word of a sentence evokes each attribute.

An attribute is defined by the firm (Grönroos' dimensions: *technical* = what the customer
gets, *functional* = how it is delivered, *image*). Its name, example phrases and the content
words of its description are its **seeds**. The **affinity** of a word to an attribute is the
highest cosine similarity between the word's vector and the vectors of the attribute's seeds,
so "waitress", "busboy" and "hostess" all reach *staff* through the embedding vocabulary
(synonym expansion) without being listed. Without an embedding model, affinity falls back to
exact matches of (lightly stemmed) seed words: 1 for a match, 0 otherwise.

Affinity is the zero-shot tagger, a feature of the few-shot and supervised taggers, and the
anchor that scopes attribute sentiment (:mod:`outsidein.core.sentiment`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from outsidein.core.attributes import Dimension, QualityAttribute, attribute_id_problem
from outsidein.core.instrument import pick
from outsidein.core.voice_features import (
    Float32Array,
    TextEncoder,
    encode_phrases,
    segment_reduce,
)
from outsidein.core.voice_text import STOPWORDS, TokenBatch, tokenize


@dataclass(frozen=True, slots=True, kw_only=True)
class Attribute:
    """A quality attribute a firm wants to hear about.

    ``name`` and ``description`` are in one language here; a loader picks the language from
    translated maps.
    """

    id: str
    name: str
    description: str = ""
    dimension: Dimension = Dimension.TECHNICAL
    examples: tuple[str, ...] = ()
    praise: tuple[str, ...] = ()  # what customers say when pleased ("arrived on time")
    complaints: tuple[str, ...] = ()  # ... and when displeased ("late delivery")

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every phrase that speaks of the attribute: examples, praise and complaints."""
        return (*self.examples, *self.praise, *self.complaints)

    def __post_init__(self) -> None:
        problem = attribute_id_problem(self.id)
        if problem is not None:
            raise ValueError(f"attribute {problem}")
        if not self.name.strip():
            raise ValueError(f"attribute {self.id!r} has an empty name")

    @classmethod
    def from_quality(cls, attribute: QualityAttribute, language: str = "en") -> Attribute:
        """The text engine's view of a firm's (or the shipped) quality attribute: its name and
        description in ``language`` where translated, else in English, else in the first
        language given; its phrases in every language given, ``language``'s first, as customers
        write in theirs (a German complaint copied from the file is tagged in an English
        workspace too)."""

        def phrases(by_language: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
            first = list(dict.fromkeys([language, "en"]))
            ordered = [*first, *(lang for lang in by_language if lang not in first)]
            return tuple(phrase for lang in ordered for phrase in by_language.get(lang, ()))

        return cls(
            id=attribute.id,
            name=attribute.label(language),
            description=pick(attribute.description, language),
            dimension=attribute.dimension,
            examples=phrases(attribute.examples),
            praise=phrases(attribute.praise),
            complaints=phrases(attribute.complaints),
        )


def check_attributes(attributes: Sequence[Attribute]) -> tuple[Attribute, ...]:
    """The attributes as a tuple; refuses an empty list and duplicated ids."""
    if not attributes:
        raise ValueError("at least one attribute is needed")
    ids = [attribute.id for attribute in attributes]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ValueError(f"duplicated attribute ids: {', '.join(duplicated)}")
    return tuple(attributes)


def stem(word: str) -> str:
    """A light stem for exact matching: English plural -s/-es dropped (prices → price)."""
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True, kw_only=True)
class Seed:
    """One phrase that evokes an attribute, with the weight of its similarity."""

    attribute: int
    phrase: str
    weight: float


DESCRIPTION_WORDS_UP_TO = 3
"""Description words are seeds only of attributes with fewer example phrases than this: on
MAMS-ACSA train they help attributes defined by name and description alone, and dilute
attributes that have examples (benchmarks/voice.py)."""


def attribute_seeds(
    attributes: Sequence[Attribute], *, description_weight: float = 0.8
) -> tuple[Seed, ...]:
    """Seeds of each attribute: its name and examples (weight 1) and, for attributes with few
    examples, the content words of its description (weight ``description_weight``:
    descriptions also name neighbouring ideas)."""
    seeds: list[Seed] = []
    for index, attribute in enumerate(attributes):
        strong = [attribute.name, *attribute.phrases]
        seen = {phrase.strip().lower() for phrase in strong}
        seeds.extend(Seed(attribute=index, phrase=p.strip().lower(), weight=1.0) for p in strong)
        if len(attribute.phrases) >= DESCRIPTION_WORDS_UP_TO:
            continue
        for word in tokenize(attribute.description):
            if word[0].isalpha() and len(word) > 2 and word not in STOPWORDS and word not in seen:
                seen.add(word)
                seeds.append(Seed(attribute=index, phrase=word, weight=description_weight))
    return tuple(seed for seed in seeds if seed.phrase)


class AttributeAffinity:
    """Affinity of every word type of a batch to every attribute (see the module docstring).

    Built once per attribute set (the seed vectors are computed here) and then applied to many
    batches; it holds no state that changes after construction.
    """

    def __init__(
        self,
        attributes: Sequence[Attribute],
        encoder: TextEncoder | None = None,
        *,
        description_weight: float = 0.8,
    ) -> None:
        self.attributes = check_attributes(attributes)
        self.encoder = encoder
        self.seeds = attribute_seeds(self.attributes, description_weight=description_weight)
        order = np.argsort([seed.attribute for seed in self.seeds], kind="stable")
        self.seeds = tuple(self.seeds[i] for i in order)
        self._seed_weights = np.array([seed.weight for seed in self.seeds], dtype=np.float32)
        self._seed_starts = np.searchsorted(
            [seed.attribute for seed in self.seeds], np.arange(len(self.attributes))
        )
        self._seed_vectors = (
            encode_phrases(encoder, [seed.phrase for seed in self.seeds])
            if encoder is not None
            else None
        )
        # lexical fallback: the stem of each one-word seed, or of the last word of a phrase
        self._stems: Mapping[str, dict[int, float]] = _seed_stems(self.seeds)

    @property
    def uses_embeddings(self) -> bool:
        return self._seed_vectors is not None

    def of_types(self, batch: TokenBatch, vectors: Float32Array | None) -> Float32Array:
        """Types × attributes affinity in [0, 1] (punctuation: 0)."""
        n_types, n_attributes = len(batch.types), len(self.attributes)
        if self._seed_vectors is not None and vectors is not None:
            similarity = (vectors @ self._seed_vectors.T) * self._seed_weights
            affinity = np.maximum.reduceat(similarity, self._seed_starts, axis=1)
            affinity = np.clip(affinity, 0.0, 1.0)
        else:
            affinity = np.zeros((n_types, n_attributes), dtype=np.float32)
            for t, token in enumerate(batch.types):
                for attribute, weight in self._stems.get(stem(token), {}).items():
                    affinity[t, attribute] = max(affinity[t, attribute], weight)
        affinity[~batch.is_word] = 0.0
        return np.asarray(affinity, dtype=np.float32)

    def of_sentences(self, words: TokenBatch, type_affinity: Float32Array) -> Float32Array:
        """Sentences × attributes: the highest affinity of any word of the sentence."""
        return segment_reduce(type_affinity, words, "max")


def _seed_stems(seeds: Sequence[Seed]) -> dict[str, dict[int, float]]:
    stems: dict[str, dict[int, float]] = {}
    for seed in seeds:
        words = [w for w in tokenize(seed.phrase) if w[0].isalnum() and w not in STOPWORDS]
        if not words:
            continue
        entry = stems.setdefault(stem(words[-1]), {})
        entry[seed.attribute] = max(entry.get(seed.attribute, 0.0), seed.weight)
    return stems
