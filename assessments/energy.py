"""Energy and climate: each facility's yearly energy use in TOE, designated energy users, the
emissions cleaner production avoids, and what the programme's measures saved in a year.

Figures come from approved self-reports in force only (`SelfReportQuerySet.in_force`), like
every other figure of the portal:

- **yearly energy** (`yearly_energy`): a facility's year is its year report if it has one, else
  the sum of its quarters of that year. Each energy resource is converted with the TOE factor
  in force on 31 December of the year. Fewer than four quarters, or an energy resource without
  a factor, leave the total a lower bound, and the figure says so in `warnings`: never a
  silent zero.
- **designated energy users** (`designated_list`): 1,000 TOE or more in the year (Law on
  Energy Efficiency as amended by Law 77/2025/QH15). A facility whose known part alone reaches
  the threshold is on the list even if its year is incomplete; the list marks those that
  crossed since the previous year and those whose registry flag
  (`Facility.is_designated_energy_user`) says otherwise.
- **avoided emissions** (`avoided_emissions`): what the facility would have consumed at its
  baseline intensity (per unit of product) for the year's output, minus what it consumed, per
  energy resource, times that resource's emission factor of the year (the grid's factor for
  electricity, IPCC 2006 defaults for fuels). Negative when intensity rose. Needs a baseline
  year before the year, a whole year of reports and the same unit of product.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Max, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    Baseline,
    ConversionFactor,
    CPOption,
    EmissionFactor,
    GhgInventoryListing,
    PublicHoliday,
    Resource,
    SelfReport,
    SelfReportConsumption,
    SelfReportMeasure,
)
from assessments.savings import (
    ENERGY_KINDS,
    _baseline_lines,
    emission_factor_table,
    factor_table,
)
from facilities.models import Facility

THRESHOLD_TOE = Decimal(1000)
CHECK_WORKING_DAYS = 5  # the Department checks a Form 1.1 within 5 working days


def _year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _by_rank(resources: Iterable[Resource]) -> list[Resource]:
    return sorted(resources, key=lambda r: (r.rank, r.name, r.pk))


# --- yearly energy in TOE ------------------------------------------------------------------


@dataclass(frozen=True)
class EnergyLine:
    """One energy resource of a facility's year: physical quantity and its TOE (None when no
    factor is in force: the resource is then named in the figure's warnings)."""

    resource: Resource
    quantity: Decimal
    factor: ConversionFactor | None

    @property
    def toe(self) -> Decimal | None:
        return None if self.factor is None else self.quantity * self.factor.toe_per_unit


@dataclass(frozen=True)
class FacilityEnergy:
    """A facility's energy use in one year, from its approved reports in force."""

    facility_id: int
    year: int
    from_year_report: bool
    quarters: tuple[int, ...]  # the quarters summed (empty for a year report)
    reports: tuple[int, ...]
    output: Decimal | None
    output_unit: str
    lines: tuple[EnergyLine, ...]

    @property
    def toe(self) -> Decimal:
        """The TOE of the resources that have a factor (all of it when `is_exact`)."""
        return sum((line.toe for line in self.lines if line.toe is not None), Decimal(0))

    @property
    def missing_factors(self) -> tuple[Resource, ...]:
        return tuple(line.resource for line in self.lines if line.factor is None)

    @property
    def whole_year(self) -> bool:
        return self.from_year_report or len(self.quarters) == 4

    @property
    def is_exact(self) -> bool:
        return self.whole_year and not self.missing_factors

    @property
    def at_or_above(self) -> bool:
        # A lower bound reaching the threshold is enough; one below it proves nothing.
        return self.toe >= THRESHOLD_TOE

    @property
    def warnings(self) -> list[str]:
        found = [
            _(
                "Chưa có hệ số quy đổi TOE của %(resource)s có hiệu lực ngày %(date)s: tổng TOE "
                "chưa tính %(quantity)s %(unit)s này; vui lòng bổ sung hệ số."
            )
            % {
                "resource": line.resource.name,
                "date": _day(_year_end(self.year)),
                "quantity": line.quantity,
                "unit": line.resource.unit,
            }
            for line in self.lines
            if line.factor is None
        ]
        if not self.whole_year:
            found.append(
                _(
                    "Mới có báo cáo đã duyệt của quý %(quarters)s/%(year)s: tổng năng lượng "
                    "chưa đủ cả năm."
                )
                % {"quarters": ", ".join(str(q) for q in self.quarters), "year": self.year}
            )
        return found

    @property
    def unverified_factors(self) -> tuple[ConversionFactor, ...]:
        return tuple(
            line.factor
            for line in self.lines
            if line.factor is not None and not line.factor.is_verified
        )


