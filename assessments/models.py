from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SupportOrganisation(models.Model):
    """A member of the plan's network of CP support organisations (consultancies, centres, ...)."""

    class Kind(models.TextChoices):
        CONSULTANCY = "consultancy", _("Công ty tư vấn")
        CENTRE = "centre", _("Trung tâm")
        UNIVERSITY = "university", _("Trường đại học, viện")

    name = models.CharField(_("tên tổ chức"), max_length=200, unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tổ chức hỗ trợ SXSH")
        verbose_name_plural = _("tổ chức hỗ trợ SXSH")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
