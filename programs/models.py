from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import NON_NEGATIVE, YEAR_VALIDATORS, validate_pdf
from facilities.models import IndustrialZone
from portal.lib.closing import ClosingGuard, Rule, Span, day_after, span
from portal.lib.dates import local_today
from portal.lib.uploads import validate_pdf_structure

# YEAR_VALIDATORS' bounds, for the CheckConstraints that hold them in the database too.
FIRST_YEAR, LAST_YEAR = (validator.limit_value for validator in YEAR_VALIDATORS)


def validate_progress(value: int) -> None:
    # A function rather than MaxValueValidator: its message is %-formatted, and this one has a "%".
    if value > 100:
        raise ValidationError(_("Tiến độ tối đa 100%."))


def _year_in_range(field: str) -> models.Q:
    return models.Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR})


class Agency(models.Model):
    """A coordinating agency the plan assigns tasks to (a department, a board, a district's or,
    since 01/07/2025, a commune's People's Committee)."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở, ngành cấp tỉnh")
        BOARD = "board", _("Ban quản lý, trung tâm")
        DISTRICT = "district", _("UBND cấp huyện")
        COMMUNE = "commune", _("UBND cấp xã")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=200)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    # A district's or a commune's People's Committee sees its own area in detail (a district's
    # history, a commune's facilities); province-level agencies have none.
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
                condition=~models.Q(kind__in=["district", "commune"])
                | models.Q(area__isnull=False),
                name="programs_agency_district_has_area",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.TextChoices):
    """The indicators of the plan to 2020, named in the plan's own words (the reports quote
    them): shipped catalogue entries (IndicatorDefinition) since indicators became data. Kept
    as the list of built-in codes, for the closing rules and the 2020 plan's charts."""

    T1_AWARE = "T1", _("T1 – Cơ sở được tuyên truyền, phổ biến và nhận thức được lợi ích của SXSH")
    T2_APPLYING = "T2", _("T2 – Cơ sở áp dụng SXSH")
    T3_SAVINGS = "T3", _("T3 – Mức tiết kiệm năng lượng, nguyên vật liệu trên đơn vị sản phẩm")
    T4_CP_UNIT = "T4", _("T4 – Cơ sở có bộ phận chuyên trách SXSH")
    T5_TRAINED = "T5", _("T5 – Cán bộ chuyên trách SXSH các cấp, các ngành được đào tạo, tập huấn")
    A1_PROVINCIAL_PROJECTS = "A1", _("A1 – Dự án SXSH được hỗ trợ từ ngân sách tỉnh")
    A2_CENTRAL_MODELS = "A2", _("A2 – Mô hình SXSH đề nghị Bộ Công Thương hỗ trợ")
    A3_QUICK_ASSESSMENTS = "A3", _("A3 – Cơ sở được hỗ trợ đánh giá nhanh SXSH")
    A4_DETAILED_ASSESSMENTS = (
        "A4",
        _("A4 – Cơ sở được hỗ trợ đánh giá chi tiết, tư vấn áp dụng SXSH"),
    )


CODE_VALIDATOR = RegexValidator(
    r"^[A-Z][A-Z0-9.-]{0,11}$",
    _(
        "Mã chỉ tiêu gồm chữ in hoa không dấu, chữ số, dấu chấm hoặc gạch ngang, bắt đầu bằng "
        "chữ, tối đa 12 ký tự (ví dụ: C1, SCP-2)."
    ),
)


def validate_place_kinds(value: str) -> None:
    """Kinds of place (IndustrialZone.Kind values), separated by commas."""
    kinds = [part.strip() for part in value.split(",")]
    if any(kind not in IndustrialZone.Kind.values for kind in kinds):
        raise ValidationError(_("Loại khu, cụm công nghiệp, làng nghề không hợp lệ."))


SECTOR_PREFIXES_VALIDATOR = RegexValidator(
    r"^\s*\d{2,5}(\s*,\s*\d{2,5})*\s*$",
    _(
        "Vui lòng nhập mã ngành VSIC 2018 gồm 2 đến 5 chữ số, cách nhau bằng dấu phẩy "
        "(ví dụ: 13, 14, 24)."
    ),
)


