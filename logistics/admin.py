from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.admin import CorrectionAdminMixin, CorrectionForm, ReadOnlyAdminMixin

from .forms import ReceiptForm
from .models import DistrictDelivery, LogisticsItem, LogisticsReceipt, TpsDelivery, VillageDelivery
from .services import receipt_correct


class LogisticsReceiptCorrectionForm(CorrectionForm):
    """A receipt's quantities, time and note (the desk form's fields), corrected through `receipt_correct`."""

    content_fields = ("quantity_received", "quantity_damaged", "received_at", "note", "over_expected_confirmed")
    quantity_received = ReceiptForm.base_fields["quantity_received"]
    quantity_damaged = ReceiptForm.base_fields["quantity_damaged"]
    received_at = ReceiptForm.base_fields["received_at"]
    note = ReceiptForm.base_fields["note"]
    confirm_over_expected = ReceiptForm.base_fields["confirm_over_expected"]

    class Meta(CorrectionForm.Meta):
        model = LogisticsReceipt

    def initial_content(self):
        receipt = self.instance
        return {
            "quantity_received": receipt.quantity_received, "quantity_damaged": receipt.quantity_damaged,
            "received_at": timezone.localtime(receipt.received_at), "note": receipt.note,
            "confirm_over_expected": receipt.over_expected_confirmed,
        }

    def correct(self, *, by, version, reason, now):
        data = {name: self.cleaned_data.get(name) for name in self.field_names(self.instance)}
        receipt_correct(receipt=self.instance, by=by, data=data, now=now, version=version, reason=reason)


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
class LogisticsReceiptAdmin(CorrectionAdminMixin, SimpleHistoryAdmin):
    """Receipts are recorded by the desks; an admin corrects them here, through `receipt_correct`."""

    correction_form = LogisticsReceiptCorrectionForm
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
