"""Self-report completeness and the review queue by area across the reform of 01/07/2025: each
facility counts in the unit it was in on the period's last day, not in its unit today."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.forms import CURRENT_MAP, PLAN_ERA_MAP, ReviewQueueFilter
from assessments.models import SelfReport
from facilities.geography import REFORM_DAY, move_facility
from facilities.models import AdministrativeUnit, Facility
from tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db

Q4_2020 = ("quarter", 2020, 4)
Q1_2026 = ("quarter", 2026, 1)


def commune(code: str, name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.create(
        code=code,
        name=name,
        level=AdministrativeUnit.Level.COMMUNE,
        kind=AdministrativeUnit.Kind.COMMUNE,
        parent=AdministrativeUnit.objects.get(code="40", level="province"),
        valid_from=REFORM_DAY,
    )


def district(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code, level="district")


def submit(facility: Facility, period: tuple[str, int, int]) -> SelfReport:
    kind, year, quarter = period
    return SelfReport.objects.create(
        facility=facility,
        period_kind=kind,
        year=year,
        quarter=quarter,
        status="submitted",
        submitted_at=timezone.now(),
    )


@pytest.fixture
def moved() -> dict[str, object]:
    """Three facilities in two plan-era districts, moved at the reform into two new communes
    that do not follow the districts' borders."""
    dien_chau, quynh_luu = district("425"), district("421")
    dien_ky, cau_giat = commune("90001", "Diễn Kỷ"), commune("90002", "Cầu Giát")
    first = FacilityFactory(administrative_unit=dien_chau)
    second = FacilityFactory(administrative_unit=dien_chau)
    third = FacilityFactory(administrative_unit=quynh_luu)
    move_facility(first, unit=dien_ky, on=REFORM_DAY, actor=None)
    move_facility(second, unit=cau_giat, on=REFORM_DAY, actor=None)
    move_facility(third, unit=cau_giat, on=REFORM_DAY, actor=None)
    return {
        "dien_chau": dien_chau,
        "quynh_luu": quynh_luu,
        "dien_ky": dien_ky,
        "cau_giat": cau_giat,
        "facilities": [first, second, third],
    }


def by_area(period: tuple[str, int, int]) -> dict[str, tuple[int, int]]:
    return {
        unit.code: (figures.expected, figures.received)
        for unit, figures in services.completeness_by_area(*period)
    }


def test_a_2020_period_groups_by_district_and_a_2026_one_by_commune_with_equal_totals(
    moved,
) -> None:
    first, second, _third = moved["facilities"]
    submit(first, Q4_2020)
    submit(second, Q4_2020)
    submit(first, Q1_2026)
    submit(second, Q1_2026)

    in_2020 = by_area(Q4_2020)
    in_2026 = by_area(Q1_2026)

    assert in_2020 == {"425": (2, 2), "421": (1, 0)}
    assert in_2026 == {"90001": (1, 1), "90002": (2, 1)}
    assert sum(e for e, _ in in_2020.values()) == sum(e for e, _ in in_2026.values()) == 3
    assert sum(r for _, r in in_2020.values()) == sum(r for _, r in in_2026.values()) == 2


def test_completeness_by_area_totals_equal_completeness(moved) -> None:
    submit(moved["facilities"][2], Q1_2026)
    for period in (Q4_2020, Q1_2026):
        total = services.completeness(*period)
        rows = services.completeness_by_area(*period)
        assert sum(figures.expected for _, figures in rows) == total.expected == 3
        assert sum(figures.received for _, figures in rows) == total.received


@pytest.mark.parametrize("count", [2, 12])
def test_completeness_by_area_takes_three_queries_whatever_the_facilities_and_units(
    moved, count, django_assert_max_num_queries
) -> None:
    """The reporting schedule (for the deadline), the figures by area, the units named."""
    units = [moved["dien_ky"], moved["cau_giat"], commune("90003", "Diễn Châu")]
    for n in range(count):
        facility = FacilityFactory(administrative_unit=district("425"))
        move_facility(facility, unit=units[n % 3], on=REFORM_DAY, actor=None)
        submit(facility, Q1_2026)
    for period in (Q4_2020, Q1_2026):
        with django_assert_max_num_queries(3):
            rows = services.completeness_by_area(*period)
        assert sum(figures.expected for _, figures in rows) == count + 3


