from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessments import services


class Command(BaseCommand):
    help = "Create the Celery beat entries the portal needs if missing (run at every deploy)."

    def handle(self, *args: Any, **options: Any) -> None:
        task = services.ensure_reminder_schedule()
        self.stdout.write(f"{task.name}: {task.crontab}")
