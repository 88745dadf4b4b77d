"""The Content-Security-Policy blocks nothing of our own: Chromium reports no violation on the
pages people use, so a template that grows an inline script fails here, not in production."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page

from portal.models import Role
from tests.factories import PASSWORD, FacilityFactory, UserFactory


def test_chromium_reports_no_policy_violation_on_the_main_pages(page: Page, live_server) -> None:
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    facility = FacilityFactory(name="Công ty Cổ phần Gạch ngói Diễn Châu")
    user = UserFactory.for_role(Role.DEPARTMENT_STAFF)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("networkidle")
    for path in [
        "/tong-quan/",
        "/co-so/",
        f"/co-so/{facility.pk}/",
        "/co-so/them/",
        "/bao-cao/duyet/",
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert violations == []
