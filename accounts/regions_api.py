"""The regencies and cities the caller may see (`/api/v1/regencies/`): regions read through the user's scope."""

from rest_framework import serializers, viewsets

from regions.models import Regency

from .permissions import HasDeskRole
from .scope import regions_for


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
        return regions_for(self.request.user, Regency).order_by("code")
