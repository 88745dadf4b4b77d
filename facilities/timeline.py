"""Everything the programme did with one facility, newest first.

Each source is one query; later apps (assessments, self-reports, projects, awards) add theirs to
`facility_timeline`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from facilities.models import Facility


@dataclass(frozen=True)
class TimelineEvent:
    day: datetime.date
    icon: str
    title: str
    detail: str = ""


def facility_timeline(facility: Facility) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    for participation in facility.participations.select_related("activity"):
        activity = participation.activity
        events.append(
            TimelineEvent(
                activity.held_on,
                "megaphone",
                f"{activity.get_kind_display()}: {activity.title}",
                activity.organiser,
            )
        )
    for confirmation in facility.awareness.all():
        events.append(
            TimelineEvent(
                confirmation.confirmed_on,
                "lightbulb",
                _("Xác nhận nhận thức về SXSH"),
                confirmation.get_method_display(),
            )
        )
    for unit in facility.cp_units.all():
        events.append(
            TimelineEvent(
                unit.established_on,
                "people",
                _("Thành lập bộ phận chuyên trách SXSH"),
                _("Trưởng bộ phận: %(head)s") % {"head": unit.head},
            )
        )
        if unit.ended_on:
            events.append(
                TimelineEvent(unit.ended_on, "people", _("Bộ phận chuyên trách SXSH giải thể"))
            )
    if facility.started_on:
        events.append(TimelineEvent(facility.started_on, "flag", _("Bắt đầu hoạt động")))
    for day, title in (
        (facility.suspended_on, _("Tạm ngừng hoạt động")),
        (facility.resumed_on, _("Hoạt động trở lại")),
        (facility.closed_on, _("Đóng cửa")),
    ):
        if day:
            events.append(TimelineEvent(day, "pause-circle", title))
    return sorted(events, key=lambda event: event.day, reverse=True)
