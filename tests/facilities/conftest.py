from __future__ import annotations

import pytest

from facilities.geography import REFORM_DAY
from facilities.models import AdministrativeUnit


@pytest.fixture
def current_commune(db: None) -> AdministrativeUnit:
    """One commune of the map of 01/07/2025: what a facility is placed in today (the suite does
    not load all 130; `load_admin_units` does, where a test needs them)."""
    return AdministrativeUnit.objects.create(
        code="17035",
        name="Quỳ Hợp",
        level=AdministrativeUnit.Level.COMMUNE,
        kind=AdministrativeUnit.Kind.COMMUNE,
        parent=AdministrativeUnit.objects.get(code="40", level="province"),
        valid_from=REFORM_DAY,
    )
