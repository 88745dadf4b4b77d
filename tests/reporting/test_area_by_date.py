"""Areas follow the date being viewed: the registry list's area filter and the drill-downs behind
a figure take the unit each facility was in on that date, and a district officer's dashboard in
2026 groups the province by former district, printing the grouping on the chart."""

from __future__ import annotations

import pytest
from django.urls import reverse

from facilities.geography import REFORM_DAY, apply_remap
from facilities.models import AdministrativeUnit, Facility
from tests.facilities.test_geography_figures import remapped_world  # noqa: F401
from tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db

FORMER = "Theo huyện, thị xã, thành phố trước 01/07/2025"
ON_DATE = "Theo đơn vị hành chính tại ngày số liệu"


def district(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code, level="district")


def commune(name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(level="commune", name=name, valid_from__gte=REFORM_DAY)


def listed(client, **query: object) -> set[int]:
    response = client.get(reverse("reporting:facility_list"), query)
    assert response.status_code == 200
    return {facility.pk for facility in response.context["page"].object_list}


def test_the_area_filter_takes_the_unit_on_the_date_viewed(
    remapped_world,  # noqa: F811
    users,
    client_for,
) -> None:
    town = FacilityFactory(address="Khối 1, thị trấn Diễn Châu")
    village = FacilityFactory(address="Khối 1, xã Diễn Kỷ")
    vinh = FacilityFactory(administrative_unit=district("412"), address="phường Hưng Dũng")
    apply_remap(actor=None)
    assert Facility.objects.get(pk=town.pk).administrative_unit == commune("Diễn Châu")
    assert Facility.objects.get(pk=village.pk).administrative_unit != commune("Diễn Châu")
    ours = {town.pk, village.pk, vinh.pk}
    client = client_for(users["department_staff"])

    def area(unit: AdministrativeUnit, on: str) -> set[int]:
        return listed(client, area=unit.pk, on=on) & ours

    # 2020: the districts of the time, though every facility sits in a commune today.
    assert area(district("425"), "31/12/2020") == {town.pk, village.pk}
    assert area(district("412"), "31/12/2020") == {vinh.pk}
    # 2026: the commune; a district reads as it stood on 30/06/2025 (its former facilities).
    assert area(commune("Diễn Châu"), "01/12/2026") == {town.pk}
    assert area(district("425"), "01/12/2026") == {town.pk, village.pk}
    # A commune asked about before it existed: its facilities as on its first day.
    assert area(commune("Diễn Châu"), "31/12/2020") == {town.pk}


def test_a_district_officer_in_2026_sees_the_province_by_former_district(
    remapped_world,  # noqa: F811
    users,
    client_for,
) -> None:
    apply_remap(actor=None)
    client = client_for(users["agency_officer"])  # UBND huyện Diễn Châu
    query = {"plan": remapped_world.pk, "on": "30/06/2026"}

    page = client.get(reverse("dashboard"), query)
    assert page.context["area_grouping"] == "former_district"
    by_district = page.context["area_rows"]
    assert {row["label"] for row in by_district} == {"Vinh", "Quỳnh Lưu", "Diễn Châu"}
    assert FORMER in page.content.decode()
    # Their own district's cards are still there, in 2026.
    assert page.context["area_cards"]

    by_commune = client.get(reverse("dashboard"), {**query, "area_grouping": "area"}).context[
        "area_rows"
    ]
    # The communes of 2026 (one of them keeps its district's name, Quỳnh Lưu).
    assert {row["label"] for row in by_commune} == {"Trường Vinh", "Quỳnh Lưu", "Đức Châu"}
    charts = client.get(reverse("dashboard_charts"), {**query, "area_grouping": "area"})
    assert ON_DATE in charts.content.decode()

    def total(rows: list[dict], code: str) -> int:
        return sum(row["figures"][code].denominator for row in rows)

    assert total(by_commune, "T2") == total(by_district, "T2") > 0

    # Each row's link lists the facilities behind its figure, in 2026 as in the plan era.
    staff = client_for(users["department_staff"])
    for row in (*by_district, *by_commune):
        response = staff.get(row["url"])
        assert response.context["page"].paginator.count == row["figures"]["T2"].denominator


def test_an_unknown_grouping_is_ignored_and_the_page_still_opens(
    remapped_world,  # noqa: F811
    users,
    client_for,
) -> None:
    response = client_for(users["department_staff"]).get(
        reverse("dashboard"),
        {"plan": remapped_world.pk, "on": "31/12/2020", "area_grouping": "xyz"},
    )
    assert response.status_code == 200
    assert response.context["area_grouping"] == "area"
