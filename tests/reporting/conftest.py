from __future__ import annotations

import os
import shutil

import pytest

from demo import run as demo


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
