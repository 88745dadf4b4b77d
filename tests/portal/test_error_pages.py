from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_an_unknown_address_gets_the_portal_404_page(users, client_for) -> None:
    response = client_for(users["facility_manager"]).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body
    assert 'data-testid="main-menu"' in body


def test_a_forbidden_page_gets_the_portal_403_page(users, client_for) -> None:
    response = client_for(users["consultant"]).get(reverse("facilities:unit_list"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_a_server_error_gets_a_page_in_vietnamese_and_english(settings) -> None:
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [path("hong/", broken)], "handler500": None}
    )
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    response = Client(raise_request_exception=False).get("/hong/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Hệ thống gặp lỗi" in body
    assert "Something went wrong" in body
