"""Invitations: a new person's e-mail with a one-time link to choose their password.

The link carries a token of Django's machinery (:class:`InvitationTokens`, a
``PasswordResetTokenGenerator`` with its own salt, so that a reset link is no invitation and
back): it is worth nothing once the password is set, and expires after
``PASSWORD_RESET_TIMEOUT`` × ``INVITATION_DAYS_FACTOR``. Opening it sets the password and
logs the person in (accounts/views.py, ``InvitationView``). When it was sent last is kept on
the person (``invited_at``), for the administration's list and its "resend" action.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from chiso.web.accounts.mail import send_to, site_url
from chiso.web.accounts.models import User
from chiso.web.audit.models import Action
from chiso.web.audit.services import record_change, snapshot

__all__ = ["InvitationTokens", "invitation_link", "invite", "tokens"]

logger = logging.getLogger(__name__)

INVITATION_DAYS_FACTOR = 14
"""An invitation lasts this many times a reset link (one day): two weeks."""


class InvitationTokens(PasswordResetTokenGenerator):
    key_salt = "chiso.web.accounts.invitations.InvitationTokens"

    def check_token(self, user: Any, token: str | None) -> bool:
        # Django's check against PASSWORD_RESET_TIMEOUT, with the clock turned back by the
        # invitation's longer life (a fresh generator: settings read now, nothing shared)
        return _Checker().check_token(user, token)


class _Checker(InvitationTokens):
    check_token = PasswordResetTokenGenerator.check_token

    def _now(self) -> datetime.datetime:
        extra = settings.PASSWORD_RESET_TIMEOUT * (INVITATION_DAYS_FACTOR - 1)
        return super()._now() - datetime.timedelta(seconds=extra)


tokens = InvitationTokens()


def invitation_link(person: User) -> str:
    """The person's one-time link, with the site's address."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    path = reverse("invitation", kwargs={"uidb64": uid, "token": tokens.make_token(person)})
    return site_url() + path


def invite(person: User, *, by: Any = None, actor_name: str = "") -> bool:
    """Send ``person`` their invitation and note when (with its audit entry); False, and
    nothing noted, for a person without an e-mail address or deactivated, or when the mail
    server refuses (logged: the person's account is stored, the invitation can be resent)."""
    if not person.email or not person.is_active:
        return False
    context = {"link": invitation_link(person), "username": person.get_username()}
    try:
        send_to(person, "mail/invitation", context)
    except OSError:  # smtplib's errors included
        logger.exception("the invitation to %s was not sent", person.email)
        return False
    with transaction.atomic():
        before = snapshot(person)
        person.invited_at = timezone.now()
        person.save(update_fields=["invited_at"])
        record_change(
            Action.CHANGED, person, by=by, actor_name=actor_name, before=before,
            after=snapshot(person), note=_("Invitation sent"),
        )  # fmt: skip
    return True
