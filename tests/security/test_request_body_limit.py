"""A request declaring a body larger than any upload is refused before anything reads it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from assessments.models import MAX_PDF_BYTES
from facilities.importer import MAX_UPLOAD_BYTES
from public.models import MAX_DOCUMENT_BYTES
from tests.factories import UserFactory

HUNDRED_MB = 100 * 1024 * 1024


def _login_post(client, username: str, password: str, *, declared: int | None = None):
    """A login POST; with `declared`, its Content-Length header claims that many bytes."""
    extra = {} if declared is None else {"CONTENT_LENGTH": str(declared)}
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_a_100_mb_post_to_the_login_page_is_refused_before_the_view_runs(client, db) -> None:
    user = UserFactory(username="kiemtra-than", password="Kiem-tra@2026")
    response = _login_post(client, user.username, "Kiem-tra@2026", declared=HUNDRED_MB)
    assert response.status_code == 413
    assert "vượt quá giới hạn 25 MB" in response.content.decode()
    assert response["Connection"] == "close"
    # Had the login view read the (valid) credentials, the client would now be signed in.
    assert "_auth_user_id" not in client.session


def test_a_body_within_the_limit_reaches_the_view(client, db) -> None:
    user = UserFactory(username="kiemtra-than", password="Kiem-tra@2026")
    response = _login_post(client, user.username, "Kiem-tra@2026")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_limit_leaves_room_for_the_largest_upload_and_follows_the_setting(
    client, db, settings
) -> None:
    assert (
        max(MAX_PDF_BYTES, MAX_DOCUMENT_BYTES, MAX_UPLOAD_BYTES) < settings.REQUEST_BODY_MAX_BYTES
    )
    settings.REQUEST_BODY_MAX_BYTES = 1024
    response = _login_post(client, "ai-do", "x", declared=2048)
    assert response.status_code == 413


def test_a_limit_that_is_not_a_sensible_number_of_megabytes_stops_the_start() -> None:
    for value in ("25MB", "0", "-5"):
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "portal.settings",
                "REQUEST_BODY_MAX_MB": value,
            },
            cwd=Path(settings.BASE_DIR),
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode != 0, value
        assert "REQUEST_BODY_MAX_MB" in result.stderr, value
