from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.access import PROGRAMME_READERS, role_of
from portal.models import OfficialBody, Role


class Audience(models.TextChoices):
    """Who a report is addressed to: it sets the recipient block and the level of detail."""

    PROVINCE = "province", _("UBND tỉnh Nghệ An")
    MINISTRY = "ministry", _("Bộ Công Thương")

    @classmethod
    def for_official_body(cls, body: str) -> Audience:
        return cls.MINISTRY if body == OfficialBody.MINISTRY else cls.PROVINCE

    @classmethod
    def official_body_of(cls, audience: str) -> str:
        return (
            OfficialBody.MINISTRY if audience == cls.MINISTRY else OfficialBody.PROVINCIAL_COMMITTEE
        )

    @classmethod
    def for_user(cls, user: Any) -> list[str]:
        """The audiences whose reports `user` reads and may request: an official those of their
        own body, the Department and the agencies both."""
        role = role_of(user)
        if role == Role.OFFICIAL:
            return [cls.for_official_body(user.official_body)]
        return list(cls.values) if role in PROGRAMME_READERS else []


class PeriodBasis(models.TextChoices):
    """How a report's period is cut: calendar quarters and years, or the data cut-off of Decree
    09/2019/NĐ-CP on state reporting (a quarter from the 15th of the month before it to the
    14th of its last month). The two give different figures: they are different reports."""

    CALENDAR = "calendar", _("Theo quý, năm dương lịch")
    DECREE_09 = "decree09", _("Theo thời gian chốt số liệu của Nghị định 09/2019/NĐ-CP")


class AreaGrouping(models.TextChoices):
    """How a report groups its figures by area since the two-tier reform of 01/07/2025: by the
    unit each facility was in on the data date (a district before the reform, a commune after),
    or by the districts of 30/06/2025, for continuity with the plan era."""

    UNIT_ON_DATE = "area", _("Theo đơn vị hành chính tại ngày số liệu")
    FORMER_DISTRICT = "former_district", _("Theo huyện, thị xã, thành phố trước 01/07/2025")


class ReportRunQuerySet(models.QuerySet["ReportRun"]):
    def same_report(self, run: ReportRun) -> ReportRunQuerySet:
        return self.filter(
            plan=run.plan_id,
            year=run.year,
            quarter=run.quarter,
            basis=run.basis,
            audience=run.audience,
            as_of=run.as_of,
            area_grouping=run.area_grouping,
        )

    def visible_to(self, user: Any) -> ReportRunQuerySet:
        """The runs `user` may open: an official reads the reports addressed to their body."""
        return self.filter(audience__in=Audience.for_user(user))


