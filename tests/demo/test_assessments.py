from __future__ import annotations

import datetime
import random
from collections import Counter

import pytest
from django.utils import timezone

from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    CPOption,
    SelfReport,
    SelfReportConsumption,
    SelfReportMeasure,
    SelfReportTransition,
    SupportOrganisation,
)
from demo.assessments import seed_assessments
from demo.facilities import seed_facilities
from portal.models import Role, User
from tests.factories import UserFactory

SEEDED_MODELS = (
    SupportOrganisation,
    Assessment,
    Baseline,
    BaselineConsumption,
    CPOption,
    SelfReport,
    SelfReportConsumption,
    SelfReportMeasure,
    SelfReportTransition,
)
DUE_DAYS = 20  # the shipped quarterly schedule


@pytest.fixture
def people(db: None) -> dict[str, User]:
    return {
        "consultant": UserFactory.for_role(Role.CONSULTANT),
        "reviewer": UserFactory.for_role(Role.DEPARTMENT_STAFF),
    }


def seed(people: dict[str, User]) -> None:
    seed_assessments(
        scale="demo",
        rng=random.Random(2016),
        consultant=people["consultant"],
        reviewer=people["reviewer"],
    )


@pytest.fixture
def seeded(people: dict[str, User]) -> dict[str, User]:
    seed_facilities(scale="demo", rng=random.Random(2016), manager=None)
    seed(people)
    return people


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


def first_submission(report: SelfReport) -> datetime.datetime:
    return min(t.at for t in report.transitions.all() if t.to_status == SelfReport.Status.SUBMITTED)


def test_each_plan_year_has_two_to_five_quick_and_one_to_three_detailed_assessments(
    seeded: dict[str, User],
) -> None:
    per_year = Counter(Assessment.objects.values_list("started_on__year", "kind"))

    for year in range(2015, 2021):
        assert 2 <= per_year[(year, Assessment.Kind.QUICK)] <= 5, year
        assert 1 <= per_year[(year, Assessment.Kind.DETAILED)] <= 3, year
    assert sum(n for (year, _kind), n in per_year.items() if year > 2020) >= 6


def test_past_assessments_are_completed_and_the_latest_year_has_some_under_way(
    seeded: dict[str, User],
) -> None:
    past = Assessment.objects.filter(started_on__year__lte=2025)
    assert not past.exclude(status=Assessment.Status.COMPLETED).exists()
    assert all(a.completed_on > a.started_on for a in past)
    current = set(Assessment.objects.filter(started_on__year=2026).values_list("status", flat=True))
    assert {Assessment.Status.IN_PROGRESS, Assessment.Status.PLANNED} <= current
    assert not Assessment.objects.filter(organisation__isnull=True).exists()
    assert not Assessment.objects.exclude(status=Assessment.Status.PLANNED).filter(findings="")


def test_every_detailed_assessment_has_a_baseline_with_electricity_in_the_product_unit(
    seeded: dict[str, User],
) -> None:
    detailed = Assessment.objects.filter(kind=Assessment.Kind.DETAILED)
    assert detailed.exists()

    for assessment in detailed.select_related("baseline"):
        baseline = assessment.baseline
        assert baseline.year == assessment.started_on.year - 1
        assert baseline.output > 0
        first_product = assessment.facility.products.order_by("pk").first()
        assert baseline.output_unit == first_product.unit
        assert baseline.output <= first_product.annual_capacity
        codes = set(baseline.consumptions.values_list("resource__code", flat=True))
        assert {"electricity", "water", "main-material"} <= codes
        assert 1 <= len(codes - {"electricity", "water", "main-material"}) <= 2  # the fuels
    assert not Baseline.objects.filter(assessment__kind=Assessment.Kind.QUICK).exists()


def test_completed_assessments_propose_options_in_the_expected_numbers(
    seeded: dict[str, User],
) -> None:
    completed = Assessment.objects.filter(status=Assessment.Status.COMPLETED)

    for assessment in completed:
        low, high = (2, 5) if assessment.kind == Assessment.Kind.QUICK else (5, 12)
        assert low <= assessment.options.count() <= high
    statuses = Counter(CPOption.objects.values_list("status", flat=True))
    assert statuses[CPOption.Status.VERIFIED] > sum(statuses.values()) / 2
    assert statuses[CPOption.Status.REJECTED] and statuses[CPOption.Status.PROPOSED]


