"""The menu fits the screen: no sideways scrolling on a desktop, whatever the language or the
length of the user's name (the department admin sees the longest menu)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from portal.models import Role
from tests.factories import PASSWORD, UserFactory


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_menu_fits_every_desktop_width(page: Page, live_server, language) -> None:
    admin = UserFactory.for_role(Role.DEPARTMENT_ADMIN, full_name="Nguyễn Thị Phương Thảo Nguyên")
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(admin.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("networkidle")
    if language == "en":
        page.locator("button[value=en]").click()
        page.wait_for_load_state("networkidle")
    for width in (1200, 1280, 1366, 1440, 1600, 1800, 1920):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/co-so/")
        assert page.evaluate("document.documentElement.scrollWidth") == width, width
        # The user's name stays reachable: shown, or read out, and inside the drop-down.
        assert page.locator(".user-menu .user-name").text_content() == admin.full_name
        page.goto(f"{live_server.url}/")  # the public pages' own menu
        assert page.evaluate("document.documentElement.scrollWidth") == width, width
