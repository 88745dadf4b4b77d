"""Self-reports: their workflow, deadlines, completeness and reminders.

Every change of a report's status goes through one function here. Each checks who may make the
change (the views check too, but a service called from a shell, a task or a future API must not
be easier to misuse than the page), re-reads the report under a row lock, writes a
SelfReportTransition and sends nothing before the transaction commits.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_celery_beat.models import PeriodicTask

from assessments.models import (
    Baseline,
    BaselineConsumption,
    CPOption,
    ReportingSchedule,
    Resource,
    SelfReport,
    SelfReportConsumption,
    SelfReportMeasure,
    SelfReportTransition,
    SupportOrganisation,
)
from facilities.models import AdministrativeUnit, Facility, FacilityQuerySet, unit_on
from portal.access import DEPARTMENT, role_of
from portal.lib.closing import check_delete
from portal.lib.dates import end_of_day, local_today
from portal.lib.schedules import ensure_crontab_task
from portal.models import Role, User
from portal.tasks import send_email

PeriodKind = ReportingSchedule.PeriodKind
Status = SelfReport.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)
MEASURE_FIELDS = ("technique", "description", "implemented_on", "cost_vnd", "savings_vnd_per_year")
CUTOFFS = ("calendar", "decree09")

REMINDER_TASK_NAME = "Nhắc nộp báo cáo định kỳ"
REMINDER_TASK = "assessments.tasks.send_self_report_reminders"
REPORTS_PATH = "/bao-cao/"


# --- Periods and deadlines ------------------------------------------------------------------


def _check_period(period_kind: str, year: int, quarter: int | None) -> None:
    if period_kind not in PeriodKind.values:
        raise ValidationError(
            _("Kỳ báo cáo không hợp lệ: vui lòng chọn báo cáo quý hoặc báo cáo năm.")
        )
    if not 1900 <= year <= 2999:
        raise ValidationError(_("Năm báo cáo %(year)s không hợp lệ."), params={"year": year})
    if period_kind == PeriodKind.QUARTER and (quarter is None or not 1 <= quarter <= 4):
        raise ValidationError(_("Quý phải là 1, 2, 3 hoặc 4."))
    if period_kind == PeriodKind.YEAR and quarter is not None:
        raise ValidationError(_("Báo cáo năm không ghi quý: vui lòng để trống ô quý."))


def _period_report(period_kind: str, year: int, quarter: int | None) -> SelfReport:
    # An unsaved report carries the period arithmetic and label: one definition, in the model.
    return SelfReport(period_kind=period_kind, year=year, quarter=quarter)


def period_label(period_kind: str, year: int, quarter: int | None) -> str:
    return str(_period_report(period_kind, year, quarter).period_label)


def period_bounds(
    period_kind: str, year: int, quarter: int | None, *, cutoff: str = "calendar"
) -> tuple[datetime.date, datetime.date]:
    """First and last day of a period, both included.

    "calendar" gives calendar quarters and years. "decree09" gives the data cut-off of Decree
    09/2019/NĐ-CP on the reporting regime of state agencies: a quarter runs from the 15th of the
    month before it to the 14th of its last month, a year from 15/12 of the year before to 14/12.
    """
    _check_period(period_kind, year, quarter)
    if cutoff not in CUTOFFS:
        raise ValidationError(
            _("Cách tính kỳ %(cutoff)s không hợp lệ: chọn theo lịch hoặc theo Nghị định 09/2019."),
            params={"cutoff": cutoff},
        )
    if cutoff == "calendar":
        report = _period_report(period_kind, year, quarter)
        return report.period_start, report.period_end
    if period_kind == PeriodKind.YEAR:
        return datetime.date(year - 1, 12, 15), datetime.date(year, 12, 14)
    assert quarter is not None  # _check_period made sure
    last_month = 3 * quarter
    month_before = last_month - 3
    start = (
        datetime.date(year - 1, 12, 15)
        if month_before == 0
        else datetime.date(year, month_before, 15)
    )
    return start, datetime.date(year, last_month, 14)


def _schedule(period_kind: str) -> ReportingSchedule:
    try:
        return ReportingSchedule.objects.get(period_kind=period_kind)
    except ReportingSchedule.DoesNotExist as exc:
        raise ValidationError(
            _(
                "Chưa có lịch báo cáo cho kỳ “%(kind)s”: vui lòng khai báo hạn nộp trong mục "
                "Lịch báo cáo."
            ),
            params={"kind": PeriodKind(period_kind).label},
        ) from exc


def deadline_for(period_kind: str, year: int, quarter: int | None) -> datetime.date:
    """The last day a report is on time: the calendar period's end plus the schedule's days."""
    _start, end = period_bounds(period_kind, year, quarter)
    return end + datetime.timedelta(days=_schedule(period_kind).days_after_period_end)


# --- Who may do what ------------------------------------------------------------------------


def _manages(user: User, facility: Facility) -> bool:
    return facility.managers.filter(pk=user.pk).exists()


def _check_may_edit(facility: Facility, by: User) -> None:
    """Start, fill in, submit and correct: the facility's own managers and the Department."""
    role = role_of(by)
    if role in DEPARTMENT:
        return
    if role == Role.FACILITY_MANAGER and _manages(by, facility):
        return
    raise ValidationError(
        _(
            "Bạn không phải người quản lý cơ sở %(facility)s nên không lập, sửa hay nộp được "
            "báo cáo của cơ sở này."
        ),
        params={"facility": facility.name},
    )


