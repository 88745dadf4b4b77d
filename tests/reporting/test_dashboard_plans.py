"""The dashboard for any plan (#17): the area and sector charts compare whichever shares of
facilities, places reached and savings the plan has, with their bands; a plan of counts alone
shows its yearly counts; the plan to 2020 keeps its charts. A composed entry's card links to
exactly the records its numerator counts: the facilities meeting its condition within its
population, the places of its kinds reached by the day."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from facilities.models import IndustrialZone, OutreachActivity, SizeClass
from programs.models import IndicatorDefinition, Plan, Target
from tests.reporting.test_indicators import make_facility, verified_option

DAY = datetime.date(2024, 12, 31)
ON = DAY.strftime("%d/%m/%Y")
NVL = ["NVL-DM", "NVL-TH", "NVL-NH", "NVL-HC", "NVL-XM", "NVL-BI", "NVL-GI", "NVL-TS"]


@pytest.fixture
def draft() -> Plan:
    return Plan.objects.get(start_year=2021, end_year=2030)


def _plan(*entries: IndicatorDefinition, floor: str = "0.2", stretch: str = "0.5") -> Plan:
    plan = Plan.objects.create(name="Kế hoạch thử", start_year=2021, end_year=2030)
    for entry in entries:
        Target.objects.create(
            plan=plan,
            indicator=entry,
            milestone_year=2025,
            floor=floor,
            stretch=stretch,
            unit=entry.unit,
        )
    return plan


def _canvases(page: str) -> set[str]:
    return set(re.findall(r'<canvas id="chart-([A-Za-z0-9-]+)"', page))


def test_the_draft_plan_charts_its_shares_places_and_savings_with_their_bands(
    users, facilities, client_for, draft, django_assert_max_num_queries
) -> None:
    client = client_for(users["department_staff"])
    with django_assert_max_num_queries(90):
        response = client.get(reverse("dashboard_charts"), {"plan": draft.pk, "on": ON})
    charts = response.context["charts"]
    assert charts["groupCodes"] == ["T1", "T2", "T4", "K1"]
    assert charts["savingsCodes"] == NVL
    assert charts["bands"]["K1"] == [0.7, 0.7] and charts["bands"]["NVL-DM"] == [0.05, 0.08]
    # The facilities' districts and those of the shipped places (K1 counts them by district).
    assert {"Diễn Châu", "Quỳnh Lưu"} <= set(charts["areas"]["labels"])
    assert any(share is not None for share in charts["areas"]["K1"])
    assert len(charts["sectors"]["NVL-DM"]) == len(charts["sectors"]["labels"])
    page = response.content.decode()
    assert _canvases(page) >= {"areas", "area-savings", "sectors", "sector-savings", "counts"}
    header = page.split('id="table-areas"')[1].split("</thead>")[0]
    assert '<th class="text-end">K1</th>' in header and "NVL-TS" in header
    assert "xếp theo T2, T1" in page


def test_the_draft_plans_dashboard_shows_its_cards_and_charts_in_bounded_queries(
    users, client_for, draft, django_assert_max_num_queries
) -> None:
    client = client_for(users["department_staff"])
    with django_assert_max_num_queries(130):
        response = client.get(reverse("dashboard"), {"plan": draft.pk, "on": ON})
    assert response.status_code == 200
    cards = {card["figure"].indicator: card for card in response.context["cards"]}
    assert {"K1", "M1", "NVL-DM"} <= set(cards)
    assert 'id="chart-area-savings"' in response.content.decode()


def test_a_plan_of_counts_only_shows_its_yearly_counts(users, client_for) -> None:
    plan = _plan(IndicatorDefinition.objects.get(code="M1"), floor="20", stretch="30")
    response = client_for(users["department_staff"]).get(
        reverse("dashboard_charts"), {"plan": plan.pk, "on": ON}
    )
    charts = response.context["charts"]
    assert charts["groupCodes"] == [] and charts["savingsCodes"] == []
    assert charts["years"]["labels"] == ["2021", "2022", "2023", "2024"]
    assert list(charts["years"]["counts"]) == ["M1"]
    assert charts["years"]["floors"]["M1"] == [20.0, 20.0, 20.0, 20.0]
    assert _canvases(response.content.decode()) <= {"counts", "completeness"}
    assert "counts" in _canvases(response.content.decode())


def test_the_plan_to_2020_keeps_its_charts(users, facilities, client_for) -> None:
    response = client_for(users["official"]).get(reverse("dashboard_charts"), {"on": "31/12/2019"})
    charts = response.context["charts"]
    assert (charts["groupCodes"], charts["savingsCodes"]) == (["T1", "T2", "T4"], [])
    assert set(charts["areas"]) == {"labels", "keys", "T1", "T2", "T4"}
    page = response.content.decode()
    assert _canvases(page) == {"year-T1", "year-T2", "year-T3", "year-T4", "year-T5"} | {
        "counts",
        "areas",
        "sectors",
        "completeness",
    }
    header = page.split('id="table-areas"')[1].split("</thead>")[0]
    columns = re.findall(r'<th class="text-end">([^<]+)</th>', header)
    assert columns == ["Số cơ sở", "T1", "T2", "T3", "T4", "A3", "A4"]
    assert "xếp theo T2, T1" in page


@pytest.fixture
def textile_share() -> Plan:
    """A share of small textile (VSIC 13) designated energy users applying CP, and facilities
    each failing one part of it but one."""
    day = datetime.date(2022, 3, 1)
    entry = IndicatorDefinition.objects.create(
        code="C8",
        name="Cơ sở dệt nhỏ sử dụng năng lượng trọng điểm áp dụng SXSH",
        kind=IndicatorDefinition.Kind.FACILITY_SHARE,
        condition=IndicatorDefinition.Condition.APPLYING,
        sector_prefixes="13",
        energy_users=IndicatorDefinition.EnergyUsers.ONLY,
        definition="…",
    )
    entry.size_classes.set([SizeClass.objects.get(code="small")])
    counted = make_facility(sector="131", is_designated_energy_user=True)
    not_applying = make_facility(sector="139", is_designated_energy_user=True)
    other_sector = make_facility(sector="239", is_designated_energy_user=True)
    other_size = make_facility(sector="131", size="medium", is_designated_energy_user=True)
    not_designated = make_facility(sector="131", is_designated_energy_user=False)
    for facility in (counted, other_sector, other_size, not_designated):
        verified_option(facility, implemented_on=day, verified_on=day)
    assert not_applying.pk
    return _plan(entry)


def test_a_composed_share_card_lists_exactly_its_numerators_facilities(
    users, client_for, textile_share
) -> None:
    client = client_for(users["department_staff"])
    response = client.get(reverse("dashboard"), {"plan": textile_share.pk, "on": ON})
    card = next(card for card in response.context["cards"] if card["figure"].indicator == "C8")
    assert (card["figure"].numerator, card["figure"].denominator) == (1, 2)
    url = card["url"]
    assert "sectors=13" in url and "energy_user=yes" in url and "applying=yes" in url
    listed = client.get(url)
    assert listed.status_code == 200
    assert listed.context["page"].paginator.count == card["figure"].numerator
    population = url.replace("applying=yes", "applying=")
    assert client.get(population).context["page"].paginator.count == card["figure"].denominator
    # Without its population the list would hold every applying facility.
    assert client.get(url.split("&sectors")[0]).context["page"].paginator.count > 1


def test_the_population_filters_refuse_bad_input_in_vietnamese(users, client_for) -> None:
    response = client_for(users["department_staff"]).get(
        reverse("reporting:facility_list"), {"sectors": "13; abc", "size": "999"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vui lòng nhập mã ngành VSIC 2018" in page


def test_a_places_card_lists_exactly_the_places_it_counts_reached(users, client_for) -> None:
    entry = IndicatorDefinition.objects.create(
        code="K9",
        name="Cụm công nghiệp và làng nghề được tuyên truyền",
        kind=IndicatorDefinition.Kind.PLACES_REACHED,
        place_kinds="cluster,craft_village",
        definition="…",
    )
    plan = _plan(entry, floor="0.7", stretch="0.7")
    cluster = IndustrialZone.objects.create(name="CCN thử", kind="cluster")
    village = IndustrialZone.objects.create(name="Làng nghề thử", kind="craft_village")
    later = IndustrialZone.objects.create(name="CCN sau", kind="cluster")
    park = IndustrialZone.objects.create(name="KCN thử", kind="industrial_zone")
    for held_on, places in (
        (datetime.date(2023, 5, 1), (cluster, village, park)),
        (datetime.date(2025, 5, 1), (later,)),
    ):
        activity = OutreachActivity.objects.create(
            kind="workshop", title="Hội thảo", held_on=held_on, organiser="Sở"
        )
        activity.places.add(*places)
    client = client_for(users["department_staff"])
    response = client.get(reverse("dashboard"), {"plan": plan.pk, "on": ON})
    card = next(card for card in response.context["cards"] if card["figure"].indicator == "K9")
    assert card["figure"].numerator >= 2 and "reached_on=31%2F12%2F2024" in card["url"]
    listed = client.get(card["url"])
    assert listed.context["page"].paginator.count == card["figure"].numerator
    names = {place.name for place in listed.context["page"].object_list}
    assert {"CCN thử", "Làng nghề thử"} <= names and not names & {"CCN sau", "KCN thử"}


def test_the_places_list_refuses_a_bad_date_in_vietnamese(users, client_for) -> None:
    response = client_for(users["department_staff"]).get(
        reverse("programs:place_list"), {"reached_on": "31/02/2024"}
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def test_an_id_past_64_bits_or_an_unknown_kind_is_refused_not_a_server_error(
    users, client_for
) -> None:
    client = client_for(users["department_staff"])
    listed = client.get(reverse("reporting:facility_list"), {"size": str(2**63)})
    assert listed.status_code == 200 and "is-invalid" in listed.content.decode()
    assert client.get(reverse("programs:place_list"), {"kind": "x"}).status_code == 200
