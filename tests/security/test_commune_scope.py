"""A commune's officer (UBND cấp xã) reads their commune and nothing more, whatever the list's
date or area filter asks, in the list, the export, a facility's page and the dashboard."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from facilities.geography import REFORM_DAY, apply_remap, load_admin_units
from facilities.models import AdministrativeUnit
from portal.models import Role
from programs.models import Agency
from tests.factories import FacilityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_commune_officer_reads_their_commune_only(client_for) -> None:
    load_admin_units()
    here = AdministrativeUnit.objects.get(
        level="commune", name="Diễn Châu", valid_from__gte=REFORM_DAY
    )
    officer = UserFactory.for_role(
        Role.AGENCY_OFFICER,
        agency=Agency.objects.create(
            code="ubnd-xa-thu", name="UBND xã Diễn Châu", kind=Agency.Kind.COMMUNE, area=here
        ),
    )
    ours = FacilityFactory(address="Khối 1, thị trấn Diễn Châu")
    # Same district in the plan era, another commune today.
    neighbour = FacilityFactory(address="Khối 1, xã Diễn Kỷ")
    apply_remap(actor=None)
    client = client_for(officer)

    def listed(**query: str) -> set[int]:
        response = client.get(reverse("reporting:facility_list"), query)
        assert response.status_code == 200
        return {facility.pk for facility in response.context["page"].object_list}

    district = AdministrativeUnit.objects.get(code="425", level="district")
    assert listed() == {ours.pk}
    # Asking for the whole former district, then or now, still gives only their commune's.
    assert listed(area=str(district.pk), on="31/12/2020") == {ours.pk}
    assert listed(area=str(district.pk), on="01/12/2026") == {ours.pk}
    assert client.get(reverse("reporting:facility_detail", args=[neighbour.pk])).status_code == 404

    export = client.get(reverse("reporting:facility_export"), {"area": district.pk})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    names = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert ours.name in names and neighbour.name not in names

    dashboard = client.get(reverse("dashboard"), {"on": "01/12/2026"})
    assert dashboard.status_code == 200
    assert neighbour.name not in dashboard.content.decode()
