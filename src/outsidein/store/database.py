"""Database connection settings shared by the Django settings and the workspace opener.

This module must not import Django models: the settings module imports it.
"""

from __future__ import annotations

import os
from pathlib import Path

WORKSPACE_DB_NAME = "outsidein.sqlite3"

SQLITE_OPTIONS: dict[str, object] = {
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at the
    # start of a transaction so concurrent writers queue (busy_timeout) instead of failing
    # half-way with "database is locked". synchronous=FULL: an acknowledged commit survives
    # a power cut, not only a crash of the process.
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
        "PRAGMA busy_timeout=10000;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 10,
}


def sqlite_database(path: Path | str) -> dict[str, object]:
    """Django DATABASES entry for a workspace's SQLite file."""
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": SQLITE_OPTIONS}


def database_from_environment() -> dict[str, object]:
    """``DATABASE_URL`` (PostgreSQL), else ``OUTSIDEIN_WORKSPACE``'s SQLite, else in-memory."""
    url = os.environ.get("DATABASE_URL")
    if url:
        import dj_database_url

        return dict(dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True))
    workspace = os.environ.get("OUTSIDEIN_WORKSPACE")
    if workspace:
        return sqlite_database(Path(workspace).resolve() / WORKSPACE_DB_NAME)
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
