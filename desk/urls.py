"""The secretariat's pages, which read every stream."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("rakor/", include("desk.rakor_urls")),
]
