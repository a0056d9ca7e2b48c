"""The respondent's pages: no login, the link's token is the only key.

Every POST answers with a redirect (post/redirect/get), so a reload never resends; a resent
form (back button, double click, retry) is harmless because the service stores a submission
exactly once and answers "received" to every later attempt. A closed survey answers every page
with 410 Gone and a page that says since when, in the respondent's language; a link already
submitted keeps showing its thank-you page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from outsidein.services import survey
from outsidein.services.tenants import NotFound
from outsidein.web.i18n import format_date, texts

ALIAS = DEFAULT_DB_ALIAS
MOVES = ("back", "next", "submit", "stay")


class SeeOther(HttpResponseRedirect):
    status_code = 303


def _page_url(token: str, page: int, *, incomplete: bool = False) -> str:
    url = reverse("survey-page", args=[token, page])
    return url + ("?incomplete=1" if incomplete else "")


def _invalid(request: HttpRequest) -> HttpResponse:
    language = request.GET.get("lang", "en")
    return render(request, "outsidein/survey/invalid.html", {"t": texts(language),
                  "language": language if language in ("en", "fi", "de") else "en"}, status=404)


def _closed(request: HttpRequest, exc: survey.SurveyClosed) -> HttpResponse:
    t = texts(exc.language)
    return render(request, "outsidein/survey/closed.html", {
        "t": t, "language": exc.language,
        "state": {"organisation_name": exc.organisation_name},
        "closed": t["closed"].format(date=format_date(exc.closed_at, exc.language)),
    }, status=410)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF failure view (``CSRF_FAILURE_VIEW``): a page in the respondent's language
    that says what to do, instead of Django's technical one."""
    language = request.GET.get("lang") or getattr(request, "LANGUAGE_CODE", "en")
    language = language if language in ("en", "fi", "de") else "en"
    return render(
        request,
        "outsidein/survey/cookies.html",
        {"t": texts(language), "language": language},
        status=403,
    )


def _answers(request: HttpRequest) -> dict[str, str]:
    return {
        k: str(v) for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "move")
    }


@never_cache
@require_GET
def start(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation: continue where the respondent left off."""
    try:
        state = survey.open_survey(ALIAS, token)
    except NotFound:
        return _invalid(request)
    except survey.SurveyClosed as exc:
        return _closed(request, exc)
    if state.submitted:
        return SeeOther(reverse("survey-done", args=[token]))
    return SeeOther(_page_url(token, state.resume_page))


def _render_page(
    request: HttpRequest, token: str, state: survey.SurveyState, number: int,
    errors: Mapping[str, str], *, submitted_values: Mapping[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    t = texts(state.language)
    page = state.page(number)
    values: dict[str, str] = {k: str(v) for k, v in state.answers.items()}
    values.update(submitted_values or {})
    questions: list[dict[str, Any]] = [
        {
            "q": q, "index": i, "value": values.get(q.id, ""),
            "error": t[errors[q.id]] if q.id in errors else "",
        }
        for i, q in enumerate(page.questions, start=1)
    ]
    return render(request, "outsidein/survey/page.html", {
        "t": t,
        "language": state.language,
        "state": state,
        "page": page,
        "questions": questions,
        "token": token,
        "is_last": number == len(state.pages),
        "progress": t["progress"].format(page=number, pages=len(state.pages)),
        "answered": t["answered"].format(answered=state.answered, total=state.total),
        "percent": round(100 * state.answered / max(1, state.total)),
        "error_summary": (
            t["error_summary"].format(count=len(errors)) if errors else ""
        ),
        "incomplete": request.GET.get("incomplete") == "1",
        "anonymous": t["anonymous"].format(threshold=state.anonymity_threshold),
        "save_url": reverse("survey-save", args=[token]),
    }, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, token: str, number: int) -> HttpResponse:
    """One page of questions; POST saves it and moves back, on, or submits."""
    try:
        if request.method == "GET":
            state = survey.open_survey(ALIAS, token)
            if state.submitted:
                return SeeOther(reverse("survey-done", args=[token]))
            state.page(number)
            return _render_page(request, token, state, number, {})
        raw = request.POST.get("move", "stay")
        move = cast(survey.Move, raw if raw in MOVES else "stay")
        outcome = survey.answer_page(ALIAS, token, number, _answers(request), move)
    except NotFound:
        return _invalid(request)
    except survey.SurveyClosed as exc:
        return _closed(request, exc)
    if outcome.done:
        return SeeOther(reverse("survey-done", args=[token]))
    if outcome.go_to is not None:
        return SeeOther(_page_url(token, outcome.go_to, incomplete=outcome.incomplete))
    kept = {k: v for k, v in _answers(request).items() if k not in outcome.errors}
    return _render_page(request, token, outcome.state, number, outcome.errors,
                        submitted_values=kept)


@never_cache
@require_POST
def save(request: HttpRequest, token: str) -> HttpResponse:
    """The browser's autosave of single answers (progressive enhancement)."""
    try:
        state = survey.save_answers(ALIAS, token, _answers(request))
    except NotFound:
        return JsonResponse({"detail": "not found"}, status=404)
    except survey.SurveyClosed as exc:
        return JsonResponse({"detail": str(exc), "closed_at": exc.closed_at}, status=410)
    except survey.AnswerErrors as exc:
        return JsonResponse({"detail": str(exc), "errors": exc.errors}, status=422)
    return JsonResponse({"submitted": state.submitted, "answered": state.answered,
                         "total": state.total})


@never_cache
@require_GET
def done(request: HttpRequest, token: str) -> HttpResponse:
    try:
        state = survey.open_survey(ALIAS, token)
    except NotFound:
        return _invalid(request)
    except survey.SurveyClosed as exc:
        return _closed(request, exc)
    if not state.submitted:
        return SeeOther(_page_url(token, state.resume_page))
    t = texts(state.language)
    return render(request, "outsidein/survey/done.html", {"t": t, "language": state.language,
                                                          "state": state})
