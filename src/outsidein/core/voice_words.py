"""In customers' words: what they say when they praise, and when they complain about, each
attribute.

Grönroos' second question asks whether the firm understands what *customers* consider good
quality. The firm's attribute definitions say it in the firm's words; the tagged sentences say
it in the customers'. For each attribute and polarity (praise, complaints), the words that set
those sentences apart from every other group of tagged sentences (class-based TF-IDF,
:func:`~outsidein.core.voice_text.distinctive_words`; neutral mentions are a group too, so
words that merely name the attribute sink) show what customers mean by good or bad quality
there: "pallets, window, agreed" for late deliveries where the firm wrote "late delivery".
Given the attributes' definitions, each group also names the words its definition (name,
description, examples, praise, complaints) never uses: the gap between the two vocabularies.

Groups from fewer comments than the anonymity threshold are withheld, and so is any word fewer
comments than that use: it could point at the few customers who wrote it. Personal data never
becomes a word (it is masked first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from outsidein.core.sentiment import POLARITIES, Polarity
from outsidein.core.voice import VoiceAnalysis
from outsidein.core.voice_attributes import Attribute, stem
from outsidein.core.voice_text import distinctive_words, tokenize, without_personal_data

WORDS = 6  # words per attribute and polarity
CANDIDATES = 4  # distinctive words considered per word shown
SHOWN = (Polarity.POSITIVE, Polarity.NEGATIVE)


@dataclass(frozen=True, slots=True, kw_only=True)
class AttributeWords:
    """The words of customers' praise (or complaints) of one attribute."""

    attribute: str
    polarity: Polarity
    comments: int  # comments the group's sentences come from
    words: tuple[str, ...]  # empty when withheld
    withheld: bool  # fewer comments than the anonymity threshold
    # the words that the firm's own definition of the attribute (name, description, examples,
    # praise, complaints) never uses: what customers mean that the firm's words miss
    unsaid: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "attribute": self.attribute,
            "polarity": str(self.polarity),
            "comments": None if self.withheld else self.comments,  # a small count is withheld
            "words": list(self.words),
            "withheld": self.withheld,
            "unsaid": list(self.unsaid),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerWords:
    """Per attribute, the words of praise and of complaints (groups with no sentence left out)."""

    groups: tuple[AttributeWords, ...]
    min_group: int
    method: str = (
        "words of highest class-based TF-IDF among the sentences tagged with each attribute "
        "and polarity, against every other such group"
    )

    def of(self, attribute: str, polarity: Polarity) -> AttributeWords | None:
        for group in self.groups:
            if group.attribute == attribute and group.polarity == polarity:
                return group
        return None

    def to_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "min_group": self.min_group,
            "groups": [group.to_dict() for group in self.groups],
        }


def customer_words(
    texts: Sequence[str],
    comments: Sequence[int],
    attributes: Sequence[str],
    polarities: Sequence[Polarity | str],
    *,
    min_group: int,
    words: int = WORDS,
    definitions: Mapping[str, Attribute] | None = None,
) -> CustomerWords:
    """``texts[i]`` is a sentence of comment ``comments[i]`` that speaks of ``attributes[i]``
    with polarity ``polarities[i]`` (one entry per tagged pair). With ``definitions`` (the
    attributes by id), each group also names the words its attribute's definition never uses
    (``unsaid``; plurals and past and -ing forms count as their base word)."""
    if not len(texts) == len(comments) == len(attributes) == len(polarities):
        raise ValueError("texts, comments, attributes and polarities must have the same length")
    keys = [(a, Polarity(p)) for a, p in zip(attributes, polarities, strict=True)]
    index = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    assignment = np.fromiter((index[key] for key in keys), dtype=np.int64, count=len(keys))
    # more candidates than shown: a word is shown only when at least ``min_group`` comments
    # of its group use it (a rare word could point at the one customer who wrote it)
    found = distinctive_words(texts, assignment, len(index), words * CANDIDATES) if texts else []
    groups = []
    for (attribute, polarity), i in sorted(
        index.items(), key=lambda item: (item[0][0], POLARITIES.index(item[0][1]))
    ):
        if polarity not in SHOWN:
            continue
        members = np.flatnonzero(assignment == i).tolist()
        n = len({comments[j] for j in members})
        withheld = n < min_group
        shown = () if withheld else _common(found[i], members, texts, comments, min_group, words)
        definition = None if definitions is None else definitions.get(attribute)
        said = None if definition is None else _vocabulary(definition)
        groups.append(
            AttributeWords(
                attribute=attribute,
                polarity=polarity,
                comments=n,
                words=shown,
                withheld=withheld,
                unsaid=() if said is None else tuple(w for w in shown if not _forms(w) & said),
            )
        )
    return CustomerWords(groups=tuple(groups), min_group=min_group)


def _common(
    candidates: tuple[str, ...],
    members: list[int],
    texts: Sequence[str],
    comments: Sequence[int],
    min_group: int,
    words: int,
) -> tuple[str, ...]:
    """The first ``words`` candidates that at least ``min_group`` comments of the group use."""
    wanted = set(candidates)
    users: dict[str, set[int]] = {word: set() for word in candidates}
    for j in members:
        for word in wanted.intersection(tokenize(without_personal_data(texts[j]))):
            users[word].add(comments[j])
    return tuple(w for w in candidates if len(users[w]) >= min_group)[:words]


def _vocabulary(attribute: Attribute) -> frozenset[str]:
    """The words of an attribute's name, description and phrases, in all their light forms."""
    text = " ".join((attribute.name, attribute.description, *attribute.phrases))
    return frozenset().union(*(_forms(word) for word in tokenize(text)))


def _forms(word: str) -> frozenset[str]:
    """The word, its singular and, for -ed and -ing forms, the base word it may come from
    ("refunded" → "refund", "arrived" → "arrive", "delayed" → "delay", "stopped" → "stop"):
    two words share a form when one inflects the other. Candidates that are no word do no harm,
    since only shared forms count."""
    forms = {word, stem(word)}
    for suffix in ("ed", "ing"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            base = word[: -len(suffix)]
            forms.update((base, base + "e"))
            if len(base) > 2 and base[-1] == base[-2]:
                forms.add(base[:-1])
    if len(word) > 4 and word.endswith("ied"):
        forms.add(word[:-3] + "y")
    return frozenset(forms)


def analysis_words(
    analysis: VoiceAnalysis,
    *,
    min_group: int,
    words: int = WORDS,
    definitions: Sequence[Attribute] = (),
) -> CustomerWords:
    """:func:`customer_words` of the tagged pairs of ``analysis`` (``definitions``: the
    attributes it was tagged with, to name the words their definitions never use)."""
    sentence = analysis.pair_sentence.tolist()
    return customer_words(
        [analysis.sentence_text[s] for s in sentence],
        analysis.sentence_comment[analysis.pair_sentence].tolist(),
        [analysis.attribute_ids[a] for a in analysis.pair_attribute.tolist()],
        [POLARITIES[k] for k in analysis.pair_polarity.tolist()],
        min_group=min_group,
        words=words,
        definitions={a.id: a for a in definitions} if definitions else None,
    )
