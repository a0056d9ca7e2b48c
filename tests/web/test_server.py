"""``serve()``: gunicorn on a workspace's database -- SQLite, or PostgreSQL named in the
workspace -- with its own secret key, static files and the API working."""

from __future__ import annotations

import json
import stat
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from outsidein.services import invitations, survey
from outsidein.services.server import gunicorn_options, workspace_secret_key
from outsidein.services.workspace import close_workspace, init_workspace
from outsidein.store import models
from tests.web.live import live_server, run_python, server_env


def post_json(url: str, body: object) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url, json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def test_the_workspace_keeps_its_own_secret_key(tmp_path: Path) -> None:
    first = workspace_secret_key(tmp_path)
    assert len(first) > 40 and workspace_secret_key(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_gunicorn_runs_threaded_workers() -> None:
    options = gunicorn_options(host="127.0.0.1", port=8123, workers=1, threads=8)
    assert options["worker_class"] == "gthread" and options["bind"] == "127.0.0.1:8123"


@pytest.mark.slow
def test_serve_stores_submissions_in_the_workspace_database(
    tmp_path: Path, backend: str | None
) -> None:
    ws = init_workspace(tmp_path / "ws", name="Served Oy", database_url=backend)
    env = server_env(settings.SECRET_KEY)
    owner = int(run_python(
        "from outsidein.services.server import create_owner; "
        f"print(create_owner({str(ws.path)!r}, username='boss', password='Boss-pass-12345'))",
        env,
    ).strip())
    assessment = models.Assessment.objects.using(ws.alias).get().pk
    tokens = [t for _, t in invitations.invite(
        ws.alias, owner, assessment, role="manager", department="Sales", count=2,
        survey_url=lambda t: t,
    ).links]
    state = survey.open_survey(ws.alias, tokens[0])
    answers = {q.id: 4 for p in state.pages for q in p.questions}
    try:
        with live_server(ws.path, env) as url:
            for path in ("/api/openapi.json", "/static/outsidein/site.css", "/accounts/login/"):
                with urllib.request.urlopen(url + path, timeout=30) as response:
                    assert response.status == 200, path
            assert post_json(f"{url}/api/survey/{tokens[0]}/submit", {"answers": answers}) == (
                201, {"status": "received", "created": True})
            assert post_json(f"{url}/api/survey/{tokens[0]}/submit", {"answers": answers}) == (
                200, {"status": "received", "created": False})
            with urllib.request.urlopen(f"{url}/s/{tokens[1]}/", timeout=30) as response:
                assert response.url.endswith(f"/s/{tokens[1]}/1/")  # a link signed here works
        assert models.Respondent.objects.using(ws.alias).count() == 1
        assert models.Response.objects.using(ws.alias).count() == len(answers)
        assert not (ws.path / "secret_key").exists()  # OUTSIDEIN_SECRET_KEY was given
    finally:
        close_workspace(ws.path)


def test_add_user_gives_a_role_in_the_workspace_organisation(tmp_path: Path) -> None:
    from outsidein.services.server import add_user
    from outsidein.services.tenants import Invalid

    ws = init_workspace(tmp_path / "ws", name="Roles Oy")
    try:
        user = add_user(ws.path, username="ana", password="Ana-pass-123456", role="analyst")
        member = models.Membership.objects.using(ws.alias).get(user_id=user)
        assert (member.role, member.organisation.slug) == ("analyst", ws.organisation)
        with pytest.raises(Invalid, match="role must be"):
            add_user(ws.path, username="bob", password="Bob-pass-123456", role="admin")
        with pytest.raises(Invalid, match="taken"):
            add_user(ws.path, username="ana", password="Ana-pass-123456")
    finally:
        close_workspace(ws.path)
