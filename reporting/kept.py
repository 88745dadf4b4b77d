"""Figures kept on write: each facility's programme state over time (`FacilityState`) and
its savings against its baseline over time (`FacilitySaving`).

The engine's shares count facilities on a day: in the denominator, aware, applying, with a CP
unit, in an area; its savings entries take each applying facility's like period compared with
its baseline. Asked of the raw records, each is a scan of every facility with subqueries, and
the savings a comparison per facility in Python (seconds at national scale, and a dashboard asks
for many days). Here each facility's answers are kept as spans of days, rebuilt for a facility
whenever a record it depends on is written, in the same transaction (receivers of
`post_save`/`post_delete`, and of `facts_changed` for bulk writes): a write is visible on the
next request. `rebuild()` builds every facility's spans from scratch and says which differed
from those kept.

The spans are computed here from the facility's records, rule by rule, as the reference rules
define them (`in_denominator_on`, `aware_sources`, `cp_unit_sources`, `applying_sources`,
`SelfReport.objects.in_force`, `unit_on`, and for savings the engine's live comparison:
`baseline_for(on=)`, `compared_reports`, `compare`); tests/reporting/test_kept_figures.py holds
them equal to the reference on random records and dates.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    ConversionFactor,
    CPOption,
    Resource,
    SelfReport,
    SelfReportConsumption,
    SelfReportMeasure,
)
from assessments.savings import (
    LINE_FIELDS,
    FacilitySavings,
    Line,
    compare,
    compared_reports,
    factor_table,
    line_of,
    period_end,
)
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
from reporting import freshness
from reporting.models import FacilitySaving, FacilityState, KeptFigures

EARLIEST = datetime.date.min
ONE_DAY = datetime.timedelta(days=1)
# Facilities read and written per round of a rebuild.
CHUNK = 2000


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@dataclass(frozen=True)
class Saving:
    """What the engine's savings entries read of a facility's comparison (`FacilitySavings`):
    T3's figure, the energy saving in TOE, the main-material and water savings, each resource's
    saving by resource pk, and whether an energy resource lacked a TOE factor."""

    combined: Decimal | None
    energy: Decimal | None
    material: Decimal | None
    water: Decimal | None
    lacking_factor: bool
    resources: dict[int, Decimal | None]

    @classmethod
    def of(cls, comparison: FacilitySavings) -> Saving:
        return cls(
            combined=comparison.combined,
            energy=comparison.energy.saving if comparison.energy is not None else None,
            material=comparison.material,
            water=comparison.water,
            lacking_factor=bool(comparison.missing_factors),
            resources={row.resource.pk: row.saving for row in comparison.resources},
        )

    def as_json(self) -> dict[str, Any]:
        """Decimals as their exact text (a JSON number would round them)."""
        return {
            "combined": _text(self.combined),
            "energy": _text(self.energy),
            "material": _text(self.material),
            "water": _text(self.water),
            "lacking_factor": self.lacking_factor,
            "resources": {str(pk): _text(value) for pk, value in self.resources.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Saving:
        return cls(
            combined=_decimal(data["combined"]),
            energy=_decimal(data["energy"]),
            material=_decimal(data["material"]),
            water=_decimal(data["water"]),
            lacking_factor=data["lacking_factor"],
            resources={int(pk): _decimal(value) for pk, value in data["resources"].items()},
        )


class _Report(NamedTuple):
    """An approved self-report, with the days it was in force [start, end) and its lines."""

    pk: int
    key: tuple[str, int, int | None]  # (period kind, year, quarter)
    output: Decimal | None
    unit: str
    start: datetime.date
    end: datetime.date | None


@dataclass
class _Facts:
    """What one facility's state and savings depend on, read in bulk."""

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
    # Baselines of completed detailed assessments: completed on, assessment pk, baseline.
    baselines: list[tuple[datetime.date, int, Baseline]] = field(default_factory=list)
    # Approved self-reports, read only for a facility with a baseline.
    reports: list[_Report] = field(default_factory=list)
    # Lines by ("baseline" or "report", its pk).
    lines: dict[tuple[str, int], list[Line]] = field(default_factory=lambda: defaultdict(list))


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else moment.astimezone(LOCAL_TZ).date()


