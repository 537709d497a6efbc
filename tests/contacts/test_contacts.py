"""Field contacts: E.164 phones, one active contact per phone, the page and API scoped both ways, history."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from contacts.models import Contact
from contacts.phones import phone_e164
from contacts.services import contact_create, contact_edit
from regions.models import District, Village

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed, stored", [
    ("0812-3456-7890", "+6281234567890"),
    ("0812 3456 7890", "+6281234567890"),
    ("+62 812 3456 7890", "+6281234567890"),
    ("6281234567890", "+6281234567890"),
    ("0541 123456", "+62541123456"),
])
def test_phones_are_normalised_to_e164(typed, stored):
    assert phone_e164(typed) == stored


@pytest.mark.parametrize("typed", ["", "12", "halo", "0812", "+1 555"])
def test_a_non_number_is_refused_in_indonesian(typed):
    with pytest.raises(ValidationError) as refused:
        phone_e164(typed)
    assert "Nomor telepon tidak sah" in refused.value.messages[0]


def make(regency, by, **data):
    return contact_create(regency=regency, by=by, now=timezone.now(),
                          data={"phone": "081234567890", "name": "Pak Camat", "role": "camat", **data})


def test_officer_adds_a_contact_typed_nationally(samarinda, officer):
    contact = make(samarinda, officer, district=District.objects.get(pk="64.72.01"))
    contact.refresh_from_db()
    assert str(contact.phone) == "+6281234567890" and contact.active
    assert contact.history.count() == 1 and contact.history.first().history_user == officer


def test_one_phone_is_one_active_contact_in_the_database(samarinda, officer):
    first = make(samarinda, officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(phone="+6281234567890", name="Lain", role="other", regency=samarinda,
                               created_at=timezone.now())
    # ... an inactive one may share it.
    contact_edit(contact=first, by=officer, data={"active": False}, now=timezone.now())
    Contact.objects.create(phone="+6281234567890", name="Lain", role="other", regency=samarinda,
                           created_at=timezone.now())
    assert Contact.objects.filter(phone="+6281234567890").count() == 2


def test_a_second_active_contact_for_a_phone_is_refused_with_a_message(samarinda, officer):
    make(samarinda, officer)
    with pytest.raises(ValidationError) as refused:
        make(samarinda, officer, name="Orang lain")
    assert "sudah dipakai kontak aktif lain" in refused.value.message_dict["phone"][0]
    assert Contact.objects.count() == 1


def test_a_village_outside_the_regency_is_refused(samarinda, balikpapan, officer):
    with pytest.raises(ValidationError) as refused:
        make(samarinda, officer, village=Village.objects.get(pk="64.71.01.1001"))
    assert "bukan bagian" in str(refused.value)
    assert Contact.objects.count() == 0


def test_the_database_refuses_a_village_of_another_regency(samarinda, balikpapan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(phone="+6281234567890", name="X", role="lurah", regency=samarinda,
                               district_id="64.71.01", village_id="64.71.01.1001", created_at=timezone.now())


def test_the_user_must_be_the_regencys_officer(samarinda, balikpapan, officer, other_officer):
    with pytest.raises(ValidationError) as refused:
        make(samarinda, officer, role="officer", user=other_officer)
    assert "bukan petugas desk" in str(refused.value)
    own = make(samarinda, officer, role="officer", user=officer, name="Saya")
    assert own.user == officer


# --- the page ---

def test_anonymous_goes_to_login(client, election):
    for url in ["/contacts/", "/contacts/new/", "/contacts/1/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_officer_sees_own_regency_only(client, samarinda, balikpapan, officer, other_officer, election):
    make(samarinda, officer, name="Camat Samarinda")
    theirs = make(balikpapan, other_officer, name="Camat Balikpapan", phone="081298765432")
    client.force_login(officer)
    html = client.get("/contacts/").content.decode()
    assert "Camat Samarinda" in html and "Camat Balikpapan" not in html
    assert client.get(f"/contacts/{theirs.pk}/").status_code == 404
    response = client.post(f"/contacts/{theirs.pk}/deactivate/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.active


def test_secretariat_sees_the_province(client, samarinda, balikpapan, officer, other_officer, secretariat, election):
    make(samarinda, officer, name="Camat Samarinda")
    make(balikpapan, other_officer, name="Camat Balikpapan", phone="081298765432")
    client.force_login(secretariat)
    html = client.get("/contacts/").content.decode()
    assert "Camat Samarinda" in html and "Camat Balikpapan" in html


def test_officer_adds_edits_and_deactivates_on_the_page(client, samarinda, officer, election):
    client.force_login(officer)
    response = client.post("/contacts/new/", {"phone": "0812 1111 2222", "name": "Bu Lurah", "role": "lurah",
                                              "district": "64.72.01", "village": "64.72.01.1001", "active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get()
    assert str(contact.phone) == "+6281211112222" and contact.village_id == "64.72.01.1001"
    response = client.post(f"/contacts/{contact.pk}/", {"phone": "081211112222", "name": "Ibu Lurah",
                                                        "role": "lurah", "district": "64.72.01",
                                                        "village": "64.72.01.1001", "active": "on"})
    assert response.status_code == 302
    response = client.post(f"/contacts/{contact.pk}/deactivate/")
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Ibu Lurah" and not contact.active
    assert contact.history.count() == 3


def test_a_bad_phone_on_the_page_says_so_and_stores_nothing(client, samarinda, officer, election):
    client.force_login(officer)
    response = client.post("/contacts/new/", {"phone": "halo", "name": "X", "role": "camat"})
    assert response.status_code == 200
    assert "Nomor telepon tidak sah" in response.content.decode()
    assert not Contact.objects.exists()


# --- the API ---

def test_api_anonymous_is_401(api, election):
    assert api.get("/api/v1/contacts/").status_code == 401


def test_api_officer_creates_reads_and_patches(api, samarinda, officer, election):
    api.as_user(officer)
    response = api.post("/api/v1/contacts/", {"phone": "0812-3456-7890", "name": "Pak Kades", "role": "kades",
                                              "regency": "64.72", "village": "64.72.02.1001"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phone"] == "+6281234567890" and body["district"] == "64.72.02" and body["active"] is True
    response = api.patch(f"/api/v1/contacts/{body['id']}/", {"active": False}, format="json")
    assert response.status_code == 200 and response.json()["active"] is False
    listed = api.get("/api/v1/contacts/").json()
    assert listed["count"] == 1 and listed["results"][0]["name"] == "Pak Kades"


def test_api_refuses_writing_outside_scope(api, samarinda, balikpapan, officer, other_officer, election):
    theirs = make(balikpapan, other_officer, name="Camat Balikpapan")
    api.as_user(officer)
    response = api.post("/api/v1/contacts/", {"phone": "081299998888", "name": "X", "role": "camat",
                                              "regency": "64.71"}, format="json")
    assert response.status_code == 403
    assert api.get(f"/api/v1/contacts/{theirs.pk}/").status_code == 404
    assert api.patch(f"/api/v1/contacts/{theirs.pk}/", {"name": "Y"}, format="json").status_code == 404
    assert Contact.objects.count() == 1


def test_api_bad_input_is_400_with_field_messages(api, samarinda, officer, election):
    api.as_user(officer)
    response = api.post("/api/v1/contacts/", {"phone": "12", "name": "X", "role": "camat", "regency": "64.72"},
                        format="json")
    assert response.status_code == 400 and "phone" in response.json()
    assert not Contact.objects.exists()


def test_api_secretariat_writes_in_its_province(api, samarinda, secretariat, other_province_regency, election):
    api.as_user(secretariat)
    response = api.post("/api/v1/contacts/", {"phone": "081299998888", "name": "KPU Samarinda", "role": "kpu",
                                              "regency": "64.72"}, format="json")
    assert response.status_code == 201
    response = api.post("/api/v1/contacts/", {"phone": "081299997777", "name": "X", "role": "kpu",
                                              "regency": "65.71"}, format="json")
    assert response.status_code == 403


def test_contact_list_queries_do_not_grow_with_contacts(client, samarinda, officer, secretariat, election,
                                                        django_assert_max_num_queries):
    client.force_login(secretariat)
    client.get("/contacts/")
    for n in range(12):
        make(samarinda, officer, name=f"Kontak {n}", phone=f"08121111{n:04d}", role="officer" if n == 0 else "pps",
             user=officer if n == 0 else None, village=Village.objects.get(pk="64.72.01.1001"))
    with django_assert_max_num_queries(7):
        assert client.get("/contacts/").status_code == 200


# --- the notices to an officer's own phone ---

def test_notices_by_phone_only_for_a_phone_tied_to_an_officers_account(samarinda, officer):
    with pytest.raises(ValidationError) as refused:
        make(samarinda, officer, notify_by="whatsapp")
    assert "hanya untuk nomor petugas yang terhubung dengan akunnya" in refused.value.message_dict["notify_by"][0]
    with pytest.raises(ValidationError) as refused:
        make(samarinda, officer, notify_by="telegram")
    assert "Pilihan pengingat tidak dikenal" in refused.value.message_dict["notify_by"][0]
    assert not Contact.objects.exists()
    own = make(samarinda, officer, role="officer", user=officer, name="Saya", notify_by="sms")
    assert own.notify_by == "sms" and make(samarinda, officer, phone="081299990000").notify_by == "none"
    # Untying the account while notices still go to the phone is refused too.
    with pytest.raises(ValidationError):
        contact_edit(contact=own, by=officer, data={"user": None}, now=timezone.now())


def test_the_database_refuses_notices_to_a_phone_without_account_or_an_unknown_channel(samarinda, officer):
    for values in ({"notify_by": "sms"}, {"notify_by": "pager", "role": "officer", "user": officer}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Contact.objects.create(**{"phone": "+6281234567890", "name": "X", "role": "camat", "regency": samarinda,
                                      "created_at": timezone.now(), **values})


def test_officer_chooses_whatsapp_for_own_phone_on_the_page(client, samarinda, officer, election):
    client.force_login(officer)
    assert 'name="notify_by"' in client.get("/contacts/new/").content.decode()
    response = client.post("/contacts/new/", {"phone": "0811 0000 0001", "name": "Saya", "role": "officer",
                                              "user": officer.pk, "notify_by": "whatsapp", "active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get()
    assert contact.notify_by == "whatsapp" and contact.history.first().notify_by == "whatsapp"
    assert "pengingat lewat WhatsApp" in client.get("/contacts/").content.decode()
    response = client.post("/contacts/new/", {"phone": "0812 1111 2222", "name": "Pak Camat", "role": "camat",
                                              "notify_by": "sms", "active": "on"})
    assert response.status_code == 200 and "hanya untuk nomor petugas" in response.content.decode()
    assert Contact.objects.count() == 1


def test_api_reads_and_writes_notify_by(api, samarinda, officer, election):
    api.as_user(officer)
    response = api.post("/api/v1/contacts/", {"phone": "081100000001", "name": "Saya", "role": "officer",
                                              "regency": "64.72", "user": officer.username, "notify_by": "sms"},
                        format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["notify_by"] == "sms"
    response = api.patch(f"/api/v1/contacts/{body['id']}/", {"notify_by": "whatsapp"}, format="json")
    assert response.status_code == 200 and response.json()["notify_by"] == "whatsapp"
    assert api.patch(f"/api/v1/contacts/{body['id']}/", {"notify_by": "fax"}, format="json").status_code == 400
    response = api.post("/api/v1/contacts/", {"phone": "081299998888", "name": "X", "role": "camat",
                                              "regency": "64.72", "notify_by": "whatsapp"}, format="json")
    assert response.status_code == 400 and "notify_by" in response.json()
    assert Contact.objects.get(pk=body["id"]).notify_by == "whatsapp" and Contact.objects.count() == 1
