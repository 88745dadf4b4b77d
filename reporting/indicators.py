"""The indicator engine: the plan's targets T1–T5 and yearly activities A1–A4, as of any date.

Every figure is computed from its source records, and only from the records in effect on the
as-of date: a facility operating and in scope that day, awareness confirmed by then, a measure
verified or approved by then, a self-report approved by the end of that day (Vietnam time), an
official dedicated that day. So a report for Q3 2019 regenerated today gives the figures it
gave then, as long as nobody rewrote history in the source records.

Shares are unrounded Decimal ratios (0.9 = 90%); rounding is for display. The database does the
counting: `compute()` runs a fixed number of queries whatever the number of facilities (ten at
most, besides setting PostgreSQL's work_mem for them), and `compute_by()` one grouped query per
kind of figure.

A target is a band (floor, stretch) per milestone year of the plan; the figure is compared with
the band of the nearest milestone not yet past (else the latest), never with a constant here.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.db import connection, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    Resource,
    SelfReport,
    SelfReportConsumption,
    applying_q,
)

# The savings arithmetic stays in one place: the engine reuses the comparison and the factor
# table that facility_savings() is built on, and only chooses the baseline and the report
# differently (in bulk, and by approval date; the same order as its `chronological`); see
# _savings_by_facility().
from assessments.savings import (
    FacilitySavings,
    UsedFactor,
    compare,
    compared_reports,
    factor_table,
)
from facilities.models import (
    AdministrativeUnit,
    Facility,
    FacilityQuerySet,
    Sector,
    SizeClass,
    aware_q,
    cp_unit_q,
)
from portal.lib.numbers import shown_percent
from programs.models import CourseParticipant, Indicator, Official, Plan, SupportProject, Target

# Memory per sort or hash for the engine's queries on PostgreSQL; see _with_work_mem().
WORK_MEM = "64MB"
_F = TypeVar("_F", bound=Callable[..., Any])

COUNT_CODES = ("A1", "A2", "A3", "A4")
ALL_CODES = tuple(Indicator.values)

# The facility attribute each breakdown groups by (a field path from Facility).
GROUPINGS = {
    "area": "administrative_unit",
    "sector": "sector__parent",
    "size": "size_class",
}
BREAKDOWNS = (*GROUPINGS, "period")

# The facility shares and the count (of facilities in the denominator) each one is made of.
FACILITY_SHARES = {"T1": "aware", "T2": "applying", "T4": "cp_unit"}
NO_FACILITIES = {"denominator": 0, "aware": 0, "applying": 0, "cp_unit": 0}
NO_ASSESSMENTS = {"A3": 0, "A4": 0}


class Status(models.TextChoices):
    """Where a figure stands against its target. While the target's year runs: on track or
    behind by pace (or met already); once it has ended: met or not met, never "behind"."""

    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Không đạt")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    BEHIND = "behind", _("Chậm tiến độ")
    NO_TARGET = "no_target", _("Chưa có mục tiêu")
    NO_DATA = "no_data", _("Chưa có số liệu")


class Position(models.TextChoices):
    """Where a value sits in its target's band (a floor and a stretch, such as 25–50%)."""

    BELOW_FLOOR = "below_floor", _("Dưới mức tối thiểu")
    WITHIN_BAND = "within_band", _("Trong khoảng mục tiêu")
    AT_STRETCH = "at_stretch", _("Đạt mức phấn đấu")


@dataclass(frozen=True)
class Figure:
    """One indicator as of a date, with the band it is measured against.

    `value` is a ratio for T1, T2, T4 and T5; for T3 the median saving of the applying
    facilities that have a savings figure; a count for A1–A4. `numerator` and `denominator`
    are what the ratio was made of (T3: facilities reaching the floor, applying facilities;
    its `extra` has the coverage and the resource-level medians, see `_savings_figure`;
    A1–A4: the count, no denominator).
    """

    indicator: str
    label: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    floor: Decimal | None
    stretch: Decimal | None
    milestone_year: int | None
    status: str
    extra: dict[str, Decimal | int | None] = field(default_factory=dict)
    # A1–A4: the year whose records are counted (a report's year, not its data date's).
    year: int | None = None

    @property
    def is_count(self) -> bool:
        return self.indicator in COUNT_CODES

    @property
    def position(self) -> str:
        """The value against the band: below its floor, within it, or at its stretch."""
        if self.value is None or self.floor is None:
            return ""
        if self.stretch is not None and self.value >= self.stretch:
            return Position.AT_STRETCH
        return Position.WITHIN_BAND if self.value >= self.floor else Position.BELOW_FLOOR

    @property
    def shown(self) -> Decimal | None:
        """The value as every output prints it: a count as it is; a share or saving in percent,
        rounded half up to one decimal (never so that a value below its floor reads as
        reaching it: the status is decided on the unrounded value)."""
        if self.value is None or self.is_count:
            return self.value
        return shown_percent(self.value, floor=self.floor)


