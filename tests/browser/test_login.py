from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from portal.models import Role
from tests.factories import PASSWORD, UserFactory


def _sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_staff_member_signs_in_and_sees_the_dashboard(
    page: Page, live_server, screenshot_path
) -> None:
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.screenshot(path=screenshot_path("login"), full_page=True)
    user = UserFactory.for_role(Role.DEPARTMENT_STAFF, full_name="Trần Thị Hương")
    _sign_in(page, live_server.url, user.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/tong-quan/$"))
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    expect(page.get_by_text("Trần Thị Hương").first).to_be_visible()
    menu = page.get_by_test_id("main-menu")
    expect(menu.get_by_role("link", name="Cơ sở", exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Quản trị hệ thống")).to_have_count(0)
    path = screenshot_path("dashboard-department-staff")
    page.screenshot(path=path, full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_wrong_password_is_explained_and_keeps_the_username(page: Page, live_server) -> None:
    user = UserFactory.for_role(Role.OFFICIAL)
    _sign_in(page, live_server.url, user.username, "sai-mat-khau")
    expect(page.get_by_text("mật khẩu chính xác")).to_be_visible()
    expect(page.get_by_label("Tên đăng nhập")).to_have_value(user.username)


def test_the_language_switch_changes_the_page(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_test_id("language-switch").get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_test_id("language-switch").get_by_role("button", name="VI").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
