from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from portal.lib.admin import HardenedAdmin
from reporting.models import DownloadLog, ReportRun, ReportSettings


class ReadOnlyAdmin(HardenedAdmin, admin.ModelAdmin):
    """Records the portal writes itself: readable in the admin, never edited there."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "trigger", "requested_by", "created_at", "finished_at"]
    list_filter = ["status", "audience", "trigger", "year"]
    list_select_related = ["requested_by"]


@admin.register(DownloadLog)
class DownloadLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "kind", "run", "detail"]
    list_filter = ["kind"]
    search_fields = ["user__username", "detail"]
    list_select_related = ["user", "run"]
    date_hierarchy = "at"


@admin.register(ReportSettings)
class ReportSettingsAdmin(HardenedAdmin, SimpleHistoryAdmin):
    """One row per audience, shipped by the migrations: edited here or on the settings page
    (which checks the signer and the recipients), never added or removed."""

    list_display = ["audience", "symbol", "signer_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
