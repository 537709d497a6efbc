"""Admins read every desk record and its history in the Django admin; nobody else gets in.

Corrections (reports, receipts, incidents, flags, excuses) are in test_admin_corrections.py."""

import pytest
from django.contrib import admin
from django.urls import reverse

from reports.models import DailyReport
from tests.desk_records import DESK_MODELS, desk_records_make
from violations.models import ViolationIncident


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def desk_records(election, samarinda, balikpapan, officer, secretariat):
    desk_records_make(election=election, samarinda=samarinda, balikpapan=balikpapan, officer=officer,
                      secretariat=secretariat)


def admin_urls():
    """The changelist of every registered model, and the change and history pages of one of its records."""
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        yield reverse(f"admin:{info[0]}_{info[1]}_changelist")
        obj = model.objects.order_by("pk").first()
        if obj is not None:
            yield reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
            yield reverse(f"admin:{info[0]}_{info[1]}_history", args=[obj.pk])


@pytest.mark.django_db
def test_admin_opens_every_admin_page_of_every_desk_record(client, admin_user, desk_records):
    client.force_login(admin_user)
    urls = list(admin_urls())
    for model in DESK_MODELS:
        assert any(f"/{model._meta.model_name}/" in url and url.endswith("/history/") for url in urls), model

    failures = {url: client.get(url).status_code for url in urls}

    assert {url: code for url, code in failures.items() if code != 200} == {}


@pytest.mark.django_db
def test_history_page_shows_who_changed_a_report_and_an_incident(client, admin_user, officer, desk_records):
    client.force_login(admin_user)
    report = DailyReport.objects.get()
    incident = ViolationIncident.objects.get()

    for url in (reverse("admin:reports_dailyreport_history", args=[report.pk]),
                reverse("admin:violations_violationincident_history", args=[incident.pk])):
        page = client.get(url).content.decode()
        assert officer.username in page
        assert page.count("<tr") >= 3  # header, creation, edit


@pytest.mark.django_db
def test_desk_records_are_never_added_or_deleted_in_the_admin(client, admin_user, desk_records):
    """Admins correct some desk records there (through the services), but records come and go only by the desk."""
    client.force_login(admin_user)
    for model in DESK_MODELS:
        info = model._meta.app_label, model._meta.model_name
        obj = model.objects.first()
        assert client.get(reverse(f"admin:{info[0]}_{info[1]}_add")).status_code == 403
        delete = reverse(f"admin:{info[0]}_{info[1]}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer", "secretariat"])
def test_officers_and_secretariat_are_refused_every_admin_page(client, who, request, desk_records):
    client.force_login(request.getfixturevalue(who))
    for url in ["/admin/", *admin_urls()]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
