import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from violations.constants import Status
from violations.models import IncidentEvent, IncidentEvidence, ViolationIncident
from violations.services import evidence_attach, incident_move

from .conftest import NOW
from .samples import EXE_BYTES, jpeg_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def form_data(kukar_tps, governor_pair):
    return {
        "occurred_at": "2024-11-20T08:30", "category": "money_politics", "district": "64.02.01",
        "village": "64.02.01.1002", "tps": str(kukar_tps.pk), "candidate_pair": str(governor_pair.pk),
        "origin": "finding", "description": "Amplop dibagikan di dekat TPS.",
    }


@pytest.fixture
def incident_with_photo(record, kukar_officer, now):
    incident = record()
    evidence = evidence_attach(incident=incident, by=kukar_officer, now=now,
                               upload=SimpleUploadedFile("bukti.jpg", jpeg_bytes()))
    return incident, f"/violations/{incident.pk}/evidence/{evidence.pk}/"


def test_officer_records_an_incident_through_the_form(client, kukar_officer, form_data):
    client.force_login(kukar_officer)
    assert client.get("/violations/new/").status_code == 200

    response = client.post("/violations/new/", form_data)

    incident = ViolationIncident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/violations/{incident.pk}/"
    # The form's local time is the election's (WITA).
    assert incident.occurred_at == dt.datetime(2024, 11, 20, 0, 30, tzinfo=dt.UTC)
    assert (incident.tps_id, incident.reported_by, incident.status) == (int(form_data["tps"]), kukar_officer,
                                                                        "recorded")


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"village": "64.72.01.1001", "tps": ""}, "village", "tidak berada di Kabupaten Kutai Kartanegara"),
    ({"village": "64.02.01.1001"}, "tps", "tidak berada di kelurahan/desa"),
    ({"occurred_at": "2024-11-20T13:00"}, "occurred_at", "setelah waktu pencatatan"),
    ({"description": ""}, "description", "harus diisi"),
])
def test_form_refuses_with_a_clear_message_keeps_the_input_and_stores_nothing(
    client, kukar_officer, form_data, samarinda, change, field, message
):
    client.force_login(kukar_officer)
    response = client.post("/violations/new/", form_data | change)

    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert form["description"].value() == (form_data | change)["description"]
    assert not ViolationIncident.objects.exists() and not IncidentEvent.objects.exists()


def test_form_refuses_a_pair_of_another_regency_race(client, kukar_officer, form_data, samarinda_pair):
    client.force_login(kukar_officer)
    response = client.post("/violations/new/", form_data | {"candidate_pair": str(samarinda_pair.pk)})
    assert "tidak dipilih di Kabupaten Kutai Kartanegara" in response.context["form"].errors["candidate_pair"][0]
    assert not ViolationIncident.objects.exists()


def test_form_lists_only_the_chosen_village_tps_and_the_right_pairs(client, kukar_officer, election):
    client.force_login(kukar_officer)
    form = client.get("/violations/new/").context["form"]
    assert [value for value, _label in form.fields["village"].widget.choices] == [""]
    pair_groups = [group for group, _options in form.fields["candidate_pair"].widget.choices[1:]]
    assert pair_groups == ["Pilgub", "Kabupaten Kutai Kartanegara"]

    bound = client.post("/violations/new/", {"district": "64.02.02", "village": "64.02.02.1001"}).context["form"]
    assert [value for value, _label in bound.fields["village"].widget.choices] == ["", "64.02.02.1001",
                                                                                    "64.02.02.1002"]
    assert len(bound.fields["tps"].widget.choices) == 3


def test_places_feed_the_dependent_selects_within_scope(client, kukar_officer, kukar, samarinda):
    client.force_login(kukar_officer)
    villages = client.get("/violations/places/", {"district": "64.02.01"}).json()["villages"]
    assert [v["code"] for v in villages] == ["64.02.01.1001", "64.02.01.1002"]
    tps = client.get("/violations/places/", {"village": "64.02.01.1002"}).json()["tps"]
    assert [t["label"] for t in tps] == ["TPS 001", "TPS 002"]
    assert client.get("/violations/places/", {"district": "64.72.01"}).json()["villages"] == []


def test_secretariat_and_other_roles_cannot_open_the_incident_form(client, secretariat, admin_user):
    for user in (secretariat, admin_user):
        client.force_login(user)
        assert client.get("/violations/new/").status_code == 403


