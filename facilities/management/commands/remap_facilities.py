"""Move facilities from plan-era units to their current commune through the crosswalk."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from facilities.geography import apply_remap, plan_remap


class Command(BaseCommand):
    help = "Dry run (default) or --apply: move facilities on expired units to current communes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="Write the moves.")

    def handle(self, *args: Any, **options: Any) -> None:
        plans = apply_remap(actor=None) if options["apply"] else plan_remap()
        for plan in plans:
            target = plan.new_unit or ", ".join(str(unit) for unit in plan.candidates) or "?"
            self.stdout.write(f"{plan.facility.tax_code}\t{plan.old_unit}\t{plan.how}\t{target}")
        moved = sum(plan.new_unit is not None for plan in plans)
        verb = "moved" if options["apply"] else "would move"
        self.stdout.write(f"{verb} {moved}; {len(plans) - moved} need a person.")
