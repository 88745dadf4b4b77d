"""Savings per unit of product (target T3): a facility's baseline against its approved reports.

Intensity is consumption per unit of product; a saving is `(baseline − current) / baseline` of
that intensity, as a plain Decimal ratio (0.13 = 13%). Nothing is rounded here: rounding is for
display.

What a facility's T3 figure compares (`compared_reports`, shared with the indicator engine's fast
path, so the facility page and the provincial figure never disagree):

- like periods: the baseline is a calendar year, so it is compared with a whole year, never
  with a single quarter (a quarter against a year measures the season, not the savings). The
  period is the facility's latest year report after the baseline year or its latest four
  consecutive quarters after the baseline year (summed: consumption and output), whichever
  ends later; on the same end (a year and its own four quarters) the year report, the
  facility's own annual figure. Only the approved figures in force count, ended by the date.
- TOE: energy resources are added up in TOE, the baseline and the compared period converted with
  the SAME factors, those valid on the last day of the compared period (`factor_day`). A new
  legal factor then changes how energy carriers are weighed against each other, never the
  saving of a plant whose consumption did not change; the factors used are kept with the
  figure (`FacilitySavings.factors`). An energy resource consumed on either side that has no
  factor on that day leaves the energy saving undefined and is named in
  `FacilitySavings.missing_factors` (a warning, never a silent zero).
- the facility's figure (`FacilitySavings.combined`) is the plain mean of its energy saving
  and its main-material saving; a facility lacking either of them has no T3 figure (its
  resource-level savings still show). The text the reports print is T3's definition in the
  indicator catalogue (`programs.IndicatorDefinition`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    ConversionFactor,
    EmissionFactor,
    ReportingSchedule,
    Resource,
    SelfReport,
    SelfReportConsumption,
    SelfReportQuerySet,
)
from facilities.models import Facility, Product, ProductUnit

ENERGY_KINDS = (Resource.Kind.ELECTRICITY, Resource.Kind.FUEL)

# What `FacilitySavings.energy` is about: all energy resources added up in TOE. An unsaved
# stand-in (pk None, never to be saved), shared so that equal results compare equal.
TOE_TOTAL = Resource(code="toe", name=gettext_lazy("Năng lượng (quy đổi TOE)"), unit="TOE", kind="")


def toe_factor(resource: Resource, day: datetime.date) -> Decimal | None:
    """TOE per unit of `resource` by the factor valid on `day`, None if none is.

    A new legal text is entered as a new row with a later `valid_from`, often leaving the old
    row open-ended, so several rows may be "valid" on one day: the latest start wins.
    """
    factor = (
        ConversionFactor.objects.filter(resource=resource)
        .valid_on(day)
        .order_by("-valid_from")
        .first()
    )
    return factor.toe_per_unit if factor is not None else None


def intensity(quantity: Decimal | None, output: Decimal | None) -> Decimal | None:
    """Consumption per unit of product; None without a quantity or without output to divide by."""
    if quantity is None or output is None or output == 0:
        return None
    return quantity / output


def saving(baseline_intensity: Decimal | None, current_intensity: Decimal | None) -> Decimal | None:
    """The share by which intensity fell against the baseline (negative when it rose)."""
    if baseline_intensity is None or baseline_intensity == 0 or current_intensity is None:
        return None
    return (baseline_intensity - current_intensity) / baseline_intensity


@dataclass(frozen=True)
class ResourceSaving:
    resource: Resource
    baseline_intensity: Decimal | None
    current_intensity: Decimal | None
    saving: Decimal | None


@dataclass(frozen=True)
class UsedFactor:
    """A conversion factor a comparison used, for both its baseline and its compared period."""

    resource: Resource
    factor: ConversionFactor

    @property
    def toe_per_unit(self) -> Decimal:
        return self.factor.toe_per_unit


@dataclass(frozen=True)
class FacilitySavings:
    """One like period measured against the facility's baseline.

    `baseline_unit` is the code of a `ProductUnit` (e.g. "t"); `ProductUnit.label()`
    gives the label. The compared period is one year report or four consecutive quarters
    (`period_label` "Quý 1/2020 – Quý 4/2020", `reports` their pks); see `compared_reports`.
    `resources` lists every resource reported at baseline or in the period, in the resources'
    own order. `energy` adds all energy resources up in TOE per unit of product, both sides with
    the factors valid on `factor_day` (the period's last day), listed in `factors`; its
    `resource` is `TOE_TOTAL`, an unsaved stand-in (pk None, unit "TOE"). `missing_factors`
    are the energy resources consumed on either side without a factor that day: the energy
    saving is then None.

    `material` and `water` are the savings of the MATERIAL resources (the main material) and of
    the WATER resources, each the mean of its resources' savings when every one of them has one
    (in practice one resource each), else None.

    `combined` is the facility's figure for target T3 ("savings of energy and raw material per
    unit of product"): the unweighted mean of `energy.saving` and `material`, None unless both
    exist. Energy counts once, as the TOE total, so a plant burning five fuels does not weigh
    energy five times, and a switch of fuel shows as what it is. Energy and materials share no
    unit (no prices are stored to weigh them by cost), hence the plain mean; a figure made of
    one of them alone would mean something else than the other facilities' figures, so there is
    none (the coverage of T3 says how many facilities have one). Water is reported per
    resource but is not part of T3.
    """

    baseline_year: int
    baseline_unit: str
    period_label: str
    period_start: datetime.date
    period_end: datetime.date
    reports: tuple[int, ...]
    resources: list[ResourceSaving]
    energy: ResourceSaving | None
    material: Decimal | None
    water: Decimal | None
    combined: Decimal | None
    factor_day: datetime.date
    factors: tuple[UsedFactor, ...]
    missing_factors: tuple[Resource, ...]


# --- which period: like periods ----------------------------------------------------------------

PeriodKey = tuple[str, int, int | None]  # (period kind, year, quarter)
_R = TypeVar("_R")


def period_end(kind: str, year: int, quarter: int | None) -> datetime.date:
    """The last day of a year or of a quarter (as `SelfReport.period_end`, without an instance)."""
    if kind != SelfReport.PeriodKind.QUARTER or quarter is None:
        return datetime.date(year, 12, 31)
    return datetime.date(year + (quarter == 4), 3 * quarter % 12 + 1, 1) - datetime.timedelta(
        days=1
    )


def _quarter_before(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def compared_reports(
    reports: Mapping[PeriodKey, _R], *, baseline_year: int, day: datetime.date
) -> list[_R]:
    """The reports a facility's T3 figure compares with its baseline on `day`, oldest first.

    `reports` are the facility's reports in force, keyed by (period kind, year, quarter). A
    baseline is a whole calendar year, so the comparison is with a whole year too (a single
    quarter would measure the season): either the latest year report after the baseline year,
    or the latest four consecutive quarters all after the baseline year, whichever ends later
    (the more recent picture of the facility); on the same end, the year report (the facility's
    own annual figure, which may correct its quarters). Only periods ended by `day` count. An
    empty list when there is neither.

    Used by `facility_savings` and by the engine's fast path
    (`reporting.indicators._reports_compared`) alike, so both choose the same reports.
    """
    year_pick: tuple[int, _R] | None = None
    quarters: dict[tuple[int, int], _R] = {}
    for (kind, year, quarter), report in reports.items():
        if year <= baseline_year or period_end(kind, year, quarter) > day:
            continue
        if kind == SelfReport.PeriodKind.YEAR:
            if year_pick is None or year > year_pick[0]:
                year_pick = (year, report)
        elif quarter is not None:
            quarters[(year, quarter)] = report
    window: list[tuple[int, int]] = []
    for last in sorted(quarters, reverse=True):
        run = [last]
        while len(run) < 4 and _quarter_before(*run[-1]) in quarters:
            run.append(_quarter_before(*run[-1]))
        if len(run) == 4:
            window = run[::-1]
            break
    if window:
        window_end = period_end(SelfReport.PeriodKind.QUARTER, *window[-1])
        if year_pick is None or window_end > datetime.date(year_pick[0], 12, 31):
            return [quarters[key] for key in window]
    return [year_pick[1]] if year_pick is not None else []


def baseline_for(facility: Facility, *, on: datetime.date | None = None) -> Baseline | None:
    """The baseline of the facility's latest completed detailed assessment that has one.

    With `on`, only assessments completed by that day count, so a figure as of a past date
    does not change when a later assessment sets a new baseline. Its consumption lines come
    prefetched with their resources.
    """
    baselines = Baseline.objects.filter(
        assessment__facility=facility,
        assessment__kind=Assessment.Kind.DETAILED,
        assessment__status=Assessment.Status.COMPLETED,
    )
    if on is not None:
        baselines = baselines.filter(assessment__completed_on__lte=on)
    return (
        baselines.select_related("assessment")
        .prefetch_related(_baseline_lines())
        .order_by("-assessment__completed_on", "-assessment_id")
        .first()
    )


def facility_savings(facility: Facility, *, on: datetime.date) -> FacilitySavings | None:
    """The facility's T3 comparison as of `on`, against the baseline in force that day.

    The compared period is `compared_reports`' choice among the approved reports in force
    (a year report, or four consecutive quarters summed) that ended by `on`. None when there is
    no baseline, no such period, or a report of the period counts its output in another unit
    than the baseline (intensities would not be comparable).
    """
    baseline = baseline_for(facility, on=on)
    if baseline is None:
        return None
    reports = _approved_reports(facility).filter(year__gt=baseline.year, year__lte=on.year)
    chosen = compared_reports(
        {(r.period_kind, r.year, r.quarter): r for r in reports},
        baseline_year=baseline.year,
        day=on,
    )
    if not chosen or any(report.output_unit != baseline.output_unit for report in chosen):
        return None
    lines = list(
        SelfReportConsumption.objects.filter(report__in=[r.pk for r in chosen]).select_related(
            "resource"
        )
    )
    return compare(baseline, list(baseline.consumptions.all()), chosen, lines, factor_table())


def savings_series(facility: Facility) -> list[FacilitySavings]:
    """Every approved current report against the facility's latest baseline, oldest first.

    For the facility page's chart: one baseline for the whole series, so the points share a
    reference, and each report on its own (a quarter's point shows that quarter, season and
    all; the T3 figure is `facility_savings`, over like periods). Each point converts its
    energy with the factors of its own period end, the baseline with the same ones. Reports for
    the baseline year or earlier, and reports counted in another unit than the baseline, are
    left out (no saving can be measured). A quarter comes before the year that ends on the same
    day. Five queries whatever the number of reports.
    """
    baseline = baseline_for(facility)
    if baseline is None:
        return []
    reports = _approved_reports(facility).filter(
        year__gt=baseline.year, output_unit=baseline.output_unit
    )
    reports = sorted(reports.prefetch_related(_report_lines()), key=chronological)
    factors = factor_table()
    baseline_lines = list(baseline.consumptions.all())
    return [
        compare(baseline, baseline_lines, [report], list(report.consumptions.all()), factors)
        for report in reports
    ]


def plausibility_warnings(report: SelfReport) -> list[str]:
    """What a reviewer should look at twice in `report` (warnings, never a refusal).

    See `plausibility_warnings_for`, which this calls for one report (a few queries).
    """
    return plausibility_warnings_for([report])[report.pk]


def plausibility_warnings_for(reports: Iterable[SelfReport]) -> dict[int, list[str]]:
    """Warnings for many reports at once, keyed by report pk, in a fixed number of queries.

    - output zero or missing while some consumption is reported;
    - no output unit, or one that is not the unit of any of the facility's products;
    - an output unit other than the baseline's (the report cannot be compared with it);
    - per resource, intensity moving by more than the schedule's threshold for the report's
      period kind against the baseline, or against the previous approved current report of the
      same period kind (in the same unit);
    - a resource consumed at baseline reported as 0, or not reported at all (a fuel left out
      counts as none burnt in the TOE total);
    - an energy resource consumed in the report or at baseline without a TOE conversion factor
      valid on the report's period end: the facility's energy saving (and so its T3 figure)
      cannot be computed until one is entered.

    The baseline is the facility's latest (the one its savings page shows).
    """
    reports = list(reports)
    if not reports:
        return {}
    facility_ids = {report.facility_id for report in reports}
    previous = _previous_reports(reports, facility_ids)
    lines = _lines_by_report([*(r.pk for r in reports), *(r.pk for r in previous.values())])
    product_units: dict[int, set[str]] = defaultdict(set)
    for facility_id, unit in Product.objects.filter(facility_id__in=facility_ids).values_list(
        "facility_id", "unit"
    ):
        product_units[facility_id].add(unit)
    default_threshold = ReportingSchedule._meta.get_field("intensity_change_threshold").default
    thresholds = dict(
        ReportingSchedule.objects.values_list("period_kind", "intensity_change_threshold")
    )
    baselines = _latest_baselines(facility_ids)
    factors = factor_table()
    units = {unit.code: unit.label() for unit in ProductUnit.objects.all()}
    warnings: dict[int, list[str]] = {}
    for report in reports:
        earlier = previous.get(report.pk)
        warnings[report.pk] = _warnings(
            report,
            lines=lines.get(report.pk, []),
            product_units=product_units[report.facility_id],
            baseline=baselines.get(report.facility_id),
            previous=earlier,
            previous_lines=lines.get(earlier.pk, []) if earlier else [],
            threshold=thresholds.get(report.period_kind, default_threshold),
            factors=factors,
            units=units,
        )
    return warnings


# --- internals ----------------------------------------------------------------------------


_F = TypeVar("_F", ConversionFactor, EmissionFactor)


class _FactorTable(Generic[_F]):
    """All factors of one kind (TOE or emission), loaded once; the same choice as
    `toe_factor` without a query: the latest start valid on the day wins."""

    def __init__(self, factors: Iterable[_F]) -> None:
        self._by_resource: dict[int, list[_F]] = defaultdict(list)
        for factor in sorted(factors, key=lambda f: f.valid_from, reverse=True):
            self._by_resource[factor.resource_id].append(factor)

    def factor_on(self, resource_id: int, day: datetime.date) -> _F | None:
        for factor in self._by_resource.get(resource_id, []):
            if factor.valid_from <= day and (factor.valid_to is None or factor.valid_to >= day):
                return factor
        return None

    def on(self, resource_id: int, day: datetime.date) -> Decimal | None:
        factor = self.factor_on(resource_id, day)
        return factor.toe_per_unit if isinstance(factor, ConversionFactor) else None


def factor_table() -> _FactorTable[ConversionFactor]:
    return _FactorTable(
        ConversionFactor.objects.filter(resource__kind__in=ENERGY_KINDS).select_related("resource")
    )


def emission_factor_table() -> _FactorTable[EmissionFactor]:
    """The emission factors (tCO₂e per unit), chosen by date like the TOE factors."""
    return _FactorTable(
        EmissionFactor.objects.filter(resource__kind__in=ENERGY_KINDS).select_related("resource")
    )


def _baseline_lines() -> Prefetch:
    return Prefetch("consumptions", queryset=BaselineConsumption.objects.select_related("resource"))


def _report_lines() -> Prefetch:
    return Prefetch(
        "consumptions", queryset=SelfReportConsumption.objects.select_related("resource")
    )


def _approved_reports(facility: Facility) -> SelfReportQuerySet:
    return SelfReport.objects.in_force().filter(facility=facility)


def chronological(report: SelfReport) -> tuple[datetime.date, bool, int, int]:
    # A year sorts after the quarter that ends on the same day; the pk settles the rest.
    return (
        report.period_end,
        report.period_kind == SelfReport.PeriodKind.YEAR,
        report.version,
        report.pk or 0,
    )


class Line(NamedTuple):
    """A consumption line of a baseline or a report, with just what `compare` and the warnings
    read: a light row where thousands are read at once (a model instance per line costs more
    than the arithmetic done with it)."""

    resource_id: int
    quantity: Decimal
    resource: Resource


# A line's quantity and its resource, read with it (no query of their own).
LINE_FIELDS = (
    "resource_id",
    "quantity",
    "resource__code",
    "resource__name",
    "resource__unit",
    "resource__kind",
    "resource__rank",
)


def line_of(values: Iterable[Any], resources: dict[int, Resource]) -> Line:
    """A `Line` from the values of LINE_FIELDS; `resources` shares one Resource per pk."""
    resource_id, quantity, code, name, unit, kind, rank = values
    if resource_id not in resources:
        resources[resource_id] = Resource(
            pk=resource_id, code=code, name=name, unit=unit, kind=kind, rank=rank
        )
    return Line(resource_id, quantity, resources[resource_id])


def _lines_by_report(report_ids: list[int]) -> dict[int, list[Line]]:
    """The reports' lines, with the resources read once (a small table): two queries."""
    resources = Resource.objects.in_bulk()
    grouped: dict[int, list[Line]] = defaultdict(list)
    for report_id, resource_id, quantity in SelfReportConsumption.objects.filter(
        report_id__in=report_ids
    ).values_list("report_id", "resource_id", "quantity"):
        grouped[report_id].append(Line(resource_id, quantity, resources[resource_id]))
    return grouped


def _previous_reports(reports: list[SelfReport], facility_ids: set[int]) -> dict[int, SelfReport]:
    """Per report, the approved report in force of the same facility and period kind that
    ended before it began, the latest in `chronological` order, as an unsaved stand-in with
    what `_warnings` reads. One query of plain rows (a facility has many periods)."""
    history: dict[tuple[int, str], list[tuple[Any, ...]]] = defaultdict(list)
    for pk, facility_id, kind, year, quarter, version, output, unit in (
        SelfReport.objects.in_force()
        .filter(facility_id__in=facility_ids, year__lte=max(report.year for report in reports))
        .order_by()
        .values_list(
            "pk",
            "facility_id",
            "period_kind",
            "year",
            "quarter",
            "version",
            "output",
            "output_unit",
        )
    ):
        # Within one period kind, (year, quarter) orders the periods as their ends do.
        history[(facility_id, kind)].append((year, quarter or 0, version, pk, output, unit))
    found: dict[int, SelfReport] = {}
    for report in reports:
        start = (report.year, report.quarter or 0)
        kind = report.period_kind
        earlier = [row for row in history[(report.facility_id, kind)] if row[:2] < start]
        if earlier:
            year, quarter, version, pk, output, unit = max(earlier)
            found[report.pk] = SelfReport(
                pk=pk,
                facility_id=report.facility_id,
                period_kind=kind,
                year=year,
                quarter=quarter or None,
                version=version,
                output=output,
                output_unit=unit,
                status=SelfReport.Status.APPROVED,
            )
    return found


def _latest_baselines(facility_ids: set[int]) -> dict[int, Baseline]:
    """`baseline_for(facility)` for many facilities in two queries."""
    baselines = (
        Baseline.objects.filter(
            assessment__facility_id__in=facility_ids,
            assessment__kind=Assessment.Kind.DETAILED,
            assessment__status=Assessment.Status.COMPLETED,
        )
        .select_related("assessment")
        .prefetch_related(_baseline_lines())
        .order_by("-assessment__completed_on", "-assessment_id")
    )
    latest: dict[int, Baseline] = {}
    for baseline in baselines:
        latest.setdefault(baseline.assessment.facility_id, baseline)
    return latest


def _quantities(lines: Iterable[BaselineConsumption | SelfReportConsumption]) -> dict[int, Decimal]:
    """Quantity per resource; the lines of several reports (four quarters) add up."""
    totals: dict[int, Decimal] = {}
    for line in lines:
        totals[line.resource_id] = totals.get(line.resource_id, Decimal(0)) + line.quantity
    return totals


class _ReportLike(Protocol):
    """What `compare` reads of a report: a SelfReport, or the engine's unsaved stand-in."""

    pk: int | None
    output: Decimal | None

    @property
    def period_label(self) -> str: ...

    @property
    def period_start(self) -> datetime.date: ...

    @property
    def period_end(self) -> datetime.date: ...


def _toe(quantities: dict[int, Decimal], factors: dict[int, ConversionFactor]) -> Decimal | None:
    """Total TOE of the energy resources by `factors` (one per resource consumed on either
    side). An energy resource missing on one side counts as none consumed, so a switch from coal
    to gas shows in the total instead of dropping out of it."""
    return sum(
        (quantities.get(pk, Decimal(0)) * factor.toe_per_unit for pk, factor in factors.items()),
        Decimal(0),
    )


def _mean_of_kind(rows: list[ResourceSaving], kind: str) -> Decimal | None:
    """The mean saving of the resources of `kind`; None if there is none or one has no saving."""
    savings = [row.saving for row in rows if row.resource.kind == kind]
    if not savings or any(value is None for value in savings):
        return None
    return sum(savings, Decimal(0)) / len(savings)  # type: ignore[arg-type]


def compare(
    baseline: Baseline,
    baseline_lines: Sequence[BaselineConsumption],
    reports: Sequence[_ReportLike],
    report_lines: Sequence[SelfReportConsumption],
    factors: _FactorTable[ConversionFactor],
) -> FacilitySavings:
    """`baseline` against the period made of `reports` (one, or consecutive quarters, oldest
    first) whose consumption lines, all together, are `report_lines`.

    Consumption and output of the reports add up; the output is unknown if one report lacks it.
    Energy is converted with the factors valid on the period's last day, on both sides.
    """
    first, last = reports[0], reports[-1]
    outputs = [report.output for report in reports]
    output = None if any(o is None for o in outputs) else sum(outputs, Decimal(0))  # type: ignore[arg-type]
    before, after = _quantities(baseline_lines), _quantities(report_lines)
    resources = {line.resource_id: line.resource for line in [*baseline_lines, *report_lines]}
    rows = []
    for resource in sorted(resources.values(), key=lambda r: (r.rank, r.name, r.pk)):
        baseline_intensity = intensity(before.get(resource.pk), baseline.output)
        current_intensity = intensity(after.get(resource.pk), output)
        rows.append(
            ResourceSaving(
                resource=resource,
                baseline_intensity=baseline_intensity,
                current_intensity=current_intensity,
                saving=saving(baseline_intensity, current_intensity),
            )
        )

    # One factor per resource for both sides: a new legal factor must not read as a saving.
    factor_day = last.period_end
    energy = None
    used: dict[int, ConversionFactor] = {}
    missing: list[Resource] = []
    consumed = sorted(
        (
            resource
            for resource in resources.values()
            if resource.is_energy and (before.get(resource.pk) or after.get(resource.pk))
        ),
        key=lambda r: (r.rank, r.name, r.pk),
    )
    for resource in consumed:
        factor = factors.factor_on(resource.pk, factor_day)
        if factor is None:
            missing.append(resource)
        else:
            used[resource.pk] = factor
    if any(resource.is_energy for resource in resources.values()):
        baseline_toe = current_toe = None
        if not missing:
            baseline_toe, current_toe = _toe(before, used), _toe(after, used)
        baseline_intensity = intensity(baseline_toe, baseline.output)
        current_intensity = intensity(current_toe, output)
        energy = ResourceSaving(
            resource=TOE_TOTAL,
            baseline_intensity=baseline_intensity,
            current_intensity=current_intensity,
            saving=saving(baseline_intensity, current_intensity),
        )

    material = _mean_of_kind(rows, Resource.Kind.MATERIAL)
    energy_saving = energy.saving if energy is not None else None
    combined = (
        (energy_saving + material) / 2
        if energy_saving is not None and material is not None
        else None
    )
    return FacilitySavings(
        baseline_year=baseline.year,
        baseline_unit=baseline.output_unit,
        period_label=(
            str(first.period_label)
            if len(reports) == 1
            else f"{first.period_label} – {last.period_label}"
        ),
        period_start=first.period_start,
        period_end=last.period_end,
        reports=tuple(report.pk or 0 for report in reports),
        resources=rows,
        energy=energy,
        material=material,
        water=_mean_of_kind(rows, Resource.Kind.WATER),
        combined=combined,
        factor_day=factor_day,
        # With a factor missing no conversion was made: nothing was used.
        factors=()
        if missing
        else tuple(
            UsedFactor(resource=resource, factor=used[resource.pk]) for resource in consumed
        ),
        missing_factors=tuple(missing),
    )


def _percent(change: Decimal) -> str:
    # Past tenfold the exact figure says nothing more, and huge ratios overflow quantize().
    if abs(change) >= 10:
        return "> 1000%"
    return f"{(abs(change) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def _change(reference: Decimal | None, current: Decimal | None) -> Decimal | None:
    """How much intensity moved against `reference`, as a ratio (positive when it rose)."""
    fall = saving(reference, current)
    return -fall if fall is not None else None


def _against_baseline(resource: Resource, change: Decimal, year: int) -> str:
    values = {"resource": resource.label, "percent": _percent(change), "year": year}
    if change > 0:
        return _("Suất tiêu hao %(resource)s tăng %(percent)s so với năm cơ sở %(year)s.") % values
    return _("Suất tiêu hao %(resource)s giảm %(percent)s so với năm cơ sở %(year)s.") % values


def _against_previous(resource: Resource, change: Decimal, period: str) -> str:
    values = {"resource": resource.label, "percent": _percent(change), "period": period}
    if change > 0:
        return _("Suất tiêu hao %(resource)s tăng %(percent)s so với báo cáo %(period)s.") % values
    return _("Suất tiêu hao %(resource)s giảm %(percent)s so với báo cáo %(period)s.") % values


def _missing_factor_warnings(
    report: SelfReport,
    lines: list[Line],
    baseline: Baseline | None,
    factors: _FactorTable[ConversionFactor],
) -> list[str]:
    """One warning per energy resource consumed (in the report or at baseline) that has no
    TOE factor on the report's period end: `compare` converts both sides with that day's
    factors, so without it the facility has no energy saving and no T3 figure."""
    consumed = {line.resource_id: line.resource for line in lines if line.quantity}
    if baseline is not None:
        for line in baseline.consumptions.all():
            if line.quantity:
                consumed.setdefault(line.resource_id, line.resource)
    day = report.period_end
    return [
        _(
            "Chưa có hệ số quy đổi TOE của %(resource)s có hiệu lực ngày %(date)s: không tính "
            "được mức tiết kiệm năng lượng (và chỉ tiêu T3) của cơ sở cho đến khi bổ sung hệ số."
        )
        % {"resource": resource.label, "date": day.strftime("%d/%m/%Y")}
        for resource in sorted(consumed.values(), key=lambda r: (r.rank, r.name, r.pk))
        if resource.is_energy and factors.factor_on(resource.pk, day) is None
    ]


def _warnings(
    report: SelfReport,
    *,
    lines: list[Line],
    product_units: set[str],
    baseline: Baseline | None,
    previous: SelfReport | None,
    previous_lines: list[Line],
    threshold: Decimal,
    factors: _FactorTable[ConversionFactor],
    units: dict[str, str],
) -> list[str]:
    """`units`: each product unit's name by its code."""
    found: list[str] = []
    quantities = _quantities(lines)
    found += _missing_factor_warnings(report, lines, baseline, factors)

    if (report.output is None or report.output == 0) and any(q > 0 for q in quantities.values()):
        found.append(
            _(
                "Sản lượng bằng 0 hoặc chưa khai báo trong khi có số liệu tiêu thụ: "
                "không tính được suất tiêu hao."
            )
        )
    if not report.output_unit:
        if report.output is not None:
            found.append(_("Báo cáo chưa ghi đơn vị sản phẩm."))
    elif report.output_unit not in product_units:
        found.append(
            _(
                "Đơn vị sản phẩm của báo cáo (%(unit)s) không phải đơn vị của sản phẩm nào "
                "đã đăng ký cho cơ sở."
            )
            % {"unit": units.get(report.output_unit, report.output_unit)}
        )

    comparable_baseline = None
    if baseline is not None:
        if report.output_unit and report.output_unit != baseline.output_unit:
            found.append(
                _(
                    "Đơn vị sản phẩm (%(unit)s) khác năm cơ sở %(year)s (%(baseline_unit)s): "
                    "không so sánh được suất tiêu hao."
                )
                % {
                    "unit": units.get(report.output_unit, report.output_unit),
                    "year": baseline.year,
                    "baseline_unit": units.get(baseline.output_unit, baseline.output_unit),
                }
            )
        else:
            comparable_baseline = baseline
    if previous is not None and previous.output_unit != report.output_unit:
        previous = None

    baseline_quantities = _quantities(baseline.consumptions.all()) if baseline else {}
    previous_quantities = _quantities(previous_lines) if previous else {}
    for line in sorted(lines, key=lambda line: (line.resource.rank, line.resource.name)):
        if line.quantity == 0 and baseline_quantities.get(line.resource_id):
            continue  # said below, better than as a 100% fall
        current = intensity(line.quantity, report.output)
        if comparable_baseline is not None:
            reference = intensity(
                baseline_quantities.get(line.resource_id), comparable_baseline.output
            )
            change = _change(reference, current)
            if change is not None and abs(change) > threshold:
                found.append(_against_baseline(line.resource, change, comparable_baseline.year))
        if previous is not None:
            reference = intensity(previous_quantities.get(line.resource_id), previous.output)
            change = _change(reference, current)
            if change is not None and abs(change) > threshold:
                found.append(_against_previous(line.resource, change, str(previous.period_label)))

    if baseline is not None:
        for baseline_line in sorted(
            baseline.consumptions.all(), key=lambda line: (line.resource.rank, line.resource.name)
        ):
            if baseline_line.quantity == 0:
                continue
            values = {"resource": baseline_line.resource.label, "year": baseline.year}
            if baseline_line.resource_id not in quantities:
                found.append(
                    _(
                        "Không khai báo %(resource)s, trong khi năm cơ sở %(year)s có tiêu thụ: "
                        "kiểm tra lại (khi cộng năng lượng quy đổi, mục bỏ trống được tính là 0)."
                    )
                    % values
                )
            elif quantities[baseline_line.resource_id] == 0:
                found.append(
                    _("Tiêu thụ %(resource)s bằng 0, trong khi năm cơ sở %(year)s có tiêu thụ.")
                    % values
                )
    return found


def savings_chart(series: list[FacilitySavings]) -> dict[str, object] | None:
    """The chart's data for json_script: savings as ratios, None where there is no figure."""
    if not series:
        return None

    def ratio(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return {
        "labels": [entry.period_label for entry in series],
        "energy": [ratio(entry.energy.saving if entry.energy else None) for entry in series],
        "combined": [ratio(entry.combined) for entry in series],
        "energyLabel": _("Năng lượng (TOE/đơn vị sản phẩm)"),
        "combinedLabel": _("Năng lượng và nguyên vật liệu"),
        "axisLabel": _("Tiết kiệm so với năm cơ sở"),
    }
