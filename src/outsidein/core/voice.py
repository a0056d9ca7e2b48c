"""Customer voice: what each comment says about which quality attribute, and how it feels.

The pipeline, for a list of comments:

1. split each comment into sentences (:func:`~outsidein.core.voice_text.split_sentences`);
2. tag each sentence with attributes (:class:`~outsidein.core.voice_tagging.AttributeTagger`,
   zero-shot, few-shot or supervised);
3. give each tagged (sentence, attribute) pair a polarity
   (:class:`~outsidein.core.sentiment.AspectPolarity`); where the sentence holds one of the
   attribute's praise or complaint phrases word for word, and no negation reaches into it
   ("late delivery" in "Another late delivery.", not in "no late delivery this time"), the
   phrase's sign, which the firm stated (:func:`phrase_readings`); and each sentence an
   overall polarity that agrees with them: when some of its attribute readings are positive
   or negative, the sign of their summed positive-minus-negative probability (neutral
   readings say nothing about the sign, so they cannot outvote a judgement); otherwise the
   class with the highest mean probability over the whole-sentence reading and the attribute
   readings;
4. roll sentences up to comments: a comment speaks about the union of its sentences'
   attributes; its polarity on an attribute is the class with the highest mean probability
   over the sentences concerned, and its overall polarity is found from its sentences as a
   sentence's is from its readings.

Comments that no attribute covers feed :func:`~outsidein.core.emerging.find_emerging_problems`.

Example
-------
>>> from outsidein.core.voice_attributes import Attribute
>>> from outsidein.core.sentiment import AspectPolarity
>>> from outsidein.core.voice_tagging import AttributeTagger
>>> staff = Attribute(id="staff", name="Staff", examples=("waiter",))
>>> tagger = AttributeTagger([staff]).fit()
>>> batch = tagger.prepare(["The waiter was great.", "The waiter was rude."])
>>> polarity = AspectPolarity(attribute_aware=False, embedding_weight=0, min_count=1).fit(
...     batch, [0, 1], [0, 0], ["positive", "negative"])
>>> result = analyse_voice(["The waiter was great. Nice."], tagger=tagger, polarity=polarity)
>>> result.comments[0].attributes, result.comments[0].attribute_polarity
(('staff',), (('staff', <Polarity.POSITIVE: 'positive'>),))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl

from outsidein.core.sentiment import POLARITIES, WHOLE_SENTENCE, AspectPolarity, Polarity
from outsidein.core.voice_attributes import Attribute
from outsidein.core.voice_features import FloatArray
from outsidein.core.voice_tagging import AttributeTagger, IntArray, Regime
from outsidein.core.voice_text import TokenBatch, negated_at, split_sentences, tokenize

Signals = Literal["embedding+lexical", "lexical-only"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SentenceVoice:
    """One sentence: the attributes it speaks about, with polarity, and its own polarity."""

    comment: int
    text: str
    attributes: tuple[str, ...]
    attribute_polarity: tuple[tuple[str, Polarity], ...]
    polarity: Polarity


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentVoice:
    """One comment, rolled up from its sentences."""

    attributes: tuple[str, ...]
    attribute_polarity: tuple[tuple[str, Polarity], ...]
    polarity: Polarity
    n_sentences: int


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class VoiceAnalysis:
    """What the comments say, per sentence and per comment, and how it was found.

    Stored by column (arrays of codes into ``attribute_ids`` and ``POLARITIES``) so that a
    million sentences cost arrays, not a million objects; :attr:`sentences`,
    :attr:`comments` and the frames present them.
    """

    attribute_ids: tuple[str, ...]
    regime: Regime
    signals: Signals
    sentence_text: tuple[str, ...]
    sentence_comment: IntArray
    sentence_polarity: IntArray  # code into POLARITIES
    pair_sentence: IntArray  # one row per tagged (sentence, attribute)
    pair_attribute: IntArray
    pair_polarity: IntArray
    comment_polarity: IntArray
    comment_attribute_polarity: IntArray  # comments × attributes; -1 where not mentioned
    comment_sentences: IntArray
    cv_macro_f1: float | None = None  # the supervised tagger's cross-validated macro-F1
    # attributes a trained tagger still tags zero-shot: no labelled sentence shows them (or
    # every labelled sentence does)
    zero_shot_attributes: tuple[str, ...] = ()

    @property
    def note(self) -> str:
        """A one-line statement of the method, to print next to the results."""
        if self.signals == "lexical-only":
            note = (
                f"{self.regime} tagging on lexical signals only: the static embedding model was "
                "not available, so synonyms not listed as examples are missed"
            )
        else:
            note = f"{self.regime} tagging on static embeddings and lexical signals"
        if self.cv_macro_f1 is not None:
            note += (
                f"; macro-F1 {self.cv_macro_f1:.2f} in cross-validation on the labelled "
                "sentences (slightly optimistic: the ensemble weights were chosen on it)"
            )
        if self.zero_shot_attributes:
            note += (
                "; tagged zero-shot, as no labelled sentence (or every one) shows them: "
                + ", ".join(self.zero_shot_attributes)
            )
        return note

    @property
    def n_comments(self) -> int:
        return int(self.comment_polarity.size)

    def _sentence_pairs(self) -> list[list[tuple[str, Polarity]]]:
        pairs: list[list[tuple[str, Polarity]]] = [[] for _ in self.sentence_text]
        ids = self.attribute_ids
        for s, a, k in zip(
            self.pair_sentence.tolist(),
            self.pair_attribute.tolist(),
            self.pair_polarity.tolist(),
            strict=True,
        ):
            pairs[s].append((ids[a], POLARITIES[k]))
        return pairs

    def _comment_pairs(self) -> list[list[tuple[str, Polarity]]]:
        ids = self.attribute_ids
        rows, columns = np.nonzero(self.comment_attribute_polarity >= 0)
        codes = self.comment_attribute_polarity[rows, columns]
        pairs: list[list[tuple[str, Polarity]]] = [[] for _ in range(self.n_comments)]
        for c, a, k in zip(rows.tolist(), columns.tolist(), codes.tolist(), strict=True):
            pairs[c].append((ids[a], POLARITIES[k]))
        return pairs

    @property
    def sentences(self) -> tuple[SentenceVoice, ...]:
        return tuple(
            SentenceVoice(
                comment=comment,
                text=text,
                attributes=tuple(identifier for identifier, _ in pairs),
                attribute_polarity=tuple(pairs),
                polarity=POLARITIES[code],
            )
            for comment, text, pairs, code in zip(
                self.sentence_comment.tolist(),
                self.sentence_text,
                self._sentence_pairs(),
                self.sentence_polarity.tolist(),
                strict=True,
            )
        )

    @property
    def comments(self) -> tuple[CommentVoice, ...]:
        return tuple(
            CommentVoice(
                attributes=tuple(identifier for identifier, _ in pairs),
                attribute_polarity=tuple(pairs),
                polarity=POLARITIES[code],
                n_sentences=count,
            )
            for pairs, code, count in zip(
                self._comment_pairs(),
                self.comment_polarity.tolist(),
                self.comment_sentences.tolist(),
                strict=True,
            )
        )

    def sentences_frame(self) -> pl.DataFrame:
        """One row per sentence: comment, text, attributes, attribute_sentiment, sentiment."""
        pairs = self._sentence_pairs()
        return pl.DataFrame(
            {
                "comment": self.sentence_comment.tolist(),
                "text": list(self.sentence_text),
                "attributes": [format_attributes([i for i, _ in p]) for p in pairs],
                "attribute_sentiment": [format_attribute_sentiment(p) for p in pairs],
                "sentiment": [str(POLARITIES[k]) for k in self.sentence_polarity.tolist()],
            },
            schema=_SENTENCE_SCHEMA,
        )

    def to_frame(self) -> pl.DataFrame:
        """One row per comment: attributes, attribute_sentiment, sentiment (as in OUT.csv)."""
        pairs = self._comment_pairs()
        return pl.DataFrame(
            {
                "attributes": [format_attributes([i for i, _ in p]) for p in pairs],
                "attribute_sentiment": [format_attribute_sentiment(p) for p in pairs],
                # a comment with no sentence (an empty cell) has no sentiment, not a neutral one
                "sentiment": [
                    str(POLARITIES[k]) if n else ""
                    for k, n in zip(
                        self.comment_polarity.tolist(), self.comment_sentences.tolist(), strict=True
                    )
                ],
            },
            schema=_COMMENT_SCHEMA,
        )


_SENTENCE_SCHEMA = {
    "comment": pl.Int64,
    "text": pl.String,
    "attributes": pl.String,
    "attribute_sentiment": pl.String,
    "sentiment": pl.String,
}
_COMMENT_SCHEMA = {
    "attributes": pl.String,
    "attribute_sentiment": pl.String,
    "sentiment": pl.String,
}


def format_attributes(ids: Sequence[str]) -> str:
    """``food;staff``"""
    return ";".join(ids)


def format_attribute_sentiment(pairs: Sequence[tuple[str, Polarity]]) -> str:
    """``food:positive;staff:negative``"""
    return ";".join(f"{identifier}:{polarity}" for identifier, polarity in pairs)


CHUNK_SENTENCES = 20_000
"""Sentences prepared at a time: bounds memory (word vectors, pooled embeddings) on big inputs."""


SignedPhrase = tuple[tuple[str, ...], int, int]
"""A praise or complaint phrase as tokens, its attribute's index and its polarity's index."""


def signed_phrases(attributes: Sequence[Attribute]) -> tuple[SignedPhrase, ...]:
    """The praise and complaint phrases of ``attributes``, tokenized, for
    :func:`phrase_readings`."""
    positive, negative = POLARITIES.index(Polarity.POSITIVE), POLARITIES.index(Polarity.NEGATIVE)
    return tuple(
        (words, index, sign)
        for index, attribute in enumerate(attributes)
        for phrases, sign in ((attribute.praise, positive), (attribute.complaints, negative))
        for phrase in phrases
        if (words := tuple(tokenize(phrase)))
    )


def phrase_readings(
    tokens: TokenBatch, phrases: Sequence[SignedPhrase]
) -> dict[tuple[int, int], int]:
    """(sentence, attribute) -> polarity index, where a sentence holds one of the attribute's
    praise or complaint phrases token for token and its first word is not in a negation's scope
    (a negation inside the phrase is part of it: "did not arrive"). The longest phrase found
    decides; where phrases of both signs of equal length are found, none does.

    A model reads "late delivery", the firm's own complaint, as it reads any words; the firm
    said what it means, so its words, found as written, are read as it said. The phrases' first
    words are looked for in the whole batch in one vectorised pass, then each phrase's other
    words at the hits, one array operation per word.

    >>> from outsidein.core.voice_text import tokenize_batch
    >>> late = Attribute(id="on_time", name="On time", complaints=("late delivery",))
    >>> tokens = tokenize_batch(["Another late delivery.", "No late delivery this time."])
    >>> phrase_readings(tokens, signed_phrases([late]))
    {(0, 0): 0}
    """
    if not phrases or tokens.n_tokens == 0:
        return {}
    type_id = {t: i for i, t in enumerate(tokens.types)}
    present = [
        (np.array([type_id[w] for w in words], dtype=np.int64), attribute, sign)
        for words, attribute, sign in phrases
        if all(word in type_id for word in words)
    ]
    if not present:
        return {}
    token_type = tokens.token_type
    firsts = np.unique(np.array([coded[0] for coded, _, _ in present], dtype=np.int64))
    hits = np.flatnonzero(np.isin(token_type, firsts))
    if hits.size == 0:
        return {}
    sentence_of = tokens.sentence_of_token()
    ends = tokens.offsets[1:][sentence_of[hits]]
    matches: list[tuple[IntArray, int, int, int]] = []
    for coded, attribute, sign in present:  # one vectorised check per phrase
        start = hits[(token_type[hits] == coded[0]) & (hits + coded.size <= ends)]
        for k in range(1, coded.size):
            start = start[token_type[start + k] == coded[k]]
        if start.size:
            matches.append((start, int(coded.size), attribute, sign))
    found: dict[tuple[int, int], tuple[int, int]] = {}  # -> (length, sign), sign -1: a tie
    for start, length, attribute, sign in matches:
        kept = start[~negated_at(tokens, start)]
        for sentence in np.unique(sentence_of[kept]).tolist():
            known_length, known = found.get((sentence, attribute), (0, sign))
            if length > known_length:
                found[(sentence, attribute)] = (length, sign)
            elif length == known_length and known != sign:
                found[(sentence, attribute)] = (length, -1)
    return {pair: sign for pair, (_, sign) in found.items() if sign >= 0}


def _score_chunk(
    texts: Sequence[str],
    tagger: AttributeTagger,
    polarity: AspectPolarity,
    overall: AspectPolarity | None,
    phrases: Sequence[SignedPhrase] = (),
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """Tagged pairs (sentence, attribute), their polarity and whole-sentence polarity."""
    batch = tagger.prepare(texts)
    pair_sentence, pair_attribute = np.nonzero(tagger.predict_indicator(batch))
    n = batch.n_sentences
    if overall is None or overall is polarity:
        # one pass: the tagged pairs, then every sentence as a whole
        probabilities = polarity.predict_proba(
            batch,
            np.concatenate([pair_sentence, np.arange(n)]),
            np.concatenate([pair_attribute, np.full(n, WHOLE_SENTENCE)]),
        )
        pair_probability = probabilities[: pair_sentence.size]
        whole = probabilities[pair_sentence.size :]
    else:
        pair_probability = polarity.predict_proba(batch, pair_sentence, pair_attribute)
        whole = overall.predict_proba(batch, np.arange(n), np.full(n, WHOLE_SENTENCE))
    if n == 0:
        whole = np.zeros((0, len(POLARITIES)))
    pair_probability = pair_probability.reshape(-1, len(POLARITIES))
    stated = phrase_readings(batch.tokens, phrases)
    if stated:
        pairs = zip(pair_sentence.tolist(), pair_attribute.tolist(), strict=True)
        for row, pair in enumerate(pairs):
            if pair in stated:
                pair_probability[row] = np.eye(len(POLARITIES))[stated[pair]]
    return (
        pair_sentence.astype(np.int64),
        pair_attribute.astype(np.int64),
        pair_probability,
        whole,
    )


def _signed_or_mean(
    mean: FloatArray, owner: IntArray, lean: FloatArray, part_class: IntArray, n: int
) -> tuple[IntArray, FloatArray]:
    """Per owner (a sentence, or a comment), its polarity from its parts: the sign of the
    summed ``lean`` (positive minus negative probability) of the parts read as positive or
    negative; the argmax of ``mean`` where no part is, or where they cancel out exactly.
    Returns the classes and each owner's lean (that of its mean where no part decides), to
    roll up again."""
    positive, negative = POLARITIES.index(Polarity.POSITIVE), POLARITIES.index(Polarity.NEGATIVE)
    signed = part_class != POLARITIES.index(Polarity.NEUTRAL)
    summed = np.zeros(n)
    np.add.at(summed, owner[signed], lean[signed])
    has_signed = np.zeros(n, dtype=np.bool_)
    has_signed[owner[signed]] = True
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    total = np.maximum(mean.sum(axis=1), 1e-12)
    mean_lean = (mean[:, positive] - mean[:, negative]) / total
    # a tie (one praise and one complaint, each stated by the firm's phrases) is read as its
    # mean is, not as praise
    decided = has_signed & (np.abs(summed) > 1e-12)
    classes = np.where(
        decided, np.where(summed > 0, positive, negative), mean.argmax(axis=1)
    ).astype(np.int64)
    return classes, np.where(decided, summed, mean_lean)


def analyse_voice(
    comments: Sequence[str],
    *,
    tagger: AttributeTagger,
    polarity: AspectPolarity,
    overall: AspectPolarity | None = None,
) -> VoiceAnalysis:
    """Tag and score ``comments`` (see the module docstring).

    ``tagger`` and ``polarity`` are fitted; ``overall`` scores whole sentences (default:
    ``polarity``).
    """
    sentence_texts: list[str] = []
    counts: list[int] = []
    for comment in comments:
        parts = split_sentences(comment) if comment else []
        sentence_texts.extend(parts)
        counts.append(len(parts))
    n_comments = len(counts)
    comment_sentences = np.asarray(counts, dtype=np.int64)
    sentence_comment = np.repeat(np.arange(n_comments, dtype=np.int64), comment_sentences)
    phrases = signed_phrases(tagger.attributes)
    chunks = [
        _score_chunk(
            sentence_texts[start : start + CHUNK_SENTENCES], tagger, polarity, overall, phrases
        )
        for start in range(0, len(sentence_texts), CHUNK_SENTENCES)
    ]
    starts = np.arange(0, len(sentence_texts), CHUNK_SENTENCES)
    pair_sentence = np.concatenate(
        [np.zeros(0, dtype=np.int64)]
        + [chunk[0] + start for chunk, start in zip(chunks, starts, strict=True)]
    )
    pair_attribute = np.concatenate([np.zeros(0, dtype=np.int64)] + [c[1] for c in chunks])
    pair_probability = np.vstack([np.zeros((0, len(POLARITIES)))] + [c[2] for c in chunks])
    whole = np.vstack([np.zeros((0, len(POLARITIES)))] + [c[3] for c in chunks])
    # a sentence's polarity: that of its signed attribute readings, else of all its readings
    sentence_probability = whole.copy()
    np.add.at(sentence_probability, pair_sentence, pair_probability)
    pair_class = pair_probability.argmax(axis=1) if pair_probability.size else np.zeros(0, np.int64)
    positive, negative = POLARITIES.index(Polarity.POSITIVE), POLARITIES.index(Polarity.NEGATIVE)
    pair_lean = (
        pair_probability[:, positive] - pair_probability[:, negative]
        if pair_probability.size
        else np.zeros(0)
    )
    sentence_polarity, sentence_lean = _signed_or_mean(
        sentence_probability, pair_sentence, pair_lean, pair_class, len(sentence_texts)
    )
    # a comment's polarity on an attribute (and overall): the mean over its sentences
    n_attributes = len(tagger.attribute_ids_)
    cell = sentence_comment[pair_sentence] * n_attributes + pair_attribute
    sums = np.zeros((n_comments * n_attributes, len(POLARITIES)))
    np.add.at(sums, cell, pair_probability)
    mentioned = np.zeros(n_comments * n_attributes, dtype=np.bool_)
    mentioned[cell] = True
    comment_attribute = np.where(mentioned, sums.argmax(axis=1), -1).reshape(
        n_comments, n_attributes
    )
    overall_sums = np.zeros((n_comments, len(POLARITIES)))
    np.add.at(
        overall_sums,
        sentence_comment,
        sentence_probability / np.maximum(sentence_probability.sum(axis=1, keepdims=True), 1e-12),
    )
    neutral = POLARITIES.index(Polarity.NEUTRAL)
    by_sentences, _ = _signed_or_mean(
        overall_sums, sentence_comment, sentence_lean, sentence_polarity, n_comments
    )
    comment_polarity = np.where(comment_sentences > 0, by_sentences, neutral)
    return VoiceAnalysis(
        attribute_ids=tagger.attribute_ids_,
        regime=tagger.regime_,
        signals="embedding+lexical" if tagger.embeddings_ else "lexical-only",
        cv_macro_f1=tagger.cv_macro_f1_,
        zero_shot_attributes=tagger.zero_shot_attributes(),
        sentence_text=tuple(sentence_texts),
        sentence_comment=sentence_comment,
        sentence_polarity=sentence_polarity.astype(np.int64),
        pair_sentence=pair_sentence.astype(np.int64),
        pair_attribute=pair_attribute.astype(np.int64),
        pair_polarity=pair_probability.argmax(axis=1).astype(np.int64)
        if pair_probability.size
        else np.zeros(0, dtype=np.int64),
        comment_polarity=comment_polarity.astype(np.int64),
        comment_attribute_polarity=comment_attribute.astype(np.int64),
        comment_sentences=comment_sentences,
    )
