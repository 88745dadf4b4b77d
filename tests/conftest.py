from __future__ import annotations

import pytest
from django.test import Client

from portal.models import Role, User
from programs.models import Agency
from tests.factories import UserFactory


@pytest.fixture
def users(db: None) -> dict[str, User]:
    """One user per role, keyed by the role's value, plus an officer of another district."""
    people: dict[str, User] = {role.value: UserFactory.for_role(role) for role in Role}
    people["other_district_officer"] = UserFactory.for_role(
        Role.AGENCY_OFFICER, agency=Agency.objects.get(code="ubnd-421")
    )
    return people


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
