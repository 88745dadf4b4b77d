from __future__ import annotations

from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.cache import cache_page

from portal import public
from portal.models import Article

app_name = "public"

# The sitemap and the feed carry no cookie and no form: whole responses can be cached.
CACHED = cache_page(public.INDICATOR_CACHE_SECONDS)

# Included at the root so that the sitemap may list every public page (a sitemap covers only
# the URLs under its own folder); the pages themselves live under thong-tin/.
urlpatterns = [
    path("sitemap.xml", CACHED(sitemap), {"sitemaps": public.SITEMAPS}, name="sitemap"),
    path("thong-tin/tin-tuc/", public.article_list, {"kind": Article.Kind.NEWS}, name="news_list"),
    path("thong-tin/tin-tuc/atom.xml", CACHED(public.NewsFeed()), name="news_feed"),
    path(
        "thong-tin/huong-dan/",
        public.article_list,
        {"kind": Article.Kind.GUIDANCE},
        name="guidance_list",
    ),
    path("thong-tin/bai-viet/<int:pk>/<slug:slug>/", public.article_detail, name="article_detail"),
    path("thong-tin/bai-viet/<int:pk>/anh", public.article_image, name="article_image"),
    path("thong-tin/dien-hinh/", public.case_study_list, name="case_study_list"),
    path(
        "thong-tin/dien-hinh/<int:pk>/<slug:slug>/",
        public.case_study_detail,
        name="case_study_detail",
    ),
    path("thong-tin/dien-hinh/<int:pk>/anh", public.case_study_image, name="case_study_image"),
    path("thong-tin/khen-thuong/", public.award_list, name="award_list"),
    path("thong-tin/to-chuc-ho-tro/", public.organisation_list, name="organisation_list"),
    path("thong-tin/tai-lieu/", public.document_list, name="document_list"),
    path("thong-tin/tai-lieu/<int:pk>/<slug:slug>/", public.document_file, name="document_file"),
    path("thong-tin/su-kien/", public.event_list, name="event_list"),
    path("thong-tin/lien-he/", public.contact, name="contact"),
    path("thong-tin/quan-ly/bai-viet/", public.manage_articles, name="manage_articles"),
    path(
        "thong-tin/quan-ly/bai-viet/them/", public.manage_article_edit, name="manage_article_create"
    ),
    path(
        "thong-tin/quan-ly/bai-viet/<int:pk>/",
        public.manage_article_edit,
        name="manage_article_edit",
    ),
    path("thong-tin/quan-ly/dien-hinh/", public.manage_case_studies, name="manage_case_studies"),
    path("quan-ly/dien-hinh/them/", public.manage_case_study_edit, name="manage_case_study_create"),
    path(
        "quan-ly/dien-hinh/<int:pk>/", public.manage_case_study_edit, name="manage_case_study_edit"
    ),
    path("thong-tin/quan-ly/tai-lieu/", public.manage_documents, name="manage_documents"),
    path(
        "thong-tin/quan-ly/tai-lieu/them/",
        public.manage_document_edit,
        name="manage_document_create",
    ),
    path(
        "thong-tin/quan-ly/tai-lieu/<int:pk>/",
        public.manage_document_edit,
        name="manage_document_edit",
    ),
]
