from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.models import (
    AdministrativeUnit,
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    FacilityQuerySet,
    IndustrialZone,
    OutreachActivity,
    Sector,
    SizeClass,
    descendant_ids,
    normalise_tax_code,
)
from portal.lib.numbers import trimmed

YES_NO = [("yes", _("Có")), ("no", _("Không"))]
ALL = _("Tất cả")

SORTS = {
    "name": ("name_sort_key", "pk"),
    "-name": ("-name_sort_key", "-pk"),
    "tax_code": ("tax_code",),
    "-tax_code": ("-tax_code",),
    "sector": ("sector__code", "name_sort_key"),
    "-sector": ("-sector__code", "name_sort_key"),
    "area": ("administrative_unit__code", "name_sort_key"),
    "-area": ("-administrative_unit__code", "name_sort_key"),
    "employees": ("employees", "name_sort_key"),
    "-employees": ("-employees", "name_sort_key"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
}


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **kwargs}, format="%d/%m/%Y"
        )


class DecimalInput(forms.TextInput):
    """A quantity or an amount as people write it here: 1.250,5 in Vietnamese, 1,250.5 in
    English. A text input: a browser's number input reads "1.250" as 1.25 and drops "12,5"."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", **(attrs or {})})
        self.is_localized = True

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal) and value.is_finite():
            value = trimmed(value)  # 22484.000 from the database shows as 22.484, not 22.484,000
        return super().format_value(value)


def localize_decimals(form: forms.BaseForm) -> None:
    """Let every decimal field of `form` read and show numbers the way of the active language."""
    for field in form.fields.values():
        if isinstance(field, forms.DecimalField):
            field.localize = True
            kept = {k: v for k, v in field.widget.attrs.items() if k not in ("step", "min", "max")}
            field.widget = DecimalInput(kept)


class FacilityFilter(django_filters.FilterSet):
    """Search, filters and sorting of the facility list (and of its XLSX export)."""

    q = django_filters.CharFilter(
        label=_("Tìm theo tên hoặc mã số thuế"), method="search", max_length=200
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Địa bàn"),
        empty_label=ALL,
        queryset=AdministrativeUnit.objects.exclude(level=AdministrativeUnit.Level.PROVINCE),
        method="in_area",
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Ngành"),
        queryset=Sector.objects.filter(level__lte=2),
        method="in_sector",
        empty_label=ALL,
    )
    size = django_filters.ModelChoiceFilter(
        label=_("Quy mô"),
        queryset=SizeClass.objects.all(),
        field_name="size_class",
        empty_label=ALL,
    )
    zone = django_filters.ModelChoiceFilter(
        label=_("Khu, cụm công nghiệp"),
        queryset=IndustrialZone.objects.all(),
        method="in_zone",
        empty_label=ALL,
    )
    status = django_filters.ChoiceFilter(
        label=_("Tình trạng"),
        choices=Facility.Status.choices,
        method="with_status",
        empty_label=ALL,
    )
    aware = django_filters.ChoiceFilter(
        label=_("Đã nhận thức SXSH"), choices=YES_NO, method="is_aware", empty_label=ALL
    )
    applying = django_filters.ChoiceFilter(
        label=_("Đang áp dụng SXSH"), choices=YES_NO, method="is_applying", empty_label=ALL
    )
    cp_unit = django_filters.ChoiceFilter(
        label=_("Có bộ phận chuyên trách"), choices=YES_NO, method="has_cp_unit", empty_label=ALL
    )
    in_scope = django_filters.ChoiceFilter(
        label=_("Thuộc phạm vi chương trình"), choices=YES_NO, method="is_in_scope", empty_label=ALL
    )
    in_plan = django_filters.ChoiceFilter(
        label=_("Tính vào chỉ tiêu (trong phạm vi, đang hoạt động)"),
        choices=YES_NO,
        method="is_in_plan",
        empty_label=ALL,
    )
    # The day the status and programme filters are read at (the view passes it as `today`):
    # how the dashboard's figures as of a date drill down to their facilities.
    on = django_filters.DateFilter(label=_("Tại ngày"), method="at_day", widget=DateInput())
    sort = django_filters.ChoiceFilter(
        label=_("Sắp xếp"),
        choices=[(key, key) for key in SORTS],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Facility
        fields: list[str] = []

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.form.fields["area"].queryset = AdministrativeUnit.objects.exclude(
            level=AdministrativeUnit.Level.PROVINCE
        ).order_by("code")

    @property
    def qs(self) -> FacilityQuerySet:
        queryset = super().qs
        if not self.is_bound or not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS["name"])
        return queryset

    def search(self, queryset: FacilityQuerySet, name: str, value: str) -> FacilityQuerySet:
        return queryset.matching(value)

    def in_area(self, queryset: FacilityQuerySet, name: str, value: AdministrativeUnit):
        return queryset.filter(administrative_unit__in=descendant_ids(AdministrativeUnit, value.pk))

    def in_sector(self, queryset: FacilityQuerySet, name: str, value: Sector):
        return queryset.filter(sector__in=descendant_ids(Sector, value.pk))

    def in_zone(self, queryset: FacilityQuerySet, name: str, value: IndustrialZone):
        return queryset.filter(Q(zone=value) | Q(zone__parent=value))

    def with_status(self, queryset: FacilityQuerySet, name: str, value: str):
        day = self.today
        closed = Q(closed_on__lte=day)
        not_started = Q(started_on__gt=day)
        suspended = Q(suspended_on__lte=day) & (Q(resumed_on__isnull=True) | Q(resumed_on__gt=day))
        if value == Facility.Status.CLOSED:
            return queryset.filter(closed)
        if value == Facility.Status.NOT_STARTED:
            return queryset.filter(not_started).exclude(closed)
        if value == Facility.Status.SUSPENDED:
            return queryset.filter(suspended).exclude(closed | not_started)
        return queryset.operating_on(day)

    def is_aware(self, queryset: FacilityQuerySet, name: str, value: str):
        aware = queryset.aware_on(self.today)
        return aware if value == "yes" else queryset.exclude(pk__in=aware.values("pk"))

    def is_applying(self, queryset: FacilityQuerySet, name: str, value: str):
        applying = queryset.applying_on(self.today)
        return applying if value == "yes" else queryset.exclude(pk__in=applying.values("pk"))

    def has_cp_unit(self, queryset: FacilityQuerySet, name: str, value: str):
        with_unit = queryset.with_cp_unit_on(self.today)
        return with_unit if value == "yes" else queryset.exclude(pk__in=with_unit.values("pk"))

    def is_in_scope(self, queryset: FacilityQuerySet, name: str, value: str):
        return queryset.filter(in_scope=value == "yes")

    def is_in_plan(self, queryset: FacilityQuerySet, name: str, value: str):
        counted = queryset.in_denominator_on(self.today)
        return counted if value == "yes" else queryset.exclude(pk__in=counted.values("pk"))

    def at_day(self, queryset: FacilityQuerySet, name: str, value: datetime.date):
        return queryset  # read by the view before filtering; see `on` above

    def sort_by(self, queryset: FacilityQuerySet, name: str, value: str):
        return queryset.order_by(*SORTS[value])


def with_list_columns(queryset: FacilityQuerySet, day: datetime.date) -> FacilityQuerySet:
    """What each list row shows, fetched in the list's one query."""
    return queryset.select_related(
        "administrative_unit", "sector", "size_class", "zone"
    ).with_programme_flags(day)


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = [
            "name",
            "tax_code",
            "legal_form",
            "address",
            "administrative_unit",
            "zone",
            "sector",
            "size_class",
            "employees",
            "contact_name",
            "contact_phone",
            "contact_email",
            "started_on",
            "suspended_on",
            "resumed_on",
            "closed_on",
            "in_scope",
            "is_designated_energy_user",
        ]
        widgets = {
            "started_on": DateInput(),
            "suspended_on": DateInput(),
            "resumed_on": DateInput(),
            "closed_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["administrative_unit"].queryset = AdministrativeUnit.objects.exclude(
            level=AdministrativeUnit.Level.PROVINCE
        ).order_by("code")
        # Facilities are classed at the most detailed level shipped (3 digits).
        self.fields["sector"].queryset = Sector.objects.filter(level__gte=3)


