"""The secretariat's pages, which read every stream."""

from django.urls import include, path

from . import export_views, regency_views, views, voting_day_views

urlpatterns = [
    path("", views.home, name="home"),
    path("rakor/", include("desk.rakor_urls")),
    path("regencies/<str:code>/", regency_views.regency_detail, name="regency_page"),
    path("provinces/<str:code>/", views.province_page, name="province_page"),
    path("voting-day/", voting_day_views.voting_day_room, name="voting_day"),
    path("voting-day/panel/", voting_day_views.voting_day_panel, name="voting_day_panel"),
    path("exports/", export_views.export_index, name="exports"),
    path("exports/<str:what>.xlsx", export_views.export_download, {"extension": "xlsx"}, name="export_xlsx"),
    path("exports/<str:what>.csv", export_views.export_download, {"extension": "csv"}, name="export_csv"),
]
