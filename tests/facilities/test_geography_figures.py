"""Figures by area across the reform of 01/07/2025: each facility counts where it was on the data
date; the plan era's figures do not move, and later figures group by commune or former district."""

from __future__ import annotations

import datetime

import pytest

from facilities.geography import apply_remap, load_admin_units
from facilities.models import AdministrativeUnit, Facility
from programs.models import Plan
from reporting import indicators
from tests.factories import FacilityFactory
from tests.reporting.test_indicators import build_world

pytestmark = pytest.mark.django_db

D = datetime.date
IN_2020 = D(2020, 12, 31)
IN_2026 = D(2026, 6, 30)
# Addresses naming a commune of each world facility's district, so remapping places them all.
ADDRESSES = {"425": "xã Diễn Kỷ, huyện Diễn Châu", "421": "thị trấn Cầu Giát, huyện Quỳnh Lưu"}


def table(groups: list[indicators.Breakdown]) -> list[tuple]:
    return [
        (
            group.label,
            {
                code: (figure.value, figure.numerator, figure.denominator)
                for code, figure in group.figures.items()
            },
        )
        for group in groups
    ]


def totals(groups: list[indicators.Breakdown]) -> dict[str, tuple[int, int]]:
    summed: dict[str, tuple[int, int]] = {}
    for group in groups:
        for code, figure in group.figures.items():
            numerator, denominator = summed.get(code, (0, 0))
            summed[code] = (
                numerator + (figure.numerator or 0),
                denominator + (figure.denominator or 0),
            )
    return summed


@pytest.fixture
def remapped_world() -> Plan:
    plan = Plan.objects.get(name__startswith="Kế hoạch thực hiện Chiến lược")
    world = build_world()
    load_admin_units()
    for facility in world.values():
        code = facility.administrative_unit.code
        Facility.objects.filter(pk=facility.pk).update(
            address=ADDRESSES.get(code, "Phường Hưng Dũng")
        )
    return plan


def test_a_2020_breakdown_is_unchanged_by_the_reform(remapped_world) -> None:
    plan = remapped_world
    before = {
        by: table(indicators.compute_by(plan, as_of=IN_2020, by=by))
        for by in ("area", "former_district")
    }
    apply_remap(actor=None)
    assert not Facility.objects.filter(administrative_unit__level="district").exists()

    after = {
        by: table(indicators.compute_by(plan, as_of=IN_2020, by=by))
        for by in ("area", "former_district")
    }
    assert after == before
    assert [label for label, _ in after["area"]] == ["Vinh", "Quỳnh Lưu", "Diễn Châu"]


def test_2026_groups_by_commune_and_by_former_district_with_equal_totals(remapped_world) -> None:
    plan = remapped_world
    apply_remap(actor=None)
    communes = indicators.compute_by(plan, as_of=IN_2026, by="area")
    districts = indicators.compute_by(plan, as_of=IN_2026, by="former_district")

    assert {group.label for group in communes} <= set(
        AdministrativeUnit.objects.filter(level="commune", valid_from__isnull=False).values_list(
            "name", flat=True
        )
    )
    assert [group.label for group in districts] == ["Vinh", "Quỳnh Lưu", "Diễn Châu"]
    assert totals(communes) == totals(districts)
    assert totals(districts)["T1"][1] > 0
    # The former districts of 2026 are the districts the same facilities had in 2025.
    eve = indicators.compute_by(plan, as_of=D(2025, 6, 30), by="area")
    assert [group.label for group in eve] == [group.label for group in districts]


def test_a_facility_that_came_after_the_reform_has_no_former_district(remapped_world) -> None:
    plan = remapped_world
    apply_remap(actor=None)
    newcomer = AdministrativeUnit.objects.get(level="commune", name="Diễn Châu", valid_to=None)
    FacilityFactory(administrative_unit=newcomer, started_on=D(2026, 1, 5))
    districts = indicators.compute_by(plan, as_of=IN_2026, by="former_district")
    communes = indicators.compute_by(plan, as_of=IN_2026, by="area")
    assert districts[-1].label == "Chưa xác định"
    assert totals(communes) == totals(districts)
