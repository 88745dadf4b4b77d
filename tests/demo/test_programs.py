from __future__ import annotations

import datetime
import random
from collections import Counter

import pytest
from django.db.models import Exists, F, OuterRef, Q

from assessments.models import CPOption
from demo.assessments import seed_assessments
from demo.facilities import seed_facilities
from demo.programs import TODAY, seed_programme
from portal.models import Role, User
from programs.models import (
    Agency,
    AgencyTask,
    Award,
    Course,
    CourseParticipant,
    Official,
    SupportProject,
    TaskUpdate,
)
from tests.factories import UserFactory

SEEDED_MODELS = (
    SupportProject,
    SupportProject.facilities.through,
    Course,
    Official,
    CourseParticipant,
    Award,
    AgencyTask,
    TaskUpdate,
)
END_OF_PLAN = datetime.date(2020, 12, 31)


@pytest.fixture
def officer(db: None) -> User:
    return UserFactory.for_role(Role.AGENCY_OFFICER)


def seed(officer: User | None) -> None:
    seed_programme(scale="demo", rng=random.Random(2016), officers=[officer] if officer else [])


@pytest.fixture
def seeded(officer: User) -> User:
    seed_facilities(scale="demo", rng=random.Random(2016), manager=None)
    seed_assessments(scale="demo", rng=random.Random(2016), consultant=None, reviewer=None)
    seed(officer)
    return officer


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


def test_each_plan_year_has_one_or_two_provincial_projects_and_central_models(
    seeded: User,
) -> None:
    per_year = Counter(SupportProject.objects.values_list("year", "funding"))

    for year in range(2016, 2021):
        assert 1 <= per_year[(year, SupportProject.Funding.PROVINCIAL)] <= 2, year
        assert 1 <= per_year[(year, SupportProject.Funding.CENTRAL)] <= 2, year
    assert sum(n for (year, _funding), n in per_year.items() if year > 2020) >= 3
    assert any(funding == SupportProject.Funding.DONOR for _year, funding in per_year)


def test_projects_are_dated_in_their_year_and_linked_to_one_to_four_facilities(
    seeded: User,
) -> None:
    projects = SupportProject.objects.prefetch_related("facilities")
    Status = SupportProject.Status

    for project in projects:
        assert 1 <= len(project.facilities.all()) <= 4
        if project.funding == SupportProject.Funding.CENTRAL:
            assert project.proposed_on.year == project.year
            assert bool(project.ministry_decision) == (project.status != Status.REJECTED)
        else:
            assert project.approved_on.year == project.year
            assert project.status in (Status.APPROVED, Status.IN_PROGRESS, Status.COMPLETED)
    assert projects.filter(status=Status.REJECTED, year__lte=2020).exists()


def test_state_support_keeps_within_the_joint_circular_caps(seeded: User) -> None:
    projects = SupportProject.objects.prefetch_related("facilities")
    assert projects.exists()

    for project in projects:
        assert 0 < project.state_support_vnd * 2 <= project.budget_vnd
        assert project.state_support_vnd <= 50_000_000 * len(project.facilities.all())


def test_a_second_run_with_the_same_seed_changes_no_counts(seeded: User) -> None:
    first = counts()

    seed(seeded)

    assert counts() == first


def test_most_but_not_all_officials_dedicated_at_the_end_of_2020_were_trained_by_then(
    seeded: User,
) -> None:
    dedicated = Official.objects.filter(dedicated_from__lte=END_OF_PLAN).filter(
        Q(dedicated_to__isnull=True) | Q(dedicated_to__gte=END_OF_PLAN)
    )
    trained = dedicated.filter(
        Exists(
            CourseParticipant.objects.filter(
                official=OuterRef("pk"),
                completed=True,
                course__qualifies_for_t5=True,
                course__ends_on__lte=END_OF_PLAN,
            )
        )
    )

    assert 0.75 <= trained.count() / dedicated.count() <= 0.97
    assert 50 <= Official.objects.count() <= 70
    assert Official.objects.filter(dedicated_to__isnull=False).exists()