def _submitted_by(report: SelfReport) -> int | None:
    return (
        report.transitions.filter(to_status=Status.SUBMITTED)
        .order_by("-at", "-pk")
        .values_list("by_id", flat=True)
        .first()
    )


def _check_not_own_submission(report: SelfReport, by: User) -> None:
    """Four eyes: whoever submitted a report (staff keying in a paper report) cannot approve it."""
    if _submitted_by(report) == by.pk:
        raise ValidationError(
            _(
                "Bạn đã nộp báo cáo này nên không tự duyệt được: vui lòng nhờ một cán bộ khác "
                "của Sở."
            )
        )


def _check_may_review(facility: Facility, by: User) -> None:
    """Return and approve: the Department only, and never for a facility the reviewer manages."""
    if role_of(by) not in DEPARTMENT:
        raise ValidationError(_("Chỉ cán bộ Sở Công Thương được duyệt hoặc trả lại báo cáo."))
    if _manages(by, facility):
        raise ValidationError(
            _(
                "Bạn là người quản lý cơ sở %(facility)s nên không tự duyệt hay trả lại báo cáo "
                "của cơ sở mình: vui lòng nhờ một cán bộ khác của Sở."
            ),
            params={"facility": facility.name},
        )


def _lock(report: SelfReport, fields: list[str] | None = None) -> None:
    """Re-read the report under a row lock, so two people acting at once cannot both move it."""
    report.refresh_from_db(fields=fields, from_queryset=SelfReport.objects.select_for_update())


def _record(report: SelfReport, from_status: str, by: User, comment: str = "") -> None:
    SelfReportTransition.objects.create(
        report=report, from_status=from_status, to_status=report.status, by=by, comment=comment
    )


def _status_label(report: SelfReport) -> str:
    return str(Status(report.status).label)


# --- The workflow ---------------------------------------------------------------------------


@transaction.atomic
def start_self_report(
    facility: Facility, *, period_kind: str, year: int, quarter: int | None, by: User
) -> SelfReport:
    """The current version of the facility's report for the period, or a new first draft."""
    _check_may_edit(facility, by)
    start, _end = period_bounds(period_kind, year, quarter)
    if start > local_today():
        raise ValidationError(
            _("%(period)s chưa bắt đầu (từ ngày %(start)s): chưa lập báo cáo cho kỳ này được."),
            params={
                "period": period_label(period_kind, year, quarter),
                "start": start.strftime("%d/%m/%Y"),
            },
        )
    # Lock the facility so two quick clicks on "start" cannot make two first versions (the
    # unique constraint does not catch it for year reports: their quarter is NULL).
    Facility.objects.select_for_update().only("pk").get(pk=facility.pk)
    existing = (
        SelfReport.objects.current()
        .filter(facility=facility, period_kind=period_kind, year=year, quarter=quarter)
        .order_by("-version")
        .first()
    )
    if existing is not None:
        return existing
    first_product = facility.products.order_by("pk").first()
    report = SelfReport(
        facility=facility,
        period_kind=period_kind,
        year=year,
        quarter=quarter,
        version=1,
        status=Status.DRAFT,
        output_unit=first_product.unit if first_product else "",
    )
    report.full_clean()
    report.save()
    _record(report, "", by)
    return report