class IndicatorDefinition(models.Model):
    """An indicator of the catalogue: what the engine (reporting/indicators.py) computes, from
    which facts and within which population; plans set its bands (Target). T1–T5 and A1–A4 of
    the plan to 2020 ship as entries; department admins compose others from the same kinds."""

    class Kind(models.TextChoices):
        FACILITY_SHARE = "facility_share", _("Tỷ lệ cơ sở đạt một điều kiện")
        SAVINGS = "savings", _("Mức tiết kiệm trên đơn vị sản phẩm (trung vị)")
        OFFICIALS_TRAINED = "officials_trained", _("Tỷ lệ cán bộ chuyên trách được đào tạo")
        RECORD_COUNT = "record_count", _("Số lượng hồ sơ")
        PLACES_REACHED = (
            "places_reached",
            _("Tỷ lệ khu, cụm công nghiệp, làng nghề được tuyên truyền"),
        )

    class Condition(models.TextChoices):
        AWARE = "aware", _("nhận thức được lợi ích của SXSH")
        APPLYING = "applying", _("áp dụng SXSH")
        CP_UNIT = "cp_unit", _("có bộ phận chuyên trách SXSH")

    class Record(models.TextChoices):
        PROVINCIAL_PROJECTS = "provincial_projects", _("dự án SXSH được hỗ trợ từ ngân sách tỉnh")
        MINISTRY_MODELS = "ministry_models", _("mô hình SXSH đề nghị Bộ Công Thương hỗ trợ")
        QUICK_ASSESSMENTS = "quick_assessments", _("cuộc đánh giá nhanh SXSH được hỗ trợ")
        DETAILED_ASSESSMENTS = "detailed_assessments", _("cuộc đánh giá chi tiết SXSH được hỗ trợ")

    class ResourceFamily(models.TextChoices):
        # What a savings entry compares: T3's figure (the mean of the energy and the main
        # material savings), or one family of resources, or one resource.
        COMBINED = "", _("năng lượng và nguyên vật liệu chính (như T3)")
        ENERGY = "energy", _("năng lượng (quy đổi TOE)")
        WATER = "water", _("nước")
        MATERIAL = "material", _("nguyên vật liệu")
        RESOURCE = "resource", _("một loại tiêu thụ")

    class EnergyUsers(models.TextChoices):
        ANY = "", _("mọi cơ sở")
        ONLY = "only", _("chỉ cơ sở sử dụng năng lượng trọng điểm")
        EXCLUDED = "excluded", _("trừ cơ sở sử dụng năng lượng trọng điểm")

    code = models.CharField(_("mã"), max_length=12, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên chỉ tiêu"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    kind = models.CharField(_("loại chỉ tiêu"), max_length=20, choices=Kind.choices)
    # The parameters of each kind; those of another kind stay empty (clean() says so).
    condition = models.CharField(
        _("điều kiện"), max_length=12, choices=Condition.choices, blank=True
    )
    record = models.CharField(_("loại hồ sơ"), max_length=24, choices=Record.choices, blank=True)
    cumulative = models.BooleanField(
        _("cộng dồn từ đầu kế hoạch"),
        default=False,
        help_text=_("Đếm hồ sơ từ năm đầu kế hoạch đến năm báo cáo, thay vì trong năm báo cáo."),
    )
    sector_prefixes = models.CharField(
        _("ngành (mã VSIC 2018)"),
        max_length=200,
        blank=True,
        validators=[SECTOR_PREFIXES_VALIDATOR],
        help_text=_("Để trống: mọi ngành. Mã ngành cấp 2 trở xuống, cách nhau bằng dấu phẩy."),
    )
    size_classes = models.ManyToManyField(
        "facilities.SizeClass",
        verbose_name=_("quy mô"),
        blank=True,
        related_name="+",
        help_text=_("Để trống: mọi quy mô."),
    )
    energy_users = models.CharField(
        _("cơ sở sử dụng năng lượng trọng điểm"),
        max_length=8,
        choices=EnergyUsers.choices,
        blank=True,
        default=EnergyUsers.ANY,
    )
    resource_family = models.CharField(
        _("tiết kiệm tính trên"),
        max_length=8,
        choices=ResourceFamily.choices,
        blank=True,
        default=ResourceFamily.COMBINED,
    )
    resource = models.ForeignKey(
        "assessments.Resource",
        verbose_name=_("loại tiêu thụ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Khi tiết kiệm tính trên một loại tiêu thụ."),
    )
    place_kinds = models.CharField(
        _("loại khu, cụm, làng nghề"),
        max_length=80,
        blank=True,
        validators=[validate_place_kinds],
        help_text=_("Các loại được tính, cách nhau bằng dấu phẩy."),
    )
    definition = models.TextField(_("cách tính"))
    definition_en = models.TextField(_("cách tính (tiếng Anh)"), blank=True)
    rank = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    built_in = models.BooleanField(_("chỉ tiêu có sẵn"), default=False, editable=False)

    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        verbose_name = _("chỉ tiêu trong danh mục")
        verbose_name_plural = _("danh mục chỉ tiêu")
        ordering = ["rank", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="facility_share") | ~models.Q(condition=""),
                name="programs_indicatordefinition_share_has_condition",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="record_count") | ~models.Q(record=""),
                name="programs_indicatordefinition_count_has_record",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="places_reached") | ~models.Q(place_kinds=""),
                name="programs_indicatordefinition_places_have_kinds",
            ),
            models.CheckConstraint(
                condition=models.Q(resource_family="resource", resource__isnull=False)
                | (~models.Q(resource_family="resource") & models.Q(resource__isnull=True)),
                name="programs_indicatordefinition_resource_with_its_family",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """ "T1 – Cơ sở áp dụng SXSH": the code and the name in the reader's language."""
        return f"{self.code} – {self.localized('name')}"

    def localized(self, field: str) -> str:
        """The name or the definition in the active language (Vietnamese unless English is
        asked and written)."""
        vietnamese = getattr(self, field)
        if (translation.get_language() or "vi").startswith("en"):
            return getattr(self, f"{field}_en") or vietnamese
        return vietnamese

    @property
    def unit(self) -> str:
        if self.kind != self.Kind.RECORD_COUNT:
            return Target.Unit.SHARE
        return Target.Unit.COUNT if self.cumulative else Target.Unit.COUNT_PER_YEAR

    @property
    def is_count(self) -> bool:
        return self.kind == self.Kind.RECORD_COUNT

    @property
    def has_population(self) -> bool:
        return self.kind in (self.Kind.FACILITY_SHARE, self.Kind.SAVINGS)

    @property
    def prefixes(self) -> list[str]:
        return [part.strip() for part in self.sector_prefixes.split(",") if part.strip()]

    @property
    def kinds_of_place(self) -> list[str]:
        return [part.strip() for part in self.place_kinds.split(",") if part.strip()]

    @property
    def place_kinds_label(self) -> str:
        """ "Khu công nghiệp, Làng nghề": the kinds of place counted, by name."""
        return ", ".join(str(IndustrialZone.Kind(kind).label) for kind in self.kinds_of_place)

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        required = {
            self.Kind.FACILITY_SHARE: "condition",
            self.Kind.RECORD_COUNT: "record",
        }.get(self.kind)
        if required and not getattr(self, required):
            errors[required] = ValidationError(
                _("Vui lòng chọn %(field)s cho loại chỉ tiêu này.")
                % {"field": self._meta.get_field(required).verbose_name}
            )
        if self.kind != self.Kind.FACILITY_SHARE and self.condition:
            errors["condition"] = ValidationError(
                _("Chỉ chỉ tiêu tỷ lệ cơ sở có điều kiện; vui lòng để trống.")
            )
        if self.kind != self.Kind.RECORD_COUNT and (self.record or self.cumulative):
            errors["record"] = ValidationError(
                _(
                    "Chỉ chỉ tiêu số lượng hồ sơ có loại hồ sơ và cách đếm cộng dồn; vui lòng để "
                    "trống."
                )
            )
        if self.kind != self.Kind.PLACES_REACHED and self.place_kinds:
            errors["place_kinds"] = ValidationError(
                _("Chỉ chỉ tiêu tỷ lệ khu, cụm, làng nghề có loại khu; vui lòng để trống.")
            )
        if self.kind == self.Kind.PLACES_REACHED and not self.place_kinds:
            errors["place_kinds"] = ValidationError(
                _("Vui lòng chọn ít nhất một loại khu, cụm công nghiệp hay làng nghề.")
            )
        if self.kind != self.Kind.SAVINGS and (self.resource_family or self.resource_id):
            errors["resource_family"] = ValidationError(
                _("Chỉ chỉ tiêu tiết kiệm chọn loại tiêu thụ; vui lòng để trống.")
            )
        elif (self.resource_family == self.ResourceFamily.RESOURCE) != bool(self.resource_id):
            errors["resource"] = ValidationError(
                _(
                    "Vui lòng chọn loại tiêu thụ khi tiết kiệm tính trên một loại tiêu thụ, và để "
                    "trống trong các trường hợp khác."
                )
            )
        if self.kind and not self.has_population and (self.sector_prefixes or self.energy_users):
            errors["sector_prefixes"] = ValidationError(
                _(
                    "Loại chỉ tiêu này không lọc theo ngành hay cơ sở sử dụng năng lượng trọng "
                    "điểm; vui lòng để trống."
                )
            )
        if errors:
            raise ValidationError(errors)


class PlanQuerySet(models.QuerySet["Plan"]):
    def covering(self, year: int) -> PlanQuerySet:
        """The plans, drafts aside, whose period includes `year`: latest end first."""
        return (
            self.published()
            .filter(start_year__lte=year, end_year__gte=year)
            .order_by("-end_year", "-pk")
        )

    def published(self) -> PlanQuerySet:
        return self.exclude(status=Plan.Status.DRAFT)

    def shown_by_default(self, day: datetime.date | None = None) -> Plan | None:
        """The plan dashboards, the public page and the commands show unless asked: the
        published plan in force on `day` (today) ending last, else the published plan that
        ended last before it (whose final results are then shown). A draft never."""
        year = (day or local_today()).year
        ended = models.Case(models.When(end_year__lt=year, then=1), default=0)
        return (
            self.published()
            .filter(start_year__lte=year)
            .order_by(ended, "-end_year", "-pk")
            .first()
        )


class Plan(models.Model):
    """A plan of the province (or of the nation) with its period and targets: data staff edit."""

    class Status(models.TextChoices):
        # A plan is written as a draft and shown (dashboards, public page, reports by schedule)
        # only once published; whether it is in force follows its years.
        DRAFT = "draft", _("Dự thảo")
        ACTIVE = "active", _("Đã ban hành")
        CLOSED = "closed", _("Đã kết thúc")

    class DocumentKind(models.TextChoices):
        # What the province issued the plan as: a provincial plan is usually "Kế hoạch số
        # …/KH-UBND"; some are adopted by a decision ("Quyết định số …/QĐ-UBND").
        PLAN = "plan", _("Kế hoạch")
        DECISION = "decision", _("Quyết định")

    name = models.CharField(_("tên kế hoạch"), max_length=255)
    document_kind = models.CharField(
        _("loại văn bản"), max_length=8, choices=DocumentKind.choices, default=DocumentKind.PLAN
    )
    decision_number = models.CharField(
        _("số, ký hiệu văn bản"), max_length=60, blank=True, help_text=_("Ví dụ: 25/KH-UBND")
    )
    decision_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issued_by = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("từ năm"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("đến năm"), validators=YEAR_VALIDATORS)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("tóm tắt"), blank=True)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="programs_plan_end_after_start",
            ),
            models.CheckConstraint(
                condition=_year_in_range("start_year") & _year_in_range("end_year"),
                name="programs_plan_years_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reference(self) -> str:
        """The plan as a document cites it: "Kế hoạch số 25/KH-UBND ngày 19/01/2016 của UBND tỉnh
        Nghệ An"; empty while its number is not recorded."""
        if not self.decision_number:
            return ""
        text = _("%(kind)s số %(number)s") % {
            "kind": self.get_document_kind_display(),
            "number": self.decision_number,
        }
        if self.decision_date:
            text += " " + _("ngày %(date)s") % {"date": self.decision_date.strftime("%d/%m/%Y")}
        if self.issued_by:
            text += " " + _("của %(issuer)s") % {"issuer": self.issued_by}
        return text

    def clean(self) -> None:
        # Named on the field, so the form marks it; the constraint alone would only say "invalid".
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("Năm kết thúc không được trước năm bắt đầu.")})


