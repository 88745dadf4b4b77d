"""The self-report workflow: who may move a report where, and what each move leaves behind."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone

from assessments import services
from assessments.models import (
    Resource,
    SelfReport,
    SelfReportTransition,
)
from facilities.models import Product
from portal.models import Role

QUARTER = {"period_kind": "quarter", "year": 2024, "quarter": 2}
MEASURE = {
    "technique": "housekeeping",
    "description": "Sửa rò rỉ khí nén",
    "implemented_on": datetime.date(2024, 5, 10),
    "cost_vnd": Decimal(2_000_000),
    "savings_vnd_per_year": Decimal(15_000_000),
}


def resource(code: str) -> Resource:
    return Resource.objects.get(code=code)


def filled_draft(facility, by) -> SelfReport:
    report = services.start_self_report(facility, by=by, **QUARTER)
    return services.save_self_report(
        report,
        by=by,
        output=Decimal("1250.5"),
        output_unit="t",
        has_cp_unit=True,
        notes="Quý ổn định",
        consumptions={
            resource("electricity").pk: Decimal(84000),
            resource("coal").pk: Decimal(310),
        },
        measures=[MEASURE],
    )


def submitted(facility, by) -> SelfReport:
    return services.submit_self_report(filled_draft(facility, by), by=by)


def approved(facility, manager, reviewer) -> SelfReport:
    return services.approve_self_report(submitted(facility, manager), by=reviewer)


def snapshot(report: SelfReport) -> tuple:
    """Everything a refused call must leave as it was."""
    row = model_to_dict(SelfReport.objects.get(pk=report.pk))
    return (
        row,
        list(report.transitions.values_list("from_status", "to_status", "by", "comment")),
        sorted(report.consumptions.values_list("resource__code", "quantity")),
        sorted(report.measures.values_list("description", "cost_vnd")),
        SelfReport.objects.count(),
    )


def steps(report: SelfReport) -> list[tuple[str, str]]:
    return list(report.transitions.values_list("from_status", "to_status"))


# --- Starting -------------------------------------------------------------------------------


def test_a_manager_starts_a_draft_in_the_unit_of_the_first_product(users, facilities) -> None:
    own, manager = facilities["own"], users["facility_manager"]
    Product.objects.create(facility=own, name="Gạch nung", unit="1000pcs")
    Product.objects.create(facility=own, name="Ngói", unit="piece")
    report = services.start_self_report(own, by=manager, **QUARTER)
    assert (report.status, report.version, report.output_unit) == ("draft", 1, "1000pcs")
    transition = report.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by) == ("", "draft", manager)


def test_starting_again_gives_the_current_version_instead_of_a_second_one(
    users, facilities
) -> None:
    manager = users["facility_manager"]
    first = services.start_self_report(facilities["own"], by=manager, **QUARTER)
    again = services.start_self_report(facilities["own"], by=users["department_staff"], **QUARTER)
    assert again == first
    assert SelfReport.objects.count() == 1
    assert first.transitions.count() == 1


def test_a_year_report_is_started_once_too(users, facilities) -> None:
    manager = users["facility_manager"]
    year = {"period_kind": "year", "year": 2024, "quarter": None}
    first = services.start_self_report(facilities["own"], by=manager, **year)
    assert services.start_self_report(facilities["own"], by=manager, **year) == first
    assert first.output_unit == ""  # no product registered: the manager chooses


@pytest.mark.parametrize("role", ["department_staff", "department_admin"])
def test_the_department_may_start_a_report_for_any_facility(users, facilities, role) -> None:
    report = services.start_self_report(facilities["other"], by=users[role], **QUARTER)
    assert report.facility == facilities["other"]


def test_a_period_that_has_not_started_cannot_be_reported(users, facilities) -> None:
    next_year = timezone.localdate().year + 1
    with pytest.raises(ValidationError, match="chưa bắt đầu"):
        services.start_self_report(
            facilities["own"],
            by=users["facility_manager"],
            period_kind="quarter",
            year=next_year,
            quarter=1,
        )
    assert not SelfReport.objects.exists()
    assert not SelfReportTransition.objects.exists()


@pytest.mark.parametrize(
    ("period_kind", "quarter", "message"),
    [
        ("quarter", 0, "Quý phải là"),
        ("quarter", 5, "Quý phải là"),
        ("quarter", None, "Quý phải là"),
        ("year", 2, "không ghi quý"),
        ("month", None, "Kỳ báo cáo không hợp lệ"),
    ],
)
def test_an_impossible_period_is_refused_with_a_reason(
    users, facilities, period_kind, quarter, message
) -> None:
    with pytest.raises(ValidationError, match=message):
        services.start_self_report(
            facilities["own"],
            by=users["facility_manager"],
            period_kind=period_kind,
            year=2024,
            quarter=quarter,
        )
    assert not SelfReport.objects.exists()


@pytest.mark.parametrize(
    "role", ["other_facility_manager", "agency_officer", "official", "consultant"]
)
def test_only_the_facility_s_managers_and_the_department_start_its_report(
    users, facilities, role
) -> None:
    with pytest.raises(ValidationError, match="không phải người quản lý cơ sở"):
        services.start_self_report(facilities["own"], by=users[role], **QUARTER)
    assert not SelfReport.objects.exists()


# --- Saving ---------------------------------------------------------------------------------


def test_saving_writes_the_figures_lines_and_measures(users, facilities) -> None:
    report = filled_draft(facilities["own"], users["facility_manager"])
    report.refresh_from_db()
    assert (report.output, report.output_unit, report.has_cp_unit) == (Decimal("1250.5"), "t", True)
    assert sorted(report.consumptions.values_list("resource__code", "quantity")) == [
        ("coal", Decimal(310)),
        ("electricity", Decimal(84000)),
    ]
    measure = report.measures.get()
    assert (measure.technique, measure.cost_vnd) == ("housekeeping", Decimal(2_000_000))


def test_saving_again_replaces_lines_and_a_missing_or_empty_quantity_deletes_one(
    users, facilities
) -> None:
    manager = users["facility_manager"]
    report = filled_draft(facilities["own"], manager)
    electricity_line = report.consumptions.get(resource__code="electricity")
    services.save_self_report(
        report,
        by=manager,
        output=Decimal(1300),
        output_unit="t",
        has_cp_unit=False,
        notes="",
        consumptions={
            resource("electricity").pk: Decimal(80000),
            resource("coal").pk: None,
            resource("water").pk: Decimal(1500),
        },
        measures=[
            {
                "technique": "equipment",
                "description": "Biến tần quạt lò",
                "implemented_on": datetime.date(2024, 6, 1),
                "cost_vnd": None,  # left blank in the form
            },
        ],
    )
    assert sorted(report.consumptions.values_list("resource__code", "quantity")) == [
        ("electricity", Decimal(80000)),
        ("water", Decimal(1500)),
    ]
    # the line is updated in place, so its history stays one line's history
    assert report.consumptions.get(resource__code="electricity").pk == electricity_line.pk
    measure = report.measures.get()
    assert (measure.description, measure.cost_vnd) == ("Biến tần quạt lò", Decimal(0))


def test_invalid_figures_are_all_named_and_nothing_is_written(users, facilities) -> None:
    manager = users["facility_manager"]
    report = filled_draft(facilities["own"], manager)
    before = snapshot(report)
    with pytest.raises(ValidationError) as refused:
        services.save_self_report(
            report,
            by=manager,
            output=Decimal(-1),
            output_unit="t",
            has_cp_unit=True,
            notes="",
            consumptions={resource("electricity").pk: Decimal(-5), 999_999: Decimal(1)},
            measures=[{"technique": "housekeeping", "description": "Không có ngày"}],
        )
    messages = " | ".join(refused.value.messages)
    assert "Sản lượng trong kỳ" in messages
    assert "Điện năng (kWh)" in messages
    assert "999999" in messages
    assert "Giải pháp 1" in messages and "Ngày thực hiện" in messages
    assert snapshot(report) == before


@pytest.mark.parametrize("state", ["submitted", "approved"])
def test_a_submitted_or_approved_report_cannot_be_edited(users, facilities, state) -> None:
    manager = users["facility_manager"]
    report = submitted(facilities["own"], manager)
    if state == "approved":
        services.approve_self_report(report, by=users["department_staff"])
    before = snapshot(report)
    for editor in (manager, users["department_staff"]):
        with pytest.raises(ValidationError, match="Báo cáo đã nộp hoặc đã duyệt không sửa được"):
            services.save_self_report(
                report,
                by=editor,
                output=Decimal(1),
                output_unit="t",
                has_cp_unit=False,
                notes="sửa lén",
                consumptions={},
                measures=[],
            )
    assert snapshot(report) == before


def test_an_edit_from_a_stale_page_is_refused_once_the_report_was_submitted(
    users, facilities
) -> None:
    manager = users["facility_manager"]
    report = filled_draft(facilities["own"], manager)
    stale = SelfReport.objects.get(pk=report.pk)
    services.submit_self_report(report, by=manager)
    with pytest.raises(ValidationError, match="không sửa được"):
        services.save_self_report(
            stale,
            by=manager,
            output=Decimal(1),
            output_unit="t",
            has_cp_unit=False,
            notes="",
            consumptions={},
            measures=[],
        )
    assert report.consumptions.count() == 2


# --- Submitting -----------------------------------------------------------------------------


def test_a_report_without_output_or_consumption_cannot_be_submitted(users, facilities) -> None:
    manager = users["facility_manager"]
    report = services.start_self_report(facilities["own"], by=manager, **QUARTER)
    before = snapshot(report)
    with pytest.raises(ValidationError) as refused:
        services.submit_self_report(report, by=manager)
    assert refused.value.messages == [
        "Vui lòng nhập sản lượng trong kỳ trước khi nộp.",
        "Vui lòng nhập ít nhất một dòng tiêu thụ (điện, nhiên liệu, nước hoặc nguyên vật liệu) "
        "trước khi nộp.",
    ]
    assert snapshot(report) == before


def test_another_facility_s_manager_cannot_submit_its_report(users, facilities) -> None:
    report = filled_draft(facilities["own"], users["facility_manager"])
    before = snapshot(report)
    with pytest.raises(ValidationError, match="không phải người quản lý cơ sở"):
        services.submit_self_report(report, by=users["other_facility_manager"])
    assert snapshot(report) == before


def test_a_report_is_submitted_returned_resubmitted_and_approved_with_every_step_recorded(
    users, facilities
) -> None:
    manager, staff = users["facility_manager"], users["department_staff"]
    report = submitted(facilities["own"], manager)
    first_submission = report.submitted_at
    assert report.status == "submitted" and first_submission is not None

    services.return_self_report(report, by=staff, comment="  Thiếu lượng nước tiêu thụ.  ")
    report.refresh_from_db()
    assert report.status == "returned"
    assert report.reviewer_comment == "Thiếu lượng nước tiêu thụ."
    assert report.reviewed_by == staff and report.reviewed_at is not None

    services.submit_self_report(report, by=manager)
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.submitted_at > first_submission

    services.approve_self_report(report, by=users["department_admin"], comment="Đạt")
    report.refresh_from_db()
    assert report.status == "approved"
    assert report.reviewed_by == users["department_admin"]
    assert report.reviewer_comment == "Đạt"
    assert steps(report) == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "approved"),
    ]
    assert list(report.transitions.values_list("by", flat=True)) == [
        manager.pk,
        manager.pk,
        staff.pk,
        manager.pk,
        users["department_admin"].pk,
    ]
    assert report.transitions.get(to_status="returned").comment == "Thiếu lượng nước tiêu thụ."


def test_department_staff_may_fill_in_and_submit_for_a_facility(users, facilities) -> None:
    report = submitted(facilities["other"], users["department_staff"])
    assert report.status == "submitted"


# --- Reviewing ------------------------------------------------------------------------------


def test_returning_without_a_comment_is_refused(users, facilities) -> None:
    report = submitted(facilities["own"], users["facility_manager"])
    before = snapshot(report)
    with pytest.raises(ValidationError, match="phải kèm ý kiến"):
        services.return_self_report(report, by=users["department_staff"], comment="   ")
    assert snapshot(report) == before


def test_a_facility_manager_can_neither_approve_nor_return_their_own_report(
    users, facilities
) -> None:
    manager = users["facility_manager"]
    report = submitted(facilities["own"], manager)
    before = snapshot(report)
    with pytest.raises(ValidationError, match="Chỉ cán bộ Sở"):
        services.approve_self_report(report, by=manager)
    with pytest.raises(ValidationError, match="Chỉ cán bộ Sở"):
        services.return_self_report(report, by=manager, comment="Tự trả lại")
    assert snapshot(report) == before


def test_staff_who_also_manage_the_facility_cannot_approve_its_report(users, facilities) -> None:
    staff = users["department_staff"]
    report = submitted(facilities["own"], users["facility_manager"])
    facilities["own"].managers.add(staff)
    before = snapshot(report)
    with pytest.raises(ValidationError, match="không tự duyệt"):
        services.approve_self_report(report, by=staff)
    with pytest.raises(ValidationError, match="không tự duyệt"):
        services.return_self_report(report, by=staff, comment="Xem lại")
    assert snapshot(report) == before


@pytest.mark.parametrize("role", ["agency_officer", "official", "consultant"])
def test_roles_outside_the_department_cannot_review(users, facilities, role) -> None:
    report = submitted(facilities["own"], users["facility_manager"])
    with pytest.raises(ValidationError, match="Chỉ cán bộ Sở"):
        services.approve_self_report(report, by=users[role])
    assert SelfReport.objects.get(pk=report.pk).status == "submitted"


def test_staff_cannot_approve_or_return_a_draft(users, facilities) -> None:
    report = filled_draft(facilities["own"], users["facility_manager"])
    before = snapshot(report)
    with pytest.raises(ValidationError, match="Bản nháp"):
        services.approve_self_report(report, by=users["department_staff"])
    with pytest.raises(ValidationError, match="Bản nháp"):
        services.return_self_report(report, by=users["department_staff"], comment="Sửa")
    assert snapshot(report) == before


def test_an_approved_report_cannot_be_approved_again(users, facilities) -> None:
    staff = users["department_staff"]
    report = approved(facilities["own"], users["facility_manager"], staff)
    with pytest.raises(ValidationError, match="Đã duyệt"):
        services.approve_self_report(report, by=staff)
    assert report.transitions.filter(to_status="approved").count() == 1


def test_warnings_must_be_confirmed_and_the_confirmed_ones_are_kept(users, facilities) -> None:
    staff = users["department_staff"]
    report = submitted(facilities["own"], users["facility_manager"])
    warnings = ["Suất tiêu hao điện giảm 45% so với quý trước"]
    before = snapshot(report)
    with pytest.raises(ValidationError, match="Báo cáo có cảnh báo"):
        services.approve_self_report(report, by=staff, warnings=warnings)
    assert snapshot(report) == before

    services.approve_self_report(report, by=staff, warnings=warnings, confirm_warnings=True)
    assert SelfReport.objects.get(pk=report.pk).status == "approved"
    assert warnings[0] in report.transitions.get(to_status="approved").comment


# --- Correcting -----------------------------------------------------------------------------


def test_correcting_an_approved_report_makes_version_two_and_keeps_version_one(
    users, facilities
) -> None:
    manager = users["facility_manager"]
    first = approved(facilities["own"], manager, users["department_staff"])
    before = snapshot(first)

    correction = services.correct_self_report(first, by=manager)

    assert (correction.version, correction.status, correction.supersedes) == (2, "draft", first)
    assert (correction.output, correction.output_unit, correction.has_cp_unit) == (
        Decimal("1250.5"),
        "t",
        True,
    )
    assert correction.notes == "Quý ổn định"
    assert sorted(correction.consumptions.values_list("resource__code", "quantity")) == sorted(
        first.consumptions.values_list("resource__code", "quantity")
    )
    assert list(correction.measures.values_list("description", "implemented_on")) == [
        ("Sửa rò rỉ khí nén", datetime.date(2024, 5, 10))
    ]
    assert steps(correction) == [("", "draft")]
    assert list(SelfReport.objects.current()) == [correction]
    # version 1 is untouched, apart from now having a successor
    after = snapshot(first)
    assert after[:4] == before[:4]
    assert after[4] == before[4] + 1
    # and the manager may now edit the correction
    services.save_self_report(
        correction,
        by=manager,
        output=Decimal(1260),
        output_unit="t",
        has_cp_unit=True,
        notes="Sửa sản lượng",
        consumptions={resource("electricity").pk: Decimal(84000)},
        measures=[],
    )
    assert first.consumptions.count() == 2 and first.measures.count() == 1
    assert services.start_self_report(facilities["own"], by=manager, **QUARTER) == correction


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_only_an_approved_report_can_be_corrected(users, facilities, state) -> None:
    manager, staff = users["facility_manager"], users["department_staff"]
    report = filled_draft(facilities["own"], manager)
    if state != "draft":
        services.submit_self_report(report, by=manager)
    if state == "returned":
        services.return_self_report(report, by=staff, comment="Bổ sung số liệu nước")
    before = snapshot(report)
    with pytest.raises(ValidationError, match="Chỉ tạo bản sửa cho báo cáo đã duyệt"):
        services.correct_self_report(report, by=manager)
    assert snapshot(report) == before


def test_a_report_already_corrected_cannot_be_corrected_twice(users, facilities) -> None:
    manager = users["facility_manager"]
    first = approved(facilities["own"], manager, users["department_staff"])
    services.correct_self_report(first, by=manager)
    with pytest.raises(ValidationError, match="đã có bản sửa"):
        services.correct_self_report(first, by=manager)
    assert SelfReport.objects.count() == 2


def test_another_facility_s_manager_cannot_correct_its_report(users, facilities) -> None:
    first = approved(facilities["own"], users["facility_manager"], users["department_staff"])
    with pytest.raises(ValidationError, match="không phải người quản lý"):
        services.correct_self_report(first, by=users["other_facility_manager"])
    assert SelfReport.objects.count() == 1


# --- Bulk approval --------------------------------------------------------------------------


def test_bulk_approval_approves_submitted_reports_without_warnings_and_skips_the_rest(
    users, facilities
) -> None:
    staff = users["department_staff"]
    clean = submitted(facilities["own"], users["facility_manager"])
    doubtful = submitted(facilities["other"], users["other_facility_manager"])
    draft = services.start_self_report(
        facilities["own"], by=users["facility_manager"], period_kind="quarter", year=2024, quarter=1
    )
    reports = SelfReport.objects.filter(pk__in=[clean.pk, doubtful.pk, draft.pk])

    result = services.bulk_approve(
        reports,
        by=staff,
        warnings_for=lambda r: ["Sản lượng tăng gấp ba"] if r.pk == doubtful.pk else [],
    )

    assert result == (1, 2)
    statuses = dict(SelfReport.objects.values_list("pk", "status"))
    assert statuses == {clean.pk: "approved", doubtful.pk: "submitted", draft.pk: "draft"}
    assert clean.transitions.get(to_status="approved").by == staff


def test_bulk_approval_skips_the_reports_of_a_facility_the_reviewer_manages(
    users, facilities
) -> None:
    staff = users["department_staff"]
    own = submitted(facilities["own"], users["facility_manager"])
    other = submitted(facilities["other"], users["other_facility_manager"])
    facilities["own"].managers.add(staff)
    result = services.bulk_approve([own, other], by=staff, warnings_for=lambda r: [])
    assert result == (1, 1)
    assert SelfReport.objects.get(pk=own.pk).status == "submitted"
    assert SelfReport.objects.get(pk=other.pk).status == "approved"


@pytest.mark.parametrize("role", [Role.FACILITY_MANAGER.value, "other_facility_manager"])
def test_bulk_approval_is_refused_outside_the_department(users, facilities, role) -> None:
    report = submitted(facilities["other"], users["other_facility_manager"])
    with pytest.raises(ValidationError, match="Chỉ cán bộ Sở"):
        services.bulk_approve([report], by=users[role], warnings_for=lambda r: [])
    assert SelfReport.objects.get(pk=report.pk).status == "submitted"
