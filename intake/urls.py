from django.urls import path

from . import views, webhooks

app_name = "intake"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("whatsapp/", webhooks.whatsapp, name="whatsapp"),
    path("sms/", webhooks.sms, name="sms"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("<int:pk>/incident/", views.draft_incident, name="draft-incident"),
    path("<int:pk>/take/", views.take_into_report, name="take"),
]
