"""Closing a workspace's staff survey, on SQLite and PostgreSQL: the state is stored once,
shown in the assessment result, and undone by reopening."""

from __future__ import annotations

from outsidein.services.assessment import assess, set_workspace_survey_closed
from outsidein.services.workspace import Workspace
from outsidein.store import models, queries


def test_close_is_stored_once_and_shown_in_the_result(workspace: Workspace) -> None:
    assert assess(workspace).closed_at is None
    first = set_workspace_survey_closed(workspace, closed=True)
    assert first.changed and first.closed_at is not None
    assert first.unused_invitations is None  # fewer answers than the threshold: not shown
    second = set_workspace_survey_closed(workspace.path, closed=True)
    assert not second.changed and second.closed_at == first.closed_at
    stored = queries.get_assessment(
        workspace.alias, organisation=workspace.organisation, assessment=workspace.assessment
    )
    assert stored.closed_at == first.closed_at
    result = assess(workspace)
    assert result.closed_at == first.closed_at.isoformat(timespec="seconds")
    assert result.to_dict()["closed_at"] == result.closed_at
    reopened = set_workspace_survey_closed(workspace, closed=False)
    assert reopened.changed and reopened.closed_at is None
    assert models.Assessment.objects.using(workspace.alias).get(pk=stored.pk).closed_at is None
    assert assess(workspace).to_dict()["closed_at"] is None
