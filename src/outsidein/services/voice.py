"""Use case: tag a file of customer comments with quality attributes and sentiment.

``outsidein voice tag INPUT --text COL --attributes attrs.yaml [--train LABELLED.csv]
--out OUT.csv`` calls :func:`tag_file`. No workspace is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from outsidein.core.sentiment import AspectPolarity
from outsidein.core.voice import VoiceAnalysis, analyse_voice
from outsidein.core.voice_attributes import Attribute
from outsidein.core.voice_features import TextEncoder
from outsidein.core.voice_tagging import AttributeTagger
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


def build_voice_engine(
    attributes: Sequence[Attribute],
    *,
    labelled: LabelledSentences | None = None,
    encoder: TextEncoder | None = None,
) -> tuple[AttributeTagger, AspectPolarity]:
    """A fitted tagger (zero-shot, or trained on ``labelled``) and a polarity model.

    The polarity model is the shipped attribute-agnostic one, unless ``labelled`` carries
    polarity for its attributes, in which case an attribute-aware model is trained: in the
    few-shot regime on top of the shipped model (its log-probabilities are features; with 16
    labelled sentences per attribute of MAMS-ACSA, 0.695 accuracy against 0.645 from the labels
    alone, ``benchmarks/voice.py``), in the supervised regime from the labels alone (0.758).
    """
    tagger = AttributeTagger(attributes, encoder)
    if labelled is None:
        tagger.fit()
    else:
        tagger.fit(labelled.texts, labelled.labels)
    polarity = load_shipped_polarity(encoder)
    if labelled is not None and labelled.polarity is not None:
        ids = tagger.attribute_ids_
        sentence, attribute, value = [], [], []
        for i, pairs in enumerate(labelled.polarity):
            for identifier, polarity_value in pairs:
                sentence.append(i)
                attribute.append(ids.index(identifier))
                value.append(polarity_value)
        if len(set(value)) > 1:
            batch = tagger.prepare(labelled.texts)
            # few labels: learn what the shipped model gets wrong in the firm's language;
            # enough for the supervised regime: learn the firm's polarity from its labels alone
            prior = polarity if tagger.regime_ == "few-shot" else None
            polarity = AspectPolarity(lexicon=load_sentiment_lexicon(), prior=prior).fit(
                batch, sentence, attribute, value, attribute_ids=ids
            )
    return tagger, polarity


def tag_comments(
    comments: Sequence[str],
    attributes: Sequence[Attribute],
    *,
    labelled: LabelledSentences | None = None,
    model_dir: Path | None = None,
) -> VoiceAnalysis:
    """Tag ``comments`` (the Python API behind :func:`tag_file`)."""
    encoder = load_encoder(model_dir)
    tagger, polarity = build_voice_engine(attributes, labelled=labelled, encoder=encoder)
    # whole sentences are read by the shipped model unless it already reads the attributes
    overall = load_shipped_polarity(encoder) if polarity.attribute_aware else None
    return analyse_voice(comments, tagger=tagger, polarity=polarity, overall=overall)


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
    analysis = tag_comments(comments, attributes, labelled=labelled, model_dir=directory)
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
        note=analysis.note,
        model_dir=directory if analysis.signals != "lexical-only" else None,
    )
