"""Admins read every desk record and its history in the Django admin; nobody else gets in."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from compliance.models import Flag, Notice
from compliance.services import check_compliance
from logistics.models import DistrictDelivery, LogisticsItem, LogisticsReceipt, TpsDelivery, VillageDelivery
from logistics.services import distribution_mark_reached, receipt_record
from reports.models import DailyReport, ExcusedDay
from reports.services import day_excuse, report_edit, report_submit
from violations.constants import Category, Origin
from violations.models import IncidentEvent, IncidentEvidence, ViolationIncident
from violations.services import evidence_attach, incident_edit, incident_record

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2024, 11, 20, 12, 0, tzinfo=WITA)
DESK_MODELS = [
    DailyReport, ExcusedDay, LogisticsReceipt, DistrictDelivery, VillageDelivery, TpsDelivery,
    ViolationIncident, IncidentEvent, IncidentEvidence, Flag, Notice,
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def desk_records(election, samarinda, balikpapan, officer, secretariat):
    """One of every desk record, each written through its service, edits included."""
    from tests.violations.samples import jpeg_bytes

    with time_machine.travel(NOW, tick=False):
        report = report_submit(
            election=election, regency=samarinda, by=officer, now=NOW,
            data={"report_date": NOW.date(), "situation": "conducive", "summary": "Aman.", "sources": ["kpu"]},
        )
        report_edit(report=report, by=officer, now=NOW, data={"summary": "Aman terkendali."})
        day_excuse(election=election, regency=balikpapan, date=NOW.date() - dt.timedelta(days=1),
                   reason="Jaringan putus.", by=secretariat, now=NOW)
        receipt_record(
            election=election, regency=samarinda, item=LogisticsItem.objects.get(code="ink"), by=officer, now=NOW,
            data={"quantity_received": 8, "quantity_damaged": 0, "received_at": NOW - dt.timedelta(hours=2),
                  "note": "", "confirm_over_expected": False},
        )
        distribution_mark_reached(election=election, regency=samarinda, level="tps", reached_on=NOW.date(),
                                  by=officer, now=NOW)
        incident = incident_record(
            regency=samarinda, by=officer, now=NOW, occurred_at=NOW - dt.timedelta(hours=3),
            category=Category.MONEY_POLITICS, origin=Origin.FINDING, description="Amplop dibagikan.",
        )
        incident_edit(incident=incident, by=officer, now=NOW, description="Amplop berisi uang dibagikan.")
        evidence_attach(incident=incident, by=officer, now=NOW,
                        upload=SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg"))
    check_compliance(now=NOW + dt.timedelta(days=2))
    for model in DESK_MODELS:
        assert model.objects.exists(), model


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
def test_desk_records_cannot_be_changed_in_the_admin(client, admin_user, desk_records):
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
