"""Benchmark: survey submissions against a running ``outsidein serve`` on loopback.

For each backend (the workspace's SQLite file; PostgreSQL), the script

1. makes a workspace with one assessment and enough single-use invitations;
2. starts ``serve()`` (gunicorn, gthread) in its own process group, optionally pinned to CPUs
   (``--server-cpus 0,1`` uses ``taskset``: the target is "on 2 cores");
3. **load**: ``--clients`` closed-loop clients (threads with keep-alive connections) POST whole
   responses (65 answers) to ``/api/survey/<token>/submit`` for ``--seconds``; reports
   acknowledged submissions per second and p50/p99 latency;
4. **crash**: loads again, SIGKILLs the whole server process group mid-load, restarts it, and
   lets every client retry whatever was not acknowledged until it is;
5. **counts**: every acknowledged token's invitation must be used (else *lost*); stored
   respondents must equal used invitations and acknowledged tokens (else *duplicated*); and the
   multiset of stored answer vectors must equal the multiset of acknowledged payloads (no
   answer lost, duplicated or mixed up -- checked without linking answers to invitations).

Targets (issue 5): >= 300 submissions/s, p99 <= 100 ms on 2 cores, 0 lost, 0 duplicated.
The script prints the figures and the ratio of each to its target; it exits non-zero when a
submission is lost or duplicated (timings are reported, not asserted).

Run: ``python benchmarks/submissions.py --backend both --server-cpus 0,1``
(PostgreSQL from ``--database-url`` or ``OUTSIDEIN_TEST_DATABASE_URL``; the role needs
CREATEDB).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SECRET_KEY = secrets.token_urlsafe(40)
os.environ["OUTSIDEIN_SECRET_KEY"] = SECRET_KEY  # before Django: tokens signed here work there
os.environ.pop("DATABASE_URL", None)
os.environ.pop("OUTSIDEIN_WORKSPACE", None)
sys.path.insert(0, str(REPO / "src"))

TARGET_RATE = 300.0
TARGET_P99_MS = 100.0


@dataclass
class Submission:
    token: str
    body: bytes
    vector: tuple[int, ...]


@dataclass
class Phase:
    acked: dict[str, int] = field(default_factory=dict)  # token -> status (201 or 200)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


# --------------------------------------------------------------------------- set-up


def make_workspace(root: Path, database_url: str | None, invitations: int) -> tuple[
    object, list[Submission], list[str]
]:
    from outsidein.services import invitations as invitations_service
    from outsidein.services import survey, tenants
    from outsidein.services.workspace import init_workspace
    from outsidein.store import models

    ws = init_workspace(root, name="Bench Oy", database_url=database_url)
    owner = tenants.create_user(ws.alias, username="bench", password="Bench-pass-12345",
                                organisation=ws.organisation)
    assessment = models.Assessment.objects.using(ws.alias).get().pk
    tokens: list[str] = []
    while len(tokens) < invitations:
        batch = min(5000, invitations - len(tokens))
        outcome = invitations_service.invite(
            ws.alias, owner, assessment, role="operational", department="Floor",
            count=batch, survey_url=lambda t: t,
        )
        tokens.extend(t for _, t in outcome.links)
    items = [q.id for p in survey.open_survey(ws.alias, tokens[0]).pages for q in p.questions]
    rng = random.Random(7)
    subs = []
    for token in tokens:
        answers = {item: rng.randint(1, 7) for item in items}
        subs.append(Submission(token=token, body=json.dumps({"answers": answers}).encode(),
                               vector=tuple(answers[i] for i in items)))
    return ws, subs, items


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``serve()`` in a process group of its own, so that SIGKILL takes all of it."""

    def __init__(self, workspace: Path, port: int, cpus: str | None, workers: int,
                 threads: int) -> None:
        self.workspace, self.port, self.cpus = workspace, port, cpus
        self.workers, self.threads = workers, threads
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        code = (
            "from outsidein.services.server import serve; "
            f"serve({str(self.workspace)!r}, port={self.port}, workers={self.workers}, "
            f"threads={self.threads})"
        )
        command = [sys.executable, "-c", code]
        if self.cpus and shutil.which("taskset"):
            command = ["taskset", "-c", self.cpus, *command]
        env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "OUTSIDEIN_SECRET_KEY": SECRET_KEY}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        log = open(self.workspace.parent / "server.log", "ab")  # noqa: SIM115 - lives on
        self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log,
                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/openapi.json")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start; see server.log")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


