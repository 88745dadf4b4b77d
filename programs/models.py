from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Agency(models.Model):
    """A coordinating agency the plan assigns tasks to (a department, a board, a district)."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở, ngành cấp tỉnh")
        BOARD = "board", _("Ban quản lý, trung tâm")
        DISTRICT = "district", _("UBND cấp huyện")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=200)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    # A district People's Committee sees its own area in detail; province-level agencies have none.
    area = models.ForeignKey(
        "facilities.AdministrativeUnit",
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan phối hợp")
        verbose_name_plural = _("cơ quan phối hợp")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="district") | models.Q(area__isnull=False),
                name="programs_agency_district_has_area",
            ),
        ]

    def __str__(self) -> str:
        return self.name
