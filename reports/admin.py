from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pilkada_desk.admin import ReadOnlyAdminMixin

from .models import DailyReport, ExcusedDay


@admin.register(DailyReport)
class DailyReportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Reports are written by the desks through the services, never here."""

    list_display = ["report_date", "regency", "situation", "is_late", "submitted_by", "acknowledged_at"]
    list_filter = ["situation", "is_late", "regency"]
    search_fields = ["summary", "regency__code", "regency__name"]
    date_hierarchy = "report_date"
    list_select_related = ["regency", "submitted_by"]


@admin.register(ExcusedDay)
class ExcusedDayAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "regency", "reason", "excused_by", "excused_at"]
    list_filter = ["election", "regency"]
    date_hierarchy = "date"
    list_select_related = ["regency", "excused_by"]
