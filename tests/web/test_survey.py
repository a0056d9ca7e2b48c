"""The respondent's survey through HTTP: pages, save and resume, validation in the respondent's
language, and a response stored exactly once -- on SQLite (a real file) and PostgreSQL."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable

import pytest
from django.db import connections
from django.test import Client

from outsidein.services import survey
from outsidein.store import models
from tests.web.conftest import Tenant, full_answers, links


def respondents(tenant: Tenant) -> int:
    return models.Respondent.objects.filter(assessment_id=tenant.assessment).count()


def answers_stored(tenant: Tenant) -> int:
    return models.Response.objects.filter(respondent__assessment_id=tenant.assessment).count()


def csrf(response) -> str:  # type: ignore[no-untyped-def]
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)
    assert match, "the form has a CSRF token"
    return match.group(1).decode()


def page_form(client: Client, token: str, number: int) -> tuple[str, list[str]]:
    """The CSRF token and the question ids of one page."""
    response = client.get(f"/s/{token}/{number}/")
    assert response.status_code == 200
    ids = re.findall(rb'<fieldset class="question[^"]*" id="q-([^"]+)"', response.content)
    return csrf(response), [i.decode() for i in ids]


def answer_pages(client: Client, token: str, upto: int, value: int = 5) -> None:
    for number in range(1, upto + 1):
        token_csrf, ids = page_form(client, token, number)
        response = client.post(f"/s/{token}/{number}/", {
            "csrfmiddlewaretoken": token_csrf, "move": "next", **{i: str(value) for i in ids},
        })
        assert response.status_code == 303, response.content[:500]


def test_whole_survey_with_resume_and_validation(tenant: Tenant) -> None:
    [token] = links(tenant, role="operational", department="Warehouse", count=1, language="fi")
    client = Client(enforce_csrf_checks=True)
    start = client.get(f"/s/{token}/")
    assert start.status_code == 303 and start["Location"].endswith(f"/s/{token}/1/")
    first = client.get(start["Location"])
    html = first.content.decode()
    assert '<html lang="fi">' in html
    assert "<fieldset" in html and "<legend>" in html and 'type="radio"' in html
    assert "Täysin eri mieltä" in html  # anchors in the invitation's language

    # a page with an unanswered question: Finnish messages, valid answers kept
    token_csrf, ids = page_form(client, token, 1)
    partial = {i: "6" for i in ids[:-1]}
    response = client.post(f"/s/{token}/1/", {"csrfmiddlewaretoken": token_csrf, "move": "next",
                                              **partial})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Valitse vastaus." in body and 'aria-invalid="true"' in body
    assert f'id="e-{ids[-1]}"' in body
    state = survey.open_survey("default", token)
    assert set(partial) <= set(state.answers) and ids[-1] not in state.answers

    # out-of-range value is refused in Finnish too
    response = client.post(f"/s/{token}/1/", {"csrfmiddlewaretoken": token_csrf, "move": "next",
                                              **partial, ids[-1]: "99"})
    assert "Valitse jokin vaihtoehdoista." in response.content.decode()

    answer_pages(client, token, 2)
    # autosave of one answer on page 3, then a "reload": the link resumes on page 3
    _, third = page_form(client, token, 3)
    saved = client.post(f"/s/{token}/save/", {"csrfmiddlewaretoken": token_csrf, third[0]: "4"})
    assert saved.status_code == 200 and json.loads(saved.content)["submitted"] is False
    again = Client(enforce_csrf_checks=True)
    resumed = again.get(f"/s/{token}/")
    assert resumed["Location"].endswith(f"/s/{token}/3/")
    page3 = again.get(resumed["Location"]).content.decode()
    assert re.search(rf'name="{third[0]}" value="4" checked', page3)

    pages = len(state.pages)
    answer_pages(again, token, pages - 1)
    token_csrf, ids = page_form(again, token, pages)
    done = again.post(f"/s/{token}/{pages}/", {"csrfmiddlewaretoken": token_csrf,
                                               "move": "submit", **{i: "3" for i in ids}})
    assert done.status_code == 303 and done["Location"].endswith("/done/")
    assert "Kiitos!" in again.get(done["Location"]).content.decode()
    assert respondents(tenant) == 1
    assert answers_stored(tenant) == state.total
    assert not models.Draft.objects.exists()
    # the link now leads to the thank-you page, every page too
    assert again.get(f"/s/{token}/").status_code == 303
    assert again.get(f"/s/{token}/2/")["Location"].endswith("/done/")


def test_german_validation_and_back(tenant: Tenant) -> None:
    [token] = links(tenant, role="manager", department="Sales", count=1, language="de")
    client = Client()
    token_csrf, ids = page_form(client, token, 1)
    response = client.post(f"/s/{token}/1/", {"csrfmiddlewaretoken": token_csrf, "move": "next"})
    assert response.status_code == 200
    assert "Bitte wählen Sie eine Antwort." in response.content.decode()
    answer_pages(client, token, 1)
    token_csrf, ids = page_form(client, token, 2)
    back = client.post(f"/s/{token}/2/", {"csrfmiddlewaretoken": token_csrf, "move": "back",
                                          ids[0]: "2"})
    assert back.status_code == 303 and back["Location"].endswith(f"/s/{token}/1/")
    assert survey.open_survey("default", token).answers[ids[0]] == 2  # back keeps answers


def test_a_browser_without_the_security_cookie_is_told_what_to_do(tenant: Tenant) -> None:
    [token] = links(tenant, role="manager", department="Sales", count=1, language="fi")
    cookied = Client(enforce_csrf_checks=True)
    token_csrf, _ = page_form(cookied, token, 1)
    answer_pages(cookied, token, 1)  # page 1 saved with cookies
    blocked = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="fi")  # cookies blocked
    refused = blocked.post(f"/s/{token}/2/", {"csrfmiddlewaretoken": token_csrf, "move": "next"})
    html = refused.content.decode()
    assert refused.status_code == 403
    assert '<html lang="fi">' in html and "Salli evästeet" in html
    assert "CSRF" not in html  # no developer page
    assert survey.open_survey("default", token).resume_page == 2  # what was saved is kept


def test_submit_before_earlier_pages_are_done_goes_back_to_them(tenant: Tenant) -> None:
    [token] = links(tenant, role="manager", department="Sales", count=1)
    client = Client()
    pages = len(survey.open_survey("default", token).pages)
    token_csrf, ids = page_form(client, token, pages)
    response = client.post(f"/s/{token}/{pages}/", {"csrfmiddlewaretoken": token_csrf,
                                                    "move": "submit", **{i: "5" for i in ids}})
    assert response.status_code == 303 and response["Location"].endswith("/1/?incomplete=1")
    assert respondents(tenant) == 0


def finish_all_but_submit(client: Client, token: str) -> tuple[int, dict[str, str]]:
    pages = len(survey.open_survey("default", token).pages)
    answer_pages(client, token, pages - 1)
    token_csrf, ids = page_form(client, token, pages)
    return pages, {"csrfmiddlewaretoken": token_csrf, "move": "submit", **{i: "6" for i in ids}}


def test_double_submit_and_back_button_resubmit_store_once(tenant: Tenant) -> None:
    [token] = links(tenant, role="operational", department="Sales", count=1)
    client = Client()
    pages, form = finish_all_but_submit(client, token)
    first = client.post(f"/s/{token}/{pages}/", form)
    second = client.post(f"/s/{token}/{pages}/", form)  # double click
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    # back button: the browser resends an earlier page's form with different answers
    stale = client.post(f"/s/{token}/2/", {"move": "next", "pu1_cust": "1"})
    assert stale["Location"].endswith("/done/")
    autosave = client.post(f"/s/{token}/save/", {"pu1_cust": "1"})
    assert json.loads(autosave.content)["submitted"] is True
    assert respondents(tenant) == 1
    stored = models.Response.objects.filter(respondent__assessment_id=tenant.assessment)
    assert stored.count() == survey.open_survey("default", token).total
    assert not stored.filter(value=1).exists()  # nothing from the stale resubmits
    assert not models.Draft.objects.exists()


def test_api_retry_is_acknowledged_without_a_second_copy(tenant: Tenant) -> None:
    [token] = links(tenant, role="manager", department="Finance", count=1)
    client = Client()
    body = json.dumps({"answers": full_answers(token)})
    first = client.post(f"/api/survey/{token}/submit", body, content_type="application/json")
    retry = client.post(f"/api/survey/{token}/submit", body, content_type="application/json")
    assert first.status_code == 201 and json.loads(first.content)["created"] is True
    assert retry.status_code == 200
    assert json.loads(retry.content) == {"status": "received", "created": False}
    assert respondents(tenant) == 1


def test_api_rejects_incomplete_and_invalid_answers_without_storing(tenant: Tenant) -> None:
    [token] = links(tenant, role="manager", department="Finance", count=1)
    client = Client()
    answers = full_answers(token)
    missing = dict(list(answers.items())[:-1])
    response = client.post(f"/api/survey/{token}/submit", {"answers": missing},
                           content_type="application/json")
    assert response.status_code == 422
    assert list(json.loads(response.content)["errors"].values()) == ["required"]
    response = client.post(f"/api/survey/{token}/submit",
                           {"answers": {**answers, "pu1_cust": 8, "nope": 3}},
                           content_type="application/json")
    assert json.loads(response.content)["errors"] == {"pu1_cust": "invalid", "nope": "unknown"}
    assert respondents(tenant) == 0 and not models.Invitation.objects.filter(used=True).exists()


@pytest.mark.parametrize("token", ["nonsense", "abc.def", "x" * 300])
def test_bad_links_are_not_found(tenant: Tenant, token: str) -> None:
    client = Client()
    assert client.get(f"/s/{token}/").status_code == 404
    assert client.get(f"/s/{token}/1/").status_code == 404
    assert client.post(f"/s/{token}/save/", {"a": "1"}).status_code == 404
    assert client.get(f"/api/survey/{token}").status_code == 404
    assert client.post(f"/api/survey/{token}/submit", {"answers": {}},
                       content_type="application/json").status_code == 404


def test_a_forged_link_for_a_real_invitation_is_refused(tenant: Tenant) -> None:
    [token] = links(tenant, role="manager", department="Finance", count=1)
    public_id, _, signature = token.partition(".")
    forged = f"{public_id}.{signature[::-1]}"
    assert Client().get(f"/s/{forged}/").status_code == 404


def test_nothing_links_a_respondent_to_the_invitation(tenant: Tenant) -> None:
    [token] = links(tenant, role="manager", department="Finance", count=1)
    survey.submit("default", token, full_answers(token))
    person = models.Respondent.objects.get()
    assert person.source == "web" and token.split(".")[0] not in person.external_id
    fields = {f.name for f in models.Invitation._meta.get_fields()}
    assert not fields & {"respondent", "submitted_at", "used_at"}


def hammer(count: int, action: Callable[[int], int]) -> list[int]:
    """Run ``action`` in ``count`` threads released at once; their results."""
    barrier = threading.Barrier(count)
    results: list[int] = [0] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = action(index)
        except BaseException as exc:  # reported below, with the thread results
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def test_concurrent_submits_of_one_token_store_exactly_once(tenant: Tenant) -> None:
    [token] = links(tenant, role="operational", department="Sales", count=1)
    body = json.dumps({"answers": full_answers(token)})

    def submit(_: int) -> int:
        return Client().post(f"/api/survey/{token}/submit", body,
                             content_type="application/json").status_code

    statuses = hammer(8, submit)
    assert sorted(statuses) == [200] * 7 + [201]
    assert respondents(tenant) == 1
    assert answers_stored(tenant) == len(json.loads(body)["answers"])


def test_concurrent_page_submits_of_one_token_store_exactly_once(tenant: Tenant) -> None:
    [token] = links(tenant, role="manager", department="Sales", count=1)
    client = Client()
    pages, form = finish_all_but_submit(client, token)

    def submit(_: int) -> int:
        response = Client().post(f"/s/{token}/{pages}/", form)
        return 1 if response["Location"].endswith("/done/") else 0

    assert hammer(6, submit) == [1] * 6
    assert respondents(tenant) == 1


def test_concurrent_submits_of_many_tokens_store_each_once(tenant: Tenant) -> None:
    tokens = links(tenant, role="operational", department="Sales", count=8)
    bodies = [json.dumps({"answers": full_answers(t, seed=i)}) for i, t in enumerate(tokens)]

    def submit(i: int) -> int:
        client = Client()
        first = client.post(f"/api/survey/{tokens[i]}/submit", bodies[i],
                            content_type="application/json").status_code
        client.post(f"/api/survey/{tokens[i]}/submit", bodies[i],
                    content_type="application/json")
        return first

    assert hammer(8, submit) == [201] * 8
    assert respondents(tenant) == 8
    assert models.Invitation.objects.filter(used=True).count() == 8
