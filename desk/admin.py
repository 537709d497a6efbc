from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import ActionItem, CoordinationMeeting, MeetingAttendance


@admin.register(CoordinationMeeting)
class CoordinationMeetingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "starts_at", "election"]
    list_filter = ["election"]
    list_select_related = ["election"]


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "regency", "present", "attendees"]
    list_select_related = ["meeting", "regency"]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["regency", "description", "due_date", "done_at"]
    list_filter = ["meeting__election"]
    list_select_related = ["regency"]
