from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from chiso.web.audit.models import Action
from chiso.web.audit.services import command_actor, record
from chiso.web.console.demo import (
    ACCOUNTS,
    PASSWORD,
    assign_demo_reviewer,
    create_demo,
    demo_exists,
)


class Command(BaseCommand):
    help = "Create the demo province (Bình Định 2021) unless it exists; print the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            assign_demo_reviewer()
            self.stdout.write("The demo data exist already: kept as they are.")
        else:
            with transaction.atomic():
                cycle = create_demo()
                record(
                    Action.ADDED, actor=None, actor_name=command_actor(), cycle=cycle,
                    target=f"demo: {cycle.name}", note="manage.py seed_demo",
                    new=_("%(units)s units, %(people)s people")
                    % {"units": cycle.participations.count(), "people": len(ACCOUNTS)},
                )  # fmt: skip
            self.stdout.write(
                f"Created the demo: {cycle.name}, {cycle.participations.count()} units."
            )
        self.stdout.write(f"\nDemo accounts (password: {PASSWORD}):")
        for account in ACCOUNTS:
            where = f" — {account.unit}" if account.unit else ""
            self.stdout.write(f"  {account.username:9} {account.role.label}{where}")
        self.stdout.write("\nOpen http://127.0.0.1:8000/ in a browser.\n")
