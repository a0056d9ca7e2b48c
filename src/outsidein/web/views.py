"""The leaders' pages: organisations, assessments, dashboards, invitations, the insight hub.

Each view parses (a Django form), calls one service, and renders. Tenant rules live in the
services: an object of another organisation raises NotFound (404 here), a role too low
Forbidden (403 here).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outsidein.services import dashboard, insights, invitations, tenants
from outsidein.web import forms
from outsidein.web.presenters import dashboard_context, evidence_anchor

ALIAS = DEFAULT_DB_ALIAS
View = Callable[..., HttpResponse]


def tenant_view(view: View) -> View:
    """Login required; the services' NotFound becomes 404 and Forbidden 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except tenants.NotFound as exc:
            raise Http404(str(exc)) from exc
        except tenants.Forbidden as exc:
            raise PermissionDenied(str(exc)) from exc

    checked: View = login_required(wrapper)
    return checked


def _user(request: HttpRequest) -> int:
    user_id = request.user.pk  # login_required: always a stored user
    assert user_id is not None
    return int(user_id)


def _form_error(form: Form, exc: tenants.Invalid) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def _survey_url(request: HttpRequest) -> invitations.SurveyUrl:
    return lambda token: request.build_absolute_uri(reverse("survey", args=[token]))


def _language(request: HttpRequest) -> str:
    language = request.GET.get("lang", "en")
    return language if language in ("en", "fi", "de") else "en"


# --------------------------------------------------------------------------- organisations


@tenant_view
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = tenants.create_organisation(ALIAS, _user(request),
                                              name=form.cleaned_data["name"])
        except tenants.Invalid as exc:
            _form_error(form, exc)
        else:
            return redirect("organisation", slug=org.slug)
    return render(request, "outsidein/home.html", {
        "organisations": tenants.organisations(ALIAS, _user(request)), "form": form,
    })


@tenant_view
@require_http_methods(["GET", "POST"])
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = tenants.organisation_for(ALIAS, _user(request), slug)
    form = forms.AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = tenants.create_assessment(
                ALIAS, _user(request), slug, name=form.cleaned_data["name"],
                anonymity_threshold=form.cleaned_data["anonymity_threshold"],
            )
        except tenants.Invalid as exc:
            _form_error(form, exc)
        else:
            return redirect("assessment", assessment_id=created.id)
    return render(request, "outsidein/organisation.html", {
        "org": org, "assessments": tenants.assessments(ALIAS, _user(request), slug),
        "form": form, "can_create": org.role in ("owner", "analyst"),
    })


@tenant_view
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    org = tenants.organisation_for(ALIAS, _user(request), slug, need="owner")
    form = forms.MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = tenants.add_member(
                ALIAS, _user(request), slug, username=data["username"], role=data["role"],
                email=data["email"], password=data["password"] or None,
            )
        except tenants.Invalid as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"{member.username} is now {member.role}.")
            return redirect("members", slug=slug)
    return render(request, "outsidein/members.html", {
        "org": org, "members": tenants.members(ALIAS, _user(request), slug), "form": form,
    })


# --------------------------------------------------------------------------- dashboards


@tenant_view
@require_GET
def assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    board = dashboard.dashboard(ALIAS, _user(request), assessment_id,
                                language=_language(request))
    return render(request, "outsidein/dashboard.html", dashboard_context(board))


@tenant_view
@require_GET
def report(request: HttpRequest, assessment_id: int) -> HttpResponse:
    name, html = dashboard.report_html(ALIAS, _user(request), assessment_id,
                                       language=_language(request))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --------------------------------------------------------------------------- invitations


@tenant_view
@require_http_methods(["GET", "POST"])
def invitations_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    info = tenants.assessment_for(ALIAS, _user(request), assessment_id)
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST":
        if not info.can("analyst"):
            raise PermissionDenied("inviting needs the analyst role")
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = invitations.invite(
                    ALIAS, _user(request), assessment_id, role=data["role"],
                    department=data["department"], language=data["language"],
                    emails=form.addresses(), count=data["count"] or 0,
                    survey_url=_survey_url(request),
                )
            except invitations.AssessmentClosed as exc:  # the form is not shown then
                messages.error(request, f"No invitations were created: {exc}.")
                return redirect("invitations", assessment_id=assessment_id)
            except tenants.Invalid as exc:
                _form_error(form, exc)
            else:
                report = messages.warning if outcome.mail_error else messages.success
                report(request, outcome.message)
                return redirect("invitations", assessment_id=assessment_id)
    return render(request, "outsidein/invitations.html", {
        "assessment": info, "form": form,
        "rates": invitations.response_rates(ALIAS, _user(request), assessment_id),
        "can_invite": info.can("analyst"),
    })


