from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import SupportOrganisation


@admin.register(SupportOrganisation)
class SupportOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "email", "phone"]
    list_filter = ["kind"]
    search_fields = ["name"]
