"""The indicator engine, on a small province worked out by hand.

The world, as of 30/06/2018 (AS_OF), shipped plan 2016–2020 with every band at milestone 2020:

    f1  Diễn Châu, 239 (level 2: 23), small. Aware; applies (option verified 10/2017); CP unit
        since 2017; saves 0.075 (its correction, approved 01/08/2018, is not in force yet).
    f2  Quỳnh Lưu, 102 (10), large. Aware (confirmed 01/2018); applies (measure in a report
        approved 03/2018); its CP unit ended 31/05/2018; saves 0.02.
    f3  Quỳnh Lưu, 239 (23), small. Took part in outreach, never confirmed; applies (option
        verified 02/2018); no figure: its only report was returned.
    f4  Diễn Châu, 102 (10), medium. Confirmed awareness 01/07/2018; does not apply yet (option
        verified 15/07, report approved 02/07, another report returned); CP unit set up on
        30/06/2018 itself.
    f5  Diễn Châu, closed 31/01/2018 (aware, applying and with a unit in 2017).
    f6  Vinh, out of scope (aware, applying).
    f7  Vinh, starts 01/09/2018.

    denominator f1–f4 = 4; T1 2/4 = 0.5; T2 3/4 = 0.75; T4 2/4 = 0.5
    T3 figures 0.075 (f1's first version: the correction was approved 01/08/2018) and 0.02:
       median (0.02 + 0.075) / 2 = 0.0475; of the 3 applying facilities (f1, f2, f3) 2 have a
       figure, 1 is at or above the 0.05 floor, none at 0.13
    T5 officials dedicated on 30/06: O1, O2, O3, O6, O7 = 5; trained O1, O2 = 2 -> 0.4
    A1 P1 (approved 01/03) + P2 (completed, no approval date) = 2; A2 0; A3 2; A4 1

Statuses: the plan runs from 01/01/2016; its milestone period to 31/12/2020 is 1827 days
(2016 and 2020 are leap years), of which 912 (366 + 365 + 181) are gone at the end of 30/06/2018.
    T1 0.5  < 0.9 floor, but >= 0.9 × 912/1827 = 0.4493          -> on_track
    T2 0.75 >= 0.25 before the milestone year                    -> on_track
    T3 0.0475 < 0.05, but >= 0.05 × 912/1827 = 0.0250            -> on_track
    T4 0.5  >= 0.25                                              -> on_track
    T5 0.4  < 1.0 × 912/1827 = 0.4992                            -> behind
    A1 2 >= 1 -> met; A2 0 < 1 × 181/365 = 0.496 -> behind; A3 2 >= 3 × 181/365 = 1.488
       -> on_track; A4 1 >= 1 -> met
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from statistics import median

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

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
    applying_q,
)
from assessments.savings import facility_savings
from facilities.models import (
    AdministrativeUnit,
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    OutreachActivity,
    OutreachParticipation,
    Sector,
    SizeClass,
)
from programs.models import Course, CourseParticipant, Official, Plan, SupportProject, Target
from reporting import freshness
from reporting.indicators import (
    ALL_CODES,
    _level_status,
    compute,
    compute_by,
    one_reading,
    savings_comparisons,
    savings_notes,
    t3_coverage,
)
from tests.factories import FacilityFactory

D = Decimal
AS_OF = datetime.date(2018, 6, 30)
END_2017 = datetime.date(2017, 12, 31)
END_2018 = datetime.date(2018, 12, 31)
LOCAL = datetime.timezone(datetime.timedelta(hours=7))  # Asia/Ho_Chi_Minh has no DST

# The worked example of tests/assessments/test_savings.py: energy saves 0.1 (TOE per tonne),
# the main material 0.05, so the T3 figure is their mean, 0.075.
BASELINE_LINES = {"electricity": "500000", "coal": "200", "main-material": "1100", "water": "3000"}
REPORT_LINES = {"electricity": "540000", "coal": "216", "main-material": "1254", "water": "3000"}
# Every line 1.2 times the baseline for 1.2 times the output: nothing saved.
NO_SAVING_LINES = {"electricity": "600000", "coal": "240", "main-material": "1320", "water": "3600"}
# 100,000 kWh and 1,000 t of material for 1,000 t of product.
SMALL_BASELINE = {"electricity": "100000", "main-material": "1000"}


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LOCAL)


# --- builders -------------------------------------------------------------------------------


def make_facility(area: str = "425", sector: str = "239", size: str = "small", **kw) -> Facility:
    return FacilityFactory(
        administrative_unit=AdministrativeUnit.objects.get(code=area, level="district"),
        sector=Sector.objects.get(code=sector),
        size_class=SizeClass.objects.get(code=size),
        **kw,
    )


def reach(facility: Facility, *, held_on: datetime.date, confirmed_on: datetime.date | None):
    """Outreach the facility took part in, and its confirmation of awareness (if any)."""
    activity = OutreachActivity.objects.create(
        kind=OutreachActivity.Kind.WORKSHOP, title="Hội thảo SXSH", held_on=held_on, organiser="Sở"
    )
    OutreachParticipation.objects.create(activity=activity, facility=facility)
    if confirmed_on is not None:
        AwarenessConfirmation.objects.create(
            facility=facility, confirmed_on=confirmed_on, method="survey"
        )


def verified_option(
    facility: Facility, *, implemented_on: datetime.date, verified_on: datetime.date
) -> CPOption:
    # The assessment has no start date: it counts towards no year's A3/A4.
    assessment = Assessment.objects.create(
        facility=facility, kind="quick", status="in_progress", funding="provincial"
    )
    return CPOption.objects.create(
        assessment=assessment,
        technique="housekeeping",
        description="Sửa rò rỉ hơi",
        status=CPOption.Status.VERIFIED,
        implemented_on=implemented_on,
        verified_on=verified_on,
    )


def make_baseline(
    facility: Facility,
    *,
    lines: dict[str, str] = BASELINE_LINES,
    completed_on: datetime.date = datetime.date(2017, 6, 30),
) -> Baseline:
    # A detailed assessment the enterprise paid for: it counts towards no year's A4.
    assessment = Assessment.objects.create(
        facility=facility,
        kind="detailed",
        status="completed",
        completed_on=completed_on,
        funding="enterprise",
    )
    baseline = Baseline.objects.create(
        assessment=assessment, year=2016, output=D(1000), output_unit="t"
    )
    for code, quantity in lines.items():
        BaselineConsumption.objects.create(
            baseline=baseline, resource=Resource.objects.get(code=code), quantity=D(quantity)
        )
    return baseline


def make_report(
    facility: Facility,
    *,
    reviewed_at: datetime.datetime,
    lines: dict[str, str] = REPORT_LINES,
    output: str = "1200",
    year: int = 2017,
    quarter: int | None = None,
    status: str = SelfReport.Status.APPROVED,
    version: int = 1,
    supersedes: SelfReport | None = None,
    measure_on: datetime.date | None = None,
) -> SelfReport:
    report = SelfReport.objects.create(
        facility=facility,
        period_kind="quarter" if quarter else "year",
        year=year,
        quarter=quarter,
        version=version,
        supersedes=supersedes,
        status=status,
        output=D(output),
        output_unit="t",
        reviewed_at=reviewed_at,
    )
    for code, quantity in lines.items():
        SelfReportConsumption.objects.create(
            report=report, resource=Resource.objects.get(code=code), quantity=D(quantity)
        )
    if measure_on is not None:
        SelfReportMeasure.objects.create(
            report=report,
            technique="process_control",
            description="Điều chỉnh tỷ lệ gió lò",
            implemented_on=measure_on,
        )
    return report


def cp_unit(facility: Facility, *, established_on: datetime.date, ended_on=None) -> None:
    DedicatedUnit.objects.create(
        facility=facility, established_on=established_on, ended_on=ended_on, head="Trưởng ban"
    )


def official(name: str, start: datetime.date, end: datetime.date | None = None) -> Official:
    return Official.objects.create(
        full_name=name, level="province", dedicated_from=start, dedicated_to=end
    )


def course(ends_on: datetime.date, *, qualifies: bool = True) -> Course:
    return Course.objects.create(
        title="Đào tạo tư vấn SXSH",
        kind="consultants",
        starts_on=ends_on - datetime.timedelta(days=4),
        ends_on=ends_on,
        organiser="Bộ Công Thương",
        qualifies_for_t5=qualifies,
    )


def attend(person: Official, training: Course, *, completed: bool = True) -> None:
    CourseParticipant.objects.create(course=training, official=person, completed=completed)


def project(funding: str, year: int, status: str, **dates) -> SupportProject:
    return SupportProject.objects.create(
        title=f"Dự án {funding} {year}", funding=funding, year=year, status=status, **dates
    )


def assessment_done(
    facility: Facility, kind: str, completed_on: datetime.date, funding: str = "donor", **fields
) -> Assessment:
    """An assessment the programme supported (a donor paid), completed on `completed_on`."""
    fields = {
        "status": "completed",
        "started_on": completed_on - datetime.timedelta(days=20),
    } | fields
    return Assessment.objects.create(
        facility=facility, kind=kind, completed_on=completed_on, funding=funding, **fields
    )


def build_world() -> dict[str, Facility]:
    """The province of the module docstring."""
    d = datetime.date
    f1 = make_facility("425", "239", "small")
    reach(f1, held_on=d(2017, 3, 1), confirmed_on=d(2017, 4, 1))
    verified_option(f1, implemented_on=d(2017, 9, 1), verified_on=d(2017, 10, 1))
    cp_unit(f1, established_on=d(2017, 1, 1))
    make_baseline(f1)
    first = make_report(f1, reviewed_at=local(2018, 2, 1))
    # A correction approved after AS_OF: as of AS_OF the first version is still in force.
    make_report(
        f1,
        reviewed_at=local(2018, 8, 1),
        version=2,
        supersedes=first,
        lines=NO_SAVING_LINES,
    )

    f2 = make_facility("421", "102", "large")
    reach(f2, held_on=d(2017, 10, 1), confirmed_on=d(2018, 1, 15))
    cp_unit(f2, established_on=d(2017, 1, 1), ended_on=d(2018, 5, 31))
    make_baseline(f2, lines=SMALL_BASELINE, completed_on=d(2017, 3, 31))
    # 98,000 kWh and 980 t for 1,000 t: energy and material both save 0.02, so T3 is 0.02.
    make_report(
        f2,
        reviewed_at=local(2018, 3, 1),
        output="1000",
        lines={"electricity": "98000", "main-material": "980"},
        measure_on=d(2017, 8, 1),
    )

    f3 = make_facility("421", "239", "small")
    reach(f3, held_on=d(2017, 5, 1), confirmed_on=None)  # took part, never confirmed
    verified_option(f3, implemented_on=d(2018, 1, 10), verified_on=d(2018, 2, 1))
    make_baseline(f3)
    # Returned to the facility: it measures no saving and shows no measure.
    make_report(
        f3,
        reviewed_at=local(2018, 3, 5),
        status=SelfReport.Status.RETURNED,
        measure_on=d(2017, 5, 1),
    )

    f4 = make_facility("425", "102", "medium")
    reach(f4, held_on=d(2017, 5, 1), confirmed_on=d(2018, 7, 1))
    verified_option(f4, implemented_on=d(2018, 6, 1), verified_on=d(2018, 7, 15))
    make_report(
        f4,
        year=2018,
        quarter=1,
        reviewed_at=local(2018, 5, 2),
        status=SelfReport.Status.RETURNED,
        measure_on=d(2018, 2, 1),
    )
    cp_unit(f4, established_on=AS_OF)
    make_baseline(f4, lines=SMALL_BASELINE)
    # Approved two days after AS_OF: 90,000 kWh and 900 t for 1,000 t save 0.1 each.
    make_report(
        f4,
        reviewed_at=local(2018, 7, 2),
        output="1000",
        lines={"electricity": "90000", "main-material": "900"},
        measure_on=d(2017, 6, 1),
    )

    f5 = make_facility("425", started_on=d(2010, 1, 1), closed_on=d(2018, 1, 31))
    reach(f5, held_on=d(2017, 3, 1), confirmed_on=d(2017, 4, 1))
    verified_option(f5, implemented_on=d(2017, 9, 1), verified_on=d(2017, 10, 1))
    cp_unit(f5, established_on=d(2017, 1, 1))

    f6 = make_facility("412", in_scope=False)
    reach(f6, held_on=d(2017, 3, 1), confirmed_on=d(2017, 4, 1))
    verified_option(f6, implemented_on=d(2017, 9, 1), verified_on=d(2017, 10, 1))

    f7 = make_facility("412", started_on=d(2018, 9, 1))
    reach(f7, held_on=d(2018, 3, 1), confirmed_on=d(2018, 3, 1))

    # T5. O1 and O2 completed a qualifying course that ended 10/05/2017 (O2 became dedicated
    # only in 2018, and still counts as trained); O3's only course ends after AS_OF; O6 did
    # not complete hers; O7's course does not qualify. O4 and O5 are not dedicated on AS_OF.
    early, late = course(d(2017, 5, 10)), course(d(2018, 7, 20))
    o1 = official("O1", d(2017, 1, 1))
    o2 = official("O2", d(2018, 3, 1))
    o3 = official("O3", d(2016, 1, 1))
    o4 = official("O4", d(2016, 1, 1), d(2017, 12, 31))
    o5 = official("O5", d(2018, 8, 1))
    o6 = official("O6", d(2016, 1, 1))
    o7 = official("O7", d(2016, 1, 1))
    for person in (o1, o2, o4, o5):
        attend(person, early)
    attend(o3, late)
    attend(o6, early, completed=False)
    attend(o7, course(d(2017, 5, 10), qualifies=False))

    # A1: P1, P2 count as of AS_OF; P3 is approved later; P4 proposed, P6 rejected; P5 is 2017.
    project("provincial", 2018, "approved", approved_on=d(2018, 3, 1))
    project("provincial", 2018, "completed")
    project("provincial", 2018, "approved", approved_on=d(2018, 9, 1))
    project("provincial", 2018, "proposed")
    project("provincial", 2017, "completed", approved_on=d(2017, 4, 1))
    project("provincial", 2018, "rejected")
    # A2: proposals count when made, whatever the Ministry answered.
    project("central", 2018, "proposed", proposed_on=d(2018, 7, 10))
    project("central", 2017, "approved", proposed_on=d(2017, 11, 1))
    project("central", 2018, "rejected", proposed_on=d(2018, 8, 15))

    # A3: started 01/02 (f1) and 01/05 (f3) count as of AS_OF; 01/08 later, 01/12/2017 the year
    # before. A4: started 01/04 (f2).
    assessment_done(f1, "quick", d(2018, 2, 1))
    assessment_done(f3, "quick", d(2018, 5, 1))
    assessment_done(f2, "quick", d(2018, 8, 1))
    assessment_done(f2, "quick", d(2017, 12, 1))
    assessment_done(f2, "detailed", d(2018, 4, 1))
    return {"f1": f1, "f2": f2, "f3": f3, "f4": f4, "f5": f5, "f6": f6, "f7": f7}


def summary(figure) -> tuple:
    return (figure.value, figure.numerator, figure.denominator, figure.status)


# --- compute() ------------------------------------------------------------------------------


def test_every_indicator_is_computed_with_its_label_and_band(shipped_plan, world) -> None:
    figures = compute(shipped_plan, as_of=AS_OF)
    assert (
        list(figures) == list(ALL_CODES) == ["T1", "T2", "T3", "T4", "T5", "A1", "A2", "A3", "A4"]
    )
    t2 = figures["T2"]
    assert t2.label.startswith("T2 – ")
    assert (t2.floor, t2.stretch, t2.milestone_year) == (D("0.25"), D("0.5"), 2020)
    assert (figures["A3"].floor, figures["A3"].stretch) == (D(3), D(5))


def test_only_facilities_in_scope_and_operating_on_the_date_are_counted(
    shipped_plan, world
) -> None:
    # f5 closed before AS_OF, f6 is out of scope, f7 starts after: four facilities remain.
    figures = compute(shipped_plan, as_of=AS_OF)
    assert {figures[code].denominator for code in ("T1", "T2", "T4")} == {4}


def test_awareness_needs_outreach_and_a_confirmation_both_by_the_date(shipped_plan, world) -> None:
    # f1 and f2 count; f3 never confirmed, f4 confirmed the day after AS_OF.
    assert summary(compute(shipped_plan, as_of=AS_OF)["T1"]) == (D("0.5"), 2, 4, "on_track")


def test_a_facility_applies_cp_once_a_measure_is_verified_or_approved_by_the_date(
    shipped_plan, world
) -> None:
    # f1 and f3 by a verified option, f2 by a measure in an approved report. f4's option is
    # verified after AS_OF, its report approved after AS_OF and its other report was returned.
    assert summary(compute(shipped_plan, as_of=AS_OF)["T2"]) == (D("0.75"), 3, 4, "on_track")
    # By the end of 2018 f4's option and report count too, and f7 has started: 4 of 5.
    assert summary(compute(shipped_plan, as_of=END_2018)["T2"])[:3] == (D("0.8"), 4, 5)


def test_a_measure_that_an_approved_correction_removed_no_longer_counts_as_applying(
    shipped_plan, db
) -> None:
    facility = make_facility()
    first = make_report(
        facility, reviewed_at=local(2018, 2, 1), year=2017, quarter=4,
        measure_on=datetime.date(2017, 11, 1),
    )  # fmt: skip
    make_report(
        facility, reviewed_at=local(2018, 9, 1), year=2017, quarter=4, version=2,
        supersedes=first,
    )  # fmt: skip
    # Before the correction was approved the first version was in force, and with it its
    # measure; from its approval on, only the correction's (none) counts.
    assert summary(compute(shipped_plan, as_of=AS_OF)["T2"])[:3] == (D("1"), 1, 1)
    assert summary(compute(shipped_plan, as_of=END_2018)["T2"])[:3] == (D("0"), 0, 1)
    assert not Facility.objects.filter(applying_q(END_2018, per_row=True)).exists()
    assert Facility.objects.filter(applying_q(AS_OF, per_row=True)).exists()


def test_a_cp_unit_counts_from_the_day_it_is_set_up_until_it_ends(shipped_plan, world) -> None:
    # f1 since 2017 and f4 set up on AS_OF itself; f2's unit ended 31/05/2018.
    assert summary(compute(shipped_plan, as_of=AS_OF)["T4"]) == (D("0.5"), 2, 4, "on_track")


def test_savings_use_the_reports_approved_by_the_date_and_give_the_distribution(
    shipped_plan, world
) -> None:
    figure = compute(shipped_plan, as_of=AS_OF)["T3"]
    # f1 0.075 (its correction was approved after AS_OF) and f2 0.02; f3's only report was
    # returned; f4 does not apply CP yet. Median 0.0475; 1 reaches the 0.05 floor.
    # Changed with the T3 definition: the share reaching the floor is out of the 3 applying
    # facilities (f1, f2, f3: the plan's "at applying facilities"), no longer out of the 2 with
    # a figure (1/2); the coverage, 2 of 3, is its own number.
    assert summary(figure) == (D("0.0475"), 1, 3, "on_track")
    # Resource level: energy f1 0.1, f2 0.02; water f1 1/6 (f2 reports none); material f1
    # 0.05, f2 0.02.
    assert figure.extra == {
        "median": D("0.0475"),
        "share_reaching_floor": D(1) / D(3),
        "share_reaching_stretch": D(0),
        "facilities_with_figure": 2,
        "applying_facilities": 3,
        "coverage": D(2) / D(3),
        "reaching_floor": 1,
        "reaching_stretch": 0,
        "median_energy": D("0.06"),
        "facilities_with_energy": 2,
        "median_water": D("0.5") / D(3),
        "facilities_with_water": 1,
        "median_material": D("0.035"),
        "facilities_with_material": 2,
        "facilities_lacking_factor": 0,
    }


def test_a_figure_for_a_past_date_does_not_change_when_later_approvals_come_in(
    shipped_plan, world
) -> None:
    # At the end of 2018 f1's correction (no saving, 0) is in force and f4 (0.1) applies:
    # figures 0, 0.02, 0.1 -> median 0.02, one (f4) at the floor. The pace at the end of 2018
    # is 0.05 × 1096/1827 = 0.030: behind. Out of the 4 applying facilities (f1–f4; changed
    # with the T3 definition from the 3 with a figure).
    later = compute(shipped_plan, as_of=END_2018)["T3"]
    assert summary(later) == (D("0.02"), 1, 4, "behind")
    assert (later.extra["facilities_with_figure"], later.extra["applying_facilities"]) == (3, 4)
    assert compute(shipped_plan, as_of=AS_OF)["T3"].value == D("0.0475")


def test_the_savings_of_a_facility_are_those_its_page_shows_once_all_is_approved(
    shipped_plan, world
) -> None:
    # After every approval the engine's choice of baseline and report is facility_savings'.
    applying = Facility.objects.in_denominator_on(END_2018).filter(applying_q(END_2018))
    figures = [facility_savings(f, on=END_2018) for f in applying]
    expected = [result.combined for result in figures if result is not None]
    assert compute(shipped_plan, as_of=END_2018)["T3"].value == median(expected)


def test_a_report_approved_late_in_the_evening_in_vietnam_counts_for_that_day(
    shipped_plan, db
) -> None:
    # 23:30 on 30/06 in Hanoi is 16:30 UTC: approved on AS_OF. 00:30 on 01/07 is 17:30 UTC on
    # 30/06, yet the next day in Vietnam: it does not count.
    evening, night = make_facility(), make_facility()
    for plant, approved in (
        (evening, local(2018, 6, 30, 23, 30)),
        (night, local(2018, 7, 1, 0, 30)),
    ):
        verified_option(plant, implemented_on=datetime.date(2018, 1, 1), verified_on=AS_OF)
        make_baseline(plant)
        make_report(plant, reviewed_at=approved)
    figure = compute(shipped_plan, as_of=AS_OF)["T3"]
    # Both apply CP (options verified on AS_OF): the denominator is 2 (changed with the T3
    # definition: the applying facilities), but only the evening's report gives a figure.
    assert (figure.value, figure.denominator) == (D("0.075"), 2)
    assert figure.extra["facilities_with_figure"] == 1


def applying_plant(baseline_lines: dict[str, str] = BASELINE_LINES) -> Facility:
    """A facility applying CP since 2017 with the worked example's 2016 baseline."""
    plant = make_facility()
    verified_option(plant, implemented_on=END_2017, verified_on=END_2017)
    make_baseline(plant, lines=baseline_lines)
    return plant


