"""Self-report tasks: thin wrappers that pick the day and call a service."""

from __future__ import annotations

import datetime

from celery import shared_task

from assessments import services
from portal.lib.dates import local_today


@shared_task(time_limit=300, soft_time_limit=270)
def send_self_report_reminders(today_iso: str | None = None) -> int:
    """Run daily by beat (see services.ensure_reminder_schedule); returns the mails queued.

    No automatic retry: a rerun on the same day would mail the same managers again.
    """
    today = datetime.date.fromisoformat(today_iso) if today_iso else local_today()
    return services.send_reminders(today=today)
