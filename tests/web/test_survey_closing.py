"""Closing and reopening an assessment's staff survey, on SQLite and PostgreSQL: the respondent
is refused (410 Gone, in their language) and nothing is stored; a submission racing the close is
either stored before it or refused, never half; the organiser closes and reopens by form, API
and service, and cannot invite, remind or export links while the survey is closed."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from outsidein.services import invitations, survey, tenants
from outsidein.store import models, web_queries
from tests.web.conftest import Tenant, answer_all, full_answers, links, make_tenant


def respondents(tenant: Tenant) -> int:
    return models.Respondent.objects.filter(assessment_id=tenant.assessment).count()


def answers_stored(tenant: Tenant) -> int:
    return models.Response.objects.filter(respondent__assessment_id=tenant.assessment).count()


def used(tenant: Tenant) -> int:
    return models.Invitation.objects.filter(assessment_id=tenant.assessment, used=True).count()


def close(tenant: Tenant) -> invitations.SurveyClosure:
    return invitations.close_survey("default", tenant.owner, tenant.assessment)


def closed_on(tenant: Tenant, moment: datetime) -> None:
    """Close the survey, then set its closing time to ``moment`` (for a known date)."""
    close(tenant)
    models.Assessment.objects.filter(pk=tenant.assessment).update(closed_at=moment)


def csrf(response: Any) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)
    assert match, "the page has a form with a CSRF token"
    return match.group(1).decode()


class InThread:
    """``action`` run in a thread of its own (with its own database connection)."""

    def __init__(self, action: Callable[[], object]) -> None:
        self.result: object = None
        self.error: BaseException | None = None

        def run() -> None:
            from django.db import connections

            try:
                self.result = action()
            except BaseException as exc:  # checked by the test
                self.error = exc
            finally:
                connections.close_all()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def waiting(self, seconds: float = 0.5) -> bool:
        self.thread.join(seconds)
        return self.thread.is_alive()

    def join(self) -> None:
        self.thread.join(60)
        assert not self.thread.is_alive(), "the thread did not finish"


# --------------------------------------------------------------------------- respondents


def test_a_closed_survey_refuses_every_answer_and_stores_nothing(tenant: Tenant) -> None:
    [token] = links(tenant, role="manager", department="Sales", count=1)
    answers = full_answers(token)
    first_page = [q.id for q in survey.open_survey("default", token).pages[0].questions]
    survey.save_answers("default", token, {first_page[0]: 4})  # a draft exists
    closure = close(tenant)
    assert closure.closed and closure.changed

    with pytest.raises(survey.SurveyClosed) as refused:
        survey.open_survey("default", token)
    assert refused.value.closed_at == closure.closed_at
    assert not isinstance(refused.value, survey.InvalidToken)
    with pytest.raises(survey.SurveyClosed):
        survey.save_answers("default", token, {first_page[1]: 5})
    with pytest.raises(survey.SurveyClosed):
        survey.answer_page("default", token, 1, {q: "5" for q in first_page}, "next")
    with pytest.raises(survey.SurveyClosed):
        survey.submit("default", token, answers)

    assert respondents(tenant) == 0 and answers_stored(tenant) == 0 and used(tenant) == 0
    draft = models.Draft.objects.get()
    assert draft.answers == {first_page[0]: 4}  # kept as it was, for a reopening

    reopened = invitations.reopen_survey("default", tenant.owner, tenant.assessment)
    assert not reopened.closed and reopened.changed
    assert survey.open_survey("default", token).answers == {first_page[0]: 4}
    assert survey.submit("default", token, answers).created
    assert respondents(tenant) == 1 and answers_stored(tenant) == len(answers)
    assert not models.Draft.objects.exists()


def test_a_draft_cannot_be_submitted_through_the_pages_once_closed(tenant: Tenant) -> None:
    [token] = links(tenant, role="operational", department="Floor", count=1)
    state = survey.open_survey("default", token)
    answers = full_answers(token)
    for page in state.pages[:-1]:  # everything but the last page saved
        ids = [q.id for q in page.questions]
        outcome = survey.answer_page(
            "default", token, page.number, {i: str(answers[i]) for i in ids}, "next"
        )
        assert outcome.go_to == page.number + 1
    close(tenant)
    last = state.pages[-1]
    with pytest.raises(survey.SurveyClosed):
        survey.answer_page(
            "default",
            token,
            last.number,
            {q.id: str(answers[q.id]) for q in last.questions},
            "submit",
        )
    assert respondents(tenant) == 0 and used(tenant) == 0
    saved = models.Draft.objects.get().answers
    assert not {q.id for q in last.questions} & set(saved)  # the refused page was not saved


def test_answers_received_before_the_close_stay_counted(tenant: Tenant) -> None:
    [token, other] = links(tenant, role="manager", department="Sales", count=2)
    answers = full_answers(token)
    assert survey.submit("default", token, answers).created
    closure = close(tenant)
    assert closure.unused_invitations is None  # 1 answer of 2: the count would reveal it
    assert "left unused" not in closure.message
    state = survey.open_survey("default", token)  # the thank-you state, as before
    assert state.submitted
    assert survey.submit("default", token, answers) == survey.SubmitOutcome(created=False)
    with pytest.raises(survey.SurveyClosed):
        survey.open_survey("default", other)
    assert respondents(tenant) == 1 and answers_stored(tenant) == len(answers)


def test_closing_twice_keeps_the_first_time_and_counts_unused_links(db: str) -> None:
    tenant = make_tenant("Pieni Oy", threshold=2)
    answer_all(tenant, role="manager", department="Sales", count=2)
    answer_all(tenant, role="operational", department="Floor", count=2, seed=5)
    links(tenant, role="operational", department="Floor", count=3)
    first = close(tenant)
    assert first.changed and first.unused_invitations == 3
    assert first.message.startswith("The survey of 'Spring round' closed at ")
    assert "3 invitations were left unused" in first.message
    again = close(tenant)
    assert not again.changed and again.closed_at == first.closed_at
    assert "was closed already" in again.message
    stored = models.Assessment.objects.get(pk=tenant.assessment).closed_at
    assert stored == first.closed_at
    assert tenants.assessment_for("default", tenant.viewer, tenant.assessment).closed_at == stored
    reopened = invitations.reopen_survey("default", tenant.owner, tenant.assessment)
    assert reopened.changed and reopened.closed_at is None
    assert not invitations.reopen_survey("default", tenant.owner, tenant.assessment).changed
    assert models.Assessment.objects.get(pk=tenant.assessment).closed_at is None


def test_only_analysts_and_owners_close_and_other_tenants_cannot(tenant: Tenant) -> None:
    with pytest.raises(tenants.Forbidden):
        invitations.close_survey("default", tenant.viewer, tenant.assessment)
    other = make_tenant("Rival GmbH")
    with pytest.raises(tenants.NotFound):
        invitations.close_survey("default", other.owner, tenant.assessment)
    assert invitations.close_survey("default", tenant.analyst, tenant.assessment).closed
    with pytest.raises(tenants.Forbidden):
        invitations.reopen_survey("default", tenant.viewer, tenant.assessment)
    with pytest.raises(tenants.NotFound):
        invitations.reopen_survey("default", other.owner, tenant.assessment)
    assert models.Assessment.objects.get(pk=tenant.assessment).closed_at is not None


# --------------------------------------------------------------------------- racing the close


def test_a_submission_in_flight_is_stored_before_the_close_commits(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    [token] = links(tenant, role="manager", department="Sales", count=1)
    answers = full_answers(token)
    inside, release = threading.Event(), threading.Event()
    insert = web_queries.insert_answers

    def slow_insert(alias: str, respondent_id: int, values: dict[str, int]) -> int:
        written = insert(alias, respondent_id, values)
        inside.set()  # claimed, checked open, answers written: not committed yet
        assert release.wait(30)
        return written

    monkeypatch.setattr(web_queries, "insert_answers", slow_insert)
    submitting = InThread(lambda: survey.submit("default", token, answers))
    assert inside.wait(30)
    closing = InThread(lambda: close(tenant))
    assert closing.waiting(), "the close waits for the submission in flight"
    release.set()
    submitting.join()
    closing.join()
    assert submitting.error is None and closing.error is None
    assert submitting.result == survey.SubmitOutcome(created=True)
    assert isinstance(closing.result, invitations.SurveyClosure) and closing.result.closed
    assert respondents(tenant) == 1 and answers_stored(tenant) == len(answers)
    assert used(tenant) == 1


def test_a_submission_during_the_close_waits_and_is_refused(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    [token] = links(tenant, role="manager", department="Sales", count=1)
    answers = full_answers(token)
    inside, release = threading.Event(), threading.Event()
    rates = invitations._rates

    def slow_rates(alias: str, assessment_id: int, k: int) -> invitations.ResponseRates:
        inside.set()  # the close has locked the invitations and set closed_at: not committed
        assert release.wait(30)
        return rates(alias, assessment_id, k)

    monkeypatch.setattr(invitations, "_rates", slow_rates)
    closing = InThread(lambda: close(tenant))
    assert inside.wait(30)
    submitting = InThread(lambda: survey.submit("default", token, answers))
    assert submitting.waiting(), "the submission waits for the close"
    release.set()
    closing.join()
    submitting.join()
    assert closing.error is None
    assert isinstance(submitting.error, survey.SurveyClosed)
    assert respondents(tenant) == 0 and answers_stored(tenant) == 0 and used(tenant) == 0


def test_many_submissions_and_a_close_at_once_are_counted_once(tenant: Tenant) -> None:
    tokens = links(tenant, role="operational", department="Floor", count=7)
    bodies = [full_answers(t, seed=i) for i, t in enumerate(tokens)]
    barrier = threading.Barrier(len(tokens) + 1)

    def submit(i: int) -> Callable[[], object]:
        def run() -> object:
            barrier.wait()
            return survey.submit("default", tokens[i], bodies[i]).created

        return run

    def close_now() -> object:
        barrier.wait()
        return close(tenant)

    threads = [InThread(submit(i)) for i in range(len(tokens))] + [InThread(close_now)]
    for t in threads:
        t.join()
    submits, closing = threads[:-1], threads[-1]
    assert closing.error is None
    assert all(t.error is None or isinstance(t.error, survey.SurveyClosed) for t in submits)
    stored = sum(1 for t in submits if t.result is True)
    assert stored == respondents(tenant) == used(tenant)
    assert answers_stored(tenant) == sum(
        len(bodies[i]) for i, t in enumerate(submits) if t.result is True
    )
    for i, t in enumerate(submits):  # a refused one is refused again, an accepted one acked
        if t.result is True:
            assert not survey.submit("default", tokens[i], bodies[i]).created
        else:
            with pytest.raises(survey.SurveyClosed):
                survey.submit("default", tokens[i], bodies[i])


# --------------------------------------------------------------------------- organisers


def test_no_invitations_reminders_or_links_while_closed(tenant: Tenant) -> None:
    invitations.invite(
        "default",
        tenant.owner,
        tenant.assessment,
        role="manager",
        department="Sales",
        emails=["a@example.com"],
        count=1,
        survey_url=lambda t: t,
    )
    close(tenant)
    before = models.Invitation.objects.count()
    with pytest.raises(invitations.AssessmentClosed, match="reopen it before inviting"):
        invitations.invite(
            "default",
            tenant.analyst,
            tenant.assessment,
            role="manager",
            department="Sales",
            count=1,
            survey_url=lambda t: t,
        )
    mail.outbox.clear()
    with pytest.raises(invitations.AssessmentClosed, match="before sending reminders"):
        invitations.send_reminders(
            "default", tenant.owner, tenant.assessment, survey_url=lambda t: t
        )
    with pytest.raises(invitations.AssessmentClosed, match="before exporting links"):
        invitations.export_links("default", tenant.owner, tenant.assessment, survey_url=lambda t: t)
    assert models.Invitation.objects.count() == before and mail.outbox == []
    invitations.reopen_survey("default", tenant.owner, tenant.assessment)
    assert (
        invitations.send_reminders(
            "default", tenant.owner, tenant.assessment, survey_url=lambda t: t
        )
        == 1
    )


# --------------------------------------------------------------------------- the web


@pytest.mark.parametrize(
    ("language", "title", "sentence"),
    [
        ("en", "This survey is closed", "The survey closed on 5 March 2026"),
        ("fi", "Kysely on suljettu", "Kysely suljettiin 5.3.2026"),
        ("de", "Diese Befragung ist geschlossen", "Die Befragung wurde am 5.3.2026 geschlossen"),
    ],
)
def test_respondents_see_when_the_survey_closed_in_their_language(
    sqlite_db: object, language: str, title: str, sentence: str
) -> None:
    tenant = make_tenant("Acme Oy")
    [token] = links(tenant, role="manager", department="Sales", count=1, language=language)
    client = Client(enforce_csrf_checks=True)
    form_page = client.get(f"/s/{token}/1/")
    token_csrf = csrf(form_page)
    closed_on(tenant, datetime(2026, 3, 5, 23, 30, tzinfo=UTC))
    for response in (
        client.get(f"/s/{token}/"),
        client.get(f"/s/{token}/1/"),
        client.get(f"/s/{token}/done/"),
        client.post(f"/s/{token}/1/", {"csrfmiddlewaretoken": token_csrf, "move": "next"}),
    ):
        assert response.status_code == 410
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        assert f"<h1>{title}</h1>" in html and sentence in html
        assert "Acme Oy" in html  # the firm that asked
    saved = client.post(f"/s/{token}/save/", {"csrfmiddlewaretoken": token_csrf})
    assert saved.status_code == 410
    assert json.loads(saved.content)["closed_at"] == "2026-03-05T23:30:00Z"
    assert not models.Draft.objects.exists()


def test_a_link_already_submitted_still_says_thank_you(sqlite_db: object) -> None:
    tenant = make_tenant("Acme Oy")
    [token] = links(tenant, role="manager", department="Sales", count=1, language="fi")
    survey.submit("default", token, full_answers(token))
    close(tenant)
    client = Client()
    start = client.get(f"/s/{token}/")
    assert start.status_code == 303 and start["Location"].endswith("/done/")
    done = client.get(start["Location"])
    assert done.status_code == 200 and "Kiitos!" in done.content.decode()


def test_the_owner_closes_and_reopens_the_survey_on_the_dashboard(sqlite_db: object) -> None:
    tenant = make_tenant("Nordlicht")
    [token] = links(tenant, role="manager", department="Sales", count=1)
    owner = tenant.client()
    owner.handler.enforce_csrf_checks = True
    dashboard = f"/assessments/{tenant.assessment}/"
    page = owner.get(dashboard)
    html = page.content.decode()
    assert "The survey is open" in html
    assert f'action="/assessments/{tenant.assessment}/survey/close/"' in html
    forged = owner.post(f"{dashboard}survey/close/", {"next": "assessment"})
    assert forged.status_code == 403  # no CSRF token: refused
    assert models.Assessment.objects.get(pk=tenant.assessment).closed_at is None

    closed = owner.post(
        f"{dashboard}survey/close/",
        {"csrfmiddlewaretoken": csrf(page), "next": "assessment"},
        follow=True,
    )
    assert closed.redirect_chain == [(dashboard, 302)]
    html = closed.content.decode()
    assert "The survey of &#x27;Spring round&#x27; closed at" in html
    assert "The survey is closed</strong> since" in html and "Reopen the survey" in html
    assert Client().get(f"/s/{token}/").status_code == 410
    listing = owner.get(f"/orgs/{tenant.slug}/").content.decode()
    assert re.search(r"survey closed \d{4}-\d\d-\d\d", listing)

    invitations_page = f"{dashboard}invitations/"
    listed = owner.get(invitations_page).content.decode()
    assert "The survey is closed" in listed and "Create invitations" not in listed
    reopened = owner.post(
        f"{dashboard}survey/reopen/",
        {"csrfmiddlewaretoken": csrf(closed), "next": "invitations"},
        follow=True,
    )
    assert reopened.redirect_chain == [(invitations_page, 302)]
    assert "reopened" in reopened.content.decode()
    assert "Create invitations" in reopened.content.decode()
    assert Client().get(f"/s/{token}/").status_code == 303


def test_viewers_see_the_state_but_cannot_change_it(sqlite_db: object) -> None:
    tenant = make_tenant("Nordlicht")
    close(tenant)
    viewer = tenant.client("viewer")
    html = viewer.get(f"/assessments/{tenant.assessment}/").content.decode()
    assert "The survey is closed</strong> since" in html and "Reopen the survey" not in html
    assert viewer.post(f"/assessments/{tenant.assessment}/survey/reopen/").status_code == 403
    assert viewer.post(f"/assessments/{tenant.assessment}/survey/close/").status_code == 403
    assert models.Assessment.objects.get(pk=tenant.assessment).closed_at is not None


def test_invite_reminder_and_export_pages_say_the_survey_is_closed(sqlite_db: object) -> None:
    tenant = make_tenant("Nordlicht")
    analyst = tenant.client("analyst")
    page = f"/assessments/{tenant.assessment}/invitations/"
    close(tenant)
    made = analyst.post(
        page,
        {"role": "manager", "department": "Sales", "language": "en", "count": "2"},
        follow=True,
    )
    assert "No invitations were created: the survey closed at" in made.content.decode()
    reminded = analyst.post(f"/assessments/{tenant.assessment}/reminders/", follow=True)
    assert "No reminders were sent: the survey closed at" in reminded.content.decode()
    exported = analyst.get(f"{page}links.csv", follow=True)
    assert exported.redirect_chain == [(page, 302)]
    assert "No links were exported" in exported.content.decode()
    assert not models.Invitation.objects.exists()


def test_the_api_shows_closes_and_reopens_the_survey(tenant: Tenant) -> None:
    token, _ = tenants.create_api_token("default", tenant.analyst, name="script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    base = f"/api/assessments/{tenant.assessment}"
    [link] = links(tenant, role="manager", department="Sales", count=1, language="de")
    assert json.loads(api.get(base).content)["closed_at"] is None

    closed = api.post(f"{base}/survey/close")
    body = json.loads(closed.content)
    assert closed.status_code == 200 and body["closed"] and body["changed"]
    assert body["unused_invitations"] is None  # nobody answered: 1 - 0 is below 5
    assert json.loads(api.get(base).content)["closed_at"] == body["closed_at"]
    again = json.loads(api.post(f"{base}/survey/close").content)
    assert again["closed_at"] == body["closed_at"] and again["changed"] is False

    respondent = Client()
    opened = respondent.get(f"/api/survey/{link}")
    assert opened.status_code == 410
    assert json.loads(opened.content)["closed_at"] == body["closed_at"]
    answers = {"pu1_cust": 5}
    refused = respondent.post(
        f"/api/survey/{link}/submit", {"answers": answers}, content_type="application/json"
    )
    assert refused.status_code == 410 and respondents(tenant) == 0
    invited = api.post(
        f"{base}/invitations",
        {"role": "manager", "department": "X", "count": 1},
        content_type="application/json",
    )
    assert invited.status_code == 409
    assert "reopen it before inviting" in json.loads(invited.content)["detail"]
    assert api.post(f"{base}/reminders").status_code == 409

    viewer_token, _ = tenants.create_api_token("default", tenant.viewer, name="v")
    viewer = Client(HTTP_AUTHORIZATION=f"Bearer {viewer_token}")
    assert viewer.post(f"{base}/survey/reopen").status_code == 403
    reopened = json.loads(api.post(f"{base}/survey/reopen").content)
    assert reopened["closed"] is False and reopened["closed_at"] is None
    assert json.loads(api.get(base).content)["closed_at"] is None
    stored = respondent.post(
        f"/api/survey/{link}/submit",
        {"answers": full_answers(link)},
        content_type="application/json",
    )
    assert stored.status_code == 201 and respondents(tenant) == 1
