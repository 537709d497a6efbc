from django.urls import path

from . import views

app_name = "logistics"

# Regions are addressed by their Kemendagri code (64.72, 64.72.01, 64.72.01.1001).
urlpatterns = [
    path("", views.index, name="index"),
    path("province/", views.province, name="province"),
    path("receipts/<int:pk>/", views.receipt_detail, name="receipt"),
    path("distribution/district/<str:code>/", views.distribution_district, name="distribution-district"),
    path("distribution/village/<str:code>/", views.distribution_village, name="distribution-village"),
    path("<str:code>/", views.regency_status, name="regency"),
    path("<str:code>/receipts/", views.receipt_create, name="receipt-create"),
    path("<str:code>/distribution/", views.distribution, name="distribution"),
]