# A quarter of the worked example's 2017 report (the year's 1,200 t in four equal quarters).
QUARTER_LINES = {"electricity": "135000", "coal": "54", "main-material": "313.5", "water": "750"}


def test_t3_compares_four_consecutive_quarters_with_the_baseline_year_not_one_quarter(
    shipped_plan, db
) -> None:
    # Four quarters of 2018 summed are the worked example's year (0.075), though the last
    # quarter alone, a busy one, used twice the electricity of the middle ones: compared alone
    # with the baseline year (as the latest quarter used to be) it reads 675 kWh/t against
    # 500, energy (31.24575 + 37.8) / 300 = 0.2301525 TOE/t against 0.21715, a loss of about
    # 6%, and a figure of about −0.5%. The engine and the facility page agree.
    plant = applying_plant()
    for quarter, kwh in ((1, "135000"), (2, "101250"), (3, "101250"), (4, "202500")):
        make_report(
            plant,
            reviewed_at=local(2019, 1, 20),
            year=2018,
            quarter=quarter,
            output="300",
            lines=QUARTER_LINES | {"electricity": kwh},
        )
    day = datetime.date(2019, 1, 31)
    figure = compute(shipped_plan, as_of=day)["T3"]
    assert figure.value == D("0.075")
    result = facility_savings(plant, on=day)
    assert result.period_label == "Quý 1/2018 – Quý 4/2018"
    assert result.combined == figure.value
    # Three quarters are not a year: no figure (before, the latest quarter alone gave one).
    returned = SelfReport.objects.get(facility=plant, quarter=2)
    returned.status = "returned"
    returned.save()  # as the services write it: the kept figures follow
    figure = compute(shipped_plan, as_of=day)["T3"]
    assert (figure.value, figure.extra["facilities_with_figure"], figure.denominator) == (
        None,
        0,
        1,
    )


