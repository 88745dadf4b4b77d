from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.vn import mst

from facilities.vietnamese import fold, sort_key
from portal.access import DEPARTMENT, area_for, role_of
from portal.lib.closing import EARLIEST, ClosingGuard, Rule, Span, span
from portal.lib.uploads import validate_pdf_structure
from portal.models import Role


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
    # The package and version a unit was loaded from (`load_admin_units`); blank when typed in.
    source = models.CharField(_("nguồn dữ liệu"), max_length=60, blank=True)

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

    def subtree_ids(self) -> list[int]:
        """This unit and every unit under it."""
        return descendant_ids(AdministrativeUnit, self.pk)


# The last day of the district level (Resolution 203/2025/QH15): from 01/07/2025 communes
# answer to the province.
DISTRICT_LEVEL_ENDS = datetime.date(2025, 6, 30)


class UnitCrosswalk(models.Model):
    """Where a plan-era commune went in the 2025 reform: one row per new unit it became part of.

    A commune split between several new units has a row for each, all `needs_decision`: which
    one a facility belongs to depends on its address, and a person decides when it does not say.
    """

    old_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị cũ"),
        on_delete=models.PROTECT,
        related_name="crosswalk_to",
    )
    new_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị mới"),
        on_delete=models.PROTECT,
        related_name="crosswalk_from",
    )
    resolution = models.CharField(_("căn cứ"), max_length=120)
    needs_decision = models.BooleanField(_("cần người quyết định"), default=False)
    source = models.CharField(_("nguồn dữ liệu"), max_length=60, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chuyển đổi đơn vị hành chính")
        verbose_name_plural = _("chuyển đổi đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(
                fields=["old_unit", "new_unit"], name="facilities_unitcrosswalk_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_unit} → {self.new_unit}"


def descendant_ids(model: type[models.Model], root_pk: int) -> list[int]:
    """`root_pk` and everything under it in a tree with a `parent` field, read in one query
    (the reference trees are small: units, sectors)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in model.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, frontier = [root_pk], [root_pk]
    while frontier:
        frontier = [child for pk in frontier for child in children.get(pk, [])]
        found += frontier
    return found


class Sector(models.Model):
    """An industry code of VSIC 2018 (levels 1–3 shipped for the industrial sections B–E)."""

    code = models.CharField(_("mã ngành"), max_length=8, unique=True)
    name = models.CharField(_("tên ngành"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    level = models.PositiveSmallIntegerField(_("cấp"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("ngành cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngành kinh tế (VSIC 2018)")
        verbose_name_plural = _("ngành kinh tế (VSIC 2018)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.label}"

    @property
    def label(self) -> str:
        """The name in the interface language (ISIC's English names ship with VSIC)."""
        return self.name_en if get_language() == "en" and self.name_en else self.name

    @property
    def section(self) -> str:
        """The level-1 letter, B–E: the industrial scope of the plan."""
        node = self
        while node.parent_id is not None:
            node = node.parent
        return node.code


class PlaceQuerySet(models.QuerySet["IndustrialZone"]):
    def existing_on(self, day: datetime.date) -> PlaceQuerySet:
        """The places established by `day` (or without a known date) and not closed by then."""
        return self.filter(
            Q(established_on__isnull=True) | Q(established_on__lte=day),
            Q(closed_on__isnull=True) | Q(closed_on__gt=day),
        )


class IndustrialZone(models.Model):
    """A place the programme reaches as a whole: an economic zone, an industrial zone (KCN), an
    industrial cluster (CCN) or a craft village (làng nghề). Decision 889/QĐ-TTg counts the
    parks, clusters and craft villages reached by dissemination (`reached_q`); a facility is in
    at most one place (`Facility.zone`), an outreach activity may reach several
    (`OutreachActivity.places`)."""

    class Kind(models.TextChoices):
        ECONOMIC_ZONE = "economic_zone", _("Khu kinh tế")
        INDUSTRIAL_ZONE = "industrial_zone", _("Khu công nghiệp")
        CLUSTER = "cluster", _("Cụm công nghiệp")
        CRAFT_VILLAGE = "craft_village", _("Làng nghề")

    name = models.CharField(_("tên"), max_length=200, unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    area = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc khu kinh tế"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    established_on = models.DateField(
        _("ngày thành lập"),
        null=True,
        blank=True,
        help_text=_("Với làng nghề: ngày được công nhận."),
    )
    closed_on = models.DateField(_("ngày giải thể"), null=True, blank=True)

    history = HistoricalRecords()
    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("khu, cụm công nghiệp, làng nghề")
        verbose_name_plural = _("khu, cụm công nghiệp, làng nghề")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(closed_on__gt=models.F("established_on")),
                name="facilities_industrialzone_closed_after_established",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.closed_on and self.established_on and self.closed_on <= self.established_on:
            raise ValidationError({"closed_on": _("Ngày giải thể phải sau ngày thành lập.")})


def reached_q(day: datetime.date) -> Q:
    """The places reached by dissemination on `day`: an outreach activity held by then reached
    the place itself, or a facility in it took part in one held by then. As a condition on
    places, each source an uncorrelated subquery (read once however many places)."""
    activities = OutreachActivity.objects.filter(held_on__lte=day, places__isnull=False)
    participations = OutreachParticipation.objects.filter(
        activity__held_on__lte=day, facility__zone__isnull=False
    )
    return Q(pk__in=activities.values("places")) | Q(pk__in=participations.values("facility__zone"))


class SizeClass(models.Model):
    """Enterprise size under Decree 80/2021 (micro, small, medium, large)."""

    code = models.SlugField(_("mã"), max_length=10, unique=True)
    name = models.CharField(_("tên"), max_length=60)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=60, blank=True)
    rank = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quy mô cơ sở")
        verbose_name_plural = _("quy mô cơ sở")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


def status_conditions(day: datetime.date) -> tuple[Q, Q, Q]:
    """(closed, not started, suspended) on `day`: a facility in none of them is operating
    (`FacilityQuerySet.operating_on`; `Facility.status_on` asks the same of one facility)."""
    closed = Q(closed_on__lte=day)
    not_started = Q(started_on__gt=day)
    suspended = Q(suspended_on__lte=day) & (Q(resumed_on__isnull=True) | Q(resumed_on__gt=day))
    return closed, not_started, suspended


class FacilityQuerySet(models.QuerySet["Facility"]):
    def visible_to(self, user: Any) -> FacilityQuerySet:
        """The facilities `user` may see. Every facility view, list and export starts here."""
        role = role_of(user)
        if role in DEPARTMENT or role == Role.OFFICIAL:
            return self.all()
        if role == Role.AGENCY_OFFICER:
            area = area_for(user)
            if area is None:
                return self.all()  # a provincial agency follows the whole province
            # A district's officers keep its history, a commune's officers see their commune:
            # a facility counts when it is, or ever was, located in the area.
            units = area.subtree_ids()
            return self.filter(
                Q(administrative_unit__in=units)
                | Q(pk__in=FacilityLocation.objects.filter(unit__in=units).values("facility"))
            )
        if role == Role.FACILITY_MANAGER:
            return self.filter(managers=user)
        if role == Role.CONSULTANT and user.support_organisation_id:
            return self.filter(support_organisations=user.support_organisation_id)
        return self.none()

    def operating_on(self, day: datetime.date) -> FacilityQuerySet:
        """Facilities that had started, were not closed and not suspended on `day`."""
        closed, not_started, suspended = status_conditions(day)
        return self.exclude(closed | not_started | suspended)

    def in_denominator_on(self, day: datetime.date) -> FacilityQuerySet:
        """The base of every indicator: in programme scope and operating on `day`."""
        return self.filter(in_scope=True).operating_on(day)

    def aware_on(self, day: datetime.date) -> FacilityQuerySet:
        """Took part in outreach and confirmed awareness, both by `day` (target T1)."""
        return self.filter(aware_q(day))

    def with_cp_unit_on(self, day: datetime.date) -> FacilityQuerySet:
        """Had a dedicated CP unit on `day` (target T4)."""
        return self.filter(cp_unit_q(day))

    def matching(self, query: str) -> FacilityQuerySet:
        """Every word of `query` in the name or tax code, accents and case ignored."""
        # A handful of distinct words is plenty, and keeps the SQL bounded whatever is typed.
        words = list(dict.fromkeys(fold(query).split()))[:8]
        result = self
        for word in words:
            result = result.filter(search_text__contains=word)
        return result

    def located_on(self, day: datetime.date, units: list[int]) -> FacilityQuerySet:
        """Facilities whose unit on `day` (`unit_on`) is one of `units`."""
        return self.alias(unit_on_day=unit_on(day)).filter(unit_on_day__in=units)


def unit_on(day: datetime.date, *, through: str = "", districts_only: bool = False) -> Coalesce:
    """The area a facility was in on `day`, as an expression on rows that reach the facility
    by the path `through` ("" from a facility, "facility__" from its assessments).

    Its dated location when it has one (`FacilityLocation`), else its present unit: a facility
    that never moved needs no location rows, and every figure of the plan era stays as it was.
    A plan-era commune counts as its district, as the plan's figures did; a commune of the new
    map counts as itself, or as nothing with `districts_only` (it has no district).
    """

    def area(unit: str) -> Case:
        return Case(
            When(**{f"{unit}__level": AdministrativeUnit.Level.DISTRICT}, then=models.F(unit)),
            When(
                **{f"{unit}__parent__level": AdministrativeUnit.Level.DISTRICT},
                then=models.F(f"{unit}__parent"),
            ),
            default=Value(None) if districts_only else models.F(unit),
            output_field=models.BigIntegerField(),
        )

    located = (
        FacilityLocation.objects.filter(facility=OuterRef(f"{through}pk"))
        .valid_on(day)
        # The latest start; on the same start (or none), the location recorded last.
        .order_by(models.F("valid_from").desc(nulls_last=True), "-pk")
        .values_list(area("unit"))[:1]
    )
    fallback: Any = area(f"{through}administrative_unit")
    if districts_only:
        # A located facility whose location has no district must not fall back to its unit.
        fallback = Case(
            When(Exists(located), then=Value(None)),
            default=fallback,
            output_field=models.BigIntegerField(),
        )
    return Coalesce(Subquery(located), fallback, output_field=models.BigIntegerField())


def facility_condition(
    sources: list[tuple[models.QuerySet[Any], str]], *, facility: str, per_row: bool, all_: bool
) -> Q:
    """`facility` (the path to a facility id in the outer query) is among each source's
    facilities (`all_`) or any source's: the one way a rule written as "sources of facility
    ids" becomes a condition.

    Two forms, the same meaning: `per_row` asks each row with EXISTS (an index lookup per row:
    for a page of rows), else "IN (one uncorrelated subquery)" per source, which both databases
    read once (for counting every facility: seconds become a fraction of one at national scale).
    """
    parts = [
        Q(Exists(rows.filter(**{path: OuterRef(facility)})))
        if per_row
        else Q(**{f"{facility}__in": rows.values(path)})
        for rows, path in sources
    ]
    condition = parts[0]
    for part in parts[1:]:
        condition = condition & part if all_ else condition | part
    return condition


def aware_sources(day: datetime.date) -> list[tuple[models.QuerySet[Any], str]]:
    """Aware on `day` (T1), the one definition: took part in outreach held by then *and*
    confirmed awareness by then. Each source with the path to its facility id."""
    return [
        (OutreachParticipation.objects.filter(activity__held_on__lte=day), "facility_id"),
        (AwarenessConfirmation.objects.filter(confirmed_on__lte=day), "facility_id"),
    ]


def cp_unit_sources(day: datetime.date) -> list[tuple[models.QuerySet[Any], str]]:
    """With a dedicated CP unit on `day` (T4), the one definition: a unit established by then
    and not yet ended."""
    units = DedicatedUnit.objects.filter(established_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )
    return [(units, "facility_id")]


def aware_q(day: datetime.date, *, facility: str = "pk", per_row: bool = False) -> Q:
    return facility_condition(aware_sources(day), facility=facility, per_row=per_row, all_=True)


def cp_unit_q(day: datetime.date, *, facility: str = "pk", per_row: bool = False) -> Q:
    return facility_condition(cp_unit_sources(day), facility=facility, per_row=per_row, all_=True)


def _facility_spans(facts: Any) -> list[Span]:
    """In the denominator while in scope and operating: from its start (or always, without a
    start date) to its closing, less a suspension (see `FacilityQuerySet.operating_on`)."""
    if not facts["in_scope"]:
        return []
    start, end = facts["started_on"] or EARLIEST, facts["closed_on"]
    suspended, resumed = facts["suspended_on"], facts["resumed_on"]
    if suspended is None:
        return span(start, end, "operating")
    pieces = span(start, suspended if end is None else min(suspended, end), "operating")
    if resumed is not None:
        pieces += span(max(resumed, start), end, "operating")
    return pieces


class Facility(ClosingGuard, models.Model):
    """An industrial production facility: the unit the programme reaches and counts."""

    class LegalForm(models.TextChoices):
        STATE = "state", _("Doanh nghiệp nhà nước")
        JOINT_STOCK = "jsc", _("Công ty cổ phần")
        LIMITED = "llc", _("Công ty TNHH")
        PRIVATE = "private", _("Doanh nghiệp tư nhân")
        PARTNERSHIP = "partnership", _("Công ty hợp danh")
        FOREIGN = "fdi", _("Doanh nghiệp có vốn đầu tư nước ngoài")
        COOPERATIVE = "cooperative", _("Hợp tác xã")
        HOUSEHOLD = "household", _("Hộ kinh doanh")

    class Status(models.TextChoices):
        OPERATING = "operating", _("Đang hoạt động")
        SUSPENDED = "suspended", _("Tạm ngừng")
        CLOSED = "closed", _("Đã đóng cửa")
        NOT_STARTED = "not_started", _("Chưa hoạt động")

    name = models.CharField(_("tên cơ sở"), max_length=255)
    tax_code = models.CharField(
        _("mã số thuế"),
        max_length=14,
        unique=True,
        help_text=_("10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số với chi nhánh."),
    )
    # Blank is "not known": registries often have no such column. FACILITY_LEGAL_FORM_REQUIRED
    # makes it required (Facility.clean), for a Department that records it everywhere.
    legal_form = models.CharField(
        _("loại hình"), max_length=12, choices=LegalForm.choices, blank=True
    )
    address = models.CharField(_("địa chỉ"), max_length=255)
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="facilities",
    )
    zone = models.ForeignKey(
        IndustrialZone,
        verbose_name=_("khu, cụm công nghiệp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("ngành (VSIC)"), on_delete=models.PROTECT, related_name="facilities"
    )
    size_class = models.ForeignKey(
        SizeClass, verbose_name=_("quy mô"), on_delete=models.PROTECT, related_name="facilities"
    )
    employees = models.PositiveIntegerField(_("số lao động"), null=True, blank=True)
    contact_name = models.CharField(_("người liên hệ"), max_length=150, blank=True)
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=30, blank=True)
    contact_email = models.EmailField(_("thư điện tử liên hệ"), blank=True)
    started_on = models.DateField(_("ngày bắt đầu hoạt động"), null=True, blank=True)
    suspended_on = models.DateField(_("ngày tạm ngừng"), null=True, blank=True)
    resumed_on = models.DateField(_("ngày hoạt động lại"), null=True, blank=True)
    closed_on = models.DateField(_("ngày đóng cửa"), null=True, blank=True)
    in_scope = models.BooleanField(
        _("thuộc phạm vi chương trình"),
        default=True,
        help_text=_("Cơ sở sản xuất công nghiệp được tính vào mẫu số của các chỉ tiêu."),
    )
    is_designated_energy_user = models.BooleanField(
        _("cơ sở sử dụng năng lượng trọng điểm"), default=False
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quản lý trên cổng"),
        blank=True,
        related_name="managed_facilities",
        limit_choices_to={"role": "facility_manager"},
    )
    # Derived from name and tax code by refresh_search_keys(); see facilities/vietnamese.py.
    search_text = models.CharField(max_length=300, editable=False, default="")
    name_sort_key = models.CharField(max_length=800, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    # Who manages a facility decides who sees its data: each change of managers is a version.
    history = HistoricalRecords(
        excluded_fields=["search_text", "name_sort_key"], m2m_fields=[managers]
    )
    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ sở sản xuất")
        verbose_name_plural = _("cơ sở sản xuất")
        ordering = ["name_sort_key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(closed_on__gte=models.F("started_on")),
                name="facilities_facility_closed_after_started",
            ),
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True)
                | (Q(suspended_on__isnull=False) & Q(resumed_on__gte=models.F("suspended_on"))),
                name="facilities_facility_resumed_after_suspended",
            ),
        ]

    # The denominator of T1–T4 (see portal.lib.closing). The area, sector and size a facility is
    # counted under are not closed: correcting them moves it between the breakdown tables only.
    closing_rule = Rule(
        fields=("in_scope", "started_on", "suspended_on", "resumed_on", "closed_on"),
        spans=_facility_spans,
        indicators=("T1", "T2", "T3", "T4"),
    )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.tax_code:
            try:
                self.tax_code = normalise_tax_code(self.tax_code)
            except ValidationError as exc:
                errors["tax_code"] = exc.messages[0]
        if settings.FACILITY_LEGAL_FORM_REQUIRED and not self.legal_form:
            errors["legal_form"] = _("Vui lòng chọn loại hình của cơ sở.")
        if self.sector_id and self.sector.level < 3:
            errors["sector"] = _("Vui lòng chọn ngành chi tiết (mã VSIC 3 chữ số trở lên).")
        if self.closed_on and self.started_on and self.closed_on < self.started_on:
            errors["closed_on"] = _("Ngày đóng cửa phải sau ngày bắt đầu hoạt động.")
        if self.suspended_on and self.started_on and self.suspended_on < self.started_on:
            errors["suspended_on"] = _("Ngày tạm ngừng phải sau ngày bắt đầu hoạt động.")
        if self.suspended_on and self.closed_on and self.suspended_on > self.closed_on:
            errors["suspended_on"] = _("Ngày tạm ngừng phải trước ngày đóng cửa.")
        if self.resumed_on and not self.suspended_on:
            errors["resumed_on"] = _("Chỉ nhập ngày hoạt động lại khi có ngày tạm ngừng.")
        elif self.resumed_on and self.suspended_on and self.resumed_on < self.suspended_on:
            errors["resumed_on"] = _("Ngày hoạt động lại phải sau ngày tạm ngừng.")
        if errors:
            raise ValidationError(errors)

    def contacts_editable_by(self, user: Any) -> bool:
        """Department staff edit the whole record; a manager of this facility its contacts."""
        role = role_of(user)
        if role in DEPARTMENT:
            return True
        return role == Role.FACILITY_MANAGER and self.managers.filter(pk=user.pk).exists()

    def refresh_search_keys(self) -> None:
        self.search_text = f"{fold(self.name)} {self.tax_code.replace('-', '')} {self.tax_code}"
        self.name_sort_key = sort_key(self.name)

    def status_on(self, day: datetime.date) -> Status:
        if self.closed_on and self.closed_on <= day:
            return self.Status.CLOSED
        if self.started_on and self.started_on > day:
            return self.Status.NOT_STARTED
        if (
            self.suspended_on
            and self.suspended_on <= day
            and (not self.resumed_on or self.resumed_on > day)
        ):
            return self.Status.SUSPENDED
        return self.Status.OPERATING


