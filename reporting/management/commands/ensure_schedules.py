from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessments import services
from reporting.services import ensure_report_schedules


class Command(BaseCommand):
    help = "Create the Celery beat entries the portal needs if missing (run at every deploy)."

    def handle(self, *args: Any, **options: Any) -> None:
        for task in [services.ensure_reminder_schedule(), *ensure_report_schedules()]:
            self.stdout.write(f"{task.name}: {task.crontab}")
