"""Energy pages and files: the draft yearly list of designated energy users (page, XLSX, PDF),
Form 1.1 pre-filled (per facility and for all), and the Department's 5-working-day check queue.

The figures are `assessments.energy`'s; this module turns them into the renderers' plain
dataclasses (`reporting.energy_render`) and serves them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.energy import (
    DesignatedList,
    DesignatedRow,
    FormFacts,
    check_queue,
    designated_list,
    form_facts,
)
from assessments.models import ConversionFactor
from facilities.models import Facility, Product
from portal import access
from portal.access import DEPARTMENT, PROGRAMME_READERS, SELF_REPORT_WRITERS, allow
from portal.models import Role
from reporting import services
from reporting.energy_render import (
    FactorRow,
    FormLine,
    FormMeasureRow,
    FormSheet,
    Heading,
    ListDocument,
    ListRow,
    form_xlsx,
    list_pdf,
    list_xlsx,
)
from reporting.models import Audience, DownloadLog, ReportSettings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Năm số liệu"),
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={"invalid": gettext_lazy("Vui lòng nhập năm bằng số, ví dụ 2025.")},
    )


def default_year(today: datetime.date | None = None) -> int:
    """The last whole year: the one facilities report on in January."""
    return (today or timezone.localdate()).year - 1


def _year(request: HttpRequest) -> tuple[int, YearForm]:
    form = YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"], form
    if not form.is_bound:
        form = YearForm(initial={"year": default_year()})
    return default_year(), form


def _scope(user: Any) -> QuerySet[Facility] | None:
    """None when the user sees the whole registry (no filter to add)."""
    if access.role_of(user) in DEPARTMENT | {Role.OFFICIAL}:
        return None
    return Facility.objects.visible_to(user)


# --- builders: domain figures → plain rows ------------------------------------------------


def _heading() -> Heading:
    settings = ReportSettings.objects.for_audience(Audience.PROVINCE)

    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    return Heading(
        issuer=lines(settings.issuing_body),
        symbol=settings.symbol,
        place=settings.place,
        addressees=lines(settings.addressees),
        copies_to=lines(settings.copies_to),
        archive=settings.archive,
        signer_title=lines(settings.signer_title),
        signer_name=settings.signer_name,
        day=timezone.localdate(),
    )


def _list_row(row: DesignatedRow, *, with_disagreement: bool = False) -> ListRow:
    facility = row.facility
    notes = list(row.energy.warnings) if row.energy is not None else []
    if with_disagreement and row.disagreement:
        notes.insert(0, row.disagreement)
    return ListRow(
        name=facility.name,
        tax_code=facility.tax_code,
        address=facility.address,
        area=str(facility.administrative_unit or ""),
        sector=str(facility.sector or ""),
        toe=row.energy.toe if row.energy is not None else None,
        previous_toe=row.previous.toe if row.previous is not None else None,
        crossed=row.crossed,
        registry_flagged=facility.is_designated_energy_user,
        ghg_listing=row.ghg_listing.decision if row.ghg_listing else "",
        notes=notes,
    )


def _factor_row(factor: ConversionFactor) -> FactorRow:
    return FactorRow(
        resource=factor.resource.name,
        unit=factor.resource.unit,
        value=factor.toe_per_unit,
        source=factor.source,
        verified=factor.is_verified,
    )


def list_document(found: DesignatedList) -> ListDocument:
    return ListDocument(
        year=found.year,
        heading=_heading(),
        rows=[_list_row(row) for row in found.rows],
        disagreements=[_list_row(row, with_disagreement=True) for row in found.disagreements],
        uncertain=[_list_row(row) for row in found.uncertain],
        factors=[_factor_row(factor) for factor in found.factors],
    )


def form_sheet(facts: FormFacts) -> FormSheet:
    facility, energy = facts.facility, facts.energy
    if energy is None:
        basis = _("chưa có báo cáo đã duyệt của năm")
        warnings = [
            _("Chưa có báo cáo định kỳ đã duyệt của năm %(year)s: vui lòng nhập số liệu.")
            % {"year": facts.year}
        ]
    else:
        basis = (
            _("báo cáo năm %(year)s") % {"year": facts.year}
            if energy.from_year_report
            else _("cộng các quý %(quarters)s/%(year)s")
            % {"quarters": ", ".join(str(q) for q in energy.quarters), "year": facts.year}
        )
        warnings = energy.warnings
    unit_labels = dict(Product.Unit.choices)
    return FormSheet(
        year=facts.year,
        name=facility.name,
        tax_code=facility.tax_code,
        address=facility.address,
        area=str(facility.administrative_unit or ""),
        sector=str(facility.sector or ""),
        contact=facility.contact_name,
        phone=facility.contact_phone,
        email=facility.contact_email,
        products=[
            (product.name, str(product.get_unit_display()), product.annual_capacity)
            for product in facility.products.all()
        ],
        output=energy.output if energy else None,
        output_unit=str(unit_labels.get(energy.output_unit, "")) if energy else "",
        basis=basis,
        lines=[
            FormLine(
                resource=line.resource.name,
                unit=line.resource.unit,
                quantity=line.quantity,
                factor=line.factor.toe_per_unit if line.factor else None,
                toe=line.toe,
                source=line.factor.source if line.factor else "",
                verified=line.factor.is_verified if line.factor else False,
            )
            for line in (energy.lines if energy else ())
        ],
        measures=[
            FormMeasureRow(
                description=m.description,
                technique=m.technique,
                implemented_on=m.implemented_on,
                cost_vnd=m.cost_vnd,
                savings_vnd=m.savings_vnd,
                savings_toe=m.savings_toe,
            )
            for m in facts.measures
        ],
        warnings=warnings,
    )


def _facilities_for_forms(year: int) -> QuerySet[Facility]:
    """Form 1.1 for all: the facilities on the year's list and those the registry flags."""
    listed = [row.facility.pk for row in designated_list(year).rows]
    return Facility.objects.filter(pk__in=listed) | Facility.objects.filter(
        is_designated_energy_user=True
    )


