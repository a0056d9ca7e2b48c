"""The REST API (django-ninja): assessments, invitations, results and insights.

OpenAPI schema at ``/api/openapi.json``, interactive docs at ``/api/docs``. Every endpoint
but the respondent's survey takes ``Authorization: Bearer <token>`` (tokens are made on the
"API tokens" page) and obeys the same tenant rules as the pages: another organisation's ids
answer 404, a role too low 403. Each endpoint parses, calls one service, and returns.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, NinjaAPI, Path, Query, Schema, Status
from ninja.security import HttpBearer
from pydantic import StringConstraints

from outsidein.services import dashboard, insights, invitations, survey, tenants

ALIAS = DEFAULT_DB_ALIAS
MAX_ID = 10**15

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Slug = Annotated[str, Path(pattern=r"^[-a-zA-Z0-9_]{1,100}$")]
Text = Annotated[str, StringConstraints(max_length=300, pattern=r"^[^\x00]*$")]
LongText = Annotated[str, StringConstraints(max_length=10_000, pattern=r"^[^\x00]*$")]
Language = Literal["en", "fi", "de"]


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> int | None:
        return tenants.user_for_token(ALIAS, token)


api = NinjaAPI(
    title="outsidein",
    version="1",
    description=__doc__ or "",
    auth=BearerToken(),
    urls_namespace="api",
)


def _user(request: HttpRequest) -> int:
    user: int = request.auth  # type: ignore[attr-defined]
    return user


def _survey_url(request: HttpRequest) -> invitations.SurveyUrl:
    return lambda token: request.build_absolute_uri(reverse("survey", args=[token]))


class Error(Schema):
    detail: str
    field: str | None = None


class AnswerError(Schema):
    detail: str
    errors: dict[str, str]


@api.exception_handler(tenants.NotFound)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "not found"}, status=404)


@api.exception_handler(tenants.Forbidden)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(tenants.Invalid)
def _invalid(request: HttpRequest, exc: tenants.Invalid) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "field": exc.field}, status=422)


@api.exception_handler(invitations.MailFailed)
def _mail_failed(request: HttpRequest, exc: invitations.MailFailed) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "field": None}, status=502)


@api.exception_handler(invitations.AssessmentClosed)
def _assessment_closed(request: HttpRequest, exc: invitations.AssessmentClosed) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "field": None}, status=409)


@api.exception_handler(survey.SurveyClosed)
def _survey_closed(request: HttpRequest, exc: survey.SurveyClosed) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc), "closed_at": exc.closed_at}, status=410
    )


@api.exception_handler(survey.AnswerErrors)
def _answers(request: HttpRequest, exc: survey.AnswerErrors) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc), "errors": exc.errors}, status=422
    )


READ = {401: Error, 403: Error, 404: Error, 422: Error}

# --------------------------------------------------------------------------- organisations


class OrganisationOut(Schema):
    slug: str
    name: str
    role: str


class OrganisationIn(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]


class AssessmentOut(Schema):
    id: int
    organisation: str
    organisation_name: str
    name: str
    created_at: datetime
    instrument_version: str
    anonymity_threshold: int
    score_threshold: float
    parity_threshold: float
    role: str
    closed_at: datetime | None = Field(
        None, description="when the staff survey was closed (it takes no answers); null: open"
    )


class AssessmentIn(Schema):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
    anonymity_threshold: int = Field(5, ge=2, le=1000)


@api.get("/organisations", response={200: list[OrganisationOut], 401: Error},
         tags=["organisations"])
def list_organisations(request: HttpRequest) -> Any:
    return list(tenants.organisations(ALIAS, _user(request)))  # a 2-tuple reads as a status


@api.post("/organisations", response={201: OrganisationOut, **READ}, tags=["organisations"])
def create_organisation(request: HttpRequest, body: OrganisationIn) -> Any:
    return Status(201, tenants.create_organisation(ALIAS, _user(request), name=body.name))


@api.get("/organisations/{slug}/assessments", response={200: list[AssessmentOut], **READ},
         tags=["assessments"])
def list_assessments(request: HttpRequest, slug: Slug) -> Any:
    return list(tenants.assessments(ALIAS, _user(request), slug))


@api.post("/organisations/{slug}/assessments", response={201: AssessmentOut, **READ},
          tags=["assessments"])
def create_assessment(request: HttpRequest, slug: Slug, body: AssessmentIn) -> Any:
    return Status(201, tenants.create_assessment(
        ALIAS, _user(request), slug, name=body.name,
        anonymity_threshold=body.anonymity_threshold,
    ))


@api.get("/assessments/{assessment_id}", response={200: AssessmentOut, **READ},
         tags=["assessments"])
def get_assessment(request: HttpRequest, assessment_id: Id) -> Any:
    return tenants.assessment_for(ALIAS, _user(request), assessment_id)


class SurveyClosureOut(Schema):
    assessment_id: int
    assessment: str
    closed: bool
    closed_at: datetime | None
    changed: bool = Field(description="false: it already was closed (or open)")
    unused_invitations: int | None = Field(
        description="invitations never answered; null where that would reveal a count below "
        "the anonymity threshold"
    )
    message: str


@api.post("/assessments/{assessment_id}/survey/close", response={200: SurveyClosureOut, **READ},
          tags=["assessments"])
def close_survey(request: HttpRequest, assessment_id: Id) -> Any:
    """Close the staff survey: its links take no more answers; answers received stay counted.
    Closing a closed survey changes nothing (``changed`` false, the first ``closed_at``)."""
    return invitations.close_survey(ALIAS, _user(request), assessment_id)


@api.post("/assessments/{assessment_id}/survey/reopen",
          response={200: SurveyClosureOut, **READ}, tags=["assessments"])
def reopen_survey(request: HttpRequest, assessment_id: Id) -> Any:
    """Reopen the staff survey: unused links and saved drafts work again."""
    return invitations.reopen_survey(ALIAS, _user(request), assessment_id)


@api.get("/assessments/{assessment_id}/results", response={200: dict[str, Any], **READ},
         tags=["results"])
def get_results(
    request: HttpRequest, assessment_id: Id, language: Annotated[Language, Query()] = "en"
) -> Any:
    """The readiness verdict and stage: the JSON of ``outsidein assess --json``."""
    return dashboard.assessment_result(
        ALIAS, _user(request), assessment_id, language=language
    ).to_dict()


# --------------------------------------------------------------------------- invitations


class GroupRateOut(Schema):
    group: str
    invited: int
    answered: int | None
    rate: float | None
    suppressed: bool


class RatesOut(Schema):
    threshold: int
    total: GroupRateOut
    by_role: list[GroupRateOut]
    by_department: list[GroupRateOut]
    respondents: int | None


class InvitationOut(Schema):
    id: int
    role: str
    department: str
    language: str
    email: str
    created_at: datetime


class InvitationsIn(Schema):
    role: Literal["manager", "operational"]
    department: Annotated[str, StringConstraints(min_length=1, max_length=200,
                                                 pattern=r"^[^\x00]*$")]
    language: Language = "en"
    emails: list[Annotated[str, StringConstraints(max_length=254)]] = Field(
        default_factory=list, max_length=invitations.MAX_PER_REQUEST
    )
    count: int = Field(0, ge=0, le=invitations.MAX_PER_REQUEST)


class LinkOut(Schema):
    invitation: int
    role: str
    department: str
    language: str
    link: str


class InviteOut(Schema):
    created: int
    mailed: int
    already_invited: int
    mail_error: str | None
    links: list[LinkOut]


class MailedOut(Schema):
    mailed: int


@api.get("/assessments/{assessment_id}/response-rates", response={200: RatesOut, **READ},
         tags=["invitations"])
def get_response_rates(request: HttpRequest, assessment_id: Id) -> Any:
    return invitations.response_rates(ALIAS, _user(request), assessment_id)


@api.get("/assessments/{assessment_id}/invitations",
         response={200: list[InvitationOut], **READ}, tags=["invitations"])
def list_invitations(request: HttpRequest, assessment_id: Id) -> Any:
    return list(invitations.invitations(ALIAS, _user(request), assessment_id))


@api.post("/assessments/{assessment_id}/invitations",
          response={201: InviteOut, 409: Error, **READ}, tags=["invitations"])
def create_invitations(request: HttpRequest, assessment_id: Id, body: InvitationsIn) -> Any:
    """Mail a link to each address; ``count`` more links come back to hand out yourself.

    409: the survey is closed (reopen it first)."""
    outcome = invitations.invite(
        ALIAS, _user(request), assessment_id, role=body.role, department=body.department,
        language=body.language, emails=body.emails, count=body.count,
        survey_url=_survey_url(request),
    )
    return Status(201, {
        "created": outcome.created, "mailed": outcome.mailed,
        "already_invited": outcome.already_invited, "mail_error": outcome.mail_error,
        "links": [
            {"invitation": i.id, "role": i.role, "department": i.department,
             "language": i.language, "link": link}
            for i, link in outcome.links
        ],
    })


@api.post("/assessments/{assessment_id}/reminders",
          response={200: MailedOut, 409: Error, 502: Error, **READ}, tags=["invitations"])
def send_reminders(request: HttpRequest, assessment_id: Id) -> Any:
    """Mail every invited address that has not answered (you only learn how many).

    409: the survey is closed."""
    return {"mailed": invitations.send_reminders(
        ALIAS, _user(request), assessment_id, survey_url=_survey_url(request)
    )}


# --------------------------------------------------------------------------- insights


class ShareOut(Schema):
    department: str
    shared_at: datetime


class ActionOut(Schema):
    id: int
    title: str
    owner: str
    due_date: date | None
    status: str
    created_at: datetime
    started_at: datetime | None


class InsightOut(Schema):
    id: int
    assessment_id: int
    title: str
    description: str
    evidence_kind: str
    evidence_ref: str
    source_department: str
    created_at: datetime
    shares: list[ShareOut]
    actions: list[ActionOut]


class InsightIn(Schema):
    title: Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=r"^[^\x00]*$")]
    evidence_kind: Literal["aspect", "gap", "attribute", "journey_step", "indicator"]
    evidence_ref: Text
    description: LongText = ""
    source_department: Text = ""
    departments: list[Text] = Field(default_factory=list, max_length=100)


class ShareIn(Schema):
    department: Annotated[str, StringConstraints(min_length=1, max_length=200,
                                                 pattern=r"^[^\x00]*$")]


class ActionIn(Schema):
    title: Text
    owner: Text
    due_date: date | None = None
    status: Literal["planned", "started", "done"] = "planned"


class ActionStatusIn(Schema):
    status: Literal["planned", "started", "done"]


class ProportionOut(Schema):
    share: float
    ci_low: float
    ci_high: float
    count: int
    n: int
    level: float
    method: str


class MetricsOut(Schema):
    insights: int
    multi_department: ProportionOut | None
    acted_on: ProportionOut | None
    median_days_to_action: float | None
    acted: int


@api.get("/assessments/{assessment_id}/insights", response={200: list[InsightOut], **READ},
         tags=["insights"])
def list_insights(request: HttpRequest, assessment_id: Id) -> Any:
    return list(insights.insights(ALIAS, _user(request), assessment_id))


@api.post("/assessments/{assessment_id}/insights", response={201: InsightOut, **READ},
          tags=["insights"])
def create_insight(request: HttpRequest, assessment_id: Id, body: InsightIn) -> Any:
    return Status(201, insights.create_insight(
        ALIAS, _user(request), assessment_id, title=body.title,
        evidence_kind=body.evidence_kind, evidence_ref=body.evidence_ref,
        description=body.description, source_department=body.source_department,
        departments=tuple(body.departments),
    ))


@api.get("/assessments/{assessment_id}/insight-metrics", response={200: MetricsOut, **READ},
         tags=["insights"])
def get_insight_metrics(request: HttpRequest, assessment_id: Id) -> Any:
    """Stage 3 measured: insights shared with 2+ departments, acted on, days to action."""
    return insights.insight_metrics(ALIAS, _user(request), assessment_id)


@api.get("/insights/{insight_id}", response={200: InsightOut, **READ}, tags=["insights"])
def get_insight(request: HttpRequest, insight_id: Id) -> Any:
    return insights.insight(ALIAS, _user(request), insight_id)


@api.delete("/insights/{insight_id}", response={204: None, **READ}, tags=["insights"])
def delete_insight(request: HttpRequest, insight_id: Id) -> Any:
    insights.delete_insight(ALIAS, _user(request), insight_id)
    return Status(204, None)


@api.post("/insights/{insight_id}/shares", response={200: InsightOut, **READ},
          tags=["insights"])
def share_insight(request: HttpRequest, insight_id: Id, body: ShareIn) -> Any:
    return insights.share_insight(ALIAS, _user(request), insight_id, department=body.department)


@api.post("/insights/{insight_id}/actions", response={201: InsightOut, **READ},
          tags=["insights"])
def add_action(request: HttpRequest, insight_id: Id, body: ActionIn) -> Any:
    return Status(201, insights.add_action(
        ALIAS, _user(request), insight_id, title=body.title, owner=body.owner,
        due_date=body.due_date, status=body.status,
    ))


@api.patch("/actions/{action_id}", response={200: InsightOut, **READ}, tags=["insights"])
def set_action_status(request: HttpRequest, action_id: Id, body: ActionStatusIn) -> Any:
    return insights.set_action_status(ALIAS, _user(request), action_id, status=body.status)


# --------------------------------------------------------------------------- the survey


class ChoiceOut(Schema):
    value: int
    label: str


class QuestionOut(Schema):
    id: str
    text: str
    choices: list[ChoiceOut]


class PageOut(Schema):
    number: int
    section: str
    title: str
    questions: list[QuestionOut]


class SurveyOut(Schema):
    language: str
    role: str
    organisation_name: str
    assessment_name: str
    anonymity_threshold: int
    submitted: bool
    answers: dict[str, int]
    pages: list[PageOut]


class SubmitIn(Schema):
    answers: dict[Annotated[str, StringConstraints(max_length=100)], int] = Field(
        default_factory=dict, max_length=2000
    )


class SubmitOut(Schema):
    status: Literal["received"]
    created: bool


class ClosedOut(Schema):
    detail: str
    closed_at: datetime


@api.get("/survey/{token}", auth=None, response={200: SurveyOut, 404: Error, 410: ClosedOut},
         tags=["survey"])
def get_survey(request: HttpRequest, token: str) -> Any:
    """The respondent's survey: questions in their language and the answers saved so far.

    410: the survey is closed (a link already submitted still gets 200, ``submitted`` true)."""
    return survey.open_survey(ALIAS, token)


@api.post("/survey/{token}/submit", auth=None,
          response={200: SubmitOut, 201: SubmitOut, 404: Error, 410: ClosedOut,
                    422: AnswerError},
          tags=["survey"])
def submit_survey(request: HttpRequest, token: str, body: SubmitIn) -> Any:
    """Store the whole response exactly once.

    201: stored now. 200: this link had already been submitted; nothing was written (a
    retry of a request whose response was lost gets 200, never a second copy, also after the
    survey closed). 410: the survey is closed; nothing was stored.
    """
    outcome = survey.submit(ALIAS, token, body.answers)
    return Status(201 if outcome.created else 200,
                  {"status": "received", "created": outcome.created})
