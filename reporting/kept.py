"""Figures kept on write: each facility's programme state over time (`FacilityState`).

The engine's shares count facilities on a day: in the denominator, aware, applying, with a CP
unit, in an area. Asked of the raw records, each is a scan of every facility with subqueries
(seconds at national scale, and a dashboard asks for many days). Here each facility's answers
are kept as spans of days, rebuilt for a facility whenever a record it depends on is written, in
the same transaction (receivers of `post_save`/`post_delete`, and of `facts_changed` for bulk
writes): a write is visible on the next request. `rebuild()` builds every facility's spans from
scratch and says which differed from those kept.

The spans are computed here from the facility's records, rule by rule, as the reference rules
define them (`in_denominator_on`, `aware_sources`, `cp_unit_sources`, `applying_sources`,
`SelfReport.objects.in_force`, `unit_on`); tests/reporting/test_kept_figures.py holds them
equal to the reference on random records and dates.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from assessments.models import Assessment, CPOption, SelfReport, SelfReportMeasure
from facilities.models import (
    DISTRICT_LEVEL_ENDS,
    AdministrativeUnit,
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    FacilityLocation,
    OutreachActivity,
    OutreachParticipation,
)
from facilities.signals import facts_changed, gathered
from portal.lib.dates import LOCAL_TZ
from reporting.models import FacilityState, KeptFigures

EARLIEST = datetime.date.min
ONE_DAY = datetime.timedelta(days=1)
# Facilities read and written per round of a rebuild.
CHUNK = 2000


@dataclass
class _Facts:
    """What one facility's state depends on, read in bulk."""

    facility: dict[str, Any]
    held: list[datetime.date] = field(default_factory=list)
    confirmed: list[datetime.date] = field(default_factory=list)
    units: list[tuple[datetime.date, datetime.date | None]] = field(default_factory=list)
    # Verified options: applying from the later of implemented and verified.
    options: list[datetime.date] = field(default_factory=list)
    # Self-report measures: implemented on, and the days their report was in force [from, to).
    measures: list[tuple[datetime.date, datetime.date, datetime.date | None]] = field(
        default_factory=list
    )
    # Locations: pk, unit, valid from, valid to.
    locations: list[tuple[int, int, datetime.date | None, datetime.date | None]] = field(
        default_factory=list
    )


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else moment.astimezone(LOCAL_TZ).date()


def _read_facts(ids: list[int] | None) -> dict[int, _Facts]:
    """The records of the facilities `ids` (all facilities with None): one query per source."""

    def of(queryset: models.QuerySet[Any], path: str = "facility_id") -> models.QuerySet[Any]:
        return queryset if ids is None else queryset.filter(**{f"{path}__in": ids})

    facts = {
        row["pk"]: _Facts(facility=row)
        for row in of(Facility.objects.order_by(), "pk").values(
            "pk",
            "in_scope",
            "started_on",
            "closed_on",
            "suspended_on",
            "resumed_on",
            "administrative_unit_id",
        )
    }
    for facility_id, held in of(OutreachParticipation.objects.order_by()).values_list(
        "facility_id", "activity__held_on"
    ):
        facts[facility_id].held.append(held)
    for facility_id, day in of(AwarenessConfirmation.objects.order_by()).values_list(
        "facility_id", "confirmed_on"
    ):
        facts[facility_id].confirmed.append(day)
    for facility_id, start, end in of(DedicatedUnit.objects.order_by()).values_list(
        "facility_id", "established_on", "ended_on"
    ):
        facts[facility_id].units.append((start, end))
    verified = CPOption.objects.order_by().filter(
        status=CPOption.Status.VERIFIED, implemented_on__isnull=False, verified_on__isnull=False
    )
    for facility_id, done, checked in of(verified, "assessment__facility_id").values_list(
        "assessment__facility_id", "implemented_on", "verified_on"
    ):
        facts[facility_id].options.append(max(done, checked))
    approved = SelfReport.objects.order_by().filter(
        status=SelfReport.Status.APPROVED, reviewed_at__isnull=False
    )
    in_force: dict[int, tuple[datetime.date, datetime.date | None]] = {}
    for pk, reviewed_at, replaced_status, replaced_at in of(approved).values_list(
        "pk", "reviewed_at", "superseded_by__status", "superseded_by__reviewed_at"
    ):
        end = (
            _local_day(replaced_at)
            if replaced_status == SelfReport.Status.APPROVED and replaced_at is not None
            else None
        )
        in_force[pk] = (_local_day(reviewed_at), end)  # type: ignore[assignment]
    for facility_id, report_id, done in of(
        SelfReportMeasure.objects.order_by().filter(report__in=approved), "report__facility_id"
    ).values_list("report__facility_id", "report_id", "implemented_on"):
        facts[facility_id].measures.append((done, *in_force[report_id]))
    for facility_id, *location in of(FacilityLocation.objects.order_by()).values_list(
        "facility_id", "pk", "unit_id", "valid_from", "valid_to"
    ):
        facts[facility_id].locations.append(tuple(location))  # type: ignore[arg-type]
    return facts


