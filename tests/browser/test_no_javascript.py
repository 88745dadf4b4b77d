"""With JavaScript off, every role's main pages show their content and their actions work:
the user menu opens and signs out, the narrow-screen menu is there, the dashboard's tables
are on the page (no chart waiting for a script), the facility page's sections all show."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from portal.models import Role
from tests.browser.roles import pages_of, sign_in, user_of


@pytest.fixture
def no_js_page(browser: Browser, browser_context_args: dict):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    yield context.new_page()
    context.close()


def _main_content_shows(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    main = page.locator("main#main")
    expect(main.locator("h1")).to_be_visible()
    assert main.inner_text().strip(), url
    # Nothing that only a script would fill or replace.
    assert "Đang vẽ biểu đồ" not in page.content(), url
    assert page.locator("[hx-trigger=load]").count() == 0, url


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_a_roles_main_pages_work_without_javascript_and_logout_works(
    no_js_page: Page, live_server, programme, role: Role
) -> None:
    user = user_of(role, programme)
    sign_in(no_js_page, live_server, user)
    for path in pages_of(user, programme):
        _main_content_shows(no_js_page, f"{live_server.url}{path}")
    no_js_page.goto(f"{live_server.url}{reverse('dashboard')}")
    if role in (Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_STAFF, Role.AGENCY_OFFICER, Role.OFFICIAL):
        for table in ("table-years", "table-areas", "table-sectors"):
            assert no_js_page.locator(f"#{table}").count() == 1, table
        expect(no_js_page.locator("canvas").first).to_be_hidden()  # the charts step aside
    # The user menu is a <details>: it opens without a script, and logout signs out.
    logout = no_js_page.get_by_role("button", name="Đăng xuất")
    expect(logout).to_be_hidden()
    no_js_page.locator("summary.user-menu").click()
    expect(logout).to_be_visible()
    logout.click()
    no_js_page.goto(f"{live_server.url}{reverse('dashboard')}")
    assert "/tai-khoan/dang-nhap/" in no_js_page.url


def test_the_menu_is_reachable_on_a_phone_without_javascript(
    no_js_page: Page, live_server, programme
) -> None:
    user = user_of(Role.DEPARTMENT_STAFF, programme)
    sign_in(no_js_page, live_server, user)
    no_js_page.set_viewport_size({"width": 390, "height": 800})
    no_js_page.goto(f"{live_server.url}{reverse('dashboard')}")
    expect(no_js_page.get_by_role("link", name="Cơ sở", exact=True)).to_be_visible()
    expect(no_js_page.locator(".navbar-toggler")).to_be_hidden()
    no_js_page.locator("summary.user-menu").click()
    expect(no_js_page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_the_facility_page_shows_its_timeline_and_history_without_javascript(
    no_js_page: Page, live_server, programme
) -> None:
    user = user_of(Role.DEPARTMENT_STAFF, programme)
    sign_in(no_js_page, live_server, user)
    no_js_page.goto(
        f"{live_server.url}{reverse('reporting:facility_detail', args=[programme['facility'].pk])}"
    )
    for heading in ("Hồ sơ", "Quá trình tham gia", "Lịch sử thay đổi"):
        expect(no_js_page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(no_js_page.get_by_test_id("timeline")).to_be_visible()


def test_the_facility_lists_folded_filters_open_without_javascript(
    no_js_page: Page, live_server, programme
) -> None:
    user = user_of(Role.DEPARTMENT_STAFF, programme)
    sign_in(no_js_page, live_server, user)
    no_js_page.goto(f"{live_server.url}{reverse('reporting:facility_list')}")
    size = no_js_page.get_by_label("Quy mô")
    expect(size).to_be_hidden()
    no_js_page.get_by_test_id("more-filters").locator("summary").click()
    expect(size).to_be_visible()
