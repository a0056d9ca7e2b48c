"""Use cases of the readiness and stage assessment: import answers, assess, report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from outsidein.core.assessment import AssessmentResult, Section
from outsidein.core.instrument import Instrument
from outsidein.core.readiness import (
    EvidenceCheck,
    ReadinessPolicy,
    assess_readiness,
    hold_against_evidence,
)
from outsidein.core.stages import Evidence, diagnose_stage
from outsidein.io.responses import read_responses
from outsidein.services.workspace import Workspace, open_workspace

if TYPE_CHECKING:
    from outsidein.services.invitations import SurveyClosure


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportSummary:
    file: str
    respondents: int
    answers: int
    by_role: dict[str, int]

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "respondents": self.respondents,
            "answers": self.answers,
            "by_role": self.by_role,
        }


def _workspace(workspace: Workspace | Path | str) -> Workspace:
    return workspace if isinstance(workspace, Workspace) else open_workspace(workspace)


def organisation_instrument(alias: str, organisation: str) -> Instrument:
    """The instrument of an organisation: shipped items plus belief items for its attributes."""
    from outsidein.instruments import load_instrument, parse_items
    from outsidein.store import queries

    attributes = queries.quality_attributes(alias, organisation)
    own = parse_items(
        queries.custom_item_definitions(alias, organisation), source="the firm's own items"
    )
    return load_instrument(attributes=attributes or None, extra_items=own)


def workspace_instrument(workspace: Workspace) -> Instrument:
    """The instrument of this workspace's organisation."""
    return organisation_instrument(workspace.alias, workspace.organisation)


def import_responses(workspace: Workspace | Path | str, path: Path | str) -> ImportSummary:
    """Validate a responses file and store all of it, or nothing.

    A respondent id already stored in this assessment is a problem too: re-importing the same
    file never counts anyone twice.
    """
    ws = _workspace(workspace)
    from outsidein.io.problems import Problem, reject_if_any
    from outsidein.store import queries

    instrument = workspace_instrument(ws)
    parsed = read_responses(path, instrument)
    assessment = queries.get_assessment(
        ws.alias, organisation=ws.organisation, assessment=ws.assessment
    )
    already = queries.existing_respondents(
        ws.alias, assessment, (r.respondent_id for r in parsed.rows)
    )
    reject_if_any(
        Problem(
            file=parsed.name,
            row=index + 2,
            column="respondent_id",
            reason=f"respondent {row.respondent_id!r} is already stored in this assessment",
        )
        for index, row in enumerate(parsed.rows)
        if row.respondent_id in already
    )
    answers = queries.add_respondents(
        ws.alias,
        assessment,
        [
            queries.NewRespondent(
                external_id=r.respondent_id,
                role=r.role,
                department=r.department,
                answers=r.answers,
            )
            for r in parsed.rows
        ],
        source=f"import:{parsed.name}",
    )
    by_role: dict[str, int] = {}
    for row in parsed.rows:
        by_role[row.role] = by_role.get(row.role, 0) + 1
    return ImportSummary(
        file=parsed.name, respondents=len(parsed.rows), answers=answers, by_role=by_role
    )


