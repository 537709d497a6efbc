"""The REST API under /api/v1/: each app contributes its own routes."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.api import ObtainTokenView

urlpatterns = [
    path("token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("regions.api_urls")),
    path("", include("elections.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("logistics.api_urls")),
    path("", include("violations.api_urls")),
    path("", include("compliance.api_urls")),
]