class Target(models.Model):
    """A band (floor to stretch) for one indicator at a milestone year of a plan.

    Shares are ratios (0.9 = 90%); yearly activity targets (A1–A4) are counts per year.
    """

    class Unit(models.TextChoices):
        SHARE = "share", _("tỷ lệ")
        COUNT_PER_YEAR = "count_per_year", _("số lượng mỗi năm")
        COUNT = "count", _("số lượng cộng dồn")

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="targets"
    )
    # By code: the code is what plans, reports and people quote ("T2"), and it never changes.
    indicator = models.ForeignKey(
        IndicatorDefinition,
        verbose_name=_("chỉ tiêu"),
        to_field="code",
        db_column="indicator",
        on_delete=models.PROTECT,
        related_name="targets",
    )
    milestone_year = models.PositiveSmallIntegerField(_("năm mốc"), validators=YEAR_VALIDATORS)
    floor = models.DecimalField(
        _("mức tối thiểu"), max_digits=10, decimal_places=4, validators=NON_NEGATIVE
    )
    stretch = models.DecimalField(
        _("mức phấn đấu"), max_digits=10, decimal_places=4, validators=NON_NEGATIVE
    )
    unit = models.CharField(_("đơn vị"), max_length=16, choices=Unit.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "indicator", "milestone_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "milestone_year"],
                name="programs_target_one_per_milestone",
            ),
            models.CheckConstraint(
                condition=models.Q(stretch__gte=models.F("floor")),
                name="programs_target_stretch_not_below_floor",
            ),
            models.CheckConstraint(
                condition=models.Q(floor__gte=0), name="programs_target_floor_not_negative"
            ),
            models.CheckConstraint(
                condition=_year_in_range("milestone_year"),
                name="programs_target_milestone_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.milestone_year}: {self.floor}–{self.stretch}"

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        definition = self.indicator if self.indicator_id else None
        if definition is not None and self.unit and self.unit != definition.unit:
            errors["unit"] = ValidationError(
                _("Chỉ tiêu %(code)s tính theo %(unit)s; vui lòng chọn đơn vị này.")
                % {"code": definition.code, "unit": Target.Unit(definition.unit).label}
            )
        if self.unit == self.Unit.SHARE:
            for name in ("floor", "stretch"):
                value = getattr(self, name)
                if value is not None and value > 1:
                    errors[name] = ValidationError(_("Tỷ lệ không được vượt quá 100%."))
        band_given = self.floor is not None and self.stretch is not None
        if not errors and band_given and self.stretch < self.floor:
            errors["stretch"] = ValidationError(
                _("Mức phấn đấu không được thấp hơn mức tối thiểu.")
            )
        if errors:
            raise ValidationError(errors)


def _project_spans(facts: Any) -> list[Span]:
    """A1: a provincial project of its year, approved, from its approval (or its year's start
    without a date); A2: a model proposed to the Ministry, from its proposal, in the year of the
    proposal (see `reporting.indicators._project_counts`)."""
    year, funding = facts["year"], facts["funding"]
    if year is None:
        return []
    start_of_year = datetime.date(year, 1, 1)
    if funding == SupportProject.Funding.PROVINCIAL and facts["status"] in APPROVED_PROJECT:
        return span(facts["approved_on"] or start_of_year, None, ("A1", year))
    if funding == SupportProject.Funding.CENTRAL:
        proposed = facts["proposed_on"]
        return span(proposed or start_of_year, None, ("A2", proposed.year if proposed else year))
    return []


class SupportProject(ClosingGuard, models.Model):
    """A CP support project (A1, provincial budget) or a model proposed to the Ministry (A2)."""

    class Funding(models.TextChoices):
        PROVINCIAL = "provincial", _("Ngân sách tỉnh")
        CENTRAL = "central", _("Ngân sách trung ương (Bộ Công Thương)")
        DONOR = "donor", _("Nhà tài trợ")
        ENTERPRISE = "enterprise", _("Vốn của cơ sở")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề xuất")
        APPROVED = "approved", _("Được phê duyệt")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        COMPLETED = "completed", _("Hoàn thành")
        REJECTED = "rejected", _("Không được phê duyệt")

    title = models.CharField(_("tên dự án"), max_length=255)
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    funding = models.CharField(_("nguồn kinh phí"), max_length=12, choices=Funding.choices)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    facilities = models.ManyToManyField(
        "facilities.Facility", verbose_name=_("cơ sở"), blank=True, related_name="support_projects"
    )
    budget_vnd = models.DecimalField(
        _("tổng kinh phí (đồng)"), max_digits=18, decimal_places=0, default=0
    )
    state_support_vnd = models.DecimalField(
        _("kinh phí nhà nước hỗ trợ (đồng)"), max_digits=18, decimal_places=0, default=0
    )
    proposed_on = models.DateField(_("ngày đề xuất"), null=True, blank=True)
    ministry_decision = models.CharField(_("quyết định của Bộ"), max_length=120, blank=True)
    approved_on = models.DateField(_("ngày phê duyệt"), null=True, blank=True)
    outcomes = models.TextField(_("kết quả"), blank=True)
    document = models.FileField(
        _("hồ sơ dự án (PDF)"),
        upload_to="projects/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
    )

    history = HistoricalRecords()
    closing_rule = Rule(
        fields=("year", "funding", "status", "approved_on", "proposed_on"),
        spans=_project_spans,
        indicators=("A1", "A2"),
    )

    class Meta:
        verbose_name = _("dự án hỗ trợ SXSH")
        verbose_name_plural = _("dự án hỗ trợ SXSH")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=_year_in_range("year"), name="programs_supportproject_year_in_range"
            )
        ]

    def __str__(self) -> str:
        return self.title


