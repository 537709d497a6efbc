from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pilkada_desk.admin import ReadOnlyAdminMixin

from .models import DailyReport, ExcusedDay


@admin.register(DailyReport)
class DailyReportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Reports are written by the desks through the services, never here."""

    list_display = ["report_date", "regency", "situation", "is_late", "submitted_by", "acknowledged_at"]
    list_filter = ["situation", "is_late", "regency"]
    date_hierarchy = "report_date"
    list_select_related = ["regency", "submitted_by"]


@admin.register(ExcusedDay)
class ExcusedDayAdmin(admin.ModelAdmin):
    list_display = ["date", "regency", "reason", "excused_by", "excused_at"]
    list_select_related = ["regency", "excused_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
