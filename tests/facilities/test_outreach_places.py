"""The places an outreach activity reached (#17: what K1 counts), chosen by staff on the
activity's form: a searchable list of the places existing on the activity's day."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from facilities.models import IndustrialZone, OutreachActivity
from programs.models import IndicatorDefinition
from reporting import indicators

FORM = {
    "kind": "workshop",
    "title": "Hội thảo SXSH tại cụm công nghiệp",
    "held_on": "12/05/2024",
    "organiser": "Sở Công Thương Nghệ An",
    "area": "",
    "channel": "",
    "estimated_reach": "",
    "description": "",
}


@pytest.fixture
def places(db) -> dict[str, IndustrialZone]:
    return {
        "open": IndustrialZone.objects.create(name="CCN Mở", kind="cluster"),
        "closed": IndustrialZone.objects.create(
            name="CCN Đã giải thể",
            kind="cluster",
            established_on=datetime.date(2010, 1, 1),
            closed_on=datetime.date(2020, 6, 30),
        ),
        "later": IndustrialZone.objects.create(
            name="Làng nghề Mới", kind="craft_village", established_on=datetime.date(2025, 1, 1)
        ),
    }


def _offered(response) -> set[str]:
    return {place.name for place in response.context["form"].fields["places"].queryset}


def test_staff_record_the_places_an_activity_reached_and_k1_counts_them(
    users, places, client_for
) -> None:
    client = client_for(users["department_staff"])
    response = client.post(
        reverse("facilities:outreach_create"), FORM | {"places": [places["open"].pk]}
    )
    assert response.status_code == 302
    activity = OutreachActivity.objects.get()
    assert list(activity.places.all()) == [places["open"]]
    detail = client.get(response["Location"]).content.decode()
    assert "CCN Mở" in detail.split('data-testid="places-reached"')[1].split("</p>")[0]
    entry = IndicatorDefinition(
        code="K9", name="K9", kind="places_reached", place_kinds="cluster", definition="…"
    )
    figure = indicators.preview(entry, as_of=datetime.date(2024, 12, 31))
    assert figure.numerator >= 1
    before = indicators.preview(entry, as_of=datetime.date(2024, 5, 11))
    assert before.numerator == figure.numerator - 1
    client.post(reverse("facilities:outreach_edit", args=[activity.pk]), FORM | {"places": []})
    assert not activity.places.exists()


def test_the_form_offers_only_the_places_existing_on_the_activitys_day(
    users, places, client_for
) -> None:
    activity = OutreachActivity.objects.create(
        kind="workshop", title="Hội thảo", held_on=datetime.date(2024, 5, 12), organiser="Sở"
    )
    client = client_for(users["department_staff"])
    offered = _offered(client.get(reverse("facilities:outreach_edit", args=[activity.pk])))
    assert "CCN Mở" in offered and not offered & {"CCN Đã giải thể", "Làng nghề Mới"}
    page = client.get(reverse("facilities:outreach_create")).content.decode()
    assert 'name="places"' in page and "data-search" in page.split('name="places"')[1][:400]
    # The day typed decides when the form comes back.
    back = client.post(
        reverse("facilities:outreach_create"), FORM | {"held_on": "12/05/2019", "title": ""}
    )
    assert "CCN Đã giải thể" in _offered(back)
    assert "Làng nghề Mới" not in _offered(back)


def test_a_place_not_existing_on_the_day_is_refused_in_vietnamese(
    users, places, client_for
) -> None:
    client = client_for(users["department_staff"])
    response = client.post(
        reverse("facilities:outreach_create"), FORM | {"places": [places["closed"].pk]}
    )
    assert response.status_code == 200
    assert "chưa thành lập hoặc đã giải thể vào ngày tổ chức" in response.content.decode()
    assert not OutreachActivity.objects.exists()
    # A place chosen before the day was moved stays offered, and is refused by name.
    activity = OutreachActivity.objects.create(
        kind="workshop", title="Hội thảo", held_on=datetime.date(2019, 5, 12), organiser="Sở"
    )
    activity.places.add(places["closed"])
    response = client.post(
        reverse("facilities:outreach_edit", args=[activity.pk]),
        FORM | {"places": [places["closed"].pk]},
    )
    assert response.status_code == 200
    assert "Chưa thành lập hoặc đã giải thể vào ngày tổ chức: CCN Đã giải thể." in (
        response.content.decode()
    )
    activity.refresh_from_db()
    assert activity.held_on == datetime.date(2019, 5, 12)


@pytest.mark.parametrize("value", ["-9223372036854775809", "9223372036854775808", "abc"])
def test_a_value_that_cannot_be_an_id_is_an_unknown_place_not_a_server_error(
    users, places, client_for, value
) -> None:
    response = client_for(users["department_staff"]).post(
        reverse("facilities:outreach_create"), FORM | {"places": [value]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["places"]
    assert not OutreachActivity.objects.exists()
