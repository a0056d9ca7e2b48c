"""Web tests: Django's test client against a real database that is Django's ``default``.

``tests/conftest.py`` sets Django up once with an in-memory default database, and every
workspace gets a connection alias of its own. The web product, like ``outsidein serve``, always
uses ``default``. So each web test points ``default`` at a fresh, migrated database of its own
and points it back afterwards:

- SQLite: a copy of a template file migrated once per session (a file, not memory, so that
  threads and other processes see the same data);
- PostgreSQL: ``CREATE DATABASE ... TEMPLATE`` of a database migrated once per session.

Tests commit for real (no wrapping transaction), so concurrent threads, a live server and the
browser all see what a test wrote, exactly as in production.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment

from outsidein.store.database import sqlite_database
from tests.conftest import POSTGRES_URL, need

PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture(scope="session", autouse=True)
def _django_test_environment() -> Iterator[None]:
    """Django's test set-up: in-memory e-mail outbox, fast password hashing."""
    from django.conf import settings

    setup_test_environment()
    hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    settings.PASSWORD_HASHERS = hashers
    teardown_test_environment()


def _register(alias: str, config: dict[str, Any]) -> None:
    filled = connections.configure_settings(
        {"default": dict(connections.settings["default"]), alias: config}
    )
    connections.settings[alias] = filled[alias]


def _migrate(alias: str) -> None:
    from django.core.management import call_command

    call_command("migrate", database=alias, verbosity=0, interactive=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web-template") / "template.sqlite3"
    alias = "web_template_sqlite"
    _register(alias, sqlite_database(path))
    _migrate(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connections[alias].close()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    need(bool(POSTGRES_URL), "OUTSIDEIN_TEST_DATABASE_URL is not set (no PostgreSQL server)")
    import dj_database_url
    import psycopg

    assert POSTGRES_URL is not None
    name = f"outsidein_webtpl_{secrets.token_hex(4)}"
    base = POSTGRES_URL.rpartition("/")[0]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    alias = "web_template_postgres"
    _register(alias, dict(dj_database_url.parse(f"{base}/{name}")))
    try:
        _migrate(alias)
        connections[alias].close()
        yield name
    finally:
        connections[alias].close()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def default_database(config: dict[str, Any]) -> Iterator[None]:
    """Point Django's ``default`` connection at ``config`` (for new connections in any thread)."""
    saved_settings = connections.settings["default"]
    saved_connection = connections["default"]
    connections.settings["default"] = connections.configure_settings({"default": config})[
        "default"
    ]
    del connections["default"]
    cache.clear()
    try:
        yield
    finally:
        connections["default"].close()
        connections.settings["default"] = saved_settings
        connections["default"] = saved_connection
        cache.clear()


@contextmanager
def fresh_database(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[
    dict[str, Any]
]:
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "web.sqlite3"
        shutil.copyfile(template, path)
        config = sqlite_database(path)
        with default_database(config):
            yield config
        return
    import dj_database_url
    import psycopg

    template_name: str = request.getfixturevalue("postgres_template")
    assert POSTGRES_URL is not None
    name = f"outsidein_web_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    config = dict(dj_database_url.parse(f"{POSTGRES_URL.rpartition('/')[0]}/{name}"))
    try:
        with default_database(config):
            yield config
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database as ``default``, on SQLite and on PostgreSQL; yields the backend."""
    with fresh_database(request.param, request, tmp_path):
        yield request.param


@pytest.fixture
def sqlite_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A fresh SQLite file as ``default`` (pages whose storage is covered by ``db`` tests)."""
    with fresh_database("sqlite", request, tmp_path) as config:
        yield config


# --------------------------------------------------------------------------- a populated world


@dataclass
class Tenant:
    """One organisation with an owner, an analyst and a viewer, and one assessment."""

    slug: str
    assessment: int
    owner: int
    analyst: int
    viewer: int

    def client(self, who: str = "owner") -> Client:
        from django.contrib.auth.models import User

        client = Client()
        client.force_login(User.objects.get(pk=getattr(self, who)))
        return client


def make_tenant(name: str, *, threshold: int = 5) -> Tenant:
    from outsidein.services import tenants

    prefix = name.lower().replace(" ", "")[:10] + secrets.token_hex(2)
    owner = tenants.create_user("default", username=f"{prefix}-owner", password=PASSWORD)
    org = tenants.create_organisation("default", owner, name=name)
    analyst = tenants.create_user("default", username=f"{prefix}-analyst", password=PASSWORD,
                                  organisation=org.slug, role="analyst")
    viewer = tenants.create_user("default", username=f"{prefix}-viewer", password=PASSWORD,
                                 organisation=org.slug, role="viewer")
    assessment = tenants.create_assessment("default", owner, org.slug, name="Spring round",
                                           anonymity_threshold=threshold)
    return Tenant(slug=org.slug, assessment=assessment.id, owner=owner, analyst=analyst,
                  viewer=viewer)


def links(tenant: Tenant, *, role: str, department: str, count: int,
          language: str = "en") -> list[str]:
    """Survey tokens of ``count`` new invitations."""
    from outsidein.services import invitations

    outcome = invitations.invite(
        "default", tenant.owner, tenant.assessment, role=role, department=department,
        language=language, count=count, survey_url=lambda token: token,
    )
    return [token for _, token in outcome.links]


def full_answers(token: str, value: int | None = None, seed: int = 0) -> dict[str, int]:
    """A complete, valid set of answers for the survey behind ``token``."""
    import random

    from outsidein.services import survey

    state = survey.open_survey("default", token)
    rng = random.Random(seed)
    return {
        q.id: value if value is not None else rng.randint(3, 7)
        for p in state.pages for q in p.questions
    }


def answer_all(tenant: Tenant, *, role: str, department: str, count: int, seed: int = 0) -> int:
    """Invite ``count`` people and submit a whole survey for each (through the service)."""
    from outsidein.services import survey

    for i, token in enumerate(links(tenant, role=role, department=department, count=count)):
        survey.submit("default", token, full_answers(token, seed=seed + i))
    return count


@pytest.fixture
def tenant(db: str) -> Tenant:
    return make_tenant("Acme Oy")


@pytest.fixture
def other(db: str) -> Tenant:
    return make_tenant("Rival GmbH")