def _messages_of(exc: ValidationError, model: type[models.Model], prefix: str = "") -> list[str]:
    """Field errors as sentences that name their field, for a list shown above the form."""
    result = []
    for field, messages in exc.message_dict.items():
        label = (
            "" if field == NON_FIELD_ERRORS else capfirst(model._meta.get_field(field).verbose_name)
        )
        for message in messages:
            parts = [str(part) for part in (prefix, label) if part]
            result.append(f"{' – '.join(parts)}: {message}" if parts else message)
    return result


@transaction.atomic
def save_self_report(
    report: SelfReport,
    *,
    by: User,
    output: Decimal | None,
    output_unit: str,
    has_cp_unit: bool,
    notes: str,
    consumptions: dict[int, Decimal | None],
    measures: list[dict[str, Any]],
) -> SelfReport:
    """Write the report's figures: its consumption lines become exactly `consumptions` (a None
    quantity or a missing resource deletes the line) and its measures exactly `measures`.

    Refusals list every problem at once, each naming its field, line or measure.
    """
    _check_may_edit(report.facility, by)
    _lock(report)
    if report.status not in EDITABLE:
        raise ValidationError(
            _(
                "Báo cáo đã nộp hoặc đã duyệt không sửa được; nếu số liệu đã duyệt có sai sót, "
                "vui lòng tạo bản sửa của báo cáo."
            )
        )
    errors: list[str] = []

    report.output = output
    report.output_unit = output_unit
    report.has_cp_unit = has_cp_unit
    report.notes = notes
    try:
        report.full_clean()
    except ValidationError as exc:
        errors += _messages_of(exc, SelfReport)

    wanted = {pk: quantity for pk, quantity in consumptions.items() if quantity is not None}
    resources = Resource.objects.in_bulk(list(wanted))
    unknown = sorted(set(wanted) - set(resources))
    if unknown:
        errors.append(
            _("Không có loại tiêu thụ mã %(ids)s: vui lòng tải lại trang rồi nhập lại.")
            % {"ids": ", ".join(str(pk) for pk in unknown)}
        )
    existing = {line.resource_id: line for line in report.consumptions.all()}
    changed_lines = []
    for resource_pk, quantity in wanted.items():
        if resource_pk not in resources:
            continue
        line = existing.get(resource_pk) or SelfReportConsumption(
            report=report, resource=resources[resource_pk]
        )
        if line.pk is not None and line.quantity == quantity:
            continue  # unchanged: no new history row
        line.quantity = quantity
        try:
            # The report and the resource are known to exist; validating them again would cost
            # a query per line.
            line.full_clean(exclude=["report", "resource"])
        except ValidationError as exc:
            errors += _messages_of(exc, SelfReportConsumption, str(resources[resource_pk]))
        changed_lines.append(line)

    new_measures = []
    for number, row in enumerate(measures, start=1):
        # Blank optional amounts fall back to the model's default (0) instead of failing.
        values = {key: row[key] for key in MEASURE_FIELDS if row.get(key) is not None}
        measure = SelfReportMeasure(report=report, **values)
        try:
            measure.full_clean(exclude=["report"])
        except ValidationError as exc:
            prefix = _("Giải pháp %(number)s") % {"number": number}
            errors += _messages_of(exc, SelfReportMeasure, prefix)
        new_measures.append(measure)

    if errors:
        raise ValidationError(errors)

    report.save()
    report.consumptions.exclude(resource__in=list(wanted)).delete()
    for line in changed_lines:
        line.save()
    report.measures.all().delete()
    for measure in new_measures:
        measure.save()
    return report


