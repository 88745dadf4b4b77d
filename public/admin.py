from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.lib.admin import HardenedAdmin
from public.models import Article, CaseStudy, PublicDocument


# The public page's content: staff manage it in the portal (/thong-tin/quan-ly/); the admin is the
# fallback, with the same model validation (sanitised text, checked files) and history.
class PublishableAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "status", "published_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Article)
class ArticleAdmin(PublishableAdmin):
    list_display = ["title", "kind", "status", "published_at", "updated_at"]
    list_filter = ["kind", "status"]


@admin.register(CaseStudy)
class CaseStudyAdmin(PublishableAdmin):
    list_display = ["title", "facility", "consent_given", "status", "published_at"]
    list_filter = ["status", "consent_given"]
    list_select_related = ["facility"]
    autocomplete_fields = ["facility"]


@admin.register(PublicDocument)
class PublicDocumentAdmin(PublishableAdmin):
    list_display = ["title", "kind", "number", "issued_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "number"]
