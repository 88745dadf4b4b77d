"""Demo geography: the registry on both maps, and a commune's People's Committee.

The demo registry is drawn on the plan-era districts, as the Department's registry was. This
step then does what the Department does on the remap page (`/dia-ban/chuyen-doi/`): every
facility the crosswalk or its address places is moved to its commune of 01/07/2025, the move
recorded as a dated location and in the history under the clerk's name; the few whose address
names a ward the source does not know are left on their district for a person to place. So a
2020 figure still groups by district, a 2026 one by commune, and the remap page has work on it.
"""

from __future__ import annotations

from facilities.geography import REFORM_DAY, Remap, apply_remap
from facilities.models import AdministrativeUnit
from portal.models import User
from programs.models import Agency

# The commune whose People's Committee has a demo officer: the new commune of Diễn Châu, where
# the district officer's and the facility manager's demo logins are too.
COMMUNE_CODE = "17464"

_KIND_LABELS = {
    AdministrativeUnit.Kind.COMMUNE: "xã",
    AdministrativeUnit.Kind.WARD: "phường",
}


def remap_registry(*, clerk: User) -> list[Remap]:
    """Move the registry to the communes of 01/07/2025 through the remap service; return its
    plan, those left for a person included. A second run moves nothing."""
    return apply_remap(actor=clerk, on=REFORM_DAY)


def commune_agency() -> Agency:
    """The People's Committee of the demo commune, an agency whose area is that commune."""
    unit = AdministrativeUnit.objects.valid_on(REFORM_DAY).get(
        level=AdministrativeUnit.Level.COMMUNE, code=COMMUNE_CODE
    )
    agency, _created = Agency.objects.get_or_create(
        code=f"ubnd-xa-{unit.code}",
        defaults={
            "name": f"UBND {_KIND_LABELS[unit.kind]} {unit.name}",
            "kind": Agency.Kind.COMMUNE,
            "area": unit,
        },
    )
    return agency
