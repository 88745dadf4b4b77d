"""Issued reports do not change: issuing records the number, date and signer, prints them on the
PDF and keeps the figures; it closes the period, so later writes cannot change them; a
restatement page shows what a reopening changed; and a year of new data leaves every figure of
the issued report as it was issued."""

from __future__ import annotations

import datetime
import hashlib
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import Assessment, CPOption, Resource
from facilities import services as facility_services
from facilities.models import AwarenessConfirmation, Facility, OutreachActivity
from portal.lib import closing
from portal.models import ClosedPeriod, Role, User
from programs import services as programme_services
from programs.models import Course, CourseParticipant, Official, Plan, SupportProject
from reporting import builders, indicators, issuing, services
from reporting.models import ReportRun
from tests.reporting.conftest import need

AS_OF = datetime.date(2020, 12, 31)
SIGNED = datetime.date(2021, 1, 15)


def _plan() -> Plan:
    return Plan.objects.get(end_year=2020)


def _generated(audience: str = "province", *, quarter: int = 4) -> ReportRun:
    run, _created = services.request_report(_plan(), year=2020, quarter=quarter, audience=audience)
    return services.generate(run.pk)


def _issue(run: ReportRun, by: User, number: str = "125") -> ReportRun:
    return issuing.issue_report(
        run, by=by, number=number, issued_on=SIGNED, signer_name="Nguyễn Văn Bình"
    )


def _figures_today(run: ReportRun) -> dict:
    """Every figure of `run`'s report, computed again now from the database."""
    return builders.build(
        run.plan, year=run.year, quarter=run.quarter, audience=run.audience, as_of=run.as_of
    ).figures()


def _awareness(facility: Facility, day: datetime.date) -> AwarenessConfirmation:
    record = AwarenessConfirmation(facility=facility, confirmed_on=day, method="survey")
    record.full_clean()
    record.save()
    return record


def test_issuing_records_number_date_and_signer_and_freezes_the_generated_figures(
    facilities, users, django_capture_on_commit_callbacks
) -> None:
    run = _generated()
    generated = run.figures
    draft = run.pdf.name
    assert [row["code"] for row in generated["summary"]][:2] == ["T1", "T2"]
    assert set(generated["tables"]) == {"trend", "by_area", "by_sector"}

    with django_capture_on_commit_callbacks(execute=True):
        issued = _issue(run, users["department_staff"])

    assert issued.number == "125" and issued.reference == "125/BC-SCT"
    assert issued.issued_on == SIGNED and issued.issued_year == 2021
    assert issued.signer_name == "Nguyễn Văn Bình"
    assert issued.issued_by == users["department_staff"] and issued.issued_at is not None
    assert issued.figures == generated == _figures_today(issued)
    content = issued.pdf.read()
    assert hashlib.sha256(content).hexdigest() == issued.pdf_sha256
    assert issued.pdf.name != draft and not default_storage.exists(draft)
    period = ClosedPeriod.objects.get()
    assert (period.closed_through, period.label, period.report_run_id) == (
        AS_OF,
        "125/BC-SCT",
        issued.pk,
    )
    assert period.closed_by == users["department_staff"]