FacilityIds = Iterable[int] | QuerySet[Any]  # ids, or a subquery of them


class _Report(NamedTuple):
    """What the yearly sums read of a report: plain values, no model instances (a province
    has thousands of reports a year)."""

    pk: int
    facility_id: int
    period_kind: str
    quarter: int | None
    output: Decimal | None
    output_unit: str


def _reports_in_force(
    year: int, facility_ids: FacilityIds | None, on: datetime.date | None
) -> list[_Report]:
    reports = SelfReport.objects.in_force(on=on).filter(year=year)
    if facility_ids is not None:
        reports = reports.filter(facility_id__in=facility_ids)
    return [
        _Report(*row)
        for row in reports.values_list(
            "pk", "facility_id", "period_kind", "quarter", "output", "output_unit"
        )
    ]


def _chosen_by_facility(reports: list[_Report]) -> dict[int, list[_Report]]:
    """Per facility, its year report, else its quarters (in order)."""
    by_facility: dict[int, list[_Report]] = defaultdict(list)
    for report in reports:
        by_facility[report.facility_id].append(report)
    chosen: dict[int, list[_Report]] = {}
    for facility_id, own in by_facility.items():
        year_reports = [r for r in own if r.period_kind == SelfReport.PeriodKind.YEAR]
        if year_reports:
            chosen[facility_id] = year_reports[:1]
        else:
            chosen[facility_id] = sorted(own, key=lambda r: r.quarter or 0)
    return chosen


def _output(reports: list[_Report]) -> tuple[Decimal | None, str]:
    units = {r.output_unit for r in reports}
    if any(r.output is None for r in reports) or len(units) != 1:
        return None, ""
    return sum((r.output for r in reports if r.output is not None), Decimal(0)), units.pop()


def yearly_energy(
    year: int, *, facility_ids: FacilityIds | None = None, on: datetime.date | None = None
) -> dict[int, FacilityEnergy]:
    """Every facility's (or those of `facility_ids`) energy use in `year`, keyed by facility
    id; facilities with no approved report of the year are absent. With `on`, the figures as
    approved by the end of that day (`SelfReportQuerySet.in_force`). Four queries."""
    chosen = _chosen_by_facility(_reports_in_force(year, facility_ids, on))
    report_ids = [report.pk for reports in chosen.values() for report in reports]
    quantities: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for report_id, resource_id, quantity in SelfReportConsumption.objects.filter(
        report_id__in=report_ids, resource__kind__in=ENERGY_KINDS
    ).values_list("report_id", "resource_id", "quantity"):
        quantities[report_id].append((resource_id, quantity))
    resources = Resource.objects.filter(kind__in=ENERGY_KINDS).in_bulk()
    factors = factor_table()
    day = _year_end(year)
    result: dict[int, FacilityEnergy] = {}
    for facility_id, reports in chosen.items():
        totals: dict[int, Decimal] = defaultdict(Decimal)
        for report in reports:
            for resource_id, quantity in quantities[report.pk]:
                totals[resource_id] += quantity
        output, unit = _output(reports)
        is_year = reports[0].period_kind == SelfReport.PeriodKind.YEAR
        result[facility_id] = FacilityEnergy(
            facility_id=facility_id,
            year=year,
            from_year_report=is_year,
            quarters=() if is_year else tuple(r.quarter or 0 for r in reports),
            reports=tuple(r.pk for r in reports),
            output=output,
            output_unit=unit,
            lines=tuple(
                EnergyLine(
                    resource=resource,
                    quantity=totals[resource.pk],
                    factor=factors.factor_on(resource.pk, day),
                )
                for resource in _by_rank(resources[pk] for pk in totals)
                # an empty line (0) needs no factor and would only add noise
                if totals[resource.pk]
            ),
        )
    return result