class ReportRun(models.Model):
    """One generation of a quarterly or annual report: its request, its progress, its files.

    A plan, period, audience and as-of date make one report; it is generated once, and a
    regeneration is a new version beside the old one. The files appear only when both are
    complete, so nobody downloads a half-written file.

    Department staff then *issue* one version (`reporting.issuing.issue_report`): its number,
    signing date and signer are recorded, the PDF is printed with them, and from then on the
    run is never changed again — its files, their SHA-256 and its `figures` are the report as
    issued, and the figures up to its data date are closed (`portal.ClosedPeriod`).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", pgettext_lazy("report run", "Lỗi")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Theo lịch")
        REQUEST = "request", _("Theo yêu cầu")

    plan = models.ForeignKey(
        "programs.Plan",
        on_delete=models.PROTECT,
        related_name="report_runs",
        verbose_name=_("kế hoạch"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    # 1–4 for a quarter, 0 for the whole year (a number, so the uniqueness rule holds in SQL).
    quarter = models.PositiveSmallIntegerField(_("quý"), default=0)
    basis = models.CharField(
        _("cách tính kỳ"), max_length=8, choices=PeriodBasis.choices, default=PeriodBasis.CALENDAR
    )
    audience = models.CharField(_("nơi nhận"), max_length=8, choices=Audience.choices)
    as_of = models.DateField(_("ngày số liệu"))
    area_grouping = models.CharField(
        _("số liệu theo địa bàn"),
        max_length=16,
        choices=AreaGrouping.choices,
        default=AreaGrouping.UNIT_ON_DATE,
    )
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    trigger = models.CharField(_("nguồn yêu cầu"), max_length=8, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    step = models.CharField(_("bước"), max_length=120, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    # Touched at every step: a run "running" without a heartbeat for long lost its worker.
    heartbeat_at = models.DateTimeField(_("cập nhật lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to="reports/", blank=True)
    pdf_size = models.PositiveIntegerField(_("dung lượng PDF"), null=True, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 của PDF"), max_length=64, blank=True)
    pdf_pages = models.PositiveIntegerField(_("số trang PDF"), null=True, blank=True)
    xlsx = models.FileField(_("tệp Excel"), upload_to="reports/", blank=True)
    xlsx_size = models.PositiveIntegerField(_("dung lượng Excel"), null=True, blank=True)
    xlsx_sha256 = models.CharField(_("SHA-256 của Excel"), max_length=64, blank=True)
    # The same report as a Word file, which staff finish and sign in Word.
    docx = models.FileField(_("tệp Word"), upload_to="reports/", blank=True)
    docx_size = models.PositiveIntegerField(_("dung lượng Word"), null=True, blank=True)
    docx_sha256 = models.CharField(_("SHA-256 của Word"), max_length=64, blank=True)
    # The parts staff write (snapshot.SECTIONS, by key); a part not written prints the draft
    # the portal wrote from the figures when the files were last printed (`drafts`).
    texts = models.JSONField(_("nội dung do cán bộ viết"), default=dict, blank=True)
    drafts = models.JSONField(_("bản nháp tự động"), default=dict, blank=True)
    # The summary figures as generated, so the archive shows them without reopening a file.
    summary = models.JSONField(_("số liệu tóm tắt"), default=list, blank=True)
    notified_at = models.DateTimeField(_("đã báo tin lúc"), null=True, blank=True)
    # Every figure of the report as generated (`issuing.figures_of`): each indicator's value,
    # numerator, denominator, band and status, and the tables by year, area and sector.
    figures = models.JSONField(_("số liệu"), default=dict, blank=True)
    # Issuing (Decree 30/2020: "Số: 125/BC-SCT", "Nghệ An, ngày 15 tháng 01 năm 2021").
    number = models.CharField(_("số văn bản"), max_length=20, blank=True)
    # The audience's symbol when it was issued (settings may change later): "SCT".
    symbol = models.CharField(_("ký hiệu"), max_length=30, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    # The number runs per year of signing (and per audience's register): kept for the rule below.
    issued_year = models.PositiveSmallIntegerField(_("năm ban hành"), null=True, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ban hành"),
    )
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần tạo báo cáo")
        verbose_name_plural = _("lần tạo báo cáo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "plan",
                    "year",
                    "quarter",
                    "basis",
                    "audience",
                    "as_of",
                    "area_grouping",
                    "version",
                ],
                name="reporting_reportrun_one_per_version_and_grouping",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__lte=4), name="reporting_reportrun_quarter_0_to_4"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="reporting_reportrun_version_from_1"
            ),
            models.UniqueConstraint(
                fields=["audience", "issued_year", "number"],
                condition=models.Q(issued_at__isnull=False),
                name="reporting_reportrun_number_once_per_year",
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.period_label} – {self.get_audience_display()} (v{self.version})"

    @property
    def period_label(self) -> str:
        label = period_label(self.year, self.quarter)
        if self.basis == PeriodBasis.DECREE_09:
            label += " " + str(_("(kỳ Nghị định 09/2019)"))
        return label

    @property
    def period_code(self) -> str:
        code = f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)
        return code + ("-nd09" if self.basis == PeriodBasis.DECREE_09 else "")

    @property
    def period_bounds(self) -> tuple[datetime.date, datetime.date]:
        return period_bounds(self.year, self.quarter, self.basis)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    @property
    def reference(self) -> str:
        """The issued number as printed: "125/BC-SCT"."""
        return f"{self.number}/BC-{self.symbol}" if self.number else ""

    def filename(self, extension: str) -> str:
        return f"bao-cao-sxsh-{self.period_code}-{self.audience}-v{self.version}.{extension}"


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(year: int, quarter: int) -> str:
    if quarter:
        return str(_("Quý %(quarter)s năm %(year)s") % {"quarter": ROMAN[quarter], "year": year})
    return str(_("Năm %(year)s") % {"year": year})


def period_end(year: int, quarter: int) -> datetime.date:
    if not quarter:
        return datetime.date(year, 12, 31)
    month = quarter * 3
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    return next_month - datetime.timedelta(days=1)


def period_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, (quarter - 1) * 3 + 1 if quarter else 1, 1)


def period_bounds(
    year: int, quarter: int, basis: str = PeriodBasis.CALENDAR
) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter (1–4) or a year (0), calendar or Decree 09/2019."""
    if basis == PeriodBasis.DECREE_09:
        # The cut-off is written once, where the facilities' self-reports use it too (imported
        # here: that module loads other apps' models, which are not ready while these load).
        from assessments.services import period_bounds as cut_off

        return cut_off("quarter" if quarter else "year", year, quarter or None, cutoff=basis)
    return period_start(year, quarter), period_end(year, quarter)


