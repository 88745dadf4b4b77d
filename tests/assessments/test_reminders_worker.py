"""The reminder task end to end through Redis and a real Celery worker (CI's PostgreSQL + Redis
stage): the worker reads committed data from the test database and mails through its backend."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.conf import settings

from assessments.tasks import send_self_report_reminders
from portal.models import Role
from tests.factories import FacilityFactory, UserFactory

pytestmark = pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL and a worker"
)


def test_a_real_worker_reminds_managers_before_the_deadline(reference_data) -> None:
    manager = UserFactory.for_role(Role.FACILITY_MANAGER, email="nhac-nop@gachngoi.vn")
    FacilityFactory(name="Công ty Cổ phần Gạch ngói Yên Thành", managers=[manager])
    outbox = Path(settings.EMAIL_FILE_PATH)
    before = set(outbox.glob("*.log")) if outbox.exists() else set()
    # Q3 2026 is due on 20/10/2026; the first reminder goes out five days before.
    queued = send_self_report_reminders.delay("2026-10-15").get(timeout=60)
    assert queued == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        mails = [path.read_text() for path in set(outbox.glob("*.log")) - before]
        if any("nhac-nop@gachngoi.vn" in mail for mail in mails):
            break
        time.sleep(0.2)
    else:
        pytest.fail("the worker sent no reminder within 30 s")
    assert send_self_report_reminders.delay("2026-10-16").get(timeout=60) == 0
