"""The insight hub: insights with the result they rest on, the departments they reached and
the actions taken, and the stage-3 evidence measured from them.

Gulati's stage 3 ("understanding is more than listening") claims that insights cross the
silos and are acted on. :func:`insight_evidence` measures exactly that:

- ``insights.share_multi_department``: the share of insights shared with two or more
  departments (Wilson score interval);
- ``insights.share_acted_on``: the share with at least one action started or done (Wilson);
- ``insights.median_days_to_action``: the median days from an insight to its first action
  started, over the insights acted on.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from outsidein.core.instrument import ASPECTS, QUESTIONS, ROLES
from outsidein.core.quality import Proportion, wilson_proportion
from outsidein.core.stages import Evidence
from outsidein.services.tenants import Invalid, NotFound, Role, assessment_for
from outsidein.store import models

EVIDENCE_KINDS = tuple(str(k) for k in models.Insight.EvidenceKind.values)
ACTION_STATUSES = tuple(str(s) for s in models.InsightAction.Status.values)
SOURCE = "insight hub"


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionInfo:
    id: int
    title: str
    owner: str
    due_date: date | None
    status: str
    created_at: datetime
    started_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ShareInfo:
    department: str
    shared_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class InsightInfo:
    id: int
    assessment_id: int
    title: str
    description: str
    evidence_kind: str
    evidence_ref: str
    source_department: str
    created_at: datetime
    shares: tuple[ShareInfo, ...]
    actions: tuple[ActionInfo, ...]

    @property
    def departments(self) -> tuple[str, ...]:
        return tuple(s.department for s in self.shares)

    @property
    def acted_on(self) -> bool:
        return any(a.status != "planned" for a in self.actions)


@dataclass(frozen=True, slots=True, kw_only=True)
class InsightMetrics:
    insights: int
    multi_department: Proportion | None
    acted_on: Proportion | None
    median_days_to_action: float | None
    acted: int


# --------------------------------------------------------------------------- evidence references


def valid_references(alias: str, assessment_id: int) -> dict[str, tuple[str, ...] | None]:
    """What an insight's evidence may point at, per kind (None: any short slug)."""
    from outsidein.services.assessment import organisation_instrument

    org = models.Assessment.objects.using(alias).values_list(
        "organisation__slug", flat=True
    ).get(pk=assessment_id)
    instrument = organisation_instrument(alias, org)
    return {
        "aspect": tuple(f"{q}-{a}:{r}" for q in QUESTIONS for a in ASPECTS for r in ROLES),
        "gap": tuple(f"{q}-{a}" for q in QUESTIONS for a in ASPECTS),
        "attribute": tuple(sorted({i.attribute for i in instrument.items if i.attribute})),
        "indicator": tuple(i.id for i in instrument.indicators),
        "journey_step": None,
    }


def _check_reference(alias: str, assessment_id: int, kind: str, ref: str) -> str:
    if kind not in EVIDENCE_KINDS:
        raise Invalid(f"evidence kind must be one of {', '.join(EVIDENCE_KINDS)}",
                      field="evidence_kind")
    ref = ref.strip()
    allowed = valid_references(alias, assessment_id)[kind]
    if allowed is None:
        if not ref or len(ref) > 200:
            raise Invalid("name the journey step (at most 200 characters)", field="evidence_ref")
    elif ref not in allowed:
        article = "an" if kind[:1] in "aeiou" else "a"
        raise Invalid(f"{ref!r} is not {article} {kind} of this assessment; one of: "
                      + ", ".join(allowed), field="evidence_ref")
    return ref


# --------------------------------------------------------------------------- reading