def queue(data: dict[str, object]) -> set[int]:
    reports = SelfReport.objects.exclude(status="draft")
    return set(ReviewQueueFilter(data, queryset=reports).qs.values_list("pk", flat=True))


def test_the_queue_filters_each_report_by_the_unit_its_facility_had_in_its_period(moved) -> None:
    first, second, third = moved["facilities"]
    old = {facility: submit(facility, Q4_2020).pk for facility in (first, second, third)}
    new = {facility: submit(facility, Q1_2026).pk for facility in (first, second, third)}

    # A district holds its facilities' reports of both eras: a 2026 report is read on its
    # last day, 30/06/2025, when the two facilities moved since were still there.
    assert queue({"area": moved["dien_chau"].pk}) == {
        old[first],
        old[second],
        new[first],
        new[second],
    }
    assert queue({"area": moved["dien_chau"].pk, "year": 2020}) == {old[first], old[second]}
    # A new commune holds its facilities' reports, a 2020 one read on the commune's first day.
    assert queue({"area": moved["cau_giat"].pk}) == {
        old[second],
        old[third],
        new[second],
        new[third],
    }
    assert queue({"area": moved["dien_ky"].pk, "year": 2026}) == {new[first]}


def test_the_queue_follows_a_move_within_the_plan_era(moved) -> None:
    """A facility moved from Quỳnh Lưu to Diễn Châu in 2022: its 2020 report stays under
    Quỳnh Lưu, where it was, while its unit today is a commune of neither."""
    facility = FacilityFactory(administrative_unit=district("421"))
    move_facility(facility, unit=moved["dien_chau"], on=datetime.date(2022, 1, 1), actor=None)
    move_facility(facility, unit=moved["dien_ky"], on=REFORM_DAY, actor=None)
    in_2020 = submit(facility, Q4_2020)
    in_2023 = submit(facility, ("quarter", 2023, 1))

    assert in_2020.pk in queue({"area": moved["quynh_luu"].pk})
    assert in_2023.pk not in queue({"area": moved["quynh_luu"].pk})
    assert in_2023.pk in queue({"area": moved["dien_chau"].pk})
    assert in_2020.pk not in queue({"area": moved["dien_chau"].pk})


def test_the_queue_with_no_report_matches_nothing(moved) -> None:
    assert queue({"area": moved["dien_chau"].pk}) == set()


def test_the_area_picker_groups_units_by_map_current_first(moved) -> None:
    choices = list(
        ReviewQueueFilter({}, queryset=SelfReport.objects.all()).form["area"].field.choices
    )
    groups = {str(label): options for label, options in choices[1:]}
    assert [str(label) for label, _ in choices[1:]] == [str(CURRENT_MAP), str(PLAN_ERA_MAP)]
    current = {value for value, _ in groups[str(CURRENT_MAP)]}
    plan_era = {value for value, _ in groups[str(PLAN_ERA_MAP)]}
    assert {moved["dien_ky"].pk, moved["cau_giat"].pk} <= current
    assert {moved["dien_chau"].pk, moved["quynh_luu"].pk} <= plan_era
    assert not current & plan_era


def test_the_review_queue_page_offers_a_searchable_grouped_area_picker(
    moved, users, client_for
) -> None:
    submit(moved["facilities"][0], Q1_2026)
    client = client_for(users["department_staff"])
    response = client.get(
        reverse("assessments:review_queue"), {"area": moved["dien_ky"].pk, "year": 2026}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["rows"]) == 1
    assert f'<optgroup label="{CURRENT_MAP}">' in page
    assert "data-search=" in page
    assert f'<option value="{moved["dien_ky"].pk}" selected>' in page


def test_an_unknown_area_is_refused_with_a_message(users, client_for) -> None:
    client = client_for(users["department_staff"])
    response = client.get(reverse("assessments:review_queue"), {"area": "999999"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["area"]


def test_the_completeness_page_lists_overdue_facilities_under_their_unit_of_the_period(
    moved, users, client_for
) -> None:
    first = moved["facilities"][0]
    client = client_for(users["department_staff"])
    pages = {
        year: client.get(reverse("reporting:completeness"), {"year": year, "quarter": quarter})
        for year, quarter in ((2020, 4), (2026, 1))
    }
    units = {
        year: {f.pk: f.area_unit.code for f in page.context["overdue"]}
        for year, page in pages.items()
    }
    assert units[2020][first.pk] == "425"
    assert units[2026][first.pk] == "90001"
    assert "Diễn Kỷ" in pages[2026].content.decode()
