from rest_framework import serializers, viewsets

from accounts.permissions import HasDeskRole

from .models import Regency


class RegencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Regency
        fields = ["code", "name", "kind", "province"]


class RegencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Regencies and cities the caller may see, by Kemendagri code."""

    serializer_class = RegencySerializer
    permission_classes = [HasDeskRole]
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{2}\.[0-9]{2}"
    filterset_fields = ["province", "kind"]

    def get_queryset(self):
        return Regency.objects.for_user(self.request.user).order_by("code")
