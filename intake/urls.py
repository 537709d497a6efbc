from django.urls import path, re_path

from . import views, webhooks

app_name = "intake"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("conversations/<int:pk>/", views.conversation, name="conversation"),
    # A sender as stored (32 characters at most; a NUL never is one).
    re_path(r"^conversations/number/(?P<sender>[^/\x00]{1,32})/$", views.conversation_number,
            name="conversation-number"),
    path("whatsapp/", webhooks.whatsapp, name="whatsapp"),
    path("sms/", webhooks.sms, name="sms"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("<int:pk>/incident/", views.draft_incident, name="draft-incident"),
    path("<int:pk>/take/", views.take_into_report, name="take"),
]
