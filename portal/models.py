from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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
            errors["official_body"] = _("Hãy chọn UBND tỉnh hoặc Bộ Công Thương.")
        if errors:
            raise ValidationError(errors)

    def apply_role_flags(self) -> None:
        """Only department admins reach Django's admin, and there they may do everything."""
        is_admin = self.role == Role.DEPARTMENT_ADMIN
        self.is_staff = is_admin
        self.is_superuser = is_admin