class DownloadLog(models.Model):
    """Who downloaded which report or export, and when."""

    class Kind(models.TextChoices):
        REPORT_PDF = "report_pdf", _("Báo cáo PDF")
        REPORT_XLSX = "report_xlsx", _("Báo cáo Excel")
        REPORT_DOCX = "report_docx", _("Báo cáo Word")
        FACILITY_EXPORT = "facilities", _("Danh sách cơ sở (Excel)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="downloads",
        verbose_name=_("người tải"),
    )
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    run = models.ForeignKey(
        ReportRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="downloads",
        verbose_name=_("báo cáo"),
    )
    detail = models.CharField(_("chi tiết"), max_length=255, blank=True)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt tải")
        verbose_name_plural = _("lượt tải")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()} – {self.at:%d/%m/%Y %H:%M}"


class FacilityExport(models.Model):
    """A facility list too long to write within a request, written by a task
    (`reporting.exports`): the page polls `status` and the progress counters, and offers the
    file once done. It is its requester's alone."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo tệp")
        DONE = "done", _("Đã xong")
        CANCELLED = "cancelled", _("Đã hủy")
        FAILED = "failed", _("Không thành công")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="facility_exports",
        verbose_name=_("người yêu cầu"),
    )
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    # The list's filters as its address gave them, read again by the task.
    query = models.TextField(_("bộ lọc"), blank=True)
    as_of = models.DateField(_("ngày số liệu"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    progress_total = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    cancel_requested = models.BooleanField(_("yêu cầu hủy"), default=False)
    started_at = models.DateTimeField(_("bắt đầu chạy"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm xong"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to="exports/%Y/", blank=True)
    message = models.TextField(_("thông báo"), blank=True)

    class Meta:
        verbose_name = _("lần xuất danh sách cơ sở")
        verbose_name_plural = _("các lần xuất danh sách cơ sở")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One export at a time per user: a second would only queue behind the first.
            models.UniqueConstraint(
                fields=["requested_by"],
                condition=models.Q(status__in=["queued", "running"]),
                name="reporting_facilityexport_one_unfinished_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requested_by} – {self.requested_at:%d/%m/%Y %H:%M}"

    @property
    def is_unfinished(self) -> bool:
        return self.status in self.UNFINISHED

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def filename(self) -> str:
        return f"danh-sach-co-so-{self.as_of:%Y%m%d}.xlsx"


# What the Department ships for each audience; admins change it on the settings page. The data
# migration 0003 keeps its own copy, as migrations must not follow later edits of this one.
SHIPPED_SETTINGS: dict[str, dict[str, str]] = {
    "province": {
        "issuing_body": "UBND TỈNH NGHỆ AN\nSỞ CÔNG THƯƠNG",
        "symbol": "SCT",
        "place": "Nghệ An",
        "addressees": "Ủy ban nhân dân tỉnh Nghệ An",
        "copies_to": "Như trên\nBộ Công Thương (để báo cáo)",
        "archive": "VT, KTAT",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "",
    },
    "ministry": {
        "issuing_body": "UBND TỈNH NGHỆ AN\nSỞ CÔNG THƯƠNG",
        "symbol": "SCT",
        "place": "Nghệ An",
        "addressees": "Bộ Công Thương (Vụ Tiết kiệm năng lượng và Phát triển bền vững)",
        "copies_to": "Như trên\nUBND tỉnh Nghệ An (để báo cáo)",
        "archive": "VT, KTAT",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "",
    },
}


def lines(text: str) -> list[str]:
    """The non-empty lines of a multi-line setting, trimmed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class ReportSettingsQuerySet(models.QuerySet["ReportSettings"]):
    def for_audience(self, audience: str) -> ReportSettings:
        """The saved settings of `audience`, or the shipped ones when the row is missing (a test
        database flushed after the migrations ran)."""
        found = self.filter(audience=audience).first()
        return found or ReportSettings(audience=audience, **SHIPPED_SETTINGS[audience])


