"""The installable app: a service worker for the whole site, a manifest, and the excuse a late report suggests."""

import datetime as dt
import json
import re
from html import unescape

import pytest
import time_machine
from django.contrib.staticfiles import finders

from compliance.models import Flag, FlagKind
from reports.models import ExcusedDay
from reports.services import report_submit
from tests.helpers import WITA

DAY = dt.date(2024, 11, 20)


def test_service_worker_is_served_from_the_root_for_the_whole_site(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    for page in ("/reports/new/", "/logistics/", "/violations/new/", "/static/css/desk.min.css"):
        assert page in body


def test_manifest_makes_the_officer_pages_installable(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_officer_pages_link_the_manifest_and_register_the_outbox(client, officer, election):
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert 'rel="manifest"' in html and 'id="outbox"' in html and "outbox.js" in html
    assert "bootstrap.bundle" not in html and "bootstrap.min.css" not in html


def test_secretariat_pages_have_no_outbox(client, secretariat, election):
    client.force_login(secretariat)
    assert 'id="outbox"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_report_written_in_time_but_received_late_can_be_excused_in_one_click(
        client, officer, secretariat, election, samarinda):
    received = dt.datetime.combine(DAY, dt.time(21, 30), tzinfo=WITA)
    flag = Flag.objects.create(election=election, regency=samarinda, kind=FlagKind.MISSED_DAILY_REPORT, date=DAY,
                               raised_at=dt.datetime.combine(DAY, dt.time(20, 0), tzinfo=WITA))
    report_submit(election=election, regency=samarinda, by=officer, now=received, data={
        "report_date": DAY, "situation": "conducive", "summary": "Aman.",
        "composed_at": dt.datetime.combine(DAY, dt.time(19, 5), tzinfo=WITA)})

    client.force_login(secretariat)
    with time_machine.travel(received + dt.timedelta(hours=1), tick=False):
        html = client.get("/compliance/flags/?show=all").content.decode()
        assert "ditulis 20 November 2024 19.05 WITA (jam ponsel), diterima 20 November 2024 21.30 WITA" in html
        assert "data-excuse-day" in html
        response = client.post("/reports/excuse/", {
            "regency": "64.72", "date": DAY.isoformat(), "reason": "Ditulis 19.05, diterima 21.30: jaringan.",
            "next": "/compliance/flags/?show=all"})
    assert response.status_code == 302 and response["Location"] == "/compliance/flags/?show=all"
    assert ExcusedDay.objects.get().regency == samarinda
    flag.refresh_from_db()
    assert flag.resolved_at is not None


def test_report_detail_shows_the_phone_time_next_to_the_received_time(client, officer, election, samarinda):
    received = dt.datetime.combine(DAY, dt.time(21, 30), tzinfo=WITA)
    report = report_submit(election=election, regency=samarinda, by=officer, now=received, data={
        "report_date": DAY, "situation": "conducive", "summary": "Aman.",
        "composed_at": dt.datetime.combine(DAY, dt.time(19, 5), tzinfo=WITA)})
    client.force_login(officer)
    html = client.get(f"/reports/{report.pk}/").content.decode()
    assert "ditulis 20 November 2024 19.05 WITA (jam ponsel), diterima 20 November 2024 21.30 WITA" in html
    assert report.is_late


def test_photo_time_is_read_from_exif_in_the_elections_zone_or_its_own_offset():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import ExifTags, Image

    from violations.evidence import exif_taken_at

    def photo(tags=None):
        image = Image.new("RGB", (8, 8))
        exif = image.getexif()
        exif.get_ifd(ExifTags.IFD.Exif).update(tags or {})
        out = io.BytesIO()
        image.save(out, "JPEG", exif=exif)
        return SimpleUploadedFile("foto.jpg", out.getvalue(), "image/jpeg")

    taken = photo({ExifTags.Base.DateTimeOriginal: "2024:11:20 19:05:00"})
    assert exif_taken_at(taken, WITA) == dt.datetime(2024, 11, 20, 19, 5, tzinfo=WITA)
    assert exif_taken_at(photo(), WITA) is None


def test_the_regencys_villages_and_tps_come_in_one_small_answer(client, db, django_assert_max_num_queries):
    """Mahakam Ulu as the demo has it: 50 villages, 77 TPS, all in one answer the phone keeps."""
    from elections.demo import seed_regions
    from regions.models import PollingStation, Regency, Village
    from tests import factories

    seed_regions()
    mahulu = Regency.objects.get(pk="64.11")
    assert (Village.objects.filter(regency=mahulu).count(), PollingStation.objects.filter(regency=mahulu).count()) \
        == (50, 77)
    client.force_login(factories.officer_make(mahulu))
    with django_assert_max_num_queries(8):
        response = client.get("/violations/places/regency/")
    assert response.status_code == 200
    places = json.loads(response.content)
    assert places["regency"] == "64.11"
    villages = [village for rows in places["districts"].values() for village in rows]
    assert len(villages) == 50 and sum(len(village[2]) for village in villages) == 77
    assert all(village[0].startswith(district) for district, rows in places["districts"].items() for village in rows)
    assert len(response.content) < 4000  # measured on the demo: 2,791 bytes (534 gzipped)


def test_the_regency_places_are_the_officers_own_and_only_for_officers(client, officer, secretariat, election):
    assert client.get("/violations/places/regency/").status_code == 302  # anonymous: to the login page
    client.force_login(officer)
    places = json.loads(client.get("/violations/places/regency/").content)
    assert places["regency"] == "64.72" and set(places["districts"]) == {"64.72.01", "64.72.02"}
    client.force_login(secretariat)
    assert client.get("/violations/places/regency/").status_code == 403


def test_the_offline_page_is_indonesian_public_and_links_the_forms_that_work_offline(client, db):
    html = client.get("/offline/").content.decode()
    assert "Tidak ada koneksi" in html
    for page in ('href="/"', 'href="/reports/new/"', 'href="/logistics/"', 'href="/violations/new/"'):
        assert page in html
    body = client.get("/sw.js").content.decode()
    for path in ("/offline/", "/violations/places/regency/", "^/violations/$", "^/reports/$", "^/rakor/$"):
        assert path in body


def _worker_config(client):
    body = client.get("/sw.js").content.decode()
    return json.loads(re.search(r"const CONFIG = (\{.*?\});\n", body).group(1))


ROUND_FORMS = ["/voting-day/round/opening/", "/voting-day/round/closing/", "/voting-day/round/counting/"]


def test_the_round_forms_are_kept_on_the_phone_and_their_posts_queued_like_the_other_forms(client, db):
    config = _worker_config(client)
    assert set(ROUND_FORMS) <= set(config["pages"])
    assert config["refreshAfter"] == 30 * 60 * 1000  # kept copies older than half an hour are fetched again
    queued = [path for path in ROUND_FORMS + ["/voting-day/", "/voting-day/round/lunch/", "/voting-day/panel/",
                                              "/voting-day/round/opening/x"]
              if any(re.search(pattern, path) for pattern in config["posts"])]
    assert queued == ROUND_FORMS
    html = client.get("/offline/").content.decode()
    for path, name in zip(ROUND_FORMS, ("Pembukaan TPS", "Penutupan TPS", "Penghitungan suara"), strict=True):
        assert f'<a href="{path}">Laporan tahap: {name}</a>' in html


def test_the_outbox_names_a_kept_round_by_its_round(client, officer, election):
    client.force_login(officer)
    html = client.get("/").content.decode()
    rounds = re.search(r'data-rounds="([^"]*)"', html).group(1)
    assert json.loads(unescape(rounds)) == {"opening": "Pembukaan TPS", "closing": "Penutupan TPS",
                                            "counting": "Penghitungan suara"}
    assert 'data-round="Laporan tahap: {round}"' in html


@time_machine.travel(dt.datetime(2024, 11, 27, 21, 30, tzinfo=WITA), tick=False)
def test_a_second_round_sent_from_the_outbox_is_refused_with_the_reason_in_the_form_errors(
        client, officer, election):
    """The outbox shows the server's reason from the page's error summary (#form-errors)."""
    client.force_login(officer)
    body = {"tps_opened": "8", "tps_closed": "8", "tps_counted": "8", "problem-TOTAL_FORMS": "0",
            "problem-INITIAL_FORMS": "0"}
    first = client.post("/voting-day/round/counting/", body, headers={
        "Idempotency-Key": "0d3c5a52-51a4-4a37-9a0e-7d6b3f2a1c11"})
    assert first.status_code == 302
    again = client.post("/voting-day/round/counting/", body, headers={
        "Idempotency-Key": "5f1e0c2b-8b7e-4c55-a3f1-1b2c3d4e5f60"})
    html = again.content.decode()
    assert again.status_code == 200 and 'id="form-errors"' in html and 'id="round-sent"' in html
    errors = re.search(r'<div[^>]*id="form-errors"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert "sudah dikirim" in errors and "laporan kedua tidak diterima" in errors