def test_the_issued_pdf_prints_its_number_place_and_date_and_the_signer(facilities, users):
    pdftotext = need("pdftotext")
    issued = _issue(_generated(), users["department_staff"])
    text = subprocess.run(  # noqa: S603 (a fixed tool on our own file)
        [pdftotext, "-layout", default_storage.path(issued.pdf.name), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Số: 125/BC-SCT" in text
    assert "Nghệ An, ngày 15 tháng 01 năm 2021" in text
    assert "Nguyễn Văn Bình" in text


def test_a_second_issue_with_the_same_number_in_the_same_year_and_audience_is_refused(
    facilities, users
) -> None:
    _issue(_generated(), users["department_staff"])
    annual = _generated(quarter=0)
    with pytest.raises(ValidationError, match="Số 125 đã dùng"):
        _issue(annual, users["department_staff"])
    annual.refresh_from_db()
    assert not annual.is_issued
    # The Ministry's reports have their own register.
    assert _issue(_generated("ministry"), users["department_staff"]).reference == "125/BC-SCT"


def test_an_issued_report_is_not_issued_again_and_a_regeneration_is_a_new_unissued_version(
    facilities, users, client_for
) -> None:
    issued = _issue(_generated(), users["department_staff"])
    with pytest.raises(ValidationError, match="đã được ban hành"):
        _issue(issued, users["department_staff"], number="126")
    response = client_for(users["department_staff"]).post(
        reverse("reporting:run_regenerate", args=[issued.pk])
    )
    assert response.status_code == 302
    newer = ReportRun.objects.exclude(pk=issued.pk).get()
    assert newer.version == 2 and not newer.is_issued
    kept = ReportRun.objects.get(pk=issued.pk)
    assert (kept.pdf.name, kept.pdf_sha256, kept.figures) == (
        issued.pdf.name,
        issued.pdf_sha256,
        issued.figures,
    )
    page = client_for(users["official"]).get(reverse("reporting:run_detail", args=[issued.pk]))
    assert "Đã ban hành" in page.content.decode()
    download = client_for(users["official"]).get(
        reverse("reporting:run_download", args=[issued.pk, "pdf"])
    )
    assert download.status_code == 200


def test_a_report_whose_figures_changed_since_it_was_generated_is_not_issued(
    facilities, users
) -> None:
    run = _generated()
    activity = OutreachActivity(
        kind="workshop", title="Hội thảo", held_on=datetime.date(2020, 5, 1), organiser="Sở"
    )
    facility_services.save_outreach_activity(activity, participants=[facilities["own"]])
    _awareness(facilities["own"], datetime.date(2020, 6, 1))  # T1 as of 31/12/2020 changes
    with pytest.raises(ValidationError, match="Số liệu đã thay đổi"):
        _issue(run, users["department_staff"])
    assert not ClosedPeriod.objects.exists()


def test_only_department_staff_issue_and_only_reports_whose_data_date_has_passed(
    facilities, users
) -> None:
    run = _generated()
    with pytest.raises(PermissionDenied):
        _issue(run, users["official"])
    with pytest.raises(ValidationError, match="không được trước ngày số liệu"):
        issuing.issue_report(
            run,
            by=users["department_staff"],
            number="1",
            issued_on=datetime.date(2020, 12, 30),
            signer_name="A",
        )


def test_staff_issue_from_the_report_page(facilities, users, client_for) -> None:
    run = _generated()
    client = client_for(users["department_staff"])
    page = client.get(reverse("reporting:run_detail", args=[run.pk])).content.decode()
    assert 'data-testid="issue-form"' in page
    response = client.post(
        reverse("reporting:run_issue", args=[run.pk]),
        {"number": "125", "issued_on": "15/01/2021", "signer_name": "Nguyễn Văn Bình"},
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.reference == "125/BC-SCT"
    refused = client.post(
        reverse("reporting:run_issue", args=[run.pk]),
        {"number": "126", "issued_on": "15/01/2021", "signer_name": "Nguyễn Văn Bình"},
    )
    assert refused.status_code == 400
    assert "đã được ban hành" in refused.content.decode()


def test_after_issuing_q4_2020_backdated_writes_are_refused_and_later_ones_pass(
    facilities, users
) -> None:
    with_project = SupportProject(
        title="Dự án SXSH ngành gạch",
        year=2020,
        funding="provincial",
        status="approved",
        approved_on=datetime.date(2020, 5, 4),
    )
    programme_services.save_project(with_project, facilities=[])
    assert indicators.compute(_plan(), as_of=AS_OF)["A1"].value == 1
    _issue(_generated(), users["department_staff"])

    with pytest.raises(ValidationError, match="đã chốt số liệu đến ngày 31/12/2020"):
        _awareness(facilities["own"], datetime.date(2020, 11, 3))
    _awareness(facilities["own"], datetime.date(2021, 1, 4))

    facility = Facility.objects.get(pk=facilities["other"].pk)
    facility.closed_on = datetime.date(2020, 8, 1)
    with pytest.raises(ValidationError, match="báo cáo số 125/BC-SCT"):
        facility_services.save_facility(facility)

    with_project.status = SupportProject.Status.REJECTED
    with pytest.raises(ValidationError, match="Đề nghị quản trị viên Sở mở lại kỳ"):
        programme_services.save_project(with_project, facilities=[])
    assert indicators.compute(_plan(), as_of=AS_OF)["A1"].value == 1


def test_the_restatement_page_shows_old_and_new_values_and_the_record_that_changed_them(
    facilities, users, client_for
) -> None:
    issued = _issue(_generated(), users["department_staff"])
    unchanged = client_for(users["official"]).get(
        reverse("reporting:run_restatement", args=[issued.pk])
    )
    assert unchanged.status_code == 200
    assert "table-warning" not in unchanged.content.decode()

    closing.reopen(
        ClosedPeriod.objects.get(), by=users["department_admin"], reason="Bổ sung dự án 2020"
    )
    project = SupportProject(
        title="Dự án SXSH ngành chế biến thủy sản",
        year=2020,
        funding="provincial",
        status="approved",
        approved_on=datetime.date(2020, 9, 9),
    )
    project._history_user = users["department_staff"]
    programme_services.save_project(project, facilities=[])

    rows = {row.code: row for row in issuing.restatement(ReportRun.objects.get(pk=issued.pk))}
    assert rows["A1"].issued["value"] == "0" and rows["A1"].today["value"] == "1"
    assert rows["A1"].changed and rows["A1"].difference == "+1"
    assert not rows["T1"].changed
    (change,) = rows["A1"].changes
    assert change.action == "+" and change.record == "Dự án SXSH ngành chế biến thủy sản"
    assert change.by == users["department_staff"].get_full_name()

    page = client_for(users["department_staff"]).get(
        reverse("reporting:run_restatement", args=[issued.pk])
    )
    html = page.content.decode()
    assert "Dự án SXSH ngành chế biến thủy sản" in html and "table-warning" in html
    assert "Ngày phê duyệt" in html
    # An official of the other audience does not see the province's report.
    ministry = User.objects.create(
        username="bo2", role=Role.OFFICIAL, official_body="moit", full_name="Cán bộ Bộ"
    )
    other = client_for(ministry).get(reverse("reporting:run_restatement", args=[issued.pk]))
    assert other.status_code == 404


def test_every_figure_of_an_issued_report_is_the_same_after_a_year_of_new_data(
    demo_data,
) -> None:
    """The stability test: issue Q4/2020 on the demo programme, then write a year of 2021 data
    through the services and forms' validation, and compute every figure of the report again."""
    staff = User.objects.get(username="canbo")
    admin = User.objects.get(username="quantri")
    run = _generated()
    issued = _issue(run, staff)
    before_2021 = indicators.compute(_plan(), as_of=datetime.date(2021, 12, 31), year=2021)

    operating = list(
        Facility.objects.in_denominator_on(AS_OF)
        .filter(suspended_on__isnull=True, closed_on__isnull=True)
        .order_by("pk")[:60]
    )
    # Outreach in 2021 with participants, and their awareness confirmed in 2021.
    for month in range(1, 13, 3):
        activity = OutreachActivity(
            kind="workshop",
            title=f"Hội thảo SXSH tháng {month}/2021",
            held_on=datetime.date(2021, month, 10),
            organiser="Sở Công Thương",
        )
        facility_services.save_outreach_activity(activity, participants=operating[:20])
    for facility in operating[:20]:
        _awareness(facility, datetime.date(2021, 11, 2))
    # Facilities closing in 2021.
    for facility in operating[40:45]:
        facility.closed_on = datetime.date(2021, 6, 30)
        facility_services.save_facility(facility)
    # Projects and assessments of 2021.
    for number in range(3):
        programme_services.save_project(
            SupportProject(
                title=f"Dự án hỗ trợ SXSH 2021 số {number}",
                year=2021,
                funding=("provincial", "central", "provincial")[number],
                status="approved",
                proposed_on=datetime.date(2021, 2, 1),
                approved_on=datetime.date(2021, 4, 1),
            ),
            facilities=operating[number : number + 2],
        )
    for facility in operating[20:26]:
        assessment = Assessment(
            facility=facility,
            kind="quick",
            status="completed",
            started_on=datetime.date(2021, 3, 1),
            completed_on=datetime.date(2021, 5, 20),
            funding="provincial",
        )
        assessment.full_clean()
        assessment.save()
        option = CPOption(
            assessment=assessment,
            technique="housekeeping",
            description="Quản lý nội vi khu lò nung",
            status="verified",
            implemented_on=datetime.date(2021, 7, 1),
        )
        assessment_services.save_option(option, by=staff)
    # Officials dedicated and trained in 2021.
    course = Course(
        title="Đào tạo cán bộ SXSH 2021",
        kind="consultants",
        starts_on=datetime.date(2021, 9, 6),
        ends_on=datetime.date(2021, 9, 10),
        organiser="Sở Công Thương",
    )
    course.full_clean()
    course.save()
    for number in range(3):
        official = Official(
            full_name=f"Cán bộ SXSH mới {number}",
            level="district",
            dedicated_from=datetime.date(2021, 8, 1),
        )
        official.full_clean()
        official.save()
        participant = CourseParticipant(course=course, official=official, completed=True)
        participant.full_clean()
        participant.save()
    # Self-reports of 2021 approved now, for the facilities with a baseline: one carries a
    # measure dated back in 2020, which must not count before the report's approval.
    approved = 0
    baselines = Assessment.objects.filter(kind="detailed", baseline__isnull=False)
    for assessment in baselines.select_related("facility", "baseline")[:8]:
        facility = assessment.facility
        if facility.self_reports.filter(year=2021, period_kind="year").exists():
            continue
        lines = {
            line.resource_id: (line.quantity * Decimal("0.9")).quantize(Decimal("0.001"))
            for line in assessment.baseline.consumptions.all()
        }
        report = assessment_services.start_self_report(
            facility, period_kind="year", year=2021, quarter=None, by=staff
        )
        assessment_services.save_self_report(
            report,
            by=staff,
            output=assessment.baseline.output,
            output_unit=assessment.baseline.output_unit,
            has_cp_unit=False,
            notes="",
            consumptions=lines,
            measures=[
                {
                    "technique": "equipment",
                    "description": "Thay động cơ hiệu suất cao",
                    "implemented_on": datetime.date(2020, 6, 1),
                    "cost_vnd": Decimal(0),
                    "savings_vnd_per_year": Decimal(0),
                }
            ],
        )
        assessment_services.submit_self_report(report, by=staff)
        assessment_services.approve_self_report(report, by=admin, confirm_warnings=True)
        approved += 1
    assert approved and Resource.objects.exists()

    after_2021 = indicators.compute(_plan(), as_of=datetime.date(2021, 12, 31), year=2021)
    assert [after_2021[code].value for code in ("A1", "A3")] != [
        before_2021[code].value for code in ("A1", "A3")
    ], "the new data reaches 2021's figures"
    assert _figures_today(ReportRun.objects.get(pk=issued.pk)) == issued.figures
    rows = issuing.restatement(ReportRun.objects.get(pk=issued.pk))
    assert not [row.code for row in rows if row.changed]
    assert not [change for row in rows for change in row.changes]
