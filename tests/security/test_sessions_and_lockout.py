"""Lockout per username *and* address, and the idle end of a session, as a browser meets them.

tests/portal/test_login_lockout.py covers the count per username; tests/portal/test_sessions.py
the absolute limit.
"""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD


def _attempt(address: str, username: str, password: str):
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(users, settings) -> None:
    victim = users["department_staff"].username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt("203.0.113.7", victim, "sai-mat-khau")
    assert _attempt("203.0.113.7", victim, PASSWORD).status_code == 429
    # An attacker's address cannot lock the real user out of their own office.
    assert _attempt("198.51.100.20", victim, PASSWORD).status_code == 302


def test_one_address_guessing_many_usernames_is_locked_per_username(users, settings) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        _attempt("203.0.113.8", users["official"].username, "sai-mat-khau")
    assert _attempt("203.0.113.8", users["official"].username, PASSWORD).status_code == 429
    assert _attempt("203.0.113.8", users["consultant"].username, PASSWORD).status_code == 302


def test_a_lockout_ends_after_the_cool_off(users, settings) -> None:
    victim = users["agency_officer"].username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt("203.0.113.9", victim, "sai-mat-khau")
    assert _attempt("203.0.113.9", victim, PASSWORD).status_code == 429
    past = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert _attempt("203.0.113.9", victim, PASSWORD).status_code == 302


def test_an_idle_session_ends_and_activity_keeps_it_alive(users, client_for, settings) -> None:
    client = client_for(users["department_staff"])
    assert client.get(reverse("dashboard")).status_code == 200
    session = Session.objects.get()
    renewed = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs(session.expire_date - renewed) < datetime.timedelta(seconds=30)

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
