"""A savings entry measured on one family of resources (energy, water, materials) or on one
resource, within its sectors: the same comparisons as T3 (`compare`), the median taken of the
family's saving. Decision 889/QĐ-TTg's materials target ships as one entry per sector."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from assessments.models import Resource
from programs.models import IndicatorDefinition, Plan, Target
from reporting import indicators
from tests.reporting.test_indicators import (
    make_baseline,
    make_facility,
    make_report,
    verified_option,
)

D = Decimal
DAY = datetime.date(2018, 6, 30)
APPROVED = datetime.datetime(2018, 1, 15, tzinfo=datetime.UTC)


def _cement_plant(clinker: str, electricity: str, water: str, sector: str = "239"):
    """Baseline 2016: 1,000 t with 800 t clinker, 500,000 kWh and 3,000 m³; 2017: 1,000 t with
    the quantities given."""
    plant = make_facility(sector=sector)
    verified_option(plant, implemented_on=datetime.date(2017, 12, 31), verified_on=DAY)
    make_baseline(plant, lines={"clinker": "800", "electricity": "500000", "water": "3000"})
    make_report(
        plant,
        reviewed_at=APPROVED,
        output="1000",
        lines={"clinker": clinker, "electricity": electricity, "water": water},
    )
    return plant


@pytest.fixture
def plants(db):
    # Clinker savings 10%, 5%, and a textile plant's 20% (outside the cement population).
    _cement_plant(clinker="720", electricity="450000", water="3000")  # energy 10%, water 0%
    _cement_plant(clinker="760", electricity="500000", water="2400")  # energy 0%, water 20%
    _cement_plant(clinker="640", electricity="400000", water="3000", sector="131")
    make_facility(sector="239")  # in the population, not applying: outside the figures


def _entry(code: str, family: str, prefixes: str = "239", **fields) -> IndicatorDefinition:
    return IndicatorDefinition.objects.create(
        code=code,
        name=code,
        kind="savings",
        resource_family=family,
        sector_prefixes=prefixes,
        definition="…",
        **fields,
    )


@pytest.mark.parametrize(
    ("family", "median", "with_figure"),
    [
        ("material", D("0.075"), 2),  # 10% and 5%
        ("energy", D("0.05"), 2),  # 10% and 0%
        ("water", D("0.10"), 2),  # 0% and 20%
        # T3's figure: the mean of energy and materials, (10% + 10%) / 2 and (0% + 5%) / 2.
        ("", D("0.0625"), 2),
    ],
)
def test_the_median_is_taken_of_the_familys_saving_within_the_population(
    plants, family, median, with_figure
) -> None:
    figure = indicators.preview(_entry("S9", family), as_of=DAY)
    assert figure.value == median
    assert figure.extra["facilities_with_figure"] == with_figure
    assert figure.denominator == 2  # the applying cement plants


def test_one_named_resource(plants) -> None:
    clinker = Resource.objects.get(code="clinker")
    figure = indicators.preview(_entry("S8", "resource", "13", resource=clinker), as_of=DAY)
    assert (figure.value, figure.denominator) == (D("0.2"), 1)


def test_the_floor_and_stretch_count_the_family_figures(plants) -> None:
    plan = Plan.objects.create(name="KH", start_year=2016, end_year=2030, status="active")
    entry = _entry("S7", "material")
    Target.objects.create(
        plan=plan,
        indicator=entry,
        milestone_year=2025,
        floor=D("0.05"),
        stretch=D("0.08"),
        unit="share",
    )
    figure = indicators.compute(plan, as_of=DAY)["S7"]
    assert (figure.value, figure.numerator, figure.denominator) == (D("0.075"), 2, 2)
    assert figure.extra["share_reaching_stretch"] == D("0.5")
    assert figure.status == indicators.Status.ON_TRACK  # at the floor, before 2025


def test_the_family_and_its_resource_go_together(db) -> None:
    from django.core.exceptions import ValidationError

    entry = IndicatorDefinition(
        code="S6", name="S6", kind="savings", resource_family="resource", definition="…"
    )
    with pytest.raises(ValidationError, match="Vui lòng chọn loại tiêu thụ"):
        entry.full_clean()
    share = IndicatorDefinition(
        code="S5",
        name="S5",
        kind="facility_share",
        condition="aware",
        resource_family="water",
        definition="…",
    )
    with pytest.raises(ValidationError, match="Chỉ chỉ tiêu tiết kiệm"):
        share.full_clean()


def test_the_draft_plan_sets_the_eight_sectors_materials_target_with_its_source(db) -> None:
    draft = Plan.objects.get(start_year=2021, end_year=2030)
    entries = IndicatorDefinition.objects.filter(code__startswith="NVL-")
    assert {entry.resource_family for entry in entries} == {"material"}
    assert {entry.sector_prefixes for entry in entries} == {
        "13, 14",
        "241",
        "222",
        "20",
        "239",
        "110",
        "170",
        "102",
    }
    bands = {
        (t.indicator_id, t.milestone_year): (t.floor, t.stretch)
        for t in draft.targets.filter(indicator__in=entries)
    }
    assert len(bands) == 16
    assert bands[("NVL-XM", 2025)] == (D("0.05"), D("0.08"))
    assert bands[("NVL-TS", 2030)] == (D("0.07"), D("0.10"))
    assert all("889/QĐ-TTg" in t.note for t in draft.targets.filter(indicator__in=entries))
    assert "Chưa đưa vào" not in draft.summary and "VSIC 2018" in draft.summary


def test_the_draft_plan_with_every_kind_is_computed_in_bounded_queries(
    plants, django_assert_max_num_queries
) -> None:
    draft = Plan.objects.get(start_year=2021, end_year=2030)
    with django_assert_max_num_queries(13):
        figures = indicators.compute(draft, as_of=datetime.date(2025, 12, 31))
    kinds = {figure.kind for figure in figures.values()}
    assert kinds == {"facility_share", "record_count", "places_reached", "savings"}