# The statuses of a project that count for A1 (approved, whatever came after).
APPROVED_PROJECT = (
    SupportProject.Status.APPROVED,
    SupportProject.Status.IN_PROGRESS,
    SupportProject.Status.COMPLETED,
)


def _course_spans(facts: Any) -> list[Span]:
    """Listed in the period's report from its start; makes its participants trained (T5) from
    its end, if it qualifies."""
    spans = span(facts["starts_on"], None, "course")
    if facts["qualifies_for_t5"]:
        spans += span(facts["ends_on"], None, "T5")
    return spans


class Course(ClosingGuard, models.Model):
    """A training course: training of trainers, consultants, awareness or technical."""

    class Kind(models.TextChoices):
        TRAINERS = "trainers", _("Đào tạo giảng viên")
        CONSULTANTS = "consultants", _("Đào tạo tư vấn viên")
        AWARENESS = "awareness", _("Tập huấn nâng cao nhận thức")
        TECHNICAL = "technical", _("Tập huấn kỹ thuật")

    title = models.CharField(_("tên khóa học"), max_length=255)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=200)
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    # Whether completing it makes a dedicated official "trained" for T5.
    qualifies_for_t5 = models.BooleanField(_("tính cho chỉ tiêu T5"), default=True)

    history = HistoricalRecords()
    closing_rule = Rule(
        fields=("starts_on", "ends_on", "qualifies_for_t5"), spans=_course_spans, indicators=("T5",)
    )

    class Meta:
        verbose_name = _("khóa đào tạo")
        verbose_name_plural = _("khóa đào tạo")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="programs_course_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Ngày kết thúc không được trước ngày bắt đầu.")})


