from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from facilities import importer
from facilities.geography import check_unit_valid
from facilities.models import (
    AdministrativeUnit,
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    FacilityQuerySet,
    IndustrialZone,
    OutreachActivity,
    Product,
    ProductUnit,
    Sector,
    SizeClass,
    normalise_tax_code,
)
from facilities.vietnamese import fold
from portal.lib.admin import can_look_up
from portal.lib.numbers import trimmed

YES_NO = [("yes", _("Có")), ("no", _("Không"))]
ALL = _("Tất cả")


def unit_label(unit: AdministrativeUnit) -> str:
    """A unit in a picker: a plan-era commune with its district, an ended unit with its end."""
    label = str(unit)
    if unit.level == AdministrativeUnit.Level.COMMUNE and unit.parent and unit.valid_to:
        label = f"{label}, {unit.parent}"
    if unit.valid_to:
        label = _("%(unit)s (đến %(end)s)") % {
            "unit": label,
            "end": unit.valid_to.strftime("%d/%m/%Y"),
        }
    return label


class AsOfForm(forms.Form):
    """The day a list is read at (today unless asked)."""

    on = forms.DateField(label=_("Tại ngày"), required=False)


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
        # Where the facility is today: a unit valid today, or the one it is still recorded on
        # (a facility not yet remapped keeps its plan-era unit until a person moves it).
        valid = Q(pk__in=AdministrativeUnit.objects.valid_on(timezone.localdate()).values("pk"))
        if self.instance.administrative_unit_id:
            valid |= Q(pk=self.instance.administrative_unit_id)
        self.fields["administrative_unit"].queryset = (
            AdministrativeUnit.objects.exclude(level=AdministrativeUnit.Level.PROVINCE)
            .filter(valid)
            .select_related("parent")
            .order_by("level", "name", "code")
        )
        self.fields["administrative_unit"].label_from_instance = unit_label
        self.fields["administrative_unit"].widget.attrs["data-search"] = _("Tìm xã, phường…")
        # Facilities are classed at the most detailed level shipped (3 digits).
        self.fields["sector"].queryset = Sector.objects.filter(level__gte=3)


def unit_choices() -> list[tuple[str, str]]:
    return [("", "---------")] + [
        (unit.code, unit.label()) for unit in ProductUnit.objects.order_by("name")
    ]


class ProductForm(forms.ModelForm):
    """A product with its unit chosen from the units department admins keep."""

    unit = forms.ChoiceField(label=_("đơn vị sản phẩm"), choices=unit_choices)

    class Meta:
        model = Product
        fields = ["name", "unit", "annual_capacity"]


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


class SixtyFourBitIds:
    """A choice of several records by id in which a value that cannot be an id (past 64 bits
    either way: SQLite cannot compare it) is refused as any unknown one, not a server error."""

    error_messages: dict[str, Any]
    queryset: Any

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if not can_look_up(self.queryset.model._meta.pk, pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]


class PlacesField(SixtyFourBitIds, forms.ModelMultipleChoiceField):
    """The places an activity reached."""


