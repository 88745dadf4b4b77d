"""Figures → plain dataclasses: one snapshot of a report that the PDF and the workbook both render.

The snapshot is taken from the indicator engine as of the report's date, and from the source
records of the programme's activities in the report's period; the parts staff write come with
it, or the drafts `drafting.py` writes from it. `pdf.py` and `excel.py` read
only these dataclasses; the one list that can be long (the facility annex) is a re-iterable
that streams its rows from the database each time it is read, so memory stays flat at the
national scale.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from assessments.energy import programme_savings
from assessments.models import Assessment, SelfReport
from assessments.services import completeness
from facilities.models import AdministrativeUnit, OutreachActivity, unit_on
from programs.models import AgencyTask, Award, Course, Plan, SupportProject
from reporting import drafting, indicators
from reporting.models import (
    AreaGrouping,
    Audience,
    PeriodBasis,
    ReportSettings,
    lines,
    period_bounds,
    period_label,
)
from reporting.snapshot import (
    DATE,
    DECIMAL,
    INT,
    RATIO,
    SECTION_KEYS,
    TEXT,
    Column,
    LateTask,
    Snapshot,
    SummaryRow,
    Table,
)

# The plan to 2020's facility indicators, whose breakdown table keeps its named columns.
PLAN_2020_GROUP_CODES = ("T1", "T2", "T3", "T4", "A3", "A4")
SAVINGS = indicators.Kind.SAVINGS

Progress = Callable[[int, str], None]


def with_area_on(rows: QuerySet[Any], day: datetime.date, through: str = "") -> QuerySet[Any]:
    """`area_code` and `area_name` of the area each row's facility (reached by `through`) was
    in on `day` (`unit_on`): a 2020 report names the districts of 2020, a 2026 one the communes."""
    area = AdministrativeUnit.objects.filter(pk=OuterRef("area_on_day"))
    return rows.annotate(area_on_day=unit_on(day, through=through)).annotate(
        area_code=Subquery(area.values("code")[:1]),
        area_name=Subquery(area.values("name")[:1]),
    )


class FacilityRows:
    """The annex rows, read from the database in chunks each time they are iterated."""

    def __init__(self, queryset: Any, savings: dict[int, Decimal]) -> None:
        self.queryset = queryset
        self.savings = savings

    def __iter__(self) -> Iterator[list[Any]]:
        rows = self.queryset.values_list(
            "pk",
            "name",
            "area_name",
            "sector__code",
            "sector__name",
            "size_class__name",
            "is_aware",
            "is_applying",
            "has_cp_unit",
        )
        yes, no = _("Có"), _("Không")
        for number, row in enumerate(rows.iterator(chunk_size=2000), start=1):
            pk, name, area, code, sector, size, aware, applying, unit = row
            yield [
                number,
                name,
                area,
                f"{code} {sector}",
                size,
                yes if aware else no,
                yes if applying else no,
                yes if unit else no,
                self.savings.get(pk),
            ]


@indicators.one_reading()
def build(
    plan: Plan,
    *,
    year: int,
    quarter: int,
    audience: str,
    as_of: datetime.date | None = None,
    basis: str = PeriodBasis.CALENDAR,
    progress: Progress | None = None,
    texts: dict[str, str] | None = None,
    area_grouping: str = AreaGrouping.UNIT_ON_DATE,
) -> Snapshot:
    """The snapshot of `plan`'s report for a quarter (1–4) or a year (0), calendar or cut as
    Decree 09/2019 says (`basis`), as of `as_of` (the period's last day unless given). `texts`
    are the parts staff wrote (by `snapshot.SECTION_KEYS`); a part left empty gets the draft
    `drafting.draft` writes from the figures."""
    step = progress or (lambda percent, label: None)
    start, end = period_bounds(year, quarter, basis)
    as_of = as_of or end
    detailed = audience == Audience.PROVINCE

    step(5, _("Tính các chỉ tiêu"))
    # The period's activities: its days known by the data date.
    until = min(end, as_of)
    figures = indicators.compute(plan, as_of=as_of, year=year)
    summary = [summary_row(figure) for figure in figures.values()]

    step(20, _("Tính theo năm"))
    trend = _trend(indicators.compute_by(plan, as_of=as_of, by="period"))

    step(35, _("Tính theo địa bàn và ngành"))
    tables = []
    if detailed:
        # By the unit each facility was in on the data date, or by the former districts.
        tables.append(_by_group("by_area", _("Theo địa bàn"), plan, as_of, year, area_grouping))
    tables.append(_by_group("by_sector", _("Theo ngành"), plan, as_of, year, "sector"))
    savings = [figure for figure in figures.values() if figure.kind == SAVINGS]
    if savings:
        tables += _savings_tables(savings[0], as_of)
    if not quarter:
        # The annual report says what the programme's measures saved: VND, TOE and tCO₂e.
        tables += _programme_savings(year, as_of)

    step(50, _("Tổng hợp các hoạt động"))
    tables += [
        _outreach(start, until, detailed),
        _assessments(start, until),
        _projects(year, quarter, start, until),
        _training(start, until),
    ]
    if not quarter:
        # Awards carry only their year: the annual report lists them.
        tables.append(_awards(year))
    tables.append(_tasks(plan, as_of))
    counts = {table.key: len(table.rows) for table in tables if isinstance(table.rows, list)}

    step(60, _("Lập danh sách cơ sở"))
    tables.append(_facility_annex(as_of, detailed))

    local_today = timezone.localdate()
    heading = ReportSettings.objects.for_audience(audience)
    snapshot = Snapshot(
        plan_name=plan.name,
        plan_reference=plan.reference,
        year=year,
        quarter=quarter,
        period_label=period_label(year, quarter),
        period_start=start,
        period_end=end,
        basis=basis,
        audience=audience,
        audience_label=str(Audience(audience).label),
        as_of=as_of,
        generated_on=local_today,
        issuer=lines(heading.issuing_body),
        recipients=lines(heading.addressees),
        copies_to=lines(heading.copies_to),
        archive=heading.archive,
        symbol=heading.symbol,
        place=heading.place,
        signer_title=lines(heading.signer_title),
        signer_name=heading.signer_name,
        summary=summary,
        trend=trend,
        tables=tables,
        activity_counts=counts,
        t3_summary=_t3_summary(savings[0]) if savings else "",
        # A savings indicator's definition heads its own table (see _savings_tables).
        definitions=[
            *(figure.definition for figure in figures.values() if figure.kind != SAVINGS),
            str(indicators.ROUNDING_NOTE),
            str(indicators.STATUS_NOTE),
        ],
        late_tasks=_late_tasks(plan, as_of),
        area_grouping=str(AreaGrouping(area_grouping).label) if detailed else "",
        reporting=_reporting(year, quarter),
    )
    snapshot.drafts = drafting.draft(snapshot)
    written = {key: (texts or {}).get(key, "").strip() for key in SECTION_KEYS}
    snapshot.sections = {key: written[key] or snapshot.drafts[key] for key in SECTION_KEYS}
    return snapshot


def _late_tasks(plan: Plan, as_of: datetime.date) -> list[LateTask]:
    """The agencies' tasks due by the data date and not done, by their latest update."""
    tasks = (
        plan.tasks.filter(due_on__lte=as_of)
        .exclude(status=AgencyTask.Status.DONE)
        .select_related("agency")
        .order_by("due_on", "agency__name", "pk")
    )
    return [LateTask(t.agency.name, t.title, t.due_on, t.progress) for t in tasks]


def _reporting(year: int, quarter: int) -> tuple[int, int, int] | None:
    """The facilities' reports owed for the period: (expected, received, on time)."""
    kind = SelfReport.PeriodKind.QUARTER if quarter else SelfReport.PeriodKind.YEAR
    counts = completeness(kind, year, quarter or None)
    return (counts.expected, counts.received, counts.on_time) if counts.expected else None


def summary_row(figure: indicators.Figure) -> SummaryRow:
    return SummaryRow(
        code=figure.indicator,
        name=figure.name,
        kind=INT if figure.is_count else RATIO,
        value=figure.value,
        numerator=figure.numerator,
        denominator=figure.denominator,
        floor=figure.floor,
        stretch=figure.stretch,
        milestone_year=figure.milestone_year,
        status=figure.status,
        status_label=str(indicators.Status(figure.status).label),
        parts_label=parts_label(figure),
    )


def parts_label(figure: indicators.Figure) -> str:
    """What a figure's numerator / denominator count, as the report's tables head them. The one
    place that says it: keep it in step with `indicators.Figure` (a savings figure counts the
    facilities reaching the floor among the facilities applying CP; T5 counts officials)."""
    if figure.is_count:
        return ""  # counts have no denominator
    if figure.kind == SAVINGS:
        return _("Số cơ sở đạt mức tối thiểu / đang áp dụng SXSH")
    if figure.kind == indicators.Kind.OFFICIALS_TRAINED:
        return _("Số cán bộ / tổng")
    if figure.kind == indicators.Kind.PLACES_REACHED:
        return _("Số khu, cụm, làng nghề / tổng")
    return _("Số cơ sở / tổng")


def _t3_summary(figure: indicators.Figure) -> str:
    """The line under the summary table: T3's coverage and who reaches its band."""
    text = indicators.t3_coverage(figure) + "."
    if figure.numerator is not None:
        text += " " + _(
            "Đạt mức tối thiểu: %(floor)s cơ sở; đạt mức phấn đấu: %(stretch)s cơ sở."
        ) % {
            "floor": figure.extra["reaching_floor"],
            "stretch": figure.extra["reaching_stretch"],
        }
    return f"{figure.indicator}: {text} " + _(
        "Số liệu %(code)s theo loại tài nguyên: bảng tiếp theo; cách tính: Phụ lục I."
    ) % {"code": figure.indicator}


def _savings_tables(figure: indicators.Figure, as_of: datetime.date) -> list[Table]:
    """T3 with its definition, its coverage, the median savings per kind of resource beside
    it, and the TOE conversion factors its comparisons used (and those missing)."""
    extra = figure.extra
    applying = extra["applying_facilities"]
    rows: list[list[Any]] = [
        [
            _("T3: năng lượng và nguyên vật liệu chính"),
            extra["median"],
            extra["facilities_with_figure"],
            applying,
        ],
        [
            _("Năng lượng (quy đổi TOE)"),
            extra["median_energy"],
            extra["facilities_with_energy"],
            applying,
        ],
        [
            _("Nguyên liệu chính"),
            extra["median_material"],
            extra["facilities_with_material"],
            applying,
        ],
        [
            _("Nước (tham khảo, không tính vào T3)"),
            extra["median_water"],
            extra["facilities_with_water"],
            applying,
        ],
    ]
    notes = indicators.savings_notes(indicators.savings_comparisons(as_of))
    note = [figure.definition, indicators.t3_coverage(figure) + "."]
    if figure.numerator is not None:
        note.append(
            _(
                "Đạt mức tối thiểu: %(floor)s/%(applying)s cơ sở đang áp dụng SXSH; đạt mức phấn "
                "đấu: %(stretch)s/%(applying)s."
            )
            % {
                "floor": extra["reaching_floor"],
                "stretch": extra["reaching_stretch"],
                "applying": applying,
            }
        )
    for resource, count in notes.lacking:
        note.append(
            _(
                "%(count)s cơ sở thiếu hệ số quy đổi TOE cho %(resource)s tại ngày cuối kỳ so "
                "sánh: các cơ sở này không có số liệu tiết kiệm năng lượng và không có số liệu T3."
            )
            % {"count": count, "resource": resource.name}
        )
    savings = Table(
        key="savings",
        title=_("T3 – tiết kiệm trên đơn vị sản phẩm, theo loại tài nguyên"),
        columns=[
            Column(_("Chỉ số"), TEXT, 40),
            Column(_("Tiết kiệm (trung vị)"), RATIO, 14),
            Column(_("Số cơ sở có số liệu"), INT, 14),
            Column(_("Số cơ sở đang áp dụng SXSH"), INT, 14),
        ],
        rows=rows,
        note=" ".join(note),
    )
    factors = Table(
        key="toe_factors",
        title=_("Hệ số quy đổi TOE dùng cho T3"),
        columns=[
            Column(_("Loại năng lượng"), TEXT, 20),
            Column(_("Hệ số"), TEXT, 12),
            Column(_("Đơn vị"), TEXT, 14),
            Column(_("Căn cứ pháp lý"), TEXT, 46),
            Column(_("Hiệu lực từ"), DATE, 12),
            Column(_("Số cơ sở"), INT, 9),
        ],
        rows=[
            [
                used.resource.name,
                number_format(Decimal(format(used.toe_per_unit.normalize(), "f"))),
                f"TOE/{used.resource.unit}",
                used.factor.source,
                used.factor.valid_from,
                count,
            ]
            for used, count in notes.factors
        ],
        note=_(
            "Mỗi cơ sở quy đổi năm cơ sở và kỳ so sánh bằng cùng một hệ số: hệ số có hiệu lực "
            "ngày cuối kỳ so sánh, để một hệ số mới không bị tính thành tiết kiệm."
        ),
    )
    return [savings, factors]


def _programme_savings(year: int, as_of: datetime.date) -> list[Table]:
    savings = programme_savings(year, on=as_of)
    note = " ".join([savings.method, *savings.warnings])
    totals = Table(
        key="programme_savings",
        title=_("Kết quả tiết kiệm của các giải pháp SXSH năm %(year)s") % {"year": year},
        columns=[
            Column(_("Nội dung"), TEXT, 60),
            Column(_("Giá trị"), DECIMAL, 18),
            Column(_("Đơn vị"), TEXT, 12),
        ],
        rows=[
            [_("Tiết kiệm bằng tiền của các giải pháp đã kiểm chứng"), savings.vnd_options, "đồng"],
            [
                _("Tiết kiệm bằng tiền của các giải pháp cơ sở báo cáo"),
                savings.vnd_measures,
                "đồng",
            ],
            [_("Tổng tiết kiệm bằng tiền"), savings.vnd, "đồng"],
            [_("Năng lượng tiết kiệm theo giải pháp đã kiểm chứng"), savings.toe_declared, "TOE"],
            [_("Năng lượng tiết kiệm đo trên số liệu"), savings.toe_measured, "TOE"],
            [_("Phát thải khí nhà kính tránh được"), savings.tco2e, "tCO₂e"],
            [_("Số cơ sở có số liệu đo"), savings.facilities_measured, _("cơ sở")],
        ],
        note=note,
    )
    factors = Table(
        key="emission_factors",
        title=_("Hệ số phát thải dùng để tính phát thải tránh được"),
        columns=[
            Column(_("Loại năng lượng"), TEXT, 24),
            Column(_("Hệ số (tCO₂e/đơn vị)"), TEXT, 16),
            Column(_("Căn cứ"), TEXT, 50),
            Column(_("Hiệu lực từ"), DATE, 12),
            Column(_("Đã đối chiếu văn bản gốc"), TEXT, 14),
        ],
        rows=[
            [
                factor.resource.name,
                f"{number_format(factor.tco2e_per_unit)} tCO₂e/{factor.resource.unit}",
                factor.source or _("chưa ghi căn cứ"),
                factor.valid_from,
                _("Có") if factor.source_checked else _("Chưa"),
            ]
            for factor in savings.emission_factors
        ],
    )
    return [totals, factors]


def _trend(years: list[indicators.Breakdown]) -> Table:
    first = list(years[0].figures.values()) if years else []
    return Table(
        key="trend",
        title=_("Diễn biến theo năm"),
        columns=[Column(_("Năm"), TEXT, 8)]
        + [Column(figure.indicator, INT if figure.is_count else RATIO, 9) for figure in first],
        rows=[
            [year.label] + [year.figures[figure.indicator].value for figure in first]
            for year in years
        ],
        note=_("Mỗi năm tính đến 31/12 của năm đó (năm hiện tại: đến ngày số liệu)."),
    )


def _by_group(key: str, title: str, plan: Plan, as_of: datetime.date, year: int, by: str) -> Table:
    groups = indicators.compute_by(plan, as_of=as_of, by=by, year=year)
    heading = Column(_("Địa bàn") if by == "area" else _("Ngành"), TEXT, 34)
    codes = list(groups[0].figures) if groups else []
    if not set(PLAN_2020_GROUP_CODES) <= set(codes):
        # Another plan's indicators: one column per indicator measured on facilities.
        first = groups[0].figures if groups else {}
        return Table(
            key=key,
            title=title,
            columns=[heading]
            + [Column(code, INT if first[code].is_count else RATIO, 10) for code in codes],
            rows=[
                [group.label] + [group.figures[code].value for code in codes] for group in groups
            ],
        )
    rows = []
    for group in groups:
        t1 = group.figures["T1"]
        rows.append(
            [
                group.label,
                t1.denominator,
                t1.numerator,
                t1.value,
                group.figures["T2"].numerator,
                group.figures["T2"].value,
                group.figures["T3"].value,
                group.figures["T4"].numerator,
                group.figures["T4"].value,
                group.figures["A3"].value,
                group.figures["A4"].value,
            ]
        )
    return Table(
        key=key,
        title=title,
        columns=[
            heading,
            Column(_("Số cơ sở"), INT, 10),
            Column(_("Đã nhận thức"), INT, 11),
            Column("T1", RATIO, 9),
            Column(_("Đang áp dụng"), INT, 11),
            Column("T2", RATIO, 9),
            Column(_("T3 (tiết kiệm trung vị)"), RATIO, 12),
            Column(_("Có bộ phận chuyên trách SXSH"), INT, 11),
            Column("T4", RATIO, 9),
            Column(_("ĐG nhanh (A3)"), INT, 10),
            Column(_("ĐG chi tiết (A4)"), INT, 10),
        ],
        rows=rows,
    )


def _outreach(start: datetime.date, as_of: datetime.date, detailed: bool) -> Table:
    activities = (
        OutreachActivity.objects.filter(held_on__range=(start, as_of))
        .select_related("area")
        .annotate(participants=Count("facilities"))
        .order_by("held_on", "pk")
    )
    return Table(
        key="outreach",
        title=_("Tuyên truyền, nâng cao nhận thức"),
        columns=[
            Column(_("Ngày"), DATE, 11),
            Column(_("Hoạt động"), TEXT, 50),
            Column(_("Hình thức"), TEXT, 18),
            Column(_("Địa bàn"), TEXT, 18),
            Column(_("Cơ sở tham gia"), INT, 10),
        ],
        rows=[
            [
                activity.held_on,
                activity.title,
                activity.get_kind_display(),
                activity.area.name if activity.area else _("Toàn tỉnh"),
                activity.participants,
            ]
            for activity in activities
        ],
    )


def _assessments(start: datetime.date, until: datetime.date) -> Table:
    """Assessments started or completed in the period: A3/A4 count those the programme
    supported and that were completed; the others show what is under way."""
    assessments = with_area_on(
        Assessment.objects.filter(
            Q(started_on__range=(start, until)) | Q(completed_on__range=(start, until))
        ),
        until,
        "facility__",
    )
    assessments = assessments.select_related("facility", "organisation").order_by(
        "started_on", "pk"
    )
    return Table(
        key="assessments",
        title=_("Đánh giá SXSH"),
        columns=[
            Column(_("Ngày bắt đầu"), DATE, 11),
            Column(_("Ngày hoàn thành"), DATE, 11),
            Column(_("Cơ sở"), TEXT, 36),
            Column(_("Địa bàn"), TEXT, 16),
            Column(_("Loại đánh giá"), TEXT, 18),
            Column(_("Nguồn kinh phí"), TEXT, 16),
            Column(_("Tổ chức thực hiện"), TEXT, 26),
            Column(_("Trạng thái"), TEXT, 14),
        ],
        rows=[
            [
                assessment.started_on,
                assessment.completed_on,
                assessment.facility.name,
                assessment.area_name,
                assessment.get_kind_display(),
                assessment.get_funding_display(),
                assessment.organisation.name if assessment.organisation else "",
                assessment.get_status_display(),
            ]
            for assessment in assessments
        ],
        note=_(
            "A3, A4 đếm các cuộc đánh giá được chương trình hỗ trợ kinh phí (ngân sách tỉnh, "
            "trung ương hoặc nhà tài trợ) đã hoàn thành trong năm."
        ),
    )


def _projects(year: int, quarter: int, start: datetime.date, until: datetime.date) -> Table:
    """The year's projects in an annual report; in a quarter's, those approved or proposed in
    its days."""
    in_period = (
        Q(year=year)
        if not quarter
        else Q(approved_on__range=(start, until)) | Q(proposed_on__range=(start, until))
    )
    projects = (
        SupportProject.objects.filter(in_period)
        .annotate(facility_count=Count("facilities"))
        .order_by("funding", "title", "pk")
    )
    return Table(
        key="projects",
        title=_("Dự án, mô hình trình diễn SXSH"),
        columns=[
            Column(_("Dự án"), TEXT, 50),
            Column(_("Nguồn kinh phí"), TEXT, 18),
            Column(_("Trạng thái"), TEXT, 16),
            Column(_("Số cơ sở"), INT, 9),
            Column(_("Kinh phí (đồng)"), DECIMAL, 16),
            Column(_("Nhà nước hỗ trợ (đồng)"), DECIMAL, 16),
            Column(_("Ngày phê duyệt"), DATE, 12),
        ],
        rows=[
            [
                project.title,
                project.get_funding_display(),
                project.get_status_display(),
                project.facility_count,
                project.budget_vnd,
                project.state_support_vnd,
                project.approved_on,
            ]
            for project in projects
        ],
    )


def _training(start: datetime.date, as_of: datetime.date) -> Table:
    courses = (
        Course.objects.filter(starts_on__range=(start, as_of))
        .annotate(
            enrolled=Count("participants"),
            completed=Count("participants", filter=Q(participants__completed=True)),
        )
        .order_by("starts_on", "pk")
    )
    return Table(
        key="training",
        title=_("Đào tạo, tập huấn"),
        columns=[
            Column(_("Từ ngày"), DATE, 11),
            Column(_("Đến ngày"), DATE, 11),
            Column(_("Khóa học"), TEXT, 46),
            Column(_("Đơn vị tổ chức"), TEXT, 26),
            Column(_("Học viên"), INT, 9),
            Column(_("Hoàn thành"), INT, 10),
        ],
        rows=[
            [c.starts_on, c.ends_on, c.title, c.organiser, c.enrolled, c.completed] for c in courses
        ],
    )


def _awards(year: int) -> Table:
    awards = Award.objects.filter(year=year).select_related("facility").order_by("title", "pk")
    return Table(
        key="awards",
        title=_("Khen thưởng"),
        columns=[
            Column(_("Cơ sở"), TEXT, 40),
            Column(_("Danh hiệu, hình thức"), TEXT, 40),
            Column(_("Cơ quan khen thưởng"), TEXT, 30),
        ],
        rows=[[award.facility.name, award.title, award.issued_by] for award in awards],
    )


def _tasks(plan: Plan, as_of: datetime.date) -> Table:
    tasks = plan.tasks.select_related("agency").order_by("agency__name", "due_on", "pk")
    return Table(
        key="tasks",
        title=_("Nhiệm vụ của các cơ quan phối hợp"),
        columns=[
            Column(_("Cơ quan"), TEXT, 34),
            Column(_("Nhiệm vụ"), TEXT, 50),
            Column(_("Hạn"), DATE, 11),
            Column(_("Trạng thái"), TEXT, 16),
            Column(_("Tiến độ"), RATIO, 9),
        ],
        rows=[
            [
                task.agency.name,
                task.title,
                task.due_on,
                task.get_status_display(),
                Decimal(task.progress) / 100,
            ]
            for task in tasks
        ],
        note=_("Trạng thái nhiệm vụ theo cập nhật gần nhất của cơ quan."),
    )


def _facility_annex(as_of: datetime.date, detailed: bool) -> Table:
    facilities = indicators.in_denominator_with_flags(as_of)
    if not detailed:
        # The Ministry reads the facilities that apply CP; the province reads them all.
        facilities = facilities.filter(is_applying=True)
    facilities = facilities.order_by("area_code", "name_sort_key", "pk")
    savings = indicators.savings_by_facility(as_of)
    return Table(
        key="facilities",
        title=_("Danh sách cơ sở") if detailed else _("Danh sách cơ sở áp dụng SXSH"),
        columns=[
            Column(_("STT"), INT, 6),
            Column(_("Tên cơ sở"), TEXT, 44),
            Column(_("Địa bàn"), TEXT, 16),
            Column(_("Ngành"), TEXT, 36),
            Column(_("Quy mô"), TEXT, 10),
            Column(_("Nhận thức"), TEXT, 10),
            Column(_("Áp dụng"), TEXT, 10),
            Column(_("Bộ phận chuyên trách SXSH"), TEXT, 10),
            Column(_("Tiết kiệm"), RATIO, 10),
        ],
        rows=FacilityRows(facilities, savings),
        note=_("Cơ sở trong phạm vi kế hoạch đang hoạt động tại ngày số liệu."),
        total=facilities.count(),
    )
