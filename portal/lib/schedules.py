"""Beat entries the portal needs, created once and then left to staff (django-celery-beat)."""

from __future__ import annotations

from django_celery_beat.models import CrontabSchedule, PeriodicTask

from portal.lib.dates import LOCAL_TZ


def ensure_crontab_task(
    *,
    name: str,
    task: str,
    minute: str = "0",
    hour: str = "*",
    day_of_month: str = "*",
    month_of_year: str = "*",
) -> PeriodicTask:
    """The entry `name` running `task` on this crontab (Hanoi time), created if missing.

    An entry that already exists is left as it is: staff may have changed its time or paused it
    in the admin, and seeding or migrating again must not undo that.
    """
    fields = {
        "minute": minute,
        "hour": hour,
        "day_of_week": "*",
        "day_of_month": day_of_month,
        "month_of_year": month_of_year,
        "timezone": LOCAL_TZ,
    }
    # CrontabSchedule has no unique constraint, so get_or_create could meet duplicates.
    crontab = CrontabSchedule.objects.filter(**fields).order_by(
        "pk"
    ).first() or CrontabSchedule.objects.create(**fields)
    periodic, _created = PeriodicTask.objects.get_or_create(
        name=name, defaults={"task": task, "crontab": crontab}
    )
    return periodic