def _of(ids: list[int], path: str = "facility_id", *, run: bool = False) -> dict[str, Any]:
    """A filter on the facilities `ids` (reached by `path`). A `run` of ids is every facility
    from the first to the last (a rebuild's round: a slice of every facility's pk, in order),
    read by range: a list of two thousand ids costs more to build into each query than to read."""
    if run:
        return {f"{path}__gte": ids[0], f"{path}__lte": ids[-1]}
    return {f"{path}__in": ids}


def _read_facts(ids: list[int] | None, *, run: bool = False) -> dict[int, _Facts]:
    """The records of the facilities `ids` (all facilities with None; a `run`, see `_of`): one
    query per source."""

    def of(queryset: models.QuerySet[Any], path: str = "facility_id") -> models.QuerySet[Any]:
        return queryset if ids is None else queryset.filter(**_of(ids, path, run=run))

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
    _read_savings_facts(facts, of, approved, in_force)
    return facts


def _read_savings_facts(
    facts: dict[int, _Facts],
    of: Any,
    approved: models.QuerySet[Any],
    in_force: dict[int, tuple[datetime.date, datetime.date | None]],
) -> None:
    """The baselines, and for the facilities that have one the approved reports, with their
    lines (subqueries, not lists of ids: a chunk of facilities has many reports). Four queries."""
    baselines = Baseline.objects.order_by().filter(
        assessment__kind=Assessment.Kind.DETAILED,
        assessment__status=Assessment.Status.COMPLETED,
        assessment__completed_on__isnull=False,
    )
    baselines = of(baselines, "assessment__facility_id")
    for pk, facility_id, assessment_id, completed, year, output, unit in baselines.values_list(
        "pk",
        "assessment__facility_id",
        "assessment_id",
        "assessment__completed_on",
        "year",
        "output",
        "output_unit",
    ):
        stand_in = Baseline(pk=pk, year=year, output=output, output_unit=unit)
        facts[facility_id].baselines.append((completed, assessment_id, stand_in))
    with_baseline = [pk for pk, one in facts.items() if one.baselines]
    if not with_baseline:
        return
    reports = approved.filter(facility_id__in=with_baseline)
    for pk, facility_id, kind, year, quarter, output, unit in reports.values_list(
        "pk", "facility_id", "period_kind", "year", "quarter", "output", "output_unit"
    ):
        start, end = in_force[pk]
        facts[facility_id].reports.append(
            _Report(pk, (kind, year, quarter), output, unit, start, end)
        )
    resources: dict[int, Resource] = {}
    for facility_id, owner, *values in (
        BaselineConsumption.objects.order_by()
        .filter(baseline__in=baselines)
        .values_list("baseline__assessment__facility_id", "baseline_id", *LINE_FIELDS)
    ):
        facts[facility_id].lines[("baseline", owner)].append(line_of(values, resources))
    for facility_id, owner, *values in (
        SelfReportConsumption.objects.order_by()
        .filter(report__in=reports)
        .values_list("report__facility_id", "report_id", *LINE_FIELDS)
    ):
        facts[facility_id].lines[("report", owner)].append(line_of(values, resources))


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


def _saving_boundaries(facts: _Facts) -> list[datetime.date]:
    """Every day on which the facility's comparison may change: a baseline completed, a report
    coming into force or leaving it, a report's period ending."""
    if not facts.baselines:
        return []
    days = {completed for completed, _pk, _baseline in facts.baselines}
    for report in facts.reports:
        days.update((report.start, period_end(*report.key)))
        if report.end is not None:
            days.add(report.end)
    return sorted(days)


