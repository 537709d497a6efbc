"""The project's routes plus the floor the submission is measured against."""

from django.urls import path

from pilkada_desk.urls import urlpatterns as project_urlpatterns

from .views import bare_insert

urlpatterns = [path("bench/bare-insert/", bare_insert), *project_urlpatterns]
