"""Report tasks: thin wrappers that take ids and call reporting.services."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from assessments import flags
from portal.lib.dates import local_today
from reporting import exports, kept, services

logger = logging.getLogger(__name__)

# Failures worth another try: the database or the broker went away for a moment, a disk hiccup.
TRANSIENT = (OperationalError, InterfaceError, BrokerError, ConnectionError, TimeoutError)
MAX_RETRIES = 4


@shared_task(
    bind=True,
    acks_late=True,  # the message stays with the broker until the report is done...
    reject_on_worker_lost=True,  # ...and goes back to it if the worker dies mid-report
    max_retries=MAX_RETRIES,
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
)
def generate_report(self, run_id: int) -> str:
    """Generate one report run. Idempotent: a run already done or failed is left as it is."""
    try:
        return services.generate(run_id).status
    except TRANSIENT as error:
        if self.request.retries < MAX_RETRIES:
            # 10 s, 20 s, 40 s, 80 s: enough for a database restart or a failover.
            raise self.retry(exc=error, countdown=10 * 2**self.request.retries) from error
        services.fail(run_id, f"{type(error).__name__}: {error}")
    except SoftTimeLimitExceeded:
        services.fail(run_id, "Quá thời gian cho phép khi tạo báo cáo.")
    except Exception as error:
        # Not transient: retrying would fail the same way. Shown on the run, logged in full.
        logger.exception("Report run %s failed", run_id)
        services.fail(run_id, f"{type(error).__name__}: {error}")
    return "failed"


@shared_task(time_limit=300, soft_time_limit=270)
def generate_scheduled_reports(
    period: str | None = None, today_iso: str | None = None
) -> list[int]:
    """Run by beat on the 5th day after each quarter (see services.ensure_report_schedules)."""
    today = datetime.date.fromisoformat(today_iso) if today_iso else local_today()
    return [run.pk for run in services.generate_scheduled(today=today, period=period)]


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def check_kept_figures() -> int:
    """Run by beat each night: build the kept figures from scratch (reporting.kept) and log an
    error, which reaches the administrators, for any facility whose kept figures had drifted
    from its records (a write that bypassed the models: a fix in the database by hand)."""
    result = kept.rebuild()
    if result.differing:
        logger.error(
            "Kept figures of %s facilities differed from their records and were rebuilt: %s",
            len(result.differing),
            result.differing[:50],
        )
    # The review queue's kept warning flags, checked the same way.
    flagged = flags.rebuild()
    if flagged.differing:
        logger.error("Warning flags of %s reports differed and were kept again.", flagged.differing)
    return len(result.differing) + flagged.differing


@shared_task(time_limit=60, soft_time_limit=50)
def requeue_stalled_reports() -> list[int]:
    """Run by beat every 5 minutes: no run stays queued or running forever."""
    return services.requeue_stalled()


# No automatic retry: the export is started again from its page in one click, and a retry would
# queue behind the user's next one.
@shared_task(
    acks_late=True, reject_on_worker_lost=True, time_limit=15 * 60, soft_time_limit=14 * 60
)
def export_facilities(export_id: int, language: str = "vi") -> str:
    """Write one facility export (reporting.exports). Redelivered after a worker died, it
    starts the file over; an export already settled is left as it is."""
    with translation.override(language):
        try:
            return exports.run(export_id)
        except SoftTimeLimitExceeded:
            exports.fail(export_id, _("Quá thời gian cho phép khi tạo tệp."))
        except Exception:
            logger.exception("Facility export %s failed", export_id)
            exports.fail(export_id, _("Lỗi hệ thống khi tạo tệp. Vui lòng thử lại."))
    return "failed"