def _compared_on(facts: _Facts, day: datetime.date) -> tuple[Baseline, list[_Report]] | None:
    """The engine's choice on `day` (`_compare_savings`): the baseline of the latest detailed
    assessment completed by then, and the like period among the reports in force that day
    (the highest pk for a period in force twice), none when a report of it counts output in
    another unit than the baseline."""
    done = [
        (completed, pk, baseline) for completed, pk, baseline in facts.baselines if completed <= day
    ]
    if not done:
        return None
    baseline = max(done, key=lambda found: (found[0], found[1]))[2]
    periods: dict[tuple[str, int, int | None], _Report] = {}
    for report in sorted(facts.reports):
        if report.start <= day and (report.end is None or report.end > day):
            periods[report.key] = report
    chosen = compared_reports(periods, baseline_year=baseline.year, day=day)
    if not chosen or any(report.unit != baseline.output_unit for report in chosen):
        return None
    return baseline, chosen


def saving_spans(facts: _Facts, factors: Any) -> list[FacilitySaving]:
    """The facility's savings, one row per run of days with the same figures (none where it
    has no comparison). A comparison is made once per choice of baseline and reports."""
    rows: list[FacilitySaving] = []
    made: dict[tuple[int, tuple[int, ...]], Saving] = {}
    previous: Saving | None = None
    for day in _saving_boundaries(facts):
        found = _compared_on(facts, day)
        saving = None
        if found is not None:
            baseline, chosen = found
            key = (baseline.pk, tuple(report.pk for report in chosen))
            if key not in made:
                made[key] = Saving.of(
                    compare(
                        baseline,
                        facts.lines[("baseline", baseline.pk)],  # type: ignore[arg-type]
                        [_stand_in(report, facts.facility["pk"]) for report in chosen],
                        [line for report in chosen for line in facts.lines[("report", report.pk)]],  # type: ignore[misc]
                        factors,
                    )
                )
            saving = made[key]
        if saving == previous:
            continue
        if rows and rows[-1].valid_to is None:
            rows[-1].valid_to = day
        if saving is not None:
            rows.append(
                FacilitySaving(
                    facility_id=facts.facility["pk"],
                    valid_from=day,
                    valid_to=None,
                    figures=saving.as_json(),
                )
            )
        previous = saving
    return rows


def _stand_in(report: _Report, facility_id: int) -> SelfReport:
    kind, year, quarter = report.key
    return SelfReport(
        pk=report.pk,
        facility_id=facility_id,
        period_kind=kind,
        year=year,
        quarter=quarter,
        output=report.output,
        output_unit=report.unit,
        status=SelfReport.Status.APPROVED,
    )


def _write(
    ids: list[int], facts: dict[int, _Facts], areas: Any, factors: Any, *, run: bool = False
) -> tuple[list[FacilityState], list[FacilitySaving]]:
    """Replace the kept rows of `ids` (a `run`, see `_of`) by those built from `facts`; the new
    rows."""
    states = [row for pk in ids if pk in facts for row in spans(facts[pk], areas)]
    savings = [row for pk in ids if pk in facts for row in saving_spans(facts[pk], factors)]
    FacilityState.objects.filter(**_of(ids, run=run)).delete()
    FacilitySaving.objects.filter(**_of(ids, run=run)).delete()
    FacilityState.objects.bulk_create(states, batch_size=5000)
    FacilitySaving.objects.bulk_create(savings, batch_size=5000)
    freshness.changed()
    return states, savings


def refresh(ids: Iterable[int]) -> None:
    """Build the spans of the facilities `ids` again from their records (in the caller's
    transaction: the write that changed them and their figures commit together)."""
    ids = sorted({pk for pk in ids if pk is not None})
    if not ids:
        return
    factors = factor_table()
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            facts = _read_facts(chunk)
            _write(chunk, facts, _areas(facts), factors)


@dataclass(frozen=True)
class Rebuilt:
    facilities: int
    rows: int
    differing: list[int]  # facilities whose kept spans were not those rebuilt


