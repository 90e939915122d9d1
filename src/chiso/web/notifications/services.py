"""Tell people of an event: one notification each in the site, and its e-mail (unless they
turned that kind off) queued once the action's transaction commits, so that an action rolled
back tells nobody anything, and sent by a background worker (``send_emails``), so that no
request waits for the mail server.

Call ``notify`` inside the transaction of the action. The text is written in the site's
language (Vietnamese) whatever the language of the request that caused it.
"""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import QuerySet
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext

from chiso.web.accounts import roles
from chiso.web.accounts.mail import message_for, site_url
from chiso.web.accounts.models import User
from chiso.web.audit.models import Action
from chiso.web.audit.services import describe, record
from chiso.web.notifications.models import EmailOff, Kind, Notification

__all__ = [
    "mark_all_read",
    "mark_read",
    "notify",
    "people_by_unit",
    "send_emails",
    "set_emails",
    "unread_count",
]

logger = logging.getLogger(__name__)
MAX_TEXT = Notification._meta.get_field("text").max_length or 1000
# after a mail server could not be reached, the e-mails of this many seconds are not tried
MAIL_DOWN_PAUSE = 60.0
_mail_down_until = 0.0  # time.monotonic()


def notify(
    people: Iterable[Any],
    kind: Kind,
    message: str,
    params: Mapping[str, Any] | None = None,
    *,
    link: str = "",
    once_unread: bool = False,
) -> list[Notification]:
    """Notify each active person of ``people`` once: ``message`` is an English msgid (marked
    with gettext_noop) formatted with ``params`` in the site's language; ``link`` the path of
    the page it is about. ``once_unread``: a person who has not yet read a notification of
    this kind about the same page is not told again (a unit answering criterion after
    criterion)."""
    by_pk = {person.pk: person for person in people if person.is_active}
    if once_unread and by_pk:
        waiting = Notification.objects.filter(
            person_id__in=by_pk, kind=kind, link=link, read_at__isnull=True
        ).values_list("person_id", flat=True)
        for pk in set(waiting):
            del by_pk[pk]
    if not by_pk:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(message) % (params or {})
    if len(text) > MAX_TEXT:  # a long reason for reopening: the e-mail and the page keep it short
        text = text[: MAX_TEXT - 1] + "…"
    created = Notification.objects.bulk_create(
        Notification(
            person=person,
            kind=kind,
            text=text,
            link=link,
            unit_when_told=getattr(person, "unit_id", None),
        )
        for person in by_pk.values()
    )
    off = set(
        EmailOff.objects.filter(person_id__in=by_pk, kind=kind).values_list("person_id", flat=True)
    )
    to_mail = [person for pk, person in by_pk.items() if pk not in off and person.email]
    if to_mail:
        pks = [person.pk for person in to_mail]
        # robust: a queue that cannot be reached is logged, the action is done
        transaction.on_commit(lambda: send_emails.enqueue(pks, text, link, str(kind)), robust=True)
    return created


@task
def send_emails(people: list[int], text: str, link: str, kind: str) -> None:
    """The e-mails of one event, sent by a background worker (never in the request)."""
    found = User.objects.in_bulk(people)
    _send([found[pk] for pk in people if pk in found], text, link, Kind(kind).label)


def people_by_unit(unit_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The active people (editors and heads) of each of these units, in one query."""
    found: dict[int, list[Any]] = {}
    for person in roles.unit_people(unit_ids):
        if person.unit_id is not None:
            found.setdefault(person.unit_id, []).append(person)
    return found


def _send(people: list[Any], text: str, link: str, label: Any) -> None:
    """The e-mails of one event, over one connection to the mail server. A refused address
    or a mail server down does not undo an action already done; it is logged. A server that
    cannot be reached is tried once: the event's other e-mails, and those of the events of
    the next ``MAIL_DOWN_PAUSE`` seconds (the other units of a publication), are not tried,
    so that an action waits for one time-out at most (the site's notifications stay)."""
    global _mail_down_until
    if time.monotonic() < _mail_down_until:
        logger.warning(
            "%d notification e-mail(s) not sent: the mail server could not be reached",
            len(people),
        )
        return
    context = {"text": text, "url": site_url() + link if link else "", "kind": label}
    mailer = mail.mailers.default
    try:
        mailer.open()
    except Exception:
        _mail_down_until = time.monotonic() + MAIL_DOWN_PAUSE
        logger.exception(
            "The mail server could not be reached: %d notification e-mail(s) not sent",
            len(people),
        )
        return
    try:
        for number, person in enumerate(people):
            try:
                message = message_for(person, "notifications/mail/notification", context)
                mailer.send_messages([message])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException):
                # the server answered: this address (or this message) only
                logger.exception("The notification e-mail to %s was not sent", person.email)
            except Exception:
                _mail_down_until = time.monotonic() + MAIL_DOWN_PAUSE
                logger.exception(
                    "The mail server failed: %d notification e-mail(s) not sent",
                    len(people) - number,
                )
                return
    finally:
        try:
            mailer.close()
        except Exception:
            logger.exception("The connection to the mail server was not closed cleanly")


def unread_count(person: Any) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).count()


def mark_read(notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(person: Any) -> int:
    unread: QuerySet[Notification] = Notification.objects.filter(
        person=person, read_at__isnull=True
    )
    return unread.update(read_at=timezone.now())


@transaction.atomic
def set_emails(person: Any, kinds_on: Iterable[str]) -> tuple[set[str], set[str]]:
    """Keep the e-mail of the kinds ``kinds_on`` and turn the others off (a change of the
    person's settings, in the audit trail); the kinds turned (off, on) by this change."""
    wanted_off = {kind.value for kind in Kind} - set(kinds_on)
    before = set(EmailOff.objects.filter(person=person).values_list("kind", flat=True))
    if before == wanted_off:
        return set(), set()
    EmailOff.objects.filter(person=person).exclude(kind__in=wanted_off).delete()
    EmailOff.objects.bulk_create(
        [EmailOff(person=person, kind=kind) for kind in sorted(wanted_off - before)]
    )
    with translation.override(settings.LANGUAGE_CODE):
        record(
            Action.CHANGED,
            actor=person,
            target=describe(person),
            old=_kinds(before),
            new=_kinds(wanted_off),
            note=gettext("E-mail turned off for these notifications"),
        )
    return wanted_off - before, before - wanted_off


def _kinds(values: set[str]) -> str:
    return "; ".join(str(kind.label) for kind in Kind if kind.value in values) or "—"
