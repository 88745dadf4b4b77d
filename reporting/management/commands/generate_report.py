from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from programs.models import Plan
from reporting.models import Audience, PeriodBasis
from reporting.services import parse_period, render_report


class Command(BaseCommand):
    help = (
        "Generate a report now, without the archive or a worker, and print the paths of its "
        "files. Example: generate_report --period 2020-Q4 --audience province"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="2020-Q4 (a quarter) or 2020 (a year)")
        parser.add_argument("--audience", required=True, choices=Audience.values)
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument(
            "--basis",
            choices=PeriodBasis.values,
            default=PeriodBasis.CALENDAR,
            help="calendar quarters and years, or the Decree 09/2019 cut-off (15th to 14th)",
        )
        parser.add_argument("--format", choices=["pdf", "xlsx", "both"], default="both")
        parser.add_argument(
            "--output", type=Path, default=Path(settings.BASE_DIR, "var", "reports")
        )
        parser.add_argument(
            "--plan", type=int, help="plan id (default: the plan covering the year)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year, quarter = parse_period(options["period"])
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        plans = Plan.objects.covering(year)
        if options["plan"]:
            plans = plans.filter(pk=options["plan"])
        plan = plans.first()
        if plan is None:
            raise CommandError(f"No plan covers {year}.")
        output: Path = options["output"]
        output.mkdir(parents=True, exist_ok=True)
        stem = f"bao-cao-sxsh-{options['period']}-{options['audience']}"
        if options["basis"] == PeriodBasis.DECREE_09:
            stem += "-nd09"
        report = render_report(
            plan,
            year=year,
            quarter=quarter,
            audience=options["audience"],
            as_of=options["as_of"],
            basis=options["basis"],
        )
        if options["format"] in ("pdf", "both"):
            path = output / f"{stem}.pdf"
            path.write_bytes(report.pdf)
            self.stdout.write(f"{path}  ({report.pages} pages)")
        if options["format"] in ("xlsx", "both"):
            path = output / f"{stem}.xlsx"
            path.write_bytes(report.xlsx)
            self.stdout.write(str(path))
