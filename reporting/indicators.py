"""The indicator engine: the plan's targets T1–T5 and yearly activities A1–A4, as of any date.

Every figure is computed from its source records, and only from the records in effect on the
as-of date: a facility operating and in scope that day, awareness confirmed by then, a measure
verified or approved by then, a self-report approved by the end of that day (Vietnam time), an
official dedicated that day. So a report for Q3 2019 regenerated today gives the figures it
gave then, as long as nobody rewrote history in the source records.

Shares are unrounded Decimal ratios (0.9 = 90%); rounding is for display. The database does the
counting: `compute()` runs a fixed number of queries whatever the number of facilities (ten at
most), `compute_by()` one grouped query per
kind of figure, and a plan's year series as few as one year (`_series`: every year's counts in
one query of each kind).

A target is a band (floor, stretch) per milestone year of the plan; the figure is compared with
the band of the nearest milestone not yet past (else the latest), never with a constant here.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from assessments import services
from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    Resource,
    SelfReport,
    SelfReportConsumption,
    applying_q,
)

# The savings arithmetic stays in one place: the engine reuses the comparison and the factor
# table that facility_savings() is built on, and only chooses the baseline and the report
# differently (in bulk, and by approval date; the same order as its `chronological`); see
# _savings_on().
from assessments.savings import (
    LINE_FIELDS,
    FacilitySavings,
    Line,
    UsedFactor,
    compare,
    compared_reports,
    factor_table,
    line_of,
)
from facilities.models import (
    DISTRICT_LEVEL_ENDS,
    AdministrativeUnit,
    Facility,
    FacilityQuerySet,
    IndustrialZone,
    Sector,
    SizeClass,
    aware_q,
    cp_unit_q,
    reached_q,
    unit_on,
)
from portal.lib.numbers import shown_percent
from programs.models import (
    APPROVED_PROJECT,
    CourseParticipant,
    Indicator,
    IndicatorDefinition,
    Official,
    Plan,
    SupportProject,
    Target,
)
from reporting import freshness
from reporting import kept as kept_figures
from reporting.kept import Saving
from reporting.models import FacilitySaving, FacilityState, covering_q

_T = TypeVar("_T")

# The built-in catalogue entries (the plan to 2020's indicators): its yearly counts, all of them.
COUNT_CODES = ("A1", "A2", "A3", "A4")
ALL_CODES = tuple(Indicator.values)
COUNT_UNITS = (Target.Unit.COUNT_PER_YEAR, Target.Unit.COUNT)

# The facility attribute each breakdown groups by (a field path from Facility).
GROUPINGS = {
    "area": "administrative_unit",
    "sector": "sector__parent",
    "size": "size_class",
}
BREAKDOWNS = (*GROUPINGS, "period", "former_district")
# The same from the kept states (reporting/kept.py), which hold each day's area and district.
KEPT_GROUPINGS = {
    "area": "area",
    "former_district": "district",
    "sector": "facility__sector__parent",
    "size": "facility__size_class",
}
# The breakdowns by administrative unit: the area each facility was in on the data date
# (`unit_on`: a district until 30/06/2025, a commune after). "former_district" groups by the
# districts of 30/06/2025 at the latest, so figures after the reform read beside the plan
# era's (a facility that came after it has no former district).
AREA_BREAKDOWNS = ("area", "former_district")

Kind = IndicatorDefinition.Kind
Record = IndicatorDefinition.Record
# The facility rule behind each condition a share counts, written once in the app owning it.
CONDITIONS = {
    IndicatorDefinition.Condition.AWARE: aware_q,
    IndicatorDefinition.Condition.APPLYING: applying_q,
    IndicatorDefinition.Condition.CP_UNIT: cp_unit_q,
}
ASSESSMENT_KINDS = {
    Record.QUICK_ASSESSMENTS: Assessment.Kind.QUICK,
    Record.DETAILED_ASSESSMENTS: Assessment.Kind.DETAILED,
}


class Status(models.TextChoices):
    """Where a figure stands against its target. While the target's year runs: on track or
    behind by pace (or met already); once it has ended: met or not met, never "behind"."""

    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Không đạt")
    ON_TRACK = "on_track", _("Đúng tiến độ")
    BEHIND = "behind", _("Chậm tiến độ")
    NO_TARGET = "no_target", _("Chưa có mục tiêu")
    NO_DATA = "no_data", _("Chưa có số liệu")


class Position(models.TextChoices):
    """Where a value sits in its target's band (a floor and a stretch, such as 25–50%)."""

    BELOW_FLOOR = "below_floor", _("Dưới mức tối thiểu")
    WITHIN_BAND = "within_band", _("Trong khoảng mục tiêu")
    AT_STRETCH = "at_stretch", _("Đạt mức phấn đấu")


@dataclass(frozen=True)
class Figure:
    """One indicator as of a date, with the band it is measured against.

    `value` is a ratio for T1, T2, T4 and T5; for T3 the median saving of the applying
    facilities that have a savings figure; a count for A1–A4. `numerator` and `denominator`
    are what the ratio was made of (T3: facilities reaching the floor, applying facilities;
    its `extra` has the coverage and the resource-level medians, see `_savings_figure`;
    A1–A4: the count, no denominator).
    """

    indicator: str
    label: str
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    floor: Decimal | None
    stretch: Decimal | None
    milestone_year: int | None
    status: str
    extra: dict[str, Decimal | int | None] = field(default_factory=dict)
    # A1–A4: the year whose records are counted (a report's year, not its data date's).
    year: int | None = None
    # The catalogue entry's kind (IndicatorDefinition.Kind), unit (Target.Unit), and its name
    # and definition in both languages (figures are cached: they are read in the reader's).
    kind: str = IndicatorDefinition.Kind.FACILITY_SHARE
    unit: str = Target.Unit.SHARE
    texts: dict[str, str] = field(default_factory=dict)
    # A cumulative count: the first year counted (the plan's first year).
    from_year: int | None = None

    @property
    def is_count(self) -> bool:
        return self.unit in COUNT_UNITS

    @property
    def name(self) -> str:
        """The indicator's name without its code, in the active language: "Cơ sở áp dụng
        SXSH"."""
        return self._text("name") or self.label.split(" – ", 1)[-1]

    @property
    def definition(self) -> str:
        """How the figure is computed, in the active language."""
        return self._text("definition")

    def _text(self, name: str) -> str:
        if (translation.get_language() or "vi").startswith("en"):
            return self.texts.get(f"{name}_en") or self.texts.get(name, "")
        return self.texts.get(name, "")

    @property
    def position(self) -> str:
        """The value against the band: below its floor, within it, or at its stretch."""
        if self.value is None or self.floor is None:
            return ""
        if self.stretch is not None and self.value >= self.stretch:
            return Position.AT_STRETCH
        return Position.WITHIN_BAND if self.value >= self.floor else Position.BELOW_FLOOR

    @property
    def shown(self) -> Decimal | None:
        """The value as every output prints it: a count as it is; a share or saving in percent,
        rounded half up to one decimal (never so that a value below its floor reads as
        reaching it: the status is decided on the unrounded value)."""
        if self.value is None or self.is_count:
            return self.value
        return shown_percent(self.value, floor=self.floor)


@dataclass(frozen=True)
class Breakdown:
    """The figures of one group (an area, a sector, a size class or a year of the plan)."""

    key: str
    label: str
    figures: dict[str, Figure]