# --- designated energy users ---------------------------------------------------------------


@dataclass(frozen=True)
class DesignatedRow:
    """One facility of the yearly list, or one whose registry flag disagrees with it."""

    facility: Facility
    energy: FacilityEnergy | None  # None: no approved report of the year
    previous: FacilityEnergy | None
    ghg_listing: GhgInventoryListing | None

    @property
    def listed(self) -> bool:
        return self.energy is not None and self.energy.at_or_above

    @property
    def crossed(self) -> bool:
        """On the list this year and not last year (below the threshold or no figure)."""
        return self.listed and not (self.previous is not None and self.previous.at_or_above)

    @property
    def could_reach(self) -> bool:
        """Below the threshold on incomplete figures that could still reach it: a factor is
        missing, or the quarters reported, at their pace, would make a year at or above it."""
        energy = self.energy
        if energy is None or self.listed or energy.is_exact:
            return False
        if energy.missing_factors:
            return True
        return energy.toe / len(energy.quarters) * 4 >= THRESHOLD_TOE

    @property
    def disagreement(self) -> str:
        """What the registry's flag says against the figures, or ""."""
        flagged = self.facility.is_designated_energy_user
        if self.listed and not flagged:
            return _("Đạt ngưỡng nhưng sổ đăng ký chưa ghi là cơ sở sử dụng năng lượng trọng điểm.")
        if flagged and self.energy is None:
            return _("Sổ đăng ký ghi là trọng điểm nhưng chưa có báo cáo đã duyệt của năm.")
        if flagged and not self.listed and self.energy.is_exact:  # type: ignore[union-attr]
            return _("Sổ đăng ký ghi là trọng điểm nhưng mức tiêu thụ của năm dưới 1.000 TOE.")
        return ""


@dataclass(frozen=True)
class DesignatedList:
    year: int
    rows: list[DesignatedRow]  # the list: at or above the threshold, most TOE first
    disagreements: list[DesignatedRow]  # registry flag against the figures (listed or not)
    uncertain: list[DesignatedRow]  # below, on incomplete figures that could reach it
    factors: list[ConversionFactor] = field(default_factory=list)  # those the list used

    @property
    def crossed(self) -> list[DesignatedRow]:
        return [row for row in self.rows if row.crossed]

    @property
    def total_toe(self) -> Decimal:
        return sum((row.energy.toe for row in self.rows if row.energy), Decimal(0))


def latest_ghg_listings(
    facility_ids: Iterable[int], *, on: datetime.date | None = None
) -> dict[int, GhgInventoryListing]:
    """Each facility's latest listing for a GHG inventory decided by `on` (default: today)."""
    day = on or timezone.localdate()
    latest: dict[int, GhgInventoryListing] = {}
    for listing in GhgInventoryListing.objects.filter(
        facility_id__in=list(facility_ids), decided_on__lte=day
    ).order_by("-decided_on", "-pk"):
        latest.setdefault(listing.facility_id, listing)
    return latest


