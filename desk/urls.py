"""The secretariat's pages, which read every stream."""

from django.urls import include, path

from .dashboard import views as dashboard
from .exports import views as exports
from .regency import views as regency
from .voting_day import views as voting_day

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("rakor/", include("desk.rakor.urls")),
    path("regencies/<str:code>/", regency.regency_detail, name="regency_page"),
    path("provinces/<str:code>/", dashboard.province_page, name="province_page"),
    path("voting-day/", voting_day.voting_day_room, name="voting_day"),
    path("voting-day/panel/", voting_day.voting_day_panel, name="voting_day_panel"),
    path("exports/", exports.export_index, name="exports"),
    path("exports/<str:what>.xlsx", exports.export_download, {"extension": "xlsx"}, name="export_xlsx"),
    path("exports/<str:what>.csv", exports.export_download, {"extension": "csv"}, name="export_csv"),
]