# A kept row's signature: what it says, from its fields in this order (`_signature`).
_STATE_FIELDS = (
    "valid_from",
    "valid_to",
    "in_denominator",
    "aware",
    "applying",
    "cp_unit",
    "area_id",
    "district_id",
)
_SAVING_FIELDS = ("valid_from", "valid_to", "figures")


def _signature(row: FacilityState | FacilitySaving) -> tuple[Any, ...]:
    if isinstance(row, FacilitySaving):
        return (row.valid_from, row.valid_to, Saving.from_json(row.figures))
    return tuple(getattr(row, name) for name in _STATE_FIELDS)


def _kept_signatures(ids: list[int], *, run: bool) -> dict[int, list[tuple[Any, ...]]]:
    """The signatures of the rows kept for `ids` (a `run`, see `_of`), read as plain values."""
    kept: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for facility_id, *values in (
        FacilityState.objects.filter(**_of(ids, run=run))
        .order_by("facility_id", "valid_from")
        .values_list("facility_id", *_STATE_FIELDS)
    ):
        kept[facility_id].append(tuple(values))
    for facility_id, start, end, figures in (
        FacilitySaving.objects.filter(**_of(ids, run=run))
        .order_by("facility_id", "valid_from")
        .values_list("facility_id", *_SAVING_FIELDS)
    ):
        kept[facility_id].append((start, end, Saving.from_json(figures)))
    return kept


def rebuild() -> Rebuilt:
    """Build every facility's spans from scratch, replacing those kept, and say which facilities'
    kept spans differed (a write that escaped the receivers). One transaction: readers see the
    old spans or the new, never a mix."""
    areas = _areas()
    factors = factor_table()
    facility_ids = list(Facility.objects.order_by("pk").values_list("pk", flat=True))
    differing: list[int] = []
    count = 0
    with transaction.atomic():
        for start in range(0, len(facility_ids), CHUNK):
            ids = facility_ids[start : start + CHUNK]
            kept = _kept_signatures(ids, run=True)
            states, savings = _write(ids, _read_facts(ids, run=True), areas, factors, run=True)
            fresh: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
            for row in [*states, *savings]:
                fresh[row.facility_id].append(_signature(row))
            differing += [pk for pk in ids if kept.get(pk, []) != fresh.get(pk, [])]
            count += len(states) + len(savings)
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
    # Savings: a baseline and its lines, an approved report's lines (a draft's count for nothing).
    Baseline: lambda record: list(
        Assessment.objects.filter(pk=record.assessment_id).values_list("facility_id", flat=True)
    ),
    BaselineConsumption: lambda record: list(
        Baseline.objects.filter(pk=record.baseline_id).values_list(
            "assessment__facility_id", flat=True
        )
    ),
    SelfReportConsumption: lambda record: list(
        SelfReport.objects.filter(
            pk=record.report_id, status=SelfReport.Status.APPROVED
        ).values_list("facility_id", flat=True)
    ),
    # A TOE factor, or a resource's kind, changes the comparison of every facility with a baseline.
    ConversionFactor: lambda record: _with_baseline(),
    Resource: lambda record: _with_baseline(),
    SelfReportMeasure: lambda record: list(
        SelfReport.objects.filter(pk=record.report_id).values_list("facility_id", flat=True)
    ),
    OutreachActivity: lambda record: list(
        OutreachParticipation.objects.filter(activity_id=record.pk).values_list(
            "facility_id", flat=True
        )
    ),
}


def _with_baseline() -> list[int]:
    return list(
        Assessment.objects.filter(kind=Assessment.Kind.DETAILED, baseline__isnull=False)
        .order_by()
        .values_list("facility_id", flat=True)
        .distinct()
    )


def _on_write(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures: the rebuild after loading them keeps the figures
    if sender is Facility and kwargs.get("signal") is post_delete:
        # Its spans go with it, including those its records' deletions built again on the way.
        FacilityState.objects.filter(facility_id=instance.pk).delete()
        FacilitySaving.objects.filter(facility_id=instance.pk).delete()
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
