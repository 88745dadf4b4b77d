"""The two-tier map of 1 July 2025: loading units and the crosswalk, dating and moving facilities.

Units come from two maintained packages, never typed by hand: `vietnam-provinces` (the 34
provinces and their current communes with the official codes of Decision 19/2025/QĐ-TTg) and
`vietnamadminunits` (the units before the reform, and which old commune became which new one).
Each unit and crosswalk row records the package and version it came from.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from dataclasses import dataclass, field
from importlib import metadata, resources
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from facilities.models import (
    DISTRICT_LEVEL_ENDS,
    AdministrativeUnit,
    Facility,
    FacilityLocation,
    FacilityQuerySet,
    UnitCrosswalk,
)
from facilities.signals import facts_in_batch
from facilities.vietnamese import fold

PROVINCE_CODE = "40"
PROVINCE_KEY = "tinhnghean"
REFORM_DAY = DISTRICT_LEVEL_ENDS + datetime.timedelta(days=1)
# Resolution of the Standing Committee of the National Assembly on Nghệ An's communes (2025).
RESOLUTION = "Nghị quyết 1678/NQ-UBTVQH15"

KINDS = {
    "phường": AdministrativeUnit.Kind.WARD,
    "xã": AdministrativeUnit.Kind.COMMUNE,
    "thị trấn": AdministrativeUnit.Kind.TOWNLET,
}


def _source(package: str) -> str:
    return f"{package} {metadata.version(package)}"


@dataclass
class LoadResult:
    added: int = 0
    kept: int = 0
    crosswalk_added: int = 0
    # Units whose name or kind in the package differs from the row stored under its code: a
    # reform of its own, to be added with its date (`load_admin_units --changed-from`).
    changed: list[str] = field(default_factory=list)


def _current_units() -> list[dict[str, Any]]:
    """Nghệ An's communes valid today, from vietnam-provinces."""
    from vietnam_provinces import Ward

    units = []
    for ward in Ward.iter_all():
        if int(ward.province_code) != int(PROVINCE_CODE):
            continue
        kind = ward.division_type.value
        prefix = f"{kind} "
        name = ward.name[len(prefix) :] if ward.name.lower().startswith(prefix) else ward.name
        units.append(
            {"code": str(int(ward.code)), "name": name, "kind": KINDS[kind], "full": ward.name}
        )
    return units


def _legacy_db() -> sqlite3.Connection:
    path = resources.files("vietnamadminunits") / "data" / "dataset.db"
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def _legacy_units() -> list[sqlite3.Row]:
    """Nghệ An's communes on the eve of the reform, with their district, from vietnamadminunits."""
    with _legacy_db() as db:
        return db.execute(
            "SELECT districtCode, wardCode, wardShort, wardType, districtKey, wardKey,"
            " provinceKey FROM admin_units_legacy WHERE provinceCode = ? ORDER BY wardCode",
            (PROVINCE_CODE,),
        ).fetchall()


def _current_keys() -> dict[str, str]:
    """vietnamadminunits' key of each current commune → its full name ("Phường Tây Hiếu").

    By name, not code: for two communes the packages give different codes, and
    vietnam-provinces' are the ones the units carry."""
    with _legacy_db() as db:
        rows = db.execute(
            "SELECT wardKey, ward FROM admin_units WHERE provinceCode = ?", (PROVINCE_CODE,)
        ).fetchall()
    return {row["wardKey"]: fold(row["ward"]) for row in rows}


def _conversions() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(old commune key → the new commune it joined whole, old key → the new communes it was
    split between), from vietnamadminunits' conversion table."""
    path = resources.files("vietnamadminunits") / "data" / "converter_2025.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    whole: dict[str, list[str]] = {}
    for new_key, old_keys in data["DICT_PROVINCE_WARD_NO_DIVIDED"].get(PROVINCE_KEY, {}).items():
        for old_key in old_keys:
            whole.setdefault(old_key, []).append(new_key)
    split = {
        old_key: [part["newWardKey"] for part in parts]
        for old_key, parts in data["DICT_PROVINCE_WARD_DIVIDED"].get(PROVINCE_KEY, {}).items()
    }
    return whole, split


