"""Reports received and received on time against those expected, per area, as DHIS2 shows
them, and the facilities overdue: read from the kept states (reporting/indicators.py), where each
facility's place in the denominator and its area on the period's last day are kept."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from assessments import services
from assessments.forms import PeriodForm
from assessments.models import SelfReport
from facilities.models import Facility
from portal.access import PROGRAMME_READERS, allow
from reporting import indicators
from reporting.services import previous_period

# Overdue facilities listed by name (the count says how many there are in all).
OVERDUE_LISTED = 200


@allow(PROGRAMME_READERS)
def completeness_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year, quarter = previous_period(today)
    form = PeriodForm(request.GET or None, initial={"year": year, "quarter": quarter})
    if form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    visible = Facility.objects.visible_to(request.user)
    # A reader who sees every facility reads the province's figures, the dashboard's.
    facilities = visible if visible.query.has_filters() else None
    kind = SelfReport.PeriodKind.QUARTER
    overdue, overdue_count = indicators.overdue(
        kind, year, quarter, today=today, facilities=facilities, limit=OVERDUE_LISTED
    )
    return render(
        request,
        "reporting/completeness.html",
        {
            "form": form,
            "period": services.period_label(kind, year, quarter),
            "deadline": services.deadline_for(kind, year, quarter),
            "total": indicators.completeness(kind, year, quarter, facilities=facilities),
            "areas": indicators.completeness_by_area(kind, year, quarter, facilities=facilities),
            "overdue": overdue,
            "overdue_count": overdue_count,
        },
    )


urlpatterns = [
    path("bao-cao/tinh-hinh-nop/", completeness_view, name="completeness"),
]