def test_the_share_reaching_the_floor_is_out_of_the_applying_facilities_with_the_coverage_beside(
    shipped_plan, db
) -> None:
    # Four applying facilities: two save 0.075 (the worked example), one has no report, one a
    # report with no saving. 3 of 4 have a figure; 2 of the 4 reach the 5% floor (not 2 of 3).
    for _ in range(2):
        make_report(applying_plant(), reviewed_at=local(2018, 2, 1))
    applying_plant()
    make_report(applying_plant(), reviewed_at=local(2018, 2, 1), lines=NO_SAVING_LINES)
    figure = compute(shipped_plan, as_of=AS_OF)["T3"]
    assert (figure.value, figure.numerator, figure.denominator) == (D("0.075"), 2, 4)
    assert figure.extra["share_reaching_floor"] == D("0.5")
    assert figure.extra["share_reaching_stretch"] == D(0)
    assert (figure.extra["facilities_with_figure"], figure.extra["applying_facilities"]) == (3, 4)
    assert figure.extra["coverage"] == D("0.75")
    with translation.override("vi"):
        assert t3_coverage(figure) == "3 trên 4 cơ sở đang áp dụng SXSH có số liệu tiết kiệm"
    with translation.override("en"):
        assert t3_coverage(figure) == "3 of 4 applying facilities have a savings figure"