@tenant_view
@require_GET
def links_csv(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        text = invitations.export_links(ALIAS, _user(request), assessment_id,
                                        survey_url=_survey_url(request))
    except invitations.AssessmentClosed as exc:
        messages.error(request, f"No links were exported: {exc}.")
        return redirect("invitations", assessment_id=assessment_id)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="links-{assessment_id}.csv"'
    return response


@tenant_view
@require_POST
def reminders(request: HttpRequest, assessment_id: int) -> HttpResponse:
    try:
        sent = invitations.send_reminders(ALIAS, _user(request), assessment_id,
                                          survey_url=_survey_url(request))
    except (invitations.MailFailed, invitations.AssessmentClosed) as exc:
        messages.error(request, f"No reminders were sent: {exc}.")
    else:
        messages.success(request, f"Reminders mailed: {sent}.")
    return redirect("invitations", assessment_id=assessment_id)


def _back(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Back to the page the close/reopen form was on (the dashboard unless it says otherwise)."""
    page = "invitations" if request.POST.get("next") == "invitations" else "assessment"
    return redirect(page, assessment_id=assessment_id)


def _survey_state(
    change: Callable[[str, int, int], invitations.SurveyClosure],
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST view that closes or reopens the survey (``change``) and says what it did."""

    @tenant_view
    @require_POST
    def view(request: HttpRequest, assessment_id: int) -> HttpResponse:
        outcome = change(ALIAS, _user(request), assessment_id)
        messages.success(request, outcome.message)
        return _back(request, assessment_id)

    return view


close_survey = _survey_state(invitations.close_survey)
reopen_survey = _survey_state(invitations.reopen_survey)


# --------------------------------------------------------------------------- insight hub


@tenant_view
@require_http_methods(["GET", "POST"])
def insight_hub(request: HttpRequest, assessment_id: int) -> HttpResponse:
    info = tenants.assessment_for(ALIAS, _user(request), assessment_id)
    form = forms.InsightForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = insights.create_insight(
                ALIAS, _user(request), assessment_id, title=data["title"],
                evidence_kind=data["evidence_kind"], evidence_ref=data["evidence_ref"],
                description=data["description"], source_department=data["source_department"],
                departments=form.department_list(),
            )
        except tenants.Invalid as exc:
            _form_error(form, exc)
        else:
            return redirect("insight", insight_id=created.id)
    return render(request, "outsidein/insights.html", {
        "assessment": info, "form": form, "can_edit": info.can("analyst"),
        "insights": insights.insights(ALIAS, _user(request), assessment_id),
        "metrics": insights.insight_metrics(ALIAS, _user(request), assessment_id),
    })


def _insight_page(request: HttpRequest, insight_id: int, **bound: Form) -> HttpResponse:
    item = insights.insight(ALIAS, _user(request), insight_id)
    info = tenants.assessment_for(ALIAS, _user(request), item.assessment_id)
    context: dict[str, Any] = {
        "insight": item, "assessment": info, "can_edit": info.can("analyst"),
        "evidence_anchor": evidence_anchor(item.evidence_kind, item.evidence_ref),
        "share_form": forms.ShareForm(), "action_form": forms.ActionForm(),
        "statuses": forms.STATUS_CHOICES, **bound,
    }
    return render(request, "outsidein/insight.html", context,
                  status=400 if bound else 200)


@tenant_view
@require_GET
def insight(request: HttpRequest, insight_id: int) -> HttpResponse:
    return _insight_page(request, insight_id)


@tenant_view
@require_POST
def share(request: HttpRequest, insight_id: int) -> HttpResponse:
    form = forms.ShareForm(request.POST)
    if form.is_valid():
        try:
            insights.share_insight(ALIAS, _user(request), insight_id,
                                   department=form.cleaned_data["department"])
        except tenants.Invalid as exc:
            _form_error(form, exc)
        else:
            return redirect("insight", insight_id=insight_id)
    return _insight_page(request, insight_id, share_form=form)


@tenant_view
@require_POST
def action(request: HttpRequest, insight_id: int) -> HttpResponse:
    form = forms.ActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            insights.add_action(ALIAS, _user(request), insight_id, title=data["title"],
                                owner=data["owner"], due_date=data["due_date"],
                                status=data["status"])
        except tenants.Invalid as exc:
            _form_error(form, exc)
        else:
            return redirect("insight", insight_id=insight_id)
    return _insight_page(request, insight_id, action_form=form)


@tenant_view
@require_POST
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    form = forms.ActionStatusForm(request.POST)
    if not form.is_valid():
        raise Http404("no such status")
    item = insights.set_action_status(ALIAS, _user(request), action_id,
                                      status=form.cleaned_data["status"])
    return redirect("insight", insight_id=item.id)


# --------------------------------------------------------------------------- API tokens


@tenant_view
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = forms.TokenForm(request.POST or None)
    created: str | None = None
    if request.method == "POST" and form.is_valid():
        created, _ = tenants.create_api_token(ALIAS, _user(request),
                                              name=form.cleaned_data["name"])
        form = forms.TokenForm()
    return render(request, "outsidein/tokens.html", {
        "form": form, "created": created, "tokens": tenants.api_tokens(ALIAS, _user(request)),
    })


@tenant_view
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    tenants.revoke_api_token(ALIAS, _user(request), token_id)
    return redirect("tokens")
