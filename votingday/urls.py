from django.urls import path

from . import views

app_name = "votingday"
urlpatterns = [
    path("voting-day/round/<str:round_code>/", views.round_form, name="round"),
    path("voting-day/revotes/", views.revote_page, name="revotes"),
    path("recap/", views.recap_page, name="recap"),
    path("recap/record/", views.recap_record_page, name="recap_record"),
    path("recap/disputes/new/", views.dispute_form, name="dispute_new"),
    path("recap/disputes/<int:pk>/", views.dispute_form, name="dispute_edit"),
]
