"""Where the firm stands on Gulati's four stages of outside-in, and what blocks the next one.

Each stage above the first has indicators: survey indicators (staff answers, judged per role on
the conservative bound of a confidence interval) and evidence indicators (metrics computed
from customer data: insights shared across departments, rank agreement with customers'
priorities, coverage of the customer's process). The firm is placed at the highest stage whose
indicators, and those of every stage below, all hold. An evidence indicator whose data has not
been measured is reported as ``not_measured`` and never counts as holding; the survey-only level
is reported beside the confirmed one so the reader sees what evidence would have to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl

from outsidein.core.instrument import ROLES, Indicator, Instrument, Role, pick
from outsidein.core.psychometrics import scale_scores
from outsidein.core.readiness import Answers, ReadinessPolicy, role_label
from outsidein.core.resampling import Interval, bootstrap_mean

IndicatorStatus = Literal["holds", "fails", "not_measured", "suppressed"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """A metric measured from customer data (later engines fill these in)."""

    metric: str
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    source: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class IndicatorResult:
    indicator: Indicator
    status: IndicatorStatus
    text: str
    detail: str
    by_role: Mapping[str, Interval | None]
    evidence: Evidence | None = None

    @property
    def holds(self) -> bool:
        return self.status == "holds"

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.indicator.id,
            "stage": self.indicator.stage,
            "kind": self.indicator.kind,
            "status": self.status,
            "text": self.text,
            "detail": self.detail,
            "threshold": self.indicator.threshold,
            "direction": self.indicator.direction,
            "by_role": {
                role: None if interval is None else interval.to_dict()
                for role, interval in self.by_role.items()
            },
            "evidence": None
            if self.evidence is None
            else {
                "metric": self.evidence.metric,
                "value": self.evidence.value,
                "ci_low": self.evidence.ci_low,
                "ci_high": self.evidence.ci_high,
                "n": self.evidence.n,
                "source": self.evidence.source,
            },
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class StageResult:
    """The diagnosed stage, the indicators behind it and the blockers of the next stage."""

    level: int
    survey_level: int
    indicators: tuple[IndicatorResult, ...]
    names: Mapping[int, str]
    next_actions: str

    @property
    def blockers(self) -> tuple[IndicatorResult, ...]:
        """Indicators of the next stage that do not hold (failing or not yet measured)."""
        return tuple(
            r for r in self.indicators if r.indicator.stage == self.level + 1 and not r.holds
        )

    def for_stage(self, level: int) -> tuple[IndicatorResult, ...]:
        return tuple(r for r in self.indicators if r.indicator.stage == level)

    def to_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "name": self.names.get(self.level, ""),
            "survey_level": self.survey_level,
            "blockers": [
                {"id": b.indicator.id, "status": b.status, "text": b.text, "detail": b.detail}
                for b in self.blockers
            ],
            "indicators": [r.to_dict() for r in self.indicators],
            "next_actions": self.next_actions,
        }


def _compare(value: float, indicator: Indicator) -> bool:
    if indicator.direction == "at_least":
        return value >= indicator.threshold
    return value <= indicator.threshold


def _conservative_bound(interval: Interval, indicator: Indicator) -> float:
    """The bound that must clear the threshold: the lower one for 'at least', else the upper."""
    return interval.low if indicator.direction == "at_least" else interval.high


def _sign(indicator: Indicator) -> str:
    return "≥" if indicator.direction == "at_least" else "≤"


def _survey_indicator(
    indicator: Indicator,
    by_role: Mapping[str, Answers],
    instrument: Instrument,
    policy: ReadinessPolicy,
    rng: np.random.Generator,
) -> IndicatorResult:
    text = pick(indicator.text, policy.language)
    items = tuple(instrument.item(i) for i in indicator.items)
    intervals: dict[str, Interval | None] = {}
    problems: list[str] = []
    suppressed = False
    for role in indicator.roles:
        group = by_role[str(role)]
        scores = scale_scores(group.matrix(items), min_answered=policy.min_answered)
        valid = scores[~np.isnan(scores)]
        if valid.size < max(policy.anonymity_threshold, 2):
            intervals[str(role)] = None
            suppressed = True
            continue
        interval = bootstrap_mean(valid, seed=rng, resamples=policy.resamples, level=policy.level)
        intervals[str(role)] = interval
        if not _compare(_conservative_bound(interval, indicator), indicator):
            problems.append(
                f"{role_label(role, policy.language)}: {interval.estimate:.1f} "
                f"[{interval.low:.1f}–{interval.high:.1f}], needs {_sign(indicator)} "
                f"{indicator.threshold:.1f}"
            )
    if problems:
        return IndicatorResult(
            indicator=indicator,
            status="fails",
            text=text,
            detail="; ".join(problems),
            by_role=intervals,
        )
    if suppressed:
        return IndicatorResult(
            indicator=indicator,
            status="suppressed",
            text=text,
            detail=f"a role group has fewer than {policy.anonymity_threshold} answers",
            by_role=intervals,
        )
    return IndicatorResult(
        indicator=indicator,
        status="holds",
        text=text,
        detail="holds for every role",
        by_role=intervals,
    )


def _evidence_indicator(
    indicator: Indicator, evidence: Mapping[str, Evidence], policy: ReadinessPolicy
) -> IndicatorResult:
    text = pick(indicator.text, policy.language)
    found = evidence.get(indicator.metric or "")
    if found is None:
        return IndicatorResult(
            indicator=indicator,
            status="not_measured",
            text=text,
            detail=f"not yet measured: {_measured_by(indicator.metric or '')}",
            by_role={},
        )
    judged, bound = found.value, ""
    if indicator.direction == "at_least" and found.ci_low is not None:
        judged, bound = found.ci_low, "lower bound "
    if indicator.direction == "at_most" and found.ci_high is not None:
        judged, bound = found.ci_high, "upper bound "
    shown = f"{found.value:.2f}"
    if found.ci_low is not None and found.ci_high is not None:
        shown += f" [{found.ci_low:.2f}–{found.ci_high:.2f}]"
    holds = _compare(judged, indicator)
    return IndicatorResult(
        indicator=indicator,
        status="holds" if holds else "fails",
        text=text,
        detail=(
            f"{shown}, needs {bound}{_sign(indicator)} {indicator.threshold:g}"
            + (f" ({found.source})" if found.source else "")
        ),
        by_role={},
        evidence=found,
    )


_MEASURED_BY = {
    "insights": "record insights, the departments they reached and their actions in the "
    "insight hub (outsidein serve)",
    "quality": "import a customer survey with attribute ratings and importance "
    "(outsidein import customer-survey)",
    "process": "import an event log (outsidein import events) and the staff's journey model "
    "(outsidein journeys model)",
    "ecosystem": "import an event log with who served each step (outsidein import events) and "
    "the staff's journey model (outsidein journeys model)",
}


def _measured_by(metric: str) -> str:
    """What the user must add for ``metric`` to be measured (by its family, the part before
    the dot); the metric's name where the family is unknown."""
    return _MEASURED_BY.get(metric.split(".", 1)[0], f"needs {metric}")