def test_the_median_savings_of_energy_water_and_main_material_are_kept_beside_t3(
    shipped_plan, db
) -> None:
    # Energy 0.1, 0.1, 0.0; water 1/6, 1/6, 0; main material 0.05, 0.05, 0.0.
    for lines in (REPORT_LINES, REPORT_LINES, NO_SAVING_LINES):
        make_report(applying_plant(), reviewed_at=local(2018, 2, 1), lines=lines)
    extra = compute(shipped_plan, as_of=AS_OF)["T3"].extra
    assert (extra["median_energy"], extra["facilities_with_energy"]) == (D("0.1"), 3)
    assert (extra["median_water"], extra["facilities_with_water"]) == (D("0.5") / D(3), 3)
    assert (extra["median_material"], extra["facilities_with_material"]) == (D("0.05"), 3)


def test_a_new_factor_between_baseline_and_report_year_leaves_an_unchanged_plant_at_zero(
    shipped_plan, db
) -> None:
    # The same consumption per tonne in 2016 and 2017; a new legal electricity factor from 2017
    # on. Each side converted with the factor of its own date, the 2017 TOE total rose and the
    # plant read as wasting energy; with one factor for both it saves nothing, as it did.
    ConversionFactor.objects.create(
        resource=Resource.objects.get(code="electricity"),
        toe_per_unit=D("0.0003"),
        source="Văn bản thử nghiệm 2017",
        valid_from=datetime.date(2017, 1, 1),
    )
    plant = applying_plant()
    make_report(plant, reviewed_at=local(2018, 2, 1), lines=NO_SAVING_LINES)
    comparison = savings_comparisons(AS_OF)[plant.pk]
    assert comparison.energy.saving == 0
    assert comparison.combined == 0
    assert compute(shipped_plan, as_of=AS_OF)["T3"].value == 0
    assert [(used.resource.code, used.toe_per_unit) for used in comparison.factors] == [
        ("electricity", D("0.0003")),
        ("coal", D("0.7")),
    ]
    assert facility_savings(plant, on=AS_OF) == comparison


