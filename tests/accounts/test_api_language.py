"""Every refusal the API sends is Indonesian by default, English with `Accept-Language: en`, and says what was tried.

DRF's own messages ("Invalid token.", "Invalid page.", "JSON parse error -
Expecting property name...") had no Indonesian: locale_libraries/id gives
them one, and accounts/api_input replaces the untranslatable ones.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.exceptions import Throttled

from core.errors import api_exception_handler
from reports.services import day_excuse

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_default_language():
    yield
    translation.deactivate()


def detail(response):
    return response.json()["detail"]


def test_an_unknown_token_is_refused_in_indonesian_and_in_english_on_request(api, officer):
    indonesian = api.get("/api/v1/regencies/", HTTP_AUTHORIZATION="Token 0123abc")
    english = api.get("/api/v1/regencies/", HTTP_AUTHORIZATION="Token 0123abc", **ENGLISH)

    assert indonesian.status_code == english.status_code == 401
    assert detail(indonesian) == (
        "Token tidak dikenal: minta token baru dengan POST /api/v1/token/ (nama pengguna dan sandi).")
    assert indonesian["Content-Language"] == "id"
    assert detail(english) == "Invalid token." and english["Content-Language"] == "en"


def test_an_anonymous_call_is_told_how_to_sign_in(api):
    response = api.get("/api/v1/regencies/")

    assert response.status_code == 401
    assert detail(response) == 'Belum masuk: kirim header "Authorization: Token <token Anda>" (token dari POST ' \
                               '/api/v1/token/).'


def test_a_body_in_another_charset_is_named(api, officer, election):
    response = api.as_user(officer).post("/api/v1/daily-reports/", data=b"{}",
                                         content_type="application/json; charset=rot13")

    assert response.status_code == 400
    assert detail(response) == 'Set karakter "rot13" pada header Content-Type tidak didukung; kirim teks UTF-8.'


def test_a_malformed_token_header_says_how_to_write_it(api):
    spaces = api.get("/api/v1/regencies/", HTTP_AUTHORIZATION="Token a b")
    empty = api.get("/api/v1/regencies/", HTTP_AUTHORIZATION="Token")

    assert "tidak boleh berisi spasi" in detail(spaces) and '"Token <token Anda>"' in detail(spaces)
    assert detail(empty) == 'Header Authorization tidak berisi token: tulis "Token <token Anda>".'


def test_a_wrong_password_for_a_token_is_indonesian(api, officer):
    response = api.post("/api/v1/token/", {"username": officer.username, "password": "salah"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Tidak dapat masuk: nama pengguna atau sandi salah."]}


def test_a_page_past_the_end_says_which_pages_exist(api, officer, election):
    api.as_user(officer)
    past = api.get("/api/v1/regencies/?page=9")
    unreadable = api.get("/api/v1/regencies/?page=abc")
    english = api.get("/api/v1/regencies/?page=9", **ENGLISH)

    assert past.status_code == unreadable.status_code == 404
    assert detail(past) == "Halaman 9 tidak ada: daftar ini berisi 1 halaman (page=1 sampai page=1)."
    assert detail(unreadable) == 'Nomor halaman "abc" tidak terbaca: tulis bilangan bulat mulai dari 1, mis. ?page=2.'
    assert detail(english) == "Page 9 does not exist: this list has 1 page(s) (page=1 to page=1)."


def test_broken_json_is_explained_without_the_parser_english(api, officer, election):
    api.as_user(officer)
    response = api.post("/api/v1/daily-reports/", data=b'{"summary": "Aman",\n regency: "64.72"}',
                        content_type="application/json")
    english = api.post("/api/v1/daily-reports/", data=b"{bad", content_type="application/json", **ENGLISH)

    assert response.status_code == english.status_code == 400
    assert detail(response) == (
        "Isi permintaan bukan JSON yang sah (baris 2, kolom 2): periksa tanda kutip ganda di sekitar nama dan "
        "teks, koma di antara isian, serta kurung kurawal dan siku.")
    assert detail(english).startswith("The request body is not valid JSON (line 1, column 2)")
    assert "Expecting" not in detail(response) + detail(english)


def test_json_that_is_not_utf8_or_holds_nan_is_explained(api, officer, election):
    api.as_user(officer)
    latin = api.post("/api/v1/daily-reports/", data='{"summary": "caf\xe9"}'.encode("latin-1"),
                     content_type="application/json")
    nan = api.post("/api/v1/logistics/receipts/", data=b'{"quantity_received": NaN}', content_type="application/json")

    assert detail(latin) == "Isi permintaan JSON bukan teks UTF-8 (bita ke-17)."
    assert detail(nan) == "Isi permintaan bukan JSON yang sah: angka NaN dan Infinity tidak diterima."


def test_a_broken_multipart_body_is_explained(api, officer, election):
    api.as_user(officer)
    response = api.post("/api/v1/violations/1/evidence/", data=b"--x\r\nrubbish",
                        content_type="multipart/form-data; boundary=")

    assert response.status_code == 400
    assert detail(response).startswith("Isi permintaan multipart/form-data tidak dapat dibaca")


def test_a_method_the_address_does_not_take_is_named(api, officer, election):
    response = api.as_user(officer).delete("/api/v1/regencies/")

    assert response.status_code == 405
    assert detail(response) == (
        "Metode DELETE tidak dapat dipakai di alamat ini; lihat header Allow untuk metode yang dapat dipakai.")


def test_a_missing_record_is_named_in_indonesian(api, officer, election):
    api.as_user(officer)
    missing = api.get("/api/v1/daily-reports/99999/")
    english = api.get("/api/v1/daily-reports/99999/", **ENGLISH)

    assert missing.status_code == 404
    assert detail(missing) == "Laporan harian 99999 tidak ditemukan, atau di luar wilayah Anda."
    assert detail(english) == "Daily report 99999 was not found, or lies outside your region."


def test_a_list_field_given_one_value_and_a_body_that_is_a_list(api, officer, election):
    api.as_user(officer)
    sources = api.post("/api/v1/daily-reports/", {
        "regency": "64.72", "report_date": "2024-11-20", "situation": "conducive", "summary": "Aman.",
        "sources": "district"}, format="json")
    body = api.post("/api/v1/daily-reports/", [1], format="json")

    assert sources.json()["sources"] == ['Isi dengan daftar JSON (di antara kurung siku), bukan nilai bertipe "str".']
    assert body.json()["non_field_errors"] == [
        "Data tidak sah: kirim satu objek JSON (pasangan nama dan nilai), bukan list."]


def test_an_officer_excusing_a_day_hears_about_excuses_not_reviews(api, officer, election):
    response = api.as_user(officer).post(
        "/api/v1/excused-days/", {"regency": "64.72", "date": "2024-11-20", "reason": "Jaringan putus"},
        format="json")

    assert response.status_code == 403
    assert detail(response) == (
        "Hanya sekretariat desk provinsi yang dapat mengecualikan hari lapor sebuah kabupaten/kota; "
        "petugas kabupaten/kota yang terlambat melapor cukup mengirim laporannya.")


def test_an_officer_withdrawing_an_excuse_hears_about_withdrawals(api, officer, secretariat, samarinda, election):
    excuse = day_excuse(election=election, regency=samarinda, date=dt.date(2024, 11, 18), reason="Jaringan putus",
                        by=secretariat, now=dt.datetime(2024, 11, 18, 21, 0, tzinfo=ZoneInfo("Asia/Makassar")))

    response = api.as_user(officer).post(f"/api/v1/excused-days/{excuse.pk}/withdraw/", {"reason": "Salah"},
                                         format="json")

    assert response.status_code == 403
    assert detail(response) == (
        "Hanya sekretariat desk provinsi (atau admin) yang dapat mencabut pengecualian hari lapor.")


def test_the_secretariat_writing_a_report_is_refused_in_the_chosen_language(api, secretariat, election):
    api.as_user(secretariat)
    indonesian = api.post("/api/v1/daily-reports/", {}, format="json")
    english = api.post("/api/v1/daily-reports/", {}, format="json", **ENGLISH)

    assert detail(indonesian) == "Hanya petugas desk kabupaten/kota yang dapat mengubah data ini."
    assert detail(english) == "Only a regency/city desk officer can change this data."


def test_the_language_cookie_wins_over_accept_language_on_the_api(api, officer):
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = api.get("/api/v1/regencies/", HTTP_AUTHORIZATION="Token 0123abc", **ENGLISH)

    assert detail(response).startswith("Token tidak dikenal")


def test_a_throttled_client_is_told_when_to_try_again_in_its_language():
    response = api_exception_handler(Throttled(wait=29.2), {})

    assert response.status_code == 429 and response["Retry-After"] == "30"
    assert response.data == {"detail": "Terlalu banyak permintaan. Coba lagi dalam 30 detik."}
    with translation.override("en"):
        assert str(api_exception_handler(Throttled(wait=1), {}).data["detail"]) == (
            "Too many requests. Try again in 1 second.")


def test_every_libraries_message_has_its_indonesian(settings):
    """The compiled Indonesian catalogue of the libraries' messages matches its .po (compilemessages was run)."""
    import gettext
    from pathlib import Path

    from tests.project.test_i18n import read_po

    po = Path(settings.BASE_DIR) / "locale_libraries" / "id" / "LC_MESSAGES" / "django.po"
    entries = [e for e in read_po(po) if e["msgid"]]
    with po.with_suffix(".mo").open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)._catalog
    assert len(entries) > 50
    assert [e["msgid"] for e in entries if not e["msgstr"][0] or compiled.get(e["msgid"]) != e["msgstr"][0]] == []
