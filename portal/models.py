from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    DEPARTMENT_ADMIN = "department_admin", _("Quản trị viên Sở Công Thương")
    DEPARTMENT_STAFF = "department_staff", _("Cán bộ Sở Công Thương")
    FACILITY_MANAGER = "facility_manager", _("Quản lý cơ sở sản xuất")
    AGENCY_OFFICER = "agency_officer", _("Cán bộ cơ quan phối hợp")
    OFFICIAL = "official", _("Lãnh đạo (UBND tỉnh, Bộ Công Thương)")
    CONSULTANT = "consultant", _("Chuyên gia tư vấn")


class OfficialBody(models.TextChoices):
    PROVINCIAL_COMMITTEE = "ppc", _("UBND tỉnh Nghệ An")
    MINISTRY = "moit", _("Bộ Công Thương")


class User(AbstractUser):
    """A person who signs in. The role says what they may use; the link says whose data."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    agency = models.ForeignKey(
        "programs.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )
    support_organisation = models.ForeignKey(
        "assessments.SupportOrganisation",
        verbose_name=_("tổ chức hỗ trợ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultants",
    )
    official_body = models.CharField(
        _("cơ quan lãnh đạo"), max_length=4, choices=OfficialBody.choices, blank=True
    )

    # Password hashes and login times are not programme data and must not pile up in history.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.AGENCY_OFFICER) | Q(agency__isnull=False),
                name="portal_user_agency_officer_has_agency",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.CONSULTANT) | Q(support_organisation__isnull=False),
                name="portal_user_consultant_has_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.OFFICIAL) | ~Q(official_body=""),
                name="portal_user_official_has_body",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.role == Role.AGENCY_OFFICER and not self.agency_id:
            errors["agency"] = _("Cán bộ cơ quan phối hợp phải thuộc một cơ quan.")
        if self.role == Role.CONSULTANT and not self.support_organisation_id:
            errors["support_organisation"] = _("Chuyên gia tư vấn phải thuộc một tổ chức hỗ trợ.")
        if self.role == Role.OFFICIAL and not self.official_body:
            errors["official_body"] = _("Vui lòng chọn UBND tỉnh hoặc Bộ Công Thương.")
        if errors:
            raise ValidationError(errors)

    def apply_role_flags(self) -> None:
        """Only department admins reach Django's admin, and there they may do everything."""
        is_admin = self.role == Role.DEPARTMENT_ADMIN
        self.is_staff = is_admin
        self.is_superuser = is_admin


class ClosedPeriodQuerySet(models.QuerySet["ClosedPeriod"]):
    def in_force(self) -> ClosedPeriodQuerySet:
        return self.filter(reopened_at__isnull=True)


class ClosedPeriod(models.Model):
    """Figures up to `closed_through` are closed: issuing a report closes them (DHIS2's data
    approval and locking are the model), and a department admin may reopen them with a reason.

    It lives on the ground floor because the domain's writes check it (`portal.lib.closing`)
    and the domain may not read the reporting floor: the issued report is named here by its
    run's id and its number, as plain values.
    """

    closed_through = models.DateField(_("chốt số liệu đến ngày"))
    label = models.CharField(_("báo cáo"), max_length=60, help_text=_("Số hiệu, ví dụ 125/BC-SCT."))
    report_run_id = models.PositiveIntegerField(_("mã lần tạo báo cáo"), null=True, blank=True)
    closed_at = models.DateTimeField(_("chốt lúc"), default=timezone.now)
    closed_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("người chốt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("mở lại lúc"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("người mở lại"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)

    history = HistoricalRecords()
    objects = ClosedPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ đã chốt số liệu")
        verbose_name_plural = _("kỳ đã chốt số liệu")
        ordering = ["-closed_through", "-closed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True) | ~Q(reopen_reason=""),
                name="portal_closedperiod_reopened_with_reason",
            )
        ]

    def __str__(self) -> str:
        return str(
            _("Chốt số liệu đến ngày %(date)s (báo cáo số %(label)s)")
            % {"date": self.closed_through.strftime("%d/%m/%Y"), "label": self.label}
        )

    @property
    def is_in_force(self) -> bool:
        return self.reopened_at is None
