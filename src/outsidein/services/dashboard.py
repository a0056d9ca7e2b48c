"""What leaders see: the assessment result, response rates and the insight hub's measures.

The result is the same :class:`AssessmentResult` the CLI and the report render
(:func:`outsidein.services.assessment.assess_stored`), so every page and export carries the
core's anonymity suppression. Scoring bootstraps thousands of resamples, so results are cached
(Django's cache) under a fingerprint of everything they depend on: the respondents, the
insight hub, the firm's attributes and data sets, and the assessment's thresholds and whether
its survey is closed. Any change makes a new key.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from outsidein.core.assessment import AssessmentResult
from outsidein.core.instrument import LANGUAGES, Instrument
from outsidein.services.insights import InsightMetrics, insight_metrics
from outsidein.services.invitations import ResponseRates, response_rates
from outsidein.services.tenants import AssessmentInfo, Invalid, assessment_for
from outsidein.services.workspace import Workspace
from outsidein.store import models

if TYPE_CHECKING:
    from outsidein.services.assessment import EvidenceSource

CACHE_SECONDS = 24 * 3600
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class Dashboard:
    assessment: AssessmentInfo
    result: AssessmentResult
    instrument: Instrument
    rates: ResponseRates
    insights: InsightMetrics


def _fingerprint(alias: str, assessment_id: int) -> str:
    assessment = models.Assessment.objects.using(alias).get(pk=assessment_id)
    parts: list[object] = [
        assessment.score_threshold, assessment.parity_threshold,
        assessment.anonymity_threshold, assessment.seed, assessment.closed_at,
        models.Respondent.objects.using(alias).filter(assessment_id=assessment_id).aggregate(
            n=Count("pk"), last=Max("pk")
        ),
        models.Insight.objects.using(alias).filter(assessment_id=assessment_id).aggregate(
            n=Count("pk"), last=Max("updated_at")
        ),
        models.InsightShare.objects.using(alias)
        .filter(insight__assessment_id=assessment_id)
        .aggregate(n=Count("pk"), last=Max("pk")),
        models.InsightAction.objects.using(alias)
        .filter(insight__assessment_id=assessment_id)
        .aggregate(n=Count("pk"), last=Max("updated_at")),
        models.QualityAttribute.objects.using(alias)
        .filter(organisation_id=assessment.organisation_id)
        .aggregate(n=Count("pk"), last=Max("pk")),
        models.Dataset.objects.using(alias)  # customer evidence: feedback, surveys, events
        .filter(organisation_id=assessment.organisation_id)
        .aggregate(n=Count("pk"), last=Max("pk")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise Invalid("language must be en, fi or de", field="language")
    return language


def _result(alias: str, assessment_id: int, language: str) -> AssessmentResult:
    from outsidein.services.assessment import assess_stored

    root = getattr(settings, "OUTSIDEIN_DATA_ROOT", None)
    key = f"outsidein:result:{alias}:{assessment_id}:{language}:{root}:" + _fingerprint(
        alias, assessment_id
    )
    cached = cache.get(key)
    if isinstance(cached, AssessmentResult):
        return cached
    result = assess_stored(
        alias, assessment_id, language=language, evidence_source=_evidence(alias, assessment_id)
    )
    try:
        cache.set(key, result, CACHE_SECONDS)
    except (pickle.PicklingError, TypeError, AttributeError):  # a section that cannot pickle
        log.warning("assessment result of %s not cached: it cannot be pickled", assessment_id)
    return result


def _evidence(alias: str, assessment_id: int) -> EvidenceSource | None:
    """The customer evidence of the served workspace (``OUTSIDEIN_DATA_ROOT``), as the CLI's
    ``assess`` holds it against the staff answers; None where no workspace is served."""
    from outsidein.services.assessment import workspace_evidence

    root = getattr(settings, "OUTSIDEIN_DATA_ROOT", None)
    if not root:
        return None
    assessment = (
        models.Assessment.objects.using(alias).select_related("organisation").get(pk=assessment_id)
    )
    return workspace_evidence(
        Workspace(
            path=Path(root),
            alias=alias,
            organisation=assessment.organisation.slug,
            assessment=assessment.name,
        )
    )


def assessment_result(
    alias: str, user_id: int, assessment_id: int, *, language: str = "en"
) -> AssessmentResult:
    """The readiness verdict, stage and evidence of an assessment the user may view."""
    assessment_for(alias, user_id, assessment_id)
    return _result(alias, assessment_id, _language(language))


def dashboard(alias: str, user_id: int, assessment_id: int, *, language: str = "en") -> Dashboard:
    """Everything the assessment's dashboard shows."""
    from outsidein.services.assessment import organisation_instrument

    info = assessment_for(alias, user_id, assessment_id)
    return Dashboard(
        assessment=info,
        result=_result(alias, assessment_id, _language(language)),
        instrument=organisation_instrument(alias, info.organisation),
        rates=response_rates(alias, user_id, assessment_id),
        insights=insight_metrics(alias, user_id, assessment_id),
    )


def report_html(
    alias: str, user_id: int, assessment_id: int, *, language: str = "en"
) -> tuple[str, str]:
    """The self-contained HTML report: (file name, document)."""
    from outsidein.report import render_report
    from outsidein.services.assessment import organisation_instrument

    info = assessment_for(alias, user_id, assessment_id)
    result = _result(alias, assessment_id, _language(language))
    html = render_report(result, organisation_instrument(alias, info.organisation))
    name = "".join(c if c.isalnum() else "-" for c in f"{info.organisation}-{info.name}")
    return f"{name.strip('-').lower()}-{language}.html", html
