"""The headers a browser gets in production: CSP, HSTS and the rest, on pages and downloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import Assessment
from tests.files import PDF

# A browser taking its scripts from anywhere but our own static files would run injected code.
UNSAFE_SCRIPT_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")


@pytest.fixture
def production(settings) -> None:
    """What portal/settings.py switches on with DEBUG=0 (the process itself runs with DEBUG=1)."""
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def _assert_common_headers(response) -> None:
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert not set(policy["script-src"]) & set(UNSAFE_SCRIPT_SOURCES)
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


@pytest.fixture
def pages(users, facilities, client_for, production):
    """(name, response) of the representative pages, each fetched over HTTPS."""
    staff = client_for(users["department_staff"])
    assessment = Assessment.objects.create(
        facility=facilities["own"],
        kind=Assessment.Kind.QUICK,
        status=Assessment.Status.COMPLETED,
        started_on="2019-03-01",
        completed_on="2019-06-30",
    )
    assessment.report.save("bao-cao.pdf", ContentFile(PDF))
    return {
        "login": client_for(None).get(reverse("login"), secure=True),
        "dashboard": staff.get(reverse("dashboard"), secure=True),
        "facility": staff.get(
            reverse("reporting:facility_detail", args=[facilities["own"].pk]), secure=True
        ),
        "export": staff.get(reverse("reporting:facility_export"), secure=True),
        # A download whose view sets no cache header: the middleware adds it.
        "import_template": staff.get(reverse("facilities:import_template"), secure=True),
        "report_pdf": staff.get(
            reverse("assessments:assessment_report", args=[assessment.pk]), secure=True
        ),
    }


def test_every_representative_page_and_download_carries_the_security_headers(pages) -> None:
    for name, response in pages.items():
        assert response.status_code == 200, name
        _assert_common_headers(response)


def test_downloads_are_never_kept_by_a_cache(pages) -> None:
    for name in ("export", "import_template", "report_pdf"):
        assert pages[name]["Content-Disposition"].startswith("attachment"), name
        assert pages[name]["Cache-Control"] == "no-store", name
    assert pages["report_pdf"]["Content-Disposition"].startswith("attachment")


def test_session_and_csrf_cookies_are_secure_and_http_only(users, client, production) -> None:
    response = client.post(
        reverse("login"),
        {"username": users["department_staff"].username, "password": "Kiem-tra@2026"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert response.cookies["csrftoken"]["secure"]


def test_plain_http_is_sent_to_https(client, db, production) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_the_pages_hold_no_inline_script_or_event_handler(pages) -> None:
    """The policy forbids them; one left in a template would silently stop working."""
    for name in ("login", "dashboard", "facility"):
        html = pages[name].content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            # json_script blocks are data, which browsers do not run.
            assert "src=" in tag or 'type="application/json"' in tag, (name, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), name
        assert "javascript:" not in html, name


def test_no_template_a_browser_gets_carries_an_inline_style() -> None:
    """The CSP refuses inline styles; only the PDF templates (read by WeasyPrint) have them."""
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if "_pdf" not in path.name and "report_pdf" not in path.name
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\sstyle=|<style", line)
    ]
    assert offenders == []


def test_pages_shown_to_a_signed_in_user_are_kept_by_no_cache(pages) -> None:
    for name in ("dashboard", "facility"):
        directives = {part.strip() for part in pages[name]["Cache-Control"].split(",")}
        assert {"no-store", "private"} <= directives, name


def test_public_pages_keep_their_caching_for_anonymous_visitors(client, db, production) -> None:
    page = client.get(reverse("public:news_list"), secure=True)
    assert page.status_code == 200
    assert "no-store" not in page.get("Cache-Control", "")
    sitemap = client.get(reverse("public:sitemap"), secure=True)
    assert "max-age" in sitemap["Cache-Control"]


def test_a_view_that_chose_its_caching_keeps_it_for_a_signed_in_user(
    users, client_for, production
) -> None:
    sitemap = client_for(users["department_staff"]).get(reverse("public:sitemap"), secure=True)
    assert sitemap.status_code == 200
    assert "max-age" in sitemap["Cache-Control"]
    assert "no-store" not in sitemap["Cache-Control"]
