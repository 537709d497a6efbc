from django.contrib import admin

from .admin_import import CsvImportAdminMixin
from .models import District, PollingStation, Province, Regency, Village


class CodeReadOnlyAfterCreate:
    """Codes are identities: set once, never edited."""

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "code") if obj else fields


@admin.register(Province)
class ProvinceAdmin(CsvImportAdminMixin, CodeReadOnlyAfterCreate, admin.ModelAdmin):
    import_kind = "regions"
    list_display = ["code", "name", "time_zone"]
    list_filter = ["time_zone"]
    search_fields = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(CsvImportAdminMixin, CodeReadOnlyAfterCreate, admin.ModelAdmin):
    import_kind = "regions"
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["province"]


@admin.register(District)
class DistrictAdmin(CsvImportAdminMixin, CodeReadOnlyAfterCreate, admin.ModelAdmin):
    import_kind = "regions"
    list_display = ["code", "name", "regency"]
    list_filter = ["regency__province", "regency"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["regency"]
    list_select_related = ["regency"]


@admin.register(Village)
class VillageAdmin(CsvImportAdminMixin, CodeReadOnlyAfterCreate, admin.ModelAdmin):
    import_kind = "regions"
    list_display = ["code", "name", "kind", "district", "regency"]
    list_filter = ["kind", "regency__province", "regency"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["district", "regency"]
    list_select_related = ["district", "regency"]


@admin.register(PollingStation)
class PollingStationAdmin(CsvImportAdminMixin, admin.ModelAdmin):
    import_kind = "tps"
    list_display = ["__str__", "village", "number", "voters", "location", "regency"]
    list_filter = ["location", "regency__province", "regency"]
    search_fields = ["village__code", "village__name"]
    autocomplete_fields = ["village", "regency"]
    list_select_related = ["village", "regency"]

    def get_readonly_fields(self, request, obj=None):
        return ("village", "number") if obj else ()
