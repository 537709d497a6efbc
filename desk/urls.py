"""The secretariat's pages, which read every stream."""

from django.urls import include, path

from . import regency_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("rakor/", include("desk.rakor_urls")),
    path("regencies/<str:code>/", regency_views.regency_detail, name="regency_page"),
]
