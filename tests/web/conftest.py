"""A small named cast for web tests: the demo province's assessor, a reviewer, a viewer, and
an editor and a head for each of two units (A = Sở Tư pháp, B = Sở Y tế)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker

from chiso.core import shipped_frameworks
from chiso.web.accounts.models import Role, User
from chiso.web.cycles.models import Cycle, CycleState, Organisation, Participation, Unit
from chiso.web.cycles.services import import_framework
from chiso.web.results import drafts

PASSWORD = "a-long-test-password"


@dataclass
class Cast:
    organisation: Organisation
    cycle: Cycle
    unit_a: Unit
    unit_b: Unit
    part_a: Participation
    part_b: Participation
    district: Participation
    admin: User
    reviewer: User
    viewer: User
    editor_a: User
    head_a: User
    editor_b: User
    head_b: User

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test database, whose connections left by the tests' other threads (a
    live server's, a test's own) are ended before it is dropped: on PostgreSQL, one of them
    still open kept the database from being dropped at the end of the run."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Django's default hasher takes a second or more per password on a busy machine, and every
    test makes seven; test_login.py checks the default hashers themselves."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def temporary_files(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Files that a test stores (evidence, publication documents) go to a temporary folder,
    never to the data folder of the demo."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("files")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(settings.MEDIA_ROOT), "base_url": "/files/"},
        },
    }


@pytest.fixture(autouse=True)
def fresh_draft_results() -> None:
    """Each test's database starts again with the same ids: results a test computed must not
    be taken for the next one's."""
    drafts.forget()


@pytest.fixture(autouse=True)
def drafts_at_once(settings: Any) -> None:
    """The draft results are computed by their job as soon as a page asks (a small cycle
    takes a moment); tests of the draft computed in the worker set
    ``CHISO_DRAFT_TASKS = "default"`` and run the queue (:func:`run_jobs`)."""
    immediate = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
    settings.TASKS = {**settings.TASKS, "immediate": immediate}
    settings.CHISO_DRAFT_TASKS = "immediate"


def make_user(
    username: str, role: Role, unit: Unit | None = None, organisation: Organisation | None = None
) -> User:
    """A person of ``organisation``; by default their unit's assessor, or the first assessor."""
    if organisation is None:
        organisation = unit.organisation if unit else Organisation.objects.order_by("pk").first()
    user = User(username=username, role=role, unit=unit, full_name=username.title())
    user.organisation = organisation
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def cast(db: None) -> Cast:
    organisation = Organisation.objects.create(
        name="Sở Thông tin và Truyền thông tỉnh Bình Định", place="Quy Nhơn"
    )
    source = shipped_frameworks()["binh-dinh-2021"].read_text(encoding="utf-8")
    version = import_framework(organisation, source, source_name="binh-dinh-2021.yaml")
    cycle = Cycle.objects.create(
        organisation=organisation,
        name="Đánh giá năm 2021",
        year=2021,
        framework=version,
        deadline=datetime.date(2021, 10, 30),
        state=CycleState.OPEN,
    )
    unit_a = Unit.objects.create(organisation=organisation, name="Sở Tư pháp")
    unit_b = Unit.objects.create(organisation=organisation, name="Sở Y tế")
    district = Unit.objects.create(organisation=organisation, name="UBND huyện An Lão")
    part_a = Participation.objects.create(cycle=cycle, unit=unit_a, block="so")
    part_b = Participation.objects.create(cycle=cycle, unit=unit_b, block="so")
    part_d = Participation.objects.create(cycle=cycle, unit=district, block="huyen")
    return Cast(
        organisation=organisation,
        cycle=cycle,
        unit_a=unit_a,
        unit_b=unit_b,
        part_a=part_a,
        part_b=part_b,
        district=part_d,
        admin=make_user("admin", Role.ADMIN),
        reviewer=make_user("reviewer", Role.REVIEWER),
        viewer=make_user("viewer", Role.VIEWER),
        editor_a=make_user("editor_a", Role.EDITOR, unit_a),
        head_a=make_user("head_a", Role.HEAD, unit_a),
        editor_b=make_user("editor_b", Role.EDITOR, unit_b),
        head_b=make_user("head_b", Role.HEAD, unit_b),
    )


def run_jobs() -> int:
    """Run every background task waiting in the database's queue, here and now, as
    `manage.py db_worker --batch` does (without the command's signal handlers, which would
    take over the test run's, and keeping the test's database connection, which the worker
    would close between tasks as a request does: on PostgreSQL, with the test's transaction
    open); the number of tasks run."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
    return worker._run_tasks


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright (which cannot download one here)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM runs in
    # its own, and the test's own reads are still synchronous
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
