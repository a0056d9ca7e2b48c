"""Customer evidence about quality (question Q): the survey engine and the gaps to beliefs.

Customer surveys are loaded with every rating on 1–7, the scale of the staff's beliefs, and
feedback ratings on 1–5, whatever scale each dataset was answered on
(:mod:`outsidein.services.customer`); the method texts name the scales that were rescaled.
"""

from __future__ import annotations

import polars as pl

from outsidein.core.evidence import QualityEvidence, VoiceEvidence, mention_table
from outsidein.core.gaps import quality_gaps
from outsidein.core.instrument import Instrument
from outsidein.core.quality import customer_quality
from outsidein.core.readiness import ReadinessPolicy
from outsidein.core.voice_attributes import Attribute
from outsidein.io.voice_files import LabelledSentences
from outsidein.services.workspace import Workspace


def _staff_beliefs(staff: pl.DataFrame, kind: str, attributes: list[str]) -> pl.DataFrame:
    """One column per attribute with the staff's belief of that kind (importance/performance)."""
    prefix = {"importance": "bi_imp__", "performance": "bi_perf__"}[kind]
    columns = [
        (pl.col(f"{prefix}{a}") if f"{prefix}{a}" in staff.columns else pl.lit(None))
        .cast(pl.Float64)
        .alias(a)
        for a in attributes
    ]
    return staff.select("respondent_id", "role", *columns)


def quality_evidence(
    workspace: Workspace,
    staff: pl.DataFrame,
    instrument: Instrument,
    *,
    policy: ReadinessPolicy,
    seed: int,
) -> QualityEvidence | None:
    """Key drivers, NPS and the understanding and delivery gaps from the stored customer survey.

    None when the workspace holds no customer survey.
    """
    from outsidein.services.customer import load_customer_survey, survey_scales

    voice = voice_evidence(workspace, instrument, policy=policy, seed=seed)
    customers = load_customer_survey(workspace)
    if customers.height == 0:
        return None if voice is None else QualityEvidence(customers=None, gaps=None, voice=voice)
    believed = [
        item.attribute
        for item in instrument.items
        if item.attribute is not None and item.aspect == "importance"
    ]
    attributes = [
        a
        for a in believed
        if a in customers.columns and customers[a].null_count() < customers.height
    ]
    if len(attributes) < 2:
        return None if voice is None else QualityEvidence(customers=None, gaps=None, voice=voice)
    importance = {
        a: f"importance__{a}"
        for a in attributes
        if f"importance__{a}" in customers.columns
        and customers[f"importance__{a}"].null_count() < customers.height
    }
    overall = "overall" if customers["overall"].null_count() < customers.height else None
    nps = "nps" if customers["nps"].null_count() < customers.height else None
    csat = "csat" if customers["csat"].null_count() < customers.height else None
    threshold = policy.anonymity_threshold
    scales = survey_scales(workspace)
    survey = customer_quality(
        customers,
        attributes=attributes,
        importance_columns=importance or None,
        overall=overall,
        nps_column=nps,
        csat_column=csat,
        seed=seed,
        level=policy.level,
        min_group=threshold,
        rating_scale=scales.ratings,
        importance_scale=scales.importance,
        csat_scale=scales.csat,
        dimensions={a.id: str(a.dimension) for a in _voice_attributes(workspace)},
    )
    gaps = None
    if staff.height and (overall is not None or importance):
        gaps = quality_gaps(
            _staff_beliefs(staff, "importance", attributes),
            _staff_beliefs(staff, "performance", attributes),
            customers,
            attributes=attributes,
            importance_columns=importance or None,
            overall=overall,
            customer_scale=scales.ratings.scale,
            customer_rescaled_from=scales.ratings.rescaled_from,
            seed=seed + 1,
            level=policy.level,
            min_group=threshold,
        )
    return QualityEvidence(customers=survey, gaps=gaps, voice=voice)


def _voice_attributes(workspace: Workspace) -> list[Attribute]:
    """The firm's quality attributes (or the shipped set) for the text engine."""
    from outsidein.instruments import default_attributes
    from outsidein.store import queries

    chosen = queries.quality_attributes(workspace.alias, workspace.organisation)
    return [Attribute.from_quality(a) for a in (chosen or default_attributes())]


def _voice_note(
    note: str, polarity_note: str, labelled: LabelledSentences | None, outdated: tuple[str, ...]
) -> str:
    if polarity_note:
        note += f"; {polarity_note}"
    if labelled is not None:
        n = len(labelled.texts)
        note += f"; learned from {n} labelled sentence{'' if n == 1 else 's'}"
    if outdated:
        note += (
            "; labelled sentences of attributes the firm no longer has were left out: "
            + ", ".join(outdated)
        )
    return note


def voice_evidence(
    workspace: Workspace, instrument: Instrument, *, policy: ReadinessPolicy, seed: int
) -> VoiceEvidence | None:
    """Tag the stored feedback and measure share of voice, sentiment, impact, new problems.

    The tagger learns from the firm's labelled sentences when the workspace has some
    (``outsidein import voice-labels``), else it tags zero-shot from the attribute definitions.
    """
    from outsidein.core.emerging import emerging_problems
    from outsidein.core.quality import net_sentiment, sentiment_impact, share_of_voice
    from outsidein.core.voice_words import analysis_words
    from outsidein.io.voice_model import load_encoder
    from outsidein.services.customer import feedback_scale, load_feedback, load_voice_labels
    from outsidein.services.voice import build_voice_engine

    feedback = load_feedback(workspace)
    if feedback.height == 0:
        return None
    attributes = _voice_attributes(workspace)
    labelled: LabelledSentences | None = None
    outdated: tuple[str, ...] = ()
    stored = load_voice_labels(workspace)
    if stored is not None:
        labelled, outdated = stored.restricted_to([a.id for a in attributes])
    engine = build_voice_engine(attributes, labelled=labelled, encoder=load_encoder())
    analysis = engine.analyse(feedback["text"].to_list())
    sentences = mention_table(analysis, feedback)
    threshold = policy.anonymity_threshold
    return VoiceEvidence(
        comments=feedback.height,
        sentences=len(analysis.sentence_text),
        note=_voice_note(analysis.note, engine.note, labelled, outdated),
        share=share_of_voice(sentences, level=policy.level, min_group=threshold),
        sentiment=net_sentiment(sentences, level=policy.level, min_group=threshold),
        trend=net_sentiment(sentences, period="1mo", level=policy.level, min_group=threshold),
        impact=(
            sentiment_impact(
                sentences,
                level=policy.level,
                min_group=threshold,
                rating_scale=feedback_scale(workspace),
            )
            if sentences["rating"].null_count() < sentences.height
            else None
        ),
        words=analysis_words(analysis, min_group=threshold, definitions=attributes),
        emerging=emerging_problems(
            analysis,
            engine.tagger,
            min_comments=threshold,
            comment_dates=feedback["date"].dt.date().to_list(),
            random_state=seed,
        ),
    )
