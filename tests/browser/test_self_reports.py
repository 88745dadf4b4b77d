from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    Resource,
    SelfReport,
    SelfReportConsumption,
)
from facilities.models import Product
from portal.models import Role
from tests.factories import PASSWORD, FacilityFactory, UserFactory


def _sign_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/tong-quan/$"))


def test_a_manager_submits_and_staff_return_then_approve(
    page: Page, live_server, screenshot_path
) -> None:
    manager = UserFactory.for_role(Role.FACILITY_MANAGER)
    staff = UserFactory.for_role(Role.DEPARTMENT_STAFF)
    facility = FacilityFactory(name="Công ty Cổ phần Gạch ngói Diễn Châu", managers=[manager])
    Product.objects.create(facility=facility, name="Gạch tuynel", unit="1000pcs")

    _sign_in(page, live_server.url, manager.username)
    page.goto(f"{live_server.url}/bao-cao/")
    page.get_by_label("Năm").fill("2019")
    page.get_by_label("Quý").select_option("2")
    page.get_by_role("button", name="Lập hoặc mở báo cáo").click()
    expect(page.get_by_test_id("self-report-form")).to_be_visible()
    # Written the Vietnamese way: a dot groups thousands, a comma starts the decimals.
    page.get_by_label("Sản lượng trong kỳ").fill("1.250")
    page.get_by_label("Điện năng").fill("310.000")
    page.get_by_label("Than").fill("96,5")
    page.screenshot(path=screenshot_path("self-report-form"), full_page=True)
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.get_by_text("Đã nộp báo cáo")).to_be_visible()

    report = SelfReport.objects.get()
    assert report.output == 1250
    assert sorted(report.consumptions.values_list("resource__code", "quantity")) == [
        ("coal", Decimal("96.5")),
        ("electricity", Decimal(310000)),
    ]

    _sign_in(page, live_server.url, staff.username)
    page.goto(f"{live_server.url}/bao-cao/duyet/")
    expect(page.get_by_test_id("review-queue")).to_contain_text(facility.name)
    page.screenshot(path=screenshot_path("review-queue"), full_page=True)
    page.get_by_role("link", name=facility.name).click()
    page.get_by_label("Ý kiến").fill(
        "Số liệu điện quý 2 thấp bất thường, đề nghị kiểm tra hóa đơn."
    )
    page.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_text("Đã trả lại báo cáo")).to_be_visible()

    _sign_in(page, live_server.url, manager.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    expect(page.get_by_test_id("reviewer-comment")).to_contain_text("kiểm tra hóa đơn")
    page.get_by_label("Điện năng").fill("352000")
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.get_by_text("Đã nộp báo cáo")).to_be_visible()

    _sign_in(page, live_server.url, staff.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    panel = page.get_by_test_id("review-panel")
    if panel.get_by_label("Tôi đã xem các cảnh báo").count():
        panel.get_by_label("Tôi đã xem các cảnh báo").check()
    panel.get_by_role("button", name="Duyệt").click()
    expect(page.get_by_text("Đã duyệt báo cáo")).to_be_visible()
    report.refresh_from_db()
    assert report.status == "approved"
    assert [t.to_status for t in report.transitions.all()] == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]


def test_the_report_form_fits_a_phone(page: Page, live_server, screenshot_path) -> None:
    manager = UserFactory.for_role(Role.FACILITY_MANAGER)
    facility = FacilityFactory(managers=[manager])
    report = SelfReport.objects.create(
        facility=facility, period_kind="quarter", year=2020, quarter=1, output_unit="t"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, live_server.url, manager.username)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    expect(page.get_by_role("button", name="Nộp báo cáo")).to_be_visible()
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=screenshot_path("self-report-form-phone"), full_page=True)


def test_the_facility_page_charts_savings_against_the_baseline(
    page: Page, live_server, screenshot_path
) -> None:
    staff = UserFactory.for_role(Role.DEPARTMENT_STAFF)
    facility = FacilityFactory(name="Công ty TNHH Chế biến gỗ Nghĩa Đàn")
    assessment = Assessment.objects.create(
        facility=facility,
        kind="detailed",
        status="completed",
        funding="provincial",
        started_on=datetime.date(2017, 3, 1),
        completed_on=datetime.date(2017, 9, 1),
    )
    baseline = Baseline.objects.create(
        assessment=assessment, year=2016, output=Decimal(4000), output_unit="m3"
    )
    electricity = Resource.objects.get(code="electricity")
    wood = Resource.objects.get(code="main-material")
    BaselineConsumption.objects.create(baseline=baseline, resource=electricity, quantity=800_000)
    BaselineConsumption.objects.create(baseline=baseline, resource=wood, quantity=6_000)
    for n, (kwh, material) in enumerate([(190_000, 1480), (182_000, 1450), (176_000, 1400)]):
        report = SelfReport.objects.create(
            facility=facility,
            period_kind="quarter",
            year=2018,
            quarter=n + 1,
            status="approved",
            output=Decimal(1000),
            output_unit="m3",
            reviewed_at=timezone.now(),
        )
        SelfReportConsumption.objects.create(report=report, resource=electricity, quantity=kwh)
        SelfReportConsumption.objects.create(report=report, resource=wood, quantity=material)
    _sign_in(page, live_server.url, staff.username)
    page.add_init_script("document.documentElement.dataset.noAnimation = '1'")
    page.goto(f"{live_server.url}/co-so/{facility.pk}/")
    savings = page.get_by_test_id("savings")
    expect(savings).to_contain_text("Năm cơ sở 2016")
    expect(savings).to_contain_text("12,0%")  # electricity: 200 → 176 kWh per m³
    page.wait_for_function("document.getElementById('savings-chart').width > 0")
    savings.screenshot(path=screenshot_path("facility-savings"))
