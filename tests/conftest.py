from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.test import Client

from facilities.models import AdministrativeUnit, Facility
from portal.models import Role, User
from programs.models import Agency
from tests.factories import FacilityFactory, UserFactory


@pytest.fixture
def users(db: None) -> dict[str, User]:
    """One user per role, keyed by the role's value, plus an officer of another district."""
    people: dict[str, User] = {role.value: UserFactory.for_role(role) for role in Role}
    people["other_district_officer"] = UserFactory.for_role(
        Role.AGENCY_OFFICER, agency=Agency.objects.get(code="ubnd-421")
    )
    people["other_facility_manager"] = UserFactory.for_role(Role.FACILITY_MANAGER)
    return people


@pytest.fixture
def facilities(users: dict[str, User]) -> dict[str, Facility]:
    """Two facilities: "own" (Diễn Châu) managed by the facility manager, "other" (Quỳnh Lưu)
    managed by the other facility manager."""
    own = FacilityFactory(
        name="Công ty Cổ phần Gạch ngói Diễn Châu", managers=[users["facility_manager"]]
    )
    other = FacilityFactory(
        name="Công ty TNHH Chế biến Thủy sản Quỳnh Lưu",
        administrative_unit=AdministrativeUnit.objects.get(code="421", level="district"),
        managers=[users["other_facility_manager"]],
    )
    return {"own": own, "other": other}


@pytest.fixture
def client_for(db: None):
    """client_for(user) gives a test client signed in as that user (None: anonymous)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # PBKDF2's deliberate slowness would dominate the suite; hashing itself is Django's, not ours.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Each test's database starts again from the migrations, and so does the version its cached
    # figures are keyed by (reporting/freshness.py): one test's figures are not another's.
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    # Uploads written by tests go to a throw-away folder, never into var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


# The reference data the migrations ship (units, sectors, agencies, resources). A transactional
# test (live server, real Celery worker) flushes the database afterwards, so such tests put it
# back with the migrations' own, idempotent functions.
REFERENCE_DATA = [
    ("facilities.migrations.0003_plan_era_units", "add_units"),
    ("facilities.migrations.0005_reference_data", "add_reference_data"),
    ("facilities.migrations.0012_product_units", "add_units"),
    ("programs.migrations.0002_plan_agencies", "add_agencies"),
    ("programs.migrations.0010_ship_plan_2020_indicators", "ship"),
    ("programs.migrations.0004_nghe_an_plan_to_2020", "add_plan"),
    ("programs.migrations.0012_draft_plan_2021_2030", "ship"),
    ("programs.migrations.0016_places_reached_target", "ship"),
    ("assessments.migrations.0004_reference_data", "add_reference_data"),
    ("assessments.migrations.0016_ship_sector_materials", "ship"),
    ("programs.migrations.0017_sector_materials_targets", "ship"),
    ("reporting.migrations.0007_kept_figures", "built_when_empty"),
    ("reporting.migrations.0010_figures_version", "add_version"),
]


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(django_apps, None)
