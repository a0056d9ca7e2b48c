"""Tenant isolation: every page and API endpoint, tried with another organisation's ids,
answers 403 or 404 and never that organisation's data; roles are enforced; nothing is
reachable without a login or token."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from outsidein.services import insights, tenants
from outsidein.store import models
from tests.web.conftest import Tenant, answer_all, links, make_tenant

SECRET = "Rival secret insight about pricing"


@dataclass
class World:
    me: Tenant
    them: Tenant
    insight: int
    action: int
    token_id: int


@pytest.fixture
def world(db: str) -> World:
    me = make_tenant("Acme Oy")
    them = make_tenant("Rival GmbH")
    answer_all(them, role="manager", department="Board", count=2)
    links(them, role="operational", department="Floor", count=2)
    made = insights.create_insight(
        "default", them.owner, them.assessment, title=SECRET, evidence_kind="gap",
        evidence_ref="Q-O", departments=("Sales", "Service"),
    )
    made = insights.add_action("default", them.owner, made.id, title="Fix pricing page",
                               owner="Web team", status="started")
    _, token = tenants.create_api_token("default", them.owner, name="theirs")
    return World(me=me, them=them, insight=made.id, action=made.actions[0].id,
                 token_id=token.id)


def page_requests(w: World) -> list[tuple[str, str, dict[str, str]]]:
    a, slug, i, act = w.them.assessment, w.them.slug, w.insight, w.action
    return [
        ("get", f"/orgs/{slug}/", {}),
        ("post", f"/orgs/{slug}/", {"name": "Injected", "anonymity_threshold": "5"}),
        ("get", f"/orgs/{slug}/members/", {}),
        ("post", f"/orgs/{slug}/members/", {"username": "x", "role": "owner"}),
        ("get", f"/assessments/{a}/", {}),
        ("get", f"/assessments/{a}/report.html", {}),
        ("get", f"/assessments/{a}/invitations/", {}),
        ("post", f"/assessments/{a}/invitations/", {"role": "manager", "department": "X",
                                                    "language": "en", "count": "1"}),
        ("get", f"/assessments/{a}/invitations/links.csv", {}),
        ("post", f"/assessments/{a}/reminders/", {}),
        ("post", f"/assessments/{a}/survey/close/", {}),
        ("post", f"/assessments/{a}/survey/reopen/", {}),
        ("get", f"/assessments/{a}/insights/", {}),
        ("post", f"/assessments/{a}/insights/", {"title": "x", "evidence_kind": "gap",
                                                 "evidence_ref": "Q-O"}),
        ("get", f"/insights/{i}/", {}),
        ("post", f"/insights/{i}/shares/", {"department": "Injected"}),
        ("post", f"/insights/{i}/actions/", {"title": "x", "owner": "y", "status": "done"}),
        ("post", f"/actions/{act}/status/", {"status": "done"}),
        ("post", f"/account/tokens/{w.token_id}/revoke/", {}),
    ]


def api_requests(w: World) -> list[tuple[str, str, dict[str, object]]]:
    a, slug, i, act = w.them.assessment, w.them.slug, w.insight, w.action
    return [
        ("get", f"/api/organisations/{slug}/assessments", {}),
        ("post", f"/api/organisations/{slug}/assessments", {"name": "Injected"}),
        ("get", f"/api/assessments/{a}", {}),
        ("get", f"/api/assessments/{a}/results", {}),
        ("get", f"/api/assessments/{a}/response-rates", {}),
        ("get", f"/api/assessments/{a}/invitations", {}),
        ("post", f"/api/assessments/{a}/invitations", {"role": "manager", "department": "X",
                                                       "count": 1}),
        ("post", f"/api/assessments/{a}/reminders", {}),
        ("post", f"/api/assessments/{a}/survey/close", {}),
        ("post", f"/api/assessments/{a}/survey/reopen", {}),
        ("get", f"/api/assessments/{a}/insights", {}),
        ("post", f"/api/assessments/{a}/insights", {"title": "x", "evidence_kind": "gap",
                                                    "evidence_ref": "Q-O"}),
        ("get", f"/api/assessments/{a}/insight-metrics", {}),
        ("get", f"/api/insights/{i}", {}),
        ("delete", f"/api/insights/{i}", {}),
        ("post", f"/api/insights/{i}/shares", {"department": "Injected"}),
        ("post", f"/api/insights/{i}/actions", {"title": "x", "owner": "y"}),
        ("patch", f"/api/actions/{act}", {"status": "done"}),
    ]


def snapshot(w: World) -> dict[str, object]:
    them = w.them.assessment
    return {
        "assessments": models.Assessment.objects.filter(organisation__slug=w.them.slug).count(),
        "closed": list(models.Assessment.objects.filter(organisation__slug=w.them.slug)
                       .values_list("closed_at", flat=True)),
        "members": models.Membership.objects.filter(organisation__slug=w.them.slug).count(),
        "invitations": models.Invitation.objects.filter(assessment_id=them).count(),
        "mails": sum(models.Invitation.objects.filter(assessment_id=them)
                     .values_list("mails_sent", flat=True)),
        "insights": list(models.Insight.objects.filter(assessment_id=them)
                         .values_list("title", flat=True)),
        "shares": models.InsightShare.objects.filter(insight_id=w.insight).count(),
        "actions": list(models.InsightAction.objects.filter(insight_id=w.insight)
                        .values_list("status", flat=True)),
        "tokens": models.ApiToken.objects.filter(user_id=w.them.owner).count(),
    }


def call_api(client: Client, method: str, url: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def leaks(content: bytes, w: World) -> bool:
    text = content.decode(errors="replace")
    return SECRET in text or "Rival GmbH" in text or w.them.slug in text


@pytest.mark.parametrize("who", ["owner", "viewer"])
def test_pages_with_another_organisations_ids(world: World, who: str) -> None:
    before = snapshot(world)
    client = world.me.client(who)
    for method, url, data in page_requests(world):
        response = getattr(client, method)(url, data)
        assert response.status_code in (403, 404), (method, url, response.status_code)
        assert not leaks(response.content, world), (method, url)
    assert snapshot(world) == before


@pytest.mark.parametrize("who", ["owner", "viewer"])
def test_api_with_another_organisations_ids(world: World, who: str) -> None:
    before = snapshot(world)
    token, _ = tenants.create_api_token("default", getattr(world.me, who), name="mine")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    listed = json.loads(client.get("/api/organisations").content)
    assert [o["slug"] for o in listed] == [world.me.slug]
    for method, url, data in api_requests(world):
        response = call_api(client, method, url, data)
        assert response.status_code in (403, 404), (method, url, response.status_code)
        assert not leaks(response.content, world), (method, url)
    assert snapshot(world) == before


def test_every_route_is_covered_by_the_isolation_tests(world: World) -> None:
    """A new page or endpoint must be added to the lists above (survey links excepted)."""

    def routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
        out: set[str] = set()
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern) in ("admin/", "api/", "accounts/"):  # Django's, ninja's
                    continue
                out |= routes(p.url_patterns, prefix + str(p.pattern))
            else:
                out.add(prefix + str(p.pattern))
        return out

    tested_pages = {url for _, url, _ in page_requests(world)}
    skeleton = {
        r.replace("<slug:slug>", world.them.slug)
        .replace("<id:assessment_id>", str(world.them.assessment))
        .replace("<id:insight_id>", str(world.insight))
        .replace("<id:action_id>", str(world.action))
        .replace("<id:token_id>", str(world.token_id))
        for r in routes(get_resolver().url_patterns)
    }
    untested = {
        "/" + r for r in skeleton
        if "<" not in r and r not in ("", "account/tokens/") and "/" + r not in tested_pages
    }
    assert untested == set()
    schema = json.loads(Client().get("/api/openapi.json").content)
    tested_api = {
        (m, url.replace(world.them.slug, "{slug}")
         .replace(f"/{world.them.assessment}", "/{assessment_id}")
         .replace(f"insights/{world.insight}", "insights/{insight_id}")
         .replace(f"actions/{world.action}", "actions/{action_id}"))
        for m, url, _ in api_requests(world)
    }
    operations = {
        (method, path) for path, ops in schema["paths"].items() for method in ops
        if "{token}" not in path and path != "/api/organisations"
    }
    assert operations == tested_api


def test_roles_limit_what_members_may_do(world: World) -> None:
    me = world.me
    viewer, analyst = me.client("viewer"), me.client("analyst")
    a = me.assessment
    assert viewer.get(f"/assessments/{a}/invitations/").status_code == 200
    assert viewer.post(f"/assessments/{a}/invitations/", {
        "role": "manager", "department": "X", "language": "en", "count": "1",
    }).status_code == 403
    assert viewer.get(f"/assessments/{a}/invitations/links.csv").status_code == 403
    assert viewer.post(f"/assessments/{a}/insights/", {
        "title": "x", "evidence_kind": "gap", "evidence_ref": "Q-O",
    }).status_code == 403
    assert viewer.post(f"/orgs/{me.slug}/", {"name": "x", "anonymity_threshold": "5"}
                       ).status_code == 403
    assert analyst.get(f"/orgs/{me.slug}/members/").status_code == 403
    assert analyst.post(f"/assessments/{a}/invitations/", {
        "role": "manager", "department": "X", "language": "en", "count": "1",
    }).status_code == 302
    token, _ = tenants.create_api_token("default", me.viewer, name="v")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.post(f"/api/organisations/{me.slug}/assessments", {"name": "x"},
                    content_type="application/json").status_code == 403
    assert api.post(f"/api/assessments/{a}/invitations", {"role": "manager",
                    "department": "X", "count": 1}, content_type="application/json"
                    ).status_code == 403
    assert api.get(f"/api/assessments/{a}").status_code == 200


def test_nothing_without_login_or_token(world: World) -> None:
    anonymous = Client()
    for method, url, data in page_requests(world):
        response = getattr(anonymous, method)(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert anonymous.get("/").status_code == 302
    for method, url, data in api_requests(world):
        response = call_api(anonymous, method, url, data)
        assert response.status_code == 401, (method, url)
    wrong = Client(HTTP_AUTHORIZATION="Bearer oi_not-a-token")
    assert wrong.get("/api/organisations").status_code == 401
    token, info = tenants.create_api_token("default", world.me.owner, name="gone")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/organisations").status_code == 200
    tenants.revoke_api_token("default", world.me.owner, info.id)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/organisations").status_code == 401
