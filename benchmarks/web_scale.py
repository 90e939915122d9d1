"""Time the web's pages on a national-sized cycle, next to a yardstick in the same run.

Seeds (or reuses) a cycle of ``--units`` × ``--criteria`` (``manage.py seed_scale``) in the
PostgreSQL database of ``DATABASE_URL`` — your own database, never ``test`` — and drives the
pages with Django's test client in this process: for each page the server time (median and
best of ``--runs``, after one run that counts its queries and warms up), the median CPU time
of this process (the database's own time is not in it) and its queries. The
yardstick is the site's icon, a view that reads no database, through the same middleware.

    createdb -h 127.0.0.1 -U postgres chiso_scale
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chiso_scale \\
        .venv/bin/python benchmarks/web_scale.py --units 4000 --criteria 150 [--runs 5]

Publishing (for the public page and the API) happens once, the first time the cycle is used:
it writes the publication's documents, minutes at national size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TARGET_PAGE = 0.5  # seconds of server time for any page at 4,000 units
TARGET_SAVE = 0.05  # seconds for the autosave of one answer


@dataclass
class Page:
    name: str
    request: Callable[[], Any]
    before: Callable[[], None] | None = None
    """What each run needs first (not timed): e.g. the draft results forgotten."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=4000)
    parser.add_argument("--criteria", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only", nargs="*", default=[], help="time only the pages whose name starts so"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or url.rstrip("/").rsplit("/", 1)[-1] == "test":
        print("DATABASE_URL: your own PostgreSQL database (not test), e.g.", file=sys.stderr)
        print("  postgres://postgres@127.0.0.1:5432/chiso_scale", file=sys.stderr)
        return 2
    os.environ["DJANGO_SETTINGS_MODULE"] = "chiso.web.settings"
    os.environ.setdefault("CHISO_DEBUG", "0")  # as the site runs
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, reset_queries
    from django.test.utils import setup_test_environment

    settings.SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
    setup_test_environment()
    # as the test runner does: one connection for the run, its queries counted across requests
    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    cycle = _cycle(args.units, args.criteria, args.seed)
    _analyze()
    pages = [
        page
        for page in _pages(cycle, args.units, args.seed)
        if not args.only or page.name.startswith(tuple(args.only))
    ]
    print(f"{args.units} units × {args.criteria} criteria, cycle {cycle.pk}; {args.runs} runs")
    print(f"{'page':38} {'median s':>9} {'best s':>7} {'CPU s':>7} {'queries':>8} {'KiB':>7}")
    failed = False
    for page in pages:
        times, cpu, queries, size = _measure(page, args.runs)
        median = statistics.median(times)
        target = TARGET_SAVE if page.name == "save an answer" else TARGET_PAGE
        untimed = page.name.startswith(("yardstick", "draft results' job"))  # not a request
        mark = "" if median <= target or untimed else "  > target"
        failed |= bool(mark)
        print(
            f"{page.name:38} {median:9.3f} {min(times):7.3f} {statistics.median(cpu):7.3f} "
            f"{queries:8d} {size / 1024:7.0f}{mark}",
            flush=True,
        )
    return 1 if failed else 0


def _cycle(units: int, criteria: int, seed: int) -> Any:
    from chiso.web.audit.models import Action, AuditEntry
    from chiso.web.console.scale import organisation_name
    from chiso.web.console.scale import seed as make

    entry = AuditEntry.objects.filter(
        action=Action.ADDED,
        note="manage.py seed_scale",
        cycle__organisation__name=organisation_name(units, criteria, seed),
    ).first()
    if entry is not None:
        return entry.cycle
    started = time.monotonic()
    made = make(units, criteria, seed)
    print(f"seeded in {time.monotonic() - started:.0f} s: {made.answers} answers")
    return made.cycle


def _analyze() -> None:
    """The planner's statistics, as autovacuum leaves them some time after a seed or a copy
    (without them PostgreSQL plans the half a million verdicts as one row)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _pages(cycle: Any, units: int, seed: int) -> list[Page]:
    from django.core.cache import cache
    from django.http import HttpResponse
    from django.test import Client
    from django_tasks_db.management.commands.db_worker import Worker

    from chiso.reports.overclaim import TITLE as OVERCLAIM_TITLE
    from chiso.web.accounts.models import Role, User
    from chiso.web.audit.models import Action
    from chiso.web.audit.services import count_changes, record
    from chiso.web.cycles.models import Cycle, CycleState
    from chiso.web.results import drafts
    from chiso.web.results import services as results
    from chiso.web.submissions.models import Answer, SubmissionState

    tag = f"scale{units}s{seed}"

    def client(username: str | None) -> Client:
        found = Client()
        if username is not None:
            found.force_login(User.objects.get(username=username))
        return found

    admin, reviewer, anyone = client(f"{tag}-admin"), client(f"{tag}-reviewer"), client(None)
    draft = cycle.participations.filter(submission__state=SubmissionState.DRAFT).first()
    editor = client(User.objects.get(unit=draft.unit, role=Role.EDITOR).username)
    team = User.objects.get(username=f"{tag}-reviewer")
    pk = cycle.pk

    def state(value: str) -> Callable[[], None]:
        return lambda: Cycle.objects.filter(pk=pk).update(state=value) and None

    def save() -> Any:
        answer = Answer.objects.get(submission__participation=draft, code="A.1.1")
        other = "1" if answer.value == "0" else "0"
        data = {"code": "A.1.1", "value": other, "revision": str(answer.revision)}
        return editor.post(f"/submissions/{draft.pk}/answer/", data, HTTP_HX_REQUEST="true")

    def changed() -> None:
        """A change of the cycle, as each one counts itself in the trail: what is kept per
        change is computed again."""
        count_changes([pk])

    def state_changed() -> None:
        """A change of the whole cycle that changes no answer, as the cycle's state files it
        in the trail: what is kept per unit is counted again for none."""
        found = Cycle.objects.get(pk=pk)
        record(Action.CYCLE_STATE, actor=None, actor_name="benchmark", cycle=found,
               old=found.state, new=found.state)  # fmt: skip

    def answered() -> None:
        """A unit's answer saved, the change an open cycle mostly gets: what is kept per unit
        is counted again for that unit."""
        state(CycleState.OPEN)()
        if save().status_code != 200:
            raise SystemExit("the answer before the page was not saved")
        state(CycleState.UNDER_REVIEW)()

    def cold() -> None:
        drafts.forget()
        cache.clear()

    def change() -> None:
        count_changes([pk])  # as any change of the cycle's data counts itself

    def asked() -> None:
        """A change, and the page that starts the job computing the draft after it."""
        change()
        admin.get(f"/results/{pk}/")

    def work() -> Any:
        """The worker runs the job (as `manage.py db_worker` does, in this process)."""
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="benchmark",
            excluded_queue_names=[],
        ).run()
        return HttpResponse()

    def published() -> None:
        if not cycle.revisions.exists():
            Cycle.objects.filter(pk=pk).update(state=CycleState.UNDER_REVIEW)
            started = time.monotonic()
            results.publish(Cycle.objects.get(pk=pk), by=User.objects.get(username=f"{tag}-admin"))
            print(f"published in {time.monotonic() - started:.0f} s")
        Cycle.objects.filter(pk=pk).update(state=CycleState.PUBLISHED)

    def review() -> None:
        state(CycleState.UNDER_REVIEW)()
        table()  # before the pages are timed: it computes the draft

    chart = ""

    def chart_url() -> str:
        nonlocal chart
        chart = chart or results.compute(Cycle.objects.get(pk=pk)).report().all_charts[0].key
        return f"/results/{pk}/charts/{chart}.png"

    key = ""

    def table() -> str:
        """The last group's table (its units on pages of 100), found once before it is used."""
        nonlocal key
        if not key:
            contents = results.compute(Cycle.objects.get(pk=pk)).contents()
            # not the over-claim table a reviewed cycle's draft ends a block with
            key = [e.key for e in contents if not e.title.startswith(OVERCLAIM_TITLE)][-1]
        return f"table={key}"

    return [
        Page("yardstick: the site's icon", lambda: anyone.get("/favicon.ico")),
        Page("unit's form", lambda: editor.get(f"/submissions/{draft.pk}/"), state("open")),
        Page("save an answer", save, state("open")),
        Page("dashboard", lambda: admin.get(f"/cycles/{pk}/"), review),
        Page(
            "dashboard by missing, after a change",
            lambda: admin.get(f"/cycles/{pk}/?sort=missing"),
            changed,
        ),
        Page(
            "dashboard by missing, after a state change",
            lambda: admin.get(f"/cycles/{pk}/?sort=missing"),
            state_changed,
        ),
        Page(
            "dashboard by missing, after an answer",
            lambda: admin.get(f"/cycles/{pk}/?sort=missing"),
            answered,
        ),
        Page("dashboard by missing answers", lambda: admin.get(f"/cycles/{pk}/?sort=missing")),
        Page("dashboard, a search", lambda: admin.get(f"/cycles/{pk}/?q=00012")),
        Page("export CSV", lambda: admin.get(f"/cycles/{pk}/export.csv")),
        Page("export XLSX", lambda: admin.get(f"/cycles/{pk}/export.xlsx")),
        Page(
            "review overview, after a change",
            lambda: admin.get(f"/reviews/cycle/{pk}/"),
            cache.clear,
        ),
        Page("review overview", lambda: admin.get(f"/reviews/cycle/{pk}/")),
        Page("review queue", lambda: reviewer.get(f"/reviews/cycle/{pk}/queue/")),
        Page(
            "review overview, filtered, page 2",
            lambda: admin.get(f"/reviews/cycle/{pk}/?state=submitted&q=0&page=2"),
        ),
        Page(
            "review queue, page 2, after a change",
            lambda: reviewer.get(f"/reviews/cycle/{pk}/queue/?state=todo&page=2"),
            changed,
        ),
        Page(
            "review queue, to do, page 2",
            lambda: reviewer.get(f"/reviews/cycle/{pk}/queue/?state=todo&page=2"),
        ),
        Page(
            "review overview, a reviewer's assignments",
            lambda: admin.get(f"/reviews/cycle/{pk}/?reviewer={team.pk}&assignment_page=2"),
        ),
        Page(
            "review: units suggested",
            lambda: admin.get(f"/reviews/cycle/{pk}/unit-choices/", {"unit": "thử"}),
        ),
        Page("draft results, none computed yet", lambda: admin.get(f"/results/{pk}/"), cold),
        Page("draft results' job in the worker", work, asked),
        Page("draft results, kept", lambda: admin.get(f"/results/{pk}/")),
        Page(
            "draft results, a table's page 3", lambda: admin.get(f"/results/{pk}/?{table()}&page=3")
        ),
        Page("draft chart", lambda: admin.get(chart_url())),
        Page("draft results after a change", lambda: admin.get(f"/results/{pk}/"), change),
        Page("public results", lambda: anyone.get(f"/results/{pk}/"), published),
        Page(
            "public results, a table's page 3",
            lambda: anyone.get(f"/results/{pk}/?{table()}&page=3"),
        ),
        Page("public results, a search", lambda: anyone.get(f"/results/{pk}/?{table()}&q=00012")),
        Page("public chart", lambda: anyone.get(chart_url())),
        Page("JSON API", lambda: anyone.get(f"/api/v1/results/{pk}")),
    ]


def _measure(page: Page, runs: int) -> tuple[list[float], list[float], int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if page.before:
        page.before()
    with CaptureQueriesContext(connection) as queries:
        response = page.request()
    if response.status_code != 200:
        raise SystemExit(f"{page.name}: status {response.status_code}")
    size = len(response.content) if not response.streaming else 0
    times, cpu = [], []
    for _run in range(runs):
        if page.before:
            page.before()
        started, used = time.perf_counter(), time.process_time()
        response = page.request()
        if response.streaming:
            b"".join(response.streaming_content)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return times, cpu, len(queries), size


if __name__ == "__main__":
    sys.exit(main())
