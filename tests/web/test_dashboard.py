"""Dashboards, the report download and response rates, with the anonymity threshold held on
every page, API response and export."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from outsidein.services import tenants
from outsidein.services.invitations import GroupRate, suppress
from tests.web.conftest import Tenant, answer_all, links, make_tenant


@pytest.fixture
def answered(sqlite_db: object) -> Tenant:
    """Six managers and six operational staff answered; one small department among them."""
    tenant = make_tenant("Nordlicht")
    answer_all(tenant, role="manager", department="Sales", count=4, seed=1)
    answer_all(tenant, role="manager", department="Service", count=2, seed=2)
    answer_all(tenant, role="operational", department="Service", count=6, seed=3)
    links(tenant, role="operational", department="Service", count=4)  # not answered
    return tenant


def test_dashboard_report_and_results_api_render_one_result(answered: Tenant) -> None:
    viewer = answered.client("viewer")
    page = viewer.get(f"/assessments/{answered.assessment}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Readiness grid" in html and "Managers against operational staff" in html
    assert re.search(r"<strong>12</strong> responses", html)
    for scale in ("P-U", "P-M", "P-O", "Q-U", "Q-M", "Q-O"):
        assert f'id="aspect-{scale}-manager"' in html and f'id="gap-{scale}"' in html
    assert re.search(r"\d\.\d\d \[\d\.\d\d–\d\.\d\d\]", html)  # estimates with their CI
    assert "Stage 1" in html and "What blocks stage" in html
    assert 'aria-current="step"' in html

    token, _ = tenants.create_api_token("default", answered.viewer, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    result = json.loads(api.get(f"/api/assessments/{answered.assessment}/results").content)
    assert result["readiness"]["respondents"] == {"manager": 6, "operational": 6}
    assert len(result["readiness"]["aspects"]) == 12
    assert result["stage"]["level"] >= 1
    first = result["readiness"]["aspects"][0]
    assert f'{first["score"]:.2f} [{first["ci_low"]:.2f}–{first["ci_high"]:.2f}]' in html

    fi = viewer.get(f"/assessments/{answered.assessment}/?lang=fi").content.decode()
    assert "esihenkilöt" in fi  # role names of the result in the chosen language
    report = viewer.get(f"/assessments/{answered.assessment}/report.html?lang=fi")
    assert report.status_code == 200
    assert report["Content-Disposition"].startswith('attachment; filename="')
    assert report["Content-Disposition"].endswith('-fi.html"')
    assert b"<html" in report.content[:500] and b"plotly" in report.content.lower()


def test_small_groups_are_suppressed_everywhere(sqlite_db: object) -> None:
    tenant = make_tenant("Tiny Oy")
    answer_all(tenant, role="manager", department="Sales", count=6, seed=1)
    answer_all(tenant, role="operational", department="Legal", count=3, seed=2)
    links(tenant, role="operational", department="Legal", count=1)
    owner = tenant.client()
    html = owner.get(f"/assessments/{tenant.assessment}/").content.decode()
    # operational staff are 3 < 5: their cells, the gaps and the total are withheld
    for scale in ("P-U", "Q-O"):
        cell = re.search(rf'id="aspect-{scale}-operational" class="cell ([a-z_]+)"', html)
        assert cell and cell.group(1) == "suppressed"
    assert "fewer than 5 respondents: not shown" in html
    assert "<strong>9</strong>" not in html and "Fewer than 5 responses" in html
    rates = html[html.index("Answered / invited"):]
    assert "Department: Legal" in rates and ">3<" not in rates

    token, _ = tenants.create_api_token("default", tenant.owner, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    result = json.loads(api.get(f"/api/assessments/{tenant.assessment}/results").content)
    operational = [a for a in result["readiness"]["aspects"] if a["role"] == "operational"]
    assert all(a["status"] == "suppressed" and a["score"] is None and a["n"] is None
               for a in operational)
    assert result["readiness"]["respondents"]["operational"] is None
    assert all(g.get("suppressed") for g in result["readiness"]["role_gaps"])
    legal = [d for d in result["readiness"]["departments"] if d["department"] == "Legal"]
    assert legal and all(d["suppressed"] for d in legal)

    rates_api = json.loads(api.get(f"/api/assessments/{tenant.assessment}/response-rates").content)
    assert rates_api["respondents"] is None
    by_role = {g["group"]: g for g in rates_api["by_role"]}
    assert by_role["operational"]["answered"] is None  # 3 < 5
    assert by_role["manager"]["answered"] is None  # else 9 - 6 would give the 3 away
    # the results show 6 managers, so a total of 9 answered would give the 3 away too
    assert rates_api["total"]["answered"] is None and rates_api["total"]["invited"] == 10
    assert re.search(r'All invited</th><td class="num">10</td>\s*<td colspan="2" '
                     r'class="suppressed">', rates)

    report = owner.get(f"/assessments/{tenant.assessment}/report.html").content.decode()
    assert "suppressed" in report.lower() or "not shown" in report.lower()
    csv = owner.get(f"/assessments/{tenant.assessment}/invitations/links.csv").content.decode()
    assert csv.splitlines()[0] == "invitation,role,department,language,link"
    assert "used" not in csv.splitlines()[0]


def test_invitations_page_shows_rates_only_by_group(answered: Tenant) -> None:
    html = answered.client("analyst").get(
        f"/assessments/{answered.assessment}/invitations/").content.decode()
    rates = html[html.index("Answered / invited"):]
    assert re.search(r"Role: manager</th><td class=\"num\">6</td>\s*<td class=\"num\">6</td>",
                     rates)
    # Sales managers: 4 < 5 answered, so Sales is hidden, and so is the next smallest group
    assert re.search(r"Department: Sales</th><td class=\"num\">4</td>\s*<td colspan=\"2\" "
                     r"class=\"suppressed\">", rates)
    assert "@" not in rates  # no addresses, no people


@pytest.mark.parametrize(
    ("groups", "shown"),
    [
        ({"a": (10, 9), "b": (10, 7)}, {"a": 9, "b": 7}),
        ({"a": (10, 9), "b": (10, 3)}, {"a": None, "b": None}),  # secondary suppression
        ({"a": (10, 9), "b": (10, 3), "c": (10, 2)}, {"a": 9, "b": None, "c": None}),
        ({"a": (10, 9), "b": (10, 0)}, {"a": None, "b": None}),  # "nobody answered" is hidden
        ({"a": (10, 9), "b": (10, 6), "c": (3, 1)}, {"a": 9, "b": None, "c": None}),
        ({"a": (4, 4)}, {"a": None}),
    ],
)
def test_suppression_hides_small_groups_and_what_subtraction_would_reveal(
    groups: dict[str, tuple[int, int]], shown: dict[str, int | None]
) -> None:
    rates = suppress(groups, 5)
    assert {r.group: r.answered for r in rates} == shown
    assert all(isinstance(r, GroupRate) and r.invited == groups[r.group][0] for r in rates)
    hidden = [groups[r.group][1] for r in rates if r.suppressed]
    assert not hidden or sum(hidden) >= 5 or len(hidden) == len(groups)


def test_rates_before_any_invitation_say_so_instead_of_a_table_of_zeros(sqlite_db: object) -> None:
    tenant = make_tenant("Fresh Oy")
    html = tenant.client("analyst").get(
        f"/assessments/{tenant.assessment}/invitations/").content.decode()
    assert "No one has been invited from here yet." in html
    assert "Answered / invited" not in html