def test_a_fuel_without_a_factor_leaves_the_facility_without_a_figure_and_is_counted(
    shipped_plan, db
) -> None:
    ConversionFactor.objects.filter(resource__code="rice-husk").delete()
    plant = applying_plant(BASELINE_LINES | {"rice-husk": "10"})
    make_report(plant, reviewed_at=local(2018, 2, 1), lines=REPORT_LINES | {"rice-husk": "12"})
    make_report(applying_plant(), reviewed_at=local(2018, 2, 1))
    figure = compute(shipped_plan, as_of=AS_OF)["T3"]
    assert (figure.value, figure.denominator) == (D("0.075"), 2)
    assert figure.extra["facilities_lacking_factor"] == 1
    assert figure.extra["facilities_with_energy"] == 1
    notes = savings_notes(savings_comparisons(AS_OF))
    assert [(resource.code, count) for resource, count in notes.lacking] == [("rice-husk", 1)]
    assert [(used.resource.code, count) for used, count in notes.factors] == [
        ("electricity", 1),
        ("coal", 1),
    ]


def test_dedicated_officials_are_trained_by_a_qualifying_course_ended_by_the_date(
    shipped_plan, world
) -> None:
    # O1, O2 trained of O1, O2, O3, O6, O7: 0.4, below 1.0 × 912/1827 = 0.499.
    assert summary(compute(shipped_plan, as_of=AS_OF)["T5"]) == (D("0.4"), 2, 5, "behind")


