"""The facility list's layout: three filters in sight, the rest folded, sectors named."""

from __future__ import annotations

import re

from django.urls import reverse


def _form(page: str) -> tuple[str, str]:
    """The filters beside the search, and those folded under "Bộ lọc khác"."""
    form = page.split('data-testid="facility-filter"')[1].split("</form>")[0]
    shown, folded = form.split('data-testid="more-filters"')
    return shown, folded


def test_area_sector_and_status_are_shown_and_the_other_filters_folded(
    users, facilities, client_for
) -> None:
    page = client_for(users["department_staff"]).get(reverse("reporting:facility_list"))
    shown, folded = _form(page.content.decode())
    assert re.findall(r'<select name="([a-z_]+)"', shown) == ["area", "sector", "status"]
    assert set(re.findall(r'<select name="([a-z_]+)"', folded)) == {
        "size",
        "energy_user",
        "zone",
        "aware",
        "applying",
        "cp_unit",
        "in_scope",
        "in_plan",
    }
    assert 'name="on"' in folded and 'name="sectors"' in folded
    assert re.match(r"\s*>", folded), "folded filters start closed"


def test_the_folded_filters_open_when_one_of_them_is_used_or_wrong(
    users, facilities, client_for
) -> None:
    client = client_for(users["department_staff"])
    for query in ({"aware": "yes"}, {"on": "31/02/2020"}):
        page = client.get(reverse("reporting:facility_list"), query).content.decode()
        _shown, folded = _form(page)
        assert re.match(r"\s*open>", folded), query
    page = client.get(reverse("reporting:facility_list"), {"status": "operating"}).content
    assert re.match(r"\s*>", _form(page.decode())[1]), "a main filter leaves them folded"


def test_each_row_names_its_sector_beside_the_code(users, facilities, client_for) -> None:
    page = client_for(users["department_staff"]).get(reverse("reporting:facility_list"))
    sector = facilities["own"].sector
    assert (
        f'<span class="font-monospace small">{sector.code}</span> '
        f'<span class="sector-name">{sector.name}</span>'
    ) in page.content.decode()
