"""Browser tests drive Debian's Chromium through Playwright (Playwright cannot fetch its own
browser on these machines). Without Chromium they are skipped, unless REQUIRE_BROWSER=1."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

# live_server runs in a thread while the test touches the ORM from Playwright's sync API.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    browser_items = [item for item in items if Path(item.fspath).is_relative_to(here)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if CHROMIUM:
        return
    if REQUIRED:
        raise pytest.UsageError("REQUIRE_BROWSER=1 but no Chromium found (set CHROMIUM_PATH).")
    skip = pytest.mark.skip(reason="no Chromium found: apt-get install chromium to run these")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "viewport": {"width": 1280, "height": 800},
    }


@pytest.fixture
def screenshot_path():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return lambda name: SCREENSHOTS / f"{name}.png"


@pytest.fixture(autouse=True)
def _browser_reference_data(reference_data: None) -> None:
    """Every browser test runs on committed data with the shipped reference data in place."""


@pytest.fixture
def programme(live_server) -> dict[str, object]:
    """A facility with a manager, a consultant, an assessment, a draft and a submitted
    self-report, and an agency task (tests/browser/roles.py)."""
    from tests.browser.roles import build_programme

    return build_programme()
