from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from .models import Contact


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "phone", "role", "regency", "district", "village", "user", "notify_by", "active"]
    list_filter = ["role", "active", "notify_by", "regency"]
    search_fields = ["name", "phone"]
    autocomplete_fields = ["regency", "district", "village", "user"]
    readonly_fields = ["created_at", "last_whatsapp_at"]

    def save_model(self, request, obj, form, change):
        if obj.created_at is None:
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)
