from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo import kit, run


class Command(BaseCommand):
    help = "Load the demo programme (users of every role, and what later steps add). Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=kit.SCALES, default="demo")
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG=0. Demo accounts have a published password.",
        )

    def handle(self, *args: Any, scale: str, seed: int, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG=0: its accounts have a published "
                "password. Use --force only on a throw-away deployment."
            )
        logins = run.seed(scale=scale, seed=seed)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded (scale={scale}, seed={seed})."))
        self.stdout.write(f"Demo logins (password for all: {run.DEMO_PASSWORD}):")
        for login in logins:
            self.stdout.write(f"  {login.username:<14} {login.role_label} — {login.full_name}")