@dataclass(frozen=True)
class Breakdown:
    """The figures of one group (an area, a sector, a size class or a year of the plan)."""

    key: str
    label: str
    figures: dict[str, Figure]


def _with_work_mem(function: _F) -> _F:
    """Run `function` with room for the engine's hash tables on PostgreSQL.

    The counts test each facility against sets of facility ids (aware, applying, with a unit):
    PostgreSQL hashes such a set only if it fits in `work_mem` (4 MB by default), and past that
    scans it again for every facility: milliseconds at provincial scale, minutes at national
    scale (200,000 facilities). The setting is local to the transaction, so it changes nothing
    for other queries of the request.
    """

    @functools.wraps(function)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if connection.vendor != "postgresql":
            return function(*args, **kwargs)
        if connection.in_atomic_block:  # already in a transaction: the setting ends with it
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = %s", [WORK_MEM])
            return function(*args, **kwargs)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = %s", [WORK_MEM])
            return function(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


@_with_work_mem
def compute(plan: Plan, *, as_of: datetime.date, year: int | None = None) -> dict[str, Figure]:
    """Every indicator (T1–T5, A1–A4) of `plan` as of the end of `as_of`.

    The yearly activities (A1–A4) count the records of `year` known by `as_of`: a report's
    year, whatever its data date (the annual report of 2020 with data as of 15/01/2021 counts
    2020's projects and assessments). By default the year of `as_of`.
    """
    year = as_of.year if year is None else year
    targets = _targets(plan, as_of)
    facilities = _facility_counts(as_of)
    savings = list(_savings_by_facility(as_of).values())
    officials = _official_counts(as_of)
    activities = _project_counts(as_of, year) | _assessment_counts(as_of, year)

    shares = _facility_shares(facilities, targets, plan, as_of)
    figures = {
        "T1": shares["T1"],
        "T2": shares["T2"],
        "T3": _savings_figure(savings, facilities["applying"], targets.get("T3"), plan, as_of),
        "T4": shares["T4"],
        "T5": _share_figure(
            "T5", officials["trained"], officials["dedicated"], targets.get("T5"), plan, as_of
        ),
    }
    for code in COUNT_CODES:
        figures[code] = _count_figure(
            code, activities[code], targets.get(code), as_of, year, activities.get(f"{code}+")
        )
    return figures


@_with_work_mem
def compute_by(
    plan: Plan, *, as_of: datetime.date, by: str, year: int | None = None
) -> list[Breakdown]:
    """The indicators of `plan` as of `as_of`, group by group.

    - "area", "sector" (the VSIC level-2 parent of the facility's sector), "size": the
      facility indicators T1–T4 against the plan's bands, and the assessments A3/A4 counted
      by the group of the assessed facility (the yearly target is for the whole province, so
      a group's count has no target). T5, A1 and A2 belong to no single facility group and
      are left out; A3/A4 count `year`'s assessments, as in `compute`. Groups come in the
      order of their codes (size classes by rank); only
      groups with a facility in the denominator or an assessment appear.
    - "period": every indicator for each year of the plan up to `as_of`, each as of 31/12 of
      its year (as of `as_of` for the current year).
    """
    if by == "period":
        last_year = min(plan.end_year, as_of.year)
        return [
            Breakdown(
                key=str(year),
                label=str(year),
                figures=compute(plan, as_of=min(datetime.date(year, 12, 31), as_of)),
            )
            for year in range(plan.start_year, last_year + 1)
        ]
    if by not in GROUPINGS:
        raise ValueError(f"Unknown breakdown {by!r}: expected one of {', '.join(BREAKDOWNS)}.")

    group = GROUPINGS[by]
    year = as_of.year if year is None else year
    targets = _targets(plan, as_of)
    facilities = _facility_counts_by(as_of, group)
    savings = _savings_by_facility(as_of)
    savings_by_group: dict[int | None, list[FacilitySavings]] = defaultdict(list)
    # Only facilities with a detailed assessment can have a saving: read just their groups.
    detailed = Assessment.objects.filter(kind=Assessment.Kind.DETAILED).values("facility_id")
    for facility_id, pk in Facility.objects.filter(pk__in=detailed).values_list("pk", group):
        if facility_id in savings:
            savings_by_group[pk].append(savings[facility_id])
    assessments = _assessment_counts_by(as_of, year, f"facility__{group}")

    breakdowns = []
    for pk, key, label in _groups(by, {*facilities, *savings_by_group, *assessments}):
        shares = _facility_shares(facilities.get(pk, NO_FACILITIES), targets, plan, as_of)
        activity = assessments.get(pk, NO_ASSESSMENTS)
        figures = {
            "T1": shares["T1"],
            "T2": shares["T2"],
            "T3": _savings_figure(
                savings_by_group[pk],
                facilities.get(pk, NO_FACILITIES)["applying"],
                targets.get("T3"),
                plan,
                as_of,
            ),
            "T4": shares["T4"],
            "A3": _count_figure("A3", activity["A3"], None, as_of, year),
            "A4": _count_figure("A4", activity["A4"], None, as_of, year),
        }
        breakdowns.append(Breakdown(key=key, label=label, figures=figures))
    return breakdowns


@_with_work_mem
def savings_by_facility(as_of: datetime.date) -> dict[int, Decimal]:
    """Facility pk → its T3 figure as of `as_of`, for the applying facilities that have one
    (the figures whose median is T3; a report's annex lists them facility by facility)."""
    return {
        pk: result.combined
        for pk, result in _savings_by_facility(as_of).items()
        if result.combined is not None
    }


@_with_work_mem
def savings_comparisons(as_of: datetime.date) -> dict[int, FacilitySavings]:
    """Facility pk → its whole comparison as of `as_of` (every resource, the TOE factors used,
    those missing), for the applying facilities that have a comparable like period, with or
    without a T3 figure. For the notes of a report: see `savings_notes`."""
    return _savings_by_facility(as_of)


@dataclass(frozen=True)
class SavingsNotes:
    """What a report says of T3's conversion to TOE: the factors the comparisons used (each
    with the number of facilities converted with it), and per energy resource the number of
    facilities whose energy saving, and so T3 figure, is missing for want of a factor."""

    factors: list[tuple[UsedFactor, int]]
    lacking: list[tuple[Resource, int]]


def savings_notes(comparisons: dict[int, FacilitySavings]) -> SavingsNotes:
    factors: dict[int, tuple[UsedFactor, int]] = {}
    lacking: dict[int, tuple[Resource, int]] = {}
    for result in comparisons.values():
        for used in result.factors:
            known = factors.get(used.factor.pk)
            factors[used.factor.pk] = (used, known[1] + 1 if known else 1)
        for resource in result.missing_factors:
            missing = lacking.get(resource.pk)
            lacking[resource.pk] = (resource, missing[1] + 1 if missing else 1)

    def order(resource: Resource) -> tuple[int, str, int]:
        return (resource.rank, resource.name, resource.pk or 0)

    return SavingsNotes(
        factors=sorted(
            factors.values(),
            key=lambda item: (*order(item[0].resource), item[0].factor.valid_from),
        ),
        lacking=sorted(lacking.values(), key=lambda item: order(item[0])),
    )


# T3 as the reports, the workbook, the dashboard and the README print it: written once here.
# The decisions behind it are in `assessments.savings` (like periods, one factor per comparison)
# and in `_savings_figure` (the median, the shares out of the applying facilities).
T3_DEFINITION = _(
    "T3 – tiết kiệm năng lượng và nguyên vật liệu trên đơn vị sản phẩm. Mỗi cơ sở so sánh một kỳ "
    "đủ một năm với năm cơ sở: báo cáo năm gần nhất sau năm cơ sở, hoặc bốn quý liên tiếp gần "
    "nhất sau năm cơ sở (cộng dồn tiêu thụ và sản lượng) nếu kết thúc muộn hơn; chỉ dùng số liệu "
    "đã duyệt đang có hiệu lực. Mức tiết kiệm = (suất tiêu hao năm cơ sở − suất tiêu hao kỳ so "
    "sánh) / suất tiêu hao năm cơ sở. Số liệu của cơ sở là trung bình cộng của mức tiết kiệm "
    "năng lượng (quy đổi TOE; năm cơ sở và kỳ so sánh dùng cùng hệ số quy đổi, hệ số có hiệu "
    "lực ngày cuối kỳ so sánh) và mức tiết kiệm nguyên vật liệu chính; thiếu một trong hai thì cơ "
    "sở không có số liệu. T3 là trung vị số liệu của các cơ sở đang áp dụng SXSH có số liệu; "
    "tỷ lệ đạt mức tối thiểu, mức phấn đấu tính trên tổng số cơ sở đang áp dụng SXSH (như T2). "
    "Tiết kiệm nước chỉ để tham khảo, không tính vào T3."
)


# Every indicator's definition as the reports and the README print it (numerator, denominator,
# the as-of rule), written once here; T3's is above. The engine computes exactly this.
DEFINITIONS = {
    "T1": _(
        "T1 – tỷ lệ cơ sở nhận thức về SXSH. Tử số: cơ sở trong mẫu số đã tham gia hoạt động "
        "tuyên truyền, hướng dẫn tổ chức đến ngày số liệu và đã xác nhận nhận thức đến ngày đó. "
        "Mẫu số: cơ sở sản xuất công nghiệp thuộc phạm vi kế hoạch đang hoạt động tại ngày số "
        "liệu."
    ),
    "T2": _(
        "T2 – tỷ lệ cơ sở áp dụng SXSH. Tử số: cơ sở trong mẫu số có ít nhất một giải pháp đã "
        "thực hiện và được kiểm chứng đến ngày số liệu: giải pháp của một cuộc đánh giá được Sở "
        "kiểm chứng, hoặc giải pháp trong báo cáo định kỳ đã duyệt đang có hiệu lực tại ngày đó "
        "(giải pháp bị bản sửa đã duyệt loại bỏ thì không tính). Mẫu số: như T1."
    ),
    "T3": T3_DEFINITION,
    "T4": _(
        "T4 – tỷ lệ cơ sở có bộ phận chuyên trách SXSH. Tử số: cơ sở trong mẫu số có bộ phận "
        "chuyên trách thành lập đến ngày số liệu và chưa giải thể. Mẫu số: như T1."
    ),
    "T5": _(
        "T5 – tỷ lệ cán bộ chuyên trách SXSH được đào tạo, tập huấn. Tử số: cán bộ trong mẫu số "
        "đã hoàn thành một khóa đào tạo đạt yêu cầu kết thúc đến ngày số liệu. Mẫu số: cán bộ "
        "được giao chuyên trách SXSH tại ngày số liệu."
    ),
    "A1": _(
        "A1 – số dự án SXSH được hỗ trợ từ ngân sách tỉnh trong năm: dự án của năm báo cáo có "
        "nguồn ngân sách tỉnh, được phê duyệt đến ngày số liệu (kể cả đang thực hiện, đã hoàn "
        "thành)."
    ),
    "A2": _(
        "A2 – số mô hình SXSH đề nghị Bộ Công Thương hỗ trợ trong năm: đề xuất gửi trong năm "
        "báo cáo đến ngày số liệu, dù kết quả thế nào."
    ),
    "A3": _(
        "A3 – số cuộc đánh giá nhanh SXSH được hỗ trợ trong năm: cuộc đánh giá nhanh do chương "
        "trình hỗ trợ kinh phí (ngân sách tỉnh, trung ương hoặc nhà tài trợ), hoàn thành trong "
        "năm báo cáo đến ngày số liệu; các cuộc đang thực hiện được nêu riêng."
    ),
    "A4": _(
        "A4 – số cuộc đánh giá chi tiết, tư vấn SXSH được hỗ trợ trong năm: như A3, với đánh "
        "giá chi tiết."
    ),
}
ROUNDING_NOTE = _(
    "Tỷ lệ và mức tiết kiệm được làm tròn một chữ số thập phân (từ 5 trở lên làm tròn lên); "
    "kết quả so với mục tiêu xét trên số chưa làm tròn."
)
STATUS_NOTE = _(
    "Khi năm mốc của mục tiêu (với A1–A4: năm báo cáo) đã kết thúc, kết quả là Đạt hoặc Không "
    "đạt; trước đó là Đạt (đã đạt mức tối thiểu), Đúng tiến độ (không thấp hơn tiến độ tuyến "
    "tính từ đầu kế hoạch đến mức tối thiểu vào cuối năm mốc) hoặc Chậm tiến độ."
)


def t3_coverage(figure: Figure) -> str:
    """The coverage line ("7 of 16 applying facilities have a savings figure") of a T3 figure."""
    return str(_("%(count)s trên %(applying)s cơ sở đang áp dụng SXSH có số liệu tiết kiệm")) % {
        "count": figure.extra.get("facilities_with_figure", 0),
        "applying": figure.extra.get("applying_facilities", figure.denominator or 0),
    }


# --- the counting ---------------------------------------------------------------------------


def _targets(plan: Plan, as_of: datetime.date) -> dict[str, Target]:
    """Each indicator's band for the nearest milestone year not before `as_of`, else the latest."""
    chosen: dict[str, Target] = {}
    for target in plan.targets.all():
        current = chosen.get(target.indicator)
        if current is None or _closer(target.milestone_year, current.milestone_year, as_of.year):
            chosen[target.indicator] = target
    return chosen


def _closer(candidate: int, current: int, year: int) -> bool:
    if candidate >= year and current >= year:
        return candidate < current
    if candidate >= year or current >= year:
        return candidate >= year
    return candidate > current  # both past: the latest


# The rules are written once, in the apps that own the facts (aware_q, cp_unit_q in
# facilities, applying_q in assessments). Counting every facility uses their "IN (one
# uncorrelated subquery)" form: both databases then read each source table once instead of
# probing it per facility.


def with_programme_flags(facilities: FacilityQuerySet, day: datetime.date) -> FacilityQuerySet:
    """is_aware, is_applying and has_cp_unit on `day` for each row, in the rows' own query (a
    page or an export of rows: each asked with an index lookup)."""
    return facilities.annotate(
        is_aware=aware_q(day, per_row=True),
        is_applying=applying_q(day, per_row=True),
        has_cp_unit=cp_unit_q(day, per_row=True),
    )


def _facility_count_expressions(day: datetime.date) -> dict[str, Count]:
    return {
        "denominator": Count("pk"),
        "aware": Count("pk", filter=aware_q(day)),
        "applying": Count("pk", filter=applying_q(day)),
        "cp_unit": Count("pk", filter=cp_unit_q(day)),
    }


def _facility_counts(day: datetime.date) -> dict[str, int]:
    """T1, T2 and T4 numerators and their common denominator, in one query."""
    return Facility.objects.in_denominator_on(day).aggregate(**_facility_count_expressions(day))


def _facility_counts_by(day: datetime.date, group: str) -> dict[int | None, dict[str, int]]:
    rows = (
        Facility.objects.in_denominator_on(day)
        .order_by()
        .values(group)
        .annotate(**_facility_count_expressions(day))
    )
    return {row.pop(group): row for row in rows}


def _official_counts(day: datetime.date) -> dict[str, int]:
    """T5: officials dedicated on `day`, and those of them who completed a qualifying course
    that had ended by then (whenever they became dedicated)."""
    trained = CourseParticipant.objects.filter(
        official=OuterRef("pk"),
        completed=True,
        course__qualifies_for_t5=True,
        course__ends_on__lte=day,
    )
    return Official.objects.filter(
        Q(dedicated_from__lte=day), Q(dedicated_to__isnull=True) | Q(dedicated_to__gte=day)
    ).aggregate(dedicated=Count("pk"), trained=Count("pk", filter=Exists(trained)))


def _year_so_far(year: int, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days of `year` known by the end of `day`: all of it once `day` is past its end."""
    return datetime.date(year, 1, 1), min(day, datetime.date(year, 12, 31))


def _project_counts(day: datetime.date, year: int) -> dict[str, int]:
    """A1: provincial projects of `year` approved by `day`; A2: models proposed to the
    Ministry in `year`, by `day` (a proposal counts when it is made, whatever the answer)."""
    Funding, Progress = SupportProject.Funding, SupportProject.Status
    start, end = _year_so_far(year, day)
    approved = [Progress.APPROVED, Progress.IN_PROGRESS, Progress.COMPLETED]
    provincial = Q(funding=Funding.PROVINCIAL, year=year, status__in=approved) & (
        # A project recorded without its approval date counts from the start of its year.
        Q(approved_on__lte=day) | Q(approved_on__isnull=True)
    )
    central = Q(funding=Funding.CENTRAL) & (
        Q(proposed_on__gte=start, proposed_on__lte=end)
        # Likewise a proposal without its date counts in the year it is recorded for.
        | Q(proposed_on__isnull=True, year=year)
    )
    return SupportProject.objects.aggregate(
        A1=Count("pk", filter=provincial), A2=Count("pk", filter=central)
    )


def _assessment_count_expressions(day: datetime.date, year: int) -> dict[str, Count]:
    """A3/A4: assessments the programme supported (`Assessment.objects.supported()`) and
    completed in `year` by `day`; beside them (A3+, A4+) those started in the year by then
    and not completed by `day`, which the reports show as in progress."""
    start, end = _year_so_far(year, day)
    completed = Q(
        status=Assessment.Status.COMPLETED, completed_on__gte=start, completed_on__lte=end
    )
    running = Q(started_on__gte=start, started_on__lte=end) & ~Q(
        status=Assessment.Status.COMPLETED, completed_on__lte=day
    )
    quick, detailed = Q(kind=Assessment.Kind.QUICK), Q(kind=Assessment.Kind.DETAILED)
    return {
        "A3": Count("pk", filter=completed & quick),
        "A4": Count("pk", filter=completed & detailed),
        "A3+": Count("pk", filter=running & quick),
        "A4+": Count("pk", filter=running & detailed),
    }


def _assessment_counts(day: datetime.date, year: int) -> dict[str, int]:
    return Assessment.objects.supported().aggregate(**_assessment_count_expressions(day, year))


def _assessment_counts_by(
    day: datetime.date, year: int, group: str
) -> dict[int | None, dict[str, int]]:
    rows = (
        Assessment.objects.supported()
        .order_by()
        .values(group)
        .annotate(**_assessment_count_expressions(day, year))
    )
    return {row.pop(group): row for row in rows if row["A3"] or row["A4"]}


def _savings_by_facility(day: datetime.date) -> dict[int, FacilitySavings]:
    """Facility pk → its T3 comparison on `day`, for applying facilities that have a like
    period to compare (whether or not it gives a T3 figure: see `FacilitySavings.combined`).

    The same choice as `assessments.savings.facility_savings(facility, on=day)` (the same
    `compared_reports` and `compare`), with the reports in force on `day` instead of today: for
    each period the latest version approved by the end of `day`, so a correction approved later
    does not change a past figure. Five queries however many facilities.
    """
    # The baseline of the latest detailed assessment completed by `day` (baseline_for(on=day)),
    # of the facilities in the denominator. Whether they apply CP is asked per baseline (a few
    # in a hundred facilities have one), not of every facility again.
    assessed = Assessment.objects.filter(
        facility__in=Facility.objects.in_denominator_on(day).values("pk"),
        kind=Assessment.Kind.DETAILED,
        status=Assessment.Status.COMPLETED,
        completed_on__lte=day,
        baseline__isnull=False,
    )
    baselines: dict[int, Baseline] = {}
    for pk, facility_id, year, output, unit in (
        Baseline.objects.filter(assessment__in=assessed)
        .filter(applying_q(day, facility="assessment__facility_id", per_row=True))
        .order_by("-assessment__completed_on", "-assessment_id")
        .values_list("pk", "assessment__facility_id", "year", "output", "output_unit")
    ):
        if facility_id not in baselines:
            # Unsaved stand-ins with what compare() reads: rows are cheaper than instances.
            baselines[facility_id] = Baseline(pk=pk, year=year, output=output, output_unit=unit)
    if not baselines:
        return {}
    chosen = _reports_compared(baselines, day)
    if not chosen:
        return {}
    # The lines of the baselines and of the chosen reports in one query, as light rows (a
    # prefetch would build a queryset per baseline, and a model instance per line costs more
    # than the arithmetic done with it).
    resources: dict[int, Resource] = {}
    lines: dict[tuple[str, int], list[_Line]] = defaultdict(list)
    baseline_part = (
        BaselineConsumption.objects.filter(
            baseline_id__in=[baselines[facility_id].pk for facility_id in chosen]
        )
        .annotate(side=Value("baseline"), owner=F("baseline_id"))
        .values_list("side", "owner", *_LINE_FIELDS)
    )
    report_part = (
        SelfReportConsumption.objects.filter(
            report_id__in=[report.pk for reports in chosen.values() for report in reports]
        )
        .annotate(side=Value("report"), owner=F("report_id"))
        .values_list("side", "owner", *_LINE_FIELDS)
    )
    for side, owner, *line in baseline_part.union(report_part, all=True):
        lines[(side, owner)].append(_line(line, resources))

    factors = factor_table()
    comparisons: dict[int, FacilitySavings] = {}
    for facility_id, reports in chosen.items():
        baseline = baselines[facility_id]
        comparisons[facility_id] = compare(
            baseline,
            lines[("baseline", baseline.pk)],  # type: ignore[arg-type]  # what compare() reads
            reports,
            [line for report in reports for line in lines[("report", report.pk)]],  # type: ignore[misc]
            factors,
        )
    return comparisons


class _Line(NamedTuple):
    """A consumption line of a baseline or a report, with just what compare() reads."""

    resource_id: int
    quantity: Decimal
    resource: Resource


# A line's quantity and its resource, read with it (no query of their own).
_LINE_FIELDS = (
    "resource_id",
    "quantity",
    "resource__code",
    "resource__name",
    "resource__unit",
    "resource__kind",
    "resource__rank",
)


def _line(values: list[Any], resources: dict[int, Resource]) -> _Line:
    resource_id, quantity, code, name, unit, kind, rank = values
    if resource_id not in resources:
        resources[resource_id] = Resource(
            pk=resource_id, code=code, name=name, unit=unit, kind=kind, rank=rank
        )
    return _Line(resource_id, quantity, resources[resource_id])


# A report as read for the choice: pk, facility, kind, year, quarter, output, unit.
_ReportRow = tuple[int, int, str, int, int | None, Decimal | None, str]


def _reports_compared(
    baselines: dict[int, Baseline], day: datetime.date
) -> dict[int, list[SelfReport]]:
    """Per facility, the reports facility_savings() would compare with its baseline on `day`:
    `compared_reports`' like period (a year report, or four consecutive quarters) among the
    reports in force that day (`SelfReport.objects.in_force(on=day)`); none when a report of
    it counts output in another unit than the baseline.

    Only the facilities with a baseline are read (a few in a hundred: their ids go in the
    query), as plain tuples, and only the chosen reports become (never saved) SelfReports: one
    query, and little Python, however many reports the facilities have.
    """
    by_facility: dict[int, dict[tuple[str, int, int | None], _ReportRow]] = defaultdict(dict)
    for row in (
        SelfReport.objects.in_force(on=day)
        .filter(
            facility_id__in=list(baselines),
            year__gt=min(baseline.year for baseline in baselines.values()),
            year__lte=day.year,
        )
        .order_by()
        .values_list("pk", "facility_id", "period_kind", "year", "quarter", "output", "output_unit")
    ):
        _pk, facility_id, kind, year, quarter, *_rest = row
        by_facility[facility_id][(kind, year, quarter)] = row
    chosen = {}
    for facility_id, periods in by_facility.items():
        baseline = baselines[facility_id]
        rows = compared_reports(periods, baseline_year=baseline.year, day=day)
        if not rows or any(row[6] != baseline.output_unit for row in rows):
            continue
        chosen[facility_id] = [
            SelfReport(
                pk=pk,
                facility_id=facility_id,
                period_kind=kind,
                year=year,
                quarter=quarter,
                output=output,
                output_unit=unit,
                status=SelfReport.Status.APPROVED,
            )
            for pk, facility_id, kind, year, quarter, output, unit in rows
        ]
    return chosen


# --- figures and their status ---------------------------------------------------------------


def _label(code: str) -> str:
    return str(Indicator(code).label)


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    return Decimal(numerator) / Decimal(denominator) if denominator else None


def _band(target: Target | None) -> dict[str, Decimal | int | None]:
    if target is None:
        return {"floor": None, "stretch": None, "milestone_year": None}
    return {
        "floor": target.floor,
        "stretch": target.stretch,
        "milestone_year": target.milestone_year,
    }


def _share_figure(
    code: str,
    numerator: int,
    denominator: int,
    target: Target | None,
    plan: Plan,
    as_of: datetime.date,
) -> Figure:
    value = _ratio(numerator, denominator)
    return Figure(
        indicator=code,
        label=_label(code),
        value=value,
        numerator=numerator,
        denominator=denominator,
        status=_level_status(value, target, plan, as_of),
        **_band(target),
    )


def _facility_shares(
    counts: dict[str, int], targets: dict[str, Target], plan: Plan, as_of: datetime.date
) -> dict[str, Figure]:
    return {
        code: _share_figure(
            code, counts[count], counts["denominator"], targets.get(code), plan, as_of
        )
        for code, count in FACILITY_SHARES.items()
    }


def _savings_figure(
    comparisons: list[FacilitySavings],
    applying: int,
    target: Target | None,
    plan: Plan,
    as_of: datetime.date,
) -> Figure:
    """T3 (see T3_DEFINITION): the median of the facilities' figures, against the band.

    `comparisons` are the applying facilities' like-period comparisons, `applying` the number
    of applying facilities (T2's numerator, for the same facilities). The value is the median of
    the facilities that have a figure; the count reaching the floor (the figure's numerator) and
    the shares reaching the floor and the stretch are out of ALL applying facilities (the
    figure's denominator), as the plan reads "at applying facilities": a facility without a
    figure does not reach the floor. The coverage (facilities with a figure of the applying
    ones) is its own number, beside the resource-level medians of energy (TOE), water and main
    material, each over the facilities that have that saving, and the number of facilities
    whose energy saving is missing for want of a TOE factor.
    """
    figures = [c.combined for c in comparisons if c.combined is not None]
    median = _median(figures)
    reaching_floor = reaching_stretch = None
    if target is not None:
        reaching_floor = sum(1 for s in figures if s >= target.floor)
        reaching_stretch = sum(1 for s in figures if s >= target.stretch)
    energy = [c.energy.saving for c in comparisons if c.energy and c.energy.saving is not None]
    water = [c.water for c in comparisons if c.water is not None]
    material = [c.material for c in comparisons if c.material is not None]

    def share(count: int | None) -> Decimal | None:
        return _ratio(count, applying) if count is not None else None

    return Figure(
        indicator="T3",
        label=_label("T3"),
        value=median,
        numerator=reaching_floor,
        denominator=applying,
        status=_level_status(median, target, plan, as_of),
        extra={
            "median": median,
            "share_reaching_floor": share(reaching_floor),
            "share_reaching_stretch": share(reaching_stretch),
            "facilities_with_figure": len(figures),
            "applying_facilities": applying,
            "coverage": _ratio(len(figures), applying),
            "reaching_floor": reaching_floor,
            "reaching_stretch": reaching_stretch,
            "median_energy": _median(energy),
            "facilities_with_energy": len(energy),
            "median_water": _median(water),
            "facilities_with_water": len(water),
            "median_material": _median(material),
            "facilities_with_material": len(material),
            "facilities_lacking_factor": sum(1 for c in comparisons if c.missing_factors),
        },
        **_band(target),
    )


def _count_figure(
    code: str,
    count: int,
    target: Target | None,
    as_of: datetime.date,
    year: int,
    in_progress: int | None = None,
) -> Figure:
    return Figure(
        indicator=code,
        label=_label(code),
        value=Decimal(count),
        numerator=count,
        denominator=None,
        status=_count_status(count, target, as_of, year),
        extra={} if in_progress is None else {"in_progress": in_progress},
        year=year,
        **_band(target),
    )


def _median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _level_status(
    value: Decimal | None, target: Target | None, plan: Plan, as_of: datetime.date
) -> str:
    """A share or a saving against its milestone band, decided on the unrounded value.

    At or above the floor: met once the milestone year has come, on track before. Below it,
    while the milestone year has not ended: on track if the value keeps pace with a straight
    line from nothing at the start of the plan to the floor at the end of the milestone year
    (a line, so the status does not jump between two days with the same data), else behind.
    Once the milestone year has ended: not met.
    """
    if value is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    if value >= target.floor:
        return Status.MET if as_of.year >= target.milestone_year else Status.ON_TRACK
    end = datetime.date(target.milestone_year, 12, 31)
    if as_of >= end:
        return Status.NOT_MET
    start = datetime.date(plan.start_year, 1, 1)
    return Status.ON_TRACK if value >= target.floor * _elapsed(start, end, as_of) else Status.BEHIND


def _count_status(count: int, target: Target | None, as_of: datetime.date, year: int) -> str:
    """A yearly count of `year` against its floor: met once reached; while the year runs, on
    track if it keeps pace with the days gone by, else behind; once the year is over (31/12),
    not met."""
    if target is None:
        return Status.NO_TARGET
    if count >= target.floor:
        return Status.MET
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if as_of >= end:
        return Status.NOT_MET
    return Status.ON_TRACK if count >= target.floor * _elapsed(start, end, as_of) else Status.BEHIND


def _elapsed(start: datetime.date, end: datetime.date, day: datetime.date) -> Decimal:
    """The share of the days from `start` to `end` (both whole) gone by at the end of `day`,
    between 0 and 1."""
    total = (end - start).days + 1
    if total <= 0:
        return Decimal(1)
    gone = (day - start).days + 1
    return min(max(Decimal(gone) / Decimal(total), Decimal(0)), Decimal(1))


# --- breakdown groups -----------------------------------------------------------------------


def _groups(by: str, ids: set[int | None]) -> list[tuple[int | None, str, str]]:
    """(pk, key, label) of each group, in the order of their codes (size classes by rank).

    The key is the code for sectors and size classes, and the pk for areas: a unit's code can
    come back with another validity period.
    """
    known = [pk for pk in ids if pk is not None]
    groups: list[tuple[int | None, str, str]]
    if by == "area":
        units = AdministrativeUnit.objects.filter(pk__in=known).order_by("code", "valid_from")
        groups = [(unit.pk, str(unit.pk), unit.name) for unit in units]
    elif by == "sector":
        sectors = Sector.objects.filter(pk__in=known).order_by("code")
        groups = [(sector.pk, sector.code, f"{sector.code} – {sector.name}") for sector in sectors]
    else:
        sizes = SizeClass.objects.filter(pk__in=known).order_by("rank")
        groups = [(size.pk, size.code, size.name) for size in sizes]
    if None in ids:
        # A facility whose sector has no parent (a level-1 or level-2 code entered directly).
        groups.append((None, "", str(_("Chưa xác định"))))
    return groups