def test_activities_are_counted_in_the_year_of_the_date_once_approved_or_proposed(
    shipped_plan, world
) -> None:
    counts = {
        day: [compute(shipped_plan, as_of=day)[code].value for code in ("A1", "A2", "A3", "A4")]
        for day in (END_2017, AS_OF, END_2018)
    }
    assert counts == {
        # P5; the proposal of 01/11/2017; the quick assessment completed 01/12/2017; no
        # detailed one.
        END_2017: [1, 1, 1, 0],
        # P1, P2; nothing proposed yet; quick completed 01/02 and 01/05; detailed 01/04.
        AS_OF: [2, 0, 2, 1],
        # P3 approved 01/09 too; proposals of 10/07 and 15/08 (turned down, still proposed);
        # the quick assessment completed 01/08.
        END_2018: [3, 2, 3, 1],
    }
    figures = compute(shipped_plan, as_of=AS_OF)
    assert [figures[c].status for c in ("A1", "A2", "A3", "A4")] == [
        "met",  # 2 >= 1
        "behind",  # 0 < 1 × 181/365
        "on_track",  # 2 >= 3 × 181/365 = 1.49
        "met",  # 1 >= 1
    ]
    assert (figures["A1"].numerator, figures["A1"].denominator) == (2, None)


def test_the_yearly_activities_of_a_report_follow_its_year_not_the_year_of_its_data_date(
    shipped_plan, world
) -> None:
    # The annual report of 2018 with data as of 15/01/2019 counts 2018's activities.
    late = datetime.date(2019, 1, 15)
    figures = compute(shipped_plan, as_of=late, year=2018)
    assert [figures[code].value for code in ("A1", "A2", "A3", "A4")] == [3, 2, 3, 1]
    assert {figures[code].year for code in ("A1", "A2", "A3", "A4")} == {2018}
    # 2018 is over: a yearly count is met or not met, never "behind".
    assert figures["A2"].status == "met"
    assert compute(shipped_plan, as_of=late)["A1"].year == 2019


def test_only_supported_assessments_completed_in_the_year_count_for_a3_and_a4(
    shipped_plan, db
) -> None:
    plant = make_facility()
    start_of_2020 = datetime.date(2020, 1, 1)
    # Planned, not done: never counts.
    Assessment.objects.create(facility=plant, kind="quick", status="planned", funding="provincial")
    # Done, but the enterprise paid for it alone: not supported by the programme.
    assessment_done(plant, "quick", datetime.date(2020, 3, 1), funding="enterprise")
    # Started in 2019, completed in 2020: counts in 2020, in progress at the end of 2019.
    assessment_done(
        plant, "detailed", datetime.date(2020, 2, 10), funding="provincial",
        started_on=datetime.date(2019, 11, 1),
    )  # fmt: skip
    end_2019 = compute(shipped_plan, as_of=start_of_2020 - datetime.timedelta(days=1))
    assert (end_2019["A3"].value, end_2019["A4"].value) == (0, 0)
    assert end_2019["A4"].extra == {"in_progress": 1}
    end_2020 = compute(shipped_plan, as_of=datetime.date(2020, 12, 31))
    assert (end_2020["A3"].value, end_2020["A4"].value) == (0, 1)
    assert end_2020["A3"].status == "not_met"


def test_the_pace_of_a_share_does_not_jump_at_the_start_of_its_milestone_year(db) -> None:
    plan = Plan.objects.create(name="Kế hoạch thử", start_year=2016, end_year=2020)
    plan.targets.create(indicator_id="T1", milestone_year=2020, floor=D("0.9"), stretch=D("0.9"))
    # 724 of 1000 aware: 72.4% against a pace of 90% × 4/5 at the end of 2019.
    aware = D("0.724")
    on_31_12 = _level_status(
        aware, plan.targets.get(), plan.start_year, datetime.date(2019, 12, 31)
    )
    on_1_1 = _level_status(aware, plan.targets.get(), plan.start_year, datetime.date(2020, 1, 1))
    assert (on_31_12, on_1_1) == ("on_track", "on_track")
    assert _level_status(
        aware, plan.targets.get(), plan.start_year, datetime.date(2020, 12, 31)
    ) == ("not_met")


def test_with_no_facilities_or_officials_the_shares_have_no_data(shipped_plan, db) -> None:
    figures = compute(shipped_plan, as_of=AS_OF)
    for code in ("T1", "T2", "T3", "T4", "T5"):
        assert (figures[code].value, figures[code].denominator, figures[code].status) == (
            None,
            0,
            "no_data",
        )
    assert figures["T3"].extra["median"] is None
    assert figures["T3"].extra["share_reaching_floor"] is None
    # A count of zero is a figure: behind, as 0 < 1 × 181/365.
    assert summary(figures["A1"]) == (D(0), 0, None, "behind")


# --- statuses -------------------------------------------------------------------------------


