from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import OfficialBody


class Audience(models.TextChoices):
    """Who a report is addressed to: it sets the recipient block and the level of detail."""

    PROVINCE = "province", _("UBND tỉnh Nghệ An")
    MINISTRY = "ministry", _("Bộ Công Thương")

    @classmethod
    def for_official_body(cls, body: str) -> Audience:
        return cls.MINISTRY if body == OfficialBody.MINISTRY else cls.PROVINCE


class ReportRunQuerySet(models.QuerySet["ReportRun"]):
    def same_report(self, run: ReportRun) -> ReportRunQuerySet:
        return self.filter(
            plan=run.plan_id,
            year=run.year,
            quarter=run.quarter,
            audience=run.audience,
            as_of=run.as_of,
        )


class ReportRun(models.Model):
    """One generation of a quarterly or annual report: its request, its progress, its files.

    A plan, period, audience and as-of date make one report; it is generated once, and a
    regeneration is a new version beside the old one. The files appear only when both are
    complete, so nobody downloads a half-written file.
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
    audience = models.CharField(_("nơi nhận"), max_length=8, choices=Audience.choices)
    as_of = models.DateField(_("số liệu tính đến ngày"))
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
    # The summary figures as generated, so the archive shows them without reopening a file.
    summary = models.JSONField(_("số liệu tóm tắt"), default=list, blank=True)
    notified_at = models.DateTimeField(_("đã báo tin lúc"), null=True, blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần tạo báo cáo")
        verbose_name_plural = _("lần tạo báo cáo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "quarter", "audience", "as_of", "version"],
                name="reporting_reportrun_one_per_version",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__lte=4), name="reporting_reportrun_quarter_0_to_4"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="reporting_reportrun_version_from_1"
            ),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.period_label} – {self.get_audience_display()} (v{self.version})"

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.quarter)

    @property
    def period_code(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

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


class DownloadLog(models.Model):
    """Who downloaded which report or export, and when."""

    class Kind(models.TextChoices):
        REPORT_PDF = "report_pdf", _("Báo cáo PDF")
        REPORT_XLSX = "report_xlsx", _("Báo cáo Excel")
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
