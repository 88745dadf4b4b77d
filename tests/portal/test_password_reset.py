"""Password reset mail goes through a Celery task: in-process without a broker, through Redis
and a real worker in CI's PostgreSQL + Redis stage."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

REAL_WORKER = bool(os.environ.get("CELERY_BROKER_URL"))


def _reset_link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/tai-khoan/dat-lai-mat-khau/\S+/)", body)
    assert match, body
    return match.group(1)


@pytest.mark.skipif(REAL_WORKER, reason="with a broker the worker sends the mail")
def test_a_reset_link_by_mail_lets_the_user_choose_a_new_password(
    users, client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    user = users["facility_manager"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert "Đặt lại mật khẩu" in mailoutbox[0].subject
    link = _reset_link(mailoutbox[0].body)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi@2026", "new_password2": "Mat-khau-moi@2026"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi@2026")


def test_an_unknown_address_sends_nothing_and_reveals_nothing(
    client, mailoutbox, db, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("password_reset"), {"email": "khong-co@example.vn"})
    assert callbacks == []
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


@pytest.mark.skipif(REAL_WORKER, reason="with a broker the worker sends the mail")
def test_a_weak_new_password_is_refused_in_vietnamese(
    users, client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": users["official"].email})
    form_page = client.get(_reset_link(mailoutbox[0].body), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert "quá ngắn" in response.content.decode() or "quá phổ biến" in response.content.decode()


@pytest.mark.skipif(not REAL_WORKER, reason="needs CELERY_BROKER_URL and a running worker")
def test_a_real_worker_sends_the_reset_mail(
    users, client, django_capture_on_commit_callbacks
) -> None:
    # CI starts the worker with the file-based mail backend writing into EMAIL_FILE_PATH.
    outbox = Path(settings.EMAIL_FILE_PATH)
    before = set(outbox.glob("*.log")) if outbox.exists() else set()
    user = users["consultant"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": user.email})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        new = set(outbox.glob("*.log")) - before if outbox.exists() else set()
        sent = [path.read_text() for path in new]
        if any(user.email in text for text in sent):
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"no mail for {user.email} in {outbox} within 30 s: is the worker running?")
