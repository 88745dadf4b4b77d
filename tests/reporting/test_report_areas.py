"""A report names each facility's area as it was on its data date: the districts in a 2020
report, the communes in a 2026 one, whatever the registry says today."""

from __future__ import annotations

import pytest
from django.utils import translation

from facilities.geography import apply_remap
from reporting import builders
from tests.facilities.test_geography_figures import remapped_world  # noqa: F401
from tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db


def annex_areas(plan, year: int, quarter: int) -> dict[str, str]:
    with translation.override("vi"):
        snapshot = builders.build(plan, year=year, quarter=quarter, audience="province")
    return {row[1]: row[2] for row in snapshot.table("facilities").rows}


def test_the_annex_names_the_area_of_the_data_date(remapped_world) -> None:  # noqa: F811
    village = FacilityFactory(name="Cơ sở Diễn Kỷ", address="Khối 1, xã Diễn Kỷ")
    apply_remap(actor=None)
    village.refresh_from_db()
    commune = village.administrative_unit
    assert commune.level == "commune" and commune.name != "Diễn Châu"

    assert annex_areas(remapped_world, 2020, 4)["Cơ sở Diễn Kỷ"] == "Diễn Châu"
    assert annex_areas(remapped_world, 2026, 3)["Cơ sở Diễn Kỷ"] == commune.name
