"""The cast with e-mail addresses, and the e-mails of actions run to their commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from django.core import mail
from tests.web.conftest import Cast, run_jobs

from chiso.web.notifications.models import Kind, Notification

PEOPLE = ("admin", "reviewer", "viewer", "editor_a", "head_a", "editor_b", "head_b")


@pytest.fixture
def people(cast: Cast) -> Cast:
    for name in PEOPLE:
        person = getattr(cast, name)
        person.email = f"{name}@example.org"
        person.save(update_fields=["email"])
    return cast


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Iterator[Callable[[], AbstractContextManager[Any]]]:
    """A block whose actions commit: the e-mails queued after the commit are sent (the
    worker runs at the end of the block)."""

    @contextmanager
    def block() -> Iterator[Any]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks
        run_jobs()

    yield block


def told(kind: Kind) -> set[str]:
    """The user names of the people notified of ``kind``."""
    return set(Notification.objects.filter(kind=kind).values_list("person__username", flat=True))


def mailed() -> set[str]:
    """The user names the e-mails were sent to (their addresses are name@example.org)."""
    return {address.split("@")[0] for message in mail.outbox for address in message.to}
