"""REST endpoints: items, receipts (GET, POST) and status, scoped to the caller."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets

from accounts.permissions import HasDeskRole, OfficerWrites
from accounts.scope import regions_for
from elections.models import Election
from idempotency.api import IdempotentCreateMixin
from regions.models import Regency

from .models import LogisticsItem, LogisticsReceipt
from .selectors import logistics_status
from .serializers import LogisticsItemSerializer, LogisticsReceiptSerializer, LogisticsStatusSerializer


class LogisticsItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The item catalogue."""

    serializer_class = LogisticsItemSerializer
    permission_classes = [HasDeskRole]
    queryset = LogisticsItem.objects.all()
    lookup_field = "code"


class LogisticsReceiptFilter(django_filters.FilterSet):
    regency = django_filters.CharFilter(field_name="regency_id")
    item = django_filters.CharFilter(field_name="item__code")
    election = django_filters.NumberFilter(field_name="election_id")


class LogisticsReceiptViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Receipts the caller may see; officers record their own regency's. Never edited or deleted here."""

    serializer_class = LogisticsReceiptSerializer
    permission_classes = [OfficerWrites]
    filterset_class = LogisticsReceiptFilter

    def get_queryset(self):
        return (
            LogisticsReceipt.objects.for_user(self.request.user)
            .select_related("regency", "item", "confirmed_by")
            .order_by("-received_at", "-pk")
        )


def _election_for(request):
    """`?election=`, else the one active election the caller sees (for `?regency=`'s province if given)."""
    elections = Election.objects.active().for_user(request.user)
    election_id = request.query_params.get("election")
    if election_id:
        if not election_id.isdigit():
            raise serializers.ValidationError({"election": [_("Isi dengan nomor pemilihan.")]})
        election = Election.objects.for_user(request.user).filter(pk=int(election_id)).first()
        if election is None:
            raise serializers.ValidationError({"election": [_("Pemilihan tidak dikenal.")]})
        return election
    regency = request.query_params.get("regency")
    if regency:
        elections = elections.filter(province_id=regency.split(".")[0])
    found = list(elections[:2])
    if len(found) != 1:
        raise serializers.ValidationError(
            {"election": [_("Tidak ada tepat satu pemilihan aktif; sebutkan ?election=.")]}
        )
    return found[0]


class LogisticsStatusViewSet(viewsets.GenericViewSet):
    """Per regency and item: expected (from the rules and the TPS data), usable received, damaged, complete."""

    serializer_class = LogisticsStatusSerializer
    permission_classes = [HasDeskRole]
    queryset = Regency.objects.none()  # rows are computed; this only names the model for the schema
    filter_backends = []

    @extend_schema(parameters=[
        OpenApiParameter("regency", str, description="Kode kabupaten/kota, mis. 64.72"),
        OpenApiParameter("election", int, description="Boleh dikosongkan bila hanya satu pemilihan aktif"),
    ])
    def list(self, request):
        election = _election_for(request)
        regencies = regions_for(request.user, Regency).filter(province_id=election.province_id)
        if code := request.query_params.get("regency"):
            regencies = regencies.filter(code=code)
        rows = logistics_status(election=election, regencies=regencies.values_list("code", flat=True))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
