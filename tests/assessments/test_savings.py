"""Savings per unit of product (T3) and the reviewer's plausibility warnings.

The worked example most tests start from (shipped factors: electricity 0.0001543 TOE/kWh,
coal 0.7 TOE/t, both valid from 2010):

    baseline 2016, output 1,000 t
      electricity 500,000 kWh  -> 500 kWh/t
      coal            200 t    -> 0.2 t/t
      main material 1,100 t    -> 1.1 t/t
      water         3,000 m³   -> 3 m³/t
      energy: 500,000 × 0.0001543 = 77.15 TOE + 200 × 0.7 = 140 TOE = 217.15 TOE -> 0.21715 TOE/t

    report 2019, output 1,200 t
      electricity 540,000 kWh  -> 450 kWh/t    saving (500 − 450) / 500 = 0.1
      coal            216 t    -> 0.18 t/t     saving (0.2 − 0.18) / 0.2 = 0.1
      main material 1,254 t    -> 1.045 t/t    saving (1.1 − 1.045) / 1.1 = 0.05
      water         3,000 m³   -> 2.5 m³/t     saving 0.5 / 3 = 1/6
      energy: 540,000 × 0.0001543 = 83.322 TOE + 216 × 0.7 = 151.2 TOE = 234.522 TOE
              -> 0.195435 TOE/t, saving (0.21715 − 0.195435) / 0.21715 = 0.1
      combined: mean of energy 0.1 and main material 0.05 = 0.075 (water is not part of T3)
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    ConversionFactor,
    ReportingSchedule,
    Resource,
    SelfReport,
    SelfReportConsumption,
)
from assessments.savings import (
    FacilitySavings,
    baseline_for,
    facility_savings,
    intensity,
    plausibility_warnings,
    plausibility_warnings_for,
    saving,
    savings_series,
    toe_factor,
)
from facilities.models import Facility, Product

D = Decimal
BASELINE_LINES = {"electricity": "500000", "coal": "200", "main-material": "1100", "water": "3000"}
REPORT_LINES = {"electricity": "540000", "coal": "216", "main-material": "1254", "water": "3000"}
END_2019 = datetime.date(2019, 12, 31)


def make_baseline(
    facility: Facility,
    *,
    year: int = 2016,
    output: str = "1000",
    unit: str = "t",
    completed_on: datetime.date = datetime.date(2017, 6, 30),
    kind: str = "detailed",
    status: str = "completed",
    lines: dict[str, str] = BASELINE_LINES,
) -> Baseline:
    assessment = Assessment.objects.create(
        facility=facility,
        kind=kind,
        status=status,
        completed_on=completed_on if status == "completed" else None,
        funding="provincial",
    )
    baseline = Baseline.objects.create(
        assessment=assessment, year=year, output=D(output), output_unit=unit
    )
    for code, quantity in lines.items():
        BaselineConsumption.objects.create(
            baseline=baseline, resource=Resource.objects.get(code=code), quantity=D(quantity)
        )
    return baseline


def make_report(
    facility: Facility,
    *,
    year: int = 2019,
    quarter: int | None = None,
    output: str | None = "1200",
    unit: str = "t",
    status: str = "approved",
    version: int = 1,
    supersedes: SelfReport | None = None,
    lines: dict[str, str] = REPORT_LINES,
) -> SelfReport:
    report = SelfReport.objects.create(
        facility=facility,
        period_kind="quarter" if quarter else "year",
        year=year,
        quarter=quarter,
        version=version,
        supersedes=supersedes,
        status=status,
        output=None if output is None else D(output),
        output_unit=unit,
    )
    for code, quantity in lines.items():
        SelfReportConsumption.objects.create(
            report=report, resource=Resource.objects.get(code=code), quantity=D(quantity)
        )
    return report


def by_code(result: FacilitySavings) -> dict[str, object]:
    return {row.resource.code: row for row in result.resources}


@pytest.fixture
def plant(facilities) -> Facility:
    """The brickworks of the worked example, making tonnes of product."""
    facility = facilities["own"]
    Product.objects.create(facility=facility, name="Gạch tuynel", unit="t")
    return facility


# --- the arithmetic -------------------------------------------------------------------------


def test_intensity_and_saving_are_undefined_without_something_to_divide_by() -> None:
    assert intensity(D(500), D(1000)) == D("0.5")
    assert intensity(None, D(1000)) is None
    assert intensity(D(500), None) is None
    assert intensity(D(500), D(0)) is None
    assert saving(D(500), D(450)) == D("0.1")
    assert saving(D(500), D(550)) == D("-0.1")  # intensity rose: a negative saving
    assert saving(None, D(450)) is None
    assert saving(D(0), D(450)) is None
    assert saving(D(500), None) is None


def test_the_worked_example_saves_a_tenth_of_energy_and_combines_with_material(plant) -> None:
    make_baseline(plant)
    make_report(plant)
    result = facility_savings(plant, on=END_2019)
    assert result is not None
    assert (result.baseline_year, result.baseline_unit) == (2016, "t")
    assert result.period_end == END_2019
    assert result.period_label == "Năm 2019"
    # The resources' own order (rank): electricity, coal, water, main material.
    assert [row.resource.code for row in result.resources] == [
        "electricity",
        "coal",
        "water",
        "main-material",
    ]
    rows = by_code(result)
    assert rows["electricity"].baseline_intensity == D(500)
    assert rows["electricity"].current_intensity == D(450)
    assert rows["electricity"].saving == D("0.1")
    assert rows["coal"].baseline_intensity == D("0.2")
    assert rows["coal"].current_intensity == D("0.18")
    assert rows["coal"].saving == D("0.1")
    assert rows["main-material"].saving == D("0.05")
    assert rows["water"].saving == D("0.5") / D(3)
    assert result.energy is not None
    assert result.energy.resource.unit == "TOE"
    assert result.energy.baseline_intensity == D("0.21715")
    assert result.energy.current_intensity == D("0.195435")
    assert result.energy.saving == D("0.1")
    # (0.1 + 0.05) / 2; water's 1/6 is left out of the T3 figure.
    assert result.combined == D("0.075")


def test_energy_is_weighted_by_toe_not_averaged_over_energy_resources(plant) -> None:
    # Coal stays at 0.2 t/t (240 t for 1,200 t), electricity saves 0.1 as before:
    # report energy = 83.322 + 240 × 0.7 = 168 -> 251.322 TOE -> 0.209435 TOE/t;
    # saving = (0.21715 − 0.209435) / 0.21715 = 0.007715 / 0.21715, i.e. electricity's share of
    # the baseline TOE (77.15 of 217.15) times its 0.1 saving: about 0.0355, not 0.05.
    make_baseline(plant)
    make_report(plant, lines=REPORT_LINES | {"coal": "240"})
    result = facility_savings(plant, on=END_2019)
    assert by_code(result)["coal"].saving == 0
    assert result.energy.current_intensity == D("0.209435")
    assert result.energy.saving == D("7.715") / D("217.15")
    assert result.combined == (D("7.715") / D("217.15") + D("0.05")) / 2


def test_a_switch_of_fuel_counts_in_the_energy_total(plant) -> None:
    # Coal replaced by natural gas of the same energy: 168 thousand m³ × 0.9 = 151.2 TOE, as
    # the 216 t of coal in the worked example. Coal and gas each have no saving of their own
    # (one side is missing), but energy still saves 0.1.
    make_baseline(plant)
    lines = {k: v for k, v in REPORT_LINES.items() if k != "coal"} | {"natural-gas": "168"}
    make_report(plant, lines=lines)
    result = facility_savings(plant, on=END_2019)
    rows = by_code(result)
    assert rows["coal"].current_intensity is None
    assert rows["coal"].saving is None
    assert rows["natural-gas"].baseline_intensity is None
    assert rows["natural-gas"].saving is None
    assert result.energy.saving == D("0.1")


def test_a_zero_baseline_output_gives_no_savings(plant) -> None:
    make_baseline(plant, output="0")
    make_report(plant)
    result = facility_savings(plant, on=END_2019)
    assert all(row.baseline_intensity is None for row in result.resources)
    assert all(row.saving is None for row in result.resources)
    assert result.energy.saving is None
    assert result.combined is None


def test_a_resource_missing_at_baseline_has_no_saving_of_its_own(plant) -> None:
    make_baseline(plant, lines={k: v for k, v in BASELINE_LINES.items() if k != "water"})
    make_report(plant)
    rows = by_code(facility_savings(plant, on=END_2019))
    assert rows["water"].baseline_intensity is None
    assert rows["water"].current_intensity == D("2.5")
    assert rows["water"].saving is None
    assert rows["electricity"].saving == D("0.1")


def test_a_report_with_no_output_has_no_intensity(plant) -> None:
    make_baseline(plant)
    make_report(plant, output="0")
    result = facility_savings(plant, on=END_2019)
    assert all(row.current_intensity is None for row in result.resources)
    assert result.energy.current_intensity is None
    assert result.combined is None


def test_a_missing_conversion_factor_leaves_energy_undefined_and_names_the_fuel(plant) -> None:
    ConversionFactor.objects.filter(resource__code="coal").delete()
    make_baseline(plant)
    make_report(plant)
    result = facility_savings(plant, on=END_2019)
    assert result.energy.saving is None
    assert [resource.code for resource in result.missing_factors] == ["coal"]
    assert by_code(result)["coal"].saving == D("0.1")
    assert result.material == D("0.05")
    # Changed with the T3 definition: the figure was the material's 0.05 alone, silently an
    # other measure than the other facilities' mean of energy and material. Without its energy
    # saving the facility now has no T3 figure, and the missing factor is named instead.
    assert result.combined is None


# --- which data -----------------------------------------------------------------------------


def test_without_a_completed_detailed_baseline_there_are_no_savings(plant) -> None:
    make_report(plant)
    assert facility_savings(plant, on=END_2019) is None
    make_baseline(plant, kind="quick")
    make_baseline(plant, status="in_progress")
    assert baseline_for(plant) is None
    assert facility_savings(plant, on=END_2019) is None


def test_baseline_for_takes_the_latest_assessment_completed_by_the_date(plant) -> None:
    first = make_baseline(plant, year=2016, completed_on=datetime.date(2017, 6, 30))
    second = make_baseline(plant, year=2019, completed_on=datetime.date(2020, 5, 15))
    assert baseline_for(plant) == second
    assert baseline_for(plant, on=datetime.date(2020, 5, 14)) == first
    assert baseline_for(plant, on=datetime.date(2017, 6, 29)) is None


def test_a_figure_as_of_a_past_date_keeps_the_baseline_of_that_date(plant) -> None:
    make_baseline(plant, year=2016, completed_on=datetime.date(2017, 6, 30))
    make_report(plant, year=2018)
    make_baseline(plant, year=2019, completed_on=datetime.date(2020, 5, 15))
    assert facility_savings(plant, on=datetime.date(2019, 12, 31)).baseline_year == 2016
    # The 2018 report predates the new baseline year: nothing to measure against it yet.
    assert facility_savings(plant, on=datetime.date(2020, 12, 31)) is None


def test_a_report_for_the_baseline_year_measures_no_saving(plant) -> None:
    make_baseline(plant)
    make_report(plant, year=2016)
    assert facility_savings(plant, on=END_2019) is None


def test_both_sides_are_converted_with_the_factor_valid_at_the_end_of_the_period(plant) -> None:
    # A new text from 2018 sets electricity at 0.0002 TOE/kWh; the old row stays open-ended,
    # as the reference data migration asks (a new row, never an edit of the old one).
    electricity = Resource.objects.get(code="electricity")
    new_factor = ConversionFactor.objects.create(
        resource=electricity,
        toe_per_unit=D("0.0002"),
        source="Văn bản thử nghiệm 2018",
        valid_from=datetime.date(2018, 1, 1),
    )
    assert toe_factor(electricity, datetime.date(2009, 12, 31)) is None
    assert toe_factor(electricity, datetime.date(2017, 12, 31)) == D("0.0001543")
    assert toe_factor(electricity, datetime.date(2018, 1, 1)) == D("0.0002")
    make_baseline(plant)
    make_report(plant, year=2017)
    make_report(plant, year=2019)
    # 2017 (old factor on both sides): the worked example's 0.195435 TOE/t, saving 0.1.
    in_2017 = facility_savings(plant, on=datetime.date(2017, 12, 31))
    assert in_2017.energy.baseline_intensity == D("0.21715")
    assert in_2017.energy.current_intensity == D("0.195435")
    assert in_2017.energy.saving == D("0.1")
    assert in_2017.factor_day == datetime.date(2017, 12, 31)
    # 2019: the new factor on both sides. Baseline 500,000 × 0.0002 = 100 + 140 = 240 TOE ->
    # 0.24 TOE/t; report 108 + 151.2 = 259.2 TOE -> 0.216 TOE/t; saving 0.024 / 0.24 = 0.1.
    # Changed with the rule of one factor per comparison: the baseline kept its 2016 factor
    # before (0.21715 TOE/t), and the new legal factor read as a saving of 0.00115 / 0.21715.
    in_2019 = facility_savings(plant, on=END_2019)
    assert in_2019.energy.baseline_intensity == D("0.24")
    assert in_2019.energy.current_intensity == D("0.216")
    assert in_2019.energy.saving == D("0.1")
    assert in_2019.factor_day == END_2019
    assert [(used.resource.code, used.factor) for used in in_2019.factors] == [
        ("electricity", new_factor),
        ("coal", ConversionFactor.objects.get(resource__code="coal")),
    ]


def test_a_new_legal_factor_leaves_a_plant_that_changed_nothing_at_a_zero_saving(plant) -> None:
    # Same consumption per tonne in 2016 and 2019; a new electricity factor from 2018 on. With
    # each side converted by the factor of its own date, the 2019 TOE total rose and the saving
    # came out negative (a change in the law read as a change in the plant).
    ConversionFactor.objects.create(
        resource=Resource.objects.get(code="electricity"),
        toe_per_unit=D("0.0001"),
        source="Văn bản thử nghiệm 2018",
        valid_from=datetime.date(2018, 1, 1),
    )
    make_baseline(plant)
    same = {code: str(D(quantity) * D("1.2")) for code, quantity in BASELINE_LINES.items()}
    make_report(plant, lines=same)
    result = facility_savings(plant, on=END_2019)
    assert result.energy.saving == 0
    assert result.combined == 0


def test_only_the_approved_current_version_counts(plant) -> None:
    make_baseline(plant)
    first = make_report(plant, lines=REPORT_LINES | {"electricity": "600000"})
    make_report(plant, version=2, supersedes=first)  # the correction, approved
    make_report(plant, year=2020, status="draft", lines={"electricity": "1"})
    make_report(plant, year=2020, quarter=1, status="submitted", lines={"electricity": "1"})
    result = facility_savings(plant, on=datetime.date(2020, 12, 31))
    assert result.period_end == END_2019
    assert by_code(result)["electricity"].saving == D("0.1")  # not 600,000's 0.0


def test_a_year_report_is_preferred_to_later_quarters(plant, facilities) -> None:
    make_baseline(plant)
    make_report(plant, year=2018)
    for quarter in (1, 2, 3):
        make_report(plant, quarter=quarter, output="300", lines={"electricity": "135000"})
    as_of = datetime.date(2019, 10, 15)
    # Three quarters of 2019 are not a year: the 2018 report is compared.
    assert facility_savings(plant, on=as_of).period_end == datetime.date(2018, 12, 31)
    # Changed with the like-period rule: without a year report the latest quarter (Q2/2019, a
    # quarter against a baseline year) was compared; with no four consecutive quarters either,
    # there is now no comparison.
    other = facilities["other"]
    make_baseline(other)
    for quarter in (1, 2, 3):
        make_report(other, quarter=quarter, output="300", lines={"electricity": "135000"})
    assert facility_savings(other, on=datetime.date(2019, 9, 29)) is None


def test_four_consecutive_quarters_are_summed_and_compared_with_the_baseline_year(plant) -> None:
    # Q3/2018–Q2/2019, each a quarter of the worked example's 2019 year: 300 t, 54 t of coal,
    # 313.5 t of main material, 750 m³ of water, and 135,000 kWh on average, but seasonal:
    # 67,500 in Q1, 202,500 in Q2. Q2/2019 alone (the latest quarter, which the figure used to
    # be) would show electricity up 35% on the baseline; summed, the four quarters are the
    # worked example's year: energy 0.1, material 0.05, figure 0.075.
    make_baseline(plant)
    quarter = {"electricity": "135000", "coal": "54", "main-material": "313.5", "water": "750"}
    for year, number, kwh in (
        (2018, 3, "135000"),
        (2018, 4, "135000"),
        (2019, 1, "67500"),
        (2019, 2, "202500"),
        (2019, 3, "1"),  # ends after the date: not part of the comparison
    ):
        make_report(
            plant, year=year, quarter=number, output="300", lines=quarter | {"electricity": kwh}
        )
    result = facility_savings(plant, on=datetime.date(2019, 9, 29))
    assert result.period_label == "Quý 3/2018 – Quý 2/2019"
    assert (result.period_start, result.period_end) == (
        datetime.date(2018, 7, 1),
        datetime.date(2019, 6, 30),
    )
    assert len(result.reports) == 4
    assert by_code(result)["electricity"].current_intensity == D(450)
    assert result.energy.saving == D("0.1")
    assert result.combined == D("0.075")
    # A gap breaks the run: without Q4/2018 there are no four consecutive quarters.
    SelfReport.objects.filter(year=2018, quarter=4).update(status="returned")
    assert facility_savings(plant, on=datetime.date(2019, 9, 29)) is None


def test_the_later_of_the_year_report_and_the_four_quarters_is_compared(plant) -> None:
    make_baseline(plant)
    make_report(plant, year=2018)
    quarter = {"electricity": "135000", "coal": "54", "main-material": "313.5", "water": "750"}
    for year, number in ((2018, 4), (2019, 1), (2019, 2), (2019, 3)):
        make_report(plant, year=year, quarter=number, output="300", lines=quarter)
    # Q4/2018–Q3/2019 ends after the year 2018: the more recent picture.
    result = facility_savings(plant, on=datetime.date(2019, 10, 15))
    assert result.period_end == datetime.date(2019, 9, 30)
    # Once the year 2019 is reported it ends as late as its quarters would: the year report.
    make_report(plant, year=2019, quarter=4, output="300", lines=quarter)
    make_report(plant, year=2019)
    assert facility_savings(plant, on=END_2019).period_label == "Năm 2019"


def test_a_report_in_another_unit_is_not_comparable(plant) -> None:
    make_baseline(plant)
    make_report(plant, unit="m3")
    assert facility_savings(plant, on=END_2019) is None
    assert savings_series(plant) == []


def test_the_series_lists_each_comparable_report_oldest_first_in_bounded_queries(
    plant, django_assert_max_num_queries
) -> None:
    make_baseline(plant)
    make_report(plant, year=2016)  # the baseline year: nothing to measure
    make_report(plant, year=2017, output="1100")
    make_report(plant, year=2018, unit="m3")  # another unit: left out
    make_report(plant, year=2019)
    for quarter in (1, 2, 3, 4):
        make_report(plant, quarter=quarter, output="300", lines={"electricity": "135000"})
    make_report(plant, year=2020, status="submitted")
    with django_assert_max_num_queries(5):
        series = savings_series(plant)
    assert [(s.period_end, s.period_label) for s in series] == [
        (datetime.date(2017, 12, 31), "Năm 2017"),
        (datetime.date(2019, 3, 31), "Quý 1/2019"),
        (datetime.date(2019, 6, 30), "Quý 2/2019"),
        (datetime.date(2019, 9, 30), "Quý 3/2019"),
        (datetime.date(2019, 12, 31), "Quý 4/2019"),
        (datetime.date(2019, 12, 31), "Năm 2019"),
    ]
    assert series[-1] == facility_savings(plant, on=END_2019)


# --- plausibility warnings ------------------------------------------------------------------


def test_a_plausible_report_has_no_warnings(plant) -> None:
    make_baseline(plant)
    make_report(plant, year=2018)
    assert plausibility_warnings(make_report(plant, status="submitted")) == []


def test_consumption_without_output_is_warned(plant) -> None:
    make_baseline(plant)
    for output in (None, "0"):
        report = make_report(plant, output=output, status="submitted")
        assert plausibility_warnings(report) == [
            "Sản lượng bằng 0 hoặc chưa khai báo trong khi có số liệu tiêu thụ: "
            "không tính được suất tiêu hao."
        ]
        report.consumptions.all().delete()
        report.delete()


def test_an_output_unit_of_no_registered_product_is_warned(plant) -> None:
    make_report(plant, unit="m2", status="submitted")  # no baseline: only the product check
    report = SelfReport.objects.get()
    assert plausibility_warnings(report) == [
        "Đơn vị sản phẩm của báo cáo (m²) không phải đơn vị của sản phẩm nào đã đăng ký cho cơ sở."
    ]


def test_a_unit_other_than_the_baselines_is_warned(plant) -> None:
    Product.objects.create(facility=plant, name="Ngói", unit="piece")
    make_baseline(plant)
    report = make_report(plant, unit="piece", status="submitted")
    assert plausibility_warnings(report) == [
        "Đơn vị sản phẩm (cái, chiếc) khác năm cơ sở 2016 (tấn): không so sánh được suất tiêu hao."
    ]


def test_an_intensity_jump_against_the_baseline_is_warned_with_its_percentage(plant) -> None:
    # 810,000 kWh for 1,200 t = 675 kWh/t against 500: +35%, over the yearly threshold of 30%.
    # Coal at 156 t = 0.13 t/t against 0.2: −35%.
    make_baseline(plant)
    report = make_report(
        plant, status="submitted", lines=REPORT_LINES | {"electricity": "810000", "coal": "156"}
    )
    assert plausibility_warnings(report) == [
        "Suất tiêu hao Điện năng tăng 35% so với năm cơ sở 2016.",
        "Suất tiêu hao Than giảm 35% so với năm cơ sở 2016.",
    ]


def test_an_intensity_jump_against_the_previous_report_is_warned(plant) -> None:
    # 2018: 480,000 kWh for 1,200 t = 400 kWh/t (−20% on the baseline: no warning then).
    # 2019: 720,000 kWh for 1,200 t = 600 kWh/t: +20% on the baseline, but +50% on 2018.
    make_baseline(plant)
    make_report(plant, year=2018, lines=REPORT_LINES | {"electricity": "480000"})
    report = make_report(plant, status="submitted", lines=REPORT_LINES | {"electricity": "720000"})
    assert plausibility_warnings(report) == [
        "Suất tiêu hao Điện năng tăng 50% so với báo cáo Năm 2018."
    ]


def test_the_threshold_is_the_schedules_for_the_reports_period_kind(plant) -> None:
    make_baseline(plant)
    lines = REPORT_LINES | {"electricity": "810000"}  # +35% on the baseline, as above
    year_report = make_report(plant, status="submitted", lines=lines)
    quarter_report = make_report(
        plant, quarter=1, output="300", status="submitted", lines={"electricity": "202500"}
    )
    ReportingSchedule.objects.filter(period_kind="year").update(
        intensity_change_threshold=D("0.40")
    )
    assert plausibility_warnings(year_report) == []
    assert plausibility_warnings(quarter_report) == [
        "Suất tiêu hao Điện năng tăng 35% so với năm cơ sở 2016.",
        "Không khai báo Than, trong khi năm cơ sở 2016 có tiêu thụ: kiểm tra lại "
        "(khi cộng năng lượng quy đổi, mục bỏ trống được tính là 0).",
        "Không khai báo Nước, trong khi năm cơ sở 2016 có tiêu thụ: kiểm tra lại "
        "(khi cộng năng lượng quy đổi, mục bỏ trống được tính là 0).",
        "Không khai báo Nguyên liệu chính, trong khi năm cơ sở 2016 có tiêu thụ: kiểm tra lại "
        "(khi cộng năng lượng quy đổi, mục bỏ trống được tính là 0).",
    ]


def test_a_fuel_without_a_toe_factor_is_warned_in_the_review(plant) -> None:
    # Rice husk has a factor only from 2020 on; the 2019 report burns some.
    ConversionFactor.objects.filter(resource__code="rice-husk").update(
        valid_from=datetime.date(2020, 1, 1)
    )
    make_baseline(plant)
    report = make_report(plant, status="submitted", lines=REPORT_LINES | {"rice-husk": "10"})
    assert plausibility_warnings(report) == [
        "Chưa có hệ số quy đổi TOE của Trấu có hiệu lực ngày 31/12/2019: không tính được mức "
        "tiết kiệm năng lượng (và chỉ tiêu T3) của cơ sở cho đến khi bổ sung hệ số."
    ]


def test_the_review_page_shows_the_missing_toe_factor(plant, users, client_for) -> None:
    ConversionFactor.objects.filter(resource__code="rice-husk").delete()
    make_baseline(plant, lines=BASELINE_LINES | {"rice-husk": "5"})
    report = make_report(plant, status="submitted", lines=REPORT_LINES | {"rice-husk": "6"})
    page = client_for(users["department_staff"]).get(
        reverse("assessments:selfreport_detail", args=[report.pk])
    )
    assert "Chưa có hệ số quy đổi TOE của Trấu có hiệu lực ngày 31/12/2019" in page.content.decode()


def test_a_zero_consumption_of_a_resource_used_at_baseline_is_warned(plant) -> None:
    make_baseline(plant)
    report = make_report(plant, status="submitted", lines=REPORT_LINES | {"coal": "0"})
    # Said once, not also as a 100% fall.
    assert plausibility_warnings(report) == [
        "Tiêu thụ Than bằng 0, trong khi năm cơ sở 2016 có tiêu thụ."
    ]


def test_warnings_for_many_reports_match_one_by_one_in_bounded_queries(
    plant, facilities, django_assert_max_num_queries
) -> None:
    # A quarter of the worked example's baseline: 250 t for 125,000 kWh, 50 t of coal, 275 t of
    # main material and 750 m³ of water. Every third report belongs to the other facility,
    # whose baseline counts pieces; some plant reports have no output, 40% more electricity or
    # no coal; the rest are plausible.
    make_baseline(plant)
    make_baseline(facilities["other"], unit="piece")
    quarter = {"electricity": "125000", "coal": "50", "main-material": "275", "water": "750"}
    reports = []
    periods = [(year, q) for year in (2017, 2018, 2019) for q in (1, 2, 3, 4)]
    for index, (year, q) in enumerate(periods):
        lines = quarter.copy()
        if index % 4 == 1:
            lines["electricity"] = "175000"
        if index % 6 == 5:
            lines["coal"] = "0"
        reports.append(
            make_report(
                plant if index % 3 else facilities["other"],
                year=year,
                quarter=q,
                output="0" if index % 5 == 4 else "250",
                status="approved" if index % 2 else "submitted",
                lines=lines,
            )
        )
    one_by_one = {report.pk: plausibility_warnings(report) for report in reports}
    assert any(one_by_one.values())
    assert not all(one_by_one.values())
    # 9 queries: the previous reports as rows, every line at once and the resources, the
    # products, the schedules' thresholds, the baselines and their lines, the conversion
    # factors and the product units' names.
    with django_assert_max_num_queries(9):
        few = plausibility_warnings_for(reports[:3])
    with django_assert_max_num_queries(9):
        many = plausibility_warnings_for(reports)
    assert few == {report.pk: one_by_one[report.pk] for report in reports[:3]}
    assert many == one_by_one


@pytest.mark.django_db
def test_a_correction_in_draft_leaves_the_approved_figures_in_force(facilities) -> None:
    own = facilities["own"]
    approved = SelfReport.objects.create(
        facility=own, period_kind="year", year=2019, status="approved", output=1
    )
    draft = SelfReport.objects.create(
        facility=own, period_kind="year", year=2019, version=2, supersedes=approved
    )
    assert list(SelfReport.objects.in_force()) == [approved]
    draft.status = "approved"
    draft.save()
    assert list(SelfReport.objects.in_force()) == [draft]