@pytest.fixture
def plan_to_2018(db) -> Plan:
    """A plan whose milestone is 2018 itself, with a band for T1, T2 and A3 only."""
    plan = Plan.objects.create(name="Kế hoạch thử đến 2018", start_year=2016, end_year=2018)
    for code, floor, stretch, unit in (
        ("T1", "0.5", "0.6", "share"),
        ("T2", "0.8", "0.9", "share"),
        ("A3", "3", "5", "count_per_year"),
    ):
        Target.objects.create(
            plan=plan,
            indicator_id=code,
            milestone_year=2018,
            floor=D(floor),
            stretch=D(stretch),
            unit=unit,
        )
    return plan


def test_in_the_milestone_year_a_share_at_the_floor_is_met_and_below_it_keeps_pace_until_its_end(
    plan_to_2018, world
) -> None:
    figures = compute(plan_to_2018, as_of=AS_OF)
    assert figures["T1"].status == "met"  # 0.5 >= 0.5
    # 0.75 < 0.8, but the pace at 30/06 of the milestone year is 0.8 × 912/1096 = 0.67: the
    # status follows the line to the year's end instead of jumping on 1 January.
    assert figures["T2"].status == "on_track"
    assert compute(plan_to_2018, as_of=END_2018)["T2"].status == "met"  # 4 of 5 by then
    assert (figures["T4"].status, figures["T4"].floor, figures["T4"].milestone_year) == (
        "no_target",
        None,
        None,
    )
    assert figures["T4"].value == D("0.5")  # no band, still a figure


def test_a_yearly_count_below_its_floor_is_on_track_while_it_keeps_pace_with_the_year(
    plan_to_2018, db
) -> None:
    plant = make_facility()
    for completed_on in (datetime.date(2018, 1, 10), datetime.date(2018, 6, 1)):
        assessment_done(plant, "quick", completed_on)

    def status(day: datetime.date) -> tuple[Decimal | None, str]:
        figure = compute(plan_to_2018, as_of=day)["A3"]
        return figure.value, figure.status

    assert status(datetime.date(2018, 3, 31)) == (1, "on_track")  # 1 >= 3 × 90/365 = 0.74
    assert status(datetime.date(2018, 5, 31)) == (1, "behind")  # 1 < 3 × 151/365 = 1.24
    assert status(datetime.date(2018, 12, 30)) == (2, "behind")  # 2 < 3 × 364/365
    assert status(END_2018) == (2, "not_met")  # the year is over: met or not, never behind
    assessment_done(plant, "quick", datetime.date(2018, 11, 1))
    assert status(END_2018) == (3, "met")


def test_the_band_is_that_of_the_nearest_milestone_not_yet_past(db) -> None:
    # The national strategy's shape: 2015 and 2020 milestones in one plan.
    plan = Plan.objects.create(name="Chiến lược 2009–2020", start_year=2009, end_year=2020)
    for year, floor in ((2015, "0.5"), (2020, "0.9")):
        Target.objects.create(
            plan=plan,
            indicator_id="T1",
            milestone_year=year,
            floor=D(floor),
            stretch=D(floor),
            unit="share",
        )

    def band(day: datetime.date) -> tuple[Decimal | None, int | None]:
        figure = compute(plan, as_of=day)["T1"]
        return figure.floor, figure.milestone_year

    assert band(datetime.date(2014, 6, 30)) == (D("0.5"), 2015)
    assert band(datetime.date(2015, 12, 31)) == (D("0.5"), 2015)
    assert band(datetime.date(2016, 1, 1)) == (D("0.9"), 2020)
    assert band(datetime.date(2023, 1, 1)) == (D("0.9"), 2020)  # past the plan: the latest


def test_a_share_below_the_pace_of_the_plan_is_behind_before_the_milestone(db) -> None:
    # Plan 2016–2020, T2 floor 0.25. At the end of 2016, 366 of 1,827 days are gone: the pace
    # is 0.25 × 366/1827 = 0.0501. One facility applying of 25 (0.04) is behind, 2 of 25 (0.08)
    # on track.
    plan = Plan.objects.create(name="Kế hoạch thử", start_year=2016, end_year=2020)
    Target.objects.create(
        plan=plan,
        indicator_id="T2",
        milestone_year=2020,
        floor=D("0.25"),
        stretch=D("0.5"),
        unit="share",
    )
    plants = [make_facility() for _ in range(25)]
    end_2016 = datetime.date(2016, 12, 31)
    verified_option(plants[0], implemented_on=end_2016, verified_on=end_2016)
    assert summary(compute(plan, as_of=end_2016)["T2"]) == (D("0.04"), 1, 25, "behind")
    verified_option(plants[1], implemented_on=end_2016, verified_on=end_2016)
    assert summary(compute(plan, as_of=end_2016)["T2"]) == (D("0.08"), 2, 25, "on_track")


# --- compute_by() ---------------------------------------------------------------------------


def test_the_breakdown_by_area_adds_up_to_the_province(shipped_plan, world) -> None:
    groups = compute_by(shipped_plan, as_of=AS_OF, by="area")
    # Only areas with a facility in the denominator or an assessment, by unit code (421 < 425);
    # Vinh's f6 and f7 are not counted.
    diễn_châu = AdministrativeUnit.objects.get(code="425", level="district")
    assert [(g.key, g.label) for g in groups] == [
        (str(world["f2"].administrative_unit_id), "Quỳnh Lưu"),
        (str(diễn_châu.pk), "Diễn Châu"),
    ]
    quỳnh_lưu, diễn_châu_figures = (g.figures for g in groups)
    # Quỳnh Lưu: f2, f3. Aware f2; applying f2, f3; no unit; T3 f2's 0.02; A3 01/05; A4 01/04.
    assert summary(quỳnh_lưu["T1"]) == (D("0.5"), 1, 2, "on_track")
    assert summary(quỳnh_lưu["T2"]) == (D(1), 2, 2, "on_track")
    # < 0.05 × 912/1827 = 0.025; out of Quỳnh Lưu's 2 applying facilities (f2, f3).
    assert summary(quỳnh_lưu["T3"]) == (D("0.02"), 0, 2, "behind")
    assert summary(quỳnh_lưu["T4"]) == (D(0), 0, 2, "behind")
    assert summary(quỳnh_lưu["A3"]) == (D(1), 1, None, "no_target")
    # Diễn Châu: f1, f4. Aware f1; applying f1; units f1, f4; T3 f1's 0.075; A3 01/02.
    assert summary(diễn_châu_figures["T1"]) == (D("0.5"), 1, 2, "on_track")
    assert summary(diễn_châu_figures["T3"]) == (D("0.075"), 1, 1, "on_track")
    assert summary(diễn_châu_figures["A4"]) == (D(0), 0, None, "no_target")

    province = compute(shipped_plan, as_of=AS_OF)
    for code in ("T1", "T2", "T4", "A3", "A4"):
        assert sum(g.figures[code].numerator for g in groups) == province[code].numerator
    for code in ("T1", "T2", "T3", "T4"):
        assert sum(g.figures[code].denominator for g in groups) == province[code].denominator
    # Officials and projects belong to no area.
    assert set(groups[0].figures) == {"T1", "T2", "T3", "T4", "A3", "A4"}


