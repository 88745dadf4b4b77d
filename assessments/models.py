"""What each plant found, did and saved: assessments, CP options, baselines and self-reports.

Self-reports live here rather than in facilities/ because they are measured against the same
things as an assessment's baseline (resources, quantities, intensity per unit of product), and
savings (target T3) are computed from the two together.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from facilities.models import Facility, ProductUnit, facility_condition, validate_product_unit
from portal.access import role_of
from portal.lib.closing import ClosingGuard, Rule, Span, day_after, span
from portal.lib.dates import end_of_day
from portal.lib.uploads import is_pdf
from portal.models import Role

MAX_PDF_BYTES = 20 * 1024 * 1024
NON_NEGATIVE = [MinValueValidator(Decimal(0))]
YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


def validate_pdf(upload: object) -> None:
    """A report file must be a PDF (by its structure, not only its name) of at most 20 MB."""
    size = getattr(upload, "size", 0) or 0
    if size > MAX_PDF_BYTES:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s MB); tối đa 20 MB."),
            params={"size": f"{size / 1024 / 1024:.1f}"},
        )
    if not is_pdf(upload):
        raise ValidationError(_("Tệp không phải PDF: vui lòng tải lên báo cáo dạng PDF."))


def unit_name(code: str) -> str:
    """A product unit's name in the interface language, by its code (the code if unknown)."""
    unit = ProductUnit.objects.filter(code=code).first() if code else None
    return unit.label() if unit else code


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
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    expertise = models.TextField(_("lĩnh vực chuyên môn"), blank=True)
    # The facilities the Department assigned to the organisation: its consultants see these.
    facilities = models.ManyToManyField(
        Facility,
        verbose_name=_("cơ sở được giao"),
        blank=True,
        related_name="support_organisations",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tổ chức hỗ trợ SXSH")
        verbose_name_plural = _("tổ chức hỗ trợ SXSH")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ResourceQuerySet(models.QuerySet["Resource"]):
    def for_form(self, used: Iterable[int] = (), also: Iterable[int] = ()) -> ResourceQuerySet:
        """The resources a consumption form offers: those offered, those it is `also` to ask
        (the main materials of the facility's sector: `SectorMaterial.of_facility`), and any
        already `used` (a line is never hidden because its resource was withdrawn from the
        forms)."""
        return self.filter(Q(offered=True) | Q(pk__in=[*used, *also]))


class Resource(models.Model):
    """Something a plant consumes, in its own unit: electricity, each fuel, water, a material."""

    class Kind(models.TextChoices):
        ELECTRICITY = "electricity", _("Điện")
        FUEL = "fuel", _("Nhiên liệu")
        WATER = "water", _("Nước")
        MATERIAL = "material", _("Nguyên vật liệu")

    code = models.SlugField(_("mã"), max_length=30, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    unit = models.CharField(_("đơn vị"), max_length=20)
    unit_en = models.CharField(_("đơn vị (tiếng Anh)"), max_length=20, blank=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    rank = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # The Ministry's TOE table lists more fuels than Nghệ An's plants burn; those are shipped
    # with their factors but kept out of the forms until a plant needs one.
    offered = models.BooleanField(
        _("có trong biểu mẫu nhập liệu"),
        default=True,
        help_text=_("Bỏ chọn để không hiện loại này trên biểu mẫu báo cáo và năm cơ sở."),
    )

    history = HistoricalRecords()
    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("loại tiêu thụ")
        verbose_name_plural = _("loại tiêu thụ")
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return f"{self.label} ({self.unit_label})"

    @property
    def label(self) -> str:
        """The name in the interface language (reports, rendered in Vietnamese, say `name`)."""
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def unit_label(self) -> str:
        return self.unit_en if get_language() == "en" and self.unit_en else self.unit

    @property
    def is_energy(self) -> bool:
        return self.kind in (self.Kind.ELECTRICITY, self.Kind.FUEL)


class SectorMaterial(models.Model):
    """A main material of a sector (VSIC 2018 code prefix) per unit of product: what the
    consumption forms of the sector's facilities ask for beside the resources offered to all
    (cement: clinker and limestone per tonne; beer: malt and water per hectolitre; …), so that
    a sector's materials saving (`FacilitySavings.material`, an indicator with the materials
    family) is measured on them. The resource is an ordinary one, usually of the materials
    kind and not offered to every facility; the product unit says what its consumption is per
    (asked only of facilities with a product in that unit, when one is named)."""

    sector_prefix = models.CharField(
        _("ngành (mã VSIC 2018)"),
        max_length=5,
        validators=[
            RegexValidator(r"^\d{2,5}$", _("Vui lòng nhập mã ngành VSIC 2018 gồm 2 đến 5 chữ số."))
        ],
        help_text=_("Mã ngành hoặc phần đầu mã ngành, ví dụ 239 hoặc 13."),
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("nguyên vật liệu"),
        on_delete=models.PROTECT,
        related_name="sector_materials",
    )
    product_unit = models.CharField(
        _("tính trên đơn vị sản phẩm"),
        max_length=8,
        blank=True,
        validators=[validate_product_unit],
        help_text=_("Để trống: hỏi mọi cơ sở của ngành, dù sản phẩm tính theo đơn vị nào."),
    )
    rank = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nguyên vật liệu chính theo ngành")
        verbose_name_plural = _("nguyên vật liệu chính theo ngành")
        ordering = ["sector_prefix", "rank", "resource"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector_prefix", "resource", "product_unit"],
                name="assessments_sectormaterial_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sector_prefix}: {self.resource}"

    @classmethod
    def of_facility(cls, facility: Facility) -> list[SectorMaterial]:
        """The rows whose prefix begins the facility's sector code and whose product unit (if
        named) is one of its products' units: two small queries."""
        code = facility.sector.code if facility.sector_id else ""
        units = set(facility.products.values_list("unit", flat=True))
        return [
            material
            for material in cls.objects.select_related("resource")
            if code.startswith(material.sector_prefix)
            and (not material.product_unit or material.product_unit in units)
        ]


class FactorQuerySet(models.QuerySet[Any]):
    def valid_on(self, day: datetime.date) -> FactorQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class DatedFactor(models.Model):
    """A factor per unit of an energy resource, from a source, in force between two dates: a
    new figure is a new row with a later `valid_from`, so old figures keep the factor of their
    date. Subclasses add the resource and the value."""

    # Blank until someone names the text (biomass fuels have no official factor); a factor
    # is "verified" only when its source was checked against the original document.
    source = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    source_checked = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = FactorQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["resource", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "valid_from"], name="%(app_label)s_%(class)s_one_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_to_after_from",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.source_checked and not self.source.strip():
            raise ValidationError(
                {"source": _("Vui lòng ghi văn bản nguồn trước khi đánh dấu đã đối chiếu.")}
            )

    @property
    def is_verified(self) -> bool:
        return self.source_checked and bool(self.source.strip())


class ConversionFactor(ClosingGuard, DatedFactor):
    """How many TOE one unit of an energy resource is, by the legal text in force on a date."""

    resource = models.ForeignKey(
        Resource,
        verbose_name=_("loại năng lượng"),
        on_delete=models.PROTECT,
        related_name="conversion_factors",
    )
    toe_per_unit = models.DecimalField(
        _("TOE trên một đơn vị"), max_digits=18, decimal_places=9, validators=NON_NEGATIVE
    )

    history = HistoricalRecords()
    # T3 converts with the factor in force on the last day of a compared period.
    closing_rule = Rule(
        fields=("resource_id", "toe_per_unit", "valid_from", "valid_to"),
        spans=lambda facts: span(
            facts["valid_from"],
            day_after(facts["valid_to"]),
            (facts["resource_id"], facts["toe_per_unit"]),
        ),
        indicators=("T3",),
    )

    class Meta(DatedFactor.Meta):
        verbose_name = _("hệ số quy đổi TOE")
        verbose_name_plural = _("hệ số quy đổi TOE")

    def __str__(self) -> str:
        return f"{self.resource}: {self.toe_per_unit} TOE ({self.source or '—'})"


class EmissionFactor(DatedFactor):
    """Tonnes of CO₂-equivalent one unit of an energy resource emits: the grid's factor of a
    year for electricity, an IPCC 2006 default for a fuel."""

    resource = models.ForeignKey(
        Resource,
        verbose_name=_("loại năng lượng"),
        on_delete=models.PROTECT,
        related_name="emission_factors",
    )
    tco2e_per_unit = models.DecimalField(
        _("tCO₂e trên một đơn vị"), max_digits=18, decimal_places=9, validators=NON_NEGATIVE
    )

    history = HistoricalRecords()

    class Meta(DatedFactor.Meta):
        verbose_name = _("hệ số phát thải")
        verbose_name_plural = _("hệ số phát thải")

    def __str__(self) -> str:
        return f"{self.resource}: {self.tco2e_per_unit} tCO₂e ({self.source or '—'})"


class GhgInventoryListing(models.Model):
    """A facility named on a list of those that must inventory their greenhouse gases
    (Decision 13/2024/QĐ-TTg and its later updates): dated data, one row per facility and
    decision, so the registry shows which list named it and since when."""

    facility = models.ForeignKey(
        Facility,
        verbose_name=_("cơ sở"),
        on_delete=models.CASCADE,
        related_name="ghg_listings",
    )
    decision = models.CharField(_("quyết định"), max_length=60, default="13/2024/QĐ-TTg")
    decided_on = models.DateField(_("ngày ban hành"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("danh mục kiểm kê khí nhà kính")
        verbose_name_plural = _("danh mục kiểm kê khí nhà kính")
        ordering = ["-decided_on", "facility"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "decision"], name="assessments_ghginventorylisting_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility} – {self.decision}"


class PublicHoliday(models.Model):
    """A day off that is not a weekend (Labour Code 2019, art. 112, and the yearly notices):
    data, so the Department adds next year's Tết when it is announced."""

    day = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên ngày nghỉ"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngày nghỉ lễ, Tết")
        verbose_name_plural = _("ngày nghỉ lễ, Tết")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def supported(self) -> AssessmentQuerySet:
        """Assessments the programme supported (the plan's "hỗ trợ"): paid from the provincial
        or the central budget or by a donor, not by the enterprise alone."""
        return self.exclude(funding=Assessment.Funding.ENTERPRISE)

    def visible_to(self, user: Any) -> AssessmentQuerySet:
        """Assessments of the facilities `user` may see."""
        return self.filter(facility__in=Facility.objects.visible_to(user).values("pk"))

    def editable_by(self, user: Any) -> AssessmentQuerySet:
        """Assessments `user` may change: the Department any it may see, a consultant only their
        own organisation's (an assigned facility may also have been assessed by someone else)."""
        assessments = self.visible_to(user)
        if role_of(user) == Role.CONSULTANT:
            return assessments.filter(organisation=user.support_organisation_id)
        return assessments


def _assessment_spans(facts: Any) -> list[Span]:
    """In progress from its start (A3+/A4+), done from its completion (A3/A4, and a detailed
    one's baseline for T3), each under its facility, kind and funding."""
    kind = (facts["facility_id"], facts["kind"], facts["funding"])
    spans = span(facts["started_on"], None, ("started", *kind))
    if facts["status"] == Assessment.Status.COMPLETED:
        spans += span(facts["completed_on"], None, ("completed", *kind))
    return spans


class Assessment(ClosingGuard, models.Model):
    """A quick (walk-through) or detailed (UNEP/UNIDO) CP assessment at one facility."""

    class Kind(models.TextChoices):
        QUICK = "quick", _("Đánh giá nhanh")
        DETAILED = "detailed", _("Đánh giá chi tiết")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Kế hoạch")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        COMPLETED = "completed", _("Hoàn thành")

    class Funding(models.TextChoices):
        PROVINCIAL = "provincial", _("Ngân sách tỉnh")
        CENTRAL = "central", _("Ngân sách trung ương")
        ENTERPRISE = "enterprise", _("Vốn của cơ sở")
        DONOR = "donor", _("Nhà tài trợ")

    facility = models.ForeignKey(
        Facility, verbose_name=_("cơ sở"), on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(_("loại đánh giá"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    started_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    organisation = models.ForeignKey(
        SupportOrganisation,
        verbose_name=_("đơn vị thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    team = models.CharField(_("nhóm đánh giá"), max_length=255, blank=True)
    funding = models.CharField(_("nguồn kinh phí"), max_length=12, choices=Funding.choices)
    findings = models.TextField(_("kết quả chính"), blank=True)
    report = models.FileField(
        _("báo cáo (PDF)"),
        upload_to="assessments/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
    )

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()
    closing_rule = Rule(
        fields=("facility_id", "kind", "status", "funding", "started_on", "completed_on"),
        spans=_assessment_spans,
        indicators=("A3", "A4", "T3"),
    )

    class Meta:
        verbose_name = _("đánh giá SXSH")
        verbose_name_plural = _("đánh giá SXSH")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="assessments_assessment_completed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(completed_on__gte=models.F("started_on")),
                name="assessments_assessment_completed_after_started",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.facility}"

    def clean(self) -> None:
        super().clean()
        if self.status == self.Status.COMPLETED and not self.completed_on:
            raise ValidationError({"completed_on": _("Đánh giá hoàn thành cần ngày hoàn thành.")})
        if self.completed_on and self.started_on and self.completed_on < self.started_on:
            raise ValidationError({"completed_on": _("Ngày hoàn thành phải sau ngày bắt đầu.")})


class Baseline(ClosingGuard, models.Model):
    """A detailed assessment's baseline year: output and what it took to make it."""

    assessment = models.OneToOneField(
        Assessment, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="baseline"
    )
    year = models.PositiveSmallIntegerField(_("năm cơ sở"), validators=YEAR_VALIDATORS)
    output = models.DecimalField(
        _("sản lượng"), max_digits=18, decimal_places=3, validators=NON_NEGATIVE
    )
    # The code of a facilities.ProductUnit, as products store it.
    output_unit = models.CharField(
        _("đơn vị sản phẩm"), max_length=8, validators=[validate_product_unit]
    )

    history = HistoricalRecords()
    # T3 compares with the baseline from its assessment's completion.
    closing_rule = Rule(
        fields=("assessment_id", "year", "output", "output_unit", "assessment__completed_on"),
        spans=lambda facts: span(
            facts["assessment__completed_on"],
            None,
            (facts["assessment_id"], facts["year"], facts["output"], facts["output_unit"]),
        ),
        indicators=("T3",),
    )

    class Meta:
        verbose_name = _("số liệu năm cơ sở")
        verbose_name_plural = _("số liệu năm cơ sở")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="assessments_baseline_year_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment.facility} – {self.year}"

    def get_output_unit_display(self) -> str:
        return unit_name(self.output_unit)


class BaselineConsumption(ClosingGuard, models.Model):
    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="consumptions")
    resource = models.ForeignKey(
        Resource, verbose_name=_("loại tiêu thụ"), on_delete=models.PROTECT
    )
    quantity = models.DecimalField(
        _("lượng tiêu thụ"), max_digits=18, decimal_places=3, validators=NON_NEGATIVE
    )

    history = HistoricalRecords()
    closing_rule = Rule(
        fields=("baseline_id", "resource_id", "quantity", "baseline__assessment__completed_on"),
        spans=lambda facts: span(
            facts["baseline__assessment__completed_on"],
            None,
            (facts["baseline_id"], facts["resource_id"], facts["quantity"]),
        ),
        indicators=("T3",),
    )

    class Meta:
        verbose_name = _("tiêu thụ năm cơ sở")
        verbose_name_plural = _("tiêu thụ năm cơ sở")
        constraints = [
            models.UniqueConstraint(
                fields=["baseline", "resource"], name="assessments_baselineconsumption_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource}: {self.quantity}"


class Technique(models.TextChoices):
    """The eight CP techniques options are classed by."""

    HOUSEKEEPING = "housekeeping", _("Quản lý nội vi")
    INPUT_CHANGE = "input_change", _("Thay đổi nguyên vật liệu đầu vào")
    PROCESS_CONTROL = "process_control", _("Kiểm soát quá trình tốt hơn")
    EQUIPMENT = "equipment", _("Cải tiến thiết bị")
    TECHNOLOGY = "technology", _("Thay đổi công nghệ")
    RECOVERY = "recovery", _("Thu hồi, tái sử dụng tại chỗ")
    BY_PRODUCT = "by_product", _("Tạo ra sản phẩm phụ hữu ích")
    PRODUCT = "product", _("Cải tiến sản phẩm")


class CPOptionQuerySet(models.QuerySet["CPOption"]):
    def verified_on(self, day: datetime.date) -> CPOptionQuerySet:
        """Options implemented and verified by `day`: a measure the facility applies."""
        return self.filter(
            status=CPOption.Status.VERIFIED, implemented_on__lte=day, verified_on__lte=day
        )


def _option_spans(facts: Any) -> list[Span]:
    """A measure the facility applies (T2) once verified, from the later of its two dates
    (`CPOptionQuerySet.verified_on`)."""
    done, checked = facts["implemented_on"], facts["verified_on"]
    if facts["status"] != CPOption.Status.VERIFIED or done is None or checked is None:
        return []
    return span(max(done, checked), None, facts["assessment_id"])


class CPOption(ClosingGuard, models.Model):
    """An option an assessment found; once implemented and verified, the facility applies CP."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề xuất")
        ACCEPTED = "accepted", _("Được chấp nhận")
        IMPLEMENTED = "implemented", _("Đã thực hiện")
        VERIFIED = "verified", _("Đã kiểm chứng")
        REJECTED = "rejected", _("Không thực hiện")

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="options"
    )
    technique = models.CharField(_("nhóm giải pháp"), max_length=16, choices=Technique.choices)
    description = models.TextField(_("mô tả giải pháp"))
    investment_vnd = models.DecimalField(
        _("vốn đầu tư (đồng)"), max_digits=18, decimal_places=0, default=0, validators=NON_NEGATIVE
    )
    savings_vnd_per_year = models.DecimalField(
        _("tiết kiệm/năm (đồng)"),
        max_digits=18,
        decimal_places=0,
        default=0,
        validators=NON_NEGATIVE,
    )
    savings_toe_per_year = models.DecimalField(
        _("tiết kiệm năng lượng/năm (TOE)"),
        max_digits=14,
        decimal_places=3,
        default=0,
        validators=NON_NEGATIVE,
    )
    savings_water_m3_per_year = models.DecimalField(
        _("tiết kiệm nước/năm (m³)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=NON_NEGATIVE,
    )
    savings_material = models.CharField(_("tiết kiệm nguyên vật liệu"), max_length=255, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    implemented_on = models.DateField(_("ngày thực hiện"), null=True, blank=True)
    verified_on = models.DateField(_("ngày kiểm chứng"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kiểm chứng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CPOptionQuerySet.as_manager()
    history = HistoricalRecords()
    closing_rule = Rule(
        fields=("assessment_id", "status", "implemented_on", "verified_on"),
        spans=_option_spans,
        indicators=("T2", "T3"),
    )

    class Meta:
        verbose_name = _("giải pháp SXSH")
        verbose_name_plural = _("giải pháp SXSH")
        ordering = ["assessment", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["implemented", "verified"])
                | Q(implemented_on__isnull=False),
                name="assessments_cpoption_implemented_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_on__isnull=False),
                name="assessments_cpoption_verified_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_technique_display()}: {self.description[:60]}"

    @property
    def payback_years(self) -> Decimal | None:
        """Simple payback: investment over yearly money savings (none without savings)."""
        if not self.savings_vnd_per_year:
            return None
        return (self.investment_vnd / self.savings_vnd_per_year).quantize(Decimal("0.1"))


class ReportingSchedule(models.Model):
    """When self-reports of a period kind are due, and when reminders go out (data, not code)."""

    class PeriodKind(models.TextChoices):
        QUARTER = "quarter", _("Quý")
        YEAR = "year", _("Năm")

    period_kind = models.CharField(
        _("kỳ báo cáo"), max_length=8, choices=PeriodKind.choices, unique=True
    )
    days_after_period_end = models.PositiveSmallIntegerField(_("hạn nộp (ngày sau khi hết kỳ)"))
    remind_days_before = models.PositiveSmallIntegerField(_("nhắc trước hạn (ngày)"), default=5)
    remind_days_after = models.PositiveSmallIntegerField(_("nhắc sau hạn (ngày)"), default=3)
    # Warn the reviewer when intensity moves by more than this share against the baseline or the
    # previous period.
    intensity_change_threshold = models.DecimalField(
        _("ngưỡng cảnh báo thay đổi suất tiêu hao"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.30"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lịch báo cáo")
        verbose_name_plural = _("lịch báo cáo")

    def __str__(self) -> str:
        return self.get_period_kind_display()


class SelfReportQuerySet(models.QuerySet["SelfReport"]):
    def visible_to(self, user: Any) -> SelfReportQuerySet:
        """Self-reports of the facilities `user` may see."""
        return self.filter(facility__in=Facility.objects.visible_to(user).values("pk"))

    def current(self) -> SelfReportQuerySet:
        """The latest version of each report (a correction is a new version). NOT EXISTS, not
        the reverse join's IS NULL: PostgreSQL estimates the join's rows as one, and sorts a
        whole registry's reports joined to their facilities before a page takes 50."""
        newer = SelfReport.objects.filter(supersedes=OuterRef("pk"))
        return self.filter(~Exists(newer))

    def in_force(self, *, on: datetime.date | None = None) -> SelfReportQuerySet:
        """The approved figures of each period: the latest approved version (as approved by the
        end of `on`, Vietnam time, when given). A correction still in draft or review leaves the
        approved version in force until it is approved itself; a correction approved after `on`
        does not change what was in force on `on`."""
        approved = self.filter(status=SelfReport.Status.APPROVED)
        replaced = Q(superseded_by__status=SelfReport.Status.APPROVED)
        if on is not None:
            # reviewed_at__date__lte=on in Vietnam time, without a cast per row.
            approved = approved.filter(reviewed_at__lt=end_of_day(on))
            replaced &= Q(superseded_by__reviewed_at__lt=end_of_day(on))
        return approved.exclude(replaced)


class SelfReport(models.Model):
    """A facility's periodic output, consumption and measures, reviewed by the Department."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Đã nộp")
        RETURNED = "returned", _("Trả lại để sửa")
        APPROVED = "approved", _("Đã duyệt")

    PeriodKind = ReportingSchedule.PeriodKind

    facility = models.ForeignKey(
        Facility, verbose_name=_("cơ sở"), on_delete=models.PROTECT, related_name="self_reports"
    )
    period_kind = models.CharField(_("kỳ báo cáo"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("lần"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("thay thế báo cáo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    output = models.DecimalField(
        _("sản lượng trong kỳ"),
        max_digits=18,
        decimal_places=3,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    output_unit = models.CharField(
        _("đơn vị sản phẩm"), max_length=8, blank=True, validators=[validate_product_unit]
    )

    has_cp_unit = models.BooleanField(_("có bộ phận chuyên trách SXSH"), default=False)
    notes = models.TextField(_("ghi chú"), blank=True)
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("thời điểm duyệt"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewer_comment = models.TextField(_("ý kiến người duyệt"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Whether `plausibility_warnings` finds anything, kept on write for the review queue's filter
    # (assessments/flags.py); None: not known (computed when asked).
    has_warnings = models.BooleanField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["has_warnings"])
    objects = SelfReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo định kỳ của cơ sở")
        verbose_name_plural = _("báo cáo định kỳ của cơ sở")
        ordering = ["-year", "-quarter", "facility"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "period_kind", "year", "quarter", "version"],
                name="assessments_selfreport_one_per_version",
            ),
            # A year report has no quarter, and NULLs never clash in a unique index.
            models.UniqueConstraint(
                fields=["facility", "year", "version"],
                condition=Q(period_kind="year"),
                name="assessments_selfreport_one_year_report_per_version",
            ),
            models.CheckConstraint(
                condition=(Q(period_kind="quarter") & Q(quarter__gte=1) & Q(quarter__lte=4))
                | (Q(period_kind="year") & Q(quarter__isnull=True)),
                name="assessments_selfreport_quarter_matches_kind",
            ),
        ]
        indexes = [
            # Who reported for a period, and by when (completeness): read from the index alone.
            models.Index(
                fields=["period_kind", "year", "quarter", "submitted_at", "facility"],
                name="selfreport_period_submitted",
            ),
            # The review queue, oldest submission first: of one status, and of all.
            models.Index(fields=["status", "submitted_at", "id"], name="selfreport_queue"),
            models.Index(fields=["submitted_at", "id"], name="selfreport_submitted"),
            # Its "with warnings" list, and the reports whose flag is not known yet (which that
            # list computes itself): a few reports among millions, read in the same order.
            models.Index(
                fields=["status", "submitted_at", "id"],
                condition=models.Q(has_warnings=True),
                name="selfreport_queue_warned",
            ),
            models.Index(
                fields=["status", "submitted_at", "id"],
                condition=models.Q(has_warnings__isnull=True),
                name="selfreport_queue_unflagged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} – {self.period_label}"

    def get_output_unit_display(self) -> str:
        return unit_name(self.output_unit)

    @property
    def period_label(self) -> str:
        if self.period_kind == self.PeriodKind.QUARTER:
            return _("Quý %(quarter)s/%(year)s") % {"quarter": self.quarter, "year": self.year}
        return _("Năm %(year)s") % {"year": self.year}

    @property
    def period_start(self) -> datetime.date:
        if self.period_kind == self.PeriodKind.QUARTER:
            return datetime.date(self.year, 3 * (self.quarter or 1) - 2, 1)
        return datetime.date(self.year, 1, 1)

    @property
    def period_end(self) -> datetime.date:
        if self.period_kind == self.PeriodKind.QUARTER:
            start = datetime.date(
                self.year + (self.quarter == 4), (3 * (self.quarter or 1)) % 12 + 1, 1
            )
            return start - datetime.timedelta(days=1)
        return datetime.date(self.year, 12, 31)

    @property
    def is_locked(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.APPROVED)


class SelfReportConsumption(models.Model):
    report = models.ForeignKey(SelfReport, on_delete=models.CASCADE, related_name="consumptions")
    resource = models.ForeignKey(
        Resource, verbose_name=_("loại tiêu thụ"), on_delete=models.PROTECT
    )
    quantity = models.DecimalField(
        _("lượng tiêu thụ"), max_digits=18, decimal_places=3, validators=NON_NEGATIVE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiêu thụ trong kỳ")
        verbose_name_plural = _("tiêu thụ trong kỳ")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "resource"], name="assessments_selfreportconsumption_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource}: {self.quantity}"


def applying_sources(day: datetime.date) -> list[tuple[models.QuerySet[Any], str]]:
    """Applying CP on `day` (T2), the one definition: a facility is applying when it has a
    measure implemented and verified by `day`, either an assessment's option verified by then or
    a measure implemented by then in a self-report in force on `day` (a measure that a later
    approved correction removed no longer counts). Each source with the path to its facility id.
    """
    measures = SelfReportMeasure.objects.filter(
        report__in=SelfReport.objects.in_force(on=day), implemented_on__lte=day
    )
    return [
        (CPOption.objects.verified_on(day), "assessment__facility_id"),
        (measures, "report__facility_id"),
    ]


def applying_q(day: datetime.date, *, facility: str = "pk", per_row: bool = False) -> Q:
    """The facilities applying CP on `day` (see `applying_sources`) as a condition on
    `facility`; `per_row` as in `facilities.models.facility_condition`."""
    return facility_condition(applying_sources(day), facility=facility, per_row=per_row, all_=False)


class SelfReportMeasure(models.Model):
    """A CP measure the facility implemented in the period, with what it cost and saves."""

    report = models.ForeignKey(SelfReport, on_delete=models.CASCADE, related_name="measures")
    technique = models.CharField(_("nhóm giải pháp"), max_length=16, choices=Technique.choices)
    description = models.CharField(_("giải pháp"), max_length=255)
    implemented_on = models.DateField(_("ngày thực hiện"))
    cost_vnd = models.DecimalField(
        _("chi phí (đồng)"), max_digits=18, decimal_places=0, default=0, validators=NON_NEGATIVE
    )
    savings_vnd_per_year = models.DecimalField(
        _("tiết kiệm/năm (đồng)"),
        max_digits=18,
        decimal_places=0,
        default=0,
        validators=NON_NEGATIVE,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giải pháp đã thực hiện")
        verbose_name_plural = _("giải pháp đã thực hiện")

    def __str__(self) -> str:
        return self.description


class SelfReportTransition(models.Model):
    """Who moved a report from one status to another, when, and what they said."""

    report = models.ForeignKey(SelfReport, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=SelfReport.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=SelfReport.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("chuyển trạng thái báo cáo")
        verbose_name_plural = _("chuyển trạng thái báo cáo")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status} → {self.to_status}"


class SelfReportAttachment(models.Model):
    report = models.ForeignKey(SelfReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("tệp đính kèm"),
        upload_to="self_reports/%Y/",
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.file.name
