"""API `messages/`: the field messages the caller may see (GET only)."""

import django_filters
from rest_framework import serializers, viewsets

from accounts.permissions import HasDeskRole

from .models import InboundMessage


class MessageSerializer(serializers.ModelSerializer):
    contact = serializers.SerializerMethodField()

    class Meta:
        model = InboundMessage
        fields = ["id", "channel", "sender", "contact", "received_at", "text", "kind", "outcome", "reply"]

    def get_contact(self, message) -> dict | None:
        if message.contact is None:
            return None
        return {"id": message.contact_id, "name": message.contact.name, "role": message.contact.role,
                "regency": message.contact.regency_id, "district": message.contact.district_id,
                "village": message.contact.village_id}


class MessageFilter(django_filters.FilterSet):
    regency = django_filters.CharFilter(field_name="regency_id")
    kind = django_filters.CharFilter()
    outcome = django_filters.CharFilter()
    channel = django_filters.CharFilter()


class MessageViewSet(viewsets.ReadOnlyModelViewSet):
    """Newest first; an officer sees their regency's, the secretariat the province's and unregistered numbers'."""

    serializer_class = MessageSerializer
    permission_classes = [HasDeskRole]
    filterset_class = MessageFilter

    def get_queryset(self):
        return (
            InboundMessage.objects.for_user(self.request.user).exclude(kind="")
            .select_related("contact").order_by("-received_at", "-pk")
        )
