"""Use cases of the readiness and stage assessment: import answers, assess, report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from outsidein.core.assessment import AssessmentResult, Section
from outsidein.core.instrument import Instrument
from outsidein.core.readiness import ReadinessPolicy, assess_readiness
from outsidein.core.stages import Evidence, diagnose_stage
from outsidein.io.responses import read_responses
from outsidein.services.workspace import Workspace, open_workspace


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
    from outsidein.instruments import load_instrument
    from outsidein.store import queries

    attributes = queries.quality_attributes(alias, organisation)
    return load_instrument(attributes=attributes or None)


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

    Each evidence engine (customer voice, journeys, insight hub) adds its metrics here when
    its data is stored; until then the indicators read "not yet measured".
    """
    return {}


def assess_stored(
    alias: str,
    assessment_id: int,
    *,
    policy: ReadinessPolicy | None = None,
    language: str = "en",
    evidence: Mapping[str, Evidence] | None = None,
    sections: Mapping[str, Section] | None = None,
) -> AssessmentResult:
    """Score readiness and stage for one stored assessment (any organisation, any database).

    ``evidence`` and ``sections`` come from the workspace's evidence engines (journeys,
    customer voice); the database's own evidence (the insight hub) is always collected.
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
    measured = {**collect_evidence(alias, assessment.pk), **(evidence or {})}
    readiness = assess_readiness(frame, instrument, policy=policy, seed=assessment.seed)
    stage = diagnose_stage(
        frame, instrument, evidence=measured, policy=policy, seed=assessment.seed + 1
    )
    return AssessmentResult(
        firm=assessment.organisation.name,
        assessment=assessment.name,
        instrument_version=instrument.version,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seed=assessment.seed,
        language=policy.language,
        readiness=readiness,
        stage=stage,
        evidence=measured,
        sections=dict(sections or {}),
    )


def workspace_evidence(ws: Workspace, seed: int) -> tuple[dict[str, Evidence], dict[str, Section]]:
    """Evidence metrics and report sections from the customer data stored in the workspace."""
    from outsidein.services.journeys import process_evidence

    evidence: dict[str, Evidence] = {}
    sections: dict[str, Section] = {}
    process = process_evidence(ws, seed=seed)
    if process is not None:
        sections["process"] = process
        sections["ecosystem"] = process.ecosystem
        served = process.ecosystem.share_steps_served
        if served is not None:
            evidence["ecosystem.share_steps_served"] = Evidence(
                metric="ecosystem.share_steps_served",
                value=served,
                n=len(process.ecosystem.steps),
                source="event log and journey model",
            )
        if process.fitness is not None:
            evidence["process.fitness"] = Evidence(
                metric="process.fitness",
                value=process.fitness.estimate,
                ci_low=process.fitness.low,
                ci_high=process.fitness.high,
                n=process.fitness.n,
                source="alignments of the event log to the journey model",
            )
    return evidence, sections


def assess(
    workspace: Workspace | Path | str,
    *,
    policy: ReadinessPolicy | None = None,
    language: str = "en",
) -> AssessmentResult:
    """Score readiness and stage for the workspace's assessment."""
    ws = _workspace(workspace)
    from outsidein.store import queries

    assessment = queries.get_assessment(
        ws.alias, organisation=ws.organisation, assessment=ws.assessment
    )
    evidence, sections = workspace_evidence(ws, seed=assessment.seed)
    return assess_stored(
        ws.alias,
        assessment.pk,
        policy=policy,
        language=language,
        evidence=evidence,
        sections=sections,
    )


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
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(render_report(result, instrument), encoding="utf-8")
    tmp.replace(target)
    return target
