from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.validators import FileExtensionValidator
from django.db.models import Case, DateField, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Assessment,
    Baseline,
    CPOption,
    Resource,
    SectorMaterial,
    SelfReport,
    SupportOrganisation,
    Technique,
    validate_pdf,
)
from facilities.forms import DateInput, FacilitiesByTaxCodeField, localize_decimals, unit_label
from facilities.models import (
    DISTRICT_LEVEL_ENDS,
    AdministrativeUnit,
    Facility,
    FacilityLocation,
    FacilityQuerySet,
    ProductUnit,
)

ALL = _("Tất cả")
CURRENT_MAP = _("Đơn vị hành chính hiện hành (từ 01/07/2025)")
PLAN_ERA_MAP = _("Huyện, xã trước 01/07/2025")


class UnitsByMap(forms.models.ModelChoiceIterator):
    """A unit picker's options in two groups: the current map's units, then the plan era's (a
    unit ended by 30/06/2025). Labels by `unit_label`, as the outreach form's picker."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        current: list[tuple[Any, str]] = []
        plan_era: list[tuple[Any, str]] = []
        for unit in self.queryset:
            ended = unit.valid_to is not None and unit.valid_to <= DISTRICT_LEVEL_ENDS
            (plan_era if ended else current).append(self.choice(unit))
        yield (CURRENT_MAP, current)
        yield (PLAN_ERA_MAP, plan_era)


def offer_areas_by_map(field: forms.ModelChoiceField) -> None:
    """Offer every district and commune in an area filter, the current map's units first and
    the plan era's after, each under its own heading: some 560 units, a commune name can be on
    both maps, and a reader must see which one they pick. Searchable (static/js/select-search.js).
    """
    field.iterator = UnitsByMap
    field.label_from_instance = unit_label
    field.queryset = (
        AdministrativeUnit.objects.exclude(level=AdministrativeUnit.Level.PROVINCE)
        .select_related("parent")
        .order_by("level", "name", "code")
    )
    field.widget.attrs.update(
        {"class": "form-select form-select-sm", "data-search": _("Tìm đơn vị hành chính…")}
    )


class AssessmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm cơ sở"), method="search", max_length=200)
    kind = django_filters.ChoiceFilter(
        label=_("Loại"), choices=Assessment.Kind.choices, empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=Assessment.Status.choices, empty_label=ALL
    )
    year = django_filters.NumberFilter(
        label=_("Năm"),
        field_name="started_on",
        lookup_expr="year",
        min_value=1990,
        max_value=2100,
    )

    class Meta:
        model = Assessment
        fields: list[str] = []

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(facility__in=Facility.objects.matching(value).values("pk"))


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "facility",
            "kind",
            "status",
            "started_on",
            "completed_on",
            "organisation",
            "team",
            "funding",
            "findings",
            "report",
        ]
        widgets = {
            "started_on": DateInput(),
            "completed_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "report": forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        }

    def __init__(
        self, *args: Any, facilities: FacilityQuerySet, organisation_fixed: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only facilities the user may see; a consultant records for their own organisation.
        self.fields["facility"].queryset = facilities.order_by("name_sort_key")
        if organisation_fixed:
            del self.fields["organisation"]


def product_unit_field(field: forms.Field) -> forms.ChoiceField:
    """The output unit as a choice of the units in the reference list (admins extend it)."""
    units = [(unit.code, unit.label()) for unit in ProductUnit.objects.order_by("name")]
    return forms.ChoiceField(
        label=field.label,
        required=field.required,
        choices=[("", "---------"), *units],
        help_text=field.help_text,
    )


SECTOR_MATERIAL = _("Nguyên vật liệu chính của ngành.")


def sector_materials(facility: Facility | None) -> set[int]:
    """The resources the forms ask `facility` for as its sector's main materials."""
    if facility is None:
        return set()
    return {material.resource_id for material in SectorMaterial.of_facility(facility)}


