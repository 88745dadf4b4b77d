"""Keyboard use of the self-report form: a refused save puts focus on a summary that links to
each field in error, the fields name their error to screen readers, focus is always visible,
and the sticky save bar never covers the focused field (WCAG 2.2, 2.4.11)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from assessments.models import SelfReport
from portal.models import Role
from tests.factories import PASSWORD, FacilityFactory, UserFactory


def _open_draft_report(page: Page, base_url: str) -> None:
    manager = UserFactory.for_role(Role.FACILITY_MANAGER)
    facility = FacilityFactory(managers=[manager])
    report = SelfReport.objects.create(
        facility=facility, period_kind="quarter", year=2020, quarter=1, output_unit="t"
    )
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(manager.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/tong-quan/$"))
    page.goto(f"{base_url}/bao-cao/{report.pk}/")


def test_a_refused_save_focuses_a_summary_linking_to_each_wrong_field(
    page: Page, live_server
) -> None:
    _open_draft_report(page, live_server.url)
    page.get_by_label("Điện năng").fill("-5")
    page.get_by_label("Than").fill("nhiều")
    page.get_by_label("Sản lượng trong kỳ").fill("1.250")
    page.get_by_role("button", name="Lưu bản nháp").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_contain_text("Điện năng")
    expect(links.nth(1)).to_contain_text("Than")
    # What the user typed is still there.
    expect(page.get_by_label("Sản lượng trong kỳ")).to_have_value("1.250")
    expect(page.get_by_label("Than")).to_have_value("nhiều")

    links.nth(1).click()
    expect(page.get_by_label("Than")).to_be_focused()

    # Each field in error names its message to screen readers through ids that exist.
    for label in ("Điện năng", "Than"):
        field = page.get_by_label(label)
        expect(field).to_have_attribute("aria-invalid", "true")
        described_by = field.get_attribute("aria-describedby")
        assert described_by
        for element_id in described_by.split():
            expect(page.locator(f"#{element_id}")).to_have_count(1)
        expect(field).to_have_accessible_description(re.compile(r"\S"))


@pytest.mark.parametrize("viewport", [(1366, 800), (390, 844)], ids=["desktop", "phone"])
def test_the_sticky_save_bar_never_covers_the_focused_field(
    page: Page, live_server, viewport: tuple[int, int]
) -> None:
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    _open_draft_report(page, live_server.url)
    page.get_by_label("Sản lượng trong kỳ").focus()
    bar = page.locator(".sticky-actions")
    for _ in range(25):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const box = el.getBoundingClientRect();
                return {inBar: !!el.closest('.sticky-actions'), bottom: box.bottom,
                        name: el.id || el.name || el.tagName};
            }"""
        )
        if focused["inBar"]:
            break
        bar_top = bar.bounding_box()["y"]
        assert focused["bottom"] <= bar_top, focused


def test_the_focus_ring_is_dark_green_on_the_page_and_white_on_the_menu(
    page: Page, live_server
) -> None:
    _open_draft_report(page, live_server.url)

    def ring_after_tab_to(locator) -> dict[str, str]:
        locator.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
        expect(locator).to_be_focused()
        return locator.evaluate(
            """el => {
                const style = getComputedStyle(el);
                return {color: style.outlineColor, width: style.outlineWidth,
                        style: style.outlineStyle};
            }"""
        )

    menu_ring = ring_after_tab_to(page.get_by_test_id("main-menu").get_by_role("link").first)
    assert menu_ring == {"color": "rgb(255, 255, 255)", "width": "3px", "style": "solid"}
    field_ring = ring_after_tab_to(page.get_by_label("Than"))
    assert field_ring == {"color": "rgb(15, 69, 41)", "width": "3px", "style": "solid"}
