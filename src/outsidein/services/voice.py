"""Use case: tag a file of customer comments with quality attributes and sentiment.

``outsidein voice tag INPUT --text COL --attributes attrs.yaml [--train LABELLED.csv]
--out OUT.csv`` calls :func:`tag_file`. No workspace is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from outsidein.core.quality import DEFAULT_MIN_GROUP
from outsidein.core.sentiment import AspectPolarity, Polarity
from outsidein.core.voice import VoiceAnalysis, analyse_voice
from outsidein.core.voice_attributes import Attribute
from outsidein.core.voice_features import TextEncoder
from outsidein.core.voice_tagging import AttributeTagger
from outsidein.core.voice_words import CustomerWords, analysis_words
from outsidein.io.problems import Problem, reject_if_any
from outsidein.io.voice_files import LabelledSentences, read_attributes, read_labelled, read_table
from outsidein.io.voice_files import text_column as read_text_column
from outsidein.io.voice_model import (
    default_model_dir,
    load_encoder,
    load_sentiment_lexicon,
    load_shipped_polarity,
)

OUTPUT_COLUMNS = ("attributes", "attribute_sentiment", "sentiment")
NOTE_WORDS = 5  # learned words named in the note, per direction


@dataclass(frozen=True, slots=True, kw_only=True)
class VoiceTagSummary:
    """What :func:`tag_file` did, for the CLI to print."""

    out_path: Path
    rows: int
    sentences: int
    tagged_rows: int
    regime: str
    signals: str
    note: str
    model_dir: Path | None
    words: CustomerWords  # in customers' words, per attribute


@dataclass(frozen=True, slots=True)
class VoiceEngine:
    """A fitted tagger and the polarity models that read its tagged pairs and whole sentences."""

    tagger: AttributeTagger
    polarity: AspectPolarity  # of (sentence, attribute) pairs
    overall: AspectPolarity  # of whole sentences
    signed_examples: int  # praise and complaint phrases that corrected the shipped model
    # why labelled polarities were not used, when they were given but could not be
    ignored_polarity: str = ""

    def analyse(self, comments: Sequence[str]) -> VoiceAnalysis:
        """Tag ``comments`` and read their polarity (:func:`analyse_voice`)."""
        return analyse_voice(
            comments, tagger=self.tagger, polarity=self.polarity, overall=self.overall
        )

    @property
    def note(self) -> str:
        """What the polarity learned from the attribute definitions (and why labelled
        polarities went unused), to print with the results."""
        note = self._phrases_note()
        if self.ignored_polarity:
            note = "; ".join(n for n in (note, self.ignored_polarity) if n)
        return note

    def _phrases_note(self) -> str:
        if not self.signed_examples:
            return ""
        note = (
            f"polarity corrected by {self.signed_examples} praise and complaint phrases of the "
            "attributes"
        )
        # the words that lean most, so that a reader can check what was learned
        lean = {
            word.replace("NOT_", "not "): positive - negative
            for word, (negative, positive) in self.overall.corrections_.items()
        }
        complaints = sorted((w for w in lean if lean[w] < 0), key=lean.__getitem__)
        praise = sorted((w for w in lean if lean[w] > 0), key=lean.__getitem__, reverse=True)
        if complaints or praise:
            note += (
                f" (read as complaints most: {', '.join(complaints[:NOTE_WORDS]) or 'none'}; "
                f"as praise most: {', '.join(praise[:NOTE_WORDS]) or 'none'})"
            )
        return note


def build_voice_engine(
    attributes: Sequence[Attribute],
    *,
    labelled: LabelledSentences | None = None,
    encoder: TextEncoder | None = None,
) -> VoiceEngine:
    """A fitted tagger (zero-shot, or trained on ``labelled``) and polarity models.

    Polarity starts from the shipped attribute-agnostic model, corrected by the attributes'
    praise and complaint phrases where they have some (:meth:`AspectPolarity.corrected`):
    "late delivery" among the complaints makes "late" read negative. That model reads whole
    sentences. Where ``labelled`` carries polarity for the attributes, an attribute-aware model
    reads the tagged pairs: in the few-shot regime trained on top of the (corrected) shipped
    model, whose log-probabilities are features (with 16 labelled sentences per attribute of
    MAMS-ACSA, 0.695 accuracy against 0.645 from the labels alone, ``benchmarks/voice.py``); in
    the supervised regime from the labels alone (0.758).
    """
    tagger = AttributeTagger(attributes, encoder)
    if labelled is None:
        tagger.fit()
    else:
        tagger.fit(labelled.texts, labelled.labels)
    shipped = load_shipped_polarity(encoder)
    signed = [
        (phrase, index, sign)
        for index, attribute in enumerate(tagger.attributes)
        for phrases, sign in (
            (attribute.praise, Polarity.POSITIVE),
            (attribute.complaints, Polarity.NEGATIVE),
        )
        for phrase in phrases
        if phrase.strip()
    ]
    if signed:
        batch = tagger.prepare([phrase for phrase, _, _ in signed])
        shipped = shipped.corrected(
            batch,
            np.arange(len(signed)),
            [index for _, index, _ in signed],
            [sign for _, _, sign in signed],
        )
    polarity = shipped
    ignored = ""
    if labelled is not None and labelled.polarity is not None:
        ids = tagger.attribute_ids_
        sentence, attribute, value = [], [], []
        for i, pairs in enumerate(labelled.polarity):
            for identifier, polarity_value in pairs:
                sentence.append(i)
                attribute.append(ids.index(identifier))
                value.append(polarity_value)
        if len(set(value)) == 1:
            ignored = (
                f"the labelled polarities are all {value[0]}, which teaches nothing: polarity is "
                "read by the shipped model"
            )
        elif value:
            batch = tagger.prepare(labelled.texts)
            # few labels: learn what the shipped model gets wrong in the firm's language;
            # enough for the supervised regime: learn the firm's polarity from its labels alone
            prior = shipped if tagger.regime_ == "few-shot" else None
            polarity = AspectPolarity(lexicon=load_sentiment_lexicon(), prior=prior).fit(
                batch, sentence, attribute, value, attribute_ids=ids
            )
    return VoiceEngine(
        tagger=tagger,
        polarity=polarity,
        overall=shipped,
        signed_examples=len(signed),
        ignored_polarity=ignored,
    )


def tag_file(
    input_path: Path,
    *,
    text_column: str,
    attributes_path: Path,
    train_path: Path | None = None,
    out_path: Path,
    model_dir: Path | None = None,
) -> VoiceTagSummary:
    """Tag every row of ``input_path`` and write ``out_path`` (CSV).

    OUT keeps the input columns and adds ``attributes`` (ids separated by ``;``),
    ``attribute_sentiment`` (``id:polarity`` pairs separated by ``;``) and ``sentiment``
    (the comment's overall polarity). Raises
    :class:`~outsidein.io.problems.ImportRejected` naming every problem of the inputs.
    """
    input_path, attributes_path, out_path = Path(input_path), Path(attributes_path), Path(out_path)
    attributes = read_attributes(attributes_path)
    frame = read_table(input_path)
    comments = read_text_column(frame, text_column, str(input_path))
    clashes = [c for c in OUTPUT_COLUMNS if c in frame.columns]
    reject_if_any(
        Problem(
            file=str(input_path),
            column=column,
            reason="the input already has this output column; rename it first",
        )
        for column in clashes
    )
    labelled = read_labelled(Path(train_path), [a.id for a in attributes]) if train_path else None
    directory = model_dir or default_model_dir()
    engine = build_voice_engine(attributes, labelled=labelled, encoder=load_encoder(directory))
    analysis = engine.analyse(comments)
    out = pl.concat([frame, analysis.to_frame()], how="horizontal")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out.write_csv(out_path)
    return VoiceTagSummary(
        out_path=out_path,
        rows=frame.height,
        sentences=len(analysis.sentences),
        tagged_rows=sum(1 for c in analysis.comments if c.attributes),
        regime=analysis.regime,
        signals=analysis.signals,
        note="; ".join(part for part in (analysis.note, engine.note) if part),
        model_dir=directory if analysis.signals != "lexical-only" else None,
        words=analysis_words(analysis, min_group=DEFAULT_MIN_GROUP, definitions=attributes),
    )
