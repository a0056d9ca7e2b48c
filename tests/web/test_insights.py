"""The insight hub: pages and API, and the stage-3 evidence it measures (against hand-computed
values), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from outsidein.services import assessment as assessment_service
from outsidein.services import insights, tenants
from outsidein.store import models
from tests.web.conftest import Tenant

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def wilson(count: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson (1927) score interval, written out by hand."""
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def plant(tenant: Tenant) -> None:
    """Four insights: two reached 2+ departments, two were acted on after 2 and 4 days."""
    owner, a = tenant.owner, tenant.assessment
    one = insights.create_insight("default", owner, a, title="Delivery windows too wide",
                                  evidence_kind="aspect", evidence_ref="P-O:operational",
                                  departments=("Sales", "Service"), created_at=T0)
    insights.add_action("default", owner, one.id, title="Two-hour windows", owner="Logistics",
                        status="started", created_at=T0 + timedelta(days=2))
    two = insights.create_insight("default", owner, a, title="Invoices confuse buyers",
                                  evidence_kind="attribute", evidence_ref="price_value",
                                  departments=("Finance",), created_at=T0)
    insights.add_action("default", owner, two.id, title="Redesign invoice", owner="Finance",
                        created_at=T0 + timedelta(days=1))  # planned: not acted on
    three = insights.create_insight("default", owner, a, title="Managers overrate price",
                                    evidence_kind="gap", evidence_ref="Q-U",
                                    departments=("Sales", "Marketing", "Board"), created_at=T0)
    late = insights.add_action("default", owner, three.id, title="Price study",
                               owner="Marketing", created_at=T0 + timedelta(days=1))
    insights.set_action_status("default", owner, late.actions[0].id, status="started",
                               at=T0 + timedelta(days=4))
    insights.add_action("default", owner, three.id, title="Brief sales", owner="Sales",
                        status="done", created_at=T0 + timedelta(days=10))
    insights.create_insight("default", owner, a, title="Nobody heard of it",
                            evidence_kind="journey_step", evidence_ref="claims", created_at=T0)


def test_stage_three_evidence_against_hand_computed_values(tenant: Tenant) -> None:
    assert insights.insight_evidence("default", tenant.assessment) == {}
    plant(tenant)
    evidence = insights.insight_evidence("default", tenant.assessment)
    multi = evidence["insights.share_multi_department"]
    acted = evidence["insights.share_acted_on"]
    days = evidence["insights.median_days_to_action"]
    low, high = wilson(2, 4)
    for e in (multi, acted):
        assert e.value == 0.5 and e.n == 4
        assert e.ci_low == pytest.approx(low, abs=1e-9)
        assert e.ci_high == pytest.approx(high, abs=1e-9)
    assert days.value == pytest.approx(3.0) and days.n == 2  # median of 2 and 4 days
    assert {e.source for e in evidence.values()} == {"insight hub"}


def test_one_department_spelled_three_ways_is_one_department(tenant: Tenant) -> None:
    owner, a = tenant.owner, tenant.assessment
    typo = insights.create_insight("default", owner, a, title="Late pickups",
                                   evidence_kind="aspect", evidence_ref="P-O:operational",
                                   departments=("Sales", "sales ", "SALES"), created_at=T0)
    assert typo.departments == ("Sales",)
    again = insights.share_insight("default", owner, typo.id, department="  sAles")
    assert again.departments == ("Sales",)
    multi = insights.insight_evidence("default", a)["insights.share_multi_department"]
    assert multi.value == 0.0 and multi.n == 1
    both = insights.share_insight("default", owner, typo.id, department="Customer  service")
    assert both.departments == ("Sales", "Customer service")
    assert insights.insight_evidence("default", a)["insights.share_multi_department"].value == 1


