"""Run the web product on a workspace: ``outsidein serve --workspace DIR [--port N]``.

:func:`serve` opens the workspace (migrating its database), makes it Django's default
database, and runs gunicorn -- a production WSGI server -- with threaded workers in this
process. The same settings serve PostgreSQL: a workspace whose ``workspace.json`` names a
``database_url``, or ``DATABASE_URL`` in the environment.

The secret key that signs sessions, CSRF tokens and survey links comes from
``OUTSIDEIN_SECRET_KEY``; when it is not set, a random key is created once in the workspace
(``secret_key``, readable by its owner only) so that links keep working across restarts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from outsidein.services.workspace import WorkspaceError, open_workspace, read_config

SECRET_KEY_FILE = "secret_key"
DEFAULT_THREADS = 8


def workspace_secret_key(root: Path) -> str:
    """The workspace's own secret key, created on first use (mode 0600)."""
    path = root / SECRET_KEY_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(50) + "\n")
    return path.read_text(encoding="ascii").strip()


def prepare(workspace_path: Path | str) -> Path:
    """Make the workspace's database Django's default and its secret key the server's.

    Must run before Django is set up in this process (``serve`` and the CLI call it first).
    """
    root = Path(workspace_path).expanduser().resolve()
    config = read_config(root)
    url = config.get("database_url")
    if url and not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = str(url)
    if not os.environ.get("OUTSIDEIN_SECRET_KEY"):
        os.environ["OUTSIDEIN_SECRET_KEY"] = workspace_secret_key(root)
    os.environ.setdefault("OUTSIDEIN_DATA_ROOT", str(root))  # its customer evidence
    workspace = open_workspace(root)
    if not _is_default(workspace.alias):
        raise WorkspaceError(
            f"{root}: this process already uses another database; start the server in a "
            "process of its own"
        )
    from django.conf import settings

    wanted = os.environ["OUTSIDEIN_SECRET_KEY"]
    if wanted != settings.SECRET_KEY:
        raise WorkspaceError("Django was set up before the server could choose its secret key")
    return root


def _is_default(alias: str) -> bool:
    """Whether ``alias`` is Django's default database (the web always uses ``default``)."""
    return alias == "default"


def create_owner(
    workspace_path: Path | str, *, username: str, password: str, email: str = ""
) -> int:
    """The first login of a workspace: owner of its organisation and Django superuser.

    The password is checked by Django's validators and stored hashed. Returns the user id.
    """
    workspace = open_workspace(workspace_path)  # sets Django up: import models after it
    from outsidein.services.tenants import create_user

    return create_user(
        workspace.alias, username=username, password=password, email=email,
        organisation=workspace.organisation, role="owner", superuser=True,
    )


def add_user(
    workspace_path: Path | str, *, username: str, password: str, email: str = "",
    role: str = "viewer",
) -> int:
    """Another login, with ``role`` (owner, analyst or viewer) in the workspace's organisation."""
    workspace = open_workspace(workspace_path)
    from outsidein.services.tenants import ROLES, Invalid, create_user

    if role not in ROLES:
        raise Invalid("role must be owner, analyst or viewer", field="role")
    return create_user(
        workspace.alias, username=username, password=password, email=email,
        organisation=workspace.organisation, role=role,
    )


def gunicorn_options(
    *, host: str, port: int, workers: int, threads: int
) -> dict[str, object]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "timeout": 120,  # the first dashboard of a large assessment bootstraps for seconds
        "graceful_timeout": 20,
        "keepalive": 5,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "outsidein",
    }


def serve(
    workspace_path: Path | str, *, port: int = 8000, host: str = "127.0.0.1",
    workers: int = 1, threads: int = DEFAULT_THREADS,
) -> None:
    """Serve the web product on ``host:port`` until interrupted (gunicorn, gthread workers).

    One worker process with ``threads`` threads suits the embedded SQLite database (one writer
    at a time); with PostgreSQL raise ``workers`` to the number of cores.
    """
    if not 1 <= port <= 65535:
        raise WorkspaceError(f"port {port} is not between 1 and 65535")
    prepare(workspace_path)
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    application = get_wsgi_application()
    connections.close_all()  # workers fork from this process: no shared connections
    _Gunicorn(
        application, gunicorn_options(host=host, port=port, workers=workers, threads=threads)
    ).run()


def _gunicorn_base() -> type[Any]:
    from gunicorn.app.base import BaseApplication

    base: type[Any] = BaseApplication
    return base


class _Gunicorn(_gunicorn_base()):  # type: ignore[misc]
    """gunicorn's documented custom-application hook, fed a ready WSGI callable."""

    def __init__(self, application: Any, options: dict[str, object]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application
