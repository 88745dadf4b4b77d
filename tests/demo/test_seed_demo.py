from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from assessments.models import SelfReport, SelfReportTransition
from demo.run import DEMO_PASSWORD
from facilities.models import AdministrativeUnit, Facility
from portal.models import Role, User
from programs.models import Agency


@pytest.mark.django_db
def test_it_refuses_to_load_demo_accounts_into_a_production_configuration(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=0"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_creates_one_user_per_role_and_is_idempotent(settings, client) -> None:
    settings.DEBUG = True
    call_command("seed_demo", "--seed", "7")
    counts = (
        User.objects.count(),
        Agency.objects.count(),
        AdministrativeUnit.objects.count(),
        Facility.managers.through.objects.count(),
    )
    call_command("seed_demo", "--seed", "7")
    assert (
        User.objects.count(),
        Agency.objects.count(),
        AdministrativeUnit.objects.count(),
        Facility.managers.through.objects.count(),
    ) == counts
    assert {user.role for user in User.objects.all()} == set(Role)
    admin = User.objects.get(username="quantri")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(role=Role.DEPARTMENT_ADMIN).exists()
    request = RequestFactory().post("/")
    assert authenticate(request, username="canbo", password=DEMO_PASSWORD) is not None

    # The demo manager has a plant with approved reports, so its dashboard shows savings.
    assert SelfReport.objects.filter(
        facility__managers__username="coso", status=SelfReport.Status.APPROVED
    ).exists()
    client.force_login(User.objects.get(username="coso"))
    page = client.get(reverse("dashboard")).content.decode()
    assert 'id="savings-data"' in page


@pytest.mark.django_db
def test_the_demo_staff_user_can_approve_a_queued_report(settings, client) -> None:
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    staff = User.objects.get(username="canbo")
    queued = SelfReport.objects.filter(status=SelfReport.Status.SUBMITTED).order_by("pk")
    assert queued.exists()
    # Four eyes: whoever submitted a report cannot approve it, so the queue is someone else's.
    assert not SelfReportTransition.objects.filter(
        report__in=queued, to_status=SelfReport.Status.SUBMITTED, by=staff
    ).exists()

    report = queued.first()
    client.force_login(staff)
    response = client.post(
        reverse("assessments:selfreport_approve", args=[report.pk]), {"confirm_warnings": "on"}
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == SelfReport.Status.APPROVED
    assert report.reviewed_by == staff
