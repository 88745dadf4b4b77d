from __future__ import annotations

import random
from datetime import date

import pytest

from demo.facilities import seed_facilities
from facilities.models import (
    AdministrativeUnit,
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    OutreachActivity,
    OutreachParticipation,
    Product,
    normalise_tax_code,
)
from portal.models import Role
from tests.factories import UserFactory

END_OF_2020 = date(2020, 12, 31)
SEEDED_MODELS = (
    Facility,
    Product,
    OutreachActivity,
    OutreachParticipation,
    AwarenessConfirmation,
    DedicatedUnit,
)


def seed(number: int = 2016) -> int:
    return seed_facilities(scale="demo", rng=random.Random(number), manager=None)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


@pytest.mark.django_db
def test_demo_scale_creates_300_facilities_with_valid_unique_tax_codes_in_all_21_units() -> None:
    assert seed() == 300

    tax_codes = list(Facility.objects.values_list("tax_code", flat=True))
    assert len(tax_codes) == len(set(tax_codes)) == 300
    assert all(code.startswith("29") for code in tax_codes)
    assert all(normalise_tax_code(code) == code for code in tax_codes)
    branches = [code for code in tax_codes if "-" in code]
    assert 1 <= len(branches) <= 20
    assert {code[:10] for code in branches} <= set(tax_codes)  # a branch's parent is registered
    districts = AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.DISTRICT)
    assert districts.filter(facilities__isnull=False).distinct().count() == 21
    assert not Facility.objects.exclude(sector__level=3).exists()


@pytest.mark.django_db
def test_every_seeded_facility_passes_model_validation() -> None:
    # The seed skips full_clean for speed, so its values must be valid by construction.
    seed()

    for facility in Facility.objects.all():
        facility.full_clean()
    assert not Facility.objects.filter(products__isnull=True).exists()


@pytest.mark.django_db
def test_running_it_twice_with_the_same_seed_changes_no_counts() -> None:
    seed()
    first = counts()

    seed()

    assert counts() == first


@pytest.mark.django_db
def test_the_same_seed_draws_the_same_registry_again() -> None:
    def registry() -> list[tuple[str, str]]:
        return list(Facility.objects.order_by("tax_code").values_list("name", "tax_code"))

    seed(7)
    first, first_counts = registry(), counts()
    Facility.objects.all().delete()
    OutreachActivity.objects.all().delete()

    seed(7)

    assert registry() == first
    assert counts() == first_counts


@pytest.mark.django_db
def test_by_the_end_of_2020_most_in_scope_facilities_are_aware_of_cleaner_production() -> None:
    seed()

    denominator = Facility.objects.in_denominator_on(END_OF_2020)
    share = denominator.aware_on(END_OF_2020).count() / denominator.count()

    assert 0.75 <= share <= 0.92
    assert not OutreachParticipation.objects.filter(activity__kind="media").exists()


@pytest.mark.django_db
def test_by_the_end_of_2020_a_fifth_to_two_fifths_have_a_dedicated_cp_unit() -> None:
    seed()

    denominator = Facility.objects.in_denominator_on(END_OF_2020)
    share = denominator.with_cp_unit_on(END_OF_2020).count() / denominator.count()

    assert 0.2 <= share <= 0.4


@pytest.mark.django_db
def test_the_demo_manager_runs_exactly_two_facilities_in_dien_chau() -> None:
    manager = UserFactory.for_role(Role.FACILITY_MANAGER)

    seed_facilities(scale="demo", rng=random.Random(2016), manager=manager)
    seed_facilities(scale="demo", rng=random.Random(2016), manager=manager)

    managed = manager.managed_facilities.all()
    assert managed.count() == 2
    assert {facility.administrative_unit.code for facility in managed} == {"425"}


@pytest.mark.django_db
def test_it_refuses_an_unknown_scale() -> None:
    with pytest.raises(ValueError, match="scale"):
        seed_facilities(scale="world", rng=random.Random(1), manager=None)
