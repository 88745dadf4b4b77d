from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from portal.models import Role
from reporting import dashboards, indicators

LANDING_MARKERS = {
    Role.DEPARTMENT_ADMIN: "dashboard-department",
    Role.DEPARTMENT_STAFF: "dashboard-department",
    Role.FACILITY_MANAGER: "dashboard-facility",
    Role.AGENCY_OFFICER: "dashboard-agency",
    Role.OFFICIAL: "dashboard-official",
    Role.CONSULTANT: "dashboard-consultant",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_dashboard(role, users, client_for) -> None:
    response = client_for(users[role.value]).get(reverse("dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-testid="{LANDING_MARKERS[role]}"' in body
    others = set(LANDING_MARKERS.values()) - {LANDING_MARKERS[role]}
    assert not any(f'data-testid="{marker}"' in body for marker in others)


def test_login_sends_each_user_to_the_dashboard(users, client) -> None:
    response = client.post(
        reverse("login"), {"username": users["consultant"].username, "password": "Kiem-tra@2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_district_officer_sees_their_district(users, client_for) -> None:
    body = client_for(users["agency_officer"]).get(reverse("dashboard")).content.decode()
    assert "UBND huyện Diễn Châu" in body
    assert "Địa bàn phụ trách: Huyện Diễn Châu" in body


def test_department_dashboard_counts_live_districts_and_users(users, client_for) -> None:
    response = client_for(users["department_staff"]).get(reverse("dashboard"))
    # The province and its 21 plan-era units are shipped; the districts ended on 30/06/2025.
    assert response.context["unit_count"] == 22
    assert response.context["units_in_force"] == 1
    assert dict(response.context["users_by_role"])[Role.AGENCY_OFFICER.label] == 2


def test_dashboard_query_count_is_bounded(users, client_for, django_assert_max_num_queries) -> None:
    client = client_for(users["department_admin"])
    # about ten for the plan's indicators (reporting/indicators.py) and the cards, and the
    # charts' tables rendered with the page: one engine run per plan year plus two groupings
    with django_assert_max_num_queries(110):
        client.get(reverse("dashboard"))


def test_readers_see_the_plans_indicators_as_of_its_end(users, client_for) -> None:
    response = client_for(users["official"]).get(reverse("dashboard"))
    assert response.context["as_of"].isoformat() == "2020-12-31"  # the shipped plan ended
    codes = [card["figure"].indicator for card in response.context["cards"]]
    assert codes == ["T1", "T2", "T3", "T4", "T5", "A1", "A2", "A3", "A4"]
    assert 'data-testid="indicators"' in response.content.decode()


def test_a_district_officer_also_sees_their_district(users, facilities, client_for) -> None:
    response = client_for(users["agency_officer"]).get(reverse("dashboard"), {"on": "31/12/2019"})
    assert response.context["as_of"].isoformat() == "2019-12-31"
    area = {card["figure"].indicator: card["figure"] for card in response.context["area_cards"]}
    assert area["T1"].denominator == 1  # the one facility in Diễn Châu


def test_a_bad_date_on_the_dashboard_falls_back_to_the_default(users, client_for) -> None:
    response = client_for(users["department_staff"]).get(
        reverse("dashboard"), {"on": "31/02/2020", "plan": "abc"}
    )
    assert response.status_code == 200
    assert response.context["as_of"].isoformat() == "2020-12-31"


def test_facility_managers_and_consultants_get_no_programme_figures(users, client_for) -> None:
    for role in ("facility_manager", "consultant"):
        response = client_for(users[role]).get(reverse("dashboard"))
        assert "cards" not in response.context


def test_the_charts_cover_years_areas_sectors_and_reporting_in_bounded_queries(
    users, facilities, client_for, django_assert_max_num_queries
) -> None:
    client = client_for(users["official"])
    # compute_by: one engine run per year of the plan (five) plus the area and sector groupings
    with django_assert_max_num_queries(90):
        response = client.get(reverse("dashboard_charts"), {"on": "31/12/2019"})
    charts = response.context["charts"]
    assert charts["years"]["labels"] == ["2016", "2017", "2018", "2019"]
    assert set(charts["years"]["shares"]) == {"T1", "T2", "T3", "T4", "T5"}
    assert len(charts["areas"]["labels"]) == 2  # Diễn Châu and Quỳnh Lưu
    assert 'id="dashboard-data"' in response.content.decode()


def test_every_chart_has_a_data_table_for_those_who_cannot_see_it(
    users, facilities, client_for
) -> None:
    response = client_for(users["official"]).get(reverse("dashboard_charts"), {"on": "31/12/2019"})
    page = response.content.decode()
    charts = set(re.findall(r'<canvas id="chart-([a-z]+)', page))
    assert charts == {"year", "counts", "areas", "sectors", "completeness"}
    for name in charts:
        table = "years" if name == "year" else name
        assert f'id="table-{table}"' in page, f"the {name} chart has no table"
    assert len(re.findall(r'<canvas id="chart-year-(T[1-5])"', page)) == 5  # one per share
    years = response.context["year_rows"]
    assert [row["label"] for row in years] == ["2016", "2017", "2018", "2019"]
    assert [figure.indicator for figure in years[0]["shares"]] == ["T1", "T2", "T3", "T4", "T5"]


def test_the_dashboard_renders_its_chart_tables_with_the_page(users, facilities, client_for):
    page = client_for(users["official"]).get(reverse("dashboard")).content.decode()
    assert 'id="table-areas"' in page and 'id="dashboard-data"' in page
    assert "hx-get" not in page and "Đang vẽ biểu đồ" not in page
    # each chart's box has its height before it is drawn: nothing moves when it is
    assert re.search(r'class="chart-box chart-only chart-rows-s"><canvas id="chart-areas"', page)


def _group(key: str, t1: str | None, t2: str | None) -> indicators.Breakdown:
    def figure(code: str, value: str | None) -> indicators.Figure:
        share = None if value is None else Decimal(value)
        return indicators.Figure(code, code, share, None, None, None, None, None, "no_target")

    return indicators.Breakdown(
        key=key, label=key, figures={"T1": figure("T1", t1), "T2": figure("T2", t2)}
    )


def test_areas_and_sectors_are_charted_largest_share_applying_cp_first() -> None:
    groups = [
        _group("a", "0.9", "0.02"),
        _group("b", "0.5", None),
        _group("c", "0.4", "0.10"),
        _group("d", "0.8", "0.02"),
    ]
    assert [group.key for group in dashboards._by_share(groups)] == ["c", "a", "d", "b"]


def test_a_long_list_of_groups_reserves_a_taller_chart() -> None:
    heights = [dashboards._height_class(rows) for rows in (1, 6, 7, 21, 30, 60)]
    assert heights == [
        "chart-rows-s",
        "chart-rows-s",
        "chart-rows-m",
        "chart-rows-l",
        "chart-rows-xl",
        "chart-rows-xxl",
    ]


def test_outcome_and_activity_cards_are_in_separate_groups(users, client_for) -> None:
    page = client_for(users["official"]).get(reverse("dashboard")).content.decode()
    outcome = page.split('data-testid="cards-outcome"')[1].split('data-testid="cards-activity"')[0]
    activity = page.split('data-testid="cards-activity"')[1]
    for code in ("T1", "T2", "T3", "T4", "T5"):
        assert f'<span class="fw-semibold">{code}</span>' in outcome
        assert f'<span class="fw-semibold">{code}</span>' not in activity
    for code in ("A1", "A2", "A3", "A4"):
        assert f'<span class="fw-semibold">{code}</span>' in activity


def test_every_card_links_to_the_records_behind_its_figure(users, facilities, client_for) -> None:
    import datetime

    from facilities.models import AwarenessConfirmation, OutreachActivity

    activity = OutreachActivity.objects.create(
        kind="workshop", title="Hội thảo", held_on=datetime.date(2019, 4, 2), organiser="Sở"
    )
    activity.facilities.add(facilities["own"])
    AwarenessConfirmation.objects.create(
        facility=facilities["own"], confirmed_on=datetime.date(2019, 5, 1), method="survey"
    )
    client = client_for(users["department_staff"])
    response = client.get(reverse("dashboard"), {"on": "31/12/2019"})
    cards = {card["figure"].indicator: card for card in response.context["cards"]}
    assert cards["T1"]["figure"].numerator == 1
    for code in ("T1", "T2", "T4"):
        listed = client.get(cards[code]["url"])
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == cards[code]["figure"].numerator, code
    denominator = cards["T1"]["url"].replace("aware=yes", "aware=")
    assert client.get(denominator).context["page"].paginator.count == 2
    assert "year=2019" in cards["A3"]["url"] and "kind=quick" in cards["A3"]["url"]
    for code in ("T5", "A1", "A2", "A3", "A4"):
        assert client.get(cards[code]["url"]).status_code == 200


def test_a_district_officer_reads_their_district_before_the_province(
    users, facilities, client_for
) -> None:
    page = client_for(users["agency_officer"]).get(reverse("dashboard")).content.decode()
    assert page.index("Trên địa bàn") < page.index("Toàn tỉnh")


def test_a_facility_manager_sees_their_own_reports_and_savings_only(
    users, facilities, client_for
) -> None:
    page = client_for(users["facility_manager"]).get(reverse("dashboard")).content.decode()
    assert facilities["own"].name in page
    assert facilities["other"].name not in page
    assert "Tiết kiệm so với năm cơ sở" in page
