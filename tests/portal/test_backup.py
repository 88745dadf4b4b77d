"""`manage.py backup` and `restore`: a backup restored into a scratch database has every row.

On SQLite in the normal run; on PostgreSQL (pg_dump -Fc / pg_restore) when DATABASE_URL says so.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from assessments.models import Assessment
from facilities.models import Facility
from tests.files import PDF


@pytest.fixture
def scratch_database(transactional_db, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database to restore into, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg2

    params = connection.get_connection_params()
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = psycopg2.connect(**{**params, "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    settings_dict = connection.settings_dict
    user = settings_dict["USER"]
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    yield f"postgres://{user}{password}@{host}:{port}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _counts_here() -> dict[str, int]:
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _counts_in(url: str, tables: list[str]) -> dict[str, int]:
    if url.startswith("sqlite:///"):
        database = sqlite3.connect(url.removeprefix("sqlite:///"))
    else:
        import psycopg2

        database = psycopg2.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        cursor = database.cursor()
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        return counts
    finally:
        database.close()


def test_a_backup_restores_into_a_scratch_database_with_every_row_and_upload(
    reference_data, users, facilities, scratch_database, tmp_path, settings
) -> None:
    assessment = Assessment.objects.create(facility=facilities["own"], kind="quick")
    assessment.report.save("bao-cao.pdf", ContentFile(PDF))
    before = _counts_here()
    assert before["facilities_facility"] == Facility.objects.count() == 2

    call_command("backup", directory=tmp_path / "backups")

    made = sorted(path.name for path in (tmp_path / "backups").iterdir())
    dump = next(p for p in (tmp_path / "backups").iterdir() if p.suffix in (".dump", ".sqlite3"))
    media = next(p for p in (tmp_path / "backups").iterdir() if p.name.endswith(".media.tar.gz"))
    assert len(made) == 2, made
    call_command("restore", str(dump), database_url=scratch_database, no_input=True)
    assert _counts_in(scratch_database, list(before)) == before

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", str(dump), database_url=scratch_database, media=media, no_input=True)
    restored = settings.MEDIA_ROOT / assessment.report.name
    assert restored.read_bytes() == PDF


def test_without_uploads_no_media_tarball_is_written(transactional_db, tmp_path) -> None:
    call_command("backup", directory=tmp_path)
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".tar.gz")]


def test_restore_refuses_a_file_that_is_no_backup(transactional_db, tmp_path) -> None:
    stray = tmp_path / "notes.txt"
    stray.write_text("không phải bản sao lưu")
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(stray), database_url="sqlite:///x.sqlite3", no_input=True)
    with pytest.raises(CommandError, match="No such backup"):
        call_command("restore", str(tmp_path / "missing.dump"), no_input=True)
