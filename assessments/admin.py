from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import (
    Assessment,
    Baseline,
    BaselineConsumption,
    ConversionFactor,
    CPOption,
    EmissionFactor,
    GhgInventoryListing,
    PublicHoliday,
    ReportingSchedule,
    Resource,
    SectorMaterial,
    SelfReport,
    SelfReportConsumption,
    SelfReportMeasure,
    SelfReportTransition,
    SupportOrganisation,
)
from portal.lib.admin import HardenedAdmin, HardenedInline


@admin.register(SupportOrganisation)
class SupportOrganisationAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "email", "phone"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["facilities"]


@admin.register(Resource)
class ResourceAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "unit", "kind", "rank", "offered"]
    list_filter = ["kind", "offered"]
    search_fields = ["name", "name_en", "code"]


@admin.register(SectorMaterial)
class SectorMaterialAdmin(HardenedAdmin, SimpleHistoryAdmin):
    # Each sector's main materials: what its facilities' forms ask beside the offered ones.
    list_display = ["sector_prefix", "resource", "product_unit", "rank", "note"]
    list_filter = ["sector_prefix"]
    search_fields = ["sector_prefix", "resource__name", "note"]
    autocomplete_fields = ["resource"]


@admin.register(ConversionFactor)
class ConversionFactorAdmin(HardenedAdmin, SimpleHistoryAdmin):
    # A new legal text is a new row (a later "valid from"), so old figures keep their factor.
    list_display = [
        "resource",
        "toe_per_unit",
        "valid_from",
        "valid_to",
        "source",
        "source_checked",
    ]
    list_filter = ["resource", "source_checked"]


@admin.register(EmissionFactor)
class EmissionFactorAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = [
        "resource",
        "tco2e_per_unit",
        "valid_from",
        "valid_to",
        "source",
        "source_checked",
    ]
    list_filter = ["resource", "source_checked"]


@admin.register(GhgInventoryListing)
class GhgInventoryListingAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["facility", "decision", "decided_on"]
    list_filter = ["decision"]
    search_fields = ["facility__search_text"]
    autocomplete_fields = ["facility"]
    list_select_related = ["facility"]


@admin.register(PublicHoliday)
class PublicHolidayAdmin(HardenedAdmin, admin.ModelAdmin):
    list_display = ["day", "name"]
    date_hierarchy = "day"


@admin.register(ReportingSchedule)
class ReportingScheduleAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = [
        "period_kind",
        "days_after_period_end",
        "remind_days_before",
        "remind_days_after",
        "intensity_change_threshold",
    ]


class OptionInline(HardenedInline, admin.StackedInline):
    model = CPOption
    extra = 0
    autocomplete_fields = ["verified_by"]


@admin.register(Assessment)
class AssessmentAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["facility", "kind", "status", "started_on", "completed_on", "organisation"]
    list_filter = ["kind", "status", "funding"]
    search_fields = ["facility__search_text"]
    autocomplete_fields = ["facility", "organisation"]
    list_select_related = ["facility", "organisation"]
    inlines = [OptionInline]


class BaselineConsumptionInline(HardenedInline, admin.TabularInline):
    model = BaselineConsumption
    extra = 0


@admin.register(Baseline)
class BaselineAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["assessment", "year", "output", "output_unit"]
    inlines = [BaselineConsumptionInline]


class SelfReportConsumptionInline(HardenedInline, admin.TabularInline):
    model = SelfReportConsumption
    extra = 0


class SelfReportMeasureInline(HardenedInline, admin.TabularInline):
    model = SelfReportMeasure
    extra = 0


class SelfReportTransitionInline(HardenedInline, admin.TabularInline):
    model = SelfReportTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]
    can_delete = False


@admin.register(SelfReport)
class SelfReportAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["facility", "period_kind", "year", "quarter", "version", "status"]
    list_filter = ["status", "period_kind", "year"]
    search_fields = ["facility__search_text"]
    autocomplete_fields = ["facility"]
    list_select_related = ["facility"]
    inlines = [SelfReportConsumptionInline, SelfReportMeasureInline, SelfReportTransitionInline]
