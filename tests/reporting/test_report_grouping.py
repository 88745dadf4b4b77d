"""A report groups its by-area table by the unit each facility was in on the data date, or by
the districts of 30/06/2025 for continuity with the plan era: chosen on the form, printed on the
report, and the two groupings are two reports with the same totals."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from facilities.geography import apply_remap
from reporting import builders, document
from reporting.models import AreaGrouping, ReportRun
from tests.facilities.test_geography_figures import IN_2026, remapped_world  # noqa: F401

pytestmark = pytest.mark.django_db


def _by_area(plan, grouping: str):
    with translation.override("vi"):
        snapshot = builders.build(
            plan, year=2020, quarter=4, audience="province", as_of=IN_2026, area_grouping=grouping
        )
    return snapshot, snapshot.table("by_area")


def test_the_by_area_table_groups_by_commune_or_by_former_district_with_equal_totals(
    remapped_world,  # noqa: F811
) -> None:
    apply_remap(actor=None)
    communes, by_commune = _by_area(remapped_world, AreaGrouping.UNIT_ON_DATE)
    districts, by_district = _by_area(remapped_world, AreaGrouping.FORMER_DISTRICT)
    commune_rows, district_rows = list(by_commune.rows), list(by_district.rows)
    assert {row[0] for row in district_rows} == {"Vinh", "Quỳnh Lưu", "Diễn Châu"}
    # After the reform, the same facilities sit in communes (one keeps its district's name).
    assert {row[0] for row in commune_rows} != {row[0] for row in district_rows}
    # The facilities counted (column 1) add up the same either way.
    assert sum(row[1] for row in commune_rows) == sum(row[1] for row in district_rows) > 0
    with translation.override("vi"):
        assert document.context(districts)["grouping_note"] == (
            "Số liệu theo địa bàn: theo huyện, thị xã, thành phố trước 01/07/2025"
        )
        assert document.context(communes)["grouping_note"] == (
            "Số liệu theo địa bàn: theo đơn vị hành chính tại ngày số liệu"
        )


def test_the_grouping_is_chosen_on_the_form_and_makes_its_own_report(
    users,
    client_for,
    remapped_world,  # noqa: F811
) -> None:
    client = client_for(users["department_staff"])
    for grouping in (AreaGrouping.FORMER_DISTRICT, AreaGrouping.UNIT_ON_DATE):
        response = client.post(
            reverse("reporting:run_create"),
            {
                "plan": remapped_world.pk,
                "year": "2020",
                "quarter": "4",
                "basis": "calendar",
                "audience": "province",
                "as_of": "30/06/2026",
                "area_grouping": grouping,
            },
        )
        assert response.status_code == 302
    runs = ReportRun.objects.order_by("pk")
    assert [run.area_grouping for run in runs] == ["former_district", "area"]
    assert [run.version for run in runs] == [1, 1]
