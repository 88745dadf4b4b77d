"""Remapping reads a plan-era address as a person would: a street is not a ward, accents tell
communes apart, and a district merged away before the reform still finds its wards."""

from __future__ import annotations

import pytest

from facilities.geography import load_admin_units, plan_remap
from facilities.models import AdministrativeUnit, UnitCrosswalk
from tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes() -> None:
    load_admin_units()


def district(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code, level="district")


def went_to(old_name: str, district_code: str) -> AdministrativeUnit:
    """The new commune a plan-era one joined whole."""
    return UnitCrosswalk.objects.get(
        old_unit__name=old_name, old_unit__parent__code=district_code
    ).new_unit


def test_a_street_named_like_a_ward_does_not_name_the_commune(communes) -> None:
    FacilityFactory(
        administrative_unit=district("412"),
        address="Số 39 đường Lê Lợi, phường Hưng Phúc, thành phố Vinh, tỉnh Nghệ An",
    )
    (plan,) = plan_remap()
    assert went_to("Lê Lợi", "412") != went_to("Hưng Phúc", "412")
    assert plan.new_unit == went_to("Hưng Phúc", "412")


def test_communes_differing_only_by_accents_are_told_apart_by_them(communes) -> None:
    assert went_to("Nghi Vạn", "429") != went_to("Nghi Văn", "429")
    FacilityFactory(
        administrative_unit=district("429"), address="Xóm 5, xã Nghi Vạn, huyện Nghi Lộc"
    )
    FacilityFactory(
        administrative_unit=district("429"), address="Xóm 2, xã Nghi Văn, huyện Nghi Lộc"
    )
    assert {
        plan.facility.address.split(",")[1].strip(): plan.new_unit for plan in plan_remap()
    } == {
        "xã Nghi Vạn": went_to("Nghi Vạn", "429"),
        "xã Nghi Văn": went_to("Nghi Văn", "429"),
    }


def test_a_district_merged_before_the_reform_finds_its_wards_by_the_address(communes) -> None:
    cua_lo = district("413")
    assert cua_lo.valid_to is not None and cua_lo.valid_to.year == 2024
    FacilityFactory(administrative_unit=cua_lo, address="Khối 4, phường Nghi Hải, thị xã Cửa Lò")
    unnamed = FacilityFactory(administrative_unit=cua_lo, address="Khối 4, thị xã Cửa Lò")

    plans = {plan.facility.pk: plan for plan in plan_remap()}
    placed = [plan for pk, plan in plans.items() if pk != unnamed.pk]
    assert [(plan.new_unit, plan.how) for plan in placed] == [
        (went_to("Nghi Hải", "412"), "crosswalk")
    ]
    # Without a ward in its address, a person decides.
    assert plans[unnamed.pk].new_unit is None and plans[unnamed.pk].how == "person"