@transaction.atomic
def load_admin_units(*, changed_from: datetime.date | None = None) -> LoadResult:
    """Add the communes before and after the reform, and the crosswalk between them.

    Run again it adds only what is missing. A unit the package now describes differently is
    listed in `changed`; with `changed_from` it becomes a new row valid from that day and the
    old row ends the day before (nothing else is edited).
    """
    result = LoadResult()
    province = AdministrativeUnit.objects.get(
        code=PROVINCE_CODE, level=AdministrativeUnit.Level.PROVINCE
    )
    districts = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.DISTRICT
        ).valid_on(DISTRICT_LEVEL_ENDS)
    }

    def add(code: str, name: str, kind: str, *, current: bool, **fields: Any) -> AdministrativeUnit:
        # The new communes reuse codes of old ones: a code names a unit within its era only.
        era = Q(valid_from__gte=REFORM_DAY) if current else ~Q(valid_from__gte=REFORM_DAY)
        existing = (
            AdministrativeUnit.objects.filter(
                era, code=code, level=AdministrativeUnit.Level.COMMUNE
            )
            .order_by(F("valid_from").desc(nulls_last=True))
            .first()
        )
        if existing and existing.name == name and existing.kind == kind:
            result.kept += 1
            return existing
        if existing:
            result.changed.append(f"{code} {existing.name} → {name}")
            if changed_from is None:
                return existing
            existing.valid_to = changed_from - datetime.timedelta(days=1)
            existing.save(update_fields=["valid_to"])
            fields["valid_from"] = changed_from
        result.added += 1
        return AdministrativeUnit.objects.create(
            code=code, name=name, kind=kind, level=AdministrativeUnit.Level.COMMUNE, **fields
        )

    legacy_source = _source("vietnamadminunits")
    old_by_key: dict[str, AdministrativeUnit] = {}
    for row in _legacy_units():
        unit = add(
            str(int(row["wardCode"])),
            row["wardShort"],
            KINDS[row["wardType"].lower()],
            current=False,
            parent=districts[row["districtCode"]],
            valid_to=DISTRICT_LEVEL_ENDS,
            source=legacy_source,
        )
        old_by_key[f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}"] = unit

    current_source = _source("vietnam-provinces")
    new_by_name = {
        fold(spec["full"]): add(
            spec["code"],
            spec["name"],
            spec["kind"],
            current=True,
            parent=province,
            valid_from=REFORM_DAY,
            source=current_source,
        )
        for spec in _current_units()
    }

    keys = _current_keys()
    whole, split = _conversions()
    for old_key, old_unit in old_by_key.items():
        new_keys, needs_decision = (
            (split[old_key], True)
            if old_key in split
            else (
                whole.get(old_key, []),
                False,
            )
        )
        for new_key in new_keys:
            new_unit = new_by_name.get(keys.get(new_key, ""))
            if new_unit is None:
                continue
            _, created = UnitCrosswalk.objects.get_or_create(
                old_unit=old_unit,
                new_unit=new_unit,
                defaults={
                    "resolution": RESOLUTION,
                    "needs_decision": needs_decision,
                    "source": legacy_source,
                },
            )
            result.crosswalk_added += created
    return result


# --- dated locations --------------------------------------------------------------------------


