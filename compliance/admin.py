from django.contrib import admin

from .models import Flag, Notice


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["date", "regency", "kind", "raised_at", "resolved_at", "resolution"]
    list_filter = ["kind", "resolution", "election"]
    search_fields = ["regency__code", "regency__name"]
    list_select_related = ["regency"]
    readonly_fields = [f.name for f in Flag._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "created_at", "sent_at", "attempts"]
    list_filter = ["kind"]
    search_fields = ["key"]
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request):
        return False
