"""``manage.py prune_jobs``: remove the background jobs that ended long ago, with their files
(docs/operation.md, "Background work")."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from chiso.web.jobs.models import Kind
from chiso.web.jobs.prune import prune

DEFAULT_DAYS = 30


class Command(BaseCommand):
    help = (
        "Remove the background jobs that ended more than --older-than days ago, with the "
        "files kept with them (uploads, exports); never a job waiting or running, the newest "
        "draft job of a cycle, or a checked file's job while its import is kept. Publications, "
        "documents and saved data are not jobs' and stay. Housekeeping: not in the audit "
        "trail. Run it daily from cron or a systemd timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=DEFAULT_DAYS,
            metavar="DAYS",
            help=f"remove the jobs that ended more than DAYS days ago (default {DEFAULT_DAYS})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be removed; remove nothing"
        )

    def handle(self, *args: Any, older_than: int, dry_run: bool, **options: Any) -> None:
        if older_than < 1:
            raise CommandError(_("--older-than: give a number of days of at least 1."))
        with translation.override(settings.LANGUAGE_CODE):
            pruned = prune(datetime.timedelta(days=older_than), dry_run=dry_run)
            for kind, count in sorted(pruned.jobs.items()):
                self.stdout.write(f"{Kind(kind).label}: {count}")
            summary = (
                _("%(jobs)s job(s) and %(files)s file(s) ended more than %(days)s days ago: "
                  "none removed (dry run).")
                if dry_run
                else _("%(jobs)s job(s) and %(files)s file(s) removed, ended more than "
                       "%(days)s days ago.")
            )  # fmt: skip
            self.stdout.write(summary % {"jobs": pruned.total, "files": pruned.files,
                                         "days": older_than})  # fmt: skip
            if pruned.files_failed:
                self.stderr.write(
                    _("%(n)s file(s) could not be removed (see the log).")
                    % {"n": pruned.files_failed}
                )