class ContactsForm(forms.Form):
    """Only the contact fields: a plain form, so nothing else of the record is validated here."""

    contact_name = Facility._meta.get_field("contact_name").formfield()
    contact_phone = Facility._meta.get_field("contact_phone").formfield()
    contact_email = Facility._meta.get_field("contact_email").formfield()


class InviteManagerForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"))


class AwarenessForm(forms.ModelForm):
    class Meta:
        model = AwarenessConfirmation
        fields = ["confirmed_on", "method", "evidence", "note"]
        widgets = {"confirmed_on": DateInput()}


class DedicatedUnitForm(forms.ModelForm):
    class Meta:
        model = DedicatedUnit
        fields = ["established_on", "ended_on", "head", "members", "evidence"]
        widgets = {
            "established_on": DateInput(),
            "ended_on": DateInput(),
            "members": forms.Textarea(attrs={"rows": 3}),
        }


class FacilitiesByTaxCodeField(forms.CharField):
    """Facilities typed as tax codes, one per line or separated by commas: how staff copy them
    from an attendance sheet. Cleans to the list of facilities, or names every code it refused."""

    widget = forms.Textarea(attrs={"rows": 6, "placeholder": "2900123456\n2900654321-001"})

    def clean(self, value: str) -> list[Facility]:  # type: ignore[override]
        raw = super().clean(value).replace(",", "\n").replace(";", "\n")
        codes, invalid = [], []
        for typed in (line.strip() for line in raw.splitlines()):
            if not typed:
                continue
            try:
                codes.append(normalise_tax_code(typed))
            except forms.ValidationError:
                invalid.append(typed)
        found = {f.tax_code: f for f in Facility.objects.filter(tax_code__in=codes)}
        unknown = [code for code in codes if code not in found]
        errors = []
        if invalid:
            errors.append(_("Mã số thuế không hợp lệ: %(codes)s.") % {"codes": ", ".join(invalid)})
        if unknown:
            errors.append(
                _("Chưa có trong danh sách cơ sở: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        if errors:
            raise forms.ValidationError(errors)
        return list(found.values())

    @staticmethod
    def initial_for(facilities: FacilityQuerySet) -> str:
        return "\n".join(facilities.order_by("tax_code").values_list("tax_code", flat=True))


class OutreachForm(forms.ModelForm):
    participants = FacilitiesByTaxCodeField(
        label=_("Cơ sở tham gia"),
        required=False,
        help_text=_("Mã số thuế các cơ sở tham gia, mỗi dòng (hoặc dấu phẩy) một mã."),
    )

    class Meta:
        model = OutreachActivity
        fields = [
            "kind",
            "title",
            "held_on",
            "organiser",
            "area",
            "channel",
            "estimated_reach",
            "description",
        ]
        widgets = {"held_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = AdministrativeUnit.objects.order_by("level", "code")
        if self.instance.pk and not self.is_bound:
            self.initial["participants"] = FacilitiesByTaxCodeField.initial_for(
                self.instance.facilities.all()
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("kind") == OutreachActivity.Kind.MEDIA and cleaned.get("participants"):
            self.add_error(
                "participants",
                _("Truyền thông đại chúng không ghi cơ sở tham gia; hãy ghi số người tiếp cận."),
            )
        return cleaned


class OutreachFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Tìm theo tên"), field_name="title", lookup_expr="icontains"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Hình thức"), choices=OutreachActivity.Kind.choices, empty_label=ALL
    )
    year = django_filters.NumberFilter(
        label=_("Năm"),
        field_name="held_on",
        lookup_expr="year",
        min_value=1990,
        max_value=2100,
    )

    class Meta:
        model = OutreachActivity
        fields: list[str] = []
