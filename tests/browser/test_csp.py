"""The Content-Security-Policy blocks nothing of our own: Chromium reports no violation on the
pages people use, so a template that grows an inline script or style fails here, not in
production."""

from __future__ import annotations

import datetime

from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page

from portal.models import Role
from programs.models import Agency, AgencyTask, Plan
from tests.factories import PASSWORD, FacilityFactory, UserFactory


def test_chromium_reports_no_policy_violation_on_the_main_pages(page: Page, live_server) -> None:
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    facility = FacilityFactory(name="Công ty Cổ phần Gạch ngói Diễn Châu")
    AgencyTask.objects.create(  # a progress bar on the task list
        plan=Plan.objects.order_by("end_year").first(),
        agency=Agency.objects.order_by("pk").first(),
        title="Tuyên truyền sản xuất sạch hơn",
        due_on=datetime.date(2020, 12, 31),
        status=AgencyTask.Status.IN_PROGRESS,
        progress=40,
    )
    user = UserFactory.for_role(Role.DEPARTMENT_ADMIN)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("networkidle")
    paths = [
        reverse("dashboard"),  # with its charts, loaded by htmx
        reverse("reporting:facility_list"),
        reverse("reporting:facility_detail", args=[facility.pk]),
        reverse("facilities:facility_create"),
        reverse("assessments:selfreport_list"),
        reverse("reporting:completeness"),
        reverse("programs:task_list"),
        reverse("reporting:run_list"),
        reverse("home"),
        reverse("public:news_list"),
        reverse("public:manage_articles"),
        reverse("admin:index"),
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert violations == []
    page.goto(f"{live_server.url}{reverse('programs:task_list')}")
    assert page.locator("progress.bar").count() == 1  # the list did draw a bar
