"""The REST API under /api/v1/: each app contributes its own routes."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api import ObtainTokenView

urlpatterns = [
    path("token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file (docs/?script): no inline script for the CSP.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("", include("accounts.api_urls")),
    path("", include("elections.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("logistics.api_urls")),
    path("", include("violations.api_urls")),
    path("", include("compliance.api_urls")),
    path("", include("contacts.api_urls")),
    path("", include("intake.api_urls")),
    path("", include("votingday.api_urls")),
]
