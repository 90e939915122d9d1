"""Benchmark: many people saving answers at once, against minimal Django views.

The web application runs under gunicorn on PostgreSQL, as in production (``--workers``
processes, default 2). N clients (threads, default 50), each logged in as an editor of its own
unit and owning one answer, post autosaves of that answer over loopback as fast as the server
answers them; each save changes the answer (its explanation), so that every request writes the
answer, the self-assessment's time and an audit entry, and answers with the saved field's
fragment, as the form's autosave does.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chiso_bench \\
        .venv/bin/python benchmarks/concurrent_saves.py [--clients 50] [--saves 20]

The database named in DATABASE_URL is created when missing, migrated, and seeded with the demo
(``--seed "seed_demo"``) or any other command (``--seed "seed_scale --units 4000 --criteria
150" --reopen``: that cycle is under review, ``--reopen`` opens it again for the clients' units);
the benchmark's editors (``bench-editor-N``) are added to it. Never point it at a
database that holds real data.

Two yardsticks, asked by the same clients with the same sessions (``benchmarks/bench_urls.py``):
a minimal view (two bytes), and a minimal write (the session and the person read, one answer's
explanation updated in a transaction): the least any save of an answer costs. It prints the
median and the 95th percentile of each phase's response times, the ratios of the saves' p95 to
each yardstick's, and exits 1 when a request failed. The phases alternate (yardsticks, saves,
yardsticks, saves) so that a change of the machine's load falls on all of them.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/chiso_bench"


@dataclass
class Client:
    """One person: a session, the answer it owns and the revision it last saw."""

    session: str
    csrf: str
    participation: int
    code: str
    value: str
    revision: int
    answer: int = 0
    saves: int = 0


def environment(database: str, data_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database,
        "CHISO_DATA_DIR": data_dir,
        "CHISO_DEBUG": "0",
        "CHISO_SECRET_KEY": "bench-" + "k" * 60,
        "CHISO_SECURE_COOKIES": "0",
        "CHISO_ALLOWED_HOSTS": "127.0.0.1",
        "CHISO_HSTS_SECONDS": "0",
        "CHISO_SSL_REDIRECT": "0",  # plain HTTP on loopback, as behind a proxy
        "CHISO_LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT / "src")]),
    }


def create_database(database: str) -> None:
    import psycopg

    url = urlparse(database)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True)


def reopen(clients: int) -> None:
    """Open the latest cycle and make its first ``clients`` self-assessments drafts again: a
    cycle that ``seed_scale`` leaves under review, saved into as if it were still open."""
    from chiso.web.cycles.models import Cycle, CycleState
    from chiso.web.submissions.models import Submission, SubmissionState

    cycle = Cycle.objects.order_by("-pk").first()
    if cycle is None:
        raise SystemExit("the database has no cycle: seed one (--seed)")
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.OPEN)
    first = Submission.objects.filter(participation__cycle=cycle).order_by("pk")[:clients]
    Submission.objects.filter(pk__in=list(first.values_list("pk", flat=True))).update(
        state=SubmissionState.DRAFT, submitted_at=None
    )


def prepare(clients: int) -> list[Client]:
    """In this process (Django set up on the benchmark's database): an editor per client, each
    on a unit whose self-assessment is still open, owning one of its answers (a value some unit
    of its block gave, so that it is valid)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Q
    from django.middleware.csrf import _get_new_csrf_string  # type: ignore[attr-defined]
    from django.test import Client as TestClient

    from chiso.web.accounts.models import Role
    from chiso.web.cycles.models import CycleState, Participation
    from chiso.web.submissions.models import Answer, SubmissionState

    # an answer that is valid in each block (any unit's), given to each client's own unit
    valid: dict[tuple[int, str], tuple[str, str]] = {}
    for cycle, block, code, value in (
        Answer.objects.filter(
            submission__participation__cycle__state=CycleState.OPEN,
            denominator__isnull=True,
            not_applicable=False,
        )
        .exclude(value="")
        .order_by("code")
        .values_list(
            "submission__participation__cycle",
            "submission__participation__block",
            "code",
            "value",
        )
        .iterator()
    ):
        valid.setdefault((cycle, block), (code, value))
    open_units = (
        Participation.objects.filter(cycle__state=CycleState.OPEN)
        .filter(Q(submission__isnull=True) | Q(submission__state=SubmissionState.DRAFT))
        .select_related("unit")
        .order_by("pk")
    )
    owned: list[tuple[Participation, str, str, int]] = []
    for participation in open_units.iterator():
        found = valid.get((participation.cycle_id, participation.block))
        if found is None:
            continue
        code, value = found
        revision = (
            Answer.objects.filter(submission__participation=participation, code=code)
            .values_list("revision", flat=True)
            .first()
        )
        owned.append((participation, code, value, revision or 0))
        if len(owned) == clients:
            break
    if len(owned) < clients:
        raise SystemExit(
            f"only {len(owned)} units have an open self-assessment: ask for fewer clients, "
            "or seed a larger cycle (--seed)"
        )
    User = get_user_model()
    made = []
    for number, (participation, code, value, revision) in enumerate(owned):
        user, _ = User.objects.update_or_create(
            username=f"bench-editor-{number}",
            defaults={
                "role": Role.EDITOR,
                "unit_id": participation.unit_id,
                "organisation_id": participation.unit.organisation_id,
                "is_active": True,
            },
        )
        browser = TestClient()
        browser.force_login(user)
        made.append(
            Client(
                session=browser.cookies[settings.SESSION_COOKIE_NAME].value,
                csrf=_get_new_csrf_string(),
                participation=participation.pk,
                code=code,
                value=value,
                revision=revision,
            )
        )
    return made


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "chiso.web.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--backlog=256",
            "--log-level=warning",
        ],
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def request(port: int, client: Client, method: str, path: str, body: str = "") -> tuple[int, float]:
    headers = {
        "Cookie": f"sessionid={client.session}; csrftoken={client.csrf}",
        "X-CSRFToken": client.csrf,
        "HX-Request": "true",
    }
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def save(port: int, client: Client) -> tuple[int, float]:
    client.saves += 1
    body = urlencode(
        {
            "code": client.code,
            "revision": client.revision,
            "value": client.value,
            "comment": f"{client.session[:8]} {client.saves}",  # a change each time
        }
    )
    status, seconds = request(
        port, client, "POST", f"/submissions/{client.participation}/answer/", body
    )
    if status == 200:
        client.revision += 1
    return status, seconds


