from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments import flags
from reporting import kept


class Command(BaseCommand):
    help = (
        "Build the kept figures (each facility's state over time) and the reports' warning flags "
        "from scratch and report those that differed. Run after loading data in bulk, and on a "
        "schedule as a check; --check fails when any differed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Exit with an error when any facility differed."
        )

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        started = time.monotonic()
        result = kept.rebuild()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Kept figures rebuilt: {result.facilities} facilities, {result.rows} spans, "
            f"{seconds:.1f} s; {len(result.differing)} differed."
        )
        started = time.monotonic()
        flagged = flags.rebuild()
        self.stdout.write(
            f"Warning flags kept: {flagged.reports} reports, {time.monotonic() - started:.1f} s; "
            f"{flagged.filled} had none, {flagged.differing} differed."
        )
        if result.differing:
            shown = ", ".join(str(pk) for pk in result.differing[:20])
            self.stdout.write(f"Facilities that differed (first 20): {shown}")
        if check and (result.differing or flagged.differing):
            raise CommandError(
                f"{len(result.differing)} facilities' kept figures and {flagged.differing} "
                "reports' warning flags differed."
            )
