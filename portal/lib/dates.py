"""Local dates: deadlines and as-of dates are legal dates in Vietnam, whatever the server's zone.

A report sent at 23:30 on its deadline is on time even if a server somewhere else thinks it is
already the next day.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_today() -> datetime.date:
    return timezone.localdate(timezone=LOCAL_TZ)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day` in Vietnam: `at < end_of_day(day)` means "by that day"."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, LOCAL_TZ)