def check_unit_valid(unit: AdministrativeUnit, day: datetime.date) -> None:
    """Refuse a unit for a record dated `day` when the unit did not exist then."""
    if unit.valid_to and day > unit.valid_to:
        raise ValidationError(
            _("%(unit)s đã hết hiệu lực từ %(end)s; vui lòng chọn đơn vị có hiệu lực ngày %(day)s.")
            % {
                "unit": unit,
                "end": (unit.valid_to + datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
                "day": day.strftime("%d/%m/%Y"),
            }
        )
    if unit.valid_from and day < unit.valid_from:
        raise ValidationError(
            _("%(unit)s có hiệu lực từ %(start)s; vui lòng chọn đơn vị có hiệu lực ngày %(day)s.")
            % {
                "unit": unit,
                "start": unit.valid_from.strftime("%d/%m/%Y"),
                "day": day.strftime("%d/%m/%Y"),
            }
        )


@transaction.atomic
def move_facility(
    facility: Facility, *, unit: AdministrativeUnit, on: datetime.date, actor: Any, note: str = ""
) -> bool:
    """Locate `facility` in `unit` from `on`: the open location ends the day before (a facility
    with none gets one for where it was until then). False when it is already there."""
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    if facility.administrative_unit_id == unit.pk:
        return False
    check_unit_valid(unit, on)
    if not facility.locations.exists():
        first = FacilityLocation(facility=facility, unit_id=facility.administrative_unit_id)
        first._history_user = actor  # type: ignore[attr-defined]
        first.save()
    for location in facility.locations.filter(valid_to__isnull=True):
        if location.valid_from == on:
            # A second move the same day corrects the first.
            location.unit = unit
            location._history_user = actor  # type: ignore[attr-defined]
            location.save(update_fields=["unit"])
            break
        if location.valid_from and location.valid_from > on:
            raise ValidationError(
                _("Cơ sở đã có vị trí từ ngày %(day)s; vui lòng chọn ngày sau đó.")
                % {"day": location.valid_from.strftime("%d/%m/%Y")}
            )
        location.valid_to = on - datetime.timedelta(days=1)
        location._history_user = actor  # type: ignore[attr-defined]
        location.save(update_fields=["valid_to"])
    else:
        location = FacilityLocation(facility=facility, unit=unit, valid_from=on, note=note)
        location._history_user = actor  # type: ignore[attr-defined]
        location.save()
    facility.administrative_unit = unit
    facility._history_user = actor  # type: ignore[attr-defined]
    facility.save(update_fields=["administrative_unit"])
    return True


def in_area_on(
    facilities: FacilityQuerySet, area: AdministrativeUnit, day: datetime.date
) -> FacilityQuerySet:
    """The facilities in `area` on `day`: by the unit each was in then (`unit_on`), not by
    where it is today, so a 2020 list of a district holds the facilities it had in 2020.

    A district is read no later than its last day (30/06/2025), as the figures by former
    district read it: a 2026 list of Diễn Châu district holds the facilities it had then. A
    commune of the new map asked about before it existed is read on its first day. A commune
    is asked of the dated locations themselves: `unit_on` counts a plan-era one as its district.
    """
    if area.level == AdministrativeUnit.Level.DISTRICT:
        day = min(day, DISTRICT_LEVEL_ENDS)
    if area.valid_from and day < area.valid_from:
        day = area.valid_from
    units = area.subtree_ids()
    if area.level == AdministrativeUnit.Level.COMMUNE:
        located = FacilityLocation.objects.valid_on(day)
        return facilities.filter(
            Q(pk__in=located.filter(unit__in=units).values("facility"))
            | (Q(administrative_unit__in=units) & ~Q(pk__in=located.values("facility")))
        )
    return facilities.located_on(day, units)


# --- remapping to the current communes --------------------------------------------------------


@dataclass(frozen=True)
class Remap:
    facility: Facility
    old_unit: AdministrativeUnit
    new_unit: AdministrativeUnit | None
    # Why: "crosswalk", "address"; or, without a new unit, the candidates a person chooses from.
    how: str
    candidates: tuple[AdministrativeUnit, ...] = ()


# The parts of an address that name a district, the province, an industrial zone or cluster
# ("KCN Tân Kỳ" is not the commune Tân Kỳ) or a street ("Số 39 đường Lê Lợi, phường Hưng
# Phúc" is in Hưng Phúc, not in the ward Lê Lợi), not a commune.
_NOT_A_COMMUNE = (
    *("huyen ", "thi xa ", "thanh pho ", "tp ", "tinh ", "quan "),
    *("kcn ", "ccn ", "kkt ", "khu ", "cum "),
    *("so ", "duong ", "pho ", "ngo ", "lo "),
)


def _named_in(address: str, units: list[AdministrativeUnit]) -> list[AdministrativeUnit]:
    """The units whose name the address contains as whole words (accents ignored), leaving
    out its district, province and zone ("KCN Tân Kỳ, xã Tân Xuân, huyện Tân Kỳ" names Tân
    Xuân only). Where names differ only by their accents (Nghi Vạn, Nghi Văn), those written
    as in the address win."""
    kept = [
        part
        for part in address.split(",")
        if not " ".join(fold(part).replace(".", " ").split()).startswith(_NOT_A_COMMUNE)
    ]
    words = f" {' '.join(fold(' '.join(kept).replace('.', ' ')).split())} "
    found = [unit for unit in units if f" {fold(unit.name)} " in words]
    if len(found) > 1:
        written = f" {' '.join(' '.join(kept).replace('.', ' ').lower().split())} "
        found = [unit for unit in found if f" {unit.name.lower()} " in written] or found
    return found


def plan_remap(*, on: datetime.date = REFORM_DAY) -> list[Remap]:
    """What remapping would do: every facility on a unit expired by `on`, with the current
    commune the crosswalk (and, where it is ambiguous, the address) gives, or the candidates."""
    crosswalk: dict[int, list[UnitCrosswalk]] = {}
    for row in UnitCrosswalk.objects.select_related("new_unit", "old_unit"):
        crosswalk.setdefault(row.old_unit_id, []).append(row)
    old_communes: dict[int, list[AdministrativeUnit]] = {}
    for row_list in crosswalk.values():
        old = row_list[0].old_unit
        if old.parent_id:
            old_communes.setdefault(old.parent_id, []).append(old)

    every_old = [old for olds in old_communes.values() for old in olds]

    plans = []
    stale = Facility.objects.filter(administrative_unit__valid_to__lt=on).select_related(
        "administrative_unit"
    )
    for facility in stale.order_by("name_sort_key", "pk"):
        unit = facility.administrative_unit
        if unit.level == AdministrativeUnit.Level.COMMUNE:
            rows = crosswalk.get(unit.pk, [])
        else:
            # A facility recorded on its district only: the address names its old commune, or
            # else the candidates are every new commune the district's communes went to. A
            # district merged away before the reform (Cửa Lò into Vinh, 01/12/2024) has no
            # communes of its own on the eve: its address is read against the province's.
            own = old_communes.get(unit.pk, [])
            named = _named_in(facility.address, own or every_old)
            olds = named or own
            rows = [row for old in olds for row in crosswalk[old.pk]]
            if not named:
                rows = [UnitCrosswalk(new_unit=row.new_unit, needs_decision=True) for row in rows]
        targets = list({row.new_unit.pk: row.new_unit for row in rows}.values())
        if len(targets) == 1 and not any(row.needs_decision for row in rows):
            plans.append(Remap(facility, unit, targets[0], "crosswalk"))
            continue
        named_targets = _named_in(facility.address, targets)
        if len(named_targets) == 1:
            plans.append(Remap(facility, unit, named_targets[0], "address"))
        else:
            plans.append(Remap(facility, unit, None, "person", tuple(targets)))
    return plans


@transaction.atomic
def apply_remap(*, actor: Any, on: datetime.date = REFORM_DAY) -> list[Remap]:
    """Move every facility the plan can place; return the plan, those left for a person
    included. Idempotent: a moved facility is no longer on an expired unit."""
    plans = plan_remap(on=on)
    with facts_in_batch():
        for plan in plans:
            if plan.new_unit is None:
                continue
            move_facility(
                plan.facility,
                unit=plan.new_unit,
                on=on,
                actor=actor,
                note=_("Sắp xếp đơn vị hành chính cấp xã năm 2025"),
            )
    return plans
