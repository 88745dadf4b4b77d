"""Mass assignment: fields a user may not set, added to the POST of a form they may submit,
change nothing.

Each test posts a valid body plus every protected field it can think of (status, facility,
reviewer, version, agency, author, dates of the workflow, ...) and checks those stayed as the
workflow or the server set them. URL × role access itself is tests/portal/test_permissions.py.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, CPOption, Resource, SelfReport, SupportOrganisation
from programs.models import Agency, AgencyTask, Plan, TaskUpdate
from tests.assessments.test_workflow import approved, filled_draft
from tests.files import PDF

LONG_AGO = "2001-01-01T00:00:00Z"


def _forged(users, facilities) -> dict[str, object]:
    """Protected values pointing elsewhere: another facility, another reviewer, another time."""
    return {
        "status": "approved",
        "facility": facilities["other"].pk,
        "facility_id": facilities["other"].pk,
        "reviewed_by": users["department_admin"].pk,
        "reviewer": users["department_admin"].pk,
        "approved_by": users["department_admin"].pk,
        "submitted_by": users["other_facility_manager"].pk,
        "reviewer_comment": "Đã duyệt (giả mạo)",
        "submitted_at": LONG_AGO,
        "reviewed_at": LONG_AGO,
        "created_at": LONG_AGO,
        "version": "7",
        "supersedes": "1",
        "id": "999",
        "pk": "999",
    }


# --- Facility manager -------------------------------------------------------------------------


def test_a_manager_editing_contacts_changes_nothing_else_of_the_facility(
    users, facilities, client_for
) -> None:
    facility = facilities["own"]
    before = model_to_dict(facility, exclude=["contact_name", "contact_phone", "contact_email"])
    managers = set(facility.managers.all())
    response = client_for(users["facility_manager"]).post(
        reverse("facilities:facility_contacts", args=[facility.pk]),
        {
            "contact_name": "Trần Thị Lan",
            "contact_phone": "0912 345 678",
            "contact_email": "lan@example.vn",
            "name": "Tên bị đổi",
            "tax_code": facilities["other"].tax_code,
            "administrative_unit": facilities["other"].administrative_unit_id,
            "employees": "9999",
            "in_scope": "on",
            "is_designated_energy_user": "on",
            "closed_on": "01/01/2020",
            "managers": [users["other_facility_manager"].pk],
            "status": "closed",
            **{"id": "999"},
        },
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.contact_name == "Trần Thị Lan"
    assert model_to_dict(facility, exclude=["contact_name", "contact_phone", "contact_email"]) == (
        before
    )
    assert set(facility.managers.all()) == managers


def test_starting_a_report_ignores_a_forged_status_version_and_reviewer(
    users, facilities, client_for
) -> None:
    response = client_for(users["facility_manager"]).post(
        reverse("assessments:selfreport_start"),
        {
            **_forged(users, facilities),
            "facility": facilities["own"].pk,  # their own: the one field they choose
            "period_kind": "quarter",
            "year": "2024",
            "quarter": "1",
        },
    )
    assert response.status_code == 302
    report = SelfReport.objects.get()
    assert report.facility == facilities["own"]
    assert (report.status, report.version, report.supersedes) == ("draft", 1, None)
    assert report.reviewed_by is None and report.submitted_at is None
    assert report.reviewer_comment == ""


def test_starting_a_report_for_another_facility_is_refused(users, facilities, client_for) -> None:
    client_for(users["facility_manager"]).post(
        reverse("assessments:selfreport_start"),
        {"facility": facilities["other"].pk, "period_kind": "quarter", "year": 2024, "quarter": 1},
    )
    assert not SelfReport.objects.exists()


def _report_body(**extra: object) -> dict[str, object]:
    electricity = Resource.objects.get(code="electricity")
    return {
        "output": "1200",
        "output_unit": "t",
        "notes": "Quý ổn định",
        f"resource_{electricity.pk}": "80000",
        "measures-TOTAL_FORMS": "0",
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "0",
        "measures-MAX_NUM_FORMS": "50",
        **extra,
    }


def test_saving_and_submitting_a_report_ignores_forged_workflow_fields(
    users, facilities, client_for
) -> None:
    manager = users["facility_manager"]
    report = services.start_self_report(
        facilities["own"], by=manager, period_kind="quarter", year=2024, quarter=1
    )
    other = filled_draft(facilities["other"], users["other_facility_manager"])
    client = client_for(manager)
    url = reverse("assessments:selfreport_detail", args=[report.pk])
    forged = _forged(users, facilities) | {
        "year": "2019",
        "quarter": "4",
        "period_kind": "year",
        "report": other.pk,
    }

    assert client.post(url, _report_body(**forged)).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.facility, report.version) == ("draft", facilities["own"], 1)
    assert (report.year, report.quarter, report.period_kind) == (2024, 1, "quarter")
    assert report.reviewed_by is None and report.submitted_at is None
    assert report.output == Decimal(1200)

    attachment = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    before_submit = timezone.now()
    response = client.post(url, _report_body(**forged, submit="1", attachment=attachment))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"  # what "submit" does, not the forged "approved"
    assert report.submitted_at >= before_submit
    assert report.reviewed_by is None and report.reviewer_comment == ""
    assert report.attachments.count() == 1
    assert not other.attachments.exists()
    other.refresh_from_db()
    assert (other.status, other.output) == ("draft", Decimal("1250.5"))


def test_correcting_an_approved_report_ignores_forged_fields(users, facilities, client_for) -> None:
    report = approved(facilities["own"], users["facility_manager"], users["department_admin"])
    response = client_for(users["facility_manager"]).post(
        reverse("assessments:selfreport_correct", args=[report.pk]), _forged(users, facilities)
    )
    assert response.status_code == 302
    correction = SelfReport.objects.exclude(pk=report.pk).get()
    assert (correction.status, correction.version) == ("draft", 2)
    assert correction.facility == facilities["own"] and correction.supersedes == report
    assert correction.reviewed_by is None and correction.reviewer_comment == ""
    report.refresh_from_db()
    assert report.status == "approved"


# --- Agency officer ---------------------------------------------------------------------------


def test_an_agency_officer_posting_progress_sets_only_text_and_progress(users, client_for) -> None:
    officer = users["agency_officer"]
    plan = Plan.objects.get(start_year=2016, end_year=2020)
    task = AgencyTask.objects.create(
        plan=plan,
        agency=officer.agency,
        title="Tuyên truyền SXSH",
        due_on=datetime.date(2030, 12, 31),
    )
    elsewhere = AgencyTask.objects.create(
        plan=plan,
        agency=Agency.objects.get(code="so-tai-chinh"),
        title="Bố trí kinh phí",
        due_on="2030-12-31",
    )
    before = model_to_dict(task, exclude=["progress", "status"])
    started = timezone.now()
    response = client_for(officer).post(
        reverse("programs:task_detail", args=[task.pk]),
        {
            "text": "Đã tổ chức 2 hội nghị",
            "progress": "40",
            "status": "done",
            "agency": elsewhere.agency_id,
            "plan": "999",
            "title": "Đã đổi tên",
            "due_on": "31/12/2000",
            "task": elsewhere.pk,
            "posted_by": users["department_admin"].pk,
            "posted_at": LONG_AGO,
        },
    )
    assert response.status_code == 302
    update = TaskUpdate.objects.get()
    assert (update.task, update.posted_by) == (task, officer)
    assert update.posted_at >= started
    task.refresh_from_db()
    assert (task.progress, task.status) == (40, "in_progress")  # derived from the progress
    assert model_to_dict(task, exclude=["progress", "status"]) == before
    assert not elsewhere.updates.exists()


# --- Consultant -------------------------------------------------------------------------------


def test_a_consultant_cannot_set_the_organisation_or_verify_an_option(
    users, facilities, client_for
) -> None:
    consultant = users["consultant"]
    consultant.support_organisation.facilities.add(facilities["own"])
    rival = SupportOrganisation.objects.create(name="Trung tâm khác", kind="centre")
    client = client_for(consultant)
    response = client.post(
        reverse("assessments:assessment_create"),
        {
            "facility": facilities["own"].pk,
            "kind": "quick",
            "status": "in_progress",
            "started_on": "01/03/2019",
            "team": "Nhóm chuyên gia",
            "funding": "provincial",
            "findings": "Tổn thất nhiệt lò nung lớn.",
            "organisation": rival.pk,
            "id": "999",
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.organisation == consultant.support_organisation

    client.post(
        reverse("assessments:option_create", args=[assessment.pk]),
        {
            "technique": "equipment",
            "description": "Thay động cơ hiệu suất cao",
            "investment_vnd": "120000000",
            "savings_vnd_per_year": "60000000",
            "savings_toe_per_year": "3.5",
            "savings_water_m3_per_year": "0",
            "status": "implemented",
            "implemented_on": "01/09/2019",
            "verified_by": users["department_admin"].pk,
            "verified_on": "01/10/2019",
            "assessment": "999",
        },
    )
    option = CPOption.objects.get()
    assert option.assessment == assessment
    assert option.status == "implemented"
    assert option.verified_by is None and option.verified_on is None
