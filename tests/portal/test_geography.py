from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from facilities.models import AdministrativeUnit


def _districts_on(day: datetime.date) -> list[str]:
    return list(
        AdministrativeUnit.objects.valid_on(day)
        .filter(level=AdministrativeUnit.Level.DISTRICT)
        .values_list("name", flat=True)
    )


@pytest.mark.django_db
def test_the_plan_era_has_21_district_level_units() -> None:
    names = _districts_on(datetime.date(2019, 9, 30))
    assert len(names) == 21
    assert {"Vinh", "Cửa Lò", "Hoàng Mai", "Kỳ Sơn"} <= set(names)


@pytest.mark.django_db
def test_cua_lo_is_gone_after_its_merger_and_the_district_level_after_june_2025() -> None:
    assert "Cửa Lò" not in _districts_on(datetime.date(2025, 1, 1))
    assert len(_districts_on(datetime.date(2025, 1, 1))) == 20
    assert _districts_on(datetime.date(2025, 7, 1)) == []


@pytest.mark.django_db
def test_hoang_mai_did_not_exist_before_2013() -> None:
    assert "Hoàng Mai" not in _districts_on(datetime.date(2012, 12, 31))


def test_the_area_page_shows_the_units_of_the_asked_date(users, client_for) -> None:
    client = client_for(users["official"])
    response = client.get(reverse("facilities:unit_list"), {"on": "30/09/2019"})
    assert response.status_code == 200
    assert len(response.context["units"]) == 21
    assert "Thị xã Cửa Lò" in response.content.decode()


def test_a_malformed_date_is_explained_not_crashed(users, client_for) -> None:
    response = client_for(users["official"]).get(reverse("facilities:unit_list"), {"on": "31/02/x"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
