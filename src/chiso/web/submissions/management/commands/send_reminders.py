from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chiso import format as fmt
from chiso.web.submissions.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Remind the units that have not submitted of their cycle's deadline "
        "(CHISO_REMINDER_DAYS days before it); run it daily from cron or a scheduler."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say which reminders are due; send none."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        today = timezone.localdate()
        with translation.override(settings.LANGUAGE_CODE):
            sent = send_reminders(today=today, dry_run=dry_run)
            for item in sent:
                cycle = item.participation.cycle
                assert cycle.deadline is not None
                line = _(
                    "%(cycle)s · %(unit)s · %(days)s day(s) before %(deadline)s · "
                    "%(people)s person(s)"
                ) % {
                    "cycle": cycle.name,
                    "unit": item.participation.unit,
                    "days": item.days_before,
                    "deadline": fmt.date(cycle.deadline),
                    "people": item.people,
                }
                self.stdout.write(line)
            summary = (
                _("%(date)s: %(n)s reminder(s) due, none sent (dry run).")
                if dry_run
                else _("%(date)s: %(n)s reminder(s) sent.")
            )
            self.stdout.write(summary % {"date": fmt.date(today), "n": len(sent)})
