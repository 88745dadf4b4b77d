from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from facilities import importer
from portal.models import Role
from tests.factories import PASSWORD, FacilityFactory, UserFactory


def _sign_in_as_staff(page: Page, base_url: str) -> None:
    user = UserFactory.for_role(Role.DEPARTMENT_STAFF)
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_staff_search_the_list_and_open_a_facility(
    page: Page, live_server, screenshot_path
) -> None:
    FacilityFactory(name="Công ty Cổ phần Gạch ngói Diễn Châu")
    FacilityFactory(name="Công ty TNHH Chế biến Thủy sản Quỳnh Lưu")
    _sign_in_as_staff(page, live_server.url)
    page.goto(f"{live_server.url}/co-so/")
    page.get_by_label("Tìm theo tên hoặc mã số thuế").fill("gach ngoi")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("1 cơ sở")
    page.screenshot(path=screenshot_path("facility-list-search"), full_page=True)
    page.get_by_role("link", name="Công ty Cổ phần Gạch ngói Diễn Châu").click()
    expect(page.get_by_role("heading", name="Công ty Cổ phần Gạch ngói Diễn Châu")).to_be_visible()
    page.screenshot(path=screenshot_path("facility-detail"), full_page=True)


def test_an_import_with_errors_is_previewed_and_writes_nothing(
    page: Page, live_server, screenshot_path, tmp_path
) -> None:
    workbook = load_workbook(io.BytesIO(importer.template_workbook()))
    sheet = workbook["Cơ sở"]
    sheet.append(
        ["Công ty TNHH Thử", "2900326335", "Công ty TNHH", "Xóm 1", "Diễn Châu", "", "239", "Nhỏ"]
    )
    path = tmp_path / "co-so.xlsx"
    workbook.save(path)
    _sign_in_as_staff(page, live_server.url)
    page.goto(f"{live_server.url}/co-so/nhap-excel/")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(path)
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page).to_have_url(re.compile(r"/co-so/nhap-excel/\d+/$"))
    page.get_by_role("button", name="Kiểm tra tệp (chưa ghi gì)").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("sai chữ số kiểm tra")
    expect(page.get_by_role("button", name="Nhập", exact=True)).to_be_disabled()
    page.screenshot(path=screenshot_path("facility-import-preview"), full_page=True)


def test_the_unit_picker_filters_as_one_types(page: Page, live_server) -> None:
    from facilities.geography import load_admin_units

    load_admin_units()
    _sign_in_as_staff(page, live_server.url)
    page.goto(f"{live_server.url}/co-so/them/")
    select = page.locator("select#id_administrative_unit")
    assert select.locator("option").count() > 100
    page.get_by_label("Tìm xã, phường…").fill("dien chau")
    shown = select.locator("option:not([hidden])").all_inner_texts()
    assert shown and all("Diễn Châu" in text or not text.strip("-") for text in shown), shown
