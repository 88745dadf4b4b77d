"""Pages are sent gzipped; the CSRF token in them changes on every response (BREACH)."""

from __future__ import annotations

import gzip
import re

from django.urls import reverse


def test_a_page_is_gzipped_for_a_browser_that_accepts_it(users, facilities, client_for) -> None:
    client = client_for(users["department_staff"])
    plain = client.get(reverse("reporting:facility_list"))
    packed = client.get(reverse("reporting:facility_list"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "Gạch ngói Diễn Châu" in html
    assert len(packed.content) < len(plain.content) / 3


def test_the_csrf_token_in_a_page_differs_on_every_response(client) -> None:
    def token() -> str:
        response = client.get(reverse("login"), HTTP_ACCEPT_ENCODING="gzip")
        html = gzip.decompress(response.content).decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    assert token() != token()
