"""Closed periods: once figures are closed through a date, writes that would change them are
refused with a clear message, later-dated writes pass, and a department admin may reopen the
period with a reason that stays in its history."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from facilities import services as facility_services
from facilities.models import AwarenessConfirmation, OutreachActivity
from portal.lib import closing
from portal.models import ClosedPeriod
from programs import services as programme_services
from programs.forms import ParticipantFormSet
from programs.models import Course, CourseParticipant, Official, SupportProject
from tests.factories import FacilityFactory

CLOSED = datetime.date(2020, 12, 31)
MESSAGE = (
    "Sở đã chốt số liệu đến ngày 31/12/2020 (báo cáo số 125/BC-SCT) và thay đổi này làm thay "
    "đổi số liệu đó. Đề nghị quản trị viên Sở mở lại kỳ trước khi sửa."
)


@pytest.fixture
def closed(users) -> ClosedPeriod:
    return closing.close(
        through=CLOSED, label="125/BC-SCT", run_id=None, by=users["department_staff"]
    )


def _awareness(facility, day: datetime.date) -> AwarenessConfirmation:
    record = AwarenessConfirmation(facility=facility, confirmed_on=day, method="survey")
    record.full_clean()
    record.save()
    return record


def _project(**values) -> SupportProject:
    project = SupportProject(title="Dự án thử", funding="provincial", **values)
    return programme_services.save_project(project, facilities=[])


def test_an_awareness_record_dated_in_a_closed_period_is_refused_with_the_message(
    facilities, closed
) -> None:
    with pytest.raises(ValidationError) as refused:
        _awareness(facilities["own"], datetime.date(2020, 11, 3))
    assert MESSAGE in refused.value.messages[0]
    assert "xác nhận nhận thức SXSH" in refused.value.messages[0]
    assert not AwarenessConfirmation.objects.exists()


def test_an_awareness_record_dated_after_the_closed_period_passes(facilities, closed) -> None:
    _awareness(facilities["own"], datetime.date(2021, 1, 4))
    assert AwarenessConfirmation.objects.count() == 1


def test_the_refusal_reaches_the_form_on_the_facility_page(facilities, closed, client_for, users):
    response = client_for(users["department_staff"]).post(
        reverse("facilities:awareness_add", args=[facilities["own"].pk]),
        {"confirmed_on": "03/11/2020", "method": "survey"},
    )
    assert response.status_code in (200, 400)
    assert "đã chốt số liệu đến ngày 31/12/2020" in response.content.decode()
    assert not AwarenessConfirmation.objects.exists()


def test_setting_a_facility_closing_date_inside_the_closed_period_is_refused(
    facilities, closed
) -> None:
    facility = facilities["own"]
    facility.closed_on = datetime.date(2020, 6, 30)
    with pytest.raises(ValidationError, match="đã chốt số liệu đến ngày 31/12/2020"):
        facility_services.save_facility(facility)
    facility.refresh_from_db()
    assert facility.closed_on is None


def test_a_facility_closing_after_the_closed_period_passes_and_so_does_a_new_name(
    facilities, closed
) -> None:
    facility = facilities["own"]
    facility.closed_on = datetime.date(2021, 6, 30)
    facility.name = "Công ty Cổ phần Gạch ngói Diễn Châu (đổi tên)"
    facility_services.save_facility(facility)
    facility.refresh_from_db()
    assert facility.closed_on == datetime.date(2021, 6, 30)


def test_taking_a_facility_out_of_scope_is_refused_while_it_counts_in_the_closed_period(
    facilities, closed
) -> None:
    facility = facilities["own"]
    facility.in_scope = False
    with pytest.raises(ValidationError, match="cơ sở sản xuất"):
        facility_services.save_facility(facility)


def test_a_new_facility_counts_from_its_start_date(users, closed) -> None:
    # Without a start date a facility is operating on every date, the closed ones included.
    with pytest.raises(ValidationError, match="đã chốt số liệu"):
        FacilityFactory()
    FacilityFactory(started_on=datetime.date(2021, 3, 1))


def test_a_2020_project_set_to_rejected_is_refused(closed) -> None:
    with closing_suspended(closed):
        project = _project(year=2020, status="approved", approved_on=datetime.date(2020, 5, 4))
    project.status = SupportProject.Status.REJECTED
    with pytest.raises(ValidationError, match="dự án hỗ trợ SXSH"):
        programme_services.save_project(project, facilities=[])
    project.refresh_from_db()
    assert project.status == SupportProject.Status.APPROVED


def test_a_project_moving_between_statuses_that_count_alike_passes(closed) -> None:
    with closing_suspended(closed):
        project = _project(year=2020, status="approved", approved_on=datetime.date(2020, 5, 4))
    project.status = SupportProject.Status.COMPLETED  # approved in 2020, finished in 2021
    programme_services.save_project(project, facilities=[])


def test_a_2021_project_is_written_freely(closed) -> None:
    project = _project(year=2021, status="approved", approved_on=datetime.date(2021, 5, 4))
    project.status = SupportProject.Status.REJECTED
    programme_services.save_project(project, facilities=[])


def test_an_assessment_completed_in_the_closed_period_keeps_its_status_and_funding(
    facilities, closed
) -> None:
    with closing_suspended(closed):
        assessment = Assessment(
            facility=facilities["own"],
            kind="quick",
            status="completed",
            started_on=datetime.date(2020, 3, 1),
            completed_on=datetime.date(2020, 4, 1),
            funding="provincial",
        )
        assessment.full_clean()
        assessment.save()
    assessment.funding = Assessment.Funding.ENTERPRISE
    with pytest.raises(ValidationError, match="đánh giá SXSH"):
        assessment.full_clean()
    assessment.funding = Assessment.Funding.PROVINCIAL
    assessment.findings = "Bổ sung kết quả chính"  # no figure reads it
    assessment.full_clean()


def test_a_participant_added_to_an_outreach_activity_of_the_closed_period_is_refused(
    facilities, closed
) -> None:
    with closing_suspended(closed):
        activity = facility_services.save_outreach_activity(
            OutreachActivity(
                kind="workshop", title="Hội thảo", held_on=datetime.date(2020, 9, 1), organiser="Sở"
            ),
            participants=[facilities["own"]],
        )
    with pytest.raises(ValidationError, match="cơ sở tham gia"):
        facility_services.save_outreach_activity(
            activity, participants=[facilities["own"], facilities["other"]]
        )
    with pytest.raises(ValidationError, match="Không xóa được"):
        facility_services.save_outreach_activity(activity, participants=[])
    assert activity.participations.count() == 1


def test_removing_a_trained_official_from_a_course_of_the_closed_period_is_refused(closed) -> None:
    with closing_suspended(closed):
        course = Course(
            title="Đào tạo tư vấn viên SXSH",
            kind="consultants",
            starts_on=datetime.date(2020, 10, 1),
            ends_on=datetime.date(2020, 10, 5),
            organiser="Sở",
        )
        course.full_clean()
        course.save()
        official = Official.objects.create(
            full_name="Nguyễn Văn A", level="province", dedicated_from=datetime.date(2019, 1, 1)
        )
        participant = CourseParticipant.objects.create(
            course=course, official=official, completed=True
        )
    data = {
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "1",
        "participants-0-id": str(participant.pk),
        "participants-0-official": str(official.pk),
        "participants-0-completed": "on",
        "participants-0-DELETE": "on",
    }
    formset = ParticipantFormSet(data, instance=course, prefix="participants")
    assert not formset.is_valid()
    assert "Không xóa được học viên" in " ".join(formset.non_form_errors())
    data.pop("participants-0-DELETE")
    data.pop("participants-0-completed")
    formset = ParticipantFormSet(data, instance=course, prefix="participants")
    assert not formset.is_valid()  # "not completed" would take them out of 2020's T5


def test_after_an_admin_reopens_with_a_reason_the_same_write_passes_and_is_in_history(
    facilities, closed, users, client_for
) -> None:
    admin = users["department_admin"]
    response = client_for(admin).post(
        reverse("reporting:period_reopen", args=[closed.pk]),
        {f"period-{closed.pk}-reason": "Bổ sung phiếu khảo sát nhận thức nộp muộn"},
    )
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.reopened_by == admin and closed.reopened_at is not None
    assert closed.reopen_reason == "Bổ sung phiếu khảo sát nhận thức nộp muộn"
    last = closed.history.order_by("-history_id").first()
    assert last.history_user == admin and last.reopened_at is not None
    assert last.history_change_reason == "Bổ sung phiếu khảo sát nhận thức nộp muộn"
    _awareness(facilities["own"], datetime.date(2020, 11, 3))
    assert not closing.is_closed(datetime.date(2020, 11, 3))


def test_a_reopening_without_a_reason_is_refused(closed, users, client_for) -> None:
    client_for(users["department_admin"]).post(
        reverse("reporting:period_reopen", args=[closed.pk]), {f"period-{closed.pk}-reason": " "}
    )
    closed.refresh_from_db()
    assert closed.reopened_at is None


@pytest.mark.parametrize("role", ["department_staff", "official", "agency_officer"])
def test_only_a_department_admin_may_reopen(closed, users, client_for, role) -> None:
    response = client_for(users[role]).post(
        reverse("reporting:period_reopen", args=[closed.pk]),
        {f"period-{closed.pk}-reason": "Sửa số liệu"},
    )
    assert response.status_code == 403
    closed.refresh_from_db()
    assert closed.reopened_at is None
    with pytest.raises(PermissionDenied):
        closing.reopen(closed, by=users[role], reason="Sửa số liệu")


def test_an_earlier_closing_still_holds_when_a_later_one_is_reopened(users, closed) -> None:
    earlier = closing.close(
        through=datetime.date(2020, 9, 30),
        label="90/BC-SCT",
        run_id=None,
        by=users["department_staff"],
    )
    closing.reopen(closed, by=users["department_admin"], reason="Sửa quý IV")
    assert closing.in_force() == earlier
    assert closing.is_closed(datetime.date(2020, 9, 30))
    assert not closing.is_closed(datetime.date(2020, 10, 1))


class closing_suspended:
    """Write a record of the closed period as it was before the closing (a test's setup)."""

    def __init__(self, period: ClosedPeriod) -> None:
        self.period = period

    def __enter__(self) -> None:
        ClosedPeriod.objects.filter(pk=self.period.pk).update(
            reopened_at=timezone.now(), reopen_reason="dữ liệu ban đầu của phép thử"
        )

    def __exit__(self, *exc: object) -> None:
        ClosedPeriod.objects.filter(pk=self.period.pk).update(reopened_at=None, reopen_reason="")