def place_label(place: IndustrialZone) -> str:
    """ "CCN Nghi Phú (Cụm công nghiệp, 2010–2023)": a place with its kind and its dates."""
    dates = ""
    if place.established_on or place.closed_on:
        start = place.established_on.year if place.established_on else "…"
        end = place.closed_on.year if place.closed_on else "…"
        dates = f", {start}–{end}"
    return f"{place.name} ({place.get_kind_display()}{dates})"


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
            "places",
        ]
        widgets = {
            "held_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "places": forms.SelectMultiple(attrs={"size": 8}),
        }
        field_classes = {"places": PlacesField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = AdministrativeUnit.objects.select_related("parent").order_by(
            "level", "valid_to", "name", "code"
        )
        self.fields["area"].label_from_instance = unit_label
        self.fields["area"].widget.attrs["data-search"] = _("Tìm đơn vị hành chính…")
        self._offer_places()
        if self.instance.pk and not self.is_bound:
            self.initial["participants"] = FacilitiesByTaxCodeField.initial_for(
                self.instance.facilities.all()
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("kind") == OutreachActivity.Kind.MEDIA and cleaned.get("participants"):
            self.add_error(
                "participants",
                _(
                    "Truyền thông đại chúng không ghi cơ sở tham gia; vui lòng ghi số người tiếp "
                    "cận."
                ),
            )
        area, held_on = cleaned.get("area"), cleaned.get("held_on")
        if area and held_on:
            try:
                check_unit_valid(area, held_on)
            except ValidationError as refused:
                self.add_error("area", refused.messages[0])
        places = cleaned.get("places")
        if places and held_on:
            existing = set(IndustrialZone.objects.existing_on(held_on).values_list("pk", flat=True))
            absent = [place.name for place in places if place.pk not in existing]
            if absent:
                self.add_error(
                    "places",
                    _("Chưa thành lập hoặc đã giải thể vào ngày tổ chức: %(names)s.")
                    % {"names": ", ".join(absent)},
                )
        return cleaned

    def _offer_places(self) -> None:
        """The places existing on the activity's day (K1 counts only those): the day saved, or
        the one typed when the form comes back; every place, its dates shown, while none is
        known. Those already chosen stay offered, so that a wrong one can be seen and removed."""
        field = self.fields["places"]
        field.label = _("Khu, cụm công nghiệp, làng nghề được tuyên truyền")
        field.help_text = _(
            "Chỉ những nơi đã thành lập và chưa giải thể vào ngày tổ chức; giữ Ctrl để chọn nhiều."
        )
        field.widget.attrs["data-search"] = _("Tìm khu, cụm, làng nghề…")
        field.label_from_instance = place_label
        field.error_messages["invalid_choice"] = _(
            "Nơi đã chọn chưa thành lập hoặc đã giải thể vào ngày tổ chức, hoặc không có trong "
            "danh mục."
        )
        places = IndustrialZone.objects.order_by("kind", "name")
        day = self.instance.held_on
        if self.is_bound:
            try:
                day = self.fields["held_on"].clean(self.data.get(self.add_prefix("held_on")))
            except ValidationError:
                day = None
        if day is None:
            field.queryset = places
            return
        chosen = Q(pk__in=self.instance.places.all()) if self.instance.pk else Q()
        existing = Q(pk__in=IndustrialZone.objects.existing_on(day).values("pk"))
        field.queryset = places.filter(existing | chosen) if chosen else places.filter(existing)


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


# --- The registry import -------------------------------------------------------------------


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_("Tối đa 5 MB. Dòng đầu tiên là tên cột."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        importer.check_upload(uploaded)
        return uploaded


def _default_choices(key: str) -> list[tuple[str, str]]:
    """What a missing column may be filled with, each value written as a cell would hold it."""
    empty = [("", _("— không dùng —"))]
    if key == "legal_form":
        return empty + [(str(label), str(label)) for label in Facility.LegalForm.labels]
    if key == "administrative_unit":
        units = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.DISTRICT)
        return empty + [(unit.code, f"{unit.code} – {unit.name}") for unit in units]
    if key == "zone":
        zones = IndustrialZone.objects.order_by("name").values_list("name", flat=True)
        return empty + [(name, name) for name in zones]
    if key == "sector":
        sectors = Sector.objects.filter(level__gte=3).order_by("code")
        return empty + [(sector.code, f"{sector.code} – {sector.name}") for sector in sectors]
    if key == "size_class":
        sizes = SizeClass.objects.order_by("rank").values_list("name", flat=True)
        return empty + [(name, name) for name in sizes]
    if key == "in_scope":
        return empty + [("Có", _("Có")), ("Không", _("Không"))]
    if key == "product_unit":
        return empty + [(code, label) for code, label in unit_choices() if code]
    return empty


class ImportMappingForm(forms.Form):
    """Which spreadsheet column holds which field, and for a missing column the value new
    facilities get; pre-filled from the column headers or the mapping last used for them."""

    def __init__(
        self, *args: Any, headers: list[str], fields: list[Any], required: set[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        columns = [("", _("— không có —"))] + [
            (str(index), f"{get_column_letter(index + 1)}: {header}")
            for index, header in enumerate(headers)
        ]
        self.pairs = []
        for item in fields:
            label = f"{item.label_vi} *" if item.key in required else item.label_vi
            self.fields[item.key] = forms.ChoiceField(label=label, choices=columns, required=False)
            default = None
            if item.key in importer.DEFAULTABLE:
                default = f"default_{item.key}"
                self.fields[default] = forms.ChoiceField(
                    label=_("Nếu không có cột: giá trị cho cơ sở mới"),
                    choices=_default_choices(item.key),
                    required=False,
                )
            self.pairs.append((item.key, default))

    def field_pairs(self) -> list[tuple[Any, Any]]:
        """Each field's column choice with its default choice (or None), as bound fields."""
        return [(self[key], self[default] if default else None) for key, default in self.pairs]

    def mapping(self) -> dict[str, int | None]:
        return {
            key: int(self.cleaned_data[key]) if self.cleaned_data.get(key) else None
            for key, _default in self.pairs
        }

    def defaults(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[default]
            for key, default in self.pairs
            if default and self.cleaned_data.get(default)
        }


class ProductUnitForm(forms.ModelForm):
    """A unit added from the dry run, where a file used one the list lacks."""

    # The unit as the file wrote it, kept as another spelling when the name differs.
    alias = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    class Meta:
        model = ProductUnit
        fields = ["name", "code", "name_en", "quantity_kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Để trống: cổng tự đặt mã từ tên.")

    def clean_code(self) -> str:
        code = self.cleaned_data.get("code") or slugify(
            fold(self.cleaned_data.get("name") or "")
        ).replace("-", "")
        code = code[:8]
        if not code:
            raise forms.ValidationError(_("Vui lòng nhập mã đơn vị (chữ và số không dấu)."))
        if ProductUnit.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("Mã “%(code)s” đã có: vui lòng nhập một mã khác.") % {"code": code}
            )
        return code
