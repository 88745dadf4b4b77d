"""axe-core finds nothing serious or critical on the pages each role opens daily, nor on the
public pages. axe is injected into the page, which the portal's CSP would refuse: its browser
context bypasses the CSP (tests/browser/test_csp.py holds the pages to the policy)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page

from assessments.models import Assessment, SelfReport, SupportOrganisation
from facilities.models import Product
from portal import access
from portal.models import Role, User
from portal.views import menu_for
from programs.models import Agency, AgencyTask, Plan
from tests.factories import FacilityFactory, UserFactory

AXE = Axe()
BLOCKING = {"critical", "serious"}


@pytest.fixture
def axe_page(browser: Browser, browser_context_args: dict):
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def programme(live_server) -> dict[str, object]:
    """A facility with a manager, a consultant's organisation, an assessment, a draft and a
    submitted self-report, and an agency task: enough for every list to show a row."""
    manager = UserFactory.for_role(Role.FACILITY_MANAGER)
    facility = FacilityFactory(name="Công ty Cổ phần Gạch ngói Diễn Châu", managers=[manager])
    Product.objects.create(facility=facility, name="Gạch tuynel", unit="1000pcs")
    consultant = UserFactory.for_role(Role.CONSULTANT)
    organisation: SupportOrganisation = consultant.support_organisation
    organisation.facilities.add(facility)
    Assessment.objects.create(
        facility=facility,
        kind="detailed",
        status="completed",
        funding="provincial",
        started_on=datetime.date(2017, 3, 1),
        completed_on=datetime.date(2017, 9, 1),
        organisation=organisation,
    )
    draft = SelfReport.objects.create(
        facility=facility, period_kind="quarter", year=2020, quarter=1, output_unit="t"
    )
    submitted = SelfReport.objects.create(
        facility=facility,
        period_kind="quarter",
        year=2019,
        quarter=4,
        status="submitted",
        output=Decimal(1000),
        output_unit="t",
    )
    plan = Plan.objects.order_by("end_year").first()
    AgencyTask.objects.create(
        plan=plan,
        agency=Agency.objects.get(code="ubnd-425"),
        title="Tuyên truyền sản xuất sạch hơn",
        due_on=datetime.date(2020, 12, 31),
        status=AgencyTask.Status.IN_PROGRESS,
        progress=40,
    )
    return {
        "manager": manager,
        "consultant": consultant,
        "facility": facility,
        "draft": draft,
        "submitted": submitted,
        "plan": plan,
    }


def _pages_of(user: User, programme: dict) -> list[str]:
    """The role's menu (Django's own admin aside) and the pages its work leads to."""
    role = access.role_of(user)
    paths = [item["url"] for item in menu_for(user) if item["url"] != reverse("admin:index")]
    if role in access.REGISTRY_READERS:
        paths.append(reverse("reporting:facility_detail", args=[programme["facility"].pk]))
    if role == Role.FACILITY_MANAGER:
        paths.append(reverse("assessments:selfreport_detail", args=[programme["draft"].pk]))
    if role in access.DEPARTMENT:
        paths.append(reverse("assessments:review_queue"))
        paths.append(reverse("assessments:selfreport_detail", args=[programme["submitted"].pk]))
    if role in access.PROGRAMME_READERS:
        paths += [
            reverse("programs:plan_detail", args=[programme["plan"].pk]),
            reverse("programs:project_list"),
            reverse("programs:course_list"),
            reverse("programs:official_list"),
            reverse("programs:award_list"),
            reverse("programs:task_list"),
        ]
    return paths


def _sign_in(page: Page, live_server, user: User) -> None:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


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
    page.wait_for_load_state("networkidle")  # the dashboard's charts come by htmx
    return _findings_here(page)


def _user_of(role: Role, programme: dict) -> User:
    if role == Role.FACILITY_MANAGER:
        return programme["manager"]
    if role == Role.CONSULTANT:
        return programme["consultant"]
    return UserFactory.for_role(role)


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_axe_finds_nothing_serious_on_a_roles_main_pages(
    axe_page: Page, live_server, programme, role: Role
) -> None:
    user = _user_of(role, programme)
    _sign_in(axe_page, live_server, user)
    findings: list[str] = []
    for path in _pages_of(user, programme):
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
    _sign_in(axe_page, live_server, programme["manager"])
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
