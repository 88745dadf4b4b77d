from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from demo import run as demo
from portal.models import OfficialBody, Role
from programs.models import Plan
from reporting import services
from reporting.models import DownloadLog
from tests.factories import PASSWORD, UserFactory


def test_an_official_drills_down_from_a_card_and_downloads_the_quarterly_report(
    page: Page, live_server, screenshot_path, settings
) -> None:
    settings.DEBUG = True  # the demo refuses to run with DEBUG off
    demo.seed()
    settings.DEBUG = False
    run, _created = services.request_report(
        Plan.objects.get(end_year=2020), year=2020, quarter=4, audience="province"
    )
    services.generate(run.pk)
    official = UserFactory.for_role(
        Role.OFFICIAL, full_name="Hoàng Văn Thắng", official_body=OfficialBody.PROVINCIAL_COMMITTEE
    )
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(official.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/tong-quan/$"))

    page.goto(f"{live_server.url}/tong-quan/?on=31/12/2020")
    expect(page.get_by_test_id("dashboard-charts")).to_be_visible(timeout=30_000)
    page.screenshot(path=screenshot_path("dashboard-official"), full_page=True)
    card = page.locator(".indicator-card", has_text="T2").first
    # The card's parts: "18 / 270 · mục tiêu 25–50%".
    shown = card.locator(".small", has_text=re.compile(r"\d / \d")).first.inner_text()
    applying = int(shown.split("/")[0].replace(".", "").strip())
    card.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/co-so/\?.*applying=yes"))
    expect(page.get_by_text(re.compile(rf"{applying} cơ sở · trên tổng số"))).to_be_visible()
    page.screenshot(path=screenshot_path("drill-down-t2"))

    page.get_by_test_id("main-menu").get_by_role("link", name="Báo cáo tổng hợp").click()
    page.get_by_role("link", name="Quý IV năm 2020").first.click()
    with page.expect_download() as pdf_download:
        page.get_by_test_id("download-pdf").click()
    assert pdf_download.value.path().read_bytes().startswith(b"%PDF")
    with page.expect_download() as xlsx_download:
        page.get_by_test_id("download-xlsx").click()
    workbook = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()), read_only=True)
    assert workbook.sheetnames[0] == "Tổng hợp"
    page.screenshot(path=screenshot_path("report-detail"), full_page=True)
    assert DownloadLog.objects.filter(user=official, run=run).count() == 2
