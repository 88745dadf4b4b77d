"""`manage.py restore FILE`: put a backup made by `manage.py backup` back.

By default into the portal's own database (after a confirmation); with --database-url into
another one, which is how a backup is checked without touching production.
"""

from __future__ import annotations

import sqlite3
import tarfile
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from portal.management.commands.backup import postgres_env, run_tool


def restore_database(backup: Path, settings_dict: dict[str, Any]) -> None:
    engine = settings_dict["ENGINE"]
    if backup.suffix == ".dump":
        if "postgresql" not in engine:
            raise CommandError("A .dump file is a PostgreSQL backup: restore it into PostgreSQL.")
        run_tool(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={settings_dict['NAME']}",
            str(backup),
            env=postgres_env(settings_dict),
        )
    elif backup.suffix == ".sqlite3":
        if "sqlite3" not in engine:
            raise CommandError("A .sqlite3 file is a SQLite backup: restore it into SQLite.")
        with sqlite3.connect(backup) as source, sqlite3.connect(settings_dict["NAME"]) as target:
            source.backup(target)
        source.close()
        target.close()
    else:
        raise CommandError(f"{backup.name} is not a backup made by manage.py backup.")


def restore_media(tarball: Path) -> int:
    """Unpack the uploads into MEDIA_ROOT; the "data" filter refuses absolute paths and links
    that would write outside it."""
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball, "r:gz") as archive:
        members = []
        for member in archive.getmembers():
            if not member.name.startswith("media/"):
                continue
            member.name = member.name.removeprefix("media/")
            members.append(member)
        archive.extractall(media, members=members, filter="data")
    return sum(1 for member in members if member.isfile())


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (and optionally its media tarball)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="var/backups/<timestamp>.dump or .sqlite3")
        parser.add_argument("--media", type=Path, help="the .media.tar.gz made with it")
        parser.add_argument(
            "--database-url",
            help="Restore into this database instead of the portal's (e.g. to check a backup).",
        )
        parser.add_argument("--no-input", action="store_true", help="Do not ask to confirm.")

    def handle(
        self,
        *args: Any,
        file: Path,
        media: Path | None,
        database_url: str | None,
        no_input: bool,
        **options: Any,
    ) -> None:
        if not file.is_file():
            raise CommandError(f"No such backup: {file}")
        if database_url:
            target = dj_database_url.parse(database_url)
        else:
            target = connections["default"].settings_dict
            if (
                not no_input
                and input(
                    f"This replaces everything in the database {target['NAME']}. Type 'yes': "
                )
                != "yes"
            ):
                raise CommandError("Restore cancelled.")
            connections["default"].close()
        restore_database(file, target)
        self.stdout.write(self.style.SUCCESS(f"Database restored from {file}."))
        if media:
            count = restore_media(media)
            self.stdout.write(f"Media: {count} files restored into {settings.MEDIA_ROOT}.")
