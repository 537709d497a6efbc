import django_filters
from rest_framework import serializers, viewsets

from accounts.permissions import HasDeskRole

from .models import Flag, FlagKind


class FlagSerializer(serializers.ModelSerializer):
    # None for the province-level flag (the province KPU's own recapitulation overdue).
    regency = serializers.CharField(source="regency_id", read_only=True, allow_null=True)
    province = serializers.CharField(source="election.province_id", read_only=True)

    class Meta:
        model = Flag
        # `subject`: the voting-day round or recapitulation level ("" for the daily flags).
        fields = ["id", "regency", "province", "kind", "date", "subject", "raised_at", "resolved_at", "resolution"]


class FlagFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(field_name="resolved_at", lookup_expr="isnull", label="open")
    kind = django_filters.ChoiceFilter(choices=FlagKind.choices)
    date = django_filters.DateFilter()
    regency = django_filters.CharFilter(field_name="regency_id")
    election = django_filters.NumberFilter(field_name="election_id")


class FlagViewSet(viewsets.ReadOnlyModelViewSet):
    """Compliance flags the caller may see (the province-level ones, with no regency, only by those who oversee
    the province); `?open=true`, `?kind=`, `?date=`, `?regency=` filter."""

    serializer_class = FlagSerializer
    permission_classes = [HasDeskRole]
    filterset_class = FlagFilter

    def get_queryset(self):
        return (Flag.objects.for_user(self.request.user).select_related("election")
                .order_by("-date", "regency_id", "kind"))
