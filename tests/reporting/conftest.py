from __future__ import annotations

import os
import shutil

import pytest

from demo import run as demo
from facilities.models import Facility
from programs.models import Plan
from tests.reporting.test_indicators import build_world


def need(tool: str) -> str:
    """The path of a command-line tool the test reads its output with. CI installs them all
    (REQUIRE_REPORT_TOOLS=1) and fails without one; elsewhere the test is skipped."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("REQUIRE_REPORT_TOOLS") == "1":
            pytest.fail(
                f"{tool} is required (apt-get install poppler-utils libreoffice-calc-nogui)"
            )
        pytest.skip(f"{tool} is not installed")
    return path


@pytest.fixture
def demo_data(db, settings) -> None:
    """The demo programme (about 270 facilities with five years of activity)."""
    settings.DEBUG = True  # the demo refuses to run with DEBUG off
    demo.seed()


@pytest.fixture
def shipped_plan(db) -> Plan:
    """The plan to 2020, as the migrations ship it."""
    return Plan.objects.get(name__startswith="Kế hoạch thực hiện Chiến lược")


@pytest.fixture
def world(db) -> dict[str, Facility]:
    """The province worked out by hand in test_indicators."""
    return build_world()