def _areas(facts: dict[int, _Facts] | None = None) -> dict[int, tuple[int, int | None]]:
    """Unit pk → (its area, its district or None): a district is its own, a commune of a
    district counts as that district (`unit_on`), any other unit as itself, without a district.
    One query: for the units of `facts`' facilities, or every unit."""
    units = AdministrativeUnit.objects.order_by()
    if facts is not None:
        units = units.filter(
            pk__in={
                unit
                for one in facts.values()
                for unit in (
                    one.facility["administrative_unit_id"],
                    *(location[1] for location in one.locations),
                )
            }
        )
    district = AdministrativeUnit.Level.DISTRICT
    areas: dict[int, tuple[int, int | None]] = {}
    for pk, level, parent, parent_level in units.values_list(
        "pk", "level", "parent_id", "parent__level"
    ):
        if level == district:
            areas[pk] = (pk, pk)
        elif parent_level == district:
            areas[pk] = (parent, parent)
        else:
            areas[pk] = (pk, None)
    return areas


State = tuple[bool, bool, bool, bool, int | None, int | None]


def _state_on(facts: _Facts, day: datetime.date, areas: dict[int, tuple[int, int | None]]) -> State:
    facility = facts.facility
    closed, started = facility["closed_on"], facility["started_on"]
    suspended, resumed = facility["suspended_on"], facility["resumed_on"]
    operating = not (
        (closed is not None and closed <= day)
        or (started is not None and started > day)
        or (suspended is not None and suspended <= day and (resumed is None or resumed > day))
    )
    aware = any(held <= day for held in facts.held) and any(
        confirmed <= day for confirmed in facts.confirmed
    )
    cp_unit = any(start <= day and (end is None or end > day) for start, end in facts.units)
    applying = any(start <= day for start in facts.options) or any(
        done <= day and start <= day and (end is None or end > day)
        for done, start, end in facts.measures
    )
    area = _area_on(facts, day, areas, districts_only=False)
    district = _area_on(facts, min(day, DISTRICT_LEVEL_ENDS), areas, districts_only=True)
    return (facility["in_scope"] and operating, aware, applying, cp_unit, area, district)


def _area_on(
    facts: _Facts,
    day: datetime.date,
    areas: dict[int, tuple[int, int | None]],
    *,
    districts_only: bool,
) -> int | None:
    """`unit_on`: the location valid on `day` with the latest start (an undated start last; on
    the same start, the one recorded last), else the facility's present unit."""
    valid = [
        (start or EARLIEST, pk, unit)
        for pk, unit, start, end in facts.locations
        if (start is None or start <= day) and (end is None or end >= day)
    ]
    unit = max(valid)[2] if valid else facts.facility["administrative_unit_id"]
    if unit is None or unit not in areas:
        return None
    area, district = areas[unit]
    return district if districts_only else area


def _boundaries(facts: _Facts) -> list[datetime.date]:
    """Every day on which some part of the state may change (and the first day of all)."""
    facility = facts.facility
    days = {EARLIEST}
    days.update(
        day
        for day in (
            facility["started_on"],
            facility["closed_on"],
            facility["suspended_on"],
            facility["resumed_on"],
        )
        if day is not None
    )
    days.update(facts.held)
    days.update(facts.confirmed)
    for start, end in facts.units:
        days.add(start)
        if end is not None:
            days.add(end)
    days.update(facts.options)
    for done, start, end in facts.measures:
        days.update((done, start))
        if end is not None:
            days.add(end)
    for _pk, _unit, start, end in facts.locations:
        if start is not None:
            days.add(start)
        if end is not None and end < datetime.date.max:
            days.add(end + ONE_DAY)
    return sorted(days)


def spans(facts: _Facts, areas: dict[int, tuple[int, int | None]]) -> list[FacilityState]:
    """The facility's states, one row per run of days with the same state."""
    rows: list[FacilityState] = []
    previous: State | None = None
    for day in _boundaries(facts):
        state = _state_on(facts, day, areas)
        if state == previous:
            continue
        if rows:
            rows[-1].valid_to = day
        in_denominator, aware, applying, cp_unit, area, district = state
        rows.append(
            FacilityState(
                facility_id=facts.facility["pk"],
                valid_from=day,
                valid_to=None,
                in_denominator=in_denominator,
                aware=aware,
                applying=applying,
                cp_unit=cp_unit,
                area_id=area,
                district_id=district,
            )
        )
        previous = state
    return rows


def refresh(ids: Iterable[int]) -> None:
    """Build the spans of the facilities `ids` again from their records (in the caller's
    transaction: the write that changed them and their figures commit together)."""
    ids = sorted({pk for pk in ids if pk is not None})
    if not ids:
        return
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            facts = _read_facts(chunk)
            areas = _areas(facts)
            FacilityState.objects.filter(facility_id__in=chunk).delete()
            FacilityState.objects.bulk_create(
                [row for pk in chunk if pk in facts for row in spans(facts[pk], areas)]
            )