class ReportSettings(models.Model):
    """How the reports of one audience are issued (Decree 30/2020/NĐ-CP): the issuing body, the
    symbol after the number, place, addressees, copies, the archive line and the signer."""

    audience = models.CharField(
        _("nơi nhận báo cáo"), max_length=8, choices=Audience.choices, unique=True
    )
    issuing_body = models.TextField(
        _("cơ quan ban hành"),
        help_text=_(
            "Một dòng một cấp: cơ quan chủ quản trước, cơ quan ban hành (in đậm) ở dòng cuối."
        ),
    )
    symbol = models.CharField(
        _("ký hiệu cơ quan"),
        max_length=30,
        help_text=_(
            "Viết sau “Số: …/BC-”, ví dụ SCT (số hiệu in ra: …/BC-SCT). Thêm đơn vị soạn thảo "
            "(SCT-KTAT) chỉ khi quy chế công tác văn thư của Sở quy định."
        ),
    )
    place = models.CharField(_("địa danh"), max_length=60)
    addressees = models.TextField(
        _("kính gửi"),
        help_text=_(
            "Một dòng một cơ quan. Đơn vị nhận báo cáo tại Bộ Công Thương (mặc định: Vụ Tiết kiệm "
            "năng lượng và Phát triển bền vững, nơi đặt đầu mối SXSH của Bộ từ năm 2018) cần "
            "được Sở Công Thương xác nhận."
        ),
    )
    copies_to = models.TextField(
        _("nơi nhận"),
        help_text=_(
            "Một dòng một nơi nhận, không ghi dấu chấm phẩy cuối dòng và không ghi người ký "
            "văn bản. Dòng “Lưu” ghi ở ô riêng."
        ),
    )
    archive = models.CharField(
        _("lưu"),
        max_length=100,
        help_text=_("Nơi lưu văn bản, ví dụ: VT, KTAT (in ra: Lưu: VT, KTAT.)."),
    )
    signer_title = models.TextField(
        _("chức vụ người ký"),
        help_text=_(
            "Một dòng một cấp, ví dụ GIÁM ĐỐC; hoặc KT. GIÁM ĐỐC rồi PHÓ GIÁM ĐỐC ở dòng sau."
        ),
    )
    signer_name = models.CharField(_("họ và tên người ký"), max_length=100, blank=True)

    history = HistoricalRecords()
    objects = ReportSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("thể thức báo cáo")
        verbose_name_plural = _("thể thức báo cáo")
        ordering = ["audience"]

    def __str__(self) -> str:
        return str(
            _("Thể thức báo cáo gửi %(audience)s") % {"audience": self.get_audience_display()}
        )


class SpanQuerySet(models.QuerySet[Any]):
    """Rows kept per facility and span of days (`FacilityState`, `FacilitySaving`)."""

    def covering(self, day: datetime.date) -> SpanQuerySet:
        """Each facility's row of `day` (one per facility at most)."""
        return self.filter(covering_q(day))