def test_evidence_reaches_the_stage_indicators(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    plant(tenant)
    monkeypatch.setattr(assessment_service, "collect_evidence", insights.insight_evidence)
    html = tenant.client("viewer").get(f"/assessments/{tenant.assessment}/").content.decode()
    indicator = html[html.index('id="indicator-st3.insights_multi_department"'):]
    assert '<span class="status-fails">fails</span>' in indicator.split("</li>")[0]
    assert "0.50 [0.15–0.85]" in indicator.split("</li>")[0]


def test_insight_pages(tenant: Tenant) -> None:
    analyst = tenant.client("analyst")
    hub = f"/assessments/{tenant.assessment}/insights/"
    bad = analyst.post(hub, {"title": "x", "evidence_kind": "aspect", "evidence_ref": "Z-Z"})
    assert bad.status_code == 200 and "is not an aspect of this assessment" in bad.content.decode()
    made = analyst.post(hub, {
        "title": "Frontline does not see KPIs", "evidence_kind": "aspect",
        "evidence_ref": "P-M:operational", "departments": "Operations, Sales",
        "source_department": "Service",
    })
    assert made.status_code == 302
    page = analyst.get(made["Location"])
    html = page.content.decode()
    assert "Frontline does not see KPIs" in html
    assert f'/assessments/{tenant.assessment}/#aspect-P-M-operational' in html
    insight_id = int(made["Location"].rstrip("/").rsplit("/", 1)[1])
    assert analyst.post(f"/insights/{insight_id}/shares/", {"department": "Finance"}
                        ).status_code == 302
    assert analyst.post(f"/insights/{insight_id}/shares/", {"department": ""}
                        ).status_code == 400
    assert analyst.post(f"/insights/{insight_id}/actions/", {
        "title": "Show KPIs on the floor", "owner": "Ops lead", "due_date": "2026-05-01",
        "status": "planned",
    }).status_code == 302
    action = models.InsightAction.objects.get()
    assert action.started_at is None
    assert analyst.post(f"/actions/{action.pk}/status/", {"status": "started"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "started" and action.started_at is not None
    listing = analyst.get(hub).content.decode()
    assert "acted on" in listing and "3 department(s)" in listing
    viewer_page = tenant.client("viewer").get(f"/insights/{insight_id}/").content.decode()
    assert "Record share" not in viewer_page  # viewers read, they do not edit


def test_insight_api(tenant: Tenant) -> None:
    token, _ = tenants.create_api_token("default", tenant.analyst, name="hub")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    base = f"/api/assessments/{tenant.assessment}"
    made = api.post(f"{base}/insights", {
        "title": "Claims take too long", "evidence_kind": "indicator",
        "evidence_ref": "st3.acted_on", "departments": ["Claims", "Sales"],
    }, content_type="application/json")
    assert made.status_code == 201, made.content
    insight = json.loads(made.content)
    assert [s["department"] for s in insight["shares"]] == ["Claims", "Sales"]
    wrong = api.post(f"{base}/insights", {"title": "x", "evidence_kind": "attribute",
                                          "evidence_ref": "nope"},
                     content_type="application/json")
    assert wrong.status_code == 422 and json.loads(wrong.content)["field"] == "evidence_ref"
    shared = api.post(f"/api/insights/{insight['id']}/shares", {"department": "Board"},
                      content_type="application/json")
    assert len(json.loads(shared.content)["shares"]) == 3
    acted = api.post(f"/api/insights/{insight['id']}/actions", {
        "title": "Triage queue", "owner": "Claims lead", "due_date": "2026-06-30",
    }, content_type="application/json")
    action = json.loads(acted.content)["actions"][0]
    assert acted.status_code == 201 and action["status"] == "planned"
    moved = api.patch(f"/api/actions/{action['id']}", {"status": "done"},
                      content_type="application/json")
    assert json.loads(moved.content)["actions"][0]["started_at"] is not None
    metrics = json.loads(api.get(f"{base}/insight-metrics").content)
    assert metrics["insights"] == 1 and metrics["acted"] == 1
    assert metrics["multi_department"]["count"] == 1
    assert [i["id"] for i in json.loads(api.get(f"{base}/insights").content)] == [insight["id"]]
    fetched = json.loads(api.get(f"/api/insights/{insight['id']}").content)
    assert fetched["title"] == "Claims take too long" and len(fetched["actions"]) == 1
    assert api.delete(f"/api/insights/{insight['id']}").status_code == 204
    assert api.get(f"/api/insights/{insight['id']}").status_code == 404
