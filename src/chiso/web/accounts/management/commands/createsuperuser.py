"""Django's createsuperuser, with the new account in the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.db.models import Max

from chiso.web.audit.models import Action
from chiso.web.audit.services import command_actor, record_change, snapshot


class Command(createsuperuser.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        # not in one transaction: the questions asked on the terminal would hold it open
        people = get_user_model()._default_manager.db_manager(options["database"])
        last = people.aggregate(last=Max("pk"))["last"] or 0
        super().handle(*args, **options)
        for person in people.filter(pk__gt=last, is_superuser=True):
            record_change(
                Action.ADDED, person, by=None, before={}, after=snapshot(person),
                actor_name=command_actor(), note="manage.py createsuperuser",
            )  # fmt: skip
