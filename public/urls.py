from __future__ import annotations

from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.cache import cache_page

from public import views
from public.models import Article

app_name = "public"

# The sitemap and the feed carry no cookie and no form: whole responses can be cached.
CACHED = cache_page(views.INDICATOR_CACHE_SECONDS)

# Included at the root so that the sitemap may list every public page (a sitemap covers only
# the URLs under its own folder); the pages themselves live under thong-tin/.
urlpatterns = [
    path("sitemap.xml", CACHED(sitemap), {"sitemaps": views.SITEMAPS}, name="sitemap"),
    path("thong-tin/tin-tuc/", views.article_list, {"kind": Article.Kind.NEWS}, name="news_list"),
    path("thong-tin/tin-tuc/atom.xml", CACHED(views.NewsFeed()), name="news_feed"),
    path(
        "thong-tin/huong-dan/",
        views.article_list,
        {"kind": Article.Kind.GUIDANCE},
        name="guidance_list",
    ),
    path("thong-tin/bai-viet/<int:pk>/<slug:slug>/", views.article_detail, name="article_detail"),
    path("thong-tin/bai-viet/<int:pk>/anh", views.article_image, name="article_image"),
    path("thong-tin/dien-hinh/", views.case_study_list, name="case_study_list"),
    path(
        "thong-tin/dien-hinh/<int:pk>/<slug:slug>/",
        views.case_study_detail,
        name="case_study_detail",
    ),
    path("thong-tin/dien-hinh/<int:pk>/anh", views.case_study_image, name="case_study_image"),
    path("thong-tin/khen-thuong/", views.award_list, name="award_list"),
    path("thong-tin/ket-qua-ke-hoach/<int:pk>/", views.plan_results, name="plan_results"),
    path("thong-tin/to-chuc-ho-tro/", views.organisation_list, name="organisation_list"),
    path("thong-tin/tai-lieu/", views.document_list, name="document_list"),
    path("thong-tin/tai-lieu/<int:pk>/<slug:slug>/", views.document_file, name="document_file"),
    path("thong-tin/su-kien/", views.event_list, name="event_list"),
    path("thong-tin/lien-he/", views.contact, name="contact"),
    path("thong-tin/quan-ly/bai-viet/", views.manage_articles, name="manage_articles"),
    path(
        "thong-tin/quan-ly/bai-viet/them/", views.manage_article_edit, name="manage_article_create"
    ),
    path(
        "thong-tin/quan-ly/bai-viet/<int:pk>/",
        views.manage_article_edit,
        name="manage_article_edit",
    ),
    path("thong-tin/quan-ly/dien-hinh/", views.manage_case_studies, name="manage_case_studies"),
    path("quan-ly/dien-hinh/them/", views.manage_case_study_edit, name="manage_case_study_create"),
    path(
        "quan-ly/dien-hinh/<int:pk>/", views.manage_case_study_edit, name="manage_case_study_edit"
    ),
    path("thong-tin/quan-ly/tai-lieu/", views.manage_documents, name="manage_documents"),
    path(
        "thong-tin/quan-ly/tai-lieu/them/",
        views.manage_document_edit,
        name="manage_document_create",
    ),
    path(
        "thong-tin/quan-ly/tai-lieu/<int:pk>/",
        views.manage_document_edit,
        name="manage_document_edit",
    ),
]
