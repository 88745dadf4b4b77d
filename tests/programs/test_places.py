"""The registry of places (industrial zones, clusters, craft villages) on the programme pages:
each with the day it was first reached, which K1 counts; department staff add and edit them."""

from __future__ import annotations

import datetime

from django.urls import reverse

from demo.places import CRAFT_VILLAGES, EVENTS, seed_places
from facilities.models import IndustrialZone, OutreachActivity, OutreachParticipation
from tests.reporting.test_indicators import make_facility


def _held(day: datetime.date, *places: IndustrialZone) -> OutreachActivity:
    activity = OutreachActivity.objects.create(
        kind="workshop", title="Hội thảo", held_on=day, organiser="Sở"
    )
    activity.places.add(*places)
    return activity


def test_the_list_shows_when_each_place_was_first_reached(users, client_for) -> None:
    bac_vinh = IndustrialZone.objects.get(name="KCN Bắc Vinh")
    nam_cam = IndustrialZone.objects.get(name="KCN Nam Cấm")
    _held(datetime.date(2023, 5, 2), bac_vinh)
    # Nam Cấm: directly in 2024, through a facility in it in 2022 (the earlier counts).
    _held(datetime.date(2024, 1, 9), nam_cam)
    OutreachParticipation.objects.create(
        activity=_held(datetime.date(2022, 3, 4)), facility=make_facility(zone=nam_cam)
    )
    page = client_for(users["official"]).get(
        reverse("programs:place_list"), {"kind": "industrial_zone"}
    )
    assert page.status_code == 200
    rows = {place.name: place for place in page.context["page"].object_list}
    assert rows["KCN Bắc Vinh"].first_reached == datetime.date(2023, 5, 2)
    assert rows["KCN Nam Cấm"].first_reached == datetime.date(2022, 3, 4)
    assert rows["KCN Nam Cấm"].facility_count == 1
    assert rows["KCN Tân Kỳ"].first_reached is None
    assert {place.kind for place in rows.values()} == {"industrial_zone"}
    assert "place_edit" not in page.text and "/sua/" not in page.text  # an official reads only


def test_staff_add_a_craft_village_and_its_dates_are_checked(users, client_for) -> None:
    client = client_for(users["department_staff"])
    form = {
        "name": "Làng nghề mộc Nghi Thịnh",
        "kind": "craft_village",
        "area": "",
        "parent": "",
        "established_on": "01/06/2015",
        "closed_on": "01/06/2014",
    }
    page = client.post(reverse("programs:place_create"), form)
    assert page.status_code == 200
    assert "Ngày giải thể phải sau ngày thành lập." in page.context["form"].errors["closed_on"]
    page = client.post(reverse("programs:place_create"), {**form, "closed_on": ""})
    assert page.status_code == 302
    village = IndustrialZone.objects.get(name="Làng nghề mộc Nghi Thịnh")
    assert (village.kind, village.established_on) == ("craft_village", datetime.date(2015, 6, 1))


def test_the_demo_adds_craft_villages_and_outreach_reaching_places(db) -> None:
    seed_places()
    seed_places()  # idempotent
    villages = IndustrialZone.objects.filter(kind="craft_village")
    assert villages.count() == len(CRAFT_VILLAGES)
    assert all(village.area_id for village in villages)
    reached = IndustrialZone.objects.filter(outreach_activities__isnull=False).distinct()
    assert reached.count() == len({name for *_rest, names in EVENTS for name in names})


def test_the_catalogue_lists_the_kinds_of_place_and_the_family_of_savings(
    users, client_for
) -> None:
    page = client_for(users["department_admin"]).get(reverse("programs:indicator_list"))
    text = page.content.decode()
    assert "Khu công nghiệp, Cụm công nghiệp, Làng nghề" in text  # K1
    assert "tiết kiệm tính trên nguyên vật liệu" in text  # the sectors' materials
