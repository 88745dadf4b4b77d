"""Periods, deadlines, completeness and timeliness of self-reports, and the reminders."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from assessments import services
from assessments.models import ReportingSchedule, Resource, SelfReport, SelfReportTransition
from assessments.tasks import send_self_report_reminders
from facilities.models import AdministrativeUnit, Facility
from tests.factories import FacilityFactory, UserFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
REAL_WORKER = bool(os.environ.get("CELERY_BROKER_URL"))
Q1_2019 = ("quarter", 2019, 1)
# Q1 2019 ends on 31/03; the shipped schedule gives 20 days, reminders 5 days before, 3 after.
DEADLINE = datetime.date(2019, 4, 20)


def d(day: int, month: int, year: int) -> datetime.date:
    return datetime.date(year, month, day)


def at_hanoi(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), HANOI)


def submit(facility: Facility, by, *, at: datetime.datetime | None = None) -> SelfReport:
    """A Q1 2019 report submitted through the services, its submission moved to `at`."""
    report = services.start_self_report(
        facility, by=by, period_kind="quarter", year=2019, quarter=1
    )
    services.save_self_report(
        report,
        by=by,
        output=Decimal(100),
        output_unit="t",
        has_cp_unit=False,
        notes="",
        consumptions={Resource.objects.get(code="electricity").pk: Decimal(5000)},
        measures=[],
    )
    services.submit_self_report(report, by=by)
    if at is not None:
        # The transition time is auto_now_add: history is rewritten only in tests.
        report.transitions.filter(to_status="submitted").update(at=at)
        SelfReport.objects.filter(pk=report.pk).update(submitted_at=at)
    return report


# --- Periods and deadlines ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (1, d(1, 1, 2019), d(31, 3, 2019)),
        (2, d(1, 4, 2019), d(30, 6, 2019)),
        (3, d(1, 7, 2019), d(30, 9, 2019)),
        (4, d(1, 10, 2019), d(31, 12, 2019)),
    ],
)
def test_calendar_quarters_run_from_the_first_to_the_last_day(quarter, start, end) -> None:
    assert services.period_bounds("quarter", 2019, quarter) == (start, end)


def test_a_calendar_year_runs_from_new_year_to_new_year_s_eve() -> None:
    assert services.period_bounds("year", 2020, None) == (d(1, 1, 2020), d(31, 12, 2020))


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (1, d(15, 12, 2018), d(14, 3, 2019)),  # spans the year boundary
        (2, d(15, 3, 2019), d(14, 6, 2019)),
        (3, d(15, 6, 2019), d(14, 9, 2019)),
        (4, d(15, 9, 2019), d(14, 12, 2019)),
    ],
)
def test_decree_09_quarters_run_from_the_15th_before_to_the_14th_of_the_last_month(
    quarter, start, end
) -> None:
    assert services.period_bounds("quarter", 2019, quarter, cutoff="decree09") == (start, end)


def test_a_decree_09_year_runs_from_15_december_before_to_14_december() -> None:
    assert services.period_bounds("year", 2019, None, cutoff="decree09") == (
        d(15, 12, 2018),
        d(14, 12, 2019),
    )


def test_decree_09_quarters_follow_each_other_without_gap_or_overlap() -> None:
    ends = [services.period_bounds("quarter", 2019, q, cutoff="decree09") for q in (1, 2, 3, 4)]
    following = services.period_bounds("quarter", 2020, 1, cutoff="decree09")
    for (_start, end), (next_start, _end) in zip(ends, [*ends[1:], following], strict=True):
        assert next_start == end + datetime.timedelta(days=1)


def test_an_unknown_cutoff_or_impossible_period_is_refused() -> None:
    with pytest.raises(ValidationError, match="Cách tính kỳ"):
        services.period_bounds("quarter", 2019, 1, cutoff="fiscal")
    with pytest.raises(ValidationError, match="Quý phải là"):
        services.period_bounds("quarter", 2019, 5)
    with pytest.raises(ValidationError, match="không ghi quý"):
        services.period_bounds("year", 2019, 4)


def test_deadlines_follow_the_shipped_schedule(db) -> None:
    assert services.deadline_for(*Q1_2019) == DEADLINE
    assert services.deadline_for("quarter", 2019, 4) == d(20, 1, 2020)
    assert services.deadline_for("year", 2019, None) == d(30, 1, 2020)


def test_a_deadline_moves_when_staff_change_the_schedule(db) -> None:
    ReportingSchedule.objects.filter(period_kind="quarter").update(days_after_period_end=45)
    assert services.deadline_for(*Q1_2019) == d(15, 5, 2019)


def test_a_missing_schedule_is_named_instead_of_crashing(db) -> None:
    ReportingSchedule.objects.filter(period_kind="year").delete()
    with pytest.raises(ValidationError, match="Chưa có lịch báo cáo"):
        services.deadline_for("year", 2019, None)


# --- Completeness and timeliness ------------------------------------------------------------


@pytest.fixture
def q1_2019(users, facilities) -> dict[str, Facility]:
    """Who reported Q1 2019, and when (deadline 20/04/2019, Hanoi time)."""
    staff = users["department_staff"]
    on_time = facilities["own"]
    late = facilities["other"]
    missing = FacilityFactory(name="Công ty chưa nộp")
    out_of_scope = FacilityFactory(name="Cửa hàng ngoài phạm vi", in_scope=False)
    closed = FacilityFactory(
        name="Xưởng đã đóng cửa", started_on=d(1, 1, 2010), closed_on=d(1, 2, 2019)
    )
    not_yet_open = FacilityFactory(name="Nhà máy mới", started_on=d(1, 6, 2019))
    # 23:30 on the deadline in Hanoi is 16:30 UTC: on time. 00:10 the next day is 17:10 UTC on
    # the deadline, in UTC terms, yet late.
    submit(on_time, users["facility_manager"], at=at_hanoi(DEADLINE, 23, 30))
    submit(late, users["other_facility_manager"], at=at_hanoi(d(21, 4, 2019), 0, 10))
    for facility in (out_of_scope, closed, not_yet_open):
        submit(facility, staff, at=at_hanoi(d(2, 4, 2019), 9))
    return {
        "on_time": on_time,
        "late": late,
        "missing": missing,
        "out_of_scope": out_of_scope,
        "closed": closed,
    }


def test_completeness_counts_expected_received_and_on_time_reports(q1_2019) -> None:
    result = services.completeness(*Q1_2019)
    assert (result.expected, result.received, result.on_time) == (3, 2, 1)
    assert result.completeness == Decimal(2) / Decimal(3)
    assert result.timeliness == Decimal(1) / Decimal(3)


def test_a_returned_and_resubmitted_report_counts_from_its_first_submission(users, q1_2019) -> None:
    report = SelfReport.objects.get(facility=q1_2019["on_time"])
    services.return_self_report(report, by=users["department_staff"], comment="Thiếu nước")
    assert services.completeness(*Q1_2019).on_time == 1  # returned, yet it did report on time
    services.submit_self_report(report, by=users["facility_manager"])  # now, years late
    assert services.completeness(*Q1_2019).on_time == 1


def test_a_correction_of_an_approved_report_does_not_change_when_it_was_received(
    users, q1_2019
) -> None:
    report = SelfReport.objects.get(facility=q1_2019["on_time"])
    services.approve_self_report(report, by=users["department_staff"])
    services.correct_self_report(report, by=users["facility_manager"])
    result = services.completeness(*Q1_2019)
    assert (result.expected, result.received, result.on_time) == (3, 2, 1)


def test_a_draft_is_not_a_received_report(users, q1_2019) -> None:
    services.start_self_report(
        q1_2019["missing"],
        by=users["department_staff"],
        period_kind="quarter",
        year=2019,
        quarter=1,
    )
    assert services.completeness(*Q1_2019).received == 2


def test_completeness_can_be_limited_to_one_area(q1_2019) -> None:
    quynh_luu = AdministrativeUnit.objects.get(code="421", level="district")
    result = services.completeness(
        *Q1_2019, facilities=Facility.objects.filter(administrative_unit=quynh_luu)
    )
    assert (result.expected, result.received, result.on_time) == (1, 1, 0)


def test_a_period_nobody_owed_has_no_ratios(db) -> None:
    result = services.completeness(*Q1_2019)
    assert (result.expected, result.completeness, result.timeliness) == (0, None, None)


def test_a_report_of_another_period_does_not_count(users, facilities) -> None:
    report = services.start_self_report(
        facilities["own"],
        by=users["facility_manager"],
        period_kind="quarter",
        year=2019,
        quarter=2,
    )
    SelfReport.objects.filter(pk=report.pk).update(status="submitted")
    SelfReportTransition.objects.create(
        report=report, from_status="draft", to_status="submitted", by=users["facility_manager"]
    )
    assert services.completeness(*Q1_2019).received == 0
    assert services.completeness("quarter", 2019, 2).received == 1


def test_a_report_submitted_outside_the_services_counts_by_its_submission_time(
    users, facilities
) -> None:
    SelfReport.objects.create(
        facility=facilities["own"],
        period_kind="quarter",
        year=2019,
        quarter=1,
        status="approved",
        submitted_at=at_hanoi(d(10, 4, 2019), 8),
    )
    result = services.completeness(*Q1_2019)
    assert (result.expected, result.received, result.on_time) == (2, 1, 1)


@pytest.mark.parametrize("count", [2, 12])
def test_completeness_takes_the_same_few_queries_whatever_the_number_of_facilities(
    users, count, django_assert_max_num_queries
) -> None:
    staff = users["department_staff"]
    for n in range(count):
        facility = FacilityFactory()
        if n % 2:
            submit(facility, staff, at=at_hanoi(d(1 + n, 4, 2019), 10))
    with django_assert_max_num_queries(2):
        result = services.completeness(*Q1_2019)
    assert (result.expected, result.received) == (count, count // 2)


def test_overdue_facilities_are_the_expected_ones_without_a_report_once_the_deadline_passed(
    q1_2019,
) -> None:
    assert not services.overdue_facilities(*Q1_2019, today=DEADLINE).exists()
    overdue = services.overdue_facilities(*Q1_2019, today=d(21, 4, 2019))
    assert list(overdue) == [q1_2019["missing"]]


# --- Reminders ------------------------------------------------------------------------------


@pytest.fixture
def reminders_due(users, facilities) -> dict[str, object]:
    """ "own" submitted Q1 2019; "other" and a third facility did not. The third has an
    active manager, a manager without an address and a deactivated one."""
    submit(facilities["own"], users["facility_manager"], at=at_hanoi(d(5, 4, 2019), 9))
    silent = UserFactory.for_role("facility_manager", email="")
    gone = UserFactory.for_role("facility_manager", is_active=False)
    third_manager = UserFactory.for_role("facility_manager", full_name="Trần Thị Ba")
    third = FacilityFactory(
        name="Công ty Gốm & Sứ Nghi Lộc", managers=[third_manager, silent, gone]
    )
    return {"third": third, "third_manager": third_manager}


@pytest.mark.skipif(REAL_WORKER, reason="with a broker the worker sends the mail")
def test_managers_of_facilities_that_have_not_submitted_are_reminded_before_the_deadline(
    users, reminders_due, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.send_reminders(today=d(15, 4, 2019))  # 5 days before 20/04
    assert queued == 2
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == sorted(
        [users["other_facility_manager"].email, reminders_due["third_manager"].email]
    )
    mail = next(m for m in mailoutbox if m.to == [reminders_due["third_manager"].email])
    assert mail.subject == "Nhắc nộp báo cáo Quý 1/2019 – Công ty Gốm & Sứ Nghi Lộc"
    assert "Kính gửi Ông/Bà Trần Thị Ba," in mail.body
    assert "Công ty Gốm & Sứ Nghi Lộc" in mail.body  # plain text: no &amp;
    assert "20/04/2019" in mail.body
    assert "còn 5 ngày" in mail.body
    assert "/bao-cao/" in mail.body


@pytest.mark.skipif(REAL_WORKER, reason="with a broker the worker sends the mail")
def test_an_overdue_reminder_goes_out_the_schedule_s_days_after_the_deadline(
    users, reminders_due, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.send_reminders(today=d(23, 4, 2019))  # 3 days after 20/04
    assert queued == len(mailoutbox) == 2
    assert all(mail.subject.startswith("Quá hạn nộp báo cáo Quý 1/2019") for mail in mailoutbox)
    assert all("đã quá 3 ngày" in mail.body for mail in mailoutbox)
    assert users["facility_manager"].email not in [a for m in mailoutbox for a in m.to]


@pytest.mark.parametrize(
    "today",
    [d(14, 4, 2019), d(16, 4, 2019), DEADLINE, d(22, 4, 2019), d(24, 4, 2019), d(1, 3, 2019)],
)
def test_no_reminder_goes_out_on_other_days(
    reminders_due, today, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.send_reminders(today=today) == 0
    assert callbacks == []


def test_reminder_days_follow_the_schedule(
    reminders_due, django_capture_on_commit_callbacks
) -> None:
    ReportingSchedule.objects.filter(period_kind="quarter").update(
        remind_days_before=10, remind_days_after=7
    )
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.send_reminders(today=d(15, 4, 2019)) == 0
        assert services.send_reminders(today=d(10, 4, 2019)) == 2
        assert services.send_reminders(today=d(27, 4, 2019)) == 2
    assert len(callbacks) == 4


def test_everyone_reported_means_no_reminder(users, facilities) -> None:
    submit(facilities["own"], users["facility_manager"])
    submit(facilities["other"], users["other_facility_manager"])
    assert services.send_reminders(today=d(15, 4, 2019)) == 0


@pytest.mark.skipif(REAL_WORKER, reason="with a broker the worker sends the mail")
def test_the_daily_task_sends_the_reminders_and_returns_how_many(
    reminders_due, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = send_self_report_reminders.delay("2019-04-15")
    assert result.get() == 2
    assert len(mailoutbox) == 2


@pytest.mark.skipif(REAL_WORKER, reason="with a broker the task runs in the worker")
def test_the_daily_task_without_a_date_uses_today_in_hanoi(db) -> None:
    assert send_self_report_reminders.delay().get() == 0  # no facility, nobody to remind


def test_the_reminder_schedule_is_created_once_daily_at_seven_hanoi_time(db) -> None:
    first = services.ensure_reminder_schedule()
    second = services.ensure_reminder_schedule()
    assert first.pk == second.pk
    assert PeriodicTask.objects.filter(name="Nhắc nộp báo cáo định kỳ").count() == 1
    assert CrontabSchedule.objects.count() == 1
    task = PeriodicTask.objects.get(name="Nhắc nộp báo cáo định kỳ")
    assert task.task == "assessments.tasks.send_self_report_reminders"
    assert task.enabled
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("0", "7", "*")
    assert str(crontab.timezone) == "Asia/Ho_Chi_Minh"


def test_the_reminder_schedule_keeps_what_staff_changed(db) -> None:
    task = services.ensure_reminder_schedule()
    PeriodicTask.objects.filter(pk=task.pk).update(enabled=False)
    services.ensure_reminder_schedule()
    assert not PeriodicTask.objects.get(pk=task.pk).enabled
