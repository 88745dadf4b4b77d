from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from portal.settings import env_bool, env_int

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k7#Qm2!vX9pL4&zR8wT1yB6nH3jF5cD0sA-eG^uK*oI+iP=lM-a-deployment-secret",
    "ALLOWED_HOSTS": "sxsh.nghean.gov.vn",
}


def _manage(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a "production" process.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | extra_env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_database_is_the_one_database_url_names(db) -> None:
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_celery_runs_in_process_only_without_a_broker() -> None:
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not os.environ.get("CELERY_BROKER_URL"))


def test_deploy_check_is_silent_with_production_variables() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr.upper()
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    with_key = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", extra_env=with_key | {"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_mistyped_boolean_stops_the_start_up(monkeypatch) -> None:
    monkeypatch.setenv("SECURE_COOKIES", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SECURE_COOKIES"):
        env_bool("SECURE_COOKIES", False)
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 25)


@pytest.mark.parametrize(
    "key",
    [
        "change-me-to-a-long-random-string-of-at-least-fifty-characters",
        "too-short-but-random-9f8e7d",
        "a" * 60,
        "django-insecure-" + "x1y2z3w4v5" * 5,
    ],
)
def test_production_refuses_a_placeholder_or_weak_secret_key(key: str) -> None:
    result = _manage("check", extra_env=PRODUCTION_ENV | {"SECRET_KEY": key})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_health_check_answers_over_plain_http_in_production(client, db, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz/").content == b"ok"
    assert client.get("/tai-khoan/dang-nhap/").status_code == 301