def normalise_tax_code(value: str) -> str:
    """The tax code in its written form (0100233488 or 0100233488-001), or a clear error."""
    try:
        return mst.format(mst.validate(value))
    except mst.InvalidChecksum as exc:
        raise ValidationError(
            _("Mã số thuế %(value)s sai chữ số kiểm tra: vui lòng soát lại từng chữ số."),
            params={"value": value},
        ) from exc
    except mst.InvalidComponent as exc:
        raise ValidationError(
            _(
                "Mã số thuế %(value)s không hợp lệ: số thứ tự (chữ số 3–9) hoặc "
                "mã chi nhánh (3 số cuối) không được toàn số 0."
            ),
            params={"value": value},
        ) from exc
    except mst.ValidationError as exc:
        raise ValidationError(
            _(
                "Mã số thuế %(value)s không hợp lệ: cần 10 chữ số, hoặc 10 chữ số, "
                "dấu gạch ngang và 3 chữ số (chi nhánh)."
            ),
            params={"value": value},
        ) from exc


class FacilityLocationQuerySet(models.QuerySet["FacilityLocation"]):
    def valid_on(self, day: datetime.date) -> FacilityLocationQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class FacilityLocation(models.Model):
    """Where a facility was, from when to when: a move or a reform is a new row.

    `Facility.administrative_unit` stays the unit valid today (forms, lists, filters and the
    import read it); these rows answer "where was it on that date" for figures as of a date.
    Written only by `services.move_facility`.
    """

    facility = models.ForeignKey(
        Facility, verbose_name=_("cơ sở"), on_delete=models.CASCADE, related_name="locations"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="facility_locations",
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = FacilityLocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("vị trí của cơ sở")
        verbose_name_plural = _("vị trí của cơ sở")
        ordering = ["facility", models.F("valid_from").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="facilities_facilitylocation_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} – {self.unit}"


class ProductUnit(models.Model):
    """A unit output is counted in (tấn, nghìn viên, m³, …): reference data department admins
    extend. Products store the unit's code, which never changes once a product uses it."""

    class Kind(models.TextChoices):
        MASS = "mass", _("Khối lượng")
        VOLUME = "volume", _("Thể tích")
        AREA = "area", _("Diện tích")
        LENGTH = "length", _("Chiều dài")
        COUNT = "count", _("Số lượng")
        ENERGY = "energy", _("Năng lượng")

    code = models.SlugField(
        _("mã"),
        max_length=8,
        unique=True,
        allow_unicode=False,
        help_text=_("Mã ngắn không dấu, ví dụ 1000vien; không đổi được khi đã có sản phẩm dùng."),
    )
    name = models.CharField(_("tên đơn vị"), max_length=50, unique=True)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=50, blank=True)
    quantity_kind = models.CharField(_("đại lượng"), max_length=8, choices=Kind.choices)
    aliases = models.CharField(
        _("cách viết khác"),
        max_length=255,
        blank=True,
        help_text=_("Các cách viết khác trong tệp nhập, cách nhau bởi dấu chấm phẩy."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn vị sản phẩm")
        verbose_name_plural = _("đơn vị sản phẩm")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def label(self) -> str:
        """The name in the interface language."""
        return self.name_en if get_language() == "en" and self.name_en else self.name

    def spellings(self) -> list[str]:
        """Every way a file may write this unit: code, names and aliases (both languages)."""
        written = [self.code, self.name, self.name_en, *self.aliases.split(";")]
        # "cái, chiếc" is two spellings of one unit.
        written += [part for text in (self.name, self.name_en) for part in text.split(",")]
        return [text.strip() for text in written if text.strip()]


def validate_product_unit(code: str) -> None:
    if code and not ProductUnit.objects.filter(code=code).exists():
        raise ValidationError(
            _("Đơn vị “%(code)s” không có trong danh mục đơn vị sản phẩm."), params={"code": code}
        )


class Product(models.Model):
    """A main product, with the unit its output is counted in (intensity is per this unit)."""

    # The units of the first release. The table ProductUnit holds them and those added since;
    # assessments' output units still choose from these.
    class Unit(models.TextChoices):
        TONNE = "t", _("tấn")
        KG = "kg", _("kg")
        CUBIC_METRE = "m3", _("m³")
        SQUARE_METRE = "m2", _("m²")
        LITRE = "l", _("lít")
        THOUSAND_LITRES = "1000l", _("nghìn lít")
        PIECE = "piece", _("cái, chiếc")
        THOUSAND_PIECES = "1000pcs", _("nghìn sản phẩm")
        PAIR = "pair", _("đôi")
        SET = "set", _("bộ")
        MWH = "MWh", _("MWh")
        METRE = "m", _("mét")

    facility = models.ForeignKey(
        Facility, verbose_name=_("cơ sở"), on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(_("sản phẩm"), max_length=200)
    # The code of a ProductUnit (kept as text: assessments and the demo read it as such).
    unit = models.CharField(_("đơn vị sản phẩm"), max_length=8, validators=[validate_product_unit])
    annual_capacity = models.DecimalField(
        _("công suất/năm"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sản phẩm chính")
        verbose_name_plural = _("sản phẩm chính")
        ordering = ["facility", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_unit_display()})"

    def get_unit_display(self) -> str:
        """The unit's name (named as Django names a choice's label; templates call it)."""
        unit = ProductUnit.objects.filter(code=self.unit).first()
        return unit.label() if unit else self.unit


def validate_evidence_size(upload: object) -> None:
    if (getattr(upload, "size", 0) or 0) > 10 * 1024 * 1024:
        raise ValidationError(_("Tệp minh chứng tối đa 10 MB."))


# Scans and photos only: nothing a browser would run if the file were ever opened inline.
EVIDENCE_VALIDATORS = [
    FileExtensionValidator(["pdf", "jpg", "jpeg", "png"]),
    validate_evidence_size,
    validate_pdf_structure,
]


class OutreachActivity(ClosingGuard, models.Model):
    """A workshop, training, guidance visit, materials mailing or media campaign (target T1)."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Hội thảo")
        TRAINING = "training", _("Lớp tập huấn")
        GUIDANCE_VISIT = "visit", _("Khảo sát, hướng dẫn tại cơ sở")
        MATERIALS = "materials", _("Gửi tài liệu hướng dẫn")
        MEDIA = "media", _("Truyền thông đại chúng")

    kind = models.CharField(_("hình thức"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("tên hoạt động"), max_length=255)
    held_on = models.DateField(_("ngày"))
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=200)
    area = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outreach_activities",
    )
    channel = models.CharField(
        _("kênh truyền thông"),
        max_length=200,
        blank=True,
        help_text=_("Với truyền thông đại chúng."),
    )
    estimated_reach = models.PositiveIntegerField(
        _("số người tiếp cận ước tính"), null=True, blank=True
    )
    description = models.TextField(_("mô tả"), blank=True)
    facilities = models.ManyToManyField(
        Facility,
        through="OutreachParticipation",
        verbose_name=_("cơ sở tham gia"),
        related_name="outreach_activities",
        blank=True,
    )
    places = models.ManyToManyField(
        IndustrialZone,
        verbose_name=_("khu, cụm công nghiệp, làng nghề được tuyên truyền"),
        related_name="outreach_activities",
        blank=True,
    )

    history = HistoricalRecords(m2m_fields=[places])
    # Listed in the period's report from its date; its participants make T1 (below).
    closing_rule = Rule(
        fields=("held_on",),
        spans=lambda facts: span(facts["held_on"], None, "held"),
        indicators=("T1",),
    )

    class Meta:
        verbose_name = _("hoạt động tuyên truyền")
        verbose_name_plural = _("hoạt động tuyên truyền")
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return self.title


class OutreachParticipation(ClosingGuard, models.Model):
    activity = models.ForeignKey(
        OutreachActivity, on_delete=models.CASCADE, related_name="participations"
    )
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="participations")
    participants = models.PositiveSmallIntegerField(_("số người tham dự"), null=True, blank=True)

    history = HistoricalRecords()
    closing_rule = Rule(
        fields=("activity_id", "facility_id", "activity__held_on"),
        spans=lambda facts: span(
            facts["activity__held_on"], None, (facts["activity_id"], facts["facility_id"])
        ),
        indicators=("T1",),
        own_fields=("activity_id", "facility_id"),
    )

    class Meta:
        verbose_name = _("cơ sở tham gia")
        verbose_name_plural = _("cơ sở tham gia")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "facility"], name="facilities_outreachparticipation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility} @ {self.activity}"


class AwarenessConfirmation(ClosingGuard, models.Model):
    """The facility confirmed it knows what CP brings (the second half of target T1)."""

    class Method(models.TextChoices):
        SURVEY = "survey", _("Phiếu khảo sát")
        ACKNOWLEDGEMENT = "acknowledgement", _("Xác nhận có chữ ký")
        VISIT_RECORD = "visit_record", _("Biên bản làm việc tại cơ sở")

    facility = models.ForeignKey(
        Facility, verbose_name=_("cơ sở"), on_delete=models.CASCADE, related_name="awareness"
    )
    confirmed_on = models.DateField(_("ngày xác nhận"))
    method = models.CharField(_("hình thức xác nhận"), max_length=16, choices=Method.choices)
    evidence = models.FileField(
        _("minh chứng"), upload_to="awareness/%Y/", blank=True, validators=EVIDENCE_VALIDATORS
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()
    closing_rule = Rule(
        fields=("facility_id", "confirmed_on"),
        spans=lambda facts: span(facts["confirmed_on"], None, facts["facility_id"]),
        indicators=("T1",),
    )

    class Meta:
        verbose_name = _("xác nhận nhận thức SXSH")
        verbose_name_plural = _("xác nhận nhận thức SXSH")
        ordering = ["-confirmed_on"]

    def __str__(self) -> str:
        return f"{self.facility} ({self.confirmed_on:%d/%m/%Y})"


class DedicatedUnit(ClosingGuard, models.Model):
    """A facility's dedicated CP unit (bộ phận chuyên trách, target T4)."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("cơ sở"), on_delete=models.CASCADE, related_name="cp_units"
    )
    established_on = models.DateField(_("ngày thành lập"))
    ended_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    head = models.CharField(_("trưởng bộ phận"), max_length=150)
    members = models.TextField(_("thành viên"), blank=True)
    evidence = models.FileField(
        _("quyết định thành lập"),
        upload_to="cp_units/%Y/",
        blank=True,
        validators=EVIDENCE_VALIDATORS,
    )

    history = HistoricalRecords()
    closing_rule = Rule(
        fields=("facility_id", "established_on", "ended_on"),
        spans=lambda facts: span(facts["established_on"], facts["ended_on"], facts["facility_id"]),
        indicators=("T4",),
    )

    class Meta:
        verbose_name = _("bộ phận chuyên trách SXSH")
        verbose_name_plural = _("bộ phận chuyên trách SXSH")
        ordering = ["-established_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("established_on")),
                name="facilities_dedicatedunit_ended_after_established",
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility}: {self.head}"


class FacilityImport(models.Model):
    """One upload of the registry spreadsheet: the file, how its columns were read, the dry run's
    findings and the outcome. The dry run and the write run as tasks (facilities/tasks.py); the
    page polls `status` and the progress counters, and reads `result` after a reload.

    It is its own audit record (who imported what, when, with which result), so it keeps no
    separate history.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Đã tải lên, chưa kiểm tra")
        CHECKING = "checking", _("Đang kiểm tra")
        CHECKED = "checked", _("Đã kiểm tra, chưa nhập")
        APPLYING = "applying", _("Đang ghi")
        APPLIED = "applied", _("Đã nhập")
        CANCELLED = "cancelled", _("Đã hủy")
        FAILED = "failed", _("Không thành công")

    RUNNING = (Status.CHECKING, Status.APPLYING)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    file = models.FileField(_("tệp"), upload_to="imports/%Y/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    # The header row, read once: reading it again means parsing the workbook's shared strings.
    headers = models.JSONField(_("tiêu đề cột"), default=list, blank=True)
    # field key → column index (or None), and field key → the default typed on the mapping step.
    mapping = models.JSONField(_("cách ghép cột"), default=dict, blank=True)
    defaults = models.JSONField(_("giá trị mặc định"), default=dict, blank=True)
    # What the dry run found (counts, rows with errors, warnings, formulas, unknown units).
    result = models.JSONField(_("kết quả kiểm tra"), default=dict, blank=True)
    message = models.TextField(_("thông báo"), blank=True)
    progress_done = models.PositiveIntegerField(_("số dòng đã xử lý"), default=0)
    progress_total = models.PositiveIntegerField(_("tổng số dòng"), default=0)
    started_at = models.DateTimeField(_("bắt đầu chạy"), null=True, blank=True)
    cancel_requested = models.BooleanField(_("yêu cầu hủy"), default=False)
    applied_at = models.DateTimeField(_("thời điểm nhập"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("số cơ sở thêm mới"), default=0)
    updated_count = models.PositiveIntegerField(_("số cơ sở cập nhật"), default=0)

    class Meta:
        verbose_name = _("lần nhập danh sách cơ sở")
        verbose_name_plural = _("các lần nhập danh sách cơ sở")
        ordering = ["-uploaded_at"]
        constraints = [
            # One import at a time per user: two concurrent writes of one registry would race.
            models.UniqueConstraint(
                fields=["uploaded_by"],
                condition=Q(status__in=["checking", "applying"]),
                name="facilities_facilityimport_one_running_per_user",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)


class ImportMapping(models.Model):
    """The column mapping the Department chose for a set of headers, offered again for the
    next file with the same headers (whoever of the Department uploads it)."""

    headers_key = models.CharField(max_length=64, unique=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    defaults = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cách ghép cột đã lưu")
        verbose_name_plural = _("cách ghép cột đã lưu")

    def __str__(self) -> str:
        return ", ".join(self.headers)[:100]
