from __future__ import annotations

import time

from django.conf import settings
from django.urls import reverse

from portal.middleware import SESSION_STARTED_KEY


def test_sessions_expire_after_idle_time_and_are_renewed_by_activity() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_a_session_older_than_the_absolute_limit_is_ended(users, client_for) -> None:
    client = client_for(users["department_staff"])
    assert client.get(reverse("dashboard")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # and the user is really signed out, not only redirected once
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))


def test_a_session_within_the_absolute_limit_goes_on(users, client_for) -> None:
    client = client_for(users["department_staff"])
    client.get(reverse("dashboard"))
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS + 60
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200
