"""Reminders of a cycle's deadline to the units that have not submitted, a set number of days
before it (``CHISO_REMINDER_DAYS``, 7 and 1 by default), by ``manage.py send_reminders``.

Each reminder is recorded (cycle, unit, days before), so that it goes once however often
the command runs; a day the command did not run is made up on the next run (the reminder of
the nearest number of days not yet past), never after the deadline. Days are counted in the
site's time zone (``TIME_ZONE``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from chiso import format as fmt
from chiso.web.cycles.models import Cycle, CycleState, Participation
from chiso.web.notifications.models import Kind
from chiso.web.notifications.services import notify, people_by_unit
from chiso.web.submissions.models import Reminder, SubmissionState

__all__ = ["Due", "due_reminders", "send_reminders"]


@dataclass(frozen=True)
class Due:
    """A reminder to send: the unit of ``participation``, ``days_before`` (the step of the
    setting), ``days_left`` until the deadline today, and how many people it tells."""

    participation: Participation
    days_before: int
    days_left: int
    people: int = 0


def _step(days_left: int, steps: Sequence[int]) -> int | None:
    """The step whose day has come and whose next smaller step has not."""
    passed = [days for days in steps if days >= days_left]
    return min(passed) if passed and days_left >= 0 else None


def due_reminders(today: datetime.date, steps: Sequence[int] | None = None) -> list[Due]:
    """The reminders due today and not yet sent: the units that have not submitted in the
    open cycles whose deadline is ``steps`` days away or less, and not past."""
    steps = settings.CHISO_REMINDER_DAYS if steps is None else steps
    if not steps:
        return []
    cycles = Cycle.objects.filter(
        state=CycleState.OPEN,
        deadline__gte=today,
        deadline__lte=today + datetime.timedelta(days=max(steps)),
    )
    due = []
    for cycle in cycles.order_by("deadline", "pk"):
        assert cycle.deadline is not None
        days_left = (cycle.deadline - today).days
        step = _step(days_left, steps)
        if step is None:
            continue
        sent = set(
            Reminder.objects.filter(cycle=cycle, days_before__lte=step).values_list(
                "unit_id", flat=True
            )
        )
        waiting = (
            cycle.participations.exclude(submission__state=SubmissionState.SUBMITTED)
            .exclude(unit_id__in=sent)
            .select_related("unit", "cycle")
            .order_by("unit__name")
        )
        due += [Due(participation, step, days_left) for participation in waiting]
    return due


def send_reminders(*, today: datetime.date | None = None, dry_run: bool = False) -> list[Due]:
    """Send the reminders due today (the local date by default), each recorded once; with
    ``dry_run``, only say which."""
    today = timezone.localdate() if today is None else today
    due = due_reminders(today)
    people = people_by_unit(item.participation.unit_id for item in due)
    done = []
    for item in due:
        told = people.get(item.participation.unit_id, [])
        if not dry_run and not _send(item, told):
            continue  # another run sent it meanwhile
        done.append(Due(item.participation, item.days_before, item.days_left, len(told)))
    return done


def _send(item: Due, people: list[object]) -> bool:
    participation = item.participation
    cycle = participation.cycle
    assert cycle.deadline is not None
    if item.days_left == 0:
        message = gettext_noop(
            "%(unit)s has not submitted its self-assessment in “%(cycle)s”: the deadline is "
            "today, %(deadline)s."
        )
    else:
        message = gettext_noop(
            "%(unit)s has not submitted its self-assessment in “%(cycle)s”: the deadline is "
            "%(deadline)s, %(days)s day(s) from now."
        )
    try:
        with transaction.atomic():
            Reminder.objects.create(
                cycle=cycle, unit=participation.unit, days_before=item.days_before
            )
            notify(
                people,
                Kind.DEADLINE,
                message,
                {
                    "unit": participation.unit,
                    "cycle": cycle.name,
                    "deadline": fmt.date(cycle.deadline),
                    "days": item.days_left,
                },
                link=reverse("submissions:form", args=[participation.pk]),
            )
    except IntegrityError:
        return False
    return True
