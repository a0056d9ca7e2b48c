"""Workspaces and the store on the embedded SQLite default and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from outsidein.core.readiness import ReadinessPolicy, assess_readiness
from outsidein.io.problems import ImportRejected
from outsidein.services.assessment import assess, import_responses, workspace_instrument
from outsidein.services.workspace import (
    Workspace,
    WorkspaceError,
    init_workspace,
    open_workspace,
)
from outsidein.store import models, queries
from tests.core.simulation import simulate


def respondents(ws: Workspace) -> int:
    assessment = queries.get_assessment(
        ws.alias, organisation=ws.organisation, assessment=ws.assessment
    )
    return queries.respondent_count(ws.alias, assessment)


def answers(ws: Workspace) -> int:
    return (
        models.Response.objects.using(ws.alias)
        .filter(respondent__assessment__organisation__slug=ws.organisation)
        .count()
    )


def write_simulated(ws: Workspace, path: Path, seed: int = 1) -> Path:
    frame = simulate(workspace_instrument(ws), seed=seed, managers=12, operational=30)
    frame.write_csv(path)
    return path


def test_workspace_layout_and_wal(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "w", name="Acme Oy")
    assert (ws.path / "workspace.json").is_file()
    assert ws.data_dir.is_dir() and ws.reports_dir.is_dir()
    with sqlite3.connect(ws.database_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert {
        "outsidein_organisation",
        "outsidein_assessment",
        "outsidein_respondent",
        "outsidein_response",
        "outsidein_qualityattribute",
        "outsidein_dataset",
    } <= tables


def test_init_refuses_existing_and_open_refuses_non_workspace(tmp_path: Path) -> None:
    init_workspace(tmp_path / "w")
    with pytest.raises(WorkspaceError, match="already a workspace"):
        init_workspace(tmp_path / "w")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("x")
    with pytest.raises(WorkspaceError, match="not empty"):
        init_workspace(tmp_path / "other")
    with pytest.raises(WorkspaceError, match="not an outsidein workspace"):
        open_workspace(tmp_path / "other")


def test_import_stores_everything_then_assess(workspace: Workspace, tmp_path: Path) -> None:
    path = write_simulated(workspace, tmp_path / "a.csv")
    summary = import_responses(workspace, path)
    assert summary.respondents == 42
    assert summary.by_role == {"manager": 12, "operational": 30}
    assert respondents(workspace) == 42
    assert answers(workspace) == summary.answers > 42 * 40
    result = assess(workspace, policy=ReadinessPolicy(resamples=300))
    assert result.readiness.respondents == {"manager": 12, "operational": 30}
    # the store hands the core the same table the file held
    direct = assess_readiness(
        simulate(workspace_instrument(workspace), seed=1, managers=12, operational=30),
        workspace_instrument(workspace),
        policy=ReadinessPolicy(resamples=300),
        seed=0,
    )
    assert [a.score for a in result.readiness.aspects] == [a.score for a in direct.aspects]


def test_bad_file_stores_nothing(workspace: Workspace, tmp_path: Path) -> None:
    path = write_simulated(workspace, tmp_path / "a.csv")
    lines = path.read_text().splitlines()
    lines[-1] = lines[-1].replace("operational", "intern", 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportRejected) as info:
        import_responses(workspace, path)
    assert info.value.problems[0].row == 43
    assert respondents(workspace) == 0 and answers(workspace) == 0


def test_reimport_is_rejected_and_never_double_counts(workspace: Workspace, tmp_path: Path) -> None:
    path = write_simulated(workspace, tmp_path / "a.csv")
    import_responses(workspace, path)
    before = answers(workspace)
    with pytest.raises(ImportRejected) as info:
        import_responses(workspace, path)
    assert info.value.total == 42
    assert "already stored" in info.value.problems[0].reason
    assert respondents(workspace) == 42 and answers(workspace) == before


def test_database_constraint_is_the_last_line_of_defence(workspace: Workspace) -> None:
    from django.db import IntegrityError

    assessment = queries.get_assessment(
        workspace.alias, organisation=workspace.organisation, assessment=workspace.assessment
    )
    person = queries.NewRespondent(
        external_id="p1", role="manager", department="S", answers={"pm1": 5}
    )
    queries.add_respondents(workspace.alias, assessment, [person], source="test")
    with pytest.raises(IntegrityError):
        queries.add_respondents(workspace.alias, assessment, [person], source="test")
    assert respondents(workspace) == 1 and answers(workspace) == 1


def test_two_workspaces_in_one_process_stay_apart(tmp_path: Path) -> None:
    first = init_workspace(tmp_path / "one")
    second = init_workspace(tmp_path / "two")
    import_responses(first, write_simulated(first, tmp_path / "a.csv"))
    assert respondents(first) == 42
    assert respondents(open_workspace(tmp_path / "two")) == 0
    assert first.alias != second.alias or first.organisation != second.organisation
