"""The request of a logged-in person and the one check every app shares: the assessor only.

Each app holds its own access rules (``cycles/access.py``, ``submissions/access.py``,
``reviews/access.py``, ``results/access.py``), written with the predicates of
``accounts/roles.py``. A person who may not see an object gets 404 (its existence is not
revealed); one who may see it but not do the action gets 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from chiso.web.accounts import roles
from chiso.web.accounts.models import User

__all__ = ["AuthedRequest", "require_assessor"]


class AuthedRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is a :class:`User`."""

    user: User


def require_assessor(user: Any) -> None:
    if not roles.is_assessor(user):
        raise PermissionDenied
