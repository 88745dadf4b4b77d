from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.models import AdministrativeUnit
from portal.access import DEPARTMENT, allow
from portal.models import Role


class AsOfForm(forms.Form):
    on = forms.DateField(label=_("Tại ngày"), required=False)


@allow(DEPARTMENT, Role.AGENCY_OFFICER, Role.OFFICIAL)
def unit_list(request: HttpRequest) -> HttpResponse:
    """The administrative tree as it stood on a date (today unless asked)."""
    form = AsOfForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["on"]:
        day = form.cleaned_data["on"]
    units = (
        AdministrativeUnit.objects.valid_on(day)
        .filter(level=AdministrativeUnit.Level.DISTRICT)
        .select_related("parent")
        .order_by("code")
    )
    return render(request, "facilities/unit_list.html", {"form": form, "day": day, "units": units})
