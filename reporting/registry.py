"""The registry as people read it: the facility list with each facility's standing in the
programme (the indicator cards' drill-down), its XLSX export, and a facility's page with its
timeline and savings. They combine the facts of every domain app, so they live on the figures
floor; the registry's own records and forms stay in `facilities`."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.savings import savings_chart, savings_series
from facilities.forms import AsOfForm, AwarenessForm, DedicatedUnitForm, InviteManagerForm
from facilities.models import Facility
from portal import access
from portal.access import PROGRAMME_READERS, REGISTRY_READERS, allow
from portal.lib.history import recent_changes
from portal.models import Role
from reporting.forms import SORTS, FacilityFilter, with_list_columns
from reporting.timeline import facility_timeline

PAGE_SIZE = 50


@allow(REGISTRY_READERS)
def facility_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    facilities = Facility.objects.visible_to(request.user)
    if access.role_of(request.user) == Role.FACILITY_MANAGER and facilities.count() == 1:
        return redirect("reporting:facility_detail", pk=facilities.get().pk)
    as_of = AsOfForm(request.GET)
    if as_of.is_valid() and as_of.cleaned_data["on"]:
        today = as_of.cleaned_data["on"]
    filterset = FacilityFilter(request.GET or None, queryset=facilities, today=today)
    page = Paginator(with_list_columns(filterset.qs, today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    more = [name for name in filterset.form.fields if name not in (*MAIN_FILTERS, "q", "sort")]
    return render(
        request,
        "facilities/facility_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "columns": _sort_columns(query, sort),
            "total": facilities.count(),
            "can_edit": access.can_edit_facility(request.user),
            "can_export": access.role_of(request.user) in PROGRAMME_READERS,
            "filtered": bool(request.GET.keys() - {"page", "sort"}),
            "main_filters": [filterset.form[name] for name in MAIN_FILTERS],
            "more_filters": [filterset.form[name] for name in more],
            # The folded filters open when one of them is in use (or wrong).
            "more_open": any(request.GET.get(name) for name in more)
            or any(filterset.form[name].errors for name in more),
        },
    )


# Shown beside the search; the other filters are folded under "Bộ lọc khác".
MAIN_FILTERS = ("area", "sector", "status")


SORTABLE_COLUMNS = [
    ("name", gettext_lazy("Tên cơ sở")),
    ("tax_code", gettext_lazy("Mã số thuế")),
    ("area", gettext_lazy("Địa bàn")),
    ("sector", gettext_lazy("Ngành")),
    ("employees", gettext_lazy("Lao động")),
]


def _sort_columns(query: QueryDict, sort: str) -> list[dict[str, object]]:
    """Header links: a click sorts by the column, a second click reverses it."""
    columns = []
    for key, label in SORTABLE_COLUMNS:
        params = query.copy()
        params["sort"] = f"-{key}" if sort == key else key
        direction = "asc" if sort == key else "desc" if sort == f"-{key}" else ""
        columns.append({"label": label, "url": f"?{params.urlencode()}", "direction": direction})
    return columns


@allow(REGISTRY_READERS)
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=pk)
    facility = (
        Facility.objects.select_related(
            "administrative_unit", "sector__parent", "size_class", "zone"
        )
        .prefetch_related("products", "managers")
        .get(pk=facility.pk)
    )
    today = timezone.localdate()
    is_department = access.can_edit_facility(request.user)
    series = savings_series(facility)
    context = {
        "facility": facility,
        "savings": series[-1] if series else None,
        "savings_chart": savings_chart(series),
        "status": facility.status_on(today),
        "timeline": facility_timeline(facility),
        "can_edit": is_department,
        "can_edit_contacts": facility.contacts_editable_by(request.user),
        "history": recent_changes(facility) if is_department else None,
        "awareness_form": AwarenessForm() if is_department else None,
        "cp_unit_form": DedicatedUnitForm() if is_department else None,
        "invite_form": InviteManagerForm() if is_department else None,
    }
    return render(request, "facilities/facility_detail.html", context)


def export_rows(facilities: Iterator[Facility], *, today: datetime.date) -> Iterator[list[Any]]:
    """The export's row of each facility (annotated by `with_list_columns`), in the columns of
    `excel.FACILITY_COLUMNS`: plain values, so the writer knows nothing of the models."""
    yes, no = _("Có"), _("Không")
    # Labels translated once, not once a row (a lazy label is translated each time it is read).
    legal_forms = {value: str(label) for value, label in Facility.LegalForm.choices}
    statuses = {status: str(status.label) for status in Facility.Status}
    for facility in facilities:
        yield [
            facility.name,
            facility.tax_code,
            legal_forms.get(facility.legal_form, facility.legal_form),
            facility.address,
            facility.administrative_unit.name,
            facility.zone.name if facility.zone else "",
            facility.sector.code,
            facility.sector.name,
            facility.size_class.name,
            facility.employees,
            statuses[facility.status_on(today)],
            yes if facility.is_aware else no,
            yes if facility.is_applying else no,
            yes if facility.has_cp_unit else no,
            facility.started_on,
            facility.contact_name,
            facility.contact_phone,
            facility.contact_email,
        ]