# Within `one_reading()`, what was read already: see `_once`.
_readings: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("readings", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Within the block (a page and its figures: nothing is written), each figure and breakdown,
    each day's savings comparisons, a plan's entries and targets and the conversion factors are
    read once, however many parts of the page ask for them."""
    token = _readings.set({})
    try:
        yield
    finally:
        _readings.reset(token)


def _once(key: tuple[Any, ...], read: Callable[[], _T], *, shared: bool = False) -> _T:
    """`read()`, made once per `key` within `one_reading()` (each time outside it). A `shared`
    reading is also served from the cache while the facts are those it was computed from
    (reporting/freshness.py): the figures, not the live reference they are tested against."""
    readings = _readings.get()
    if readings is not None and key in readings:
        return readings[key]  # type: ignore[no-any-return]
    if shared:
        # Read once per page, before any figure is computed.
        version = _once(("facts version",), freshness.token) if readings is not None else None
        value = freshness.cached(key, read, version=version)
    else:
        value = read()
    if readings is not None:
        readings[key] = value
    return value


def compute(
    plan: Plan, *, as_of: datetime.date, year: int | None = None, live: bool = False
) -> dict[str, Figure]:
    """Every indicator of `plan` (see `plan_indicators`) as of the end of `as_of`, by code.

    The yearly counts count the records of `year` known by `as_of`: a report's year, whatever
    its data date (the annual report of 2020 with data as of 15/01/2021 counts 2020's projects
    and assessments). By default the year of `as_of`. A cumulative count counts from the
    plan's first year to `year`.

    The facilities are counted from the kept figures (reporting/kept.py) once they are built;
    `live` counts them from the records themselves, the reference the kept figures are tested
    against.
    """
    year = as_of.year if year is None else year

    def read() -> dict[str, Figure]:
        entries, targets = _plan_indicators(plan, as_of)
        moment = (as_of, year)
        return _figures(entries, [targets], plan.start_year, [moment], kept=_use_kept(live))[0]

    return _once(("figures", plan.pk, as_of, year, live), read, shared=not live)


def preview(entry: IndicatorDefinition, *, as_of: datetime.date) -> Figure:
    """One catalogue entry (saved or not) as of `as_of`, against no target: what the page
    composing it shows. A cumulative count counts from the start of `as_of`'s year."""
    moment = (as_of, as_of.year)
    return _figures([entry], [{}], as_of.year, [moment], kept=_use_kept(False))[0][entry.code]


def plan_indicators(plan: Plan) -> list[IndicatorDefinition]:
    """The catalogue entries `plan` is measured by, in the catalogue's order: those it sets
    targets for; T1–T5 and A1–A4 (the built-in entries) while it sets none of another entry
    (the plan to 2020, a plan still without targets)."""
    return _plan_indicators(plan, None)[0]


def _plan_indicators(
    plan: Plan, as_of: datetime.date | None
) -> tuple[list[IndicatorDefinition], dict[str, Target]]:
    """The plan's entries and each one's band for `as_of` (see `_targets`): two queries, and
    a third for the size classes of the entries that filter facilities by them (once within
    `one_reading()`)."""
    entries, targets = _once(("plan", plan.pk), lambda: _read_plan_indicators(plan))
    chosen = _targets(targets, as_of) if as_of is not None else {}
    return entries, chosen


def _read_plan_indicators(plan: Plan) -> tuple[list[IndicatorDefinition], list[Target]]:
    targets = list(plan.targets.select_related("indicator"))
    own = {target.indicator_id: target.indicator for target in targets}
    if all(entry.built_in for entry in own.values()):
        entries = list(IndicatorDefinition.objects.filter(built_in=True))
    else:
        entries = sorted(own.values(), key=lambda entry: (entry.rank, entry.code))
    prefetch_related_objects(
        [entry for entry in entries if entry.has_population and not entry.built_in],
        "size_classes",
    )
    return entries, targets


def _figures(
    entries: list[IndicatorDefinition],
    targets: list[dict[str, Target]],
    first_year: int,
    moments: list[tuple[datetime.date, int]],
    *,
    kept: bool,
) -> list[dict[str, Figure]]:
    """The figures of `entries` at each moment (as of its day, counting its year's records; with
    that moment's `targets`), every moment read together: one query for every facility share
    (and the applying facilities T3-like savings are out of), the facilities' savings (kept: one
    for a moment, two for several; five a moment live) and their populations (one), one for the
    officials, one for projects and one for assessments; only those some entry needs. Live, the
    facility shares are one query a moment."""
    of_kind = _by_kind(entries)
    days = [day for day, _year in moments]
    counts, keys = _facility_counts(
        of_kind[Kind.FACILITY_SHARE] + of_kind[Kind.SAVINGS], days, kept
    )
    savings = _savings_on(days, kept=kept) if of_kind[Kind.SAVINGS] else [{} for _day in days]
    members = _population_members(of_kind[Kind.SAVINGS], {pk for found in savings for pk in found})
    officials = _official_counts(days) if of_kind[Kind.OFFICIALS_TRAINED] else [{} for _ in days]
    records = _record_counts(of_kind[Kind.RECORD_COUNT], moments, first_year)

    series = []
    for index, (as_of, year) in enumerate(moments):
        places = _places_reached(of_kind[Kind.PLACES_REACHED], as_of)
        figures = {}
        for entry in entries:
            target = targets[index].get(entry.code)
            if entry.kind == Kind.FACILITY_SHARE:
                numerator, denominator = keys[entry.code]
                figures[entry.code] = _share_figure(
                    entry,
                    counts[index][numerator],
                    counts[index][denominator],
                    target,
                    first_year,
                    as_of,
                )
            elif entry.kind == Kind.SAVINGS:
                figures[entry.code] = _savings_figure(
                    entry,
                    [found for pk, found in savings[index].items() if pk in members[entry.code]],
                    counts[index][keys[entry.code][0]],
                    target,
                    first_year,
                    as_of,
                )
            elif entry.kind == Kind.OFFICIALS_TRAINED:
                trained, dedicated = officials[index]["trained"], officials[index]["dedicated"]
                figures[entry.code] = _share_figure(
                    entry, trained, dedicated, target, first_year, as_of
                )
            elif entry.kind == Kind.PLACES_REACHED:
                reached, existing = places[entry.code]
                figures[entry.code] = _share_figure(
                    entry, reached, existing, target, first_year, as_of
                )
            else:
                figures[entry.code] = _count_figure(
                    entry, records[index], target, as_of, first_year=first_year, year=year
                )
        series.append(figures)
    return series


def _series(plan: Plan, as_of: datetime.date, *, live: bool) -> list[Breakdown]:
    """Every indicator of `plan` for each year of the plan up to `as_of`, each as of 31/12 of
    its year (as of `as_of` for the current year), the years read together (`_figures`)."""
    years = range(plan.start_year, min(plan.end_year, as_of.year) + 1)
    days = [min(datetime.date(year, 12, 31), as_of) for year in years]
    entries, targets = _once(("plan", plan.pk), lambda: _read_plan_indicators(plan))
    figures = _figures(
        entries,
        [_targets(targets, day) for day in days],
        plan.start_year,
        [(day, day.year) for day in days],
        kept=_use_kept(live),
    )
    readings = _readings.get()
    for day, found in zip(days, figures, strict=True):  # each year's `compute`, read already
        if readings is not None:
            readings.setdefault(("figures", plan.pk, day, day.year, live), found)
    return [
        Breakdown(key=str(year), label=str(year), figures=found)
        for year, found in zip(years, figures, strict=True)
    ]


def _per_moment(row: dict[str, int], moments: int) -> list[dict[str, int]]:
    """An aggregate over several moments (keys "<name>@<index>") split back, moment by moment."""
    split: list[dict[str, int]] = [{} for _moment in range(moments)]
    for key, value in row.items():
        name, index = key.rsplit("@", 1)
        split[int(index)][name] = value
    return split


def compute_by(
    plan: Plan, *, as_of: datetime.date, by: str, year: int | None = None, live: bool = False
) -> list[Breakdown]:
    """The indicators of `plan` as of `as_of`, group by group.

    - "area", "sector" (the VSIC level-2 parent of the facility's sector), "size": the
      facility indicators (shares of facilities, savings) against the plan's bands, and the
      counts of assessments by the group of the assessed facility (the yearly target is for
      the whole province, so a group's count has no target). Officials and projects belong
      to no single facility group and are left out; assessments count `year`'s, as in
      `compute`. Groups come in the order of their codes (size classes by rank); only groups
      with a facility in the denominator or an assessment appear.
    - "period": every indicator for each year of the plan up to `as_of`, each as of 31/12 of
      its year (as of `as_of` for the current year).
    """
    if by not in BREAKDOWNS:
        raise ValueError(f"Unknown breakdown {by!r}: expected one of {', '.join(BREAKDOWNS)}.")
    if by == "period":
        return _once(
            ("period", plan.pk, as_of, live),
            lambda: _series(plan, as_of, live=live),
            shared=not live,
        )
    return _once(
        ("by", plan.pk, as_of, by, year, live),
        lambda: _compute_by(plan, as_of=as_of, by=by, year=year, live=live),
        shared=not live,
    )


def _compute_by(
    plan: Plan, *, as_of: datetime.date, by: str, year: int | None, live: bool
) -> list[Breakdown]:
    """`compute_by` for a grouping of facilities (every breakdown but the year series)."""
    group: Any = GROUPINGS.get(by)
    if by in AREA_BREAKDOWNS:
        located_on = as_of if by == "area" else min(as_of, DISTRICT_LEVEL_ENDS)
        group = functools.partial(unit_on, located_on, districts_only=by == "former_district")
    year = as_of.year if year is None else year
    entries, targets = _plan_indicators(plan, as_of)
    of_kind = _by_kind(entries)
    facility_entries = of_kind[Kind.FACILITY_SHARE] + of_kind[Kind.SAVINGS]
    kept = _use_kept(live)
    rules, keys = _facility_count_rules(facility_entries, as_of, kept=kept)
    expressions = _counts(rules)
    facilities: dict[int | None, dict[str, int]] = {}
    if expressions:
        rows = (
            _denominator(as_of, kept=kept)
            .order_by()
            .annotate(group_key=F(KEPT_GROUPINGS[by]) if kept else _group_by(group))
            .values("group_key")
            .annotate(**expressions)
        )
        facilities = {row.pop("group_key"): row for row in rows}
    no_facilities = dict.fromkeys(expressions, 0)
    savings_by_group = _savings_by_group(of_kind[Kind.SAVINGS], as_of, group, kept=kept)
    assessment_entries = [
        entry for entry in of_kind[Kind.RECORD_COUNT] if entry.record in ASSESSMENT_KINDS
    ]
    assessments = _assessment_counts_by(assessment_entries, as_of, plan.start_year, year, group)
    ids = {*facilities, *assessments} | {pk for found in savings_by_group.values() for pk in found}
    places = _places_reached_by(of_kind[Kind.PLACES_REACHED], as_of, by)
    ids |= set(places)

    breakdowns = []
    for pk, key, label in _groups(by, ids):
        counts = facilities.get(pk, no_facilities)
        figures = {}
        for entry in entries:
            target = targets.get(entry.code)
            if entry.kind == Kind.FACILITY_SHARE:
                numerator, denominator = keys[entry.code]
                figures[entry.code] = _share_figure(
                    entry, counts[numerator], counts[denominator], target, plan.start_year, as_of
                )
            elif entry.kind == Kind.SAVINGS:
                figures[entry.code] = _savings_figure(
                    entry,
                    savings_by_group[entry.code].get(pk, []),
                    counts[keys[entry.code][0]],
                    target,
                    plan.start_year,
                    as_of,
                )
            elif entry.kind == Kind.PLACES_REACHED and places:
                reached, existing = places.get(pk, {}).get(entry.code, (0, 0))
                figures[entry.code] = _share_figure(
                    entry, reached, existing, target, plan.start_year, as_of
                )
            elif entry in assessment_entries:
                # A group's count is shown without those in progress (the province's has them).
                counted = assessments.get(pk, {}).get(entry.code, 0)
                figures[entry.code] = _count_figure(
                    entry,
                    {entry.code: counted},
                    None,
                    as_of,
                    first_year=plan.start_year,
                    year=year,
                )
        breakdowns.append(Breakdown(key=key, label=label, figures=figures))
    return breakdowns


def _by_kind(entries: list[IndicatorDefinition]) -> dict[str, list[IndicatorDefinition]]:
    of_kind: dict[str, list[IndicatorDefinition]] = {kind: [] for kind in Kind.values}
    for entry in entries:
        of_kind[entry.kind].append(entry)
    return of_kind


def _savings_by_group(
    entries: list[IndicatorDefinition], day: datetime.date, group: Any, *, kept: bool
) -> dict[str, dict[int | None, list[Saving]]]:
    """Per savings entry, its population's savings by group: the savings (one query kept, five
    live) and one query for the groups and populations of the facilities that have one."""
    result: dict[str, dict[int | None, list[Saving]]] = {
        entry.code: defaultdict(list) for entry in entries
    }
    if not entries:
        return result
    (savings,) = _savings_on([day], kept=kept)
    if not savings:
        return result
    populations = {f"p{index}": entry for index, entry in enumerate(entries)}
    # Only facilities with a detailed assessment can have a saving: read just their groups.
    detailed = Assessment.objects.filter(kind=Assessment.Kind.DETAILED).values("facility_id")
    rows = (
        Facility.objects.filter(pk__in=detailed)
        .annotate(
            **{
                alias: ExpressionWrapper(population_q(entry), output_field=BooleanField())
                for alias, entry in populations.items()
            }
        )
        .annotate(group_key=_group_by(group))
        .values_list("pk", "group_key", *populations)
    )
    for facility_id, pk, *inside in rows:
        if facility_id not in savings:
            continue
        for (_alias, entry), member in zip(populations.items(), inside, strict=True):
            if member:
                result[entry.code][pk].append(savings[facility_id])
    return result


def savings_by_facility(as_of: datetime.date) -> dict[int, Decimal]:
    """Facility pk → its T3 figure as of `as_of`, for the applying facilities that have one
    (the figures whose median is T3; a report's annex lists them facility by facility)."""
    return {
        pk: result.combined
        for pk, result in _savings_on([as_of], kept=_use_kept(False))[0].items()
        if result.combined is not None
    }


def savings_comparisons(as_of: datetime.date) -> dict[int, FacilitySavings]:
    """Facility pk → its whole comparison as of `as_of` (every resource, the TOE factors used,
    those missing), for the applying facilities that have a comparable like period, with or
    without a T3 figure. For the notes of a report: see `savings_notes`."""
    return _comparisons(as_of, kept=_use_kept(False))


@dataclass(frozen=True)
class SavingsNotes:
    """What a report says of T3's conversion to TOE: the factors the comparisons used (each
    with the number of facilities converted with it), and per energy resource the number of
    facilities whose energy saving, and so T3 figure, is missing for want of a factor."""

    factors: list[tuple[UsedFactor, int]]
    lacking: list[tuple[Resource, int]]


def savings_notes(comparisons: dict[int, FacilitySavings]) -> SavingsNotes:
    factors: dict[int, tuple[UsedFactor, int]] = {}
    lacking: dict[int, tuple[Resource, int]] = {}
    for result in comparisons.values():
        for used in result.factors:
            known = factors.get(used.factor.pk)
            factors[used.factor.pk] = (used, known[1] + 1 if known else 1)
        for resource in result.missing_factors:
            missing = lacking.get(resource.pk)
            lacking[resource.pk] = (resource, missing[1] + 1 if missing else 1)

    def order(resource: Resource) -> tuple[int, str, int]:
        return (resource.rank, resource.name, resource.pk or 0)

    return SavingsNotes(
        factors=sorted(
            factors.values(),
            key=lambda item: (*order(item[0].resource), item[0].factor.valid_from),
        ),
        lacking=sorted(lacking.values(), key=lambda item: order(item[0])),
    )


# Each indicator's definition (numerator, denominator, the as-of rule) is its catalogue entry's
# (programs.IndicatorDefinition.definition, and definition_en), printed by the reports, the
# workbook, the dashboard and the README; the engine computes exactly that. T1–T5 and A1–A4
# ship with programs' migration 0010. Below, the notes every report prints beside them.
ROUNDING_NOTE = _(
    "Tỷ lệ và mức tiết kiệm được làm tròn một chữ số thập phân (từ 5 trở lên làm tròn lên); "
    "kết quả so với mục tiêu xét trên số chưa làm tròn."
)
STATUS_NOTE = _(
    "Khi năm mốc của mục tiêu (với A1–A4: năm báo cáo) đã kết thúc, kết quả là Đạt hoặc Không "
    "đạt; trước đó là Đạt (đã đạt mức tối thiểu), Đúng tiến độ (không thấp hơn tiến độ tuyến "
    "tính từ đầu kế hoạch đến mức tối thiểu vào cuối năm mốc) hoặc Chậm tiến độ."
)


def t3_coverage(figure: Figure) -> str:
    """The coverage line ("7 of 16 applying facilities have a savings figure") of a T3 figure."""
    return str(_("%(count)s trên %(applying)s cơ sở đang áp dụng SXSH có số liệu tiết kiệm")) % {
        "count": figure.extra.get("facilities_with_figure", 0),
        "applying": figure.extra.get("applying_facilities", figure.denominator or 0),
    }


# --- the counting ---------------------------------------------------------------------------


def _targets(targets: list[Target], as_of: datetime.date) -> dict[str, Target]:
    """Each indicator's band for the nearest milestone year not before `as_of`, else the latest."""
    chosen: dict[str, Target] = {}
    for target in targets:
        current = chosen.get(target.indicator_id)
        if current is None or _closer(target.milestone_year, current.milestone_year, as_of.year):
            chosen[target.indicator_id] = target
    return chosen


def _closer(candidate: int, current: int, year: int) -> bool:
    if candidate >= year and current >= year:
        return candidate < current
    if candidate >= year or current >= year:
        return candidate >= year
    return candidate > current  # both past: the latest


# The rules are written once, in the apps that own the facts (aware_q, cp_unit_q in
# facilities, applying_q in assessments). Counting every facility uses their "IN (one
# uncorrelated subquery)" form: both databases then read each source table once instead of
# probing it per facility.


def with_programme_flags(facilities: FacilityQuerySet, day: datetime.date) -> FacilityQuerySet:
    """is_aware, is_applying and has_cp_unit on `day` for each row, in the rows' own query (a
    page or an export of rows): the row's kept state of that day, joined, once the kept figures
    are built; else each asked of the records with an index lookup."""
    if _use_kept(False):
        return facilities.annotate(
            state_of_day=FilteredRelation("states", condition=covering_q(day, "states__"))
        ).annotate(
            is_aware=Coalesce("state_of_day__aware", False),
            is_applying=Coalesce("state_of_day__applying", False),
            has_cp_unit=Coalesce("state_of_day__cp_unit", False),
        )
    return facilities.annotate(
        is_aware=aware_q(day, per_row=True),
        is_applying=applying_q(day, per_row=True),
        has_cp_unit=cp_unit_q(day, per_row=True),
    )


def in_denominator_with_flags(day: datetime.date) -> FacilityQuerySet:
    """The facilities in the denominator on `day`, each with `with_programme_flags` and the code
    and name of the area it was in that day (`area_code`, `area_name`): from its kept state of
    the day, one join, once the kept figures are built; else from the records, each facility's
    area looked up on the day (`unit_on`)."""
    if _use_kept(False):
        return (
            with_programme_flags(Facility.objects.all(), day)
            .filter(state_of_day__in_denominator=True)
            .annotate(
                area_code=F("state_of_day__area__code"), area_name=F("state_of_day__area__name")
            )
        )
    facilities = with_programme_flags(Facility.objects.in_denominator_on(day), day)
    area = AdministrativeUnit.objects.filter(pk=OuterRef("area_on_day"))
    return facilities.annotate(area_on_day=unit_on(day)).annotate(
        area_code=Subquery(area.values("code")[:1]),
        area_name=Subquery(area.values("name")[:1]),
    )


def population_q(entry: IndicatorDefinition) -> Q:
    """The facilities an entry is measured within: its sectors (VSIC code prefixes), size
    classes and designated-energy-user status; every facility of the denominator when it
    names none. The built-in entries (T1–T4) name none."""
    population = Q()
    if entry.built_in or not entry.has_population:
        return population
    prefixes = entry.prefixes
    if prefixes:
        population &= functools.reduce(
            operator.or_, (Q(sector__code__startswith=prefix) for prefix in prefixes)
        )
    sizes = [size.pk for size in entry.size_classes.all()]
    if sizes:
        population &= Q(size_class__in=sizes)
    if entry.energy_users == IndicatorDefinition.EnergyUsers.ONLY:
        population &= Q(is_designated_energy_user=True)
    elif entry.energy_users == IndicatorDefinition.EnergyUsers.EXCLUDED:
        population &= Q(is_designated_energy_user=False)
    return population


def having(
    facilities: FacilityQuerySet, day: datetime.date, condition: str, *, present: bool = True
) -> FacilityQuerySet:
    """The facilities that were (or, with `present` False, were not) "in_denominator", "aware",
    "applying" or "cp_unit" on `day`: a list's filters, from the kept figures once built."""
    if _use_kept(False):
        found = FacilityState.objects.covering(day).filter(**{condition: True})
        ids = found.values("facility_id")
    else:
        if condition == "in_denominator":
            found = Facility.objects.in_denominator_on(day)
        else:
            found = Facility.objects.filter(CONDITIONS[condition](day))
        ids = found.values("pk")
    return facilities.filter(pk__in=ids) if present else facilities.exclude(pk__in=ids)


def _use_kept(live: bool) -> bool:
    return not live and kept_figures.is_built()


def _denominator(day: datetime.date, *, kept: bool) -> models.QuerySet[Any]:
    """The facilities in the denominator on `day`: their kept states of that day, or the
    facilities themselves."""
    if not kept:
        return Facility.objects.in_denominator_on(day)
    return FacilityState.objects.covering(day).filter(in_denominator=True)


def _through(condition: Q, path: str) -> Q:
    """`condition` on a facility, asked of rows that reach it by `path`."""
    return Q(
        *(
            _through(child, path) if isinstance(child, Q) else (f"{path}{child[0]}", child[1])
            for child in condition.children
        ),
        _connector=condition.connector,
        _negated=condition.negated,
    )


def _facility_counts(
    entries: list[IndicatorDefinition], days: list[datetime.date], kept: bool
) -> tuple[list[dict[str, int]], dict[str, tuple[str, str]]]:
    """The counts `_facility_count_rules` names, day by day: the kept states of every day in one
    query, live one query a day."""
    if not entries:
        return [{} for _day in days], {}
    if not kept:
        counted = []
        for day in days:
            rules, keys = _facility_count_rules(entries, day, kept=False)
            counted.append(_denominator(day, kept=False).aggregate(**_counts(rules)))
        return counted, keys
    # The kept rules read a state's columns, the same whatever the day.
    rules, keys = _facility_count_rules(entries, None, kept=True)
    expressions = {
        f"{alias}@{index}": Count("pk", filter=covering_q(day) & rule)
        for index, day in enumerate(days)
        for alias, rule in rules.items()
    }
    if not expressions:
        return [], keys
    any_day = functools.reduce(operator.or_, (covering_q(day) for day in days))
    row = FacilityState.objects.filter(any_day, in_denominator=True).aggregate(**expressions)
    return _per_moment(row, len(days)), keys


def _counts(rules: dict[str, Q]) -> dict[str, Count]:
    return {
        alias: Count("pk", filter=rule) if rule else Count("pk") for alias, rule in rules.items()
    }


def _facility_count_rules(
    entries: list[IndicatorDefinition], day: datetime.date | None, *, kept: bool
) -> tuple[dict[str, Q], dict[str, tuple[str, str]]]:
    """The facilities in the denominator that the shares and savings of `entries` are made of,
    each as a rule counted once however many entries share it (on a kept state; live, on a
    facility on `day`), and per entry the aliases of its (numerator, denominator); a savings
    entry's "numerator" is the applying facilities of its population (the share of them
    reaching the band)."""
    rules: dict[str, Q] = {}
    keys: dict[str, tuple[str, str]] = {}
    aliases: dict[tuple[str, str], str] = {}

    def count(condition: str, population: Q) -> str:
        signature = (condition, str(population))
        if signature not in aliases:
            aliases[signature] = alias = f"c{len(aliases)}"
            if kept:
                rule = Q(**{condition: True}) if condition else Q()
                rules[alias] = _through(population, "facility__") & rule
            else:
                assert day is not None
                rule = CONDITIONS[condition](day) if condition else Q()
                rules[alias] = population & rule
        return aliases[signature]

    for entry in entries:
        population = population_q(entry)
        condition = entry.condition if entry.kind == Kind.FACILITY_SHARE else "applying"
        keys[entry.code] = (count(condition, population), count("", population))
    return rules, keys


def _population_members(
    entries: list[IndicatorDefinition], compared: set[int]
) -> dict[str, set[int]]:
    """Per savings entry, the facilities of `compared` (those with savings) that are in its
    population: one query for those entries that name a population."""
    members = {entry.code: compared for entry in entries}
    narrowed = {f"p{i}": entry for i, entry in enumerate(entries) if population_q(entry)}
    if not narrowed or not compared:
        return members
    rows = (
        Facility.objects.filter(pk__in=list(compared))
        .annotate(
            **{
                alias: ExpressionWrapper(population_q(entry), output_field=BooleanField())
                for alias, entry in narrowed.items()
            }
        )
        .values_list("pk", *narrowed)
    )
    for entry in narrowed.values():
        members[entry.code] = set()
    for pk, *inside in rows:
        for entry, member in zip(narrowed.values(), inside, strict=True):
            if member:
                members[entry.code].add(pk)
    return members


def _places_reached(
    entries: list[IndicatorDefinition], day: datetime.date
) -> dict[str, tuple[int, int]]:
    """Per places entry, the places of its kinds existing on `day` that were reached by then
    (`reached_q`) and all of them: one query for every such entry."""
    if not entries:
        return {}
    counts = IndustrialZone.objects.existing_on(day).aggregate(**_places_expressions(entries, day))
    return {
        entry.code: (counts[f"r{index}"], counts[f"n{index}"])
        for index, entry in enumerate(entries)
    }


def _places_reached_by(
    entries: list[IndicatorDefinition], day: datetime.date, by: str
) -> dict[int | None, dict[str, tuple[int, int]]]:
    """`_places_reached` by the district of each place (one query). A place's area is a
    district-level unit, so only the breakdowns by district have them: "former_district", and
    "area" up to 30/06/2025 (after it, areas are communes and places are left out)."""
    by_district = by == "former_district" or (by == "area" and day <= DISTRICT_LEVEL_ENDS)
    if not entries or not by_district:
        return {}
    rows = (
        IndustrialZone.objects.existing_on(day)
        .order_by()
        .values("area")
        .annotate(**_places_expressions(entries, day))
    )
    return {
        row["area"]: {
            entry.code: (row[f"r{index}"], row[f"n{index}"]) for index, entry in enumerate(entries)
        }
        for row in rows
        if any(row[f"n{index}"] for index in range(len(entries)))
    }


def _places_expressions(entries: list[IndicatorDefinition], day: datetime.date) -> dict[str, Count]:
    """Per places entry (by its index), the places of its kinds reached by `day` ("r") and all
    of them ("n")."""
    reached = reached_q(day)
    expressions = {}
    for index, entry in enumerate(entries):
        kinds = Q(kind__in=entry.kinds_of_place)
        expressions[f"r{index}"] = Count("pk", filter=kinds & reached)
        expressions[f"n{index}"] = Count("pk", filter=kinds)
    return expressions


def completeness_by_area(
    period_kind: str, year: int, quarter: int | None, *, facilities: FacilityQuerySet | None = None
) -> list[tuple[AdministrativeUnit, services.Completeness]]:
    """`services.completeness_by_area`, from the kept states once they are built: each
    facility's place in the denominator and its area on the period's last day, in one grouped
    query (not the unit of each facility looked up on the day). Of every facility (cached while
    the facts are unchanged), or of `facilities` alone."""
    if facilities is not None:
        return _completeness_by_area(period_kind, year, quarter, facilities)
    return _once(
        ("completeness", period_kind, year, quarter),
        lambda: _completeness_by_area(period_kind, year, quarter, None),
        shared=True,
    )


def _completeness_by_area(
    period_kind: str, year: int, quarter: int | None, facilities: FacilityQuerySet | None
) -> list[tuple[AdministrativeUnit, services.Completeness]]:
    if not _use_kept(False):
        return services.completeness_by_area(period_kind, year, quarter, facilities=facilities)
    reported = services.submitted(period_kind, year, quarter, facility="facility_id")
    rows = (
        _expected_states(period_kind, year, quarter, facilities)
        .values("area")
        .annotate(**reported.counts())
        .order_by()
    )
    return services.completeness_of_areas(rows)


def completeness(
    period_kind: str, year: int, quarter: int | None, *, facilities: FacilityQuerySet | None = None
) -> services.Completeness:
    """`services.completeness`, from the kept states once they are built."""
    if not _use_kept(False):
        return services.completeness(period_kind, year, quarter, facilities=facilities)
    reported = services.submitted(period_kind, year, quarter, facility="facility_id")
    counts = _expected_states(period_kind, year, quarter, facilities).aggregate(**reported.counts())
    return services.Completeness(**counts)


def overdue(
    period_kind: str,
    year: int,
    quarter: int | None,
    *,
    today: datetime.date,
    facilities: FacilityQuerySet | None = None,
    limit: int,
) -> tuple[list[Facility], int]:
    """`services.overdue_facilities` (the first `limit`, by the code of the area each counts in
    on the period's last day, then name; each with its `area_unit`) and how many there are."""
    _start, end = services.period_bounds(period_kind, year, quarter)
    if today <= services.deadline_for(period_kind, year, quarter):
        return [], 0
    if not _use_kept(False):
        found = services.overdue_facilities(period_kind, year, quarter, today=today)
        if facilities is not None:
            found = found.filter(pk__in=facilities.values("pk"))
        ordered = found.annotate(area=unit_on(end)).order_by(
            Subquery(AdministrativeUnit.objects.filter(pk=OuterRef("area")).values("code")),
            "name_sort_key",
            "pk",
        )
        listed = list(ordered[:limit])
        units = AdministrativeUnit.objects.in_bulk({f.area for f in listed})
        for facility in listed:
            facility.area_unit = units.get(facility.area)
        return listed, found.count()
    reported = services.submitted(period_kind, year, quarter, facility="facility_id")
    states = _expected_states(period_kind, year, quarter, facilities).exclude(reported.received)
    listed = []
    for state in states.select_related("facility", "area").order_by(
        "area__code", "facility__name_sort_key", "facility_id"
    )[:limit]:
        state.facility.area_unit = state.area
        listed.append(state.facility)
    return listed, states.count()


def _expected_states(
    period_kind: str, year: int, quarter: int | None, facilities: FacilityQuerySet | None
) -> models.QuerySet[FacilityState]:
    """The kept state of each facility expected to report for the period (in the denominator
    on its last day), of `facilities` alone when given."""
    _start, end = services.period_bounds(period_kind, year, quarter)
    states = FacilityState.objects.covering(end).filter(in_denominator=True)
    if facilities is not None:
        states = states.filter(facility_id__in=facilities.values("pk"))
    return states


def family_saving(entry: IndicatorDefinition, comparison: Saving) -> Decimal | None:
    """The saving a savings entry takes from a facility's comparison: T3's figure (energy and
    main material), the energy saving in TOE, the water or the materials saving (the mean of
    the resources of that kind), or one resource's."""
    Family = IndicatorDefinition.ResourceFamily
    if entry.resource_family == Family.ENERGY:
        return comparison.energy
    if entry.resource_family == Family.WATER:
        return comparison.water
    if entry.resource_family == Family.MATERIAL:
        return comparison.material
    if entry.resource_family == Family.RESOURCE:
        return comparison.resources.get(entry.resource_id)  # type: ignore[arg-type]
    return comparison.combined


def _official_counts(days: list[datetime.date]) -> list[dict[str, int]]:
    """T5, day by day (one query): officials dedicated on the day, and those of them who
    completed a qualifying course that had ended by then (whenever they became dedicated)."""
    expressions = {}
    for index, day in enumerate(days):
        dedicated = Q(dedicated_from__lte=day) & (
            Q(dedicated_to__isnull=True) | Q(dedicated_to__gte=day)
        )
        trained = CourseParticipant.objects.filter(
            official=OuterRef("pk"),
            completed=True,
            course__qualifies_for_t5=True,
            course__ends_on__lte=day,
        )
        expressions[f"dedicated@{index}"] = Count("pk", filter=dedicated)
        expressions[f"trained@{index}"] = Count("pk", filter=dedicated & Exists(trained))
    return _per_moment(Official.objects.aggregate(**expressions), len(days)) if days else []


def _years_so_far(
    first_year: int, year: int, day: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The days from the start of `first_year` to the end of `year` known by the end of `day`:
    all of them once `day` is past their end."""
    return datetime.date(first_year, 1, 1), min(day, datetime.date(year, 12, 31))


def _counted_from(entry: IndicatorDefinition, first_year: int, year: int) -> int:
    """The first year a count counts: the report's year, or the plan's first for a
    cumulative count."""
    return min(first_year, year) if entry.cumulative else year


def _project_q(record: str, day: datetime.date, first_year: int, year: int) -> Q:
    """A1-like: provincial projects of the years approved by `day`; A2-like: models proposed
    to the Ministry in the years, by `day` (a proposal counts when it is made, whatever the
    answer)."""
    Funding = SupportProject.Funding
    start, end = _years_so_far(first_year, year, day)
    if record == Record.PROVINCIAL_PROJECTS:
        return Q(
            funding=Funding.PROVINCIAL,
            year__gte=first_year,
            year__lte=year,
            status__in=APPROVED_PROJECT,
        ) & (
            # A project recorded without its approval date counts from the start of its year.
            Q(approved_on__lte=day) | Q(approved_on__isnull=True)
        )
    return Q(funding=Funding.CENTRAL) & (
        Q(proposed_on__gte=start, proposed_on__lte=end)
        # Likewise a proposal without its date counts in the year it is recorded for.
        | Q(proposed_on__isnull=True, year__gte=first_year, year__lte=year)
    )


def _assessment_count_expressions(
    entries: list[IndicatorDefinition], day: datetime.date, first_year: int, year: int
) -> dict[str, Count]:
    """A3/A4-like: assessments the programme supported (`Assessment.objects.supported()`) and
    completed in the years by `day`; beside them ("<code>+") those started in the years by
    then and not completed by `day`, which the reports show as in progress."""
    expressions = {}
    for entry in entries:
        start, end = _years_so_far(_counted_from(entry, first_year, year), year, day)
        kind = Q(kind=ASSESSMENT_KINDS[entry.record])
        completed = Q(
            status=Assessment.Status.COMPLETED, completed_on__gte=start, completed_on__lte=end
        )
        running = Q(started_on__gte=start, started_on__lte=end) & ~Q(
            status=Assessment.Status.COMPLETED, completed_on__lte=day
        )
        expressions[entry.code] = Count("pk", filter=completed & kind)
        expressions[f"{entry.code}+"] = Count("pk", filter=running & kind)
    return expressions


def _record_counts(
    entries: list[IndicatorDefinition], moments: list[tuple[datetime.date, int]], first_year: int
) -> list[dict[str, int]]:
    """Each count entry's count (and its assessments in progress) at each moment (as of its day,
    counting its year): one query for projects, one for assessments."""
    projects = [entry for entry in entries if entry.record not in ASSESSMENT_KINDS]
    assessments = [entry for entry in entries if entry.record in ASSESSMENT_KINDS]
    counts: dict[str, int] = {}
    if projects:
        counts |= SupportProject.objects.aggregate(
            **{
                f"{entry.code}@{index}": Count(
                    "pk",
                    filter=_project_q(
                        entry.record, day, _counted_from(entry, first_year, year), year
                    ),
                )
                for index, (day, year) in enumerate(moments)
                for entry in projects
            }
        )
    if assessments:
        counts |= Assessment.objects.supported().aggregate(
            **{
                f"{code}@{index}": expression
                for index, (day, year) in enumerate(moments)
                for code, expression in _assessment_count_expressions(
                    assessments, day, first_year, year
                ).items()
            }
        )
    return _per_moment(counts, len(moments))


def _assessment_counts_by(
    entries: list[IndicatorDefinition], day: datetime.date, first_year: int, year: int, group: Any
) -> dict[int | None, dict[str, int]]:
    if not entries:
        return {}
    rows = (
        Assessment.objects.supported()
        .order_by()
        .annotate(group_key=_group_by(group, "facility__"))
        .values("group_key")
        .annotate(**_assessment_count_expressions(entries, day, first_year, year))
    )
    codes = [entry.code for entry in entries]
    return {row.pop("group_key"): row for row in rows if any(row[code] for code in codes)}


def _savings_on(days: list[datetime.date], *, kept: bool) -> list[dict[int, Saving]]:
    """Per day, facility pk → its savings that day, for the facilities in the denominator that
    apply CP and have a comparison: their kept savings (one query a day, two for several), or
    `_compare_savings` made live. Each day's once within `one_reading()`."""
    readings = _readings.get()
    if readings is None:
        readings = {}
    wanted = [day for day in dict.fromkeys(days) if ("savings", day, kept) not in readings]
    if kept and len(wanted) > 1:
        for day, found in _kept_savings(wanted).items():
            readings[("savings", day, kept)] = found
    for day in wanted:
        if ("savings", day, kept) not in readings:
            readings[("savings", day, kept)] = _savings_of_day(day, kept=kept)
    return [readings[("savings", day, kept)] for day in days]


def _savings_of_day(day: datetime.date, *, kept: bool) -> dict[int, Saving]:
    if not kept:
        return {pk: Saving.of(found) for pk, found in _comparisons(day, kept=False).items()}
    counted = FacilityState.objects.covering(day).filter(in_denominator=True, applying=True)
    rows = (
        FacilitySaving.objects.covering(day)
        .filter(facility_id__in=counted.values("facility_id"))
        .values_list("facility_id", "figures")
    )
    return {pk: Saving.from_json(figures) for pk, figures in rows}


def _kept_savings(days: list[datetime.date]) -> dict[datetime.date, dict[int, Saving]]:
    """`_savings_of_day` of several days from the kept rows: the counted states and the savings
    covering any of them (two queries), each saving read once whatever the days it covers."""
    any_day = functools.reduce(operator.or_, (covering_q(day) for day in days))
    counted: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    states = FacilityState.objects.filter(any_day, in_denominator=True, applying=True)
    for pk, start, end in states.values_list("facility_id", "valid_from", "valid_to"):
        counted[pk].append((start, end))
    found: dict[datetime.date, dict[int, Saving]] = {day: {} for day in days}
    rows = FacilitySaving.objects.filter(any_day, facility_id__in=states.values("facility_id"))
    for pk, start, end, figures in rows.values_list(
        "facility_id", "valid_from", "valid_to", "figures"
    ):
        saving = None
        for day in days:
            if _covers(start, end, day) and any(_covers(*span, day) for span in counted[pk]):
                saving = saving or Saving.from_json(figures)
                found[day][pk] = saving
    return found


def _covers(start: datetime.date, end: datetime.date | None, day: datetime.date) -> bool:
    """A span (`covering_q`'s) covers `day`."""
    return start <= day and (end is None or end > day)


def _comparisons(day: datetime.date, *, kept: bool) -> dict[int, FacilitySavings]:
    """`_compare_savings`, once per day within `one_reading()`."""
    return _once(("comparisons", day, kept), lambda: _compare_savings(day, kept=kept))


def _compare_savings(day: datetime.date, *, kept: bool) -> dict[int, FacilitySavings]:
    """Facility pk → its T3 comparison on `day`, for applying facilities that have a like
    period to compare (whether or not it gives a T3 figure: see `FacilitySavings.combined`).

    The same choice as `assessments.savings.facility_savings(facility, on=day)` (the same
    `compared_reports` and `compare`), with the reports in force on `day` instead of today: for
    each period the latest version approved by the end of `day`, so a correction approved later
    does not change a past figure. Five queries however many facilities.
    """
    # The baseline of the latest detailed assessment completed by `day` (baseline_for(on=day)),
    # of the facilities in the denominator that apply CP that day: their kept states, or the
    # records (whether they apply asked per baseline: a few in a hundred facilities have one).
    if kept:
        counted = FacilityState.objects.covering(day).filter(in_denominator=True, applying=True)
        facilities, applying = counted.values("facility_id"), Q()
    else:
        facilities = Facility.objects.in_denominator_on(day).values("pk")
        applying = applying_q(day, facility="assessment__facility_id", per_row=True)
    assessed = Assessment.objects.filter(
        facility__in=facilities,
        kind=Assessment.Kind.DETAILED,
        status=Assessment.Status.COMPLETED,
        completed_on__lte=day,
        baseline__isnull=False,
    )
    baselines: dict[int, Baseline] = {}
    for pk, facility_id, year, output, unit in (
        Baseline.objects.filter(assessment__in=assessed)
        .filter(applying)
        .order_by("-assessment__completed_on", "-assessment_id")
        .values_list("pk", "assessment__facility_id", "year", "output", "output_unit")
    ):
        if facility_id not in baselines:
            # Unsaved stand-ins with what compare() reads: rows are cheaper than instances.
            baselines[facility_id] = Baseline(pk=pk, year=year, output=output, output_unit=unit)
    if not baselines:
        return {}
    chosen = _reports_compared(baselines, day)
    if not chosen:
        return {}
    # The lines of the baselines and of the chosen reports in one query, as light rows (a
    # prefetch would build a queryset per baseline, and a model instance per line costs more
    # than the arithmetic done with it).
    resources: dict[int, Resource] = {}
    lines: dict[tuple[str, int], list[Line]] = defaultdict(list)
    baseline_part = (
        BaselineConsumption.objects.filter(
            baseline_id__in=[baselines[facility_id].pk for facility_id in chosen]
        )
        .annotate(side=Value("baseline"), owner=F("baseline_id"))
        .values_list("side", "owner", *LINE_FIELDS)
    )
    report_part = (
        SelfReportConsumption.objects.filter(
            report_id__in=[report.pk for reports in chosen.values() for report in reports]
        )
        .annotate(side=Value("report"), owner=F("report_id"))
        .values_list("side", "owner", *LINE_FIELDS)
    )
    for side, owner, *line in baseline_part.union(report_part, all=True):
        lines[(side, owner)].append(line_of(line, resources))

    factors = _once(("factors",), factor_table)
    comparisons: dict[int, FacilitySavings] = {}
    for facility_id, reports in chosen.items():
        baseline = baselines[facility_id]
        comparisons[facility_id] = compare(
            baseline,
            lines[("baseline", baseline.pk)],  # type: ignore[arg-type]  # what compare() reads
            reports,
            [line for report in reports for line in lines[("report", report.pk)]],  # type: ignore[misc]
            factors,
        )
    return comparisons


# A report as read for the choice: pk, facility, kind, year, quarter, output, unit.
_ReportRow = tuple[int, int, str, int, int | None, Decimal | None, str]


def _reports_compared(
    baselines: dict[int, Baseline], day: datetime.date
) -> dict[int, list[SelfReport]]:
    """Per facility, the reports facility_savings() would compare with its baseline on `day`:
    `compared_reports`' like period (a year report, or four consecutive quarters) among the
    reports in force that day (`SelfReport.objects.in_force(on=day)`); none when a report of
    it counts output in another unit than the baseline.

    Only the facilities with a baseline are read (a few in a hundred: their ids go in the
    query), as plain tuples, and only the chosen reports become (never saved) SelfReports: one
    query, and little Python, however many reports the facilities have.
    """
    by_facility: dict[int, dict[tuple[str, int, int | None], _ReportRow]] = defaultdict(dict)
    for row in (
        SelfReport.objects.in_force(on=day)
        .filter(
            facility_id__in=list(baselines),
            year__gt=min(baseline.year for baseline in baselines.values()),
            year__lte=day.year,
        )
        # A period in force twice (a correction of a version not approved): the last wins.
        .order_by("pk")
        .values_list("pk", "facility_id", "period_kind", "year", "quarter", "output", "output_unit")
    ):
        _pk, facility_id, kind, year, quarter, *_rest = row
        by_facility[facility_id][(kind, year, quarter)] = row
    chosen = {}
    for facility_id, periods in by_facility.items():
        baseline = baselines[facility_id]
        rows = compared_reports(periods, baseline_year=baseline.year, day=day)
        if not rows or any(row[6] != baseline.output_unit for row in rows):
            continue
        chosen[facility_id] = [
            SelfReport(
                pk=pk,
                facility_id=facility_id,
                period_kind=kind,
                year=year,
                quarter=quarter,
                output=output,
                output_unit=unit,
                status=SelfReport.Status.APPROVED,
            )
            for pk, facility_id, kind, year, quarter, output, unit in rows
        ]
    return chosen


# --- figures and their status ---------------------------------------------------------------


def _texts(entry: IndicatorDefinition) -> dict[str, str]:
    return {
        "name": entry.name,
        "name_en": entry.name_en,
        "definition": entry.definition,
        "definition_en": entry.definition_en,
    }


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    return Decimal(numerator) / Decimal(denominator) if denominator else None


def _band(target: Target | None) -> dict[str, Decimal | int | None]:
    if target is None:
        return {"floor": None, "stretch": None, "milestone_year": None}
    return {
        "floor": target.floor,
        "stretch": target.stretch,
        "milestone_year": target.milestone_year,
    }


def _share_figure(
    entry: IndicatorDefinition,
    numerator: int,
    denominator: int,
    target: Target | None,
    first_year: int,
    as_of: datetime.date,
) -> Figure:
    value = _ratio(numerator, denominator)
    return Figure(
        indicator=entry.code,
        label=entry.label,
        value=value,
        numerator=numerator,
        denominator=denominator,
        status=_level_status(value, target, first_year, as_of),
        kind=entry.kind,
        texts=_texts(entry),
        **_band(target),
    )


def _savings_figure(
    entry: IndicatorDefinition,
    comparisons: list[Saving],
    applying: int,
    target: Target | None,
    first_year: int,
    as_of: datetime.date,
) -> Figure:
    """T3 (see its catalogue definition): the median of the facilities' figures, against the band.

    `comparisons` are the applying facilities' like-period comparisons, `applying` the number
    of applying facilities (T2's numerator, for the same facilities). The value is the median of
    the facilities that have a figure; the count reaching the floor (the figure's numerator) and
    the shares reaching the floor and the stretch are out of ALL applying facilities (the
    figure's denominator), as the plan reads "at applying facilities": a facility without a
    figure does not reach the floor. The coverage (facilities with a figure of the applying
    ones) is its own number, beside the resource-level medians of energy (TOE), water and main
    material, each over the facilities that have that saving, and the number of facilities
    whose energy saving is missing for want of a TOE factor.
    """
    figures = [s for s in (family_saving(entry, c) for c in comparisons) if s is not None]
    median = _median(figures)
    reaching_floor = reaching_stretch = None
    if target is not None:
        reaching_floor = sum(1 for s in figures if s >= target.floor)
        reaching_stretch = sum(1 for s in figures if s >= target.stretch)
    energy = [c.energy for c in comparisons if c.energy is not None]
    water = [c.water for c in comparisons if c.water is not None]
    material = [c.material for c in comparisons if c.material is not None]

    def share(count: int | None) -> Decimal | None:
        return _ratio(count, applying) if count is not None else None

    return Figure(
        indicator=entry.code,
        label=entry.label,
        value=median,
        numerator=reaching_floor,
        denominator=applying,
        status=_level_status(median, target, first_year, as_of),
        kind=entry.kind,
        texts=_texts(entry),
        extra={
            "median": median,
            "share_reaching_floor": share(reaching_floor),
            "share_reaching_stretch": share(reaching_stretch),
            "facilities_with_figure": len(figures),
            "applying_facilities": applying,
            "coverage": _ratio(len(figures), applying),
            "reaching_floor": reaching_floor,
            "reaching_stretch": reaching_stretch,
            "median_energy": _median(energy),
            "facilities_with_energy": len(energy),
            "median_water": _median(water),
            "facilities_with_water": len(water),
            "median_material": _median(material),
            "facilities_with_material": len(material),
            "facilities_lacking_factor": sum(1 for c in comparisons if c.lacking_factor),
        },
        **_band(target),
    )


def _count_figure(
    entry: IndicatorDefinition,
    counts: dict[str, int],
    target: Target | None,
    as_of: datetime.date,
    *,
    first_year: int,
    year: int,
) -> Figure:
    """A yearly count against its yearly floor, or a cumulative one against its milestone's
    band (by pace, like a share: see `_level_status`)."""
    count = counts.get(entry.code, 0)
    in_progress = counts.get(f"{entry.code}+")
    if entry.cumulative:
        status = _level_status(Decimal(count), target, first_year, as_of)
    else:
        status = _count_status(count, target, as_of, year)
    return Figure(
        indicator=entry.code,
        label=entry.label,
        value=Decimal(count),
        numerator=count,
        denominator=None,
        status=status,
        extra={} if in_progress is None else {"in_progress": in_progress},
        year=year,
        unit=entry.unit,
        kind=entry.kind,
        texts=_texts(entry),
        from_year=_counted_from(entry, first_year, year) if entry.cumulative else None,
        **_band(target),
    )


def _median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _level_status(
    value: Decimal | None, target: Target | None, first_year: int, as_of: datetime.date
) -> str:
    """A share or a saving against its milestone band, decided on the unrounded value.

    At or above the floor: met once the milestone year has come, on track before. Below it,
    while the milestone year has not ended: on track if the value keeps pace with a straight
    line from nothing at the start of the plan to the floor at the end of the milestone year
    (a line, so the status does not jump between two days with the same data), else behind.
    Once the milestone year has ended: not met.
    """
    if value is None:
        return Status.NO_DATA
    if target is None:
        return Status.NO_TARGET
    if value >= target.floor:
        return Status.MET if as_of.year >= target.milestone_year else Status.ON_TRACK
    end = datetime.date(target.milestone_year, 12, 31)
    if as_of >= end:
        return Status.NOT_MET
    start = datetime.date(first_year, 1, 1)
    return Status.ON_TRACK if value >= target.floor * _elapsed(start, end, as_of) else Status.BEHIND


def _count_status(count: int, target: Target | None, as_of: datetime.date, year: int) -> str:
    """A yearly count of `year` against its floor: met once reached; while the year runs, on
    track if it keeps pace with the days gone by, else behind; once the year is over (31/12),
    not met."""
    if target is None:
        return Status.NO_TARGET
    if count >= target.floor:
        return Status.MET
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if as_of >= end:
        return Status.NOT_MET
    return Status.ON_TRACK if count >= target.floor * _elapsed(start, end, as_of) else Status.BEHIND


def _elapsed(start: datetime.date, end: datetime.date, day: datetime.date) -> Decimal:
    """The share of the days from `start` to `end` (both whole) gone by at the end of `day`,
    between 0 and 1."""
    total = (end - start).days + 1
    if total <= 0:
        return Decimal(1)
    gone = (day - start).days + 1
    return min(max(Decimal(gone) / Decimal(total), Decimal(0)), Decimal(1))


# --- breakdown groups -----------------------------------------------------------------------


def _groups(by: str, ids: set[int | None]) -> list[tuple[int | None, str, str]]:
    """(pk, key, label) of each group, in the order of their codes (size classes by rank).

    The key is the code for sectors and size classes, and the pk for areas: a unit's code can
    come back with another validity period.
    """
    known = [pk for pk in ids if pk is not None]
    groups: list[tuple[int | None, str, str]]
    if by in AREA_BREAKDOWNS:
        units = AdministrativeUnit.objects.filter(pk__in=known).order_by("code", "valid_from")
        groups = [(unit.pk, str(unit.pk), unit.name) for unit in units]
    elif by == "sector":
        sectors = Sector.objects.filter(pk__in=known).order_by("code")
        groups = [(sector.pk, sector.code, f"{sector.code} – {sector.name}") for sector in sectors]
    else:
        sizes = SizeClass.objects.filter(pk__in=known).order_by("rank")
        groups = [(size.pk, size.code, size.name) for size in sizes]
    if None in ids:
        # A facility whose sector has no parent (a level-1 or level-2 code entered directly).
        groups.append((None, "", str(_("Chưa xác định"))))
    return groups


def _group_by(group: Any, through: str = "") -> Any:
    """What a breakdown groups rows by: a field path from the facility, or for areas a
    function of the path to the facility (`unit_on`)."""
    return F(f"{through}{group}") if isinstance(group, str) else group(through=through)
