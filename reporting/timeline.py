"""Everything the programme did with one facility, newest first.

Each source is one query (prefetched together), so the page costs the same for a busy facility.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment
from facilities.models import Facility


@dataclass(frozen=True)
class TimelineEvent:
    day: datetime.date
    icon: str
    title: str
    detail: str = ""


def facility_timeline(facility: Facility) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    facility = Facility.objects.prefetch_related(
        "awareness",
        "cp_units",
        "self_reports",
        "support_projects",
        "awards",
        Prefetch(
            "assessments",
            queryset=Assessment.objects.select_related("organisation").prefetch_related("options"),
        ),
    ).get(pk=facility.pk)
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
    for assessment in facility.assessments.all():
        if assessment.started_on:
            events.append(
                TimelineEvent(
                    assessment.started_on,
                    "clipboard-check",
                    str(assessment.get_kind_display()),
                    assessment.organisation.name if assessment.organisation else "",
                )
            )
        for option in assessment.options.all():
            if option.verified_on:
                events.append(
                    TimelineEvent(
                        option.verified_on,
                        "check2-circle",
                        _("Giải pháp SXSH được kiểm chứng"),
                        option.description,
                    )
                )
    for report in facility.self_reports.all():
        if report.status == "approved" and report.reviewed_at:
            events.append(
                TimelineEvent(
                    timezone.localdate(report.reviewed_at),
                    "journal-check",
                    _("Báo cáo %(period)s được duyệt") % {"period": report.period_label},
                )
            )
    for project in facility.support_projects.all():
        day = project.approved_on or project.proposed_on
        if day:
            events.append(
                TimelineEvent(day, "briefcase", project.title, str(project.get_funding_display()))
            )
    for award in facility.awards.all():
        # An award carries only its year; it is shown at the year's end.
        events.append(
            TimelineEvent(datetime.date(award.year, 12, 31), "award", award.title, award.issued_by)
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
