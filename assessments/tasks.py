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


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def keep_warning_flags() -> int:
    """After a change that concerns every report (assessments/flags.py): their flags kept again.
    Returns the reports whose flag was filled."""
    from assessments import flags  # flags queues this task

    return flags.rebuild().filled
