from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("excuse/", views.day_excuse_view, name="excuse"),
    path("excuse/<int:pk>/withdraw/", views.day_excuse_withdraw_view, name="excuse-withdraw"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_change, name="edit"),
    path("<int:pk>/acknowledge/", views.report_acknowledge_view, name="acknowledge"),
]
