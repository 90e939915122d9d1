from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chiso.web.console.scale import PASSWORD, seed


class Command(BaseCommand):
    help = (
        "Create a synthetic cycle of any size (units × criteria) with people, answers, "
        "evidence records, a review in round 2 and an earlier year's results."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", type=int, default=4000)
        parser.add_argument("--criteria", type=int, default=150)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        units, criteria = options["units"], options["criteria"]
        if not 1 <= units <= 100_000 or not 1 <= criteria <= 2_000:
            raise CommandError("--units: 1 to 100000; --criteria: 1 to 2000")
        started = time.monotonic()
        try:
            made = seed(units, criteria, options["seed"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Created cycle {made.cycle.pk} “{made.cycle.name}”: {made.units} units, "
            f"{made.answers} answers, {made.verdicts} verdicts in "
            f"{time.monotonic() - started:.1f} s. People's password: {PASSWORD}"
        )
