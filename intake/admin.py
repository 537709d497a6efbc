from django.contrib import admin

from .models import DeliveryStatus, InboundMessage, OutboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "channel", "sender", "contact", "kind", "outcome", "state", "rate_limited"]
    list_filter = ["channel", "kind", "outcome", "state", "rate_limited"]
    search_fields = ["sender", "text", "provider_id"]
    raw_id_fields = ["contact", "report", "incident"]
    readonly_fields = [field.name for field in InboundMessage._meta.fields]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "to", "state", "attempts", "delivery"]
    list_filter = ["channel", "state"]
    readonly_fields = [field.name for field in OutboundMessage._meta.fields]


@admin.register(DeliveryStatus)
class DeliveryStatusAdmin(admin.ModelAdmin):
    list_display = ["at", "channel", "provider_id", "status"]
    readonly_fields = [field.name for field in DeliveryStatus._meta.fields]