def designated_list(
    year: int,
    *,
    facilities: QuerySet[Facility] | None = None,
    energy: tuple[dict[int, FacilityEnergy], dict[int, FacilityEnergy]] | None = None,
) -> DesignatedList:
    """The draft of the year's list of designated energy users (a fixed number of queries).

    `facilities` limits it (a user's visible facilities); all facilities by default. `energy`:
    the `yearly_energy` of the year and of the year before for the same facilities, when the
    caller has them.
    """
    scope = None if facilities is None else facilities.values("pk")
    current, previous = energy or (
        yearly_energy(year, facility_ids=scope),
        yearly_energy(year - 1, facility_ids=scope),
    )
    flagged = Facility.objects.filter(is_designated_energy_user=True)
    if scope is not None:
        flagged = flagged.filter(pk__in=scope)
    ids = set(current) | set(flagged.values_list("pk", flat=True))
    by_pk = Facility.objects.select_related("administrative_unit", "sector").in_bulk(ids)
    listings = latest_ghg_listings(ids)
    rows = [
        DesignatedRow(
            facility=by_pk[pk],
            energy=current.get(pk),
            previous=previous.get(pk),
            ghg_listing=listings.get(pk),
        )
        for pk in ids
    ]
    listed = sorted(
        (row for row in rows if row.listed),
        key=lambda row: (-row.energy.toe, row.facility.name_sort_key),  # type: ignore[union-attr]
    )
    used: dict[int, ConversionFactor] = {}
    for row in listed:
        for line in row.energy.lines:  # type: ignore[union-attr]
            if line.factor is not None:
                used.setdefault(line.factor.pk, line.factor)
    return DesignatedList(
        year=year,
        rows=listed,
        disagreements=sorted(
            (row for row in rows if row.disagreement),
            key=lambda row: row.facility.name_sort_key,
        ),
        uncertain=sorted(
            (row for row in rows if row.energy is not None and row.could_reach),
            key=lambda row: row.facility.name_sort_key,
        ),
        factors=sorted(used.values(), key=lambda f: (f.resource.rank, f.resource.name)),
    )


# --- avoided emissions -----------------------------------------------------------------------


@dataclass(frozen=True)
class AvoidedLine:
    resource: Resource
    saved: Decimal  # physical units the year did not need against the baseline intensity
    toe_factor: ConversionFactor | None
    emission_factor: EmissionFactor | None

    @property
    def toe(self) -> Decimal | None:
        return None if self.toe_factor is None else self.saved * self.toe_factor.toe_per_unit

    @property
    def tco2e(self) -> Decimal | None:
        if self.emission_factor is None:
            return None
        return self.saved * self.emission_factor.tco2e_per_unit


@dataclass(frozen=True)
class FacilityAvoided:
    """A facility's savings of one year against its baseline, in TOE and tCO₂e."""

    facility_id: int
    year: int
    baseline_year: int
    lines: tuple[AvoidedLine, ...]

    @property
    def toe(self) -> Decimal:
        return sum((line.toe for line in self.lines if line.toe is not None), Decimal(0))

    @property
    def tco2e(self) -> Decimal:
        return sum((line.tco2e for line in self.lines if line.tco2e is not None), Decimal(0))

    @property
    def warnings(self) -> list[str]:
        day = _day(_year_end(self.year))
        found = [
            _(
                "Chưa có hệ số phát thải của %(resource)s có hiệu lực ngày %(date)s: lượng phát "
                "thải tránh được chưa tính phần này; vui lòng bổ sung hệ số."
            )
            % {"resource": line.resource.label, "date": day}
            for line in self.lines
            if line.emission_factor is None
        ]
        found += [
            _(
                "Chưa có hệ số quy đổi TOE của %(resource)s có hiệu lực ngày %(date)s: năng lượng "
                "tiết kiệm chưa tính phần này; vui lòng bổ sung hệ số."
            )
            % {"resource": line.resource.label, "date": day}
            for line in self.lines
            if line.toe_factor is None
        ]
        return found


def _baselines_on(day: datetime.date, facility_ids: Iterable[int]) -> dict[int, Baseline]:
    """Each facility's baseline in force on `day` (`savings.baseline_for(on=day)`), at once."""
    latest: dict[int, Baseline] = {}
    for baseline in (
        Baseline.objects.filter(
            assessment__facility_id__in=list(facility_ids),
            assessment__kind=Assessment.Kind.DETAILED,
            assessment__status=Assessment.Status.COMPLETED,
            assessment__completed_on__lte=day,
        )
        .select_related("assessment")
        .prefetch_related(_baseline_lines())
        .order_by("-assessment__completed_on", "-assessment_id")
    ):
        latest.setdefault(baseline.assessment.facility_id, baseline)
    return latest


