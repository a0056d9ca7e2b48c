"""Customer evidence turned into stage metrics and checks of the staff's self-assessment.

The engines measure what customers show (key drivers and ratings, feedback text, journeys);
this module states what those measurements mean for the verdict: the evidence metrics the
stage indicators read, and which readiness aspects the evidence supports or contradicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from outsidein.core.conformance import ProcessEvidence
from outsidein.core.emerging import EmergingProblem
from outsidein.core.gaps import QualityGaps, UnderstandingGap
from outsidein.core.instrument import ROLES, Role
from outsidein.core.quality import (
    CustomerQuality,
    NetSentiment,
    SentimentImpactModel,
    ShareOfVoice,
    Suppressed,
)
from outsidein.core.quality import NotEstimable as QualityNotEstimable
from outsidein.core.readiness import EvidenceCheck, ReadinessPolicy
from outsidein.core.stages import Evidence
from outsidein.core.voice import VoiceAnalysis
from outsidein.core.voice_words import CustomerWords


@dataclass(frozen=True, slots=True, kw_only=True)
class VoiceEvidence:
    """What customers say in free text: which attributes, with what sentiment, and what else."""

    comments: int
    sentences: int
    note: str  # how the text was tagged (regime and signals)
    share: ShareOfVoice | Suppressed
    sentiment: NetSentiment
    trend: NetSentiment
    impact: SentimentImpactModel | Suppressed | QualityNotEstimable | None
    emerging: tuple[EmergingProblem, ...]
    words: CustomerWords | None = None  # in customers' words: praise and complaints per attribute

    def to_dict(self) -> dict[str, object]:
        return {
            "comments": self.comments,
            "sentences": self.sentences,
            "method": self.note,
            "share_of_voice": self.share.to_dict(),
            "sentiment": self.sentiment.to_dict(),
            "sentiment_by_month": self.trend.to_dict(),
            "impact_on_rating": None if self.impact is None else self.impact.to_dict(),
            "emerging_problems": [problem.to_dict() for problem in self.emerging],
            "customer_words": None if self.words is None else self.words.to_dict(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class QualityEvidence:
    """What customers show about quality (question Q), and the gaps to the staff's beliefs."""

    customers: CustomerQuality | None
    gaps: QualityGaps | None
    voice: VoiceEvidence | None = None  # what feedback text says, when feedback is stored

    def to_dict(self) -> dict[str, object]:
        """Every part is present, null until its data is in the workspace (the gaps need staff
        belief items and a customer survey; the voice needs feedback)."""
        out: dict[str, object] = {"understanding_gap": None, "delivery_gap": None}
        if self.gaps is not None:
            out.update(self.gaps.to_dict())
        out["customers"] = None if self.customers is None else self.customers.to_dict()
        out["voice"] = None if self.voice is None else self.voice.to_dict()
        return out


def _understanding(gaps: QualityGaps) -> dict[str, UnderstandingGap]:
    return {
        role: gap for role, gap in gaps.understanding.items() if isinstance(gap, UnderstandingGap)
    }


def quality_metrics(quality: QualityEvidence) -> dict[str, Evidence]:
    """``quality.understanding_tau_low``: Kendall's tau of the role with the lower lower bound,
    with its interval (the stage indicator judges that lower bound).

    Stage 3 needs the firm as a whole to understand customers' priorities, so the metric is
    the role with the lowest lower bound of those that can be shown; with a role suppressed or
    not estimable it is not measured. Stage 3 asks the evidence to *show* understanding (lower
    bound above the floor), while Q-U is contradicted only when it shows a gap (upper bound
    below it, :func:`quality_checks`): an interval between the two does neither.
    """
    if quality.gaps is None:
        return {}
    gaps = _understanding(quality.gaps)
    if set(gaps) != {str(r) for r in ROLES}:
        return {}
    weakest = min(gaps.values(), key=lambda g: g.ci_low)
    return {
        "quality.understanding_tau_low": Evidence(
            metric="quality.understanding_tau_low",
            value=weakest.tau,
            ci_low=weakest.ci_low,
            ci_high=weakest.ci_high,
            n=weakest.n_customers,
            source=f"Kendall's τ-b of the {weakest.role} role's ranking against customers'",
        )
    }


