"""API: logistics/items/, logistics/receipts/, logistics/status/ as the README documents them, per role."""

import pytest

from logistics.models import LogisticsReceipt
from tests.logistics.conftest import NOW, cover_every_item, record

RECEIPTS = "/api/v1/logistics/receipts/"
STATUS = "/api/v1/logistics/status/"
ITEMS = "/api/v1/logistics/items/"


def payload(**overrides):
    return {"regency": "64.72", "item": "ink", "quantity_received": 16, "quantity_damaged": 1,
            "received_at": "2024-11-20T08:30:00+08:00", "note": "Kiriman pertama", **overrides}


@pytest.mark.django_db
@pytest.mark.parametrize("url", [ITEMS, RECEIPTS, STATUS])
def test_anonymous_gets_401(api, election, url):
    assert api.get(url).status_code == 401
    assert api.post(RECEIPTS, payload(), format="json").status_code == 401


@pytest.mark.django_db
def test_items_list_the_catalogue(api, officer):
    body = api.as_user(officer).get(ITEMS).json()
    assert body["count"] == 12
    assert body["results"][0] == {"code": "ballot_governor", "name": "Surat suara Pemilihan Gubernur", "unit": "lembar"}


@pytest.mark.django_db
def test_officer_records_a_receipt_with_codes_and_no_election(api, officer, election, now):
    response = api.as_user(officer).post(RECEIPTS, payload(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("regency", "item", "quantity_received", "quantity_damaged", "note")} == {
        "regency": "64.72", "item": "ink", "quantity_received": 16, "quantity_damaged": 1, "note": "Kiriman pertama"}
    assert body["confirmed_by"] == "desk-samarinda" and body["election"] == election.pk
    assert {"id", "received_at", "confirmed_by"} <= set(body) and "confirm_over_expected" not in body
    receipt = LogisticsReceipt.objects.get()
    assert receipt.received_at == NOW.replace(hour=8, minute=30) and receipt.created_at == NOW


@pytest.mark.django_db
def test_damaged_defaults_to_zero(api, officer, election, now):
    data = payload()
    del data["quantity_damaged"]
    assert api.as_user(officer).post(RECEIPTS, data, format="json").json()["quantity_damaged"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "field"), [
    ({"quantity_received": -5}, "quantity_received"),
    ({"quantity_damaged": -1}, "quantity_damaged"),
    ({"quantity_received": 12.5}, "quantity_received"),
    ({"quantity_received": "dua belas"}, "quantity_received"),
    ({"quantity_received": None}, "quantity_received"),
    ({"item": "helicopter"}, "item"),
    ({"regency": "64.99"}, "regency"),
    ({"received_at": "2024-11-20T10:01:00+08:00"}, "received_at"),
    ({"received_at": "kemarin"}, "received_at"),
    ({"quantity_received": 33}, "confirm_over_expected"),
    ({"quantity_received": 33, "confirm_over_expected": True, "note": ""}, "note"),
    ({"quantity_received": 0, "quantity_damaged": 0}, "quantity_received"),
    ({"election": 999_999}, "election"),
])
def test_bad_input_is_400_with_field_messages_and_nothing_stored(api, officer, election, now, overrides, field):
    response = api.as_user(officer).post(RECEIPTS, payload(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not LogisticsReceipt.objects.exists()


@pytest.mark.django_db
def test_over_double_with_confirmation_and_note_is_accepted(api, officer, election, now):
    response = api.as_user(officer).post(
        RECEIPTS, payload(quantity_received=40, confirm_over_expected=True, note="Termasuk cadangan provinsi"),
        format="json",
    )
    assert response.status_code == 201
    assert LogisticsReceipt.objects.get().over_expected_confirmed


@pytest.mark.django_db
def test_no_active_election_is_400(api, officer, election, now):
    election.is_active = False
    election.save()
    response = api.as_user(officer).post(RECEIPTS, payload(), format="json")
    assert response.status_code == 400 and "election" in response.json()


@pytest.mark.django_db
def test_other_regency_officer_can_neither_see_nor_write_samarinda_receipts(
    api, officer, other_officer, election, samarinda, items, now
):
    receipt = record(election, samarinda, items["ink"], officer, 16)
    api.as_user(other_officer)

    assert api.get(f"{RECEIPTS}{receipt.pk}/").status_code == 404
    assert api.get(RECEIPTS).json()["count"] == 0
    assert api.get(f"{RECEIPTS}?regency=64.72").json()["count"] == 0
    response = api.post(RECEIPTS, payload(), format="json")
    assert response.status_code == 403
    assert LogisticsReceipt.objects.count() == 1


@pytest.mark.django_db
def test_secretariat_reads_the_province_but_cannot_write(
    api, secretariat, officer, other_officer, election, samarinda, balikpapan, items, now
):
    record(election, samarinda, items["ink"], officer, 16)
    record(election, balikpapan, items["seal"], other_officer, 8)
    api.as_user(secretariat)

    assert api.get(RECEIPTS).json()["count"] == 2
    assert [r["item"] for r in api.get(f"{RECEIPTS}?regency=64.71").json()["results"]] == ["seal"]
    assert api.post(RECEIPTS, payload(), format="json").status_code == 403
    assert LogisticsReceipt.objects.count() == 2


@pytest.mark.django_db
def test_receipts_are_never_changed_or_deleted_through_the_api(api, officer, election, samarinda, items, now):
    receipt = record(election, samarinda, items["ink"], officer, 16)
    api.as_user(officer)
    assert api.patch(f"{RECEIPTS}{receipt.pk}/", {"quantity_received": 1}, format="json").status_code == 405
    assert api.delete(f"{RECEIPTS}{receipt.pk}/").status_code == 405
    assert LogisticsReceipt.objects.get().quantity_received == 16


@pytest.mark.django_db
def test_status_rows_per_regency_and_item(api, officer, election, samarinda, items, now):
    record(election, samarinda, items["ink"], officer, 10, damaged=2)
    record(election, samarinda, items["ink"], officer, 6)

    body = api.as_user(officer).get(f"{STATUS}?regency=64.72").json()

    assert body["count"] == 12
    ink = next(row for row in body["results"] if row["item"] == "ink")
    assert ink == {"regency": "64.72", "item": "ink", "quantity_expected": 16, "quantity_received": 16,
                   "quantity_damaged": 2, "complete": True}
    booth = next(row for row in body["results"] if row["item"] == "voting_booth")
    assert (booth["quantity_expected"], booth["quantity_received"], booth["complete"]) == (32, 0, False)


@pytest.mark.django_db
def test_status_is_scoped_to_the_caller(api, officer, secretariat, election, samarinda, balikpapan):
    officer_rows = api.as_user(officer).get(STATUS).json()
    assert {row["regency"] for row in officer_rows["results"]} == {"64.72"}
    assert api.get(f"{STATUS}?regency=64.71").json()["count"] == 0

    secretariat_rows = api.as_user(secretariat).get(STATUS).json()
    assert secretariat_rows["count"] == 24
    assert api.get(f"{STATUS}?regency=64.71").json()["count"] == 12


@pytest.mark.django_db
def test_status_of_a_complete_regency(api, officer, election, samarinda, now):
    cover_every_item(election, samarinda, officer)
    rows = api.as_user(officer).get(f"{STATUS}?regency=64.72").json()["results"]
    assert all(row["complete"] for row in rows)


@pytest.mark.django_db
def test_status_takes_an_explicit_election(api, officer, election, kaltim, samarinda):
    assert api.as_user(officer).get(f"{STATUS}?election={election.pk}").json()["count"] == 12
    assert api.get(f"{STATUS}?election=abc").status_code == 400
    election.is_active = False
    election.save()
    response = api.get(STATUS)
    assert response.status_code == 400 and "election" in response.json()


@pytest.mark.django_db
def test_status_query_count_does_not_grow_with_regencies(
    api, secretariat, election, samarinda, balikpapan, django_assert_max_num_queries
):
    api.as_user(secretariat)
    with django_assert_max_num_queries(9):
        assert api.get(f"{STATUS}?regency=64.72").json()["count"] == 12
    with django_assert_max_num_queries(9):
        assert api.get(STATUS).json()["count"] == 24
