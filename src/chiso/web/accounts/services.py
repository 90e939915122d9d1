"""Changes of a person's account, each with its audit entry."""

from __future__ import annotations

from django.db import transaction

from chiso.web.accounts import throttle
from chiso.web.accounts.models import User
from chiso.web.audit.models import Action
from chiso.web.audit.services import record


def set_password(user: User, password: str, *, action: Action) -> User:
    """The person's new password (``action``: changed by them, or reset by e-mail). The audit
    entry says who and when, never the password. A reset also lifts the account's login
    throttling, so that its owner can log in at once."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(action, actor=user, new=user.get_username())
        if action == Action.PASSWORD_RESET:
            throttle.forget_account(user.get_username())
    return user