@transaction.atomic
def submit_self_report(report: SelfReport, *, by: User) -> SelfReport:
    """Draft → submitted, or returned → submitted again; the submission time is each time's."""
    _check_may_edit(report.facility, by)
    _lock(report)
    if report.status not in EDITABLE:
        raise ValidationError(
            _("Báo cáo đang ở trạng thái “%(status)s” nên không nộp lại được."),
            params={"status": _status_label(report)},
        )
    problems = []
    if report.period_end >= local_today():
        problems.append(
            _("Kỳ báo cáo kết thúc ngày %(end)s: vui lòng nộp sau ngày đó (có thể lưu nháp trước).")
            % {"end": report.period_end.strftime("%d/%m/%Y")}
        )
    if report.output is None:
        problems.append(_("Vui lòng nhập sản lượng trong kỳ trước khi nộp."))
    elif not report.output_unit:
        problems.append(_("Vui lòng chọn đơn vị sản phẩm trước khi nộp."))
    if not report.consumptions.exists():
        problems.append(
            _(
                "Vui lòng nhập ít nhất một dòng tiêu thụ (điện, nhiên liệu, nước hoặc nguyên vật "
                "liệu) trước khi nộp."
            )
        )
    if problems:
        raise ValidationError(problems)
    from_status = report.status
    report.status = Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at"])
    _record(report, from_status, by)
    return report


def _check_submitted(report: SelfReport) -> None:
    if report.status != Status.SUBMITTED:
        raise ValidationError(
            _(
                "Chỉ duyệt hoặc trả lại được báo cáo cơ sở đã nộp; báo cáo này đang ở trạng "
                "thái “%(status)s”."
            ),
            params={"status": _status_label(report)},
        )


@transaction.atomic
def return_self_report(report: SelfReport, *, by: User, comment: str) -> SelfReport:
    """Submitted → returned, with the reviewer's explanation of what to fix."""
    _check_may_review(report.facility, by)
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            _("Vui lòng ghi rõ cơ sở cần sửa gì: báo cáo trả lại phải kèm ý kiến người duyệt.")
        )
    _lock(report)
    _check_submitted(report)
    report.status = Status.RETURNED
    report.reviewer_comment = comment
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "reviewer_comment", "reviewed_by", "reviewed_at"])
    _record(report, Status.SUBMITTED, by, comment)
    return report


def _approve(report: SelfReport, *, by: User, comment: str, warnings: list[str]) -> None:
    report.status = Status.APPROVED
    report.reviewer_comment = comment  # a new review replaces the comment of an earlier return
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "reviewer_comment", "reviewed_by", "reviewed_at"])
    # The audit trail keeps the warnings the reviewer saw and accepted.
    confirmed = (
        _("Đã xác nhận cảnh báo: %(warnings)s") % {"warnings": "; ".join(warnings)}
        if warnings
        else ""
    )
    _record(report, Status.SUBMITTED, by, "\n".join(part for part in (comment, confirmed) if part))


@transaction.atomic
def approve_self_report(
    report: SelfReport,
    *,
    by: User,
    confirm_warnings: bool = False,
    warnings: list[str] | None = None,
    comment: str = "",
) -> SelfReport:
    """Submitted → approved. Plausibility warnings (computed by the caller) need confirming."""
    _check_may_review(report.facility, by)
    warnings = list(warnings or [])
    if warnings and not confirm_warnings:
        raise ValidationError(_("Báo cáo có cảnh báo: vui lòng xem và xác nhận trước khi duyệt."))
    _lock(report)
    _check_submitted(report)
    _check_not_own_submission(report, by)
    _approve(report, by=by, comment=comment.strip(), warnings=warnings)
    return report


@transaction.atomic
def correct_self_report(report: SelfReport, *, by: User) -> SelfReport:
    """A new draft version of an approved report, the approved one kept as it was.

    Figures that were approved stay on record (indicators already published used them); the
    correction counts once it is approved in its turn.
    """
    _check_may_edit(report.facility, by)
    _lock(report)
    if report.status != Status.APPROVED:
        raise ValidationError(
            _(
                "Chỉ tạo bản sửa cho báo cáo đã duyệt. Báo cáo đang ở trạng thái "
                "“%(status)s”: bản nháp hay báo cáo bị trả lại thì sửa trực tiếp, báo cáo đã "
                "nộp thì chờ Sở duyệt hoặc trả lại."
            ),
            params={"status": _status_label(report)},
        )
    newer = SelfReport.objects.filter(supersedes=report).first()
    if newer is not None:
        raise ValidationError(
            _("Báo cáo này đã có bản sửa (phiên bản %(version)s): vui lòng mở bản mới nhất."),
            params={"version": newer.version},
        )
    correction = SelfReport(
        facility=report.facility,
        period_kind=report.period_kind,
        year=report.year,
        quarter=report.quarter,
        version=report.version + 1,
        supersedes=report,
        status=Status.DRAFT,
        output=report.output,
        output_unit=report.output_unit,
        has_cp_unit=report.has_cp_unit,
        notes=report.notes,
    )
    correction.full_clean()
    correction.save()
    for line in report.consumptions.all():
        SelfReportConsumption.objects.create(
            report=correction, resource_id=line.resource_id, quantity=line.quantity
        )
    for measure in report.measures.all():
        SelfReportMeasure.objects.create(
            report=correction,
            technique=measure.technique,
            description=measure.description,
            implemented_on=measure.implemented_on,
            cost_vnd=measure.cost_vnd,
            savings_vnd_per_year=measure.savings_vnd_per_year,
        )
    _record(
        correction,
        "",
        by,
        _("Bản sửa của báo cáo đã duyệt, phiên bản %(version)s") % {"version": report.version},
    )
    return correction


