"""The forms with which Department staff write the public page's articles, case studies and
documents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from facilities.forms import DateInput, FacilitiesByTaxCodeField, localize_decimals
from facilities.models import Facility
from public.models import Article, CaseStudy, PublicDocument

# The browser's own date-time picker; Django's DateTimeField reads the ISO value it sends.
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _PublishableForm(forms.ModelForm):
    """Rich text is sanitised by the model's clean(), which a ModelForm runs before saving."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("body", "description"):
            if name in self.fields:
                self.fields[name].widget.attrs.setdefault("rows", 14 if name == "body" else 4)


class ArticleForm(_PublishableForm):
    class Meta:
        model = Article
        fields = [
            "kind", "title", "slug", "summary", "body", "image", "image_alt", "status",
            "published_at",
        ]  # fmt: skip
        widgets = {"published_at": DATETIME_INPUT}


class CaseStudyForm(_PublishableForm):
    facility_code = FacilitiesByTaxCodeField(label=_("Mã số thuế cơ sở"), widget=forms.TextInput())

    class Meta:
        model = CaseStudy
        fields = [
            "title", "slug", "year", "summary", "body", "investment_vnd", "yearly_savings_vnd",
            "energy_saved_toe", "water_saved_m3", "consent_given", "consent_on",
            "consent_reference", "image", "image_alt", "status", "published_at",
        ]  # fmt: skip
        widgets = {
            "consent_on": DateInput(),
            "published_at": DATETIME_INPUT,
        }

    field_order = ["facility_code"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_decimals(self)
        if self.instance.pk and not self.is_bound:
            self.initial["facility_code"] = self.instance.facility.tax_code

    def clean_facility_code(self) -> Facility:
        facilities = self.cleaned_data["facility_code"]
        if len(facilities) != 1:
            raise forms.ValidationError(_("Nhập đúng một mã số thuế."))
        # The model's clean() runs after this and needs the facility on the instance.
        self.instance.facility = facilities[0]
        return facilities[0]


class PublicDocumentForm(_PublishableForm):
    class Meta:
        model = PublicDocument
        fields = [
            "kind", "title", "slug", "number", "issued_on", "issued_by", "description", "file",
            "status", "published_at",
        ]  # fmt: skip
        widgets = {
            "issued_on": DateInput(),
            "published_at": DATETIME_INPUT,
        }
