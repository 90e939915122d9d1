"""Django's changepassword, with the change (never the password) in the audit trail."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import changepassword

from chiso.web.audit.models import Action
from chiso.web.audit.services import command_actor, record_change, snapshot


class Command(changepassword.Command):
    def handle(self, *args: Any, **options: Any) -> str:
        # not in one transaction: the questions asked on the terminal would hold it open
        model = get_user_model()
        people = model._default_manager.db_manager(options["database"])
        username = options["username"] or getpass.getuser()
        person = people.filter(**{model.USERNAME_FIELD: username}).first()
        before = snapshot(person) if person else {}
        message = str(super().handle(*args, **options))  # CommandError when nobody has the name
        assert person is not None
        person.refresh_from_db()
        record_change(
            Action.CHANGED, person, by=None, before=before, after=snapshot(person),
            actor_name=command_actor(), note="manage.py changepassword",
        )  # fmt: skip
        return message