@transaction.atomic
def bulk_approve(
    reports: Iterable[SelfReport],
    *,
    by: User,
    warnings_for: Callable[[SelfReport], list[str]],
) -> tuple[int, int]:
    """Approve every submitted report without warnings; the rest are skipped, not refused.

    Reports of a facility the reviewer manages are skipped too: nobody approves their own.
    Returns (approved, skipped).
    """
    if role_of(by) not in DEPARTMENT:
        raise ValidationError(_("Chỉ cán bộ Sở Công Thương được duyệt báo cáo."))
    own = set(by.managed_facilities.values_list("pk", flat=True))
    approved = skipped = 0
    for report in reports:
        if report.facility_id in own:
            skipped += 1
            continue
        # Only the status is re-read, so what the caller prefetched for warnings_for stays.
        _lock(report, fields=["status"])
        if (
            report.status != Status.SUBMITTED
            or warnings_for(report)
            or _submitted_by(report) == by.pk
        ):
            skipped += 1
            continue
        _approve(report, by=by, comment="", warnings=[])
        approved += 1
    return approved, skipped


# --- Completeness and timeliness ------------------------------------------------------------


@dataclass(frozen=True)
class Completeness:
    """How many expected facilities reported for a period, and how many on time.

    Both ratios are over the expected facilities (the usual definition of reporting
    completeness and timeliness), None when no facility was expected.
    """

    expected: int
    received: int
    on_time: int

    @property
    def completeness(self) -> Decimal | None:
        return Decimal(self.received) / Decimal(self.expected) if self.expected else None

    @property
    def timeliness(self) -> Decimal | None:
        return Decimal(self.on_time) / Decimal(self.expected) if self.expected else None


@dataclass(frozen=True)
class _Submitted:
    """Which facilities reported for a period, as conditions on a facility (its pk in a set the
    database builds once and hashes, not a subquery per facility: 200,000 facilities).

    A facility reported when it first submitted any version of its report for the period: a
    report returned and resubmitted, or corrected after approval, still counts from its first
    submission. That is its first transition to "submitted"; a report written outside these
    services (the admin, an import) has no transitions, and its submission time is then the
    best evidence there is.
    """

    received: Q
    on_time: Q

    def counts(self) -> dict[str, Count]:
        """The rows counted as `Completeness` has them: expected, received, on time."""
        return {
            "expected": Count("pk"),
            "received": Count("pk", filter=self.received),
            "on_time": Count("pk", filter=self.on_time),
        }


def submitted(
    period_kind: str, year: int, quarter: int | None, *, facility: str = "pk"
) -> _Submitted:
    """`_Submitted` as conditions on rows whose field `facility` is a facility's id."""
    period = {"period_kind": period_kind, "year": year, "quarter": quarter}
    transitions = SelfReportTransition.objects.filter(
        **{f"report__{key}": value for key, value in period.items()}, to_status=Status.SUBMITTED
    )
    stamped = SelfReport.objects.filter(**period, submitted_at__isnull=False)
    by = end_of_day(deadline_for(period_kind, year, quarter))
    within = f"{facility}__in"
    transitioned = Q(**{within: transitions.values("report__facility_id")})
    early = Q(**{within: stamped.filter(submitted_at__lt=by).values("facility_id")})
    return _Submitted(
        received=transitioned | Q(**{within: stamped.values("facility_id")}),
        # The first submission was before the deadline: some transition was, or, without any
        # transition, some submission time.
        on_time=Q(**{within: transitions.filter(at__lt=by).values("report__facility_id")})
        | (~transitioned & early),
    )