def collect_evidence(alias: str, assessment_id: int) -> dict[str, Evidence]:
    """Metrics measured from customer data for the stage indicators.

    The insight hub lives in the database (the share of insights that reached two or more
    departments, the share acted on); the engines over files in a workspace (journeys,
    customer voice) add theirs through :func:`workspace_evidence`. Until data exists the
    stage indicators read "not yet measured".
    """
    from outsidein.services.insights import insight_evidence

    return insight_evidence(alias, assessment_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkspaceEvidence:
    """What the workspace's customer data adds to an assessment."""

    metrics: dict[str, Evidence]
    sections: dict[str, Section]
    checks: tuple[EvidenceCheck, ...]


EvidenceSource = Callable[[pl.DataFrame, Instrument, ReadinessPolicy, int], WorkspaceEvidence]


def assess_stored(
    alias: str,
    assessment_id: int,
    *,
    policy: ReadinessPolicy | None = None,
    language: str = "en",
    evidence_source: EvidenceSource | None = None,
) -> AssessmentResult:
    """Score readiness and stage for one stored assessment (any organisation, any database).

    ``evidence_source`` measures the customer data stored beside the database (a workspace's
    Parquet files) from the staff answers and instrument; the database's own evidence (the
    insight hub) is always collected.
    """
    from outsidein.store import models, queries

    assessment = (
        models.Assessment.objects.using(alias).select_related("organisation").get(pk=assessment_id)
    )
    policy = policy or ReadinessPolicy(
        score_threshold=assessment.score_threshold,
        parity_threshold=assessment.parity_threshold,
        anonymity_threshold=assessment.anonymity_threshold,
        language=language,
    )
    instrument = organisation_instrument(alias, assessment.organisation.slug)
    frame = queries.responses_frame(alias, assessment)
    extra = (
        evidence_source(frame, instrument, policy, assessment.seed)
        if evidence_source is not None
        else WorkspaceEvidence(metrics={}, sections={}, checks=())
    )
    measured = {**collect_evidence(alias, assessment.pk), **extra.metrics}
    readiness = hold_against_evidence(
        assess_readiness(frame, instrument, policy=policy, seed=assessment.seed), extra.checks
    )
    stage = diagnose_stage(
        frame, instrument, evidence=measured, policy=policy, seed=assessment.seed + 1
    )
    closed_at = assessment.closed_at
    return AssessmentResult(
        firm=assessment.organisation.name,
        assessment=assessment.name,
        instrument_version=instrument.version,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        closed_at=(
            None if closed_at is None else closed_at.astimezone(UTC).isoformat(timespec="seconds")
        ),
        seed=assessment.seed,
        language=policy.language,
        readiness=readiness,
        stage=stage,
        evidence=measured,
        sections=extra.sections,
    )


def workspace_evidence(ws: Workspace) -> EvidenceSource:
    """The evidence engines over the customer data stored in the workspace's data folder."""
    from outsidein.core import evidence as rules
    from outsidein.services.journeys import process_evidence
    from outsidein.services.quality import quality_evidence

    def measure(
        staff: pl.DataFrame, instrument: Instrument, policy: ReadinessPolicy, seed: int
    ) -> WorkspaceEvidence:
        metrics: dict[str, Evidence] = {}
        sections: dict[str, Section] = {}
        checks: list[EvidenceCheck] = []
        quality = quality_evidence(ws, staff, instrument, policy=policy, seed=seed + 2)
        if quality is not None:
            sections["quality"] = quality
            metrics.update(rules.quality_metrics(quality))
            checks.extend(rules.quality_checks(quality, policy))
        process = process_evidence(ws, seed=seed + 3, min_cases=policy.anonymity_threshold)
        if process is not None:
            sections["process"] = process
            sections["ecosystem"] = process.ecosystem
            metrics.update(rules.process_metrics(process))
            checks.extend(rules.process_checks(process, policy))
        return WorkspaceEvidence(metrics=metrics, sections=sections, checks=tuple(checks))

    return measure


def assess(
    workspace: Workspace | Path | str,
    *,
    policy: ReadinessPolicy | None = None,
    language: str = "en",
) -> AssessmentResult:
    """Score readiness and stage for the workspace's assessment, with its customer evidence."""
    ws = _workspace(workspace)
    from outsidein.store import queries

    assessment = queries.get_assessment(
        ws.alias, organisation=ws.organisation, assessment=ws.assessment
    )
    return assess_stored(
        ws.alias,
        assessment.pk,
        policy=policy,
        language=language,
        evidence_source=workspace_evidence(ws),
    )


def set_workspace_survey_closed(
    workspace: Workspace | Path | str, *, closed: bool
) -> SurveyClosure:
    """Close (or reopen) the staff survey of the workspace's assessment: once closed, its links
    take no more answers; answers received before stay counted."""
    ws = _workspace(workspace)
    from outsidein.services.invitations import set_survey_closed
    from outsidein.store import queries

    assessment = queries.get_assessment(
        ws.alias, organisation=ws.organisation, assessment=ws.assessment
    )
    return set_survey_closed(ws.alias, assessment.pk, closed=closed)


def write_report(
    workspace: Workspace | Path | str,
    out: Path | str | None = None,
    *,
    language: str = "en",
    result: AssessmentResult | None = None,
) -> Path:
    """Assess (unless ``result`` is given) and write the self-contained HTML report."""
    from outsidein.report import render_report

    ws = _workspace(workspace)
    result = result or assess(ws, language=language)
    target = Path(out) if out else ws.reports_dir / "report.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    instrument = workspace_instrument(ws)
    from outsidein.instruments import default_attributes
    from outsidein.store import queries

    attributes = queries.quality_attributes(ws.alias, ws.organisation) or default_attributes()
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(render_report(result, instrument, attributes), encoding="utf-8")
    tmp.replace(target)
    return target
