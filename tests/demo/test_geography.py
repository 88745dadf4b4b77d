"""The demo shows both maps: facilities on the plan-era districts until 30/06/2025 and on the
communes of 01/07/2025 after, moved the way the remap page moves them, a few left for a person,
and a commune's officer who sees their commune."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from demo.geography import COMMUNE_CODE
from demo.run import DEMO_PASSWORD
from facilities.geography import REFORM_DAY, in_area_on, plan_remap
from facilities.models import (
    DISTRICT_LEVEL_ENDS,
    AdministrativeUnit,
    Facility,
    FacilityLocation,
    unit_on,
)
from portal.models import User
from programs.models import Agency

pytestmark = pytest.mark.django_db

IN_2020 = datetime.date(2020, 12, 31)
IN_2026 = datetime.date(2026, 6, 30)


def units_on(day: datetime.date) -> dict[int, AdministrativeUnit]:
    """Each facility's unit on `day`, by facility id."""
    units = {unit.pk: unit for unit in AdministrativeUnit.objects.all()}
    return {
        pk: units[unit]
        for pk, unit in Facility.objects.annotate(unit=unit_on(day)).values_list("pk", "unit")
    }


def test_the_demo_shows_both_maps_and_a_commune_officer_sees_their_commune(
    settings, client
) -> None:
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "xadienchau" in out.getvalue()

    # Left for a person on the remap page: the addresses naming a ward the source does not know.
    left = plan_remap()
    assert left and all(plan.new_unit is None and plan.candidates for plan in left)
    assert all("phường Lê Mao" in plan.facility.address for plan in left)
    assert len(left) < Facility.objects.count() / 20
    waiting = {plan.facility.pk for plan in left}

    # 2020 on the districts; 2026 on the communes of the new map (but those left for a person).
    assert {unit.level for unit in units_on(IN_2020).values()} == {"district"}
    after = units_on(IN_2026)
    assert all(
        unit.level == "commune" and unit.valid_from == REFORM_DAY
        for pk, unit in after.items()
        if pk not in waiting
    )
    assert {after[pk].level for pk in waiting} == {"district"}

    # Each move is a dated location written under the clerk's name, as the remap page writes it.
    moved = Facility.objects.exclude(pk__in=waiting).order_by("pk").first()
    assert [(loc.unit.level, loc.valid_from, loc.valid_to) for loc in moved.locations.all()] == [
        ("district", None, DISTRICT_LEVEL_ENDS),
        ("commune", REFORM_DAY, None),
    ]
    clerk = User.objects.get(username="quantri")
    assert set(
        FacilityLocation.history.filter(facility=moved).values_list("history_user", flat=True)
    ) == {clerk.pk}

    # The commune's officer sees exactly the facilities of the commune.
    officer = User.objects.get(username="xadienchau")
    assert officer.agency.kind == Agency.Kind.COMMUNE
    commune = officer.agency.area
    assert commune.code == COMMUNE_CODE and commune.valid_from == REFORM_DAY
    inside = set(in_area_on(Facility.objects.all(), commune, IN_2026).values_list("pk", flat=True))
    assert len(inside) >= 3
    assert set(Facility.objects.visible_to(officer).values_list("pk", flat=True)) == inside
    assert (
        authenticate(RequestFactory().post("/"), username="xadienchau", password=DEMO_PASSWORD)
        == officer
    )
    client.force_login(officer)
    page = client.get(reverse("reporting:facility_list"))
    assert page.context["total"] == len(inside)

    # A second run moves nothing and leaves the same facilities for a person.
    locations = FacilityLocation.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert FacilityLocation.objects.count() == locations
    assert {plan.facility.pk for plan in plan_remap()} == waiting
