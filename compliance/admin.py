from django.contrib import admin

from pilkada_desk.admin import ReadOnlyAdminMixin

from .models import Flag, Notice


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "regency", "kind", "raised_at", "resolved_at", "resolution"]
    list_filter = ["kind", "resolution", "election"]
    search_fields = ["regency__code", "regency__name"]
    list_select_related = ["regency"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["key", "kind", "created_at", "sent_at", "attempts"]
    list_filter = ["kind"]
    search_fields = ["key"]