def _with_details(facilities: QuerySet[Facility]) -> QuerySet[Facility]:
    return (
        facilities.select_related("administrative_unit", "sector")
        .prefetch_related("products")
        .order_by("name_sort_key")
    )


def _attachment(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- views ------------------------------------------------------------------------------------


@allow(PROGRAMME_READERS)
def energy_list(request: HttpRequest) -> HttpResponse:
    year, form = _year(request)
    found = designated_list(year, facilities=_scope(request.user))
    return render(
        request,
        "reporting/energy_list.html",
        {
            "form": form,
            "year": year,
            "found": found,
            "document": list_document(found),
            "can_check": access.role_of(request.user) in DEPARTMENT,
        },
        status=400 if form.errors else 200,
    )


@allow(PROGRAMME_READERS)
def energy_list_file(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "pdf"):
        return energy_list(request)
    year, form = _year(request)
    if form.errors:
        return energy_list(request)
    document = list_document(designated_list(year, facilities=_scope(request.user)))
    filename = f"danh-sach-nang-luong-trong-diem-{year}.{fmt}"
    services.log_download(
        request.user,
        kind=DownloadLog.Kind.REPORT_PDF if fmt == "pdf" else DownloadLog.Kind.REPORT_XLSX,
        detail=filename,
    )
    if fmt == "pdf":
        return _attachment(list_pdf(document), filename=filename, content_type="application/pdf")
    return _attachment(list_xlsx(document), filename=filename, content_type=XLSX)


@allow(SELF_REPORT_WRITERS)
def form_11(request: HttpRequest, pk: int) -> HttpResponse:
    """Form 1.1 of one facility: its manager's own, or any for the Department."""
    facility = get_object_or_404(Facility.objects.visible_to(request.user), pk=pk)
    year, form = _year(request)
    if form.errors:
        return render(
            request,
            "reporting/energy_form_error.html",
            {"form": form, "facility": facility},
            status=400,
        )
    facts = form_facts(year, _with_details(Facility.objects.filter(pk=facility.pk)))
    filename = f"mau-1-1-{year}-{facility.tax_code}.xlsx"
    services.log_download(request.user, kind=DownloadLog.Kind.REPORT_XLSX, detail=filename)
    return _attachment(
        form_xlsx([form_sheet(f) for f in facts], year=year), filename=filename, content_type=XLSX
    )


@allow(DEPARTMENT)
def form_11_all(request: HttpRequest) -> HttpResponse:
    year, form = _year(request)
    if form.errors:
        return energy_list(request)
    facts = form_facts(year, _with_details(_facilities_for_forms(year)))
    filename = f"mau-1-1-{year}-tat-ca.xlsx"
    services.log_download(request.user, kind=DownloadLog.Kind.REPORT_XLSX, detail=filename)
    return _attachment(
        form_xlsx([form_sheet(f) for f in facts], year=year), filename=filename, content_type=XLSX
    )


@allow(DEPARTMENT)
def energy_checks(request: HttpRequest) -> HttpResponse:
    """The Department's queue: Form 1.1 reports awaiting its check, with their deadlines."""
    year, form = _year(request)
    return render(
        request,
        "reporting/energy_checks.html",
        {"form": form, "year": year, "checks": check_queue(year)},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("nang-luong/", energy_list, name="energy_list"),
    path("nang-luong/tai/<str:fmt>/", energy_list_file, name="energy_list_file"),
    path("nang-luong/mau-1-1/", form_11_all, name="energy_form_all"),
    path("nang-luong/mau-1-1/<int:pk>/", form_11, name="energy_form"),
    path("nang-luong/kiem-tra/", energy_checks, name="energy_checks"),
]
