"""``manage.py import_people FILE.xlsx|.csv [--dry-run] [--organisation NAME]``: the units and
people of a workbook, as the page /cycles/people/ imports them, with the same report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from chiso.web.audit.services import command_actor
from chiso.web.cycles.models import Organisation
from chiso.web.cycles.people import MAX_BYTES, import_people, report_lines


class Command(BaseCommand):
    help = "Import units and people from a workbook (XLSX) or a CSV file; print each row's result."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the workbook (.xlsx) or CSV file")
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
        parser.add_argument("--organisation", help="the assessor's name (when there are several)")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        organisation = _organisation(options["organisation"])
        path = Path(options["file"])
        try:
            with path.open("rb") as file:
                data = file.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        report = import_people(
            organisation, path.name, data, actor_name=command_actor(), dry_run=options["dry_run"]
        )
        for line in report_lines(report):
            self.stdout.write(line)
        if report.problems:
            raise CommandError(f"{len(report.problems)} errors: nothing is imported.")
        if report.saved:
            self.stdout.write(f"Imported; {report.invited} invitations sent.")
        else:
            self.stdout.write("Dry run: nothing is changed.")


def _organisation(name: str | None) -> Organisation:
    organisations = Organisation.objects.order_by("name")
    if name:
        found = organisations.filter(name__iexact=name).first()
        if found is None:
            raise CommandError(f"no assessor is named {name!r}")
        return found
    if organisations.count() != 1:
        raise CommandError("name the assessor with --organisation (there is not exactly one)")
    return organisations.get()