def expected_facilities(
    period_kind: str, year: int, quarter: int | None, *, facilities: FacilityQuerySet | None = None
) -> FacilityQuerySet:
    """Facilities that owe a report: in the indicator denominator on the period's last day."""
    _start, end = period_bounds(period_kind, year, quarter)
    expected = Facility.objects.in_denominator_on(end)
    if facilities is not None:
        # By id, so a filter with joins in `facilities` cannot count a facility twice.
        expected = expected.filter(pk__in=facilities.values("pk"))
    return expected


def completeness(
    period_kind: str, year: int, quarter: int | None, *, facilities: FacilityQuerySet | None = None
) -> Completeness:
    """Expected, received and on-time reports for a period, in two queries whatever the size."""
    reported = submitted(period_kind, year, quarter)
    counts = expected_facilities(period_kind, year, quarter, facilities=facilities).aggregate(
        **reported.counts()
    )
    return Completeness(**counts)


def _not_submitted(
    period_kind: str, year: int, quarter: int | None, *, facilities: FacilityQuerySet | None = None
) -> FacilityQuerySet:
    return expected_facilities(period_kind, year, quarter, facilities=facilities).exclude(
        submitted(period_kind, year, quarter).received
    )


def completeness_by_area(
    period_kind: str, year: int, quarter: int | None, *, facilities: FacilityQuerySet | None = None
) -> list[tuple[AdministrativeUnit, Completeness]]:
    """completeness() per area, in a fixed number of queries whatever the units or facilities.

    Each facility counts in the unit it was in on the period's last day (`unit_on`), not where
    it is today: a period of the plan era groups by its districts, one after 01/07/2025 by the
    communes of the new map.
    """
    _start, end = period_bounds(period_kind, year, quarter)
    reported = submitted(period_kind, year, quarter)
    rows = (
        expected_facilities(period_kind, year, quarter, facilities=facilities)
        .annotate(area=unit_on(end))
        .values("area")
        .annotate(**reported.counts())
        .order_by()
    )
    return completeness_of_areas(rows)


def completeness_of_areas(
    rows: Iterable[dict[str, Any]],
) -> list[tuple[AdministrativeUnit, Completeness]]:
    """Rows of an area's pk and its counts ("area", "expected", "received", "on_time"), as
    `completeness_by_area` gives them: each unit with its counts, in the order of their codes."""
    by_unit = {row["area"]: row for row in rows}
    units = AdministrativeUnit.objects.filter(pk__in=by_unit).order_by("code")
    return [
        (
            unit,
            Completeness(
                expected=by_unit[unit.pk]["expected"],
                received=by_unit[unit.pk]["received"],
                on_time=by_unit[unit.pk]["on_time"],
            ),
        )
        for unit in units
    ]


def overdue_facilities(
    period_kind: str, year: int, quarter: int | None, *, today: datetime.date
) -> FacilityQuerySet:
    """Expected facilities that submitted nothing for the period, once its deadline has passed."""
    if today <= deadline_for(period_kind, year, quarter):
        return Facility.objects.none()
    return _not_submitted(period_kind, year, quarter)


# --- Reminders ------------------------------------------------------------------------------


def _quarters_back_from(day: datetime.date) -> Iterable[tuple[int, int]]:
    year, quarter = day.year, (day.month - 1) // 3 + 1
    while True:
        yield year, quarter
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def _quarter_to_remind(today: datetime.date, schedule: ReportingSchedule) -> tuple[int, int, bool]:
    """(year, quarter, overdue) of the latest quarter with a reminder due exactly today, or
    (0, 0, False). Exactly today, so a daily run sends each reminder once."""
    due = datetime.timedelta(days=schedule.days_after_period_end)
    before = datetime.timedelta(days=schedule.remind_days_before)
    after = datetime.timedelta(days=schedule.remind_days_after)
    for year, quarter in _quarters_back_from(today):
        _start, end = period_bounds(PeriodKind.QUARTER, year, quarter)
        deadline = end + due
        if deadline + after < today:
            break  # every earlier quarter's reminders are past too
        if today == deadline - before:
            return year, quarter, False
        if today == deadline + after:
            return year, quarter, True
    return 0, 0, False


