from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from facilities.models import (
    AdministrativeUnit,
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    FacilityQuerySet,
    OutreachActivity,
    Sector,
    normalise_tax_code,
)
from portal.lib.numbers import trimmed

YES_NO = [("yes", _("Có")), ("no", _("Không"))]
ALL = _("Tất cả")


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
