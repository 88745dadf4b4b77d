"""`manage.py backup`: a consistent copy of the database, and the uploads, under var/backups/.

PostgreSQL is dumped with pg_dump's custom format (compressed, restorable table by table with
pg_restore); SQLite is copied with its online backup API, which gives a consistent snapshot even
while the portal writes. Uploaded files (MEDIA_ROOT) go into a tarball beside the dump.
"""

from __future__ import annotations

import os
import shutil
import sqlite3

# Only pg_dump and pg_restore, with argument lists and never a shell.
import subprocess  # nosec B404
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone


def is_postgres(alias: str = "default") -> bool:
    return connections[alias].vendor == "postgresql"


def postgres_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for a Django database, so no password appears on a command line."""
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def run_tool(name: str, *arguments: str, env: dict[str, str]) -> None:
    tool = shutil.which(name)
    if tool is None:
        raise CommandError(
            f"{name} not found: install the PostgreSQL client of the server's version."
        )
    result = subprocess.run(  # nosec B603
        [tool, *arguments], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise CommandError(f"{name} failed: {result.stderr.strip()}")


def back_up_database(target_stem: Path, *, alias: str = "default") -> Path:
    connection = connections[alias]
    if is_postgres(alias):
        target = target_stem.with_suffix(".dump")
        run_tool(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            f"--file={target}",
            env=postgres_env(connection.settings_dict),
        )
        return target
    if connection.vendor != "sqlite":
        raise CommandError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    target = target_stem.with_suffix(".sqlite3")
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()
    return target


def back_up_media(target_stem: Path) -> Path | None:
    media = Path(settings.MEDIA_ROOT)
    if not media.is_dir() or not any(path.is_file() for path in media.rglob("*")):
        return None
    target = target_stem.with_suffix(".media.tar.gz")
    with tarfile.open(target, "w:gz") as archive:
        archive.add(media, arcname="media")
    return target


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc or SQLite's backup API) and the uploaded files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=settings.VAR_DIR / "backups",
            help="Where to write the backup (default var/backups/).",
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        stem = directory / timezone.now().strftime("%Y%m%d-%H%M%S")
        database = back_up_database(stem)
        self.stdout.write(self.style.SUCCESS(f"Database: {database}"))
        media = back_up_media(stem)
        self.stdout.write(f"Media: {media}" if media else "Media: no uploaded files.")
