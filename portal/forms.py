from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.template import loader
from django.utils.translation import gettext_lazy as _

from facilities.forms import DateInput, FacilitiesByTaxCodeField, localize_decimals
from facilities.models import Facility
from portal.models import Article, CaseStudy, PublicDocument
from portal.tasks import send_email


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the message sent by a Celery task instead of in the request."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        transaction.on_commit(
            lambda: send_email.delay(subject=subject, body=body, to=[to_email], html_body=html_body)
        )


# --- The public CP information page: what staff write ----------------------------------------


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
