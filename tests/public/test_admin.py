"""The admin, the fallback for the public page's content, keeps the portal's rules."""

from __future__ import annotations

from django.urls import reverse

from public.models import Article


def test_an_article_saved_in_the_admin_is_sanitised_like_in_the_portal(users, client_for) -> None:
    client = client_for(users["department_admin"])
    response = client.post(
        reverse("admin:public_article_add"),
        {
            "title": "Tiết kiệm điện",
            "slug": "tiet-kiem-dien",
            "status": "draft",
            "kind": "news",
            "summary": "Tóm tắt",
            "body": '<p onclick="x()">Nội dung<script>alert(1)</script></p>',
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert "script" not in article.body and "onclick" not in article.body
    assert "Nội dung" in article.body