class Official(ClosingGuard, models.Model):
    """A CP official at some level; dedicated (chuyên trách) for a period (T5's population)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        DISTRICT = "district", _("Cấp huyện")
        SECTOR = "sector", _("Ngành")

    full_name = models.CharField(_("họ và tên"), max_length=150)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
    )
    workplace = models.CharField(_("đơn vị công tác"), max_length=200, blank=True)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    dedicated_from = models.DateField(_("chuyên trách từ"))
    dedicated_to = models.DateField(_("chuyên trách đến"), null=True, blank=True)

    history = HistoricalRecords()
    # T5's denominator: dedicated from the first day to the last one, both included.
    closing_rule = Rule(
        fields=("dedicated_from", "dedicated_to"),
        spans=lambda facts: span(
            facts["dedicated_from"], day_after(facts["dedicated_to"]), "dedicated"
        ),
        indicators=("T5",),
    )

    class Meta:
        verbose_name = _("cán bộ chuyên trách SXSH")
        verbose_name_plural = _("cán bộ chuyên trách SXSH")
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dedicated_to__isnull=True)
                | models.Q(dedicated_to__gte=models.F("dedicated_from")),
                name="programs_official_dedicated_to_after_from",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        super().clean()
        if self.dedicated_from and self.dedicated_to and self.dedicated_to < self.dedicated_from:
            raise ValidationError(
                {"dedicated_to": _("Ngày kết thúc chuyên trách không được trước ngày bắt đầu.")}
            )


def _participant_spans(facts: Any) -> list[Span]:
    """On the course's list from its start; trained (T5) from its end once completed."""
    official = facts["official_id"]
    spans = span(facts["course__starts_on"], None, ("listed", facts["course_id"], official))
    if facts["completed"] and facts["course__qualifies_for_t5"]:
        spans += span(facts["course__ends_on"], None, ("trained", official))
    return spans


