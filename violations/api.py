"""REST endpoints: `violations/`, `violations/{id}/`, `violations/{id}/evidence/`."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets

from accounts.permissions import HasDeskRole
from core.api_input import FormParser, MultiPartParser
from core.concurrency import IF_MATCH, StaleEditSerializer, VersionedRecordMixin
from idempotency.api import IdempotentCreateMixin

from .filters import IncidentFilter
from .models import IncidentEvidence, ViolationIncident
from .permissions import IncidentAccess
from .serializers import EvidenceSerializer, IncidentSerializer
from .services import evidence_attach, incident_change, incident_record
from .views import evidence_response


@extend_schema_view(partial_update=extend_schema(
    parameters=[IF_MATCH], responses={200: IncidentSerializer, 412: StaleEditSerializer},
))
class IncidentViewSet(VersionedRecordMixin, IdempotentCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Violation incidents the caller may see; officers record their own regency's, status moves by PATCH."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    permission_classes = [IncidentAccess]

    def get_queryset(self):
        return ViolationIncident.objects.for_user(self.request.user).for_display().order_by("-occurred_at", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        for field in ("status", "forwarded_to", "reference", "outcome", "note"):
            data.pop(field, None)
        serializer.instance = incident_record(by=self.request.user, now=timezone.now(), **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        note = data.pop("note", "")
        serializer.instance = incident_change(
            incident=serializer.instance, by=self.request.user, now=timezone.now(), changes=data, note=note,
            version=self.edited_version(),
        )
        serializer.instance.refresh_from_db()


class EvidenceListCreate(IdempotentCreateMixin, generics.ListCreateAPIView):
    """Evidence of one incident: list it, or upload a JPEG, PNG or PDF (by content, at most 10 MB)."""

    serializer_class = EvidenceSerializer
    parser_classes = [MultiPartParser, FormParser]
    filter_backends = []

    permission_classes = [IncidentAccess]

    def incident(self):
        if not hasattr(self, "_incident"):
            incidents = ViolationIncident.objects.for_user(self.request.user)
            self._incident = get_object_or_404(incidents, pk=self.kwargs["pk"])
        return self._incident

    def get_queryset(self):
        return IncidentEvidence.objects.filter(incident=self.incident()).select_related("uploaded_by")

    def perform_create(self, serializer):
        serializer.instance = evidence_attach(
            incident=self.incident(), by=self.request.user, now=timezone.now(),
            upload=serializer.validated_data["file"],
        )


class EvidenceFile(generics.GenericAPIView):
    """The stored file itself, for callers who may read its incident."""

    permission_classes = [HasDeskRole]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk, evidence_pk):
        return evidence_response(request.user, pk, evidence_pk)
