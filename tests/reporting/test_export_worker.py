"""The facility export through Redis and a real Celery worker (CI's PostgreSQL + Redis stage):
the view queues a long list, the worker writes it with progress from its own connection, and
the page offers the file to its requester after a reload."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from portal.models import Role
from reporting import exports
from reporting.models import FacilityExport
from tests.factories import FacilityFactory, UserFactory, tax_code

pytestmark = pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL and a worker"
)


def test_the_worker_writes_a_long_list_the_page_offers_to_its_requester(
    reference_data, settings, monkeypatch
) -> None:
    # The worker writes where it keeps media (it was started with the default).
    settings.MEDIA_ROOT = Path(settings.BASE_DIR) / "var" / "media"
    monkeypatch.setattr(exports, "INLINE_ROWS", 5)  # read by the view, in this process
    for n in range(12):
        FacilityFactory(name=f"Cơ sở số {n}", tax_code=tax_code(90_000 + 10 * n))
    staff = UserFactory.for_role(Role.DEPARTMENT_STAFF)
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("reporting:facility_export"))
    export = FacilityExport.objects.get()
    assert response["Location"] == reverse("reporting:export_detail", args=[export.pk])
    try:
        deadline = time.monotonic() + 120
        while export.is_unfinished and time.monotonic() < deadline:
            time.sleep(0.5)
            export.refresh_from_db()
        assert export.status == FacilityExport.Status.DONE, export.message
        assert export.progress_done == export.progress_total == 12
        page = client.get(reverse("reporting:export_detail", args=[export.pk])).content.decode()
        assert reverse("reporting:export_download", args=[export.pk]) in page
        download = client.get(reverse("reporting:export_download", args=[export.pk]))
        workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
        assert workbook.active.max_row == 13
    finally:
        export.refresh_from_db()
        if export.file:
            export.file.delete(save=False)