class BaselineForm(forms.ModelForm):
    """The baseline year, with one quantity field per resource (blank = not used)."""

    class Meta:
        model = Baseline
        fields = ["year", "output", "output_unit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["output_unit"] = product_unit_field(self.fields["output_unit"])
        existing = (
            {line.resource_id: line.quantity for line in self.instance.consumptions.all()}
            if self.instance.pk
            else {}
        )
        facility = self.instance.assessment.facility if self.instance.assessment_id else None
        materials = sector_materials(facility)
        self.resources = list(Resource.objects.for_form(existing, also=materials))
        for resource in self.resources:
            self.fields[f"resource_{resource.pk}"] = forms.DecimalField(
                label=f"{resource.label} ({resource.unit_label})",
                required=False,
                min_value=Decimal(0),
                max_digits=18,
                decimal_places=3,
                initial=existing.get(resource.pk),
                help_text=SECTOR_MATERIAL if resource.pk in materials else "",
            )
        localize_decimals(self)

    def consumptions(self) -> dict[int, Decimal | None]:
        return {r.pk: self.cleaned_data.get(f"resource_{r.pk}") for r in self.resources}


class CPOptionForm(forms.ModelForm):
    class Meta:
        model = CPOption
        fields = [
            "technique",
            "description",
            "investment_vnd",
            "savings_vnd_per_year",
            "savings_toe_per_year",
            "savings_water_m3_per_year",
            "savings_material",
            "status",
            "implemented_on",
        ]
        widgets = {"implemented_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, may_verify: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_decimals(self)
        if not may_verify:
            # Verification is the Department's word; consultants propose and report progress.
            self.fields["status"].choices = [
                choice
                for choice in CPOption.Status.choices
                if choice[0] != CPOption.Status.VERIFIED or self.instance.status == choice[0]
            ]


class StartReportForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Cơ sở"), queryset=None, empty_label=None)
    period_kind = forms.ChoiceField(
        label=_("Kỳ báo cáo"), choices=SelfReport.PeriodKind.choices, initial="quarter"
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2010, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quý"),
        choices=[("", "—"), (1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        coerce=int,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, facilities: FacilityQuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities.order_by("name_sort_key")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("period_kind") == "quarter" and not cleaned.get("quarter"):
            self.add_error("quarter", _("Vui lòng chọn quý."))
        if cleaned.get("period_kind") == "year":
            cleaned["quarter"] = None
        return cleaned


class SelfReportForm(forms.ModelForm):
    """Output and consumption of the period: one field per resource, its unit beside it."""

    attachment = forms.FileField(
        label=_("Tệp đính kèm (PDF)"),
        required=False,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = SelfReport
        fields = ["output", "output_unit", "has_cp_unit", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["output_unit"] = product_unit_field(self.fields["output_unit"])
        existing = {line.resource_id: line.quantity for line in self.instance.consumptions.all()}
        facility = self.instance.facility if self.instance.facility_id else None
        materials = sector_materials(facility)
        self.resources = list(Resource.objects.for_form(existing, also=materials))
        for resource in self.resources:
            self.fields[f"resource_{resource.pk}"] = forms.DecimalField(
                label=resource.label,
                required=False,
                min_value=Decimal(0),
                max_digits=18,
                decimal_places=3,
                initial=existing.get(resource.pk),
                help_text=SECTOR_MATERIAL if resource.pk in materials else "",
            )
            self.fields[f"resource_{resource.pk}"].unit = resource.unit_label
        localize_decimals(self)

    def resource_fields(self) -> list[forms.BoundField]:
        """The quantity fields, for a template that sets each in an input group with its unit."""
        fields = [self[f"resource_{resource.pk}"] for resource in self.resources]
        for field in fields:
            field.field.widget.attrs["class"] = "form-control" + (
                " is-invalid" if field.errors else ""
            )
        return fields

    def consumptions(self) -> dict[int, Decimal | None]:
        return {r.pk: self.cleaned_data.get(f"resource_{r.pk}") for r in self.resources}


class MeasureForm(forms.Form):
    # An empty first choice, so the blank extra row stays unchanged and is ignored.
    technique = forms.ChoiceField(
        label=_("Nhóm giải pháp"), choices=[("", "—"), *Technique.choices]
    )
    description = forms.CharField(label=_("Giải pháp"), max_length=255)
    implemented_on = forms.DateField(label=_("Ngày thực hiện"), widget=DateInput())
    cost_vnd = forms.DecimalField(
        label=_("Chi phí (đồng)"), min_value=Decimal(0), max_digits=18, decimal_places=0
    )
    savings_vnd_per_year = forms.DecimalField(
        label=_("Tiết kiệm/năm (đồng)"), min_value=Decimal(0), max_digits=18, decimal_places=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_decimals(self)


MeasureFormSet = forms.formset_factory(
    MeasureForm, extra=1, can_delete=True, max_num=50, validate_max=True, absolute_max=50
)


def measure_initial(report: SelfReport) -> list[dict[str, Any]]:
    return [
        {
            "technique": measure.technique,
            "description": measure.description,
            "implemented_on": measure.implemented_on,
            "cost_vnd": measure.cost_vnd,
            "savings_vnd_per_year": measure.savings_vnd_per_year,
        }
        for measure in report.measures.all()
    ]


def cleaned_measures(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm_warnings = forms.BooleanField(
        label=_("Tôi đã xem các cảnh báo và xác nhận số liệu hợp lý"), required=False
    )


class ReviewQueueFilter(django_filters.FilterSet):
    # Warnings are computed in Python (assessments.savings), so the view applies this one.
    warnings = django_filters.ChoiceFilter(
        label=_("Cảnh báo"),
        choices=[("yes", _("Có cảnh báo")), ("no", _("Không cảnh báo"))],
        method="leave_to_view",
        empty_label=ALL,
    )

    year = django_filters.NumberFilter(label=_("Năm"), min_value=1990, max_value=2100)
    quarter = django_filters.ChoiceFilter(
        label=_("Quý"), choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")], empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=SelfReport.Status.choices, empty_label=ALL
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Địa bàn"),
        queryset=AdministrativeUnit.objects.exclude(level=AdministrativeUnit.Level.PROVINCE),
        method="in_area",
        empty_label=ALL,
    )

    class Meta:
        model = SelfReport
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_areas_by_map(self.form.fields["area"])

    def leave_to_view(self, queryset: Any, name: str, value: str) -> Any:
        return queryset

    def in_area(self, queryset: Any, name: str, area: AdministrativeUnit) -> Any:
        """Reports whose facility was in `area` at the end of the period each reports on.

        A report is read at its own period, not at the day the queue is looked at: a reviewer
        who picks a district sees the reports its facilities sent while they were there, even
        for a facility that has moved since, and the queue's year and quarter only narrow the
        periods. As on the registry list (`facilities.geography.in_area_on`), a district is read
        no later than its last day (30/06/2025) and a commune of the new map no earlier than its
        first, so a 2026 report of a facility that was in the district counts under it, and a
        2024 report of a facility now in the commune counts under the commune.
        """
        units = area.subtree_ids()
        read_day = _read_day_of_each_period(queryset, area)
        if read_day is None:
            return queryset.none()
        located = FacilityLocation.objects.filter(facility=OuterRef("facility")).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=OuterRef("read_day")),
            Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("read_day")),
        )
        # A facility with no location on that day never moved: its unit today is its unit then.
        return queryset.alias(read_day=read_day).filter(
            Exists(located.filter(unit__in=units))
            | (~Exists(located) & Q(facility__administrative_unit__in=units))
        )


def _read_day_of_each_period(queryset: Any, area: AdministrativeUnit) -> Case | None:
    """The day each report of `queryset` is placed on the map at, as an expression: its
    period's last day, kept inside the era `area` belongs to (see `ReviewQueueFilter.in_area`).
    One query for the periods present; None when there are none."""
    periods = queryset.order_by().values_list("period_kind", "year", "quarter").distinct()
    whens = [
        When(
            period_kind=kind,
            year=year,
            quarter=quarter,
            then=Value(_within_era(SelfReport(period_kind=kind, year=year, quarter=quarter), area)),
        )
        for kind, year, quarter in periods
    ]
    if not whens:
        return None
    return Case(*whens, output_field=DateField())


def _within_era(report: SelfReport, area: AdministrativeUnit) -> datetime.date:
    day = report.period_end
    if area.level == AdministrativeUnit.Level.DISTRICT:
        day = min(day, DISTRICT_LEVEL_ENDS)
    if area.valid_from and day < area.valid_from:
        day = area.valid_from
    return day


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2010, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quý"), choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")], coerce=int
    )


class SupportOrganisationForm(forms.ModelForm):
    assigned = FacilitiesByTaxCodeField(
        label=_("Cơ sở được giao"),
        required=False,
        help_text=_(
            "Mã số thuế các cơ sở giao cho tổ chức, mỗi dòng một mã: chuyên gia của tổ chức "
            "chỉ thấy và ghi nhận đánh giá cho các cơ sở này."
        ),
    )

    class Meta:
        model = SupportOrganisation
        fields = ["name", "kind", "email", "phone", "address", "expertise"]
        widgets = {"expertise": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["assigned"] = FacilitiesByTaxCodeField.initial_for(
                self.instance.facilities.all()
            )
