from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("flags/", views.flag_list, name="flag_list"),
    path("flags/<int:pk>/dismiss/", views.flag_dismiss, name="flag_dismiss"),
]
