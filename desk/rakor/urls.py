from django.urls import path

from . import views

app_name = "rakor"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/record/", views.meeting_record, name="record"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("<int:pk>/actions/", views.action_item_create, name="action_create"),
    path("<int:pk>/calendar.ics", views.meeting_calendar, name="calendar"),
    path("actions/<int:pk>/done/", views.action_item_done, name="action_done"),
    path("brief/", views.brief, name="brief"),
    path("brief.pdf", views.brief_pdf, name="brief_pdf"),
]