def test_every_district_committee_has_a_dedicated_official_and_a_task(seeded: User) -> None:
    districts = Agency.objects.filter(kind=Agency.Kind.DISTRICT)

    assert not districts.exclude(officials__level=Official.Level.DISTRICT).exists()
    assert not districts.exclude(tasks__isnull=False).exists()
    provincial_tasks = Counter(
        AgencyTask.objects.exclude(agency__kind=Agency.Kind.DISTRICT).values_list(
            "agency__code", flat=True
        )
    )
    assert len(provincial_tasks) == 7
    assert all(2 <= n <= 4 for n in provincial_tasks.values())


def test_every_course_has_participants_and_certificates_go_to_those_who_completed(
    seeded: User,
) -> None:
    assert not Course.objects.filter(participants__isnull=True).exists()
    for year in range(2016, 2021):
        assert 2 <= Course.objects.filter(starts_on__year=year).count() <= 4, year
    assert not CourseParticipant.objects.filter(completed=False).exclude(certificate_number="")
    certificates = CourseParticipant.objects.exclude(certificate_number="").values_list(
        "certificate_number", flat=True
    )
    assert len(certificates) == len(set(certificates))


def test_awards_go_to_facilities_that_applied_cp_by_that_year(seeded: User) -> None:
    awards = Award.objects.all()
    assert awards.count() >= 10

    for award in awards:
        assert CPOption.objects.filter(
            assessment__facility=award.facility_id,
            status=CPOption.Status.VERIFIED,
            verified_on__year__lte=award.year,
        ).exists()
        assert award.issued_by in ("UBND tỉnh Nghệ An", "Bộ Công Thương")


def test_some_tasks_are_late(seeded: User) -> None:
    late = AgencyTask.objects.filter(due_on__lt=TODAY).exclude(status=AgencyTask.Status.DONE)

    assert late.count() >= 2
    assert AgencyTask.objects.filter(status=AgencyTask.Status.DONE).count() > late.count()
    assert not AgencyTask.objects.filter(due_on__year__lt=2016).exists()
    assert not AgencyTask.objects.filter(due_on__year__gt=2020).exists()


def test_task_updates_rise_to_the_task_progress_and_never_pass_100(seeded: User) -> None:
    updates = TaskUpdate.objects.all()
    assert updates.exists()
    assert not updates.filter(progress__gt=100).exists()
    assert not updates.exclude(posted_by=seeded).exists()
    # An officer posts only on their own agency's tasks.
    assert not updates.exclude(task__agency=seeded.agency).exists()

    for task in AgencyTask.objects.filter(agency=seeded.agency).prefetch_related("updates"):
        steps = sorted(task.updates.all(), key=lambda update: update.posted_at)
        assert [u.progress for u in steps] == sorted({u.progress for u in steps})
        if steps:
            assert steps[-1].progress == task.progress
        else:
            assert task.status == AgencyTask.Status.NOT_STARTED


def test_without_an_officer_tasks_are_seeded_without_updates(db: None) -> None:
    seed_facilities(scale="demo", rng=random.Random(2016), manager=None)
    seed_assessments(scale="demo", rng=random.Random(2016), consultant=None, reviewer=None)

    seed(None)

    assert AgencyTask.objects.exists()
    assert not TaskUpdate.objects.exists()


def test_seeded_rows_pass_model_validation(seeded: User) -> None:
    # The seed skips full_clean for speed, so its values must be valid by construction.
    models = (SupportProject, Course, Official, CourseParticipant, Award, AgencyTask, TaskUpdate)
    for model in models:
        for row in model.objects.all():
            row.full_clean()
    assert not Official.objects.filter(dedicated_to__lt=F("dedicated_from")).exists()


def test_it_refuses_an_unknown_scale(db: None) -> None:
    with pytest.raises(ValueError, match="scale"):
        seed_programme(scale="world", rng=random.Random(1), officers=[])
