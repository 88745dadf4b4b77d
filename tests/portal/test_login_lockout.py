from __future__ import annotations

from django.urls import reverse

from portal.models import User


def _attempt(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_it_locks_a_username_after_five_failures(users, client, settings) -> None:
    victim = users["department_staff"]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _attempt(client, victim.username, "sai-mat-khau")
        assert response.status_code == 200
        assert "mật khẩu chính xác" in response.content.decode()
    locked = _attempt(client, victim.username, "sai-mat-khau")
    assert locked.status_code == 429
    assert 'data-testid="locked-out"' in locked.content.decode()
    # Even the right password is refused while locked.
    still_locked = _attempt(client, victim.username, "Kiem-tra@2026")
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_user_leaves_colleagues_alone(users, client, settings) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, users["department_staff"].username, "sai-mat-khau")
    response = _attempt(client, users["department_admin"].username, "Kiem-tra@2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_a_successful_login_resets_the_failure_count(users, client, settings) -> None:
    user: User = users["official"]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, user.username, "sai-mat-khau")
    assert _attempt(client, user.username, "Kiem-tra@2026").status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, user.username, "sai-mat-khau").status_code == 200
