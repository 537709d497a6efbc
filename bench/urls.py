"""The project's routes plus the floors the submission and the webhook are measured against."""

from django.urls import path

from pilkada_desk.urls import urlpatterns as project_urlpatterns

from .views import bare_insert, bare_webhook

urlpatterns = [
    path("bench/bare-insert/", bare_insert), path("bench/bare-webhook/", bare_webhook), *project_urlpatterns,
]
