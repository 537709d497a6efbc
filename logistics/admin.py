from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pilkada_desk.admin import ReadOnlyAdminMixin

from .models import DistrictDelivery, LogisticsItem, LogisticsReceipt, TpsDelivery, VillageDelivery


@admin.register(LogisticsItem)
class LogisticsItemAdmin(SimpleHistoryAdmin):
    """The catalogue: admins tune the rules; expected quantities follow, receipts stay as recorded."""

    list_display = ["code", "name", "unit", "rule", "per_tps", "spare_per_mille", "position"]
    list_editable = ["rule", "per_tps", "spare_per_mille", "position"]
    list_filter = ["rule"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        # Codes are what the API and the compliance job use: set once.
        return ("code",) if obj else ()


@admin.register(LogisticsReceipt)
class LogisticsReceiptAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "received_at", "regency", "item", "quantity_received", "quantity_damaged", "confirmed_by", "election",
    ]
    list_filter = ["election", "regency__province", "regency", "item"]
    search_fields = ["regency__code", "regency__name", "item__code", "note"]
    list_select_related = ["regency", "item", "confirmed_by", "election"]
    date_hierarchy = "received_at"


@admin.register(DistrictDelivery)
class DistrictDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["district", "reached_on", "regency", "election", "recorded_by"]
    list_filter = ["election", "regency"]
    list_select_related = ["district", "regency", "election", "recorded_by"]


@admin.register(VillageDelivery)
class VillageDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["village", "reached_on", "regency", "election", "recorded_by"]
    list_filter = ["election", "regency"]
    list_select_related = ["village", "regency", "election", "recorded_by"]


@admin.register(TpsDelivery)
class TpsDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["polling_station", "reached_on", "regency", "election", "recorded_by"]
    list_filter = ["election", "regency"]
    list_select_related = ["polling_station__village", "regency", "election", "recorded_by"]
