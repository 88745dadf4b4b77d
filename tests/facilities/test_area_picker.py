"""The registry list's area picker: some 560 units of two maps, grouped by map (the current one
first) and searchable; picking either map's unit finds the facilities it held on the list's day."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.forms import CURRENT_MAP, PLAN_ERA_MAP
from facilities.geography import move_facility
from facilities.models import AdministrativeUnit
from tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(current_commune: AdministrativeUnit):
    district = AdministrativeUnit.objects.get(code="425", level="district")
    facility = FacilityFactory(administrative_unit=district)
    move_facility(facility, unit=current_commune, on=current_commune.valid_from, actor=None)
    return facility, district, current_commune


def area_picker(page: str) -> str:
    return re.search(r'<select name="area".*?</select>', page, re.S).group(0)


def test_the_registry_area_picker_groups_units_by_map_current_first(
    moved, users, client_for
) -> None:
    _facility, district, commune = moved
    page = client_for(users["department_staff"]).get(reverse("reporting:facility_list"))
    picker = area_picker(page.content.decode())

    assert re.findall(r'<optgroup label="([^"]+)"', picker) == [CURRENT_MAP, PLAN_ERA_MAP]
    current, plan_era = picker.split(f'<optgroup label="{PLAN_ERA_MAP}">')
    assert f'value="{commune.pk}"' in current and f'value="{district.pk}"' not in current
    assert f'value="{district.pk}"' in plan_era
    assert "(đến 30/06/2025)" in plan_era
    assert "data-search=" in picker


@pytest.mark.parametrize(
    ("area", "on"),
    [
        ("district", "31/12/2020"),
        ("commune", "31/12/2020"),  # the commune read on its first day
        ("district", "01/03/2026"),  # the district read on its last day
        ("commune", "01/03/2026"),
    ],
)
def test_either_maps_unit_finds_the_moved_facility_and_not_another_districts(
    moved, users, client_for, area, on
) -> None:
    facility, district, commune = moved
    elsewhere = FacilityFactory(
        administrative_unit=AdministrativeUnit.objects.get(code="421", level="district")
    )
    unit = district if area == "district" else commune
    response = client_for(users["department_staff"]).get(
        reverse("reporting:facility_list"), {"area": unit.pk, "on": on}
    )
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [facility]
    assert elsewhere not in response.context["page"].object_list
