"""The web's result (dashboard, report download, results API) holds the staff answers against
the served workspace's customer evidence, exactly as the CLI's ``assess`` does."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from outsidein.services import dashboard, tenants
from outsidein.services.demo import DemoOutcome, run_demo
from outsidein.store import queries


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoOutcome:
    return run_demo(tmp_path_factory.mktemp("demo") / "ws", seed=7)


def _statuses(result: object) -> list[tuple[str, str, str]]:
    return [(a.role, a.aspect, a.status) for a in result.readiness.aspects]  # type: ignore[attr-defined]


def test_the_web_result_is_the_cli_result_with_the_workspaces_evidence(
    demo: DemoOutcome,
) -> None:
    ws = demo.workspace
    user = tenants.create_user(
        ws.alias, username="leader", password="correct-horse-battery-staple-42",
        organisation=ws.organisation, role="viewer",
    )
    assessment = queries.get_assessment(
        ws.alias, organisation=ws.organisation, assessment=ws.assessment
    )
    cache.clear()
    with override_settings(OUTSIDEIN_DATA_ROOT=str(Path(ws.path))):
        web = dashboard.assessment_result(ws.alias, user, assessment.pk)
    cli = demo.result
    assert _statuses(web) == _statuses(cli)
    assert "contradicted" in {status for *_, status in _statuses(web)}
    assert [a.reason for a in web.readiness.failing] == [a.reason for a in cli.readiness.failing]
    assert set(web.sections) == set(cli.sections) >= {"quality", "process"}
    assert web.evidence.keys() == cli.evidence.keys()

    # without a served workspace the same database gives the staff's word alone
    cache.clear()
    with override_settings(OUTSIDEIN_DATA_ROOT=None):
        alone = dashboard.assessment_result(ws.alias, user, assessment.pk)
    assert "contradicted" not in {status for *_, status in _statuses(alone)}
    assert not alone.sections


def test_the_p_u_reason_names_the_most_frequent_unknown_steps_and_counts_the_rest(
    demo: DemoOutcome,
) -> None:
    process = demo.result.sections["process"]
    unknown = [u.activity for u in process.conformance.unknown_activities]  # type: ignore[attr-defined]
    assert len(unknown) > 3
    reasons = [
        a.reason for a in demo.result.readiness.failing if (a.question, a.aspect) == ("P", "U")
    ]
    expected = f"steps staff do not know: {', '.join(unknown[:3])}, and {len(unknown) - 3} more"
    assert reasons and all(expected in reason for reason in reasons)
