"""Demo geography: the registry on both maps, and a commune's People's Committee.

The demo registry is drawn on the plan-era districts, as the Department's registry was. This
step then does what the Department does on the remap page (`/dia-ban/chuyen-doi/`): every
facility the remap plan (`plan_remap`: the crosswalk, else the address) places is moved to its
commune of 01/07/2025, the move written as `move_facility` writes it (the district until
30/06/2025, the commune from 01/07/2025, the facility's new unit) and in the history under the
clerk's name; the few whose address names a ward the source does not know are left on their
district for a person to place. So a 2020 figure still groups by district, a 2026 one by
commune, and the remap page has work on it.

The rows are written in bulk, like every other demo step: the service moves one facility at a
time with four saves, each refreshing the kept figures, which took half of `seed_demo` at the
demo scale and would take hours at the national one (`run.seed` rebuilds the kept figures once).
"""

from __future__ import annotations

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from demo.kit import BATCH_SIZE
from facilities.geography import REFORM_DAY, Remap, plan_remap
from facilities.models import DISTRICT_LEVEL_ENDS, AdministrativeUnit, Facility, FacilityLocation
from portal.models import User
from programs.models import Agency

# The commune whose People's Committee has a demo officer: the new commune of Diễn Châu, where
# the district officer's and the facility manager's demo logins are too.
COMMUNE_CODE = "17464"

# The remap service's note on the new location.
_NOTE = "Sắp xếp đơn vị hành chính cấp xã năm 2025"
# Facilities moved per round: a national run's model instances never all sit in memory at once.
_CHUNK_SIZE = 20_000

_KIND_LABELS = {
    AdministrativeUnit.Kind.COMMUNE: "xã",
    AdministrativeUnit.Kind.WARD: "phường",
}


def remap_registry(*, clerk: User) -> list[Remap]:
    """Move the registry to the communes of 01/07/2025 as the remap page would; return the
    plan, those left for a person included. A second run moves nothing: the plan lists only
    facilities still on an expired unit."""
    plans = plan_remap(on=REFORM_DAY)
    placed = [plan for plan in plans if plan.new_unit is not None]
    for start in range(0, len(placed), _CHUNK_SIZE):
        chunk = placed[start : start + _CHUNK_SIZE]
        locations = []
        for plan in chunk:
            # The demo's facilities have no location yet: the first is where they were until the
            # reform, as `move_facility` records it.
            locations += [
                FacilityLocation(
                    facility=plan.facility, unit=plan.old_unit, valid_to=DISTRICT_LEVEL_ENDS
                ),
                FacilityLocation(
                    facility=plan.facility, unit=plan.new_unit, valid_from=REFORM_DAY, note=_NOTE
                ),
            ]
            plan.facility.administrative_unit = plan.new_unit
        bulk_create_with_history(
            locations, FacilityLocation, batch_size=BATCH_SIZE, default_user=clerk
        )
        bulk_update_with_history(
            [plan.facility for plan in chunk],
            Facility,
            ["administrative_unit"],
            batch_size=BATCH_SIZE,
            default_user=clerk,
        )
    return plans


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