class CourseParticipant(ClosingGuard, models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="participants")
    official = models.ForeignKey(
        Official, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="courses"
    )
    completed = models.BooleanField(_("hoàn thành"), default=False)
    certificate_number = models.CharField(_("số chứng chỉ"), max_length=60, blank=True)

    history = HistoricalRecords()
    closing_rule = Rule(
        fields=(
            "course_id",
            "official_id",
            "completed",
            "course__starts_on",
            "course__ends_on",
            "course__qualifies_for_t5",
        ),
        spans=_participant_spans,
        indicators=("T5",),
    )

    class Meta:
        verbose_name = _("học viên")
        verbose_name_plural = _("học viên")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "official"], name="programs_courseparticipant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} @ {self.course}"


class Award(models.Model):
    """The plan's honouring of enterprises for their CP efforts and results."""

    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("cơ sở"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("danh hiệu, hình thức khen thưởng"), max_length=255)
    issued_by = models.CharField(_("cơ quan khen thưởng"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-year", "facility"]
        constraints = [
            models.CheckConstraint(
                condition=_year_in_range("year"), name="programs_award_year_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class AgencyTask(models.Model):
    """A task the plan assigns to a coordinating agency, and how far along it is."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa bắt đầu")
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Hoàn thành")

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="tasks"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(_("nhiệm vụ"), max_length=255)
    description = models.TextField(_("nội dung"), blank=True)
    due_on = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, validators=[validate_progress]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhiệm vụ của cơ quan phối hợp")
        verbose_name_plural = _("nhiệm vụ của cơ quan phối hợp")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="programs_agencytask_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


class TaskUpdate(models.Model):
    """An agency officer's progress report on a task."""

    task = models.ForeignKey(AgencyTask, on_delete=models.CASCADE, related_name="updates")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("nội dung cập nhật"))
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), validators=[validate_progress])
    attachment = models.FileField(
        _("tệp đính kèm"),
        upload_to="task_updates/%Y/",
        blank=True,
        # The extension alone let any file renamed .pdf through: a PDF is checked by its structure.
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"]), validate_pdf_structure],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["-posted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="programs_taskupdate_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.progress}%"
