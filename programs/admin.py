from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programs.models import Agency


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "area"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_select_related = ["area"]
    autocomplete_fields = ["area"]