# --------------------------------------------------------------------------- load


def client(port: int, work: list[Submission], phase: Phase, until: float,
           retry_until_acked: bool) -> None:
    """One closed-loop client: submit, wait for the answer, next; retry what was not acked."""
    conn: http.client.HTTPConnection | None = None
    index = 0
    while index < len(work):
        if not retry_until_acked and time.monotonic() >= until:
            return
        sub = work[index]
        started = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", f"/api/survey/{sub.token}/submit", body=sub.body,
                         headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            if conn is not None:
                conn.close()
            conn = None
            with phase.lock:
                phase.errors += 1
            time.sleep(0.05)  # the server is down: retry the same submission
            continue
        elapsed = time.perf_counter() - started
        if status in (200, 201):
            with phase.lock:
                phase.acked[sub.token] = status
                phase.latencies.append(elapsed)
            index += 1
        else:
            raise RuntimeError(f"unexpected status {status} for a valid submission")
        if retry_until_acked and time.monotonic() >= until:
            return  # crash phase: stop taking new work once the time is up
    if conn is not None:
        conn.close()


def run_load(port: int, subs: list[Submission], clients: int, seconds: float,
             *, retry_until_acked: bool = False, during: object = None) -> tuple[Phase, float]:
    phase = Phase()
    shares = [subs[i::clients] for i in range(clients)]
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(port, share, phase, until,
                                                     retry_until_acked))
               for share in shares]
    started = time.perf_counter()
    for t in threads:
        t.start()
    if callable(during):
        during()
    for t in threads:
        t.join()
    return phase, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[rank]


# --------------------------------------------------------------------------- counting


def count(ws: object, subs: dict[str, Submission], acked: set[str], items: list[str]) -> dict[
    str, int
]:
    from django.db import connections

    from outsidein.store import models

    alias = ws.alias  # type: ignore[attr-defined]
    connections[alias].close()
    public = {token.split(".")[0]: token for token in acked}
    used = set(
        models.Invitation.objects.using(alias)
        .filter(used=True).values_list("public_id", flat=True)
    )
    respondents = models.Respondent.objects.using(alias).filter(source="web").count()
    vectors: dict[int, dict[str, int]] = {}
    for rid, item, value in models.Response.objects.using(alias).values_list(
        "respondent_id", "item_id", "value"
    ).iterator(chunk_size=20000):
        vectors.setdefault(rid, {})[item] = value
    stored = Counter(tuple(v.get(i, 0) for i in items) for v in vectors.values())
    sent = Counter(subs[t].vector for t in acked)
    return {
        "acknowledged": len(acked),
        "used_invitations": len(used),
        "respondents": respondents,
        "lost": sum(1 for p in public if p not in used),
        "duplicated": max(0, respondents - len(used)) + max(0, len(used) - len(acked)),
        "answer_vectors_differing": sum(((stored - sent) + (sent - stored)).values()),
    }


# --------------------------------------------------------------------------- main


