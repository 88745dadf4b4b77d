from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, CPOption, Resource, SelfReport, SelfReportConsumption
from facilities.models import Product
from tests.files import PDF


def _assessment_data(facility, **extra):
    return {
        "facility": facility.pk,
        "kind": "detailed",
        "status": "completed",
        "started_on": "01/03/2019",
        "completed_on": "30/06/2019",
        "team": "Nhóm chuyên gia",
        "funding": "provincial",
        "findings": "Tổn thất nhiệt lò nung lớn.",
        **extra,
    }


def test_staff_record_an_assessment_with_its_pdf_report(users, facilities, client_for) -> None:
    client = client_for(users["department_staff"])
    upload = SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("assessments:assessment_create"),
        _assessment_data(facilities["own"], report=upload),
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == reverse("assessments:assessment_detail", args=[assessment.pk])
    download = client.get(reverse("assessments:assessment_report", args=[assessment.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bao-cao.exe", b"MZ\x90\x00", "pdf"),
        ("bao-cao.pdf", b"MZ\x90\x00 renamed", "không phải PDF"),
        ("bao-cao.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024 + 1), "tối đa 20 MB"),
    ],
)
def test_a_report_that_is_not_a_small_pdf_is_refused(
    users, facilities, client_for, name, content, message
) -> None:
    client = client_for(users["department_staff"])
    upload = SimpleUploadedFile(name, content)
    response = client.post(
        reverse("assessments:assessment_create"),
        _assessment_data(facilities["own"], report=upload),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_consultant_records_only_for_assigned_facilities_and_cannot_verify(
    users, facilities, client_for
) -> None:
    consultant = users["consultant"]
    consultant.support_organisation.facilities.add(facilities["own"])
    client = client_for(consultant)
    refused = client.post(
        reverse("assessments:assessment_create"), _assessment_data(facilities["other"])
    )
    assert refused.status_code == 200 and not Assessment.objects.exists()
    client.post(reverse("assessments:assessment_create"), _assessment_data(facilities["own"]))
    assessment = Assessment.objects.get()
    assert assessment.organisation == consultant.support_organisation
    option_data = {
        "technique": "equipment",
        "description": "Thay động cơ hiệu suất cao",
        "investment_vnd": "120000000",
        "savings_vnd_per_year": "60000000",
        "savings_toe_per_year": "3.5",
        "savings_water_m3_per_year": "0",
        "status": "verified",
        "implemented_on": "01/09/2019",
    }
    response = client.post(reverse("assessments:option_create", args=[assessment.pk]), option_data)
    assert response.status_code == 200  # "verified" is not a choice for a consultant
    assert not CPOption.objects.exists()
    client.post(
        reverse("assessments:option_create", args=[assessment.pk]),
        option_data | {"status": "implemented"},
    )
    option = CPOption.objects.get()
    assert option.payback_years == Decimal("2.0")
    staff = client_for(users["department_staff"])
    staff.post(
        reverse("assessments:option_edit", args=[assessment.pk, option.pk]),
        option_data | {"status": "verified"},
    )
    option.refresh_from_db()
    assert option.status == "verified"
    assert option.verified_by == users["department_staff"]


def _submitted_2019(facilities) -> list[SelfReport]:
    """A report in review for each facility and quarter of 2019."""
    return [
        SelfReport.objects.create(
            facility=facility,
            period_kind="quarter",
            year=2019,
            quarter=quarter,
            status="submitted",
            output=Decimal(100),
            output_unit="t",
        )
        for quarter in range(1, 5)
        for facility in facilities.values()
    ]


def test_the_review_queue_query_count_does_not_grow_with_reports(
    users, facilities, client_for, django_assert_max_num_queries
) -> None:
    electricity = Resource.objects.get(code="electricity")
    for report in _submitted_2019(facilities):
        SelfReportConsumption.objects.create(report=report, resource=electricity, quantity=1000)
    client = client_for(users["department_staff"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("assessments:review_queue"), {"year": 2019})
    assert len(response.context["rows"]) == 8


def test_a_queue_longer_than_the_count_cap_says_more_than_and_keeps_its_pages(
    users, facilities, client_for, monkeypatch
) -> None:
    _submitted_2019(facilities)
    monkeypatch.setattr("portal.lib.paging.COUNT_CAP", 5)
    monkeypatch.setattr("assessments.views.PAGE_SIZE", 2)
    client = client_for(users["department_staff"])
    response = client.get(reverse("assessments:review_queue"), {"year": 2019, "page": 3})
    # Five rows counted, two a page: the third page holds the fifth, and the pages end there.
    assert response.context["page"].paginator.num_pages == 3
    assert len(response.context["rows"]) == 1
    assert "Hơn 5 báo cáo" in response.content.decode()
    exact = client.get(reverse("assessments:review_queue"), {"year": 2019, "quarter": 1})
    assert "2 báo cáo" in exact.content.decode() and not exact.context["page"].paginator.capped


def test_bulk_approve_takes_only_warning_free_reports(users, facilities, client_for) -> None:
    electricity = Resource.objects.get(code="electricity")
    Product.objects.create(facility=facilities["own"], name="Gạch", unit="t")
    fine = SelfReport.objects.create(
        facility=facilities["own"],
        period_kind="quarter",
        year=2019,
        quarter=1,
        status="submitted",
        output=Decimal(100),
        output_unit="t",
    )
    SelfReportConsumption.objects.create(report=fine, resource=electricity, quantity=1000)
    zero_output = SelfReport.objects.create(
        facility=facilities["other"],
        period_kind="quarter",
        year=2019,
        quarter=1,
        status="submitted",
        output=Decimal(0),
        output_unit="t",
    )
    SelfReportConsumption.objects.create(report=zero_output, resource=electricity, quantity=50)
    client = client_for(users["department_staff"])
    queue = reverse("assessments:review_queue")
    flagged = client.get(queue, {"warnings": "yes"}).context["rows"]
    assert [report.pk for report, _warnings in flagged] == [zero_output.pk]
    clean = client.get(queue, {"warnings": "no"}).context["rows"]
    assert [report.pk for report, _warnings in clean] == [fine.pk]
    client.post(queue, {"report": [fine.pk, zero_output.pk, "x"]})
    fine.refresh_from_db()
    zero_output.refresh_from_db()
    assert fine.status == "approved"
    assert zero_output.status == "submitted"


def test_a_manager_cannot_open_another_facilitys_report_or_start_one_for_it(
    users, facilities, client_for
) -> None:
    report = SelfReport.objects.create(
        facility=facilities["other"], period_kind="quarter", year=2019, quarter=1
    )
    client = client_for(users["facility_manager"])
    assert client.get(reverse("assessments:selfreport_detail", args=[report.pk])).status_code == 404
    client.post(
        reverse("assessments:selfreport_start"),
        {"facility": facilities["other"].pk, "period_kind": "quarter", "year": 2019, "quarter": 2},
    )
    assert not SelfReport.objects.filter(facility=facilities["other"], quarter=2).exists()
    today = timezone.localdate()
    response = client.post(
        reverse("assessments:selfreport_start"),
        {"facility": facilities["own"].pk, "period_kind": "year", "year": today.year + 1},
        follow=True,
    )
    assert not SelfReport.objects.filter(facility=facilities["own"]).exists()
    assert response.status_code == 200


def test_completeness_counts_reports_per_area_with_bounded_queries(
    users, facilities, client_for, django_assert_max_num_queries
) -> None:
    from assessments.models import SelfReportTransition

    own, other = facilities["own"], facilities["other"]
    report = SelfReport.objects.create(
        facility=own, period_kind="quarter", year=2019, quarter=2, status="submitted"
    )
    SelfReportTransition.objects.create(
        report=report, from_status="draft", to_status="submitted", by=users["facility_manager"]
    )
    SelfReportTransition.objects.filter(report=report).update(
        at=datetime.datetime(2019, 7, 10, 2, 0, tzinfo=datetime.UTC)
    )
    client = client_for(users["official"])
    with django_assert_max_num_queries(18):
        response = client.get(reverse("reporting:completeness"), {"year": 2019, "quarter": 2})
    total = response.context["total"]
    assert (total.expected, total.received, total.on_time) == (2, 1, 1)
    areas = {unit.code: figures.received for unit, figures in response.context["areas"]}
    assert areas == {own.administrative_unit.code: 1, other.administrative_unit.code: 0}
    assert [f.pk for f in response.context["overdue"]] == [other.pk]
    officer = client_for(users["agency_officer"]).get(
        reverse("reporting:completeness"), {"year": 2019, "quarter": 2}
    )
    assert officer.context["total"].expected == 1  # a district officer sees their district


def test_staff_assign_facilities_to_an_organisation_by_tax_code(
    users, facilities, client_for
) -> None:
    organisation = users["consultant"].support_organisation
    client = client_for(users["department_staff"])
    response = client.post(
        reverse("assessments:organisation_edit", args=[organisation.pk]),
        {
            "name": organisation.name,
            "kind": "centre",
            "assigned": f"{facilities['own'].tax_code}\n0100233488",
        },
    )
    assert response.status_code == 200  # 0100233488 is not in the registry: nothing saved
    assert not organisation.facilities.exists()
    client.post(
        reverse("assessments:organisation_edit", args=[organisation.pk]),
        {"name": organisation.name, "kind": "centre", "assigned": facilities["own"].tax_code},
    )
    assert list(organisation.facilities.all()) == [facilities["own"]]
    consultant = client_for(users["consultant"])
    listed = consultant.get(reverse("reporting:facility_list"))
    assert listed.status_code == 200
    assert [f.pk for f in listed.context["page"]] == [facilities["own"].pk]


def test_a_consultant_cannot_take_over_another_organisations_assessment(
    users, facilities, client_for
) -> None:
    consultant = users["consultant"]
    consultant.support_organisation.facilities.add(facilities["own"])
    theirs = Assessment.objects.create(
        facility=facilities["own"], kind="detailed", status="planned", funding="provincial"
    )
    client = client_for(consultant)
    assert client.get(reverse("assessments:assessment_detail", args=[theirs.pk])).status_code == 200
    for name in ("assessment_edit", "baseline_edit", "option_create"):
        assert client.get(reverse(f"assessments:{name}", args=[theirs.pk])).status_code == 404


def test_a_consultant_cannot_change_an_option_the_department_verified(
    users, facilities, client_for
) -> None:
    consultant = users["consultant"]
    consultant.support_organisation.facilities.add(facilities["own"])
    assessment = Assessment.objects.create(
        facility=facilities["own"],
        kind="quick",
        status="planned",
        funding="provincial",
        organisation=consultant.support_organisation,
    )
    option = CPOption.objects.create(
        assessment=assessment,
        technique="housekeeping",
        description="Sửa rò rỉ",
        status="verified",
        implemented_on=datetime.date(2019, 1, 1),
        verified_on=datetime.date(2019, 2, 1),
        verified_by=users["department_staff"],
    )
    response = client_for(consultant).post(
        reverse("assessments:option_edit", args=[assessment.pk, option.pk]),
        {
            "technique": "housekeeping",
            "description": "Sửa rò rỉ",
            "investment_vnd": "0",
            "savings_vnd_per_year": "0",
            "savings_toe_per_year": "500",
            "savings_water_m3_per_year": "0",
            "status": "implemented",
            "implemented_on": "01/01/2019",
        },
    )
    assert response.status_code == 200
    option.refresh_from_db()
    assert (option.status, option.savings_toe_per_year) == ("verified", 0)


def test_odd_report_ids_in_a_bulk_approval_are_ignored(users, client_for) -> None:
    client = client_for(users["department_staff"])
    response = client.post(
        reverse("assessments:review_queue"), {"report": ["²", "9" * 30, "-1", "١٢"]}
    )
    assert response.status_code == 302


def test_a_report_cannot_be_submitted_before_its_period_ends(users, facilities, client_for) -> None:
    from assessments import services

    today = timezone.localdate()
    report = SelfReport.objects.create(
        facility=facilities["own"],
        period_kind="year",
        year=today.year,
        output=Decimal(1),
        output_unit="t",
    )
    SelfReportConsumption.objects.create(
        report=report, resource=Resource.objects.get(code="electricity"), quantity=1
    )
    with pytest.raises(ValidationError, match="vui lòng nộp sau ngày đó"):
        services.submit_self_report(report, by=users["facility_manager"])


def test_staff_who_keyed_in_a_report_cannot_approve_it(users, facilities) -> None:
    from assessments import services

    report = SelfReport.objects.create(
        facility=facilities["own"],
        period_kind="quarter",
        year=2019,
        quarter=1,
        output=Decimal(10),
        output_unit="t",
    )
    SelfReportConsumption.objects.create(
        report=report, resource=Resource.objects.get(code="electricity"), quantity=5
    )
    staff = users["department_staff"]
    services.submit_self_report(report, by=staff)
    with pytest.raises(ValidationError, match="không tự duyệt"):
        services.approve_self_report(report, by=staff, confirm_warnings=True, warnings=["x"])
    services.approve_self_report(
        report, by=users["department_admin"], confirm_warnings=True, warnings=["x"]
    )
    report.refresh_from_db()
    assert report.status == "approved"


def test_staff_see_the_change_history_of_assessments_and_self_reports(
    users, facilities, client_for
) -> None:
    assessment = Assessment.objects.create(
        facility=facilities["own"],
        kind="quick",
        status="planned",
        funding="provincial",
        started_on=datetime.date(2019, 3, 1),
    )
    assessment.findings = "Rò rỉ hơi ở lò hơi số 2"
    assessment.save()
    report = SelfReport.objects.create(
        facility=facilities["own"], period_kind="quarter", year=2019, quarter=2, status="draft"
    )
    staff, manager = client_for(users["department_staff"]), client_for(users["facility_manager"])
    page = staff.get(reverse("assessments:assessment_detail", args=[assessment.pk]))
    assert [change["fields"] for change in page.context["history"]][0] == ["Kết quả chính"]
    assert 'data-testid="history"' in page.content.decode()
    page = staff.get(reverse("assessments:selfreport_detail", args=[report.pk]))
    assert page.context["history"][0]["record"].history_type == "+"
    page = manager.get(reverse("assessments:selfreport_detail", args=[report.pk]))
    assert page.context["history"] is None
