"""Load Nghệ An's communes before and after the 2025 reform, and the crosswalk between them."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from facilities.geography import load_admin_units


class Command(BaseCommand):
    help = "Load the communes before and after 01/07/2025 and the crosswalk; adds only new rows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--changed-from",
            type=datetime.date.fromisoformat,
            help="Date (YYYY-MM-DD) from which a unit the package describes differently is valid.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_admin_units(changed_from=options["changed_from"])
        self.stdout.write(
            f"{result.added} units added, {result.kept} already there, "
            f"{result.crosswalk_added} crosswalk rows added."
        )
        for change in result.changed:
            self.stdout.write(f"changed: {change}")