def write(port: int, client: Client) -> tuple[int, float]:
    client.saves += 1
    body = urlencode({"answer": client.answer, "comment": f"{client.session[:8]} {client.saves}"})
    return request(port, client, "POST", "/bench/write/", body)


def minimal(port: int, client: Client) -> tuple[int, float]:
    return request(port, client, "GET", "/bench/minimal/")


Step = Callable[[int, Client], tuple[int, float]]


def phase(
    port: int, clients: list[Client], rounds: int, step: Step
) -> tuple[list[float], Counter[int]]:
    """Every client at once, ``rounds`` requests each; the times, and the statuses of the
    requests that failed."""
    times: list[float] = []
    failures: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(len(clients))

    def run(client: Client) -> None:
        start.wait()
        for _ in range(rounds):
            status, seconds = step(port, client)
            with lock:
                times.append(seconds)
                if status != 200:
                    failures[status] += 1

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, failures


def answer_ids(clients: list[Client]) -> None:
    """Each client's answer, stored by its first save."""
    from chiso.web.submissions.models import Answer

    for client in clients:
        client.answer = Answer.objects.get(
            submission__participation_id=client.participation, code=client.code
        ).pk


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--saves", type=int, default=20, help="requests per client and phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--seed", default="seed_demo", help="the command that seeds the cycle")
    parser.add_argument("--no-seed", action="store_true", help="the database is seeded already")
    parser.add_argument(
        "--reopen",
        action="store_true",
        help="open the latest cycle and make the clients' self-assessments drafts again "
        "(a cycle of seed_scale is under review)",
    )
    args = parser.parse_args(argv)
    database = os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    if not database.startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database")
    with tempfile.TemporaryDirectory(prefix="chiso-bench-") as data_dir:
        env = environment(database, data_dir)
        create_database(database)
        manage(env, "migrate", "--noinput", "--verbosity=0")
        manage(env, "createcachetable")
        if not args.no_seed:
            manage(env, *shlex.split(args.seed))
        os.environ.update(env)
        sys.path[:0] = [str(HERE), str(ROOT / "src")]
        if args.reopen:
            import django

            django.setup()
            reopen(args.clients)
        clients = prepare(args.clients)
        port = free_port()
        server = serve(env, port, args.workers)
        steps: dict[str, Step] = {
            "minimal view": minimal,
            "minimal write": write,
            "answer save": save,
        }
        times: dict[str, list[float]] = {name: [] for name in steps}
        failed: Counter[int] = Counter()
        try:
            phase(port, clients, 2, save)  # warm-up: imports, connections, the answers stored
            answer_ids(clients)
            phase(port, clients, 2, minimal)
            phase(port, clients, 2, write)
            for _ in range(2):
                for name, step in steps.items():
                    measured, failures = phase(port, clients, args.saves, step)
                    times[name] += measured
                    failed.update(failures)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    saves = times["answer save"]
    print(f"{args.clients} clients, gunicorn {args.workers} workers, {len(saves)} saves")
    for name, measured in times.items():
        print(
            f"{name:13s}  median {statistics.median(measured) * 1000:7.1f} ms"
            f"   p95 {p95(measured) * 1000:7.1f} ms"
        )
    for name in ("minimal view", "minimal write"):
        print(f"p95 ratio, answer save / {name}: {p95(saves) / p95(times[name]):.2f}")
    if failed:
        print(f"requests failed, by status: {dict(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
