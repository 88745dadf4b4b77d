"""Energy in TOE, the designated-user list, avoided emissions and programme savings, by hand.

Shipped factors (migration 0008): electricity 0.0001543 TOE/kWh, coal (types 1–2) 0.70 TOE/t,
diesel 1.02 TOE/t; grid 2021 0.7221 tCO₂/MWh, 2023 (in force from then on) 0.6592 tCO₂/MWh;
coal 0.70 × 41.868 GJ × 98,300 kg/TJ = 2.880937 tCO₂/t; diesel 1.02 × 41.868 × 74,100 =
3.164467 tCO₂/t.

"own" (flag off in the registry):
    2024, four quarters of 400,000 kWh + 200 t coal:
        4 × (61.72 + 140) = 806.88 TOE                                    -> below
    2025, a year report: 2,000,000 kWh + 1,000 t coal + 10 t diesel, output 1,100 t:
        308.6 + 700 + 10.2 = 1,018.8 TOE                                  -> listed, crossed
"other" (flagged): 2024 year report 1,500 t coal = 1,050 TOE; 2025 only Q1–Q3 of 500 t coal
        = 1,050 TOE: a lower bound already at the threshold          -> listed, not crossed
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.energy import (
    THRESHOLD_TOE,
    add_working_days,
    avoided_emissions,
    check_queue,
    designated_list,
    form_facts,
    programme_savings,
    yearly_energy,
)
from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    ConversionFactor,
    CPOption,
    EmissionFactor,
    GhgInventoryListing,
    Resource,
    SelfReport,
    SelfReportConsumption,
    SelfReportMeasure,
)
from facilities.models import Facility
from tests.factories import FacilityFactory

D = Decimal
pytestmark = pytest.mark.django_db


def report(
    facility: Facility,
    year: int,
    lines: dict[str, str],
    *,
    quarter: int | None = None,
    output: str | None = "1000",
    status: str = SelfReport.Status.APPROVED,
) -> SelfReport:
    made = SelfReport.objects.create(
        facility=facility,
        period_kind="quarter" if quarter else "year",
        year=year,
        quarter=quarter,
        status=status,
        output=D(output) if output is not None else None,
        output_unit="t",
        submitted_at=timezone.now(),
        reviewed_at=timezone.now() if status == SelfReport.Status.APPROVED else None,
    )
    for code, quantity in lines.items():
        SelfReportConsumption.objects.create(
            report=made, resource=Resource.objects.get(code=code), quantity=D(quantity)
        )
    return made


def baseline(facility: Facility, year: int, output: str, lines: dict[str, str]) -> Baseline:
    assessment = Assessment.objects.create(
        facility=facility,
        kind="detailed",
        status="completed",
        started_on=datetime.date(year + 1, 1, 10),
        completed_on=datetime.date(year + 1, 6, 30),
        funding="provincial",
    )
    made = Baseline.objects.create(
        assessment=assessment, year=year, output=D(output), output_unit="t"
    )
    for code, quantity in lines.items():
        BaselineConsumption.objects.create(
            baseline=made, resource=Resource.objects.get(code=code), quantity=D(quantity)
        )
    return made


@pytest.fixture
def worked(facilities: dict[str, Facility]) -> dict[str, Facility]:
    own, other = facilities["own"], facilities["other"]
    Facility.objects.filter(pk=other.pk).update(is_designated_energy_user=True)
    for quarter in range(1, 5):
        report(own, 2024, {"electricity": "400000", "coal": "200"}, quarter=quarter)
    report(
        own,
        2025,
        {"electricity": "2000000", "coal": "1000", "diesel": "10", "water": "5000"},
        output="1100",
    )
    report(other, 2024, {"coal": "1500"})
    for quarter in range(1, 4):
        report(other, 2025, {"coal": "500"}, quarter=quarter)
    own.refresh_from_db()
    other.refresh_from_db()
    return {"own": own, "other": other}


def test_a_year_report_is_converted_with_the_factors_by_hand(worked) -> None:
    energy = yearly_energy(2025)[worked["own"].pk]
    assert energy.from_year_report
    assert energy.toe == D("1018.8")  # 308.6 + 700 + 10.2
    assert [line.resource.code for line in energy.lines] == ["electricity", "coal", "diesel"]
    assert energy.is_exact and energy.at_or_above and energy.warnings == []


def test_four_quarters_add_up_when_there_is_no_year_report(worked) -> None:
    energy = yearly_energy(2024)[worked["own"].pk]
    assert not energy.from_year_report and energy.quarters == (1, 2, 3, 4)
    assert energy.toe == D("806.88")
    assert not energy.at_or_above


def test_missing_quarters_leave_a_lower_bound_with_a_warning(worked) -> None:
    energy = yearly_energy(2025)[worked["other"].pk]
    assert energy.toe == D("1050")
    assert not energy.whole_year and not energy.is_exact
    assert energy.warnings == [
        "Mới có báo cáo đã duyệt của quý 1, 2, 3/2025: tổng năng lượng chưa đủ cả năm."
    ]


def test_the_list_holds_facilities_at_or_above_1000_toe_and_marks_those_that_crossed(
    worked,
) -> None:
    found = designated_list(2025)
    assert [(row.facility, row.energy.toe, row.crossed) for row in found.rows] == [
        (worked["other"], D("1050"), False),  # 1,050 before 1,018.8
        (worked["own"], D("1018.8"), True),  # 806.88 in 2024
    ]
    assert found.total_toe == D("2068.8")
    assert [row.facility for row in found.crossed] == [worked["own"]]
    assert THRESHOLD_TOE == 1000


def test_the_registry_flag_is_compared_with_the_figures(worked) -> None:
    flagged_low = FacilityFactory(name="Cơ sở Cờ Sai", is_designated_energy_user=True)
    report(flagged_low, 2025, {"electricity": "1000000"})  # 154.3 TOE
    flagged_silent = FacilityFactory(name="Cơ sở Im Lặng", is_designated_energy_user=True)
    found = designated_list(2025)
    said = {row.facility.name: row.disagreement for row in found.disagreements}
    assert said == {
        worked["own"].name: (
            "Đạt ngưỡng nhưng sổ đăng ký chưa ghi là cơ sở sử dụng năng lượng trọng điểm."
        ),
        flagged_low.name: "Sổ đăng ký ghi là trọng điểm nhưng mức tiêu thụ của năm dưới 1.000 TOE.",
        flagged_silent.name: "Sổ đăng ký ghi là trọng điểm nhưng chưa có báo cáo đã duyệt của năm.",
    }


def test_an_energy_resource_without_a_factor_is_a_warning_not_a_zero(worked) -> None:
    biogas = Resource.objects.create(code="biogas", name="Khí sinh học", unit="m³", kind="fuel")
    plant = FacilityFactory(name="Cơ sở Khí Sinh Học")
    report(plant, 2025, {"electricity": "100000", "biogas": "700000"})
    energy = yearly_energy(2025)[plant.pk]
    assert energy.toe == D("15.43")
    assert energy.missing_factors == (biogas,)
    assert not energy.is_exact
    assert energy.warnings == [
        "Chưa có hệ số quy đổi TOE của Khí sinh học có hiệu lực ngày 31/12/2025: tổng TOE chưa "
        "tính 700000.000 m³ này; vui lòng bổ sung hệ số."
    ]
    assert [row.facility for row in designated_list(2025).uncertain] == [plant]


def test_drafts_and_reports_under_review_do_not_count(worked) -> None:
    plant = FacilityFactory(name="Cơ sở Chưa Duyệt")
    report(plant, 2025, {"coal": "5000"}, status=SelfReport.Status.SUBMITTED)
    assert plant.pk not in yearly_energy(2025)


def test_avoided_emissions_by_hand(worked) -> None:
    # Baseline 2020, output 1,000 t: 2,500,000 kWh and 1,200 t coal, no diesel. For 2025's
    # 1,100 t: expected 2,750,000 kWh and 1,320 t coal; saved 750,000 kWh, 320 t coal, -10 t
    # diesel. TOE: 115.725 + 224 - 10.2 = 329.525. tCO₂e (grid factor of 2023, still in force):
    # 750,000 × 0.0006592 = 494.4; 320 × 2.880937 = 921.89984; -10 × 3.164467 = -31.64467.
    baseline(worked["own"], 2020, "1000", {"electricity": "2500000", "coal": "1200"})
    figure = avoided_emissions(2025)[worked["own"].pk]
    assert figure.baseline_year == 2020
    assert {line.resource.code: line.saved for line in figure.lines} == {
        "electricity": D("750000"),
        "coal": D("320"),
        "diesel": D("-10"),
    }
    assert figure.toe == D("329.525")
    assert figure.tco2e == D("1384.65517")
    assert figure.warnings == []
    # "other" has no baseline, and no whole year: no figure rather than a zero.
    assert worked["other"].pk not in avoided_emissions(2025)


def test_each_year_takes_the_grid_factor_of_that_year(facilities) -> None:
    plant = facilities["own"]
    baseline(plant, 2019, "1000", {"electricity": "1100000"})
    report(plant, 2021, {"electricity": "1000000"})  # 100,000 kWh saved
    report(plant, 2018, {"electricity": "1000000"})
    assert avoided_emissions(2021)[plant.pk].tco2e == D("72.21")  # × 0.7221 t/MWh


def test_a_year_without_an_emission_factor_warns(facilities) -> None:
    plant = facilities["own"]
    baseline(plant, 2016, "1000", {"electricity": "1100000"})
    report(plant, 2018, {"electricity": "1000000"})  # no grid factor before 2019
    figure = avoided_emissions(2018)[plant.pk]
    assert figure.tco2e == 0 and figure.toe == D("15.43")
    assert figure.warnings == [
        "Chưa có hệ số phát thải của Điện năng có hiệu lực ngày 31/12/2018: lượng phát thải "
        "tránh được chưa tính phần này; vui lòng bổ sung hệ số."
    ]


def test_programme_savings_add_money_once_and_measure_toe_and_co2(worked, users) -> None:
    baseline(worked["own"], 2020, "1000", {"electricity": "2500000", "coal": "1200"})
    assessment = Assessment.objects.get(facility=worked["own"])
    CPOption.objects.create(
        assessment=assessment,
        technique="equipment",
        description="Biến tần quạt lò",
        savings_vnd_per_year=D("50000000"),
        savings_toe_per_year=D("12.5"),
        status="verified",
        implemented_on=datetime.date(2024, 3, 1),
        verified_on=datetime.date(2024, 5, 1),
    )
    for quarter_report in SelfReport.objects.filter(facility=worked["own"], year=2024)[:2]:
        SelfReportMeasure.objects.create(
            report=quarter_report,
            technique="housekeeping",
            description="Thu hồi nhiệt khí thải",
            implemented_on=datetime.date(2024, 2, 1),
            savings_vnd_per_year=D("20000000"),
        )
    savings = programme_savings(2025)
    assert savings.vnd == D("70000000")  # the measure reported twice counts once
    assert savings.toe_declared == D("12.5")
    assert savings.toe_measured == D("329.525")
    assert savings.tco2e == D("1384.65517")
    assert savings.facilities_measured == 1
    assert "IPCC 2006" in savings.method and "2025" in savings.method
    assert [f.resource.code for f in savings.toe_factors] == ["electricity", "coal", "diesel"]
    # As of a data date before the 2025 report was approved, nothing was measured yet.
    SelfReport.objects.filter(facility=worked["own"], year=2025).update(
        reviewed_at=datetime.datetime(2026, 2, 1, 3, tzinfo=datetime.UTC)
    )
    SelfReport.objects.filter(facility=worked["own"], year=2024).update(
        reviewed_at=datetime.datetime(2025, 1, 20, 3, tzinfo=datetime.UTC)
    )
    earlier = programme_savings(2025, on=datetime.date(2026, 1, 31))
    assert earlier.facilities_measured == 0 and earlier.tco2e == 0
    assert earlier.vnd == D("70000000")  # the option and the 2024 measure were in place
    assert [(f.resource.code, f.valid_from.year) for f in savings.emission_factors] == [
        ("electricity", 2023),
        ("coal", 2006),
        ("diesel", 2006),
    ]


def test_working_days_skip_weekends_and_tet() -> None:
    # Thursday 12/02/2026: Friday 13 is one, Tết takes 16–20/02, then 23, 24, 25, 26.
    assert add_working_days(datetime.date(2026, 2, 12), 5) == datetime.date(2026, 2, 26)
    # New Year's Day 2027 is a Friday.
    assert add_working_days(datetime.date(2026, 12, 31), 5) == datetime.date(2027, 1, 8)


def test_the_check_queue_holds_designated_users_submissions_with_their_deadline(worked) -> None:
    submitted = report(worked["other"], 2025, {"coal": "2000"}, status=SelfReport.Status.SUBMITTED)
    SelfReport.objects.filter(pk=submitted.pk).update(
        submitted_at=datetime.datetime(2026, 1, 14, 9, tzinfo=datetime.UTC)
    )
    # not designated by the registry nor by 2024's figures (806.88 TOE)
    SelfReport.objects.filter(facility=worked["own"], year=2025).update(status="submitted")
    queue = check_queue(2025, today=datetime.date(2026, 1, 22))
    assert [(c.report.pk, c.received_on, c.deadline) for c in queue] == [
        (submitted.pk, datetime.date(2026, 1, 14), datetime.date(2026, 1, 21))
    ]
    assert queue[0].overdue


def test_form_facts_gather_energy_and_the_years_measures(worked) -> None:
    SelfReportMeasure.objects.create(
        report=SelfReport.objects.get(facility=worked["own"], year=2025),
        technique="equipment",
        description="Thay động cơ hiệu suất cao",
        implemented_on=datetime.date(2025, 4, 1),
        cost_vnd=D("80000000"),
        savings_vnd_per_year=D("30000000"),
    )
    (facts,) = form_facts(2025, Facility.objects.filter(pk=worked["own"].pk))
    assert facts.energy is not None and facts.energy.toe == D("1018.8")
    assert [m.description for m in facts.measures] == ["Thay động cơ hiệu suất cao"]


def test_the_shipped_factors_carry_their_source_and_biomass_is_unverified() -> None:
    electricity = ConversionFactor.objects.get(resource__code="electricity")
    assert electricity.toe_per_unit == D("0.0001543")
    assert "3505/BCT-KHCN" in electricity.source and not electricity.is_verified
    for code in ("firewood", "rice-husk"):
        assert ConversionFactor.objects.get(resource__code=code).source == ""
    for code, value in {
        "coal-3-4": "0.6",
        "coal-5-6": "0.5",
        "diesel-kl": "0.88",
        "fuel-oil-kl": "0.94",
        "petrol": "1.05",
        "petrol-kl": "0.83",
    }.items():
        assert ConversionFactor.objects.get(resource__code=code).toe_per_unit == D(value)
    grid = EmissionFactor.objects.filter(resource__code="electricity").order_by("valid_from")
    assert [(f.valid_from.year, f.tco2e_per_unit * 1000) for f in grid] == [
        (2019, D("0.8458")),
        (2020, D("0.8041")),
        (2021, D("0.7221")),
        (2022, D("0.6766")),
        (2023, D("0.6592")),
    ]


def test_a_factor_cannot_be_marked_checked_without_a_source() -> None:
    factor = ConversionFactor.objects.get(resource__code="firewood")
    factor.source_checked = True
    with pytest.raises(ValidationError):
        factor.full_clean()


def test_the_latest_ghg_listing_is_shown(worked) -> None:
    GhgInventoryListing.objects.create(
        facility=worked["own"], decision="13/2024/QĐ-TTg", decided_on=datetime.date(2024, 8, 13)
    )
    (row,) = [r for r in designated_list(2025).rows if r.facility == worked["own"]]
    assert row.ghg_listing is not None and row.ghg_listing.decision == "13/2024/QĐ-TTg"


def test_the_forms_offer_the_extra_fuels_only_once_enabled_or_used() -> None:
    coke = Resource.objects.get(code="coke")
    assert coke not in Resource.objects.for_form()
    assert coke in Resource.objects.for_form([coke.pk])
    Resource.objects.filter(pk=coke.pk).update(offered=True)
    assert coke in Resource.objects.for_form()