def avoided_emissions(
    year: int,
    *,
    facility_ids: FacilityIds | None = None,
    on: datetime.date | None = None,
    energy: dict[int, FacilityEnergy] | None = None,
) -> dict[int, FacilityAvoided]:
    """The year's savings against each facility's baseline in force at the end of the year,
    for facilities with a whole year of reports, its output in the baseline's unit and a
    baseline year before it. Keyed by facility id. `energy`: the year's `yearly_energy` for
    the same facilities and date, when the caller has it already."""
    if energy is None:
        energy = yearly_energy(year, facility_ids=facility_ids, on=on)
    day = _year_end(year)
    baselines = _baselines_on(min(day, on) if on else day, energy)
    toe_factors, emission_factors = factor_table(), emission_factor_table()
    result: dict[int, FacilityAvoided] = {}
    for facility_id, used in energy.items():
        baseline = baselines.get(facility_id)
        if (
            baseline is None
            or baseline.year >= year
            or not baseline.output
            or not used.whole_year
            or used.output is None
            or used.output_unit != baseline.output_unit
        ):
            continue
        before = {
            line.resource_id: line.quantity
            for line in baseline.consumptions.all()
            if line.resource.is_energy
        }
        resources = {
            line.resource_id: line.resource
            for line in baseline.consumptions.all()
            if line.resource.is_energy
        } | {line.resource.pk: line.resource for line in used.lines}
        after = {line.resource.pk: line.quantity for line in used.lines}
        lines = []
        for resource in _by_rank(resources.values()):
            # the consumption the year's output would have needed at the baseline intensity
            expected = before.get(resource.pk, Decimal(0)) / baseline.output * used.output
            saved = expected - after.get(resource.pk, Decimal(0))
            if not saved:
                continue
            lines.append(
                AvoidedLine(
                    resource=resource,
                    saved=saved,
                    toe_factor=toe_factors.factor_on(resource.pk, day),
                    emission_factor=emission_factors.factor_on(resource.pk, day),
                )
            )
        result[facility_id] = FacilityAvoided(
            facility_id=facility_id, year=year, baseline_year=baseline.year, lines=tuple(lines)
        )
    return result


# --- the programme's savings for the annual report --------------------------------------------


@dataclass(frozen=True)
class ProgrammeSavings:
    """What the programme's measures saved in a year, for the annual report."""

    year: int
    vnd_options: Decimal  # yearly savings of assessment options verified by the year's end
    vnd_measures: Decimal  # yearly savings of measures in approved self-reports
    toe_declared: Decimal  # yearly TOE savings the verified options declare
    toe_measured: Decimal  # measured against baselines (`avoided_emissions`)
    tco2e: Decimal  # avoided, measured against baselines
    facilities_measured: int
    warnings: list[str]
    method: str
    # the factors the measured figures used, for the report's list of factors
    toe_factors: tuple[ConversionFactor, ...] = ()
    emission_factors: tuple[EmissionFactor, ...] = ()

    @property
    def vnd(self) -> Decimal:
        return self.vnd_options + self.vnd_measures