def quality_checks(quality: QualityEvidence, policy: ReadinessPolicy) -> tuple[EvidenceCheck, ...]:
    """Q-U per role: contradicted when the evidence shows the staff misjudge customers'
    priorities: the rank agreement's upper bound is below the floor, or its estimate is below
    the floor and some attributes are clearly misranked (named over- or underestimated: a rank
    shift of two or more whose interval excludes no shift). An interval that merely reaches
    the floor with nothing clearly misranked does not contradict."""
    if quality.gaps is None:
        return ()
    checks = []
    for role, gap in _understanding(quality.gaps).items():
        floor = policy.evidence_tau_floor
        misranked = bool(gap.overestimated or gap.underestimated)
        supported = not (gap.ci_high < floor or (gap.tau < floor and misranked))
        named = ""
        if gap.underestimated:
            named = f"; underestimated: {', '.join(gap.underestimated)}"
        if gap.overestimated:
            named += f"; overestimated: {', '.join(gap.overestimated)}"
        checks.append(
            EvidenceCheck(
                question="Q",
                aspect="U",
                role=Role(role),
                supported=supported,
                note=(
                    f"rank agreement with customers' priorities τ = {gap.tau:.2f} "
                    f"[{gap.ci_low:.2f}–{gap.ci_high:.2f}]"
                    + ("" if supported else f" < {floor:.2f}")
                    + named
                ),
            )
        )
    return tuple(checks)


def process_metrics(process: ProcessEvidence) -> dict[str, Evidence]:
    out: dict[str, Evidence] = {}
    served = process.ecosystem.share_steps_served
    if served is not None:
        out["ecosystem.share_steps_served"] = Evidence(
            metric="ecosystem.share_steps_served",
            value=served,
            n=len(process.ecosystem.steps),
            source="event log and journey model",
        )
    if process.fitness is not None:
        out["process.fitness"] = Evidence(
            metric="process.fitness",
            value=process.fitness.estimate,
            ci_low=process.fitness.low,
            ci_high=process.fitness.high,
            n=process.fitness.n,
            source="alignments of the event log to the staff's journey model",
        )
    return out


UNKNOWN_STEPS_NAMED = 3
"""Steps staff do not know named in a P-U reason (the most frequent first); the rest counted."""


def process_checks(process: ProcessEvidence, policy: ReadinessPolicy) -> tuple[EvidenceCheck, ...]:
    """P-U for both roles: contradicted when real journeys do not follow the staff's model."""
    fitness = process.fitness
    if fitness is None:
        return ()
    supported = fitness.high >= policy.evidence_fitness_floor
    unknown = (
        []
        if process.conformance is None
        else [u.activity for u in process.conformance.unknown_activities]
    )
    if len(unknown) > UNKNOWN_STEPS_NAMED:
        more = len(unknown) - UNKNOWN_STEPS_NAMED
        unknown = [*unknown[:UNKNOWN_STEPS_NAMED], f"and {more} more"]
    note = (
        f"the staff's journey model fits real journeys at {fitness.estimate:.2f} "
        f"[{fitness.low:.2f}–{fitness.high:.2f}]"
        + ("" if supported else f" < {policy.evidence_fitness_floor:.2f}")
        + (f"; steps staff do not know: {', '.join(unknown)}" if unknown else "")
    )
    return tuple(
        EvidenceCheck(question="P", aspect="U", role=role, supported=supported, note=note)
        for role in ROLES
    )


def merge(*parts: Mapping[str, Evidence]) -> dict[str, Evidence]:
    out: dict[str, Evidence] = {}
    for part in parts:
        out.update(part)
    return out


def mention_table(analysis: VoiceAnalysis, feedback: pl.DataFrame) -> pl.DataFrame:
    """One row per (sentence, attribute) — or per sentence about no attribute — with the
    comment's id, rating and date, as the text statistics of :mod:`outsidein.core.quality`
    expect."""
    sentences = analysis.sentences_frame().with_row_index("sentence")
    pairs = (
        sentences.select(
            "sentence", "comment", pl.col("attribute_sentiment").str.split(";").alias("pair")
        )
        .explode("pair")
        .with_columns(
            pl.col("pair").str.split_exact(":", 1).struct.rename_fields(["attribute", "polarity"])
        )
        .unnest("pair")
        .with_columns(
            pl.when(pl.col("attribute") == "")
            .then(None)
            .otherwise(pl.col("attribute"))
            .alias("attribute")
        )
    )
    untagged = pairs.filter(pl.col("attribute").is_null()).join(
        sentences.select("sentence", pl.col("sentiment").alias("sentence_polarity")),
        on="sentence",
    )
    pairs = pl.concat(
        [
            pairs.filter(pl.col("attribute").is_not_null()),
            untagged.with_columns(pl.col("sentence_polarity").alias("polarity")).drop(
                "sentence_polarity"
            ),
        ]
    )
    meta = feedback.select(
        pl.int_range(pl.len()).alias("comment"),
        pl.col("dataset_id").cast(pl.String) + ":" + pl.col("comment_id").cast(pl.String),
        "rating",
        "date",
    ).rename({"dataset_id": "comment_id"})
    return pairs.join(meta, on="comment").select(
        "comment_id", "attribute", "polarity", "rating", "date"
    )
