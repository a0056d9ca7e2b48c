"""The REST API: its OpenAPI schema, its main flows, and schemathesis fuzzing every operation
in-process (WSGI) with a real token: no input makes the server fail."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from outsidein.services import insights, tenants
from tests.web.conftest import Tenant, answer_all, make_tenant


def test_openapi_schema_is_served_from_the_code(sqlite_db: object) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/assessments/{assessment_id}/results", "/api/survey/{token}/submit",
            "/api/assessments/{assessment_id}/insights"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    submit = schema["paths"]["/api/survey/{token}/submit"]["post"]
    assert "security" not in submit or submit["security"] == []


def test_a_consultant_runs_an_assessment_through_the_api(db: str) -> None:
    user = tenants.create_user("default", username="api-user", password="x-Very-long-pass-1")
    token, _ = tenants.create_api_token("default", user, name="script")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def post(url: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
        response = api.post(url, json.dumps(body), content_type="application/json")
        return response.status_code, json.loads(response.content or b"{}")

    status, org = post("/api/organisations", {"name": "Client Ltd"})
    assert status == 201 and org["role"] == "owner"
    status, made = post(f"/api/organisations/{org['slug']}/assessments",
                        {"name": "Baseline", "anonymity_threshold": 5})
    assert status == 201
    base = f"/api/assessments/{made['id']}"
    status, invited = post(f"{base}/invitations",
                           {"role": "manager", "department": "Sales", "language": "fi",
                            "count": 3})
    assert status == 201 and invited["created"] == 3 and len(invited["links"]) == 3
    link = invited["links"][0]["link"]
    assert link.startswith("http://testserver/s/")
    survey_token = link.rstrip("/").rsplit("/", 1)[1]
    survey = json.loads(Client().get(f"/api/survey/{survey_token}").content)
    assert survey["language"] == "fi" and survey["role"] == "manager"
    answers = {q["id"]: q["choices"][-1]["value"] for p in survey["pages"] for q in p["questions"]}
    stored = Client().post(f"/api/survey/{survey_token}/submit", {"answers": answers},
                           content_type="application/json")
    assert stored.status_code == 201
    rates = json.loads(api.get(f"{base}/response-rates").content)
    assert rates["total"] == {"group": "all", "invited": 3, "answered": None, "rate": None,
                              "suppressed": True}  # 1 < 5
    listed = json.loads(api.get(f"{base}/invitations").content)
    assert len(listed) == 3 and all("used" not in i and "link" not in i for i in listed)
    status, _ = post(f"{base}/reminders", {})
    assert status == 200
    assert json.loads(api.get(f"/api/organisations/{org['slug']}/assessments").content)[0][
        "name"] == "Baseline"


@pytest.fixture
def fuzz_world(sqlite_db: object) -> tuple[Tenant, str]:
    """An organisation with answers, invitations and an insight, and its owner's token."""
    tenant = make_tenant("Fuzz Oy")
    answer_all(tenant, role="manager", department="Sales", count=2)
    made = insights.create_insight("default", tenant.owner, tenant.assessment, title="Seed",
                                   evidence_kind="gap", evidence_ref="Q-O",
                                   departments=("Sales",))
    insights.add_action("default", tenant.owner, made.id, title="Act", owner="Team")
    token, _ = tenants.create_api_token("default", tenant.owner, name="fuzz")
    return tenant, token


@pytest.fixture
def api_schema(fuzz_world: tuple[Tenant, str]) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_fuzzing_the_api_finds_no_server_error(
    case: schemathesis.Case, fuzz_world: tuple[Tenant, str]
) -> None:
    _, token = fuzz_world
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                           checks=[not_a_server_error])
