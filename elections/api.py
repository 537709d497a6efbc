import django_filters
from rest_framework import serializers, viewsets

from accounts.permissions import HasDeskRole

from .constants import ContestKind
from .models import CandidatePair


class CandidatePairSerializer(serializers.ModelSerializer):
    contest = serializers.ChoiceField(source="contest.kind", choices=ContestKind.choices, read_only=True)
    regency = serializers.CharField(source="contest.regency_id", read_only=True, allow_null=True)

    class Meta:
        model = CandidatePair
        fields = ["id", "contest", "regency", "number", "names"]


class CandidatePairFilter(django_filters.FilterSet):
    contest = django_filters.ChoiceFilter(field_name="contest__kind", choices=ContestKind.choices)
    regency = django_filters.CharFilter(field_name="contest__regency_id")
    election = django_filters.NumberFilter(field_name="contest__election_id")


class CandidatePairViewSet(viewsets.ReadOnlyModelViewSet):
    """Candidate pairs of the active elections the caller may see (governor and local races)."""

    serializer_class = CandidatePairSerializer
    permission_classes = [HasDeskRole]
    filterset_class = CandidatePairFilter

    def get_queryset(self):
        return (
            CandidatePair.objects.for_user(self.request.user)
            .filter(contest__election__is_active=True)
            .select_related("contest")
            .order_by("contest__kind", "contest__regency_id", "number")
        )
