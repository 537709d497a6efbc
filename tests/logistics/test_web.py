"""Web pages: the officer's logistics page with inline receipts, receipts, distribution, the province view."""

import pytest
from django.contrib.messages import get_messages

from logistics.models import LogisticsReceipt, TpsDelivery, VillageDelivery
from regions.models import PollingStation
from tests.logistics.conftest import cover_every_item, record

CREATE = "/logistics/64.72/receipts/"


def form(**overrides):
    return {"item": "ink", "quantity_received": "16", "quantity_damaged": "0",
            "received_at": "2024-11-20T08:30", "note": "", **overrides}


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/logistics/", "/logistics/province/", "/logistics/64.72/", "/logistics/64.72/distribution/",
    "/logistics/distribution/district/64.72.01/", "/logistics/distribution/village/64.72.01.1001/",
])
def test_anonymous_is_sent_to_login(client, election, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_officer_page_lists_every_item_with_expected_and_deadline_countdown(
    client, officer, election, now, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        response = client.get("/logistics/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('id="form-') == 12
    assert "Bilik pemungutan suara" in html and 'data-col="expected">32<' in html
    assert "27 November 2024 00.00 WITA" in html
    assert "6\xa0hari, 14\xa0jam" in html  # from 20 Nov 10:00 to 27 Nov 00:00 WITA (no-break spaces)
    assert "12 barang belum lengkap" in html


@pytest.mark.django_db
def test_officer_page_queries_do_not_grow_with_receipts(client, officer, election, samarinda, now,
                                                        django_assert_max_num_queries):
    cover_every_item(election, samarinda, officer)
    cover_every_item(election, samarinda, officer)
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        html = client.get("/logistics/").content.decode()
    assert "Logistik terkonfirmasi lengkap" in html


@pytest.mark.django_db
def test_officer_records_a_receipt_inline(client, officer, election, now):
    client.force_login(officer)
    response = client.post(CREATE, form())

    assert response.status_code == 302 and response.url == "/logistics/#item-ink"
    receipt = LogisticsReceipt.objects.get()
    assert (receipt.item.code, receipt.quantity_received, receipt.confirmed_by) == ("ink", 16, officer)
    assert receipt.received_at.isoformat() == "2024-11-20T00:30:00+00:00"  # 08:30 WITA
    html = client.get("/logistics/").content.decode()
    assert 'data-item="ink" data-complete="yes"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("overrides", "message", "kept"), [
    ({"quantity_received": "-5"}, "Jumlah tidak boleh negatif.", 'value="-5"'),
    ({"quantity_received": "12,5"}, "Isi dengan bilangan bulat", 'value="12,5"'),
    ({"quantity_received": ""}, "Isi jumlahnya", "Dari gudang KPU</textarea>"),
    ({"received_at": "2024-11-20T10:30"}, "Waktu penerimaan tidak boleh di masa depan.", 'value="2024-11-20T10:30"'),
    ({"quantity_received": "0"}, "keduanya nol", "Dari gudang KPU</textarea>"),
    ({"quantity_received": "40"}, "lebih dari dua kali kebutuhan", 'value="40"'),
    ({"quantity_received": "40", "confirm_over_expected": "on", "note": ""}, "Tulis catatan", 'value="40"'),
])
def test_bad_input_is_refused_with_a_message_keeping_the_input(client, officer, election, now, overrides, message,
                                                                 kept):
    client.force_login(officer)
    response = client.post(CREATE, form(**{"note": "Dari gudang KPU", **overrides}))

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "Penerimaan belum disimpan" in html
    assert 'class="collapse show" id="form-ink"' in html  # the item's form stays open
    assert kept in html
    assert not LogisticsReceipt.objects.exists()


@pytest.mark.django_db
def test_unknown_item_is_refused(client, officer, election, now):
    client.force_login(officer)
    html = client.post(CREATE, form(item="helicopter")).content.decode()
    assert "Barang logistik tidak dikenal." in html
    assert not LogisticsReceipt.objects.exists()


@pytest.mark.django_db
def test_over_double_is_accepted_when_confirmed_with_a_note(client, officer, election, now):
    client.force_login(officer)
    response = client.post(CREATE, form(quantity_received="40", confirm_over_expected="on", note="Cadangan provinsi"))
    assert response.status_code == 302
    assert LogisticsReceipt.objects.get().over_expected_confirmed


@pytest.mark.django_db
def test_other_regency_officer_gets_404_reading_and_403_writing(client, other_officer, officer, election,
                                                                 samarinda, items, now):
    receipt = record(election, samarinda, items["ink"], officer, 16)
    client.force_login(other_officer)
    assert client.get("/logistics/64.72/").status_code == 404
    assert client.get(f"/logistics/receipts/{receipt.pk}/").status_code == 404
    assert client.get("/logistics/64.72/distribution/").status_code == 404
    assert client.get("/logistics/distribution/village/64.72.01.1001/").status_code == 404
    assert client.post(CREATE, form()).status_code == 403
    assert client.post(f"/logistics/receipts/{receipt.pk}/", form(quantity_received="1")).status_code == 403
    assert client.post("/logistics/64.72/distribution/", {"action": "mark_all_tps",
                                                           "reached_on": "2024-11-20"}).status_code == 403
    assert LogisticsReceipt.objects.get().quantity_received == 16 and not TpsDelivery.objects.exists()


@pytest.mark.django_db
def test_secretariat_sees_the_province_view_and_cannot_write(
    client, secretariat, officer, election, samarinda, balikpapan, now, django_assert_max_num_queries
):
    cover_every_item(election, samarinda, officer)
    client.force_login(secretariat)
    with django_assert_max_num_queries(14):
        response = client.get("/logistics/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-regency="64.71"' in html and 'data-regency="64.72"' in html
    assert "<strong>1</strong> dari 2 kabupaten/kota" in html
    assert "0/12 lengkap" in html  # Balikpapan, nothing received
    assert client.get("/logistics/64.72/").status_code == 200
    assert 'id="form-ink"' not in client.get("/logistics/64.72/").content.decode()
    assert client.post(CREATE, form()).status_code == 403


@pytest.mark.django_db
def test_receipt_page_shows_history_and_takes_a_correction(client, officer, election, samarinda, items, now):
    receipt = record(election, samarinda, items["ink"], officer, 26)
    client.force_login(officer)
    response = client.post(f"/logistics/receipts/{receipt.pk}/", form(quantity_received="16", note="Salah ketik"))
    assert response.status_code == 302
    html = client.get(f"/logistics/receipts/{receipt.pk}/").content.decode()
    assert html.count("<tr><td") == 2 and "dikoreksi" in html
    receipt.refresh_from_db()
    assert receipt.quantity_received == 16


@pytest.mark.django_db
def test_receipt_correction_errors_keep_the_input(client, officer, election, samarinda, items, now):
    receipt = record(election, samarinda, items["ink"], officer, 16)
    client.force_login(officer)
    response = client.post(f"/logistics/receipts/{receipt.pk}/", form(quantity_received="-2"))
    assert response.status_code == 200 and "Jumlah tidak boleh negatif." in response.content.decode()
    assert 'value="-2"' in response.content.decode()
    receipt.refresh_from_db()
    assert receipt.quantity_received == 16


@pytest.mark.django_db
def test_distribution_drill_down_and_bulk_marking(client, officer, election, samarinda, now,
                                                  django_assert_max_num_queries):
    client.force_login(officer)
    response = client.post("/logistics/distribution/district/64.72.01/",
                           {"action": "mark_all_tps", "reached_on": "2024-11-20"})
    assert response.status_code == 302
    assert "4 tempat baru" in str(list(get_messages(response.wsgi_request))[0])

    with django_assert_max_num_queries(12):
        html = client.get("/logistics/64.72/distribution/").content.decode()
    assert "2/4 · 50%" in html and "4/8 · 50%" in html and "1/2 · 50%" in html
    village_page = client.get("/logistics/distribution/village/64.72.02.1001/").content.decode()
    assert village_page.count('name="places"') == 2

    tps = PollingStation.objects.get(village_id="64.72.02.1001", number=1)
    response = client.post("/logistics/distribution/village/64.72.02.1001/",
                           {"action": "mark", "places": [str(tps.pk)], "reached_on": "2024-11-19"})
    assert response.status_code == 302
    assert TpsDelivery.objects.get(polling_station=tps).reached_on.isoformat() == "2024-11-19"
    response = client.post("/logistics/distribution/district/64.72.02/",
                           {"action": "unmark", "places": ["64.72.02.1001"]})
    assert response.status_code == 302
    assert not VillageDelivery.objects.filter(village_id="64.72.02.1001").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), [
    ({"action": "mark", "reached_on": "2024-11-20"}, "Pilih paling sedikit satu tempat."),
    ({"action": "mark", "places": ["64.72.01"], "reached_on": ""}, "Isi tanggal tiba."),
    ({"action": "mark", "places": ["64.72.01"], "reached_on": "2024-11-21"}, "tidak boleh di masa depan"),
    ({"action": "mark", "places": ["64.71.01"], "reached_on": "2024-11-20"}, "tidak dikenal di halaman ini"),
])
def test_distribution_bad_input_is_refused(client, officer, election, now, data, message):
    client.force_login(officer)
    response = client.post("/logistics/64.72/distribution/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not TpsDelivery.objects.exists()


@pytest.mark.django_db
def test_page_without_an_active_election_says_so(client, officer, election):
    election.is_active = False
    election.save()
    client.force_login(officer)
    assert "Belum ada pemilihan aktif" in client.get("/logistics/").content.decode()
    assert LogisticsReceipt.objects.count() == 0
    response = client.post(CREATE, form())
    assert response.status_code == 302 and not LogisticsReceipt.objects.exists()