def test_the_breakdown_by_sector_groups_by_the_level_2_code(shipped_plan, world) -> None:
    groups = compute_by(shipped_plan, as_of=AS_OF, by="sector")
    assert [g.key for g in groups] == ["10", "23"]
    assert groups[0].label.startswith("10 – ")
    # 10: f2 (102), f4 (102): aware f2, applying f2, unit f4. 23: f1, f3 (239).
    assert [summary(groups[0].figures[c])[1:3] for c in ("T1", "T2", "T4")] == [(1, 2)] * 3
    assert [summary(groups[1].figures[c])[1:3] for c in ("T1", "T2", "T4")] == [
        (1, 2),
        (2, 2),
        (1, 2),
    ]


def test_the_breakdown_by_size_follows_the_rank_of_the_size_classes(shipped_plan, world) -> None:
    groups = compute_by(shipped_plan, as_of=AS_OF, by="size")
    # f1, f3 small; f4 medium; f2 large.
    assert [(g.key, g.figures["T1"].denominator) for g in groups] == [
        ("small", 2),
        ("medium", 1),
        ("large", 1),
    ]


def test_the_breakdown_by_period_gives_each_year_of_the_plan_at_its_end(
    shipped_plan, world
) -> None:
    groups = compute_by(shipped_plan, as_of=AS_OF, by="period")
    assert [g.key for g in groups] == ["2016", "2017", "2018"]
    # 31/12/2016: f1–f4 (no start date) and f5 operating, nobody aware yet.
    assert summary(groups[0].figures["T1"]) == (D(0), 0, 5, "behind")
    # 31/12/2017: still five (f5 closes in January 2018). Aware f1, f5 (f2 confirmed in 2018);
    # applying f1, f5 (f3's option was verified in 2018); units f1, f2, f5.
    assert summary(groups[1].figures["T1"])[:3] == (D("0.4"), 2, 5)
    assert summary(groups[1].figures["T2"])[:3] == (D("0.4"), 2, 5)
    assert summary(groups[1].figures["T4"])[:3] == (D("0.6"), 3, 5)
    assert groups[2].figures == compute(shipped_plan, as_of=AS_OF)


def test_an_unknown_breakdown_is_refused(shipped_plan) -> None:
    with pytest.raises(ValueError, match="area, sector, size, period"):
        compute_by(shipped_plan, as_of=AS_OF, by="district")


# --- queries --------------------------------------------------------------------------------


def populate(count: int) -> None:
    """`count` facilities that each are aware, apply CP, have a unit and a savings figure."""
    day = datetime.date(2017, 3, 1)
    for _ in range(count):
        plant = make_facility()
        reach(plant, held_on=day, confirmed_on=day)
        verified_option(plant, implemented_on=day, verified_on=day)
        cp_unit(plant, established_on=day)
        make_baseline(plant)
        make_report(plant, reviewed_at=local(2018, 2, 1), measure_on=day)
        assessment_done(plant, "quick", datetime.date(2018, 2, 1))
        person = official(f"Cán bộ {plant.pk}", day)
        attend(person, course(day))


# Measured: compute() 11 queries (the plan's targets and the catalogue's entries, then the
# counting), compute_by() 11 for an area, a sector or a size breakdown.
QUERY_BOUND = 11


@pytest.mark.parametrize("count", [5, 60])
def test_the_number_of_queries_does_not_grow_with_the_number_of_facilities(
    shipped_plan, count, django_assert_max_num_queries
) -> None:
    populate(count)
    with django_assert_max_num_queries(QUERY_BOUND):
        figures = compute(shipped_plan, as_of=AS_OF)
    assert figures["T3"].extra["facilities_with_figure"] == count  # it loaded every facility
    assert figures["T5"].numerator == count
    for by in ("area", "sector", "size"):
        with django_assert_max_num_queries(QUERY_BOUND):
            groups = compute_by(shipped_plan, as_of=AS_OF, by=by)
        assert groups[0].figures["T3"].extra["facilities_with_figure"] == count


def test_within_one_reading_a_day_s_savings_are_compared_once(shipped_plan, world) -> None:
    day = datetime.date(2020, 12, 31)
    compute(shipped_plan, as_of=day)
    freshness.changed()  # computed again, not served from the figures' cache
    with CaptureQueriesContext(connection) as alone:
        first = compute(shipped_plan, as_of=day)
    with one_reading():
        freshness.changed()
        compute(shipped_plan, as_of=day)
        with CaptureQueriesContext(connection) as again:
            second = compute(shipped_plan, as_of=day)
    assert second["T3"] == first["T3"] and first["T3"].value is not None
    # The baselines, reports and their lines are not read again.
    assert len(again) <= len(alone) - 3
