"""REST endpoints of this app, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import EvidenceFile, EvidenceListCreate, IncidentViewSet

router = SimpleRouter()
router.register("violations", IncidentViewSet, basename="violation")

urlpatterns = [
    *router.urls,
    path("violations/<int:pk>/evidence/", EvidenceListCreate.as_view(), name="api-violation-evidence"),
    path("violations/<int:pk>/evidence/<int:evidence_pk>/", EvidenceFile.as_view(),
         name="api-violation-evidence-file"),
]
