"""Each sector's main materials per unit of product (Decision 889/QĐ-TTg's eight sectors) are
reference data: the consumption forms of a sector's facilities ask for them, and the savings
arithmetic measures them as any material (`compare`, unchanged)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from assessments.forms import BaselineForm, SelfReportForm
from assessments.models import Assessment, Baseline, Resource, SectorMaterial, SelfReport
from assessments.savings import facility_savings
from facilities.models import Product
from tests.reporting.test_indicators import make_baseline, make_facility, make_report

D = Decimal


def _plant(sector: str, unit: str):
    facility = make_facility(sector=sector)
    Product.objects.create(facility=facility, name="Sản phẩm", unit=unit)
    return facility


def _asked(form) -> set[str]:
    return {resource.code for resource in form.resources}


def _report(facility) -> SelfReport:
    return SelfReport.objects.create(facility=facility, period_kind="year", year=2024)


def test_the_eight_sectors_ship_their_main_materials_with_units(db) -> None:
    shipped = {
        (row.sector_prefix, row.resource.code, row.product_unit)
        for row in SectorMaterial.objects.select_related("resource")
    }
    assert {("239", "clinker", "t"), ("239", "limestone", "t"), ("110", "malt", "hl")} <= shipped
    assert {("110", "water", "hl"), ("170", "pulp", "t"), ("13", "textile-chemicals", "t")} <= (
        shipped
    )
    assert ("102", "raw-fish", "t") in shipped
    assert {prefix for prefix, _code, _unit in shipped} == {
        "13",
        "241",
        "222",
        "20",
        "239",
        "110",
        "170",
        "102",
    }
    clinker = Resource.objects.get(code="clinker")
    assert (clinker.kind, clinker.unit, clinker.offered) == ("material", "tấn", False)


def test_the_self_report_form_asks_a_facility_for_its_sectors_materials(db) -> None:
    cement = _plant("239", "t")
    bricks = _plant("239", "1000vien")  # same VSIC group, products counted in bricks
    brewery = _plant("110", "hl")
    assert {"clinker", "limestone", "main-material", "electricity"} <= _asked(
        SelfReportForm(instance=_report(cement))
    )
    asked = _asked(SelfReportForm(instance=_report(bricks)))
    assert "clinker" not in asked and "main-material" in asked
    beer_report = _report(brewery)
    asked = _asked(SelfReportForm(instance=beer_report))
    assert "malt" in asked and "clinker" not in asked and "pulp" not in asked
    # Staff add a material to a sector: the form asks for it from then on.
    SectorMaterial.objects.create(
        sector_prefix="110", resource=Resource.objects.get(code="pulp"), product_unit=""
    )
    asked = _asked(SelfReportForm(instance=beer_report))
    assert "pulp" in asked


def test_the_baseline_form_asks_for_them_too(db) -> None:
    cement = _plant("239", "t")
    assessment = Assessment.objects.create(facility=cement, kind="detailed", status="in_progress")
    assert {"clinker", "limestone"} <= _asked(
        BaselineForm(instance=Baseline(assessment=assessment))
    )


def test_a_filled_in_material_is_saved_and_compared_like_any_other(db) -> None:
    cement = _plant("239", "t")
    report = _report(cement)
    clinker = Resource.objects.get(code="clinker")
    form = SelfReportForm(
        {"output": "1000", "output_unit": "t", f"resource_{clinker.pk}": "750"}, instance=report
    )
    assert form.is_valid(), form.errors
    assert form.consumptions()[clinker.pk] == D(750)


@pytest.mark.parametrize(
    ("clinker", "limestone", "material"),
    [
        ("680", "1350", (D("0.15") + D("0.10")) / 2),  # both materials: their plain mean
        ("720", None, None),  # limestone not reported: no materials figure
    ],
)
def test_the_materials_saving_is_the_mean_of_the_sectors_materials(
    db, clinker, limestone, material
) -> None:
    cement = _plant("239", "t")
    # 2016: 1,000 t with 800 t clinker and 1,500 t limestone; 2017: 1,200 t of cement.
    make_baseline(cement, lines={"clinker": "800", "limestone": "1500"})
    lines = {"clinker": str(D(clinker) * D("1.2"))}
    if limestone is not None:
        lines["limestone"] = str(D(limestone) * D("1.2"))
    make_report(
        cement,
        lines=lines,
        reviewed_at=datetime.datetime(2018, 1, 15, tzinfo=datetime.UTC),
    )
    result = facility_savings(cement, on=datetime.date(2018, 6, 30))
    assert result is not None
    assert result.material == material


def test_the_self_report_page_shows_the_sectors_materials_with_their_units(
    users, facilities, client_for
) -> None:
    from django.urls import reverse

    from facilities.models import Sector

    own = facilities["own"]
    own.sector = Sector.objects.get(code="239")
    own.save()
    Product.objects.create(facility=own, name="Xi măng PCB40", unit="t")
    report = _report(own)
    page = client_for(users["facility_manager"]).get(
        reverse("assessments:selfreport_detail", args=[report.pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Clinker" in text and "Đá vôi" in text and "Malt" not in text
    clinker = Resource.objects.get(code="clinker")
    assert f'data-testid="sector-material-resource_{clinker.pk}"' in text
    electricity = Resource.objects.get(code="electricity")
    assert f'data-testid="sector-material-resource_{electricity.pk}"' not in text
