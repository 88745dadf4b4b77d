"""What the browser walks share: a small programme with a row in every list, each role's
main pages, and signing a page in as a user without the login form."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page

from assessments.models import Assessment, SelfReport, SupportOrganisation
from facilities.models import Product
from portal import access
from portal.models import Role, User
from portal.views import menu_for
from programs.models import Agency, AgencyTask, Plan
from tests.factories import FacilityFactory, UserFactory


def build_programme() -> dict[str, object]:
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


def pages_of(user: User, programme: dict) -> list[str]:
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


def sign_in(page: Page, live_server, user: User) -> None:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def user_of(role: Role, programme: dict) -> User:
    if role == Role.FACILITY_MANAGER:
        return programme["manager"]
    if role == Role.CONSULTANT:
        return programme["consultant"]
    return UserFactory.for_role(role)
