from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list, name="list"),
    path("new/", views.contact_add, name="add"),
    path("<int:pk>/", views.contact_change, name="change"),
    path("<int:pk>/deactivate/", views.contact_deactivate, name="deactivate"),
]