def _insight(row: models.Insight) -> InsightInfo:
    return InsightInfo(
        id=row.pk, assessment_id=row.assessment_id, title=row.title,
        description=row.description, evidence_kind=row.evidence_kind,
        evidence_ref=row.evidence_ref, source_department=row.source_department,
        created_at=row.created_at,
        shares=tuple(
            ShareInfo(department=s.department, shared_at=s.shared_at)
            for s in sorted(row.shares.all(), key=lambda s: (s.shared_at, s.pk))
        ),
        actions=tuple(
            ActionInfo(id=a.pk, title=a.title, owner=a.owner, due_date=a.due_date,
                       status=a.status, created_at=a.created_at, started_at=a.started_at)
            for a in sorted(row.actions.all(), key=lambda a: (a.created_at, a.pk))
        ),
    )


def _rows(alias: str, assessment_id: int) -> list[models.Insight]:
    return list(
        models.Insight.objects.using(alias)
        .filter(assessment_id=assessment_id)
        .prefetch_related("shares", "actions")
        .order_by("-created_at", "-pk")
    )


def insights(alias: str, user_id: int, assessment_id: int) -> tuple[InsightInfo, ...]:
    assessment_for(alias, user_id, assessment_id)
    return tuple(_insight(r) for r in _rows(alias, assessment_id))


def _insight_row(alias: str, user_id: int, insight_id: int, need: Role) -> models.Insight:
    row = (
        models.Insight.objects.using(alias)
        .filter(pk=insight_id, assessment__organisation__memberships__user_id=user_id)
        .prefetch_related("shares", "actions")
        .first()
    )
    if row is None:
        raise NotFound(f"no insight {insight_id}")
    assessment_for(alias, user_id, row.assessment_id, need=need)
    return row


def insight(alias: str, user_id: int, insight_id: int) -> InsightInfo:
    return _insight(_insight_row(alias, user_id, insight_id, "viewer"))


# --------------------------------------------------------------------------- writing


def create_insight(
    alias: str, user_id: int, assessment_id: int, *, title: str, evidence_kind: str,
    evidence_ref: str, description: str = "", source_department: str = "",
    departments: tuple[str, ...] = (), created_at: datetime | None = None,
) -> InsightInfo:
    """Record an insight and the departments it was shared with (analysts and owners)."""
    assessment_for(alias, user_id, assessment_id, need="analyst")
    title = title.strip()
    if not title or len(title) > 300:
        raise Invalid("give the insight a title of at most 300 characters", field="title")
    ref = _check_reference(alias, assessment_id, evidence_kind, evidence_ref)
    if len(source_department.strip()) > 200:
        raise Invalid("the department name is too long", field="source_department")
    with transaction.atomic(using=alias):
        row = models.Insight.objects.using(alias).create(
            assessment_id=assessment_id, title=title, description=description.strip(),
            evidence_kind=evidence_kind, evidence_ref=ref,
            source_department=source_department.strip(), created_by_id=user_id,
            created_at=created_at or timezone.now(),
        )
        for department in departments:
            _share(alias, row, department, created_at or timezone.now())
    return insight(alias, user_id, row.pk)


def _share(alias: str, row: models.Insight, department: str, when: datetime) -> None:
    """Record one department the insight reached; "Sales", "sales " and "SALES" are one."""
    department = " ".join(department.split())
    if not department or len(department) > 200:
        raise Invalid("give a department of at most 200 characters", field="department")
    shares = models.InsightShare.objects.using(alias).filter(insight=row)
    if not shares.filter(department__iexact=department).exists():
        shares.create(insight=row, department=department, shared_at=when)


def share_insight(
    alias: str, user_id: int, insight_id: int, *, department: str,
    shared_at: datetime | None = None,
) -> InsightInfo:
    """Record that the insight reached ``department`` (once per department)."""
    row = _insight_row(alias, user_id, insight_id, "analyst")
    with transaction.atomic(using=alias):
        _share(alias, row, department, shared_at or timezone.now())
    return insight(alias, user_id, insight_id)


