"""Demo programme: support projects, training, dedicated officials, awards and agency tasks.

Never meant for a real deployment (`seed_demo` calls this, behind its DEBUG guard). It runs on
top of the facility and assessment demos and, like them, in two steps: first every record is
drawn from `rng` into plain specs, reading only shipped reference rows (agencies, the 2016–2020
plan) and what the earlier steps wrote (facilities with their assessments and options, read in
tax-code order); then only the specs whose natural keys are missing are bulk-created. The
natural keys are a project's title, year and funding; a course's title and start date; an
official's name and first day as dedicated official; an award's facility, year and title; a
task's plan, agency and title; an update's task and time. Drawing before looking is what makes
a second run a no-op.

The story told is the plan's: 1–2 provincial projects (A1) and 1–2 models proposed to the
Ministry (A2) each year from 2016 to 2020, a few afterwards; two to four courses a year; about
sixty dedicated officials, of whom some 80–95% had completed a qualifying course by the end of
2020, so T5 falls short of its 100%; a handful of awards a year; tasks for every coordinating
agency, most done, a few left behind. These are the province's figures whatever the size of
the registry: `scale` changes nothing here and is checked for symmetry with the other steps.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Min, Q, Sum

from assessments.models import Assessment, CPOption
from demo.kit import (
    TODAY,
    Drawer,
    at,
    bulk,
    check_scale,
    create_missing,
    cumulative,
    link_missing,
    weekday,
)
from facilities.models import DISTRICT_LEVEL_ENDS, AdministrativeUnit, Facility, unit_on
from portal.models import User
from programs.models import (
    Agency,
    AgencyTask,
    Award,
    Course,
    CourseParticipant,
    Official,
    Plan,
    SupportProject,
    TaskUpdate,
)

# T5 is judged on the last day of the plan.
T5_AS_OF = datetime.date(2020, 12, 31)

_PLAN_YEARS = range(2016, 2021)
_LATER_YEARS = range(2021, 2026)
_COURSE_YEARS = range(2016, TODAY.year + 1)
_AWARD_YEARS = range(2016, TODAY.year)  # this year's honours are announced in December

_Funding = SupportProject.Funding
_ProjectStatus = SupportProject.Status
_CourseKind = Course.Kind
_Level = Official.Level
_TaskStatus = AgencyTask.Status

_MILLION = 1_000_000
# The 2012 joint circular of the Ministries of Finance and of Industry and Trade caps state
# support for CP assessment and consulting at 50% of the cost and 50 million VND per facility.
_SUPPORT_SHARE_CAP = Decimal("0.5")
_SUPPORT_PER_FACILITY_CAP = 50 * _MILLION

_DEPARTMENT = "Sở Công Thương Nghệ An"
_EXTENSION_CENTRE = "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Nghệ An"
_MINISTRY = "Bộ Công Thương"
_PROVINCE_PC = "UBND tỉnh Nghệ An"

# --- People -------------------------------------------------------------------------------------

_SURNAMES = (
    "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Lê", "Hồ", "Phan", "Hoàng", "Phạm",
    "Đặng", "Võ", "Bùi", "Thái", "Đậu", "Cao", "Ngô", "Đinh", "Chu", "Lương",
)  # fmt: skip
_MIDDLE_GIVEN = (
    ("Văn", "Hải"), ("Văn", "Tùng"), ("Đức", "Thịnh"), ("Quang", "Vinh"), ("Hữu", "Nam"),
    ("Xuân", "Bình"), ("Đình", "Sơn"), ("Công", "Lực"), ("Minh", "Tâm"), ("Văn", "Hòa"),
    ("Trọng", "Nghĩa"), ("Anh", "Tuấn"), ("Hồng", "Quân"), ("Văn", "Khánh"), ("Đăng", "Khoa"),
    ("Thị", "Thanh"), ("Thị", "Mai"), ("Thu", "Trang"), ("Thanh", "Huyền"), ("Thị", "Hoa"),
    ("Ngọc", "Linh"), ("Thị", "Phương"), ("Hồng", "Hạnh"), ("Thị", "Yến"), ("Kim", "Dung"),
    ("Thị", "Tâm"), ("Minh", "Châu"), ("Thùy", "Dương"),
)  # fmt: skip

# Where a coordinating agency's dedicated official sits.
_AGENCY_DESKS = {
    "so-tai-chinh": "Phòng Tài chính hành chính sự nghiệp",
    "so-khoa-hoc-cong-nghe": "Phòng Quản lý công nghệ và thị trường công nghệ",
    "so-tai-nguyen-moi-truong": "Chi cục Bảo vệ môi trường",
    "so-thong-tin-truyen-thong": "Phòng Thông tin – Báo chí – Xuất bản",
    "so-tu-phap": "Phòng Phổ biến, giáo dục pháp luật",
    "trung-tam-xuc-tien-dau-tu": "Phòng Xúc tiến đầu tư",
    "ban-quan-ly-kkt-dong-nam": "Phòng Quản lý tài nguyên và môi trường",
}
_DEPARTMENT_DESKS = (
    "Phòng Kỹ thuật an toàn – Môi trường, Sở Công Thương Nghệ An",
    "Phòng Kỹ thuật an toàn – Môi trường, Sở Công Thương Nghệ An",
    "Phòng Quản lý công nghiệp, Sở Công Thương Nghệ An",
)
# Sector officials: the extension centre's CP desk and the business bodies that spread CP.
_SECTOR_WORKPLACES = (
    _EXTENSION_CENTRE,
    _EXTENSION_CENTRE,
    "Hiệp hội Doanh nghiệp tỉnh Nghệ An",
    "Liên minh Hợp tác xã tỉnh Nghệ An",
    "Công ty Điện lực Nghệ An",
)
_UNIT_LABELS = {
    AdministrativeUnit.Kind.CITY: "thành phố",
    AdministrativeUnit.Kind.TOWN: "thị xã",
    AdministrativeUnit.Kind.DISTRICT: "huyện",
}

# --- Training -----------------------------------------------------------------------------------

# (title, organiser, place) per kind; the year is appended to the title.
_COURSES: dict[str, tuple[tuple[str, str, str], ...]] = {
    _CourseKind.TRAINERS: (
        ("Đào tạo giảng viên về sản xuất sạch hơn trong công nghiệp", _MINISTRY, "Hà Nội"),
        (
            "Đào tạo giảng viên nguồn về sản xuất sạch hơn và sử dụng hiệu quả tài nguyên",
            _MINISTRY,
            "Thành phố Đà Nẵng",
        ),
    ),
    _CourseKind.CONSULTANTS: (
        ("Đào tạo tư vấn viên sản xuất sạch hơn trong công nghiệp", _MINISTRY, "Hà Nội"),
        (
            "Đào tạo tư vấn viên sản xuất sạch hơn khu vực Bắc Trung Bộ",
            _MINISTRY,
            "Thành phố Vinh, Nghệ An",
        ),
    ),
    _CourseKind.TECHNICAL: (
        (
            "Tập huấn kỹ thuật đánh giá nhanh sản xuất sạch hơn cho cán bộ quản lý cấp huyện",
            _EXTENSION_CENTRE,
            "Trung tâm Khuyến công, thành phố Vinh",
        ),
        (
            "Tập huấn nghiệp vụ hướng dẫn cơ sở sản xuất áp dụng sản xuất sạch hơn",
            _DEPARTMENT,
            "Hội trường Sở Công Thương, thành phố Vinh",
        ),
        (
            "Tập huấn phương pháp đánh giá sản xuất sạch hơn theo UNEP/UNIDO",
            _EXTENSION_CENTRE,
            "Trung tâm Khuyến công, thành phố Vinh",
        ),
        (
            "Tập huấn sản xuất sạch hơn và sử dụng năng lượng tiết kiệm, hiệu quả trong sản xuất "
            "vật liệu xây dựng",
            _EXTENSION_CENTRE,
            "Thị xã Hoàng Mai",
        ),
        (
            "Tập huấn sản xuất sạch hơn trong chế biến nông sản, thực phẩm",
            _DEPARTMENT,
            "Hội trường Sở Công Thương, thành phố Vinh",
        ),
    ),
}
# Who may sit a course of each kind: the Ministry trains trainers and consultants from the
# province's own staff; technical and awareness sessions are open to every level.
_AUDIENCE = {
    _CourseKind.TRAINERS: {_Level.PROVINCE, _Level.SECTOR},
    _CourseKind.CONSULTANTS: {_Level.PROVINCE, _Level.SECTOR},
    _CourseKind.TECHNICAL: {_Level.PROVINCE, _Level.DISTRICT, _Level.SECTOR},
    _CourseKind.AWARENESS: {_Level.PROVINCE, _Level.DISTRICT},
}
_DAYS = {
    _CourseKind.TRAINERS: (4, 5),
    _CourseKind.CONSULTANTS: (5, 10),
    _CourseKind.TECHNICAL: (2, 3),
    _CourseKind.AWARENESS: (1, 1),
}
_CERTIFICATE_PREFIX = {_MINISTRY: "BCT", _DEPARTMENT: "SCT", _EXTENSION_CENTRE: "TTKC"}

# --- Projects -----------------------------------------------------------------------------------

_DONOR_TITLES = (
    "Hỗ trợ kỹ thuật về sản xuất sạch hơn và sử dụng hiệu quả tài nguyên cho các cơ sở nhỏ "
    "và vừa (nguồn tài trợ quốc tế)",
    "Thúc đẩy hiệu quả năng lượng và sản xuất sạch hơn trong các cơ sở công nghiệp (vốn "
    "viện trợ không hoàn lại)",
    "Trình diễn giải pháp sản xuất sạch hơn trong làng nghề chế biến nông sản (dự án hợp tác "
    "quốc tế)",
)
_REJECTION_NOTES = (
    "Bộ Công Thương không bố trí được kinh phí khuyến công quốc gia năm {year} cho mô hình; "
    "cơ sở tự thực hiện một phần giải pháp quản lý nội vi.",
    "Hồ sơ chưa đáp ứng tiêu chí mô hình trình diễn của Bộ Công Thương năm {year}; Sở Công "
    "Thương hướng dẫn cơ sở hoàn thiện để đề xuất lại.",
)

# --- Awards -------------------------------------------------------------------------------------

_PROVINCE_AWARD = "Bằng khen của Chủ tịch UBND tỉnh về thành tích áp dụng sản xuất sạch hơn năm {}"
_MINISTRY_AWARD = (
    "Bằng khen của Bộ trưởng Bộ Công Thương về thành tích thực hiện Chiến lược sản xuất sạch hơn "
    "trong công nghiệp"
)

# --- Tasks --------------------------------------------------------------------------------------

# (title, recurring): a recurring task runs every year of the plan and is due at its end.
_PROVINCIAL_TASKS: dict[str, tuple[tuple[str, bool], ...]] = {
    "so-tai-chinh": (
        ("Bố trí kinh phí thực hiện kế hoạch SXSH hằng năm", True),
        ("Hướng dẫn quản lý, sử dụng kinh phí sự nghiệp thực hiện SXSH", False),
        ("Thẩm định dự toán kinh phí các dự án hỗ trợ SXSH", True),
        ("Hướng dẫn thanh quyết toán kinh phí hỗ trợ đánh giá SXSH tại cơ sở", False),
    ),
    "so-khoa-hoc-cong-nghe": (
        ("Hỗ trợ đổi mới công nghệ theo hướng SXSH", True),
        ("Ưu tiên đề tài, dự án khoa học và công nghệ về SXSH", True),
        ("Phổ biến, chuyển giao công nghệ sạch cho doanh nghiệp nhỏ và vừa", False),
        ("Thẩm định công nghệ dự án đầu tư theo hướng SXSH", False),
    ),
    "so-tai-nguyen-moi-truong": (
        ("Lồng ghép SXSH trong thẩm định đánh giá tác động môi trường", True),
        ("Lồng ghép SXSH trong kiểm tra, thanh tra bảo vệ môi trường tại cơ sở sản xuất", True),
        ("Cung cấp dữ liệu quan trắc môi trường phục vụ cơ sở dữ liệu SXSH", False),
        ("Hướng dẫn cơ sở giảm thiểu, tái chế, tái sử dụng chất thải", False),
    ),
    "so-thong-tin-truyen-thong": (
        ("Tuyên truyền SXSH trên các phương tiện thông tin đại chúng", True),
        ("Chỉ đạo Báo Nghệ An, Đài Phát thanh và Truyền hình tỉnh mở chuyên mục SXSH", False),
        ("Hỗ trợ xây dựng trang thông tin điện tử về SXSH", False),
        ("Giới thiệu mô hình điển hình áp dụng SXSH trên Cổng thông tin điện tử tỉnh", True),
    ),
    "so-tu-phap": (
        ("Phổ biến văn bản pháp luật về SXSH và sử dụng năng lượng tiết kiệm, hiệu quả", True),
        ("Thẩm định dự thảo văn bản quy phạm pháp luật của tỉnh liên quan đến SXSH", False),
        ("Lồng ghép nội dung SXSH trong hỗ trợ pháp lý cho doanh nghiệp nhỏ và vừa", True),
        ("Rà soát văn bản quy phạm pháp luật của tỉnh về khuyến khích SXSH", False),
    ),
    "trung-tam-xuc-tien-dau-tu": (
        ("Giới thiệu SXSH với nhà đầu tư", True),
        ("Ưu tiên xúc tiến dự án đầu tư công nghệ sạch, thân thiện môi trường", True),
        ("Đưa nội dung SXSH vào tài liệu xúc tiến đầu tư của tỉnh", False),
        ("Kết nối các cơ sở với quỹ, tổ chức tín dụng hỗ trợ đổi mới công nghệ", False),
    ),
    "ban-quan-ly-kkt-dong-nam": (
        ("Hướng dẫn các cơ sở trong KKT, KCN áp dụng SXSH", True),
        ("Lồng ghép yêu cầu SXSH khi thẩm định dự án đầu tư vào KKT, KCN", True),
        ("Tổng hợp, báo cáo tình hình áp dụng SXSH của các cơ sở trong KKT, KCN", True),
        ("Kiểm tra việc thực hiện cam kết bảo vệ môi trường và SXSH trong KKT, KCN", False),
    ),
}
_DISTRICT_TASK = "Tuyên truyền, vận động cơ sở trên địa bàn áp dụng SXSH"
# The plan went out in the spring of 2016; agencies started on their tasks from then.
_PLAN_ISSUED = datetime.date(2016, 4, 1)
_RECURRING_DUE = datetime.date(2020, 12, 15)
_RECURRING_NOTE = (
    "Thực hiện hằng năm trong giai đoạn 2016–2020; báo cáo kết quả về Sở Công Thương trước "
    "ngày 15/12 hằng năm để tổng hợp, báo cáo UBND tỉnh và Bộ Công Thương."
)
_ONE_OFF_NOTE = (
    "Hoàn thành trong thời hạn được giao; gửi báo cáo kết quả về Sở Công Thương để tổng hợp, "
    "báo cáo UBND tỉnh."
)
_DISTRICT_NOTE = (
    "Tổ chức tuyên truyền, phổ biến lợi ích của sản xuất sạch hơn đến các cơ sở sản xuất công "
    "nghiệp, hợp tác xã và làng nghề trên địa bàn; phối hợp Sở Công Thương lựa chọn cơ sở tham "
    "gia đánh giá; báo cáo kết quả về Sở Công Thương."
)
_FIRST_UPDATES = (
    "Đã ban hành kế hoạch triển khai nhiệm vụ, phân công phòng chuyên môn làm đầu mối.",
    "Đã giao đầu mối theo dõi, xây dựng kế hoạch chi tiết và dự trù kinh phí thực hiện.",
    "Đã rà soát nội dung được giao, thống nhất cách phối hợp với Sở Công Thương.",
)
_MIDDLE_UPDATES = (
    "Đã triển khai các hoạt động theo kế hoạch năm; đang tổng hợp kết quả.",
    "Đã phối hợp Sở Công Thương tổ chức các hoạt động theo kế hoạch; một số nội dung chậm do "
    "thiếu kinh phí.",
    "Đang triển khai; đã hoàn thành phần lớn nội dung của năm.",
    "Đã lồng ghép nội dung sản xuất sạch hơn vào hoạt động thường xuyên của đơn vị.",
    "Đã gửi báo cáo kết quả thực hiện năm về Sở Công Thương.",
)
_DONE_UPDATE = "Hoàn thành nhiệm vụ; đã gửi báo cáo tổng kết về Sở Công Thương."
_BEHIND_UPDATE = "Chưa hoàn thành do thiếu kinh phí và nhân lực; đề nghị gia hạn đến quý {}/{}."


# --- Specs --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _AgencyInfo:
    code: str
    name: str
    kind: str
    area_label: str  # "huyện Diễn Châu"; "" for a province-level agency
    area_until: datetime.date | None  # the last day of the district the agency serves


@dataclass(frozen=True, slots=True)
class _AssessmentInfo:
    year: int
    kind: str
    funding: str
    options: int
    verified: int
    savings_vnd: Decimal


@dataclass(slots=True)
class _Site:
    """A facility with at least one assessment, as this seed sees it."""

    pk: int
    name: str
    area_label: str
    started: datetime.date | None
    closed: datetime.date | None
    assessments: list[_AssessmentInfo] = field(default_factory=list)
    first_verified: datetime.date | None = None

    def operating_on(self, day: datetime.date) -> bool:
        return (self.started is None or self.started <= day) and (
            self.closed is None or self.closed > day
        )


@dataclass(slots=True)
class _OfficialSpec:
    full_name: str
    agency_code: str | None
    workplace: str
    level: str
    dedicated_from: datetime.date
    # The last day as dedicated official (like AdministrativeUnit.valid_to, inclusive).
    dedicated_to: datetime.date | None = None
    area_label: str = ""

    def dedicated_on(self, day: datetime.date) -> bool:
        return self.dedicated_from <= day and (
            self.dedicated_to is None or day <= self.dedicated_to
        )


@dataclass(slots=True)
class _CourseSpec:
    title: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    organiser: str
    place: str
    area_label: str = ""  # an awareness session held for one district

    @property
    def qualifies(self) -> bool:
        # A one-day awareness session briefs officials; it does not train them (T5).
        return self.kind != _CourseKind.AWARENESS


@dataclass(slots=True)
class _ParticipationSpec:
    course: int  # index into the course list
    official: int  # index into the official list
    completed: bool
    certificate: str = ""


@dataclass(slots=True)
class _ProjectSpec:
    title: str
    year: int
    funding: str
    status: str
    sites: list[_Site]
    budget: int
    state_support: int
    proposed_on: datetime.date | None
    approved_on: datetime.date | None
    ministry_decision: str
    outcomes: str


@dataclass(slots=True)
class _UpdateSpec:
    posted_at: datetime.datetime
    text: str
    progress: int


@dataclass(slots=True)
class _TaskSpec:
    agency_code: str
    title: str
    description: str
    due_on: datetime.date
    recurring: bool  # runs through the plan's years rather than once
    status: str = _TaskStatus.DONE
    progress: int = 100
    updates: list[_UpdateSpec] = field(default_factory=list)


# --- Public entry point -------------------------------------------------------------------------


def seed_programme(*, scale: str, rng: random.Random, officers: list[User]) -> None:
    """Add the programme's projects, courses, officials, awards and agency tasks.

    Idempotent and deterministic for a given `rng`. Task updates need a person of the task's
    agency: each of `officers` posts those of their own agency's tasks; the other tasks carry
    their status and progress but no updates.
    """
    check_scale(scale)
    with transaction.atomic():
        agencies = _load_agencies()
        plan = Plan.objects.filter(start_year=2016, end_year=2020).order_by("pk").first()
        if plan is None:
            raise RuntimeError("The 2016–2020 plan is missing (programs migration 0004?)")
        sites = _load_sites()
        draw = _Draw(rng, sites)
        officials = draw.officials(agencies)
        courses = draw.courses(agencies)
        participations = draw.participations(officials, courses)
        projects = draw.projects()
        awards = draw.awards()
        tasks = draw.tasks(agencies)

        course_ids = _write_courses(courses)
        official_ids = _write_officials(officials, agencies)
        _write_participations(participations, course_ids, official_ids)
        _write_projects(projects)
        _write_awards(awards)
        _write_tasks(tasks, plan, {user.agency_id: user for user in officers})


# --- Reading ------------------------------------------------------------------------------------


def _area_label(kind: str | None, name: str | None) -> str:
    return f"{_UNIT_LABELS[kind]} {name}" if kind in _UNIT_LABELS and name else ""


def _load_agencies() -> list[_AgencyInfo]:
    agencies = [
        _AgencyInfo(
            code=agency.code,
            name=agency.name,
            kind=agency.kind,
            area_label=_area_label(
                agency.area.kind if agency.area else None, agency.area.name if agency.area else None
            ),
            area_until=agency.area.valid_to if agency.area else None,
        )
        # The plan to 2020 knew no commune committees: they join the demo with the 2025 map.
        for agency in Agency.objects.exclude(kind=Agency.Kind.COMMUNE)
        .select_related("area")
        .order_by("code")
    ]
    missing = set(_PROVINCIAL_TASKS) - {agency.code for agency in agencies}
    if missing:
        raise RuntimeError(f"Agencies missing (programs migration 0002?): {sorted(missing)}")
    return agencies


def _load_sites() -> list[_Site]:
    """Facilities with an assessment, in tax-code order, with what their assessments found."""
    verified = Q(options__status=CPOption.Status.VERIFIED)
    rows = (
        Assessment.objects.filter(started_on__isnull=False)
        .annotate(
            option_count=Count("options"),
            verified_count=Count("options", filter=verified),
            verified_savings=Sum("options__savings_vnd_per_year", filter=verified),
        )
        .order_by("facility__tax_code", "started_on", "pk")
        .values_list(
            "facility_id",
            "started_on",
            "kind",
            "funding",
            "option_count",
            "verified_count",
            "verified_savings",
        )
    )
    by_pk: dict[int, list[_AssessmentInfo]] = {}
    for facility_id, started_on, kind, funding, options, verified_count, savings in rows:
        by_pk.setdefault(facility_id, []).append(
            _AssessmentInfo(
                started_on.year, kind, funding, options, verified_count, savings or Decimal(0)
            )
        )
    first_verified = dict(
        CPOption.objects.filter(status=CPOption.Status.VERIFIED)
        .values("assessment__facility_id")
        .annotate(first=Min("verified_on"))
        .values_list("assessment__facility_id", "first")
    )
    # The district each site was in under the plan, wherever it is now (`seed_demo` remaps the
    # registry to the communes of 2025 last).
    units = {unit.pk: unit for unit in AdministrativeUnit.objects.all()}
    return [
        _Site(
            pk=pk,
            name=name,
            area_label=_area_label(units[unit].kind, units[unit].name),
            started=started,
            closed=closed,
            assessments=by_pk[pk],
            first_verified=first_verified.get(pk),
        )
        for pk, name, unit, started, closed in Facility.objects.filter(pk__in=by_pk)
        .annotate(plan_unit=unit_on(DISTRICT_LEVEL_ENDS))
        .order_by("tax_code")
        .values_list("pk", "name", "plan_unit", "started_on", "closed_on")
    ]


# --- Drawing ------------------------------------------------------------------------------------


def _dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _vn(value: int | Decimal) -> str:
    """An amount as Vietnamese documents write it: 1.234.567."""
    return f"{int(value):,}".replace(",", ".")


def _capped_support(budget: int, facilities: int, share: float) -> int:
    """State support for a project: `share` of the budget, within the joint circular's caps."""
    wanted = int(Decimal(budget) * Decimal(str(share)) // _MILLION * _MILLION)
    # At most 50% of the cost and at most 50 million VND for each facility the project helps.
    cap = min(int(Decimal(budget) * _SUPPORT_SHARE_CAP), _SUPPORT_PER_FACILITY_CAP * facilities)
    return min(wanted, cap)


class _Draw(Drawer):
    """Draws the programme from one `rng`, in a fixed order, without looking at what this seed
    wrote before. The public methods must be called in the order seed_programme calls them."""

    def __init__(self, rng: random.Random, sites: list[_Site]) -> None:
        super().__init__(rng)
        self.sites = sites
        self.names: set[str] = set()

    # Helpers ----------------------------------------------------------------------------------

    def _person(self) -> str:
        """A name no other official of the demo has: names are the officials' natural key."""
        rng = self.rng
        while True:
            middle, given = rng.choice(_MIDDLE_GIVEN)
            name = f"{rng.choice(_SURNAMES)} {middle} {given}"
            if name not in self.names:
                self.names.add(name)
                return name

    def _working_day(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return min(weekday(self.day_between(first, last)), last)

    def _choose(
        self, candidates: Sequence[_Site], weights: Sequence[float], count: int
    ) -> list[_Site]:
        """`count` distinct candidates, drawn with probability in proportion to weight."""
        pool = [(site, weight) for site, weight in zip(candidates, weights, strict=True) if weight]
        chosen: list[_Site] = []
        for _ in range(min(count, len(pool))):
            weights = cumulative([weight for _site, weight in pool])
            index = min(self.index_by(weights), len(pool) - 1)
            chosen.append(pool.pop(index)[0])
        return chosen

    # Officials --------------------------------------------------------------------------------

    def officials(self, agencies: list[_AgencyInfo]) -> list[_OfficialSpec]:
        """About sixty posts' holders: the Department, the sector, the provincial agencies and
        the 21 district People's Committees, with the turnover of a few years."""
        rng = self.rng
        provincial = [agency for agency in agencies if agency.kind != Agency.Kind.DISTRICT]
        districts = [agency for agency in agencies if agency.kind == Agency.Kind.DISTRICT]
        # (level, agency, workplace, first and last year the post may be filled)
        posts: list[tuple[str, _AgencyInfo | None, str, int, int]] = []
        for index in range(rng.randint(6, 8)):
            desk = _DEPARTMENT_DESKS[index % len(_DEPARTMENT_DESKS)]
            posts.append((_Level.PROVINCE, None, desk, 2014, 2016 if index < 4 else 2020))
        for workplace in _SECTOR_WORKPLACES:
            posts.append((_Level.SECTOR, None, workplace, 2014, 2018))
        for agency in provincial + rng.sample(provincial, rng.randint(2, 3)):
            workplace = f"{_AGENCY_DESKS.get(agency.code, 'Văn phòng')}, {agency.name}"
            posts.append((_Level.PROVINCE, agency, workplace, 2016, 2018))
        for agency in districts + rng.sample(districts, rng.randint(6, 9)):
            label = agency.area_label
            first = not any(post[1] is agency for post in posts)
            if first:
                town = label.startswith(("thành phố", "thị xã"))
                desk = "Phòng Kinh tế" if town else "Phòng Kinh tế và Hạ tầng"
            else:
                desk = "Phòng Tài nguyên và Môi trường"
            posts.append(
                (_Level.DISTRICT, agency, f"{desk} {label}", 2016, 2019 if first else 2020)
            )

        officials: list[_OfficialSpec] = []
        for level, agency, workplace, first_year, last_year in posts:
            start = self._working_day(
                datetime.date(first_year, 1, 5), datetime.date(last_year, 11, 30)
            )
            holder = _OfficialSpec(
                full_name=self._person(),
                agency_code=agency.code if agency else None,
                workplace=workplace,
                level=level,
                dedicated_from=start,
                area_label=agency.area_label if agency else "",
            )
            officials.append(holder)
            roll = rng.random()
            earliest_leave = start + datetime.timedelta(days=365)
            if roll < 0.2 and earliest_leave <= datetime.date(2020, 8, 31):
                # Moved on during the plan; a successor takes over the post within two months.
                holder.dedicated_to = self.day_between(earliest_leave, datetime.date(2020, 8, 31))
                successor = _OfficialSpec(
                    full_name=self._person(),
                    agency_code=holder.agency_code,
                    workplace=workplace,
                    level=level,
                    dedicated_from=weekday(
                        holder.dedicated_to + datetime.timedelta(days=rng.randint(1, 60))
                    ),
                    area_label=holder.area_label,
                )
                officials.append(successor)
                holder = successor
            elif roll < 0.32:
                # Moved on after the plan; successors after 2020 are outside this demo.
                holder.dedicated_to = self.day_between(
                    datetime.date(2021, 3, 1), datetime.date(2024, 12, 31)
                )
            # The district level was abolished in 2025 (Cửa Lò merged into Vinh before).
            area_until = agency.area_until if agency is not None else None
            if area_until is not None and (
                holder.dedicated_to is None or holder.dedicated_to > area_until
            ):
                holder.dedicated_to = area_until
        return officials

    # Courses ----------------------------------------------------------------------------------

    def courses(self, agencies: list[_AgencyInfo]) -> list[_CourseSpec]:
        """Two to four courses a year: in the plan years always a technical one, often a
        Ministry course for trainers or consultants, and awareness sessions in the districts."""
        rng = self.rng
        districts = [
            agency.area_label for agency in agencies if agency.kind == Agency.Kind.DISTRICT
        ]
        courses: list[_CourseSpec] = []
        for year in _COURSE_YEARS:
            total = rng.randint(2, 4) if year in _PLAN_YEARS else rng.randint(2, 3)
            kinds = [_CourseKind.TECHNICAL]
            if rng.random() < (0.75 if year in _PLAN_YEARS else 0.4):
                kinds.append(rng.choice((_CourseKind.TRAINERS, _CourseKind.CONSULTANTS)))
            while len(kinds) < total:
                kinds.append(_CourseKind.AWARENESS if rng.random() < 0.7 else _CourseKind.TECHNICAL)
            last_month = 10 if year == TODAY.year else 11
            used_titles: set[str] = set()
            used_districts: set[str] = set()
            drawn: list[_CourseSpec] = []
            for kind in kinds:
                starts_on = self._working_day(
                    datetime.date(year, 3, 1), datetime.date(year, last_month, 20)
                )
                low, high = _DAYS[kind]
                ends_on = starts_on + datetime.timedelta(days=rng.randint(low, high) - 1)
                if kind == _CourseKind.AWARENESS:
                    drawn.append(self._awareness(year, starts_on, districts, used_districts))
                    continue
                options = [option for option in _COURSES[kind] if option[0] not in used_titles]
                title, organiser, place = rng.choice(options)
                used_titles.add(title)
                drawn.append(
                    _CourseSpec(
                        title=f"{title} năm {year}",
                        kind=kind,
                        starts_on=starts_on,
                        ends_on=ends_on,
                        organiser=organiser,
                        place=place,
                    )
                )
            courses += sorted(drawn, key=lambda course: course.starts_on)
        return courses

    def _awareness(
        self, year: int, starts_on: datetime.date, districts: list[str], used: set[str]
    ) -> _CourseSpec:
        rng = self.rng
        if starts_on >= datetime.date(2025, 7, 1):  # no districts any more: one for the province
            label, place = "trên địa bàn tỉnh", "Thành phố Vinh"
            district = ""
        else:
            district = rng.choice([label for label in districts if label not in used])
            used.add(district)
            label, place = district, f"Hội trường UBND {district}"
        return _CourseSpec(
            title=(
                "Tập huấn nâng cao nhận thức về sản xuất sạch hơn cho cơ sở sản xuất công nghiệp "
                f"{label} năm {year}"
            ),
            kind=_CourseKind.AWARENESS,
            starts_on=starts_on,
            ends_on=starts_on,
            organiser=rng.choice((_DEPARTMENT, _EXTENSION_CENTRE)),
            place=place,
            area_label=district,
        )

    # Participants -----------------------------------------------------------------------------

    def participations(
        self, officials: list[_OfficialSpec], courses: list[_CourseSpec]
    ) -> list[_ParticipationSpec]:
        """Who sat which course, shaped so that 80–95% of the officials dedicated at the end of
        2020 had completed a qualifying course by then: T5 falls short of its 100%."""
        rng = self.rng
        taken: set[tuple[int, int]] = set()
        result: list[_ParticipationSpec] = []

        def sit(course: int, official: int, *, completed: bool = True) -> None:
            if (course, official) not in taken:
                taken.add((course, official))
                result.append(_ParticipationSpec(course, official, completed))

        def eligible(official: _OfficialSpec, *, by: datetime.date | None) -> list[int]:
            # A course within its audience, while dedicated (or just before: some were trained
            # for the post they were about to take).
            return [
                index
                for index, course in enumerate(courses)
                if course.qualifies
                and official.level in _AUDIENCE[course.kind]
                and course.starts_on >= official.dedicated_from - datetime.timedelta(days=120)
                and (official.dedicated_to is None or course.starts_on <= official.dedicated_to)
                and (by is None or course.ends_on <= by)
            ]

        cohort = [
            index for index, official in enumerate(officials) if official.dedicated_on(T5_AS_OF)
        ]
        by_cutoff = {index: eligible(officials[index], by=T5_AS_OF) for index in cohort}
        # Those dedicated too late for any course of 2020 cannot have been trained by then.
        untrained = {index for index in cohort if not by_cutoff[index]}
        wanted = round(len(cohort) * (1 - rng.uniform(0.82, 0.92)))
        others = [index for index in cohort if index not in untrained]
        untrained |= set(rng.sample(others, max(0, min(wanted - len(untrained), len(others)))))

        for index, official in enumerate(officials):
            if index in untrained:
                roll = rng.random()
                later = [
                    course
                    for course in eligible(official, by=None)
                    if courses[course].starts_on > T5_AS_OF
                ]
                if roll < 0.35 and by_cutoff[index]:
                    # Enrolled, but missed the final sessions.
                    sit(rng.choice(by_cutoff[index]), index, completed=False)
                elif roll < 0.75 and later:
                    sit(later[0], index)
                continue
            options = eligible(official, by=T5_AS_OF if index in by_cutoff else None)
            if index not in by_cutoff and rng.random() < 0.3:
                options = []  # left before ever being trained
            if options:
                # The first course open to them, mostly.
                first = options[min(int(rng.random() ** 2 * len(options)), len(options) - 1)]
                sit(first, index)
                after = [
                    course
                    for course in eligible(official, by=None)
                    if courses[course].starts_on > courses[first].ends_on
                ]
                if after and rng.random() < 0.3:
                    sit(rng.choice(after), index, completed=rng.random() < 0.9)

        # Awareness sessions: the district's own officials and someone from the Department.
        for course_index, course in enumerate(courses):
            if course.kind != _CourseKind.AWARENESS:
                continue
            local = [
                index
                for index, official in enumerate(officials)
                if official.dedicated_on(course.starts_on)
                and (
                    official.area_label == course.area_label
                    if course.area_label
                    else official.level == _Level.DISTRICT
                )
            ]
            department = [
                index
                for index, official in enumerate(officials)
                if official.dedicated_on(course.starts_on)
                and official.level == _Level.PROVINCE
                and official.agency_code is None
            ]
            for index in local + rng.sample(department, min(len(department), rng.randint(1, 2))):
                sit(course_index, index)

        # No course without anyone from the programme: fill from officials dedicated then,
        # never turning one of T5's untrained into a trained one.
        seated = {course for course, _official in taken}
        for course_index, course in enumerate(courses):
            if course_index in seated:
                continue
            candidates = [
                index
                for index, official in enumerate(officials)
                if official.dedicated_on(course.starts_on)
                and official.level in _AUDIENCE[course.kind]
                and not (index in untrained and course.ends_on <= T5_AS_OF)
            ]
            for index in rng.sample(candidates, min(len(candidates), rng.randint(2, 4))):
                sit(course_index, index)

        result.sort(key=lambda seat: (seat.course, officials[seat.official].full_name))
        numbers: dict[tuple[str, int], int] = {}
        for seat in result:
            course = courses[seat.course]
            if seat.completed and course.qualifies:
                key = (course.organiser, course.ends_on.year)
                numbers[key] = numbers.get(key, 0) + 1
                prefix = _CERTIFICATE_PREFIX[course.organiser]
                seat.certificate = f"{numbers[key]:03d}/{course.ends_on.year}/GCN-{prefix}"
        return result

    # Projects ---------------------------------------------------------------------------------

    def projects(self) -> list[_ProjectSpec]:
        """1–2 provincial projects and 1–2 models proposed to the Ministry each plan year, a
        donor project now and then, and a few of each in the years after."""
        rng = self.rng
        plan: list[tuple[int, str]] = []
        donor_years = [year for year in _PLAN_YEARS if rng.random() < 0.3]
        if not donor_years:
            donor_years = [rng.choice(list(_PLAN_YEARS))]
        for year in _PLAN_YEARS:
            plan += [(year, _Funding.PROVINCIAL)] * rng.randint(1, 2)
            plan += [(year, _Funding.CENTRAL)] * rng.randint(1, 2)
            if year in donor_years:
                plan.append((year, _Funding.DONOR))
        later = [
            (year, funding)
            for year in _LATER_YEARS
            for funding in (_Funding.PROVINCIAL, _Funding.CENTRAL)
        ]
        plan += sorted(rng.sample(later, rng.randint(3, 5)))

        # At least one model of the plan years was turned down by the Ministry.
        central = [index for index, (year, funding) in enumerate(plan)
                   if funding == _Funding.CENTRAL and year in _PLAN_YEARS]  # fmt: skip
        must_reject = rng.choice(central)

        projects: list[_ProjectSpec] = []
        linked: dict[int, set[int]] = {}
        titles: set[tuple[str, int, str]] = set()
        for index, (year, funding) in enumerate(plan):
            busy = linked.setdefault(year, set())
            count = rng.randint(2, 4) if funding == _Funding.DONOR else rng.randint(1, 3)
            sites = self._project_sites(year, funding, count, busy)
            busy.update(site.pk for site in sites)
            if funding == _Funding.PROVINCIAL:
                spec = self._provincial(year, sites)
            elif funding == _Funding.CENTRAL:
                rejected = index == must_reject or rng.random() < 0.2
                spec = self._central(year, sites, rejected=rejected)
            else:
                spec = self._donor(year, sites)
            while (spec.title, spec.year, spec.funding) in titles:
                spec.title = f"{spec.title} (đợt 2)"
            titles.add((spec.title, spec.year, spec.funding))
            projects.append(spec)
        return projects

    def _project_sites(self, year: int, funding: str, count: int, busy: set[int]) -> list[_Site]:
        """Facilities assessed around that year with that money, detailed assessments first."""
        day = datetime.date(year, 6, 30)
        weights = []
        for site in self.sites:
            best = 0.0
            if site.pk not in busy and site.operating_on(day):
                for info in site.assessments:
                    weight = 4.0 if info.kind == Assessment.Kind.DETAILED else 1.0
                    weight *= 3.0 if info.funding == funding else 1.0
                    weight *= 1.0 if abs(info.year - year) <= 1 else 0.1
                    best = max(best, weight)
            weights.append(best)
        return self._choose(self.sites, weights, count)

    def _budget(self, sites: list[_Site], low: int, high: int) -> int:
        # Per facility, in millions: detailed assessments with consulting cost more.
        total = 0
        for site in sites:
            detailed = any(info.kind == Assessment.Kind.DETAILED for info in site.assessments)
            total += self.rng.randint(low, high) * (2 if detailed else 1)
        return total * _MILLION

    def _outcomes(self, sites: list[_Site], year: int) -> str:
        infos = [info for site in sites for info in site.assessments if abs(info.year - year) <= 1]
        options = sum(info.options for info in infos)
        verified = sum(info.verified for info in infos)
        savings = sum((info.savings_vnd for info in infos), Decimal(0))
        if not options:
            return (
                f"Đã hỗ trợ {len(sites):02d} cơ sở rà soát quy trình sản xuất, xác định cơ hội "
                "sản xuất sạch hơn; các cơ sở cam kết thực hiện giải pháp quản lý nội vi và kiểm "
                "soát quá trình."
            )
        text = (
            f"Đã hỗ trợ đánh giá sản xuất sạch hơn tại {len(sites):02d} cơ sở; đề xuất {options} "
            f"giải pháp, trong đó {verified} giải pháp đã thực hiện và được kiểm chứng"
        )
        if savings:
            text += f", tiết kiệm khoảng {_vn(savings // _MILLION)} triệu đồng/năm"
        return text + "."

    def _title(self, lead: str, sites: list[_Site], year: int) -> str:
        if len(sites) == 1:
            return f"{lead} tại {sites[0].name}"[:255]
        areas = {site.area_label for site in sites}
        where = areas.pop() if len(areas) == 1 else "tỉnh Nghệ An"
        return f"{lead} tại {len(sites):02d} cơ sở sản xuất công nghiệp {where} năm {year}"

    def _provincial(self, year: int, sites: list[_Site]) -> _ProjectSpec:
        rng = self.rng
        approved_on = self._working_day(datetime.date(year, 3, 1), datetime.date(year, 8, 31))
        proposed_on = approved_on - datetime.timedelta(days=rng.randint(20, 55))
        if year <= 2023:
            status = _ProjectStatus.COMPLETED
        elif year == 2024:
            status = _ProjectStatus.COMPLETED if rng.random() < 0.6 else _ProjectStatus.IN_PROGRESS
        else:
            status = _ProjectStatus.IN_PROGRESS if rng.random() < 0.6 else _ProjectStatus.APPROVED
        budget = self._budget(sites, 60, 120)
        if status == _ProjectStatus.COMPLETED:
            outcomes = self._outcomes(sites, year)
        elif status == _ProjectStatus.IN_PROGRESS:
            outcomes = (
                "Đang thực hiện: đã khảo sát hiện trạng, lập cân bằng vật liệu – năng lượng tại "
                f"{len(sites):02d} cơ sở."
            )
        else:
            outcomes = ""
        return _ProjectSpec(
            title=self._title("Hỗ trợ đánh giá và áp dụng sản xuất sạch hơn", sites, year),
            year=year,
            funding=_Funding.PROVINCIAL,
            status=status,
            sites=sites,
            budget=budget,
            state_support=_capped_support(budget, len(sites), rng.uniform(0.35, 0.5)),
            proposed_on=proposed_on,
            approved_on=approved_on,
            ministry_decision="",
            outcomes=outcomes,
        )

    def _central(self, year: int, sites: list[_Site], *, rejected: bool) -> _ProjectSpec:
        rng = self.rng
        proposed_on = self._working_day(datetime.date(year, 2, 1), datetime.date(year, 6, 30))
        # Models include the equipment the facility buys: larger budgets, same support caps.
        budget = self._budget(sites, 150, 450)
        spec = _ProjectSpec(
            title=self._title("Mô hình trình diễn áp dụng sản xuất sạch hơn", sites, year),
            year=year,
            funding=_Funding.CENTRAL,
            status=_ProjectStatus.REJECTED,
            sites=sites,
            budget=budget,
            state_support=_capped_support(budget, len(sites), rng.uniform(0.3, 0.5)),
            proposed_on=proposed_on,
            approved_on=None,
            ministry_decision="",
            outcomes="",
        )
        if rejected:
            spec.outcomes = rng.choice(_REJECTION_NOTES).format(year=year)
            return spec
        approved_on = min(
            weekday(proposed_on + datetime.timedelta(days=rng.randint(45, 150))),
            datetime.date(year, 12, 15),
        )
        spec.approved_on = approved_on
        spec.ministry_decision = (
            f"Quyết định số {rng.randint(150, 4800)}/QĐ-BCT ngày {_dmy(approved_on)} của Bộ "
            "trưởng Bộ Công Thương"
        )
        if year <= 2023:
            spec.status = _ProjectStatus.COMPLETED
            spec.outcomes = self._outcomes(sites, year)
        else:
            spec.status = _ProjectStatus.IN_PROGRESS
            spec.outcomes = "Đang lắp đặt thiết bị và chạy thử mô hình."
        return spec

    def _donor(self, year: int, sites: list[_Site]) -> _ProjectSpec:
        rng = self.rng
        approved_on = self._working_day(datetime.date(year, 1, 15), datetime.date(year, 6, 30))
        budget = self._budget(sites, 80, 200)
        title = rng.choice(_DONOR_TITLES)
        return _ProjectSpec(
            title=f"{title} tại Nghệ An năm {year}",
            year=year,
            funding=_Funding.DONOR,
            status=_ProjectStatus.COMPLETED,
            sites=sites,
            budget=budget,
            # The province's counterpart funds only; the donor pays the rest.
            state_support=_capped_support(budget, len(sites), rng.uniform(0.05, 0.15)),
            proposed_on=approved_on - datetime.timedelta(days=rng.randint(30, 90)),
            approved_on=approved_on,
            ministry_decision="",
            outcomes=self._outcomes(sites, year),
        )

    # Awards -----------------------------------------------------------------------------------

    def awards(self) -> list[tuple[_Site, int, str, str]]:
        """A handful a year for facilities applying CP: (facility, year, title, issued by)."""
        rng = self.rng
        awards: list[tuple[_Site, int, str, str]] = []
        last_year: set[int] = set()
        for year in _AWARD_YEARS:
            year_end = datetime.date(year, 12, 31)
            weights = []
            for site in self.sites:
                if site.first_verified is None or site.first_verified > year_end:
                    weights.append(0.0)
                    continue
                weight = 3.0 if site.first_verified.year >= year - 1 else 1.0
                weight *= 0.3 if site.pk in last_year else 1.0
                weights.append(weight if site.operating_on(year_end) else 0.0)
            chosen = self._choose(self.sites, weights, rng.randint(2, 5))
            for site in chosen:
                if rng.random() < 0.2:
                    awards.append((site, year, _MINISTRY_AWARD, _MINISTRY))
                else:
                    awards.append((site, year, _PROVINCE_AWARD.format(year), _PROVINCE_PC))
            last_year = {site.pk for site in chosen}
        return awards

    # Tasks ------------------------------------------------------------------------------------

    def tasks(self, agencies: list[_AgencyInfo]) -> list[_TaskSpec]:
        """2–4 tasks per provincial agency and one per district, most done, a few behind."""
        rng = self.rng
        tasks: list[_TaskSpec] = []
        for agency in agencies:
            if agency.kind == Agency.Kind.DISTRICT:
                due = datetime.date(rng.randint(2017, 2020), 12, 15)
                tasks.append(_TaskSpec(agency.code, _DISTRICT_TASK, _DISTRICT_NOTE, due, True))
                continue
            pool = _PROVINCIAL_TASKS.get(agency.code)
            if not pool:
                continue
            for title, recurring in rng.sample(pool, rng.randint(2, min(4, len(pool)))):
                if recurring:
                    tasks.append(
                        _TaskSpec(agency.code, title, _RECURRING_NOTE, _RECURRING_DUE, True)
                    )
                else:
                    year, quarter = rng.randint(2016, 2020), rng.randint(1, 4)
                    if year == 2016:
                        quarter = max(quarter, 3)  # the plan came out in the spring
                    due = datetime.date(year, 3 * quarter, 30 if quarter in (2, 3) else 31)
                    tasks.append(_TaskSpec(agency.code, title, _ONE_OFF_NOTE, due, False))
        # Every due date lies before TODAY, so each task not done is late.
        behind = rng.sample(range(len(tasks)), max(2, round(len(tasks) * rng.uniform(0.1, 0.2))))
        for index, task in enumerate(tasks):
            self._progress(task, behind=index in behind)
        return tasks

    def _progress(self, task: _TaskSpec, *, behind: bool) -> None:
        """Status, progress and the updates that led there, progress rising with time."""
        rng = self.rng
        if task.recurring:
            start = _PLAN_ISSUED
        else:
            start = max(_PLAN_ISSUED, task.due_on - datetime.timedelta(days=rng.randint(180, 540)))
        if behind and rng.random() < 0.3:
            task.status, task.progress = _TaskStatus.NOT_STARTED, 0
            return
        if behind:
            task.status = _TaskStatus.IN_PROGRESS
            task.progress = rng.randrange(30, 95, 5)
            last = min(task.due_on + datetime.timedelta(days=rng.randint(30, 400)), TODAY)
            count = rng.randint(1, 3)
        else:
            # Most finish by the due date, some a little after it.
            last = task.due_on + datetime.timedelta(days=rng.randint(-60, 20))
            count = rng.randint(3, 5) if task.recurring else rng.randint(2, 4)
        levels = sorted(rng.sample(range(10, task.progress, 5), count - 1)) + [task.progress]
        days = sorted(self.day_between(start, last) for _ in range(count - 1)) + [last]
        for number, (level, day) in enumerate(zip(levels, days, strict=True)):
            if number == count - 1:
                if task.status == _TaskStatus.DONE:
                    text = _DONE_UPDATE
                else:
                    later = day + datetime.timedelta(days=120)
                    text = _BEHIND_UPDATE.format((later.month - 1) // 3 + 1, later.year)
            elif number == 0 and level < 40:
                text = rng.choice(_FIRST_UPDATES)
            else:
                text = rng.choice(_MIDDLE_UPDATES)
            posted_at = at(weekday(day), rng.randint(7 * 60 + 30, 16 * 60 + 30))
            if task.updates and posted_at <= task.updates[-1].posted_at:
                # Two reports never share a moment: the time is an update's natural key.
                posted_at = task.updates[-1].posted_at + datetime.timedelta(days=1)
            task.updates.append(_UpdateSpec(posted_at=posted_at, text=text, progress=level))


# --- Writing ------------------------------------------------------------------------------------


def _write_courses(courses: list[_CourseSpec]) -> list[int]:
    """Create the missing courses; return every drawn course's id, in draw order."""
    ids = {
        (title, starts_on): pk
        for title, starts_on, pk in Course.objects.filter(
            title__in={course.title for course in courses}
        ).values_list("title", "starts_on", "pk")
    }
    return create_missing(
        courses,
        Course,
        existing=ids,
        key=lambda course: (course.title, course.starts_on),
        row_key=lambda course: (course.title, course.starts_on),
        build=lambda course: Course(
            title=course.title,
            kind=course.kind,
            starts_on=course.starts_on,
            ends_on=course.ends_on,
            organiser=course.organiser,
            place=course.place,
            qualifies_for_t5=course.qualifies,
        ),
    )


def _write_officials(officials: list[_OfficialSpec], agencies: list[_AgencyInfo]) -> list[int]:
    agency_ids = dict(Agency.objects.values_list("code", "pk"))
    ids = {
        (name, start): pk
        for name, start, pk in Official.objects.filter(
            full_name__in={official.full_name for official in officials}
        ).values_list("full_name", "dedicated_from", "pk")
    }
    return create_missing(
        officials,
        Official,
        existing=ids,
        key=lambda official: (official.full_name, official.dedicated_from),
        row_key=lambda official: (official.full_name, official.dedicated_from),
        build=lambda official: Official(
            full_name=official.full_name,
            agency_id=agency_ids[official.agency_code] if official.agency_code else None,
            workplace=official.workplace,
            level=official.level,
            dedicated_from=official.dedicated_from,
            dedicated_to=official.dedicated_to,
        ),
    )


def _write_participations(
    participations: list[_ParticipationSpec], course_ids: list[int], official_ids: list[int]
) -> None:
    present = set(
        CourseParticipant.objects.filter(course_id__in=course_ids).values_list(
            "course_id", "official_id"
        )
    )
    bulk(
        [
            CourseParticipant(
                course_id=course_ids[seat.course],
                official_id=official_ids[seat.official],
                completed=seat.completed,
                certificate_number=seat.certificate,
            )
            for seat in participations
            if (course_ids[seat.course], official_ids[seat.official]) not in present
        ],
        CourseParticipant,
    )


def _write_projects(projects: list[_ProjectSpec]) -> None:
    ids = {
        (title, year, funding): pk
        for title, year, funding, pk in SupportProject.objects.filter(
            title__in={project.title for project in projects}
        ).values_list("title", "year", "funding", "pk")
    }
    project_ids = create_missing(
        projects,
        SupportProject,
        existing=ids,
        key=lambda project: (project.title, project.year, project.funding),
        row_key=lambda project: (project.title, project.year, project.funding),
        build=lambda project: SupportProject(
            title=project.title,
            year=project.year,
            funding=project.funding,
            status=project.status,
            budget_vnd=Decimal(project.budget),
            state_support_vnd=Decimal(project.state_support),
            proposed_on=project.proposed_on,
            ministry_decision=project.ministry_decision,
            approved_on=project.approved_on,
            outcomes=project.outcomes,
        ),
    )
    link_missing(
        SupportProject.facilities.through,
        ("supportproject_id", "facility_id"),
        {
            (project_id, site.pk)
            for project, project_id in zip(projects, project_ids, strict=True)
            for site in project.sites
        },
    )


def _write_awards(awards: list[tuple[_Site, int, str, str]]) -> None:
    present = set(
        Award.objects.filter(facility_id__in={site.pk for site, *_rest in awards}).values_list(
            "facility_id", "year", "title"
        )
    )
    bulk(
        [
            Award(facility_id=site.pk, year=year, title=title, issued_by=issued_by)
            for site, year, title, issued_by in awards
            if (site.pk, year, title) not in present
        ],
        Award,
    )


def _write_tasks(tasks: list[_TaskSpec], plan: Plan, officers: dict[int | None, User]) -> None:
    agency_ids = dict(Agency.objects.values_list("code", "pk"))
    ids = {
        (agency_id, title): pk
        for agency_id, title, pk in AgencyTask.objects.filter(plan=plan).values_list(
            "agency_id", "title", "pk"
        )
    }
    task_ids = create_missing(
        tasks,
        AgencyTask,
        existing=ids,
        key=lambda task: (agency_ids[task.agency_code], task.title),
        row_key=lambda task: (task.agency_id, task.title),
        build=lambda task: AgencyTask(
            plan=plan,
            agency_id=agency_ids[task.agency_code],
            title=task.title,
            description=task.description,
            due_on=task.due_on,
            status=task.status,
            progress=task.progress,
        ),
    )
    present = set(
        TaskUpdate.objects.filter(task_id__in=task_ids).values_list("task_id", "posted_at")
    )
    bulk(
        [
            TaskUpdate(
                task_id=task_id,
                posted_by=officers[agency_ids[task.agency_code]],
                posted_at=update.posted_at,
                text=update.text,
                progress=update.progress,
            )
            for task, task_id in zip(tasks, task_ids, strict=True)
            if agency_ids[task.agency_code] in officers
            for update in task.updates
            if (task_id, update.posted_at) not in present
        ],
        TaskUpdate,
    )
