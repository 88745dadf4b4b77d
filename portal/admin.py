from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.models import ClosedPeriod, User


@admin.register(User)
class PortalUserAdmin(SimpleHistoryAdmin, UserAdmin):
    list_display = ["username", "full_name", "email", "role", "agency", "is_active", "last_login"]
    list_filter = ["role", "official_body", "is_active"]
    search_fields = ["username", "full_name", "email"]
    list_select_related = ["agency"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Thông tin cá nhân"), {"fields": ["full_name", "email", "phone"]}),
        (
            _("Vai trò và phạm vi"),
            {"fields": ["role", "agency", "support_organisation", "official_body", "is_active"]},
        ),
        (_("Thời điểm"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "full_name",
                    "email",
                    "role",
                    "agency",
                    "support_organisation",
                    "official_body",
                    "password1",
                    "password2",
                ],
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        obj.apply_role_flags()
        super().save_model(request, obj, form, change)


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(SimpleHistoryAdmin):
    """Readable here with its history; closed by issuing a report and reopened, with a reason,
    only from the closed-periods page (`portal.lib.closing.reopen`)."""

    list_display = ["closed_through", "label", "closed_at", "closed_by", "reopened_at"]
    list_select_related = ["closed_by"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
