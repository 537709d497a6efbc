"""Idempotency-Key on every create: the same key again returns the first answer and stores nothing new."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from rest_framework.test import APIClient

from idempotency.models import IdempotentRequest
from logistics.models import LogisticsReceipt
from reports.models import DailyReport
from tests.helpers import WITA
from tests.violations.samples import jpeg_bytes
from violations.models import IncidentEvidence, ViolationIncident

NOW = dt.datetime(2024, 11, 20, 10, 0, tzinfo=WITA)
REPORT = {"regency": "64.72", "report_date": "2024-11-20", "situation": "conducive",
          "summary": "Tidak ada kejadian menonjol; situasi aman.", "sources": ["kpu"]}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def frozen_at():
    return NOW


def _post(client, url, data, key, **kwargs):
    return client.post(url, data, HTTP_IDEMPOTENCY_KEY=key, **kwargs)


@pytest.mark.django_db
def test_the_same_report_sent_twice_with_one_key_is_stored_once(api, officer, election, frozen):
    client = api.as_user(officer)
    first = _post(client, "/api/v1/daily-reports/", REPORT, "c0ffee-1", format="json")
    again = _post(client, "/api/v1/daily-reports/", REPORT, "c0ffee-1", format="json")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert DailyReport.objects.count() == 1 and IdempotentRequest.objects.count() == 1


@pytest.mark.django_db
def test_without_a_key_a_second_report_is_refused_as_before(api, officer, election, frozen):
    client = api.as_user(officer)
    assert client.post("/api/v1/daily-reports/", REPORT, format="json").status_code == 201
    assert client.post("/api/v1/daily-reports/", REPORT, format="json").status_code == 400
    assert not IdempotentRequest.objects.exists()


@pytest.mark.django_db
def test_a_refused_create_does_not_use_up_its_key(api, officer, election, frozen):
    client = api.as_user(officer)
    refused = _post(client, "/api/v1/daily-reports/", {**REPORT, "summary": ""}, "draft-7", format="json")
    assert refused.status_code == 400 and not IdempotentRequest.objects.exists()
    corrected = _post(client, "/api/v1/daily-reports/", REPORT, "draft-7", format="json")
    assert corrected.status_code == 201 and DailyReport.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_their_user(api, officer, other_officer, election, frozen):
    _post(api.as_user(officer), "/api/v1/daily-reports/", REPORT, "shared-key", format="json")
    theirs = _post(api.as_user(other_officer), "/api/v1/daily-reports/", {**REPORT, "regency": "64.71"},
                   "shared-key", format="json")
    assert theirs.status_code == 201
    assert sorted(DailyReport.objects.values_list("regency_id", flat=True)) == ["64.71", "64.72"]


@pytest.mark.django_db
def test_a_key_reused_for_another_endpoint_or_malformed_is_400(api, officer, election, frozen):
    client = api.as_user(officer)
    _post(client, "/api/v1/daily-reports/", REPORT, "once", format="json")
    receipt = {"regency": "64.72", "item": "ink", "quantity_received": 5, "received_at": NOW.isoformat()}
    reused = _post(client, "/api/v1/logistics/receipts/", receipt, "once", format="json")
    assert reused.status_code == 400 and "Idempotency-Key" in reused.json()
    malformed = _post(client, "/api/v1/logistics/receipts/", receipt, "spasi di kunci", format="json")
    assert malformed.status_code == 400 and "Idempotency-Key" in malformed.json()
    assert not LogisticsReceipt.objects.exists()


@pytest.mark.django_db
def test_receipt_incident_and_evidence_creates_honour_the_key(api, officer, election, samarinda, frozen):
    client = api.as_user(officer)
    receipt = {"regency": "64.72", "item": "ink", "quantity_received": 5, "received_at": NOW.isoformat()}
    responses = [_post(client, "/api/v1/logistics/receipts/", receipt, "receipt-1", format="json") for _ in "ab"]
    assert [r.status_code for r in responses] == [201, 201] and LogisticsReceipt.objects.count() == 1

    incident = {"regency": "64.72", "occurred_at": (NOW - dt.timedelta(hours=1)).isoformat(),
                "category": "money_politics", "origin": "finding", "description": "Amplop dibagikan."}
    responses = [_post(client, "/api/v1/violations/", incident, "incident-1", format="json") for _ in "ab"]
    assert [r.status_code for r in responses] == [201, 201] and ViolationIncident.objects.count() == 1

    pk = responses[0].json()["id"]
    uploads = [_post(client, f"/api/v1/violations/{pk}/evidence/",
                     {"file": SimpleUploadedFile("bukti.jpg", jpeg_bytes(), "image/jpeg")}, "photo-1",
                     format="multipart") for _ in "ab"]
    assert [r.status_code for r in uploads] == [201, 201] and uploads[0].json() == uploads[1].json()
    assert IncidentEvidence.objects.count() == 1


def _concurrently(user, copies, url, data, key):
    """`copies` posts released at the same moment, each on its own database connection; their answers."""
    barrier = threading.Barrier(copies)
    answers = []

    def post():
        client = APIClient()
        client.force_authenticate(user)
        try:
            barrier.wait()
            answers.append(_post(client, url, data, key, format="json"))
        finally:
            connections.close_all()

    with time_machine.travel(NOW, tick=False):
        threads = [threading.Thread(target=post) for _ in range(copies)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return answers


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("copies", [2, 8])
def test_concurrent_copies_with_one_key_store_one_report(officer, election, samarinda, copies):
    answers = _concurrently(officer, copies, "/api/v1/daily-reports/", REPORT, "same-moment")
    assert [answer.status_code for answer in answers] == [201] * copies
    report = DailyReport.objects.get()
    assert {answer.json()["id"] for answer in answers} == {report.pk}
    assert IdempotentRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_incidents_with_one_key_store_one_incident(officer, election, samarinda):
    incident = {"regency": "64.72", "occurred_at": (NOW - dt.timedelta(hours=1)).isoformat(),
                "category": "money_politics", "origin": "finding", "description": "Amplop dibagikan."}
    answers = _concurrently(officer, 4, "/api/v1/violations/", incident, "incident-same-moment")
    assert [answer.status_code for answer in answers] == [201] * 4
    assert ViolationIncident.objects.count() == 1


@pytest.mark.django_db
def test_web_forms_replay_the_first_result_for_the_same_key(client, officer, election, samarinda, frozen):
    client.force_login(officer)
    form = {"report_date": "2024-11-20", "situation": "conducive", "summary": "Aman.", "sources": ["kpu"],
            "idempotency_key": "web-1", "composed_at": "2024-11-20T01:55:00Z"}
    first = client.post("/reports/new/", form)
    again = client.post("/reports/new/", form)
    report = DailyReport.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == report.get_absolute_url()
    assert report.composed_at == dt.datetime(2024, 11, 20, 1, 55, tzinfo=dt.UTC)

    receipt = {"item": "ink", "quantity_received": "4", "quantity_damaged": "0",
               "received_at": "2024-11-20T09:00"}
    for _ in "ab":
        client.post("/logistics/64.72/receipts/", receipt, HTTP_IDEMPOTENCY_KEY="web-2")
    assert LogisticsReceipt.objects.count() == 1

    incident = {"occurred_at": "2024-11-20T08:00", "category": "money_politics", "origin": "finding",
                "description": "Amplop.", "idempotency_key": "web-3"}
    locations = {client.post("/violations/new/", incident)["Location"] for _ in "ab"}
    assert len(locations) == 1 and ViolationIncident.objects.count() == 1
