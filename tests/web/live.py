"""A live server for tests: ``serve()`` (gunicorn) in a process of its own, on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(secret_key: str, **extra: str) -> dict[str, str]:
    """The environment of a server process: the test's secret key (so that links the test
    signs are valid there), no inherited database choice."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "OUTSIDEIN_WORKSPACE", "DJANGO_SETTINGS_MODULE")}
    env["OUTSIDEIN_SECRET_KEY"] = secret_key
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(REPO)])
    env.update(extra)
    return env


def run_python(code: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@contextmanager
def live_server(workspace: Path, env: dict[str, str], *, threads: int = 4) -> Iterator[str]:
    """Run ``serve(workspace)`` until the block ends; yields its base URL."""
    port = free_port()
    code = (
        "from outsidein.services.server import serve; "
        f"serve({str(workspace)!r}, port={port}, threads={threads})"
    )
    log = open(workspace.parent / f"server-{port}.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/accounts/login/", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError(
                        "the server did not start:\n"
                        + (workspace.parent / f"server-{port}.log").read_text()[-3000:]
                    ) from None
                time.sleep(0.2)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
