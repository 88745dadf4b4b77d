from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from facilities import services
from facilities.forms import ProductForm
from facilities.models import (
    AdministrativeUnit,
    AwarenessConfirmation,
    DedicatedUnit,
    Facility,
    FacilityImport,
    ImportMapping,
    IndustrialZone,
    OutreachActivity,
    OutreachParticipation,
    Product,
    ProductUnit,
    Sector,
    SizeClass,
)
from portal.lib.admin import HardenedAdmin, HardenedInline


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Sector)
class SectorAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


@admin.register(IndustrialZone)
class IndustrialZoneAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "area", "parent", "established_on", "closed_on"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["area", "parent"]
    autocomplete_fields = ["area", "parent"]


@admin.register(SizeClass)
class SizeClassAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "code", "rank"]


@admin.register(ProductUnit)
class ProductUnitAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "code", "name_en", "quantity_kind", "aliases"]
    list_filter = ["quantity_kind"]
    search_fields = ["name", "name_en", "code", "aliases"]

    def _in_use(self, obj: ProductUnit | None) -> bool:
        return obj is not None and Product.objects.filter(unit=obj.code).exists()

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        # Products store the code: renaming it would leave them without a unit.
        return ["code"] if self._in_use(obj) else []

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._in_use(obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        # The list's "delete selected" keeps the units products use.
        queryset.exclude(code__in=Product.objects.values("unit")).delete()


class ProductInline(HardenedInline, admin.TabularInline):
    model = Product
    form = ProductForm
    extra = 0


@admin.register(Facility)
class FacilityAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "tax_code", "administrative_unit", "sector", "size_class", "in_scope"]
    list_filter = ["in_scope", "size_class", "legal_form"]
    search_fields = ["search_text"]
    list_select_related = ["administrative_unit", "sector", "size_class"]

    def get_search_results(self, request: Any, queryset: Any, search_term: str) -> Any:
        # search_text holds names without accents: "Gạch" must find what "gach" finds.
        return queryset.matching(search_term), False

    autocomplete_fields = ["administrative_unit", "sector", "zone", "managers"]
    inlines = [ProductInline]

    def save_model(self, request: Any, obj: Facility, form: Any, change: bool) -> None:
        services.save_facility(obj)


class ParticipationInline(HardenedInline, admin.TabularInline):
    model = OutreachParticipation
    extra = 0
    autocomplete_fields = ["facility"]


@admin.register(OutreachActivity)
class OutreachActivityAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "held_on", "organiser", "area"]
    list_filter = ["kind"]
    search_fields = ["title", "organiser"]
    date_hierarchy = "held_on"
    filter_horizontal = ["places"]
    inlines = [ParticipationInline]


@admin.register(AwarenessConfirmation)
class AwarenessConfirmationAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["facility", "confirmed_on", "method"]
    list_filter = ["method"]
    autocomplete_fields = ["facility"]
    list_select_related = ["facility"]


@admin.register(DedicatedUnit)
class DedicatedUnitAdmin(HardenedAdmin, SimpleHistoryAdmin):
    list_display = ["facility", "established_on", "ended_on", "head"]
    autocomplete_fields = ["facility"]
    list_select_related = ["facility"]


@admin.register(FacilityImport)
class FacilityImportAdmin(HardenedAdmin, admin.ModelAdmin):
    list_display = ["original_name", "uploaded_by", "uploaded_at", "status", "created_count"]
    list_filter = ["status"]

    # Files come in only through the import page, which checks them before opening.
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ImportMapping)
class ImportMappingAdmin(HardenedAdmin, admin.ModelAdmin):
    """Remembered mappings: viewable and deletable (to forget one), written by the import."""

    list_display = ["__str__", "updated_by", "updated_at"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