def diagnose_stage(
    responses: pl.DataFrame | Answers,
    instrument: Instrument,
    *,
    evidence: Mapping[str, Evidence] | None = None,
    policy: ReadinessPolicy | None = None,
    seed: int | np.random.Generator,
) -> StageResult:
    """Score the rubric and place the firm on the ladder."""
    policy = policy or ReadinessPolicy()
    evidence = evidence or {}
    if isinstance(responses, pl.DataFrame):
        responses = Answers.from_frame(responses, instrument)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    streams = rng.spawn(max(1, len(instrument.indicators)))
    by_role = {str(r): responses.subset(responses.roles == str(r)) for r in ROLES}
    results = tuple(
        _survey_indicator(ind, by_role, instrument, policy, streams[i])
        if ind.kind == "survey"
        else _evidence_indicator(ind, evidence, policy)
        for i, ind in enumerate(instrument.indicators)
    )
    levels = sorted(s.level for s in instrument.stages)

    def highest(counts: frozenset[str]) -> int:
        reached = levels[0] if levels else 1
        for level in levels[1:]:
            stage_results = [r for r in results if r.indicator.stage == level]
            if stage_results and all(r.status in counts for r in stage_results):
                reached = level
            else:
                break
        return reached

    level = highest(frozenset({"holds"}))
    survey_level = highest(frozenset({"holds", "not_measured"}))
    names = {s.level: pick(s.name, policy.language) for s in instrument.stages}
    actions = pick(instrument.stage(level).actions, policy.language) if instrument.stages else ""
    return StageResult(
        level=level,
        survey_level=survey_level,
        indicators=results,
        names=names,
        next_actions=actions,
    )


__all__ = ["Evidence", "IndicatorResult", "Role", "StageResult", "diagnose_stage"]