def test_anonymous_is_sent_to_login_everywhere(client, incident_with_photo):
    incident, file_url = incident_with_photo
    for url in ("/violations/", "/violations/new/", f"/violations/{incident.pk}/", file_url,
                "/violations/places/?district=64.02.01"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_another_regency_officer_neither_sees_the_incident_nor_fetches_its_evidence(
    client, officer, incident_with_photo
):
    incident, file_url = incident_with_photo
    client.force_login(officer)
    assert client.get(f"/violations/{incident.pk}/").status_code == 404
    assert client.get(file_url).status_code == 404
    assert client.post(f"/violations/{incident.pk}/move/", {"to_status": "withdrawn"}).status_code == 404
    assert client.get("/violations/").context["page"].paginator.count == 0
    assert ViolationIncident.objects.get().status == "recorded"


def test_officer_and_secretariat_fetch_the_evidence_file_unchanged(client, kukar_officer, secretariat,
                                                                    incident_with_photo):
    _incident, file_url = incident_with_photo
    for user in (kukar_officer, secretariat):
        client.force_login(user)
        response = client.get(file_url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == IncidentEvidence.objects.get().file.read()
        assert response["Cache-Control"] == "private, no-store"


def test_incident_page_moves_through_the_workflow_and_shows_the_timeline(client, kukar_officer, secretariat, record):
    incident = record()
    url = f"/violations/{incident.pk}/"
    client.force_login(kukar_officer)
    assert client.post(f"{url}move/", {"to_status": "forwarded", "forwarded_to": "bawaslu",
                                       "reference": "007/LP/PW/2024"}).status_code == 302
    client.force_login(secretariat)
    assert client.post(f"{url}move/", {"to_status": "under_review", "note": "Klarifikasi"}).status_code == 302
    assert client.post(f"{url}move/", {"to_status": "concluded", "outcome": "criminal"}).status_code == 302

    page = client.get(url).content.decode()

    assert "Tindak pidana pemilihan" in page and "007/LP/PW/2024" in page
    for text in ("Dicatat", "Dicatat &rarr; Diteruskan", "Diteruskan &rarr; Dalam penanganan",
                 "Dalam penanganan &rarr; Selesai", "desk-kutai-kartanegara", "sekretariat",
                 "20 November 2024 12.00 WITA"):
        assert text in page, text


def test_wrong_move_on_the_page_is_refused_with_the_allowed_moves(client, kukar_officer, record):
    incident = record()
    client.force_login(kukar_officer)
    response = client.post(f"/violations/{incident.pk}/move/", {"to_status": "concluded", "outcome": "criminal"},
                           follow=True)
    assert "Diteruskan (forwarded), Dicabut (withdrawn)" in response.content.decode()
    assert ViolationIncident.objects.get().status == "recorded"


def test_forward_without_reference_keeps_the_choice_and_explains(client, kukar_officer, record):
    incident = record()
    client.force_login(kukar_officer)
    response = client.post(f"/violations/{incident.pk}/move/", {"to_status": "forwarded", "forwarded_to": "kpu"})
    assert response.status_code == 400
    form = next(f for f in response.context["move_forms"] if f.move == "forwarded")
    assert "reference" in form.errors and form["forwarded_to"].value() == "kpu"
    assert IncidentEvent.objects.count() == 1


def test_evidence_upload_through_the_page_refuses_an_exe_named_jpg(client, kukar_officer, record):
    incident = record()
    client.force_login(kukar_officer)
    refused = client.post(f"/violations/{incident.pk}/evidence/",
                          {"file": SimpleUploadedFile("foto.jpg", EXE_BYTES, "image/jpeg")})
    assert refused.status_code == 400
    assert "dikenali dari isinya" in refused.context["evidence_form"].errors["file"][0]
    accepted = client.post(f"/violations/{incident.pk}/evidence/",
                           {"file": SimpleUploadedFile("foto.jpg", jpeg_bytes(), "image/jpeg")})
    assert accepted.status_code == 302
    assert IncidentEvidence.objects.count() == 1


def test_secretariat_sees_moves_but_no_upload_or_edit(client, secretariat, record):
    incident = record()
    client.force_login(secretariat)
    response = client.get(f"/violations/{incident.pk}/")
    assert [f.move for f in response.context["move_forms"]] == ["forwarded", "withdrawn"]
    assert response.context["evidence_form"] is None and not response.context["can_edit"]
    assert client.get(f"/violations/{incident.pk}/edit/").status_code == 403
    assert client.post(f"/violations/{incident.pk}/evidence/", {}).status_code == 403


def test_officer_edits_the_incident_through_the_form(client, kukar_officer, record, form_data):
    incident = record()
    client.force_login(kukar_officer)
    shown = client.get(f"/violations/{incident.pk}/edit/").context["form"]
    assert shown["tps"].value() == incident.tps_id and shown["description"].value().startswith("Amplop")
    assert [value for value, _label in shown.fields["tps"].widget.choices][1:] == list(
        incident.village.polling_stations.values_list("pk", flat=True))
    response = client.post(f"/violations/{incident.pk}/edit/", form_data | {"description": "Lebih rinci"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.description == "Lebih rinci" and incident.history.count() == 2


def test_list_filters_and_marks_overdue(client, secretariat, record, now):
    record()
    old = record(category="neutrality", occurred_at=now - dt.timedelta(days=8), description="Lama")
    client.force_login(secretariat)

    page = client.get("/violations/").content.decode()
    assert "Lewat 7 hari, belum diteruskan" in page
    overdue = client.get("/violations/", {"overdue": "true"}).context["page"]
    assert [i.pk for i in overdue] == [old.pk]
    by_category = client.get("/violations/", {"category": "money_politics"}).context["page"]
    assert len(by_category) == 1
    assert [i.pk for i in client.get("/violations/", {"date_to": "2024-11-19"}).context["page"]] == [old.pk]
    assert len(client.get("/violations/", {"date_from": "2024-11-20", "date_to": "2024-11-20"}).context["page"]) == 1
    incident_move(incident=old, to_status=Status.WITHDRAWN, by=secretariat, now=now)
    assert len(client.get("/violations/", {"status": "withdrawn"}).context["page"]) == 1


def test_officer_list_shows_only_own_regency(client, officer, kukar_officer, record):
    record()
    client.force_login(officer)
    assert client.get("/violations/").context["page"].paginator.count == 0
    client.force_login(kukar_officer)
    assert client.get("/violations/").context["page"].paginator.count == 1


def test_list_and_page_take_a_constant_number_of_queries(client, secretariat, record, kukar_officer, now,
                                                         django_assert_max_num_queries):
    incidents = [record(occurred_at=now - dt.timedelta(hours=h)) for h in range(1, 30)]
    for incident in incidents[:10]:
        incident_move(incident=incident, to_status=Status.FORWARDED, by=kukar_officer, now=now,
                      forwarded_to="bawaslu", reference="1")
        evidence_attach(incident=incident, by=kukar_officer, now=now,
                        upload=SimpleUploadedFile("a.jpg", jpeg_bytes()))
    client.force_login(secretariat)
    with django_assert_max_num_queries(12):
        assert client.get("/violations/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/violations/{incidents[0].pk}/").status_code == 200


@pytest.mark.parametrize(("refused", "message"), [
    (SimpleUploadedFile("laporan.pdf", b"%PDF-1.4\n" + b"0" * (15 * 1024 * 1024), "application/pdf"),
     "laporan.pdf: Berkas 15,0\xa0MB terlalu besar"),
    (SimpleUploadedFile("foto.jpg", EXE_BYTES, "image/jpeg"), "foto.jpg: Isi berkas bukan foto JPEG/PNG"),
])
def test_a_refused_evidence_file_refuses_the_incident_and_keeps_the_rest_of_the_input(
    client, kukar_officer, form_data, media_root, refused, message
):
    """Never an incident saved without the file the officer picked: the form comes back, saying so."""
    client.force_login(kukar_officer)
    good = SimpleUploadedFile("amplop.jpg", jpeg_bytes(), "image/jpeg")
    response = client.post("/violations/new/", form_data | {"photos": [good, refused]})

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["photos"])
    assert message in errors and "amplop.jpg" not in errors
    assert "Insiden belum disimpan" in errors and "Pilih lagi berkas" in errors
    form = response.context["form"]
    assert form["description"].value() == form_data["description"] and form["tps"].value() == form_data["tps"]
    assert not ViolationIncident.objects.exists() and not IncidentEvidence.objects.exists()
    assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))
    assert "Insiden belum disimpan" in response.content.decode()


def test_a_closed_incident_refuses_an_edit_on_the_page_as_the_service_does(client, kukar_officer, record):
    """One refusal: the page says what the service says (it said another sentence of its own)."""
    from django.contrib.messages import get_messages
    from django.core.exceptions import ValidationError

    from violations.services import incident_edit

    incident = record()
    ViolationIncident.objects.filter(pk=incident.pk).update(status=Status.WITHDRAWN)
    incident.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        incident_edit(incident=incident, by=kukar_officer, description="x", version=incident.version, now=NOW)
    client.force_login(kukar_officer)
    response = client.get(f"/violations/{incident.pk}/edit/")
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == refused.value.messages
    assert "tidak dapat diubah lagi" in refused.value.messages[0]
