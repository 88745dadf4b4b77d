from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.lib.admin import HardenedAdmin, HardenedInline
from programs.models import (
    Agency,
    AgencyTask,
    Award,
    Course,
    CourseParticipant,
    Official,
    Plan,
    SupportProject,
    Target,
    TaskUpdate,
)


@admin.register(Agency)
class AgencyAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "area"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    list_select_related = ["area"]
    autocomplete_fields = ["area"]


class TargetInline(HardenedInline, admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Plan)
class PlanAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "start_year", "end_year", "status"]
    inlines = [TargetInline]


@admin.register(SupportProject)
class SupportProjectAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "year", "funding", "status", "state_support_vnd"]
    list_filter = ["funding", "status", "year"]
    search_fields = ["title"]
    autocomplete_fields = ["facilities"]


class ParticipantInline(HardenedInline, admin.TabularInline):
    model = CourseParticipant
    extra = 0
    autocomplete_fields = ["official"]


@admin.register(Course)
class CourseAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_on", "organiser"]
    list_filter = ["kind"]
    search_fields = ["title"]
    inlines = [ParticipantInline]


@admin.register(Official)
class OfficialAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["full_name", "agency", "level", "dedicated_from", "dedicated_to"]
    list_filter = ["level"]
    search_fields = ["full_name"]


@admin.register(Award)
class AwardAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["facility", "year", "title", "issued_by"]
    list_filter = ["year"]
    autocomplete_fields = ["facility"]


class TaskUpdateInline(HardenedInline, admin.TabularInline):
    model = TaskUpdate
    extra = 0


@admin.register(AgencyTask)
class AgencyTaskAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "agency", "due_on", "status", "progress"]
    list_filter = ["status", "agency"]
    search_fields = ["title"]
    inlines = [TaskUpdateInline]
