from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench import TIERS, targets
from bench.run import default_work_dir, run, table
from facilities.models import Facility


class Command(BaseCommand):
    help = (
        "Generate a tier of synthetic data into the database DATABASE_URL names (an empty, "
        "migrated one: never a real deployment), then measure the portal against its floors "
        "and the targets of issue #15, and print the figures. See `make bench`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tier", choices=TIERS, default="tiny")
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
        parser.add_argument("--skip-load", action="store_true", help="No gunicorn/locust run.")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Measure the data already in the database instead of generating a tier.",
        )
        parser.add_argument(
            "--sqlite",
            type=Path,
            help="A migrated, empty SQLite file: on PostgreSQL, the same tier is written there "
            "too and both databases are timed side by side in this run.",
        )
        parser.add_argument(
            "--readme",
            action="store_true",
            help="Rewrite the README's performance table from this run's figures.",
        )
        parser.add_argument(
            "--readme-from",
            type=Path,
            help="Rewrite the README's performance table from a saved JSON; measure nothing.",
        )

    def handle(
        self,
        *args: Any,
        tier: str,
        seed: int,
        json: Path | None,
        skip_load: bool,
        reuse: bool,
        sqlite: Path | None,
        readme: bool,
        readme_from: Path | None,
        **options: Any,
    ) -> None:
        readme_path = Path(settings.BASE_DIR) / "README.md"
        if readme_from is not None:
            targets.rewrite_readme(readme_path, _read_json(readme_from))
            self.stdout.write(f"README's performance table written from {readme_from}")
            return
        if not reuse and Facility.objects.exists():
            raise CommandError(
                "The database already holds facilities. The bench writes its own data: give it "
                "an empty migrated database (`make bench` does), or --reuse to measure these."
            )
        results = run(
            tier_name=tier,
            seed=seed,
            reuse=reuse,
            skip_load=skip_load,
            sqlite=sqlite,
            work=default_work_dir(tier),
            say=self._say,
        )
        self.stdout.write(table(results))
        if json is not None:
            _write_json(json, results)
            self.stdout.write(f"Figures written to {json}")
        if readme:
            targets.rewrite_readme(readme_path, results)
            self.stdout.write("README's performance table rewritten from this run.")

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()


def _read_json(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise CommandError(f"{path} does not exist: run `make bench` first.")
    return json.loads(path.read_text())


def _write_json(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
