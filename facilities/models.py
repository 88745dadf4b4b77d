from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AdministrativeUnitQuerySet(models.QuerySet["AdministrativeUnit"]):
    def valid_on(self, day: datetime.date) -> AdministrativeUnitQuerySet:
        """Units that existed on `day`: geography changes, so reports ask for a date."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class AdministrativeUnit(models.Model):
    """A unit of the administrative tree (province → district-level unit → commune).

    Units are data with validity dates, not a fixed list: Cửa Lò merged into Vinh and the
    district level was abolished in July 2025, yet a report for 2019 must group by the units
    of 2019.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        DISTRICT = "district", _("Cấp huyện")
        COMMUNE = "commune", _("Cấp xã")

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        CITY = "city", _("Thành phố")
        TOWN = "town", _("Thị xã")
        DISTRICT = "district", _("Huyện")
        WARD = "ward", _("Phường")
        COMMUNE = "commune", _("Xã")
        TOWNLET = "townlet", _("Thị trấn")

    code = models.CharField(
        _("mã đơn vị"), max_length=10, help_text=_("Mã theo danh mục của Tổng cục Thống kê.")
    )
    name = models.CharField(_("tên"), max_length=100)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="facilities_administrativeunit_code_period"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="facilities_administrativeunit_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"