def test_verified_options_were_implemented_first_and_verified_by_the_reviewer(
    seeded: dict[str, User],
) -> None:
    verified = CPOption.objects.filter(status=CPOption.Status.VERIFIED).select_related("assessment")
    assert verified.exists()

    for option in verified:
        assert option.implemented_on <= option.verified_on
        assert option.assessment.completed_on < option.implemented_on
        assert option.verified_by == seeded["reviewer"]
        assert option.payback_years is None or option.payback_years <= 5


def test_a_second_run_with_the_same_seed_changes_no_counts(seeded: dict[str, User]) -> None:
    first = counts()

    seed(seeded)

    assert counts() == first


def test_the_consultant_joins_the_organisation_with_the_most_assessments(
    seeded: dict[str, User],
) -> None:
    consultant = seeded["consultant"]
    consultant.refresh_from_db()

    tally = Counter(Assessment.objects.values_list("organisation_id", flat=True))
    assert tally[consultant.support_organisation_id] == max(tally.values())
    assert consultant.support_organisation.facilities.exists()


def test_self_reports_show_every_stage_of_review(seeded: dict[str, User]) -> None:
    statuses = set(SelfReport.objects.values_list("status", flat=True))
    returned_then_approved = SelfReport.objects.filter(
        status=SelfReport.Status.APPROVED, transitions__to_status=SelfReport.Status.RETURNED
    ).distinct()

    assert {SelfReport.Status.APPROVED, SelfReport.Status.SUBMITTED, SelfReport.Status.DRAFT} <= (
        statuses
    )
    assert returned_then_approved.exists()
    assert not SelfReportTransition.objects.filter(
        to_status=SelfReport.Status.RETURNED, comment=""
    ).exists()
    assert not SelfReport.objects.filter(year__gt=2026).exists()
    assert not SelfReport.objects.filter(year=2026, quarter=4).exists()


def test_every_approved_report_has_transitions_ending_in_approved(
    seeded: dict[str, User],
) -> None:
    approved = SelfReport.objects.filter(status=SelfReport.Status.APPROVED).prefetch_related(
        "transitions"
    )
    assert approved.exists()

    for report in approved:
        steps = [(t.from_status, t.to_status) for t in report.transitions.all()]
        assert steps[0] == ("", SelfReport.Status.DRAFT)
        assert steps[-1] == (SelfReport.Status.SUBMITTED, SelfReport.Status.APPROVED)
        assert report.reviewed_by == seeded["reviewer"]
        assert report.created_at <= report.submitted_at <= report.reviewed_at


def test_most_reports_arrive_by_the_deadline_but_not_all(seeded: dict[str, User]) -> None:
    received = SelfReport.objects.filter(
        status__in=[SelfReport.Status.APPROVED, SelfReport.Status.SUBMITTED]
    ).prefetch_related("transitions")

    on_time = sum(
        timezone.localtime(first_submission(report)).date()
        <= report.period_end + datetime.timedelta(days=DUE_DAYS)
        for report in received
    )

    assert 0.6 <= on_time / len(received) <= 0.9


def test_reports_state_the_dedicated_unit_the_facility_had_at_the_period_end(
    seeded: dict[str, User],
) -> None:
    reports = SelfReport.objects.select_related("facility")
    sample = list(reports[:200])

    for report in sample:
        has_unit = (
            type(report.facility)
            .objects.filter(pk=report.facility_id)
            .with_cp_unit_on(report.period_end)
            .exists()
        )
        assert report.has_cp_unit == has_unit
    assert SelfReportMeasure.objects.exists()


def test_seeded_rows_pass_model_validation(seeded: dict[str, User]) -> None:
    # The seed skips full_clean for speed, so its values must be valid by construction.
    for model in (Assessment, Baseline, BaselineConsumption, CPOption, SelfReportMeasure):
        for row in model.objects.all():
            row.full_clean()
    for report in SelfReport.objects.all()[:300]:
        report.full_clean()


def test_it_refuses_an_unknown_scale(people: dict[str, User]) -> None:
    with pytest.raises(ValueError, match="scale"):
        seed_assessments(scale="world", rng=random.Random(1), consultant=None, reviewer=None)