@dataclass(frozen=True)
class Rebuilt:
    facilities: int
    rows: int
    differing: list[int]  # facilities whose kept spans were not those rebuilt


def _signature(row: FacilityState) -> tuple[Any, ...]:
    return (
        row.valid_from,
        row.valid_to,
        row.in_denominator,
        row.aware,
        row.applying,
        row.cp_unit,
        row.area_id,
        row.district_id,
    )


def rebuild() -> Rebuilt:
    """Build every facility's spans from scratch, replacing those kept, and say which facilities'
    kept spans differed (a write that escaped the receivers). One transaction: readers see the
    old spans or the new, never a mix."""
    areas = _areas()
    facility_ids = list(Facility.objects.order_by("pk").values_list("pk", flat=True))
    differing: list[int] = []
    count = 0
    with transaction.atomic():
        for start in range(0, len(facility_ids), CHUNK):
            ids = facility_ids[start : start + CHUNK]
            facts = _read_facts(ids)
            fresh = {pk: spans(facts[pk], areas) for pk in ids}
            kept: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
            for row in FacilityState.objects.filter(facility_id__in=ids).order_by(
                "facility_id", "valid_from"
            ):
                kept[row.facility_id].append(_signature(row))
            differing += [
                pk for pk in ids if kept.get(pk, []) != [_signature(row) for row in fresh[pk]]
            ]
            FacilityState.objects.filter(facility_id__in=ids).delete()
            rows = [row for pk in ids for row in fresh[pk]]
            FacilityState.objects.bulk_create(rows, batch_size=5000)
            count += len(rows)
        # Rows of facilities that no longer exist go with them (CASCADE); none are left over.
        KeptFigures.objects.all().delete()
        KeptFigures.objects.create(
            built_at=timezone.now(), facilities=len(facility_ids), rows=count
        )
    return Rebuilt(facilities=len(facility_ids), rows=count, differing=differing)


# Once built, the kept figures stay built (writes keep them): a process asks only until it sees so.
_seen_built = False


def is_built() -> bool:
    """Whether the kept spans cover every facility (a full rebuild ran, or the database started
    empty); until then the engine counts from the records themselves."""
    global _seen_built
    if not _seen_built:
        _seen_built = KeptFigures.objects.exists()
    return _seen_built


# --- kept on write --------------------------------------------------------------------------

# Model → how to find the facilities a saved or deleted record changes.
_FACILITY_OF = {
    Facility: lambda record: [record.pk],
    FacilityLocation: lambda record: [record.facility_id],
    OutreachParticipation: lambda record: [record.facility_id],
    AwarenessConfirmation: lambda record: [record.facility_id],
    DedicatedUnit: lambda record: [record.facility_id],
    Assessment: lambda record: [record.facility_id],
    CPOption: lambda record: list(
        Assessment.objects.filter(pk=record.assessment_id).values_list("facility_id", flat=True)
    ),
    SelfReport: lambda record: [record.facility_id],
    SelfReportMeasure: lambda record: list(
        SelfReport.objects.filter(pk=record.report_id).values_list("facility_id", flat=True)
    ),
    OutreachActivity: lambda record: list(
        OutreachParticipation.objects.filter(activity_id=record.pk).values_list(
            "facility_id", flat=True
        )
    ),
}


def _on_write(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures: the rebuild after loading them keeps the figures
    if sender is Facility and kwargs.get("signal") is post_delete:
        # Its spans go with it, including those its records' deletions built again on the way.
        FacilityState.objects.filter(facility_id=instance.pk).delete()
        return
    ids = _FACILITY_OF[sender](instance)
    if not gathered(ids):
        refresh(ids)


def _on_facts_changed(sender: Any, facility_ids: Iterable[int], **kwargs: Any) -> None:
    refresh(facility_ids)


def _on_units_changed(
    sender: type[models.Model], instance: AdministrativeUnit, **kwargs: Any
) -> None:
    """A unit's level or parent decides the area of every facility in it: those facilities
    (located there now or ever) are built again."""
    if kwargs.get("raw"):
        return
    located = FacilityLocation.objects.filter(unit=instance).values("facility_id")
    refresh(
        Facility.objects.filter(
            models.Q(administrative_unit=instance) | models.Q(pk__in=located)
        ).values_list("pk", flat=True)
    )


def connect() -> None:
    """Called once by the app's `ready()`."""
    for model in _FACILITY_OF:
        post_save.connect(_on_write, sender=model, dispatch_uid=f"kept-{model.__name__}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"kept-del-{model.__name__}")
    post_save.connect(_on_units_changed, sender=AdministrativeUnit, dispatch_uid="kept-unit")
    facts_changed.connect(_on_facts_changed, dispatch_uid="kept-facts")