def add_action(
    alias: str, user_id: int, insight_id: int, *, title: str, owner: str,
    due_date: date | None = None, status: str = "planned", created_at: datetime | None = None,
) -> InsightInfo:
    """An action taken on the insight; one created started or done counts as started now."""
    row = _insight_row(alias, user_id, insight_id, "analyst")
    title, owner = title.strip(), owner.strip()
    if not title or len(title) > 300:
        raise Invalid("give the action a title of at most 300 characters", field="title")
    if not owner or len(owner) > 200:
        raise Invalid("name the action's owner (a person or team)", field="owner")
    if status not in ACTION_STATUSES:
        raise Invalid("status must be planned, started or done", field="status")
    now = created_at or timezone.now()
    models.InsightAction.objects.using(alias).create(
        insight=row, title=title, owner=owner, due_date=due_date, status=status,
        created_at=now, started_at=None if status == "planned" else now,
    )
    return insight(alias, user_id, insight_id)


def set_action_status(
    alias: str, user_id: int, action_id: int, *, status: str, at: datetime | None = None
) -> InsightInfo:
    """Move an action; the first move out of 'planned' stamps ``started_at``."""
    if status not in ACTION_STATUSES:
        raise Invalid("status must be planned, started or done", field="status")
    found = (
        models.InsightAction.objects.using(alias)
        .filter(pk=action_id, insight__assessment__organisation__memberships__user_id=user_id)
        .values_list("insight_id", flat=True)
        .first()
    )
    if found is None:
        raise NotFound(f"no action {action_id}")
    _insight_row(alias, user_id, found, "analyst")
    with transaction.atomic(using=alias):
        action = models.InsightAction.objects.using(alias).select_for_update().get(pk=action_id)
        action.status = status
        if status != "planned" and action.started_at is None:
            action.started_at = at or timezone.now()
        action.save(using=alias, update_fields=["status", "started_at", "updated_at"])
    return insight(alias, user_id, found)


def delete_insight(alias: str, user_id: int, insight_id: int) -> None:
    row = _insight_row(alias, user_id, insight_id, "analyst")
    row.delete(using=alias)


# --------------------------------------------------------------------------- measuring


def _metrics(rows: list[models.Insight]) -> InsightMetrics:
    n = len(rows)
    multi = sum(1 for r in rows if len({s.department.casefold() for s in r.shares.all()}) >= 2)
    days: list[float] = []
    for r in rows:
        started = [a.started_at for a in r.actions.all()
                   if a.status != "planned" and a.started_at is not None]
        if started:
            days.append(max(0.0, (min(started) - r.created_at).total_seconds() / 86400))
    acted = len(days)

    def share(count: int) -> Proportion | None:
        result = wilson_proportion(count, n, what="share of insights", min_group=1)
        return result if isinstance(result, Proportion) else None

    return InsightMetrics(
        insights=n,
        multi_department=share(multi) if n else None,
        acted_on=share(acted) if n else None,
        median_days_to_action=float(statistics.median(days)) if days else None,
        acted=acted,
    )


def insight_metrics(alias: str, user_id: int, assessment_id: int) -> InsightMetrics:
    assessment_for(alias, user_id, assessment_id)
    return _metrics(_rows(alias, assessment_id))


def insight_evidence(alias: str, assessment_id: int) -> dict[str, Evidence]:
    """Stage-3 evidence from the insight hub of one assessment; {} when it has no insights."""
    metrics = _metrics(_rows(alias, assessment_id))
    out: dict[str, Evidence] = {}
    for metric, value in (
        ("insights.share_multi_department", metrics.multi_department),
        ("insights.share_acted_on", metrics.acted_on),
    ):
        if value is not None:
            out[metric] = Evidence(
                metric=metric, value=value.share, ci_low=value.ci_low, ci_high=value.ci_high,
                n=value.n, source=SOURCE,
            )
    if metrics.median_days_to_action is not None:
        out["insights.median_days_to_action"] = Evidence(
            metric="insights.median_days_to_action", value=metrics.median_days_to_action,
            n=metrics.acted, source=SOURCE,
        )
    return out


__all__ = [
    "ActionInfo", "InsightInfo", "InsightMetrics", "ShareInfo", "add_action", "create_insight",
    "delete_insight", "insight", "insight_evidence", "insight_metrics", "insights",
    "set_action_status", "share_insight", "valid_references",
]
