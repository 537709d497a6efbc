from django.urls import path

from . import views

app_name = "violations"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("places/", views.places, name="places"),
    path("places/regency/", views.places_regency, name="places-regency"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/edit/", views.incident_update, name="edit"),
    path("<int:pk>/move/", views.incident_move_view, name="move"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence-file"),
]
