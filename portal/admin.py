from __future__ import annotations

from typing import Any

from celery.schedules import ParseException
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import CrontabScheduleAdmin
from django_celery_beat.models import CrontabSchedule
from simple_history.admin import SimpleHistoryAdmin

from portal.lib.admin import HardenedAdmin
from portal.models import ClosedPeriod, User


@admin.register(User)
class PortalUserAdmin(HardenedAdmin, SimpleHistoryAdmin, UserAdmin):
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
class ClosedPeriodAdmin(HardenedAdmin, SimpleHistoryAdmin):
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


# django-celery-beat's crontab page shows the schedule in words, computed by celery from the
# fields as typed: after a refused save those can be values celery cannot parse (ParseException),
# which was a server error. The page here says it in words only when celery can.
admin.site.unregister(CrontabSchedule)


@admin.register(CrontabSchedule)
class PortalCrontabScheduleAdmin(CrontabScheduleAdmin):
    fields = ("schedule_in_words", *CrontabScheduleAdmin.fields[1:])
    readonly_fields = ("schedule_in_words",)

    @admin.display(description=_("Lịch chạy"))
    def schedule_in_words(self, obj: CrontabSchedule) -> str:
        try:
            return obj.human_readable
        except (ValueError, ParseException):
            return "—"