def bench(backend: str, args: argparse.Namespace, database_url: str | None) -> bool:
    folder = Path(tempfile.mkdtemp(prefix=f"outsidein-bench-{backend}-"))
    db_name = None
    if backend == "postgres":
        import psycopg

        assert database_url
        db_name = f"outsidein_bench_{secrets.token_hex(4)}"
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        url = f"{database_url.rpartition('/')[0]}/{db_name}"
    else:
        url = None
    needed = int(args.seconds * 1500) + int(args.crash_seconds * 1500) + 2000
    print(f"\n== {backend}: preparing {needed} invitations …", flush=True)
    ws, subs, items = make_workspace(folder / "ws", url, needed)
    by_token = {s.token: s for s in subs}
    # SQLite has one writer: one process, its threads group-commit. PostgreSQL takes a worker
    # per core, as in the production set-up (README, DEPLOY.md).
    workers = args.workers or (1 if backend == "sqlite" else 2)
    threads = args.threads or (8 if backend == "sqlite" else 4)
    server = Server(folder / "ws", free_port(), args.server_cpus, workers, threads)
    try:
        server.start()
        # warm-up (first requests build caches), not counted in the figures
        warm, _ = run_load(server.port, subs[:200], args.clients, 2.0)
        fresh = subs[200:]
        load, elapsed = run_load(server.port, fresh, args.clients, args.seconds)
        rate = len(load.acked) / elapsed
        p50 = percentile(load.latencies, 0.50) * 1000
        p99 = percentile(load.latencies, 0.99) * 1000
        done = set(load.acked)
        rest = [s for s in fresh if s.token not in done]

        def crash() -> None:
            time.sleep(args.kill_after)
            server.kill()
            time.sleep(0.5)
            server.start()

        crash_phase, _ = run_load(server.port, rest, args.clients, args.crash_seconds,
                                  retry_until_acked=True, during=crash)
        acked = set(warm.acked) | done | set(crash_phase.acked)
        server.stop()
        counts = count(ws, by_token, acked, items)
    finally:
        server.stop()
        from outsidein.services.workspace import close_workspace

        close_workspace(folder / "ws")
        from django.db import connections

        connections.close_all()
        if db_name and database_url:
            import psycopg

            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)
    replayed = sum(1 for s in crash_phase.acked.values() if s == 200)
    print(f"   server: {workers} worker(s) x {threads} threads, "
          f"cpus={args.server_cpus or 'all'}; {args.clients} clients; {len(items)} answers each")
    print(f"   load: {len(load.acked)} acknowledged in {elapsed:.1f} s = {rate:.0f}/s "
          f"(target {TARGET_RATE:.0f}/s, ratio {rate / TARGET_RATE:.2f}); "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms (target {TARGET_P99_MS:.0f} ms, "
          f"ratio {p99 / TARGET_P99_MS:.2f})")
    print(f"   crash: SIGKILL after {args.kill_after:.1f} s, restart; "
          f"{len(crash_phase.acked)} acknowledged, {crash_phase.errors} failed attempts "
          f"retried, {replayed} acknowledged as 'already received' (committed before the kill)")
    print("   counts: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    ok = (counts["lost"] == 0 and counts["duplicated"] == 0
          and counts["answer_vectors_differing"] == 0
          and counts["respondents"] == counts["acknowledged"] == counts["used_invitations"])
    print(f"   exactly once: {'yes' if ok else 'NO'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--database-url", default=os.environ.get("OUTSIDEIN_TEST_DATABASE_URL"))
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--crash-seconds", type=float, default=6.0)
    parser.add_argument("--kill-after", type=float, default=2.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--server-cpus", default=None, help="taskset CPU list, e.g. 0,1")
    parser.add_argument("--workers", type=int, default=None,
                        help="server processes (default: 1 for SQLite, 2 for PostgreSQL)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads per process (default: 8 for SQLite, 4 for PostgreSQL)")
    args = parser.parse_args()
    from outsidein.services.workspace import ensure_django

    ensure_django()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    if "postgres" in backends and not args.database_url:
        print("no PostgreSQL: set --database-url or OUTSIDEIN_TEST_DATABASE_URL")
        backends.remove("postgres")
    print(f"outsidein submissions benchmark; machine: {os.cpu_count()} CPUs")
    results = [bench(b, args, args.database_url) for b in backends]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
