"""axe-core finds nothing serious or critical on the pages each role opens daily, nor on the
public pages. axe is injected into the page, which the portal's CSP would refuse: its browser
context bypasses the CSP (tests/browser/test_csp.py holds the pages to the policy)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Browser, Page

from portal.models import Role
from tests.browser.roles import pages_of, sign_in, user_of

AXE = Axe()
BLOCKING = {"critical", "serious"}


@pytest.fixture
def axe_page(browser: Browser, browser_context_args: dict):
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    yield context.new_page()
    context.close()


def _findings_here(page: Page) -> list[str]:
    """axe's serious and critical findings on the page as it stands: rule, then targets."""
    results = AXE.run(page)
    return [
        f"{page.url} [{violation['impact']}] {violation['id']}: "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


def _blocking_findings(page: Page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    page.wait_for_load_state("networkidle")
    return _findings_here(page)


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_axe_finds_nothing_serious_on_a_roles_main_pages(
    axe_page: Page, live_server, programme, role: Role
) -> None:
    user = user_of(role, programme)
    sign_in(axe_page, live_server, user)
    findings: list[str] = []
    for path in pages_of(user, programme):
        findings += _blocking_findings(axe_page, f"{live_server.url}{path}")
    print("\n".join(findings))
    assert findings == []


def test_axe_finds_nothing_serious_on_the_public_pages(axe_page: Page, live_server) -> None:
    findings: list[str] = []
    for name in ("home", "public:news_list", "public:contact"):
        findings += _blocking_findings(axe_page, f"{live_server.url}{reverse(name)}")
    print("\n".join(findings))
    assert findings == []


def test_axe_finds_nothing_serious_on_a_self_report_refused_for_its_errors(
    axe_page: Page, live_server, programme
) -> None:
    sign_in(axe_page, live_server, programme["manager"])
    draft = programme["draft"]
    axe_page.goto(f"{live_server.url}{reverse('assessments:selfreport_detail', args=[draft.pk])}")
    axe_page.get_by_label("Điện năng").fill("-5")
    axe_page.get_by_label("Than").fill("nhiều")
    axe_page.get_by_role("button", name="Lưu bản nháp").click()
    axe_page.wait_for_load_state("networkidle")
    assert axe_page.locator(".is-invalid").count() >= 2  # the save was refused
    findings = _findings_here(axe_page)
    print("\n".join(findings))
    assert findings == []