def method_text(year: int) -> str:
    return _(
        "Tiết kiệm bằng tiền: tổng mức tiết kiệm hằng năm của các giải pháp SXSH đã được Sở "
        "kiểm chứng đến ngày 31/12/%(year)s và của các giải pháp cơ sở báo cáo trong báo cáo "
        "định kỳ đã duyệt, thực hiện đến ngày đó (mức tiết kiệm một năm khi giải pháp đã vận "
        "hành, không chia theo số tháng). Năng lượng tiết kiệm (TOE) và phát thải tránh được "
        "(tCO₂e) được đo trên số liệu: với mỗi cơ sở có năm cơ sở trước năm %(year)s và đủ số "
        "liệu cả năm %(year)s, lượng tiết kiệm của từng loại năng lượng = suất tiêu hao năm cơ "
        "sở × sản lượng năm %(year)s − lượng tiêu thụ năm %(year)s; quy đổi TOE theo hệ số có "
        "hiệu lực ngày 31/12/%(year)s; phát thải theo hệ số phát thải lưới điện của năm và hệ "
        "số mặc định IPCC 2006 của nhiên liệu (chỉ tính CO₂; CO₂ từ sinh khối không tính). "
        "Giá trị âm là tăng tiêu hao so với năm cơ sở."
    ) % {"year": year}


def programme_savings(year: int, *, on: datetime.date | None = None) -> ProgrammeSavings:
    """The year's programme savings (VND, TOE, tCO₂e) with the method text for the report's
    note. `on`: the data date of the report (figures approved, options verified and
    baselines completed by then); today's figures without it. A fixed number of queries."""
    end = _year_end(year)
    options = CPOption.objects.verified_on(min(end, on) if on else end).aggregate(
        vnd=Sum("savings_vnd_per_year"), toe=Sum("savings_toe_per_year")
    )
    # A measure repeated in several reports (each quarter, and the year) counts once.
    measures = (
        SelfReportMeasure.objects.filter(
            report__in=SelfReport.objects.in_force(on=on),
            report__year__lte=year,
            implemented_on__lte=end,
        )
        .values("report__facility_id", "description", "implemented_on")
        .annotate(vnd=Max("savings_vnd_per_year"))
    )
    avoided = avoided_emissions(year, on=on)
    warnings = sorted({w for figure in avoided.values() for w in figure.warnings})
    lines = [line for figure in avoided.values() for line in figure.lines]
    toe_used = {line.toe_factor.pk: line.toe_factor for line in lines if line.toe_factor}
    emission_used = {
        line.emission_factor.pk: line.emission_factor for line in lines if line.emission_factor
    }
    return ProgrammeSavings(
        year=year,
        vnd_options=options["vnd"] or Decimal(0),
        vnd_measures=sum((row["vnd"] for row in measures), Decimal(0)),
        toe_declared=options["toe"] or Decimal(0),
        toe_measured=sum((a.toe for a in avoided.values()), Decimal(0)),
        tco2e=sum((a.tco2e for a in avoided.values()), Decimal(0)),
        facilities_measured=len(avoided),
        warnings=warnings,
        method=method_text(year),
        toe_factors=tuple(sorted(toe_used.values(), key=_factor_order)),
        emission_factors=tuple(sorted(emission_used.values(), key=_factor_order)),
    )


def _factor_order(factor: ConversionFactor | EmissionFactor) -> tuple[int, str, int]:
    return (factor.resource.rank, factor.resource.name, factor.pk)


# --- the Department's check of Form 1.1 --------------------------------------------------------


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    return set(
        PublicHoliday.objects.filter(day__gt=start, day__lte=end).values_list("day", flat=True)
    )


def add_working_days(
    start: datetime.date, days: int, *, holidays: set[datetime.date] | None = None
) -> datetime.date:
    """The day `days` working days after `start`: weekends and `PublicHoliday` rows skipped
    (`holidays`, when given, must cover the days after `start` up to the answer)."""
    if holidays is None:
        # a working week per 5 days, plus the longest run of holidays (Tết) to spare
        holidays = holidays_between(start, start + datetime.timedelta(days=days * 3 + 30))
    day = start
    left = days
    while left:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


@dataclass(frozen=True)
class PendingCheck:
    report: SelfReport
    received_on: datetime.date
    deadline: datetime.date
    today: datetime.date

    @property
    def overdue(self) -> bool:
        return self.today > self.deadline

    @property
    def days_left(self) -> int:
        return (self.deadline - self.today).days


