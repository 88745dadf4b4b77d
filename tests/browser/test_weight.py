"""Every main page, with its styles, scripts, fonts and images, stays under 250 KB transferred
on a cold cache. Pages come gzipped from GZipMiddleware; static files from WhiteNoise, which
sends them precompressed in production: the test server sends them plain, so a text asset
counts at its gzipped size here, the size a browser receives in production."""

from __future__ import annotations

import gzip

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, Response
from playwright.sync_api import Error as PlaywrightError

from portal.models import Role
from tests.browser.roles import pages_of, sign_in, user_of

BUDGET = 250 * 1024
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


@pytest.fixture
def cold_page(browser: Browser, browser_context_args: dict):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    # Every load fetches everything again, as a first visit would.
    page.context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})
    yield page
    context.close()


def _size(response: Response) -> int:
    """What the browser receives for one response: its headers and its body as sent."""
    headers = response.request.sizes()["responseHeadersSize"]
    if 300 <= response.status < 400:
        return headers
    if response.header_value("content-encoding"):
        return headers + response.request.sizes()["responseBodySize"]
    try:
        body = response.body()
    except PlaywrightError:
        # Chromium keeps no body for fonts: their size as sent (woff2 is compressed already).
        return headers + response.request.sizes()["responseBodySize"]
    kind = response.header_value("content-type") or ""
    if kind.startswith(TEXT_TYPES):
        return headers + len(gzip.compress(body, compresslevel=9))
    return headers + len(body)


def transferred(page: Page, url: str) -> dict[str, int]:
    responses: list[Response] = []

    def record(response: Response) -> None:
        responses.append(response)

    page.on("response", record)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", record)
    return {response.url: _size(response) for response in responses}


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_every_main_page_of_a_role_is_under_250_kb_on_a_cold_cache(
    cold_page: Page, live_server, programme, role: Role
) -> None:
    user = user_of(role, programme)
    sign_in(cold_page, live_server, user)
    over = []
    for path in pages_of(user, programme):
        sizes = transferred(cold_page, f"{live_server.url}{path}")
        total = sum(sizes.values())
        print(f"{role.value} {path}: {total / 1024:.1f} KB in {len(sizes)} responses")
        if total > BUDGET:
            heaviest = sorted(sizes.items(), key=lambda item: -item[1])[:5]
            over.append(f"{path}: {total / 1024:.1f} KB, heaviest {heaviest}")
    assert over == []


def test_the_public_pages_are_under_250_kb_on_a_cold_cache(cold_page: Page, live_server) -> None:
    for name in ("home", "public:news_list", "public:contact"):
        sizes = transferred(cold_page, f"{live_server.url}{reverse(name)}")
        total = sum(sizes.values())
        print(f"{name}: {total / 1024:.1f} KB")
        assert total < BUDGET, sorted(sizes.items(), key=lambda item: -item[1])[:5]


def test_the_page_itself_comes_gzipped(cold_page: Page, live_server, programme) -> None:
    sign_in(cold_page, live_server, user_of(Role.DEPARTMENT_STAFF, programme))
    response = cold_page.goto(f"{live_server.url}{reverse('reporting:facility_list')}")
    assert response is not None
    assert response.header_value("content-encoding") == "gzip"
