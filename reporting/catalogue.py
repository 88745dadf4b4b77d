"""The preview of a catalogue entry being composed: its value today, against no target.

The page composing an entry is programs' (`programs.views.indicator_edit`); the engine is on
this floor, so its "preview" button posts the form here, and this view renders the same page
with the figure. Nothing is saved: the entry is written in a transaction that is rolled back
once the figure is computed, so the preview counts exactly what the saved entry would.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_POST

from portal.access import ADMINS, allow
from portal.lib.dates import local_today
from programs.forms import IndicatorDefinitionForm
from programs.models import IndicatorDefinition
from programs.views import indicator_form_context
from reporting import indicators


@allow(ADMINS)
@require_POST
def indicator_preview(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code")
    entry = (
        get_object_or_404(IndicatorDefinition, code=code, built_in=False)
        if code
        else IndicatorDefinition()
    )
    form = IndicatorDefinitionForm(request.POST, instance=entry)
    context = indicator_form_context(form, entry)
    if form.is_valid():
        today = local_today()
        with transaction.atomic():
            composed = form.save()
            context["preview"] = indicators.preview(composed, as_of=today)
            context["preview_on"] = today
            transaction.set_rollback(True)
        # The form's instance was saved and rolled back: it is new again.
        if not code:
            form.instance.pk = None
    return render(request, "programs/indicator_form.html", context)


urlpatterns = [
    path("chi-tieu/xem-truoc/", indicator_preview, name="indicator_preview"),
]