@transaction.atomic
def send_reminders(*, today: datetime.date) -> int:
    """Mail the managers of facilities that have not submitted the latest quarter's report, on
    the schedule's day before the deadline and on its day after. Returns the mails queued."""
    schedule = _schedule(PeriodKind.QUARTER)
    year, quarter, overdue = _quarter_to_remind(today, schedule)
    if not year:
        return 0
    deadline = deadline_for(PeriodKind.QUARTER, year, quarter)
    recipients = User.objects.filter(is_active=True).exclude(email="").order_by("pk")
    pending = _not_submitted(PeriodKind.QUARTER, year, quarter).prefetch_related(
        Prefetch("managers", queryset=recipients, to_attr="reminder_recipients")
    )
    queued = 0
    # Beat runs outside any request: the mail speaks the portal's first language.
    with translation.override(settings.LANGUAGE_CODE):
        period = period_label(PeriodKind.QUARTER, year, quarter)
        for facility in pending:
            for manager in facility.reminder_recipients:
                context = {
                    "recipient": manager,
                    "facility_name": facility.name,
                    "period": period,
                    "deadline": deadline,
                    "days": abs((deadline - today).days),
                    "overdue": overdue,
                    "reports_path": REPORTS_PATH,
                }
                subject = "".join(
                    render_to_string(
                        "emails/self_report_reminder_subject.txt", context
                    ).splitlines()
                )
                body = render_to_string("emails/self_report_reminder.txt", context)
                transaction.on_commit(
                    partial(send_email.delay, subject=subject, body=body, to=[manager.email])
                )
                queued += 1
    return queued


@transaction.atomic
def ensure_reminder_schedule() -> PeriodicTask:
    """The daily 07:00 (Hanoi time) beat entry for reminders, created once."""
    return ensure_crontab_task(name=REMINDER_TASK_NAME, task=REMINDER_TASK, hour="7")


# --- Assessments ----------------------------------------------------------------------------


@transaction.atomic
def save_baseline(baseline: Baseline, *, consumptions: dict[int, Decimal | None]) -> Baseline:
    """Save a baseline year and make its consumption lines exactly the non-empty quantities.

    Every line written or removed is checked against the closed periods (its `clean()`, and
    `check_delete` for a removal): a completed assessment's baseline is part of T3."""
    baseline.full_clean()
    baseline.save()
    lines = {line.resource_id: line for line in baseline.consumptions.all()}
    for resource_id, quantity in consumptions.items():
        line = lines.get(resource_id)
        if quantity is None:
            if line is not None:
                check_delete(line)
                line.delete()
            continue
        if line is None:
            line = BaselineConsumption(baseline=baseline, resource_id=resource_id)
        elif line.quantity == quantity:
            continue
        line.quantity = quantity
        line.full_clean()
        line.save()
    return baseline


@transaction.atomic
def save_option(option: CPOption, *, by: User) -> CPOption:
    """Save a CP option; marking it verified records who verified it and when.

    Verification is the Department's word (the facility then applies CP, target T2): anyone
    else who sends "verified" is refused.
    """
    previous = CPOption.objects.filter(pk=option.pk).values_list("status", flat=True).first()
    if previous == CPOption.Status.VERIFIED and role_of(by) not in DEPARTMENT:
        raise ValidationError(
            _("Giải pháp đã được Sở kiểm chứng: chỉ Sở Công Thương được sửa giải pháp này.")
        )
    if option.status == CPOption.Status.VERIFIED and previous != CPOption.Status.VERIFIED:
        if role_of(by) not in DEPARTMENT:
            raise ValidationError(_("Chỉ Sở Công Thương được xác nhận kiểm chứng giải pháp."))
        option.verified_by = by
        option.verified_on = option.verified_on or local_today()
    if option.status != CPOption.Status.VERIFIED:
        option.verified_by, option.verified_on = None, None
    option.full_clean()
    option.save()
    return option


@transaction.atomic
def save_support_organisation(
    organisation: SupportOrganisation, *, assigned: list[Facility]
) -> SupportOrganisation:
    """Save an organisation and make its assigned facilities exactly `assigned`."""
    organisation.full_clean()
    organisation.save()
    organisation.facilities.set(assigned)
    return organisation
