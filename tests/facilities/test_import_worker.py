"""The registry import through Redis and a real Celery worker (CI's PostgreSQL + Redis stage):
the page queues the dry run and the write, the worker runs them, the page shows the progress the
worker recorded from its own connection and, after a reload, the outcome."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from facilities.importer import guess_mapping, read_headers
from facilities.models import Facility, FacilityImport
from portal.models import Role
from tests.facilities.test_importer import valid_row, xlsx
from tests.factories import UserFactory

pytestmark = pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL and a worker"
)


def _wait_for(batch: FacilityImport, *statuses: str, seconds: float = 120) -> FacilityImport:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status in statuses:
            return batch
        time.sleep(0.5)
    pytest.fail(f"the worker left the import {batch.status!r}, not {statuses}")


def test_the_worker_checks_and_writes_an_import_queued_by_the_page(
    reference_data, settings
) -> None:
    # The worker reads the upload where it keeps media (it was started with the default).
    settings.MEDIA_ROOT = Path(settings.BASE_DIR) / "var" / "media"
    staff = UserFactory.for_role(Role.DEPARTMENT_STAFF)
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    rows = [valid_row(n) for n in range(1, 1_201)]
    client.post(
        reverse("facilities:import_upload"),
        {"file": SimpleUploadedFile("danh-sach.xlsx", xlsx(rows))},
    )
    batch = FacilityImport.objects.get()
    try:
        with batch.file.open("rb") as handle:
            mapping = guess_mapping(read_headers(handle))
        data = {key: "" if index is None else str(index) for key, index in mapping.items()}
        page = reverse("facilities:import_preview", args=[batch.pk])
        client.post(page, data | {"check": "1"})
        batch = _wait_for(batch, FacilityImport.Status.CHECKED, FacilityImport.Status.FAILED)
        assert batch.status == FacilityImport.Status.CHECKED, batch.message
        assert (batch.result["to_create"], batch.result["error_count"]) == (1_200, 0)
        assert batch.progress_done == batch.progress_total == 1_200

        client.post(page, {"apply": "1"})
        batch = _wait_for(batch, FacilityImport.Status.APPLIED, seconds=180)
        assert (batch.created_count, Facility.objects.count()) == (1_200, 1_200)
        assert batch.progress_done == 2 * 1_200
        assert "Đã nhập xong: 1.200 cơ sở mới" in client.get(page).content.decode()
    finally:
        batch.file.delete(save=False)