def covering_q(day: datetime.date, path: str = "") -> models.Q:
    """A state of `day`, on rows that reach the states by `path` ("states__" from a facility)."""
    return models.Q(**{f"{path}valid_from__lte": day}) & (
        models.Q(**{f"{path}valid_to__isnull": True}) | models.Q(**{f"{path}valid_to__gt": day})
    )


class FacilityState(models.Model):
    """A facility's programme state over a span of days, kept on write (see reporting/kept.py):
    from `valid_from` (inclusive) to `valid_to` (exclusive; None: for good) it was in the
    denominator or not, aware, applying, with a CP unit, in `area` (the unit `unit_on` gives)
    and in `district` (the same with districts only, as of 30/06/2025 at the latest). A facility's
    spans cover every day, one after the other, and change only where one of these changes.

    The engine counts the facilities of a day from these rows in one query; the live rules
    (`in_denominator_on`, `aware_q`, `applying_q`, `cp_unit_q`, `unit_on`) stay the reference
    that tests compare them with."""

    # Deleted with the facility by kept.py (its records' deletions, sent before the facility's
    # own, build its spans again on the way: no constraint to trip over in between).
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="states",
        db_index=False,
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)
    in_denominator = models.BooleanField()
    aware = models.BooleanField()
    applying = models.BooleanField()
    cp_unit = models.BooleanField()
    area = models.ForeignKey(
        "facilities.AdministrativeUnit",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    district = models.ForeignKey(
        "facilities.AdministrativeUnit",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )

    objects = SpanQuerySet.as_manager()

    class Meta:
        verbose_name = _("trạng thái cơ sở theo thời gian")
        verbose_name_plural = _("trạng thái cơ sở theo thời gian")
        indexes = [
            models.Index(fields=["facility", "valid_from"], name="reporting_state_facility"),
            models.Index(fields=["valid_from", "valid_to"], name="reporting_state_span"),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id}: {self.valid_from} – {self.valid_to or '…'}"


class FacilitySaving(models.Model):
    """A facility's savings against its baseline over a span of days, kept on write (see
    reporting/kept.py): from `valid_from` (inclusive) to `valid_to` (exclusive; None: for good)
    its like period compared with the baseline in force gave these savings (fractions, 0.05 is
    5%). Days without a comparison have no row. `figures` holds what the engine's savings
    entries read (`kept.Saving`): T3's figure, the energy (TOE), main-material and water
    savings, each resource's, and whether an energy resource lacked a TOE factor. Whether the
    facility counts (in the denominator, applying) is its state's."""

    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="savings_kept",
        db_index=False,
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)
    # Exact decimals as text (see kept.Saving.as_json): the same figures as the live engine's.
    figures = models.JSONField()

    objects = SpanQuerySet.as_manager()

    class Meta:
        verbose_name = _("mức tiết kiệm của cơ sở theo thời gian")
        verbose_name_plural = _("mức tiết kiệm của cơ sở theo thời gian")
        indexes = [
            models.Index(fields=["facility", "valid_from"], name="reporting_saving_facility"),
            models.Index(fields=["valid_from", "valid_to"], name="reporting_saving_span"),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id}: {self.valid_from} – {self.valid_to or '…'}"


class KeptFigures(models.Model):
    """Whether the kept figures cover every facility: set by a full rebuild (and on a database
    that starts empty), read by the engine before it trusts them. One row at most."""

    built_at = models.DateTimeField()
    facilities = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp sẵn")
        verbose_name_plural = _("số liệu tổng hợp sẵn")

    def __str__(self) -> str:
        return f"{self.facilities} / {self.rows} ({self.built_at:%d/%m/%Y %H:%M})"


class FiguresVersion(models.Model):
    """The version of the facts the figures are computed from: a new random token whenever a
    domain record or a kept figure is written, in the writer's transaction
    (reporting/freshness.py). Figures cached under a token are those of that token's facts; the
    token of a write rolled back is never seen again. One row."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("phiên bản số liệu")
        verbose_name_plural = _("phiên bản số liệu")

    def __str__(self) -> str:
        return self.token
