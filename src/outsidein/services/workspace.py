"""Workspaces: a folder holding the database (SQLite, WAL) and the data folder (Parquet).

``init_workspace`` makes one; ``open_workspace`` opens one, migrates its schema if an older
version of outsidein made it, and returns a :class:`Workspace` whose ``alias`` names the Django
database connection to use. Several workspaces can be open in one process (a notebook): each
SQLite file gets its own connection alias. With ``DATABASE_URL`` set, every workspace lives in
that PostgreSQL database, kept apart by its organisation.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from outsidein.store.database import WORKSPACE_DB_NAME, sqlite_database

CONFIG_NAME = "workspace.json"
FORMAT_VERSION = 1


class WorkspaceError(Exception):
    """The folder is not a usable workspace; the message says why."""


@dataclass(frozen=True, slots=True)
class Workspace:
    path: Path
    alias: str
    organisation: str
    assessment: str

    @property
    def data_dir(self) -> Path:
        return self.path / "data"

    @property
    def reports_dir(self) -> Path:
        return self.path / "reports"

    @property
    def database_path(self) -> Path:
        return self.path / WORKSPACE_DB_NAME


def ensure_django(workspace: Path | None = None) -> None:
    """Configure and set up Django once per process.

    The first workspace opened becomes the ``default`` database unless ``DATABASE_URL`` or
    ``OUTSIDEIN_WORKSPACE`` already chose one.
    """
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsidein.web.settings")
    if workspace is not None and not os.environ.get("DATABASE_URL"):
        # a workspace with its own database_url still gets its own alias in _alias_for
        os.environ.setdefault("OUTSIDEIN_WORKSPACE", str(workspace.resolve()))
    import django

    django.setup()


def _alias_for(path: Path, database_url: str | None = None) -> str:
    """The connection alias of a workspace, registering a new connection if needed.

    ``database_url`` (from the workspace's config, else ``DATABASE_URL``) puts the workspace in
    that server database; otherwise it is the SQLite file in the folder.
    """
    from django.db import connections

    url = database_url or os.environ.get("DATABASE_URL")
    if url:
        import dj_database_url

        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_health_checks=True))
        key = url
    else:
        config = sqlite_database((path / WORKSPACE_DB_NAME).resolve())
        key = str(config["NAME"])
    def identity(settings: dict[str, Any]) -> tuple[str, ...]:
        # unset HOST/PORT are None in one dict and "" in a filled-in one: compare as text
        return tuple(str(settings.get(k) or "") for k in ("ENGINE", "NAME", "HOST", "PORT"))

    if identity(connections.settings["default"]) == identity(config):
        return "default"
    alias = "ws_" + hashlib.sha1(key.encode()).hexdigest()[:12]
    if alias not in connections.settings:
        default = dict(connections.settings["default"])
        filled = connections.configure_settings({"default": default, alias: config})
        connections.settings[alias] = filled[alias]
    return alias


def _migrate(alias: str) -> None:
    from django.core.management import call_command

    call_command("migrate", database=alias, verbosity=0, interactive=False)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "firm"


def init_workspace(
    path: Path | str,
    *,
    name: str | None = None,
    assessment: str = "Readiness assessment",
    demo: bool = False,
    database_url: str | None = None,
) -> Workspace:
    """Create a new, empty workspace in ``path`` (which must not already be one)."""
    root = Path(path).expanduser().resolve()
    if (root / CONFIG_NAME).exists():
        raise WorkspaceError(f"{root} is already a workspace")
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} exists and is not a folder")
    if root.exists() and any(root.iterdir()):
        raise WorkspaceError(f"{root} is not empty; choose a new or empty folder")
    root.mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    (root / "reports").mkdir(exist_ok=True)
    firm = name or root.name
    config = {
        "format": FORMAT_VERSION,
        "name": firm,
        "organisation": f"{_slug(firm)}-{secrets.token_hex(3)}",
        "assessment": assessment,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "demo": demo,
    }
    if database_url:
        config["database_url"] = database_url
    ensure_django(root)
    alias = _alias_for(root, database_url)
    _migrate(alias)
    from outsidein.store import queries

    queries.ensure_assessment(
        alias,
        organisation=str(config["organisation"]),
        organisation_name=firm,
        assessment=assessment,
    )
    (root / CONFIG_NAME).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return Workspace(
        path=root, alias=alias, organisation=str(config["organisation"]), assessment=assessment
    )


def read_config(root: Path) -> dict[str, Any]:
    config_file = root / CONFIG_NAME
    if not config_file.is_file():
        raise WorkspaceError(
            f"{root} is not an outsidein workspace (no {CONFIG_NAME}); "
            f"create one with `outsidein init {root}`"
        )
    try:
        config: dict[str, Any] = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WorkspaceError(f"{config_file} cannot be read: {exc}") from exc
    if config.get("format") != FORMAT_VERSION:
        raise WorkspaceError(f"{config_file}: unsupported workspace format {config.get('format')}")
    return config


def open_workspace(path: Path | str) -> Workspace:
    """Open an existing workspace, bringing its schema up to date."""
    root = Path(path).expanduser().resolve()
    config = read_config(root)
    ensure_django(root)
    alias = _alias_for(root, config.get("database_url"))
    _migrate(alias)
    from outsidein.store import queries

    queries.ensure_assessment(
        alias,
        organisation=str(config["organisation"]),
        organisation_name=str(config["name"]),
        assessment=str(config["assessment"]),
    )
    return Workspace(
        path=root,
        alias=alias,
        organisation=str(config["organisation"]),
        assessment=str(config["assessment"]),
    )


def close_workspace(path: Path | str) -> None:
    """Close this process's connection to a workspace's database (before moving or deleting it)."""
    from django.apps import apps

    if not apps.ready:
        return
    from django.db import connections

    root = Path(path).expanduser().resolve()
    db_file = str(root / WORKSPACE_DB_NAME)
    for alias in list(connections.settings):
        if str(connections.settings[alias].get("NAME")) == db_file:
            connections[alias].close()
