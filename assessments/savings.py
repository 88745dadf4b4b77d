"""Savings per unit of product (target T3): a facility's baseline against its approved reports.

Intensity is consumption per unit of product; a saving is `(baseline − current) / baseline` of
that intensity, as a plain Decimal ratio (0.13 = 13%). Energy resources are also added up in TOE
with the conversion factor valid on the date of the data (31/12 of the baseline year for the
baseline, the period end for a report): the factors are rows with validity dates, so a figure
for 2017 keeps the factor of 2017 after a new legal text is entered.

Nothing is rounded here: rounding is for display.

Only the approved figures in force count (`SelfReport.objects.in_force()`), and only
reports for periods after the baseline year: a report for the baseline year or earlier measures
no saving against it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    ConversionFactor,
    ReportingSchedule,
    Resource,
    SelfReport,
    SelfReportConsumption,
    SelfReportQuerySet,
)
from facilities.models import Facility, Product

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
class FacilitySavings:
    """One report measured against the facility's baseline.

    `baseline_unit` is the unit code of `Product.Unit` (e.g. "t"); `Product.Unit(code).label`
    gives the label. `resources` lists every resource reported at baseline or in the report,
    in the resources' own order. `energy` adds all energy resources up in TOE per unit of
    product; its `resource` is `TOE_TOTAL`, an unsaved stand-in (pk None, unit "TOE").

    `combined` is the facility's figure for target T3 ("savings of energy and raw material per
    unit of product"): the unweighted mean of `energy.saving` and the savings of each MATERIAL
    resource that has one; None when none of them has one. Energy counts once, as the TOE
    total, so a plant burning five fuels does not weigh energy five times, and a switch of fuel
    shows as what it is. Energy and materials share no unit (no prices are stored to weigh them
    by cost), hence the plain mean. Water is reported per resource but is not part of T3.
    """

    baseline_year: int
    baseline_unit: str
    period_label: str
    period_end: datetime.date
    resources: list[ResourceSaving]
    energy: ResourceSaving | None
    combined: Decimal | None


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
    """The facility's savings as of `on`, against the baseline in force that day.

    The report compared is the latest approved current YEAR report whose period ended by `on`
    (a whole year compares with a baseline year without seasonal swings); without one, the
    latest such quarter. None when there is no baseline, no such report, or the report counts
    its output in another unit than the baseline (intensities would not be comparable).
    """
    baseline = baseline_for(facility, on=on)
    if baseline is None:
        return None
    candidates = [
        report
        for report in _approved_reports(facility).filter(year__gt=baseline.year, year__lte=on.year)
        if report.period_end <= on
    ]
    years = [r for r in candidates if r.period_kind == SelfReport.PeriodKind.YEAR]
    pool = years or candidates
    if not pool:
        return None
    report = max(pool, key=chronological)
    if report.output_unit != baseline.output_unit:
        return None
    lines = list(SelfReportConsumption.objects.filter(report=report).select_related("resource"))
    return compare(baseline, list(baseline.consumptions.all()), report, lines, factor_table())


def savings_series(facility: Facility) -> list[FacilitySavings]:
    """Every approved current report against the facility's latest baseline, oldest first.

    For the facility page's chart: one baseline for the whole series, so the points share a
    reference. Reports for the baseline year or earlier, and reports counted in another unit
    than the baseline, are left out (no saving can be measured). A quarter comes before the
    year that ends on the same day. Five queries whatever the number of reports.
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
        compare(baseline, baseline_lines, report, list(report.consumptions.all()), factors)
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
      counts as none burnt in the TOE total).

    The baseline is the facility's latest (the one its savings page shows).
    """
    reports = list(reports)
    if not reports:
        return {}
    facility_ids = {report.facility_id for report in reports}
    lines = _lines_by_report([report.pk for report in reports])
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
    history: dict[tuple[int, str], list[SelfReport]] = defaultdict(list)
    approved = (
        SelfReport.objects.in_force()
        .filter(
            facility_id__in=facility_ids,
            year__lte=max(report.year for report in reports),
        )
        .prefetch_related(_report_lines())
    )
    for earlier in approved:
        history[(earlier.facility_id, earlier.period_kind)].append(earlier)

    warnings: dict[int, list[str]] = {}
    for report in reports:
        previous = max(
            (
                earlier
                for earlier in history[(report.facility_id, report.period_kind)]
                if earlier.period_end < report.period_start
            ),
            key=chronological,
            default=None,
        )
        warnings[report.pk] = _warnings(
            report,
            lines=lines.get(report.pk, []),
            product_units=product_units[report.facility_id],
            baseline=baselines.get(report.facility_id),
            previous=previous,
            threshold=thresholds.get(report.period_kind, default_threshold),
        )
    return warnings


# --- internals ----------------------------------------------------------------------------


class _FactorTable:
    """All conversion factors, loaded once; the same choice as `toe_factor` without a query."""

    def __init__(self, factors: Iterable[ConversionFactor]) -> None:
        self._by_resource: dict[int, list[ConversionFactor]] = defaultdict(list)
        for factor in sorted(factors, key=lambda f: f.valid_from, reverse=True):
            self._by_resource[factor.resource_id].append(factor)

    def on(self, resource_id: int, day: datetime.date) -> Decimal | None:
        for factor in self._by_resource.get(resource_id, []):
            if factor.valid_from <= day and (factor.valid_to is None or factor.valid_to >= day):
                return factor.toe_per_unit
        return None


def factor_table() -> _FactorTable:
    return _FactorTable(ConversionFactor.objects.filter(resource__kind__in=ENERGY_KINDS))


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


def _lines_by_report(report_ids: list[int]) -> dict[int, list[SelfReportConsumption]]:
    grouped: dict[int, list[SelfReportConsumption]] = defaultdict(list)
    for line in SelfReportConsumption.objects.filter(report_id__in=report_ids).select_related(
        "resource"
    ):
        grouped[line.report_id].append(line)
    return grouped


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
    return {line.resource_id: line.quantity for line in lines}


def _toe(
    quantities: dict[int, Decimal],
    resource_ids: Iterable[int],
    day: datetime.date,
    factors: _FactorTable,
) -> Decimal | None:
    """Total TOE of the energy resources; None if one that was consumed has no factor."""
    total = Decimal(0)
    for resource_id in resource_ids:
        # An energy resource missing on one side counts as none consumed, so a switch from
        # coal to gas shows in the total instead of dropping out of it.
        quantity = quantities.get(resource_id, Decimal(0))
        if quantity == 0:
            continue
        factor = factors.on(resource_id, day)
        if factor is None:
            return None
        total += quantity * factor
    return total


def compare(
    baseline: Baseline,
    baseline_lines: list[BaselineConsumption],
    report: SelfReport,
    report_lines: list[SelfReportConsumption],
    factors: _FactorTable,
) -> FacilitySavings:
    before, after = _quantities(baseline_lines), _quantities(report_lines)
    resources = {line.resource_id: line.resource for line in [*baseline_lines, *report_lines]}
    rows = []
    for resource in sorted(resources.values(), key=lambda r: (r.rank, r.name, r.pk)):
        baseline_intensity = intensity(before.get(resource.pk), baseline.output)
        current_intensity = intensity(after.get(resource.pk), report.output)
        rows.append(
            ResourceSaving(
                resource=resource,
                baseline_intensity=baseline_intensity,
                current_intensity=current_intensity,
                saving=saving(baseline_intensity, current_intensity),
            )
        )

    energy = None
    energy_ids = [r.pk for r in resources.values() if r.is_energy]
    if energy_ids:
        baseline_toe = _toe(before, energy_ids, datetime.date(baseline.year, 12, 31), factors)
        report_toe = _toe(after, energy_ids, report.period_end, factors)
        baseline_intensity = intensity(baseline_toe, baseline.output)
        current_intensity = intensity(report_toe, report.output)
        energy = ResourceSaving(
            resource=TOE_TOTAL,
            baseline_intensity=baseline_intensity,
            current_intensity=current_intensity,
            saving=saving(baseline_intensity, current_intensity),
        )

    parts = [energy.saving if energy is not None else None] + [
        row.saving for row in rows if row.resource.kind == Resource.Kind.MATERIAL
    ]
    available = [part for part in parts if part is not None]
    combined = sum(available, Decimal(0)) / len(available) if available else None

    return FacilitySavings(
        baseline_year=baseline.year,
        baseline_unit=baseline.output_unit,
        period_label=str(report.period_label),
        period_end=report.period_end,
        resources=rows,
        energy=energy,
        combined=combined,
    )


def _unit_label(code: str) -> str:
    return str(Product.Unit(code).label) if code in Product.Unit.values else code


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
    values = {"resource": resource.name, "percent": _percent(change), "year": year}
    if change > 0:
        return _("Suất tiêu hao %(resource)s tăng %(percent)s so với năm cơ sở %(year)s.") % values
    return _("Suất tiêu hao %(resource)s giảm %(percent)s so với năm cơ sở %(year)s.") % values


def _against_previous(resource: Resource, change: Decimal, period: str) -> str:
    values = {"resource": resource.name, "percent": _percent(change), "period": period}
    if change > 0:
        return _("Suất tiêu hao %(resource)s tăng %(percent)s so với báo cáo %(period)s.") % values
    return _("Suất tiêu hao %(resource)s giảm %(percent)s so với báo cáo %(period)s.") % values


def _warnings(
    report: SelfReport,
    *,
    lines: list[SelfReportConsumption],
    product_units: set[str],
    baseline: Baseline | None,
    previous: SelfReport | None,
    threshold: Decimal,
) -> list[str]:
    found: list[str] = []
    quantities = _quantities(lines)

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
            % {"unit": _unit_label(report.output_unit)}
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
                    "unit": _unit_label(report.output_unit),
                    "year": baseline.year,
                    "baseline_unit": _unit_label(baseline.output_unit),
                }
            )
        else:
            comparable_baseline = baseline
    if previous is not None and previous.output_unit != report.output_unit:
        previous = None

    baseline_quantities = _quantities(baseline.consumptions.all()) if baseline else {}
    previous_quantities = _quantities(previous.consumptions.all()) if previous else {}
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
            values = {"resource": baseline_line.resource.name, "year": baseline.year}
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
        "combinedLabel": _("Năng lượng và nguyên liệu"),
        "axisLabel": _("Tiết kiệm so với năm cơ sở"),
    }