def check_queue(
    year: int,
    *,
    facilities: QuerySet[Facility] | None = None,
    today: datetime.date | None = None,
    before: dict[int, FacilityEnergy] | None = None,
) -> list[PendingCheck]:
    """Year reports of `year` (Form 1.1 is the year's report) submitted and awaiting the
    Department's check, from designated energy users (flagged in the registry or at or above
    the threshold in the year before), earliest deadline first. `before`: the year before's
    `yearly_energy` of every facility (or of `facilities`), when the caller has it."""
    today = today or timezone.localdate()
    reports = SelfReport.objects.current().filter(
        year=year,
        period_kind=SelfReport.PeriodKind.YEAR,
        status=SelfReport.Status.SUBMITTED,
        submitted_at__isnull=False,
    )
    if facilities is not None:
        reports = reports.filter(facility__in=facilities.values("pk"))
    reports_list = list(reports.select_related("facility"))
    if before is None:
        before = yearly_energy(year - 1, facility_ids={r.facility_id for r in reports_list})
    received = [timezone.localdate(r.submitted_at) for r in reports_list]
    holidays = (
        holidays_between(min(received), max(received) + datetime.timedelta(days=60))
        if received
        else set()
    )
    pending = []
    for report in reports_list:
        earlier = before.get(report.facility_id)
        if not (
            report.facility.is_designated_energy_user
            or (earlier is not None and earlier.at_or_above)
        ):
            continue
        day = timezone.localdate(report.submitted_at)
        pending.append(
            PendingCheck(
                report=report,
                received_on=day,
                deadline=add_working_days(day, CHECK_WORKING_DAYS, holidays=holidays),
                today=today,
            )
        )
    return sorted(pending, key=lambda check: (check.deadline, check.report.pk))


# --- Form 1.1 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormMeasure:
    description: str
    technique: str
    implemented_on: datetime.date | None
    cost_vnd: Decimal
    savings_vnd: Decimal
    savings_toe: Decimal | None  # options declare it; self-report measures do not


@dataclass(frozen=True)
class FormFacts:
    """What Form 1.1 asks for one facility and year, pre-filled from its approved reports."""

    facility: Facility
    year: int
    energy: FacilityEnergy | None
    measures: list[FormMeasure]


def form_facts(year: int, facilities: Iterable[Facility]) -> list[FormFacts]:
    """Form 1.1 of `year` for each of `facilities` (a fixed number of queries)."""
    chosen = list(facilities)
    ids = [f.pk for f in chosen]
    energy = yearly_energy(year, facility_ids=ids)
    start, end = datetime.date(year, 1, 1), _year_end(year)
    measures: dict[int, list[FormMeasure]] = defaultdict(list)
    for option in CPOption.objects.filter(
        assessment__facility_id__in=ids,
        status__in=[CPOption.Status.IMPLEMENTED, CPOption.Status.VERIFIED],
        implemented_on__range=(start, end),
    ).select_related("assessment"):
        measures[option.assessment.facility_id].append(
            FormMeasure(
                description=option.description,
                technique=option.get_technique_display(),
                implemented_on=option.implemented_on,
                cost_vnd=option.investment_vnd,
                savings_vnd=option.savings_vnd_per_year,
                savings_toe=option.savings_toe_per_year,
            )
        )
    for measure in SelfReportMeasure.objects.filter(
        report__in=SelfReport.objects.in_force().filter(facility_id__in=ids, year=year),
        implemented_on__range=(start, end),
    ).select_related("report"):
        measures[measure.report.facility_id].append(
            FormMeasure(
                description=measure.description,
                technique=measure.get_technique_display(),
                implemented_on=measure.implemented_on,
                cost_vnd=measure.cost_vnd,
                savings_vnd=measure.savings_vnd_per_year,
                savings_toe=None,
            )
        )
    return [
        FormFacts(
            facility=facility,
            year=year,
            energy=energy.get(facility.pk),
            measures=sorted(
                measures[facility.pk], key=lambda m: (m.implemented_on or end, m.description)
            ),
        )
        for facility in chosen
    ]
