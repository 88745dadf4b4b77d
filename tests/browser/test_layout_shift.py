"""The dashboard does not move while its charts are drawn: their boxes have their height in
the HTML (Lighthouse counts a cumulative layout shift above 0.1 as poor; we keep ≤ 0.05)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from portal.models import Role
from tests.browser.roles import sign_in, user_of

# Summed as Lighthouse does for a page that stays open: every shift not caused by input.
MEASURE_SHIFTS = """
window.layoutShift = 0;
new PerformanceObserver((entries) => {
  for (const entry of entries.getEntries()) {
    if (!entry.hadRecentInput) { window.layoutShift += entry.value; }
  }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.mark.parametrize("width", [1366, 390])
def test_the_dashboard_shifts_at_most_0_05_while_it_draws_its_charts(
    page: Page, live_server, programme, width: int
) -> None:
    sign_in(page, live_server, user_of(Role.DEPARTMENT_STAFF, programme))
    # Tall enough that the charts are in view: a shift below the screen would not count (the
    # charts swapped in by htmx after load measured 0.27 here).
    page.set_viewport_size({"width": width, "height": 3000})
    page.add_init_script(MEASURE_SHIFTS)
    page.goto(f"{live_server.url}{reverse('dashboard')}")
    page.wait_for_load_state("networkidle")
    # Charts are drawn as they come near the screen: scroll down to the areas' one.
    page.locator("#chart-areas").scroll_into_view_if_needed()
    page.wait_for_function("document.getElementById('chart-areas').width > 0")
    page.wait_for_timeout(800)  # the charts' animation
    shift = page.evaluate("window.layoutShift")
    print(f"layout shift at {width} px: {shift:.4f}")
    assert shift <= 0.05
