"""Shared fixtures: real workspaces on SQLite and, where configured, PostgreSQL."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from outsidein.services.workspace import ensure_django

# Django is set up once for the test process with an in-memory default database; every test
# workspace registers its own connection (a real SQLite file, or a fresh PostgreSQL database).
os.environ.pop("DATABASE_URL", None)
os.environ.pop("OUTSIDEIN_WORKSPACE", None)
ensure_django()

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
POSTGRES_URL = os.environ.get("OUTSIDEIN_TEST_DATABASE_URL")


def need(condition: bool, reason: str) -> None:
    """Skip when a real dependency is missing on a developer's machine; fail in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


@pytest.fixture
def shared_data() -> Path:
    need(SHARED_DATA.is_dir(), f"the shared data folder {SHARED_DATA} is not here")
    return SHARED_DATA


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    need(bool(POSTGRES_URL), "OUTSIDEIN_TEST_DATABASE_URL is not set (no PostgreSQL server)")
    import psycopg

    assert POSTGRES_URL is not None
    name = f"outsidein_test_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = POSTGRES_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        from django.db import connections

        for alias in list(connections.settings):
            if connections.settings[alias].get("NAME") == name:
                connections[alias].close()
        _drop_database(POSTGRES_URL, name)


def _drop_database(url: str, name: str, *, attempts: int = 20) -> None:
    """Drop a test database. FORCE ends our own sessions in it; an autovacuum worker that
    happens to be in the fresh database belongs to no role, and only a member of
    pg_signal_backend may end it (``.ci/run`` grants that), so without the grant wait for the
    worker to finish instead."""
    import psycopg

    for attempt in range(attempts):
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == attempts - 1:
                raise
            time.sleep(0.25)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str | None:
    """Run a storage test on the embedded SQLite default and on PostgreSQL."""
    if request.param == "sqlite":
        return None
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def workspace(tmp_path: Path, backend: str | None):  # type: ignore[no-untyped-def]
    from outsidein.services.workspace import close_workspace, init_workspace

    ws = init_workspace(tmp_path / "ws", name="Test Firm", database_url=backend)
    yield ws
    close_workspace(ws.path)
