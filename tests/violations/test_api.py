import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from violations.models import IncidentEvent, IncidentEvidence, ViolationIncident

from .samples import EXE_BYTES, PDF_BYTES, jpeg_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

URL = "/api/v1/violations/"
DOCUMENTED_FIELDS = {
    "id", "regency", "district", "village", "tps", "occurred_at", "category", "candidate_pair", "description",
    "origin", "status", "outcome", "forwarded_to", "reference", "reported_by", "reported_at",
}


@pytest.fixture
def payload(kukar, kukar_tps, governor_pair):
    return {
        "regency": "64.02", "district": "64.02.01", "village": "64.02.01.1002", "tps": kukar_tps.pk,
        "occurred_at": "2024-11-20T08:30:00+08:00", "category": "money_politics",
        "candidate_pair": governor_pair.pk, "description": "Amplop dibagikan di dekat TPS.", "origin": "finding",
    }


def _nothing_stored():
    return not ViolationIncident.objects.exists() and not IncidentEvent.objects.exists()


def test_officer_records_an_incident_with_exactly_the_documented_fields(api, kukar_officer, payload, kukar_tps):
    response = api.as_user(kukar_officer).post(URL, payload, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == DOCUMENTED_FIELDS
    assert body | {"id": None} == {
        "id": None, "regency": "64.02", "district": "64.02.01", "village": "64.02.01.1002", "tps": kukar_tps.pk,
        "occurred_at": "2024-11-20T08:30:00+08:00", "category": "money_politics",
        "candidate_pair": payload["candidate_pair"], "description": "Amplop dibagikan di dekat TPS.",
        "origin": "finding", "status": "recorded", "outcome": "", "forwarded_to": "", "reference": "",
        "reported_by": "desk-kutai-kartanegara", "reported_at": "2024-11-20T12:00:00+08:00",
    }


def test_tps_alone_fills_in_its_village_and_district(api, kukar_officer, payload):
    del payload["district"], payload["village"]
    body = api.as_user(kukar_officer).post(URL, payload, format="json").json()
    assert (body["district"], body["village"]) == ("64.02.01", "64.02.01.1002")


@pytest.mark.parametrize(("change", "field"), [
    ({"village": "64.72.01.1001", "tps": None, "district": None}, "village"),
    ({"village": "64.02.01.1001"}, "tps"),
    ({"category": "vote_buying"}, "category"),
    ({"description": ""}, "description"),
    ({"occurred_at": "2024-11-20T13:00:00+08:00"}, "occurred_at"),
    ({"status": "forwarded"}, "status"),
    ({"district": "99.99.99"}, "district"),
])
def test_invalid_incident_is_400_with_field_message_and_nothing_stored(api, kukar_officer, payload, samarinda,
                                                                      change, field):
    response = api.as_user(kukar_officer).post(URL, payload | change, format="json")

    assert response.status_code == 400
    assert field in response.json() and response.json()[field][0]
    assert _nothing_stored()


def test_pair_of_another_regency_race_is_400(api, kukar_officer, payload, samarinda_pair):
    response = api.as_user(kukar_officer).post(URL, payload | {"candidate_pair": samarinda_pair.pk}, format="json")
    assert response.status_code == 400
    assert "Kabupaten Kutai Kartanegara" in response.json()["candidate_pair"][0]
    assert _nothing_stored()


def test_officer_creating_for_another_regency_gets_403(api, officer, payload):
    response = api.as_user(officer).post(URL, payload, format="json")
    assert response.status_code == 403
    assert _nothing_stored()


def test_secretariat_cannot_record_incidents(api, secretariat, payload):
    assert api.as_user(secretariat).post(URL, payload, format="json").status_code == 403
    assert _nothing_stored()


def test_anonymous_gets_401(api, record):
    incident = record()
    assert api.get(URL).status_code == 401
    assert api.get(f"{URL}{incident.pk}/").status_code == 401
    assert api.get(f"{URL}{incident.pk}/evidence/").status_code == 401


def test_another_regency_officer_neither_lists_nor_reads_the_incident(api, record, officer):
    incident = record()
    api.as_user(officer)
    assert api.get(URL).json()["count"] == 0
    assert api.get(f"{URL}{incident.pk}/").status_code == 404
    assert api.patch(f"{URL}{incident.pk}/", {"status": "withdrawn"}, format="json").status_code == 404
    assert api.get(f"{URL}{incident.pk}/evidence/").status_code == 404


def test_secretariat_lists_the_province_and_filters(api, record, secretariat, other_province_regency, now):
    record()
    record(category="intimidation", occurred_at=now - dt.timedelta(days=9), description="Lama")
    api.as_user(secretariat)

    assert api.get(URL).json()["count"] == 2
    assert api.get(URL, {"category": "intimidation"}).json()["count"] == 1
    assert api.get(URL, {"overdue": "true"}).json()["results"][0]["description"] == "Lama"
    assert api.get(URL, {"date_from": "2024-11-20"}).json()["count"] == 1
    assert api.get(URL, {"regency": "64.72"}).json()["count"] == 0


def test_patch_moves_along_the_workflow_and_records_the_timeline(api, record, kukar_officer, secretariat):
    incident = record()
    url = f"{URL}{incident.pk}/"
    api.as_user(kukar_officer)

    forwarded = api.patch(url, {"status": "forwarded", "forwarded_to": "bawaslu", "reference": "01/PW/2024",
                                "note": "Lewat Panwascam."}, format="json")
    assert forwarded.status_code == 200, forwarded.json()
    assert (forwarded.json()["status"], forwarded.json()["reference"]) == ("forwarded", "01/PW/2024")
    # Sending the object back as read (with the forwarding fields) is fine.
    under_review = api.as_user(secretariat).patch(url, forwarded.json() | {"status": "under_review"}, format="json")
    assert under_review.status_code == 200, under_review.json()
    concluded = api.patch(url, {"status": "concluded", "outcome": "criminal"}, format="json")

    assert concluded.json()["outcome"] == "criminal"
    assert list(incident.events.values_list("to_status", "by__username")) == [
        ("recorded", "desk-kutai-kartanegara"), ("forwarded", "desk-kutai-kartanegara"),
        ("under_review", "sekretariat"), ("concluded", "sekretariat"),
    ]
    assert incident.events.get(to_status="forwarded").note == "Lewat Panwascam."


def test_wrong_move_is_400_naming_the_allowed_moves(api, record, kukar_officer):
    incident = record()
    response = api.as_user(kukar_officer).patch(
        f"{URL}{incident.pk}/", {"status": "concluded", "outcome": "criminal"}, format="json"
    )
    assert response.status_code == 400
    assert "forwarded" in response.json()["status"][0] and "withdrawn" in response.json()["status"][0]
    assert ViolationIncident.objects.get().status == "recorded"
    assert IncidentEvent.objects.count() == 1


def test_reference_changes_only_with_a_move(api, record, kukar_officer):
    incident = record()
    response = api.as_user(kukar_officer).patch(f"{URL}{incident.pk}/", {"reference": "X"}, format="json")
    assert response.status_code == 400 and "reference" in response.json()


def test_officer_edits_description_but_secretariat_cannot(api, record, kukar_officer, secretariat):
    incident = record()
    url = f"{URL}{incident.pk}/"
    assert api.as_user(secretariat).patch(url, {"description": "Diubah"}, format="json").status_code == 403
    edited = api.as_user(kukar_officer).patch(url, {"description": "Lebih rinci"}, format="json")
    assert edited.status_code == 200 and edited.json()["description"] == "Lebih rinci"


def test_regency_of_an_incident_cannot_change(api, record, kukar_officer):
    incident = record()
    response = api.as_user(kukar_officer).patch(f"{URL}{incident.pk}/", {"regency": "64.72"}, format="json")
    assert response.status_code == 400 and "regency" in response.json()


def test_put_is_not_offered(api, record, kukar_officer, payload):
    incident = record()
    assert api.as_user(kukar_officer).put(f"{URL}{incident.pk}/", payload, format="json").status_code == 405


def test_list_takes_a_constant_number_of_queries(api, record, secretariat, django_assert_max_num_queries, now):
    for hours in range(1, 4):
        record(occurred_at=now - dt.timedelta(hours=hours))
    api.as_user(secretariat)
    with django_assert_max_num_queries(8):
        few = api.get(URL)
    for hours in range(4, 30):
        record(occurred_at=now - dt.timedelta(hours=hours))
    with django_assert_max_num_queries(8):
        many = api.get(URL)
    assert (few.json()["count"], many.json()["count"]) == (3, 29)


def test_evidence_upload_list_and_file_are_scoped(api, record, kukar_officer, officer, secretariat):
    incident = record()
    evidence_url = f"{URL}{incident.pk}/evidence/"
    content = jpeg_bytes()

    created = api.as_user(kukar_officer).post(
        evidence_url, {"file": SimpleUploadedFile("bukti.jpg", content, "image/jpeg")}, format="multipart"
    )

    assert created.status_code == 201, created.json()
    assert created.json()["kind"] == "jpeg" and created.json()["uploaded_by"] == "desk-kutai-kartanegara"
    file_url = created.json()["url"]
    assert api.get(evidence_url).json()["count"] == 1
    fetched = api.get(file_url)
    assert fetched.status_code == 200 and b"".join(fetched.streaming_content) == content
    assert fetched["Content-Type"] == "image/jpeg"
    assert api.as_user(secretariat).get(file_url).status_code == 200
    assert api.as_user(officer).get(file_url).status_code == 404
    api.logout()
    api.force_authenticate(user=None)
    assert api.get(file_url).status_code == 401


@pytest.mark.parametrize(("content", "name"), [
    (EXE_BYTES, "foto.jpg"),
    (jpeg_bytes() + b"\0" * (11 * 1024 * 1024), "besar.jpg"),
    (b"", "kosong.jpg"),
])
def test_evidence_refused_is_400_and_nothing_stored(api, record, kukar_officer, content, name):
    incident = record()
    response = api.as_user(kukar_officer).post(
        f"{URL}{incident.pk}/evidence/", {"file": SimpleUploadedFile(name, content, "image/jpeg")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["file"][0]
    assert not IncidentEvidence.objects.exists()


def test_pdf_evidence_is_served_as_a_download(api, record, kukar_officer):
    incident = record()
    created = api.as_user(kukar_officer).post(
        f"{URL}{incident.pk}/evidence/", {"file": SimpleUploadedFile("surat.pdf", PDF_BYTES)}, format="multipart"
    ).json()
    fetched = api.get(created["url"])
    assert fetched["Content-Type"] == "application/pdf"
    assert fetched["Content-Disposition"].startswith("attachment")


def test_secretariat_cannot_upload_evidence(api, record, secretariat):
    incident = record()
    response = api.as_user(secretariat).post(
        f"{URL}{incident.pk}/evidence/", {"file": SimpleUploadedFile("a.jpg", jpeg_bytes())}, format="multipart"
    )
    assert response.status_code == 403


def test_schema_documents_the_violation_endpoints(api, kukar_officer):
    schema = api.as_user(kukar_officer).get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/violations/{id}/evidence/" in schema.content
