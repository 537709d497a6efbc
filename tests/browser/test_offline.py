"""An officer on a weak link, in a phone-sized Chromium: what is submitted offline waits on the phone and
is sent, exactly once, when the connection returns."""

import datetime as dt
import io
import os
import re

import pytest
from django.utils import timezone
from PIL import ExifTags, Image

from reports.models import DailyReport
from tests import factories
from violations.models import IncidentEvidence, ViolationIncident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_election(kaltim, samarinda):
    """An election around the real today: the browser's clock cannot be frozen."""
    today = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    return factories.election_make(kaltim, name="Simulasi", voting_day=today + dt.timedelta(days=7),
                                   regencies=[samarinda])


@pytest.fixture
def phone(browser, live_server, media_root):
    context = browser.new_context(viewport=PHONE, locale="id-ID", reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _login(page, user):
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", factories.PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    # The service worker installs from the home page and keeps the officer's pages.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def _shot(page, name):
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], f"{name}.png"), full_page=True)


def test_nil_report_submitted_offline_waits_on_the_phone_then_is_sent_once(phone, officer, live_election):
    _login(phone, officer)
    phone.goto(f"{phone.base_url}/reports/new/")
    phone.wait_for_function("navigator.serviceWorker.controller !== null")

    phone.context.set_offline(True)
    phone.click("#nothing-notable")
    phone.check("input[name=confirm_nothing_notable]")
    phone.click("#report-form button[type=submit]")
    phone.wait_for_selector("#outbox [data-state=pending]")
    assert not DailyReport.objects.exists()

    phone.reload()
    phone.wait_for_selector("#outbox [data-state=pending]")  # the list is drawn from the phone's storage after load
    waiting = phone.locator("#outbox [data-state=pending]")
    assert waiting.count() == 1
    assert "Tersimpan di ponsel ini, belum terkirim" in waiting.inner_text()
    assert phone.is_visible("#outbox .outbox-offline")
    _shot(phone, "offline-1-report-waiting")
    assert not DailyReport.objects.exists()

    phone.context.set_offline(False)
    phone.wait_for_selector("#outbox [data-state=sent]")
    assert "Terkirim pukul" in phone.inner_text("#outbox [data-state=sent]")
    _shot(phone, "offline-2-report-sent")
    report = DailyReport.objects.get()
    assert report.summary.startswith("Tidak ada kejadian menonjol") and report.submitted_by == officer
    assert report.composed_at is not None and report.composed_at <= report.submitted_at

    # Sending again (another tab, a retry after a lost answer) stores nothing new.
    phone.evaluate("DeskOutbox.all().then((items) => { items[0].state = 'pending'; return DeskOutbox.put(items[0]); })")
    phone.reload()
    phone.wait_for_selector("#outbox [data-state=sent]")
    assert DailyReport.objects.count() == 1


def _large_photo_with_gps():
    """A 2400 x 1800 photo of noise (well over 1 MB), taken in Samarinda according to its EXIF."""
    image = Image.frombytes("RGB", (2400, 1800), os.urandom(2400 * 1800 * 3))
    exif = image.getexif()
    exif[ExifTags.Base.Orientation] = 1
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2024:11:20 19:05:00"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({
        ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLatitude: (0.0, 30.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (117.0, 9.0, 0.0),
    })
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif)
    return out.getvalue()


def test_incident_with_a_photo_submitted_offline_is_sent_with_the_reduced_photo(phone, officer, live_election):
    photo = _large_photo_with_gps()
    assert len(photo) > 1024 * 1024
    _login(phone, officer)
    phone.goto(f"{phone.base_url}/violations/new/")
    phone.wait_for_function("navigator.serviceWorker.controller !== null")

    phone.context.set_offline(True)
    occurred = (timezone.now() - dt.timedelta(hours=2)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    phone.fill("input[name=occurred_at]", occurred.strftime("%Y-%m-%dT%H:%M"))
    phone.select_option("select[name=category]", "money_politics")
    phone.check("input[name=origin][value=finding]")
    phone.fill("textarea[name=description]", "Amplop berisi uang dibagikan di dekat pasar.")
    phone.set_input_files("input[name=photos]", files=[
        {"name": "amplop.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    phone.wait_for_selector("#photo-list li:has-text('diperkecil')")
    phone.click("#incident-form button[type=submit]")
    phone.wait_for_selector("#outbox [data-state=pending]")
    phone.reload()
    phone.wait_for_selector("#outbox [data-state=pending]")  # the list is drawn from the phone's storage after load
    assert phone.locator("#outbox [data-state=pending]").count() == 1
    assert not ViolationIncident.objects.exists()

    phone.context.set_offline(False)
    phone.wait_for_selector("#outbox [data-state=sent]")
    incident = ViolationIncident.objects.get()
    evidence = IncidentEvidence.objects.get(incident=incident)
    assert evidence.size < len(photo) and evidence.kind == "jpeg"
    # The reduced photo still says where and when it was taken.
    assert (float(evidence.latitude), float(evidence.longitude)) == (-0.5, 117.15)
    assert evidence.taken_at == dt.datetime(2024, 11, 20, 19, 5, tzinfo=incident.election.zone)
    with evidence.file.open("rb") as handle, Image.open(handle) as stored:
        assert max(stored.size) == 1600
        assert stored.getexif().get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] == "2024:11:20 19:05:00"


def test_a_photo_over_the_limit_is_refused_on_the_phone(phone, officer, live_election):
    _login(phone, officer)
    phone.goto(f"{phone.base_url}/violations/new/")
    pdf = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1)
    phone.set_input_files("input[name=photos]", files=[
        {"name": "laporan.pdf", "mimeType": "application/pdf", "buffer": pdf}])
    phone.wait_for_selector("#photo-list li.text-danger")
    assert "terlalu besar" in phone.inner_text("#photo-list")
    assert phone.evaluate("document.querySelector('input[name=photos]').files.length") == 0


def test_a_refused_item_shows_the_servers_message_and_keeps_the_draft(phone, officer, live_election, samarinda):
    _login(phone, officer)
    phone.goto(f"{phone.base_url}/reports/new/")
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    phone.context.set_offline(True)
    phone.check("input[name=situation][value=alert]")
    phone.fill("textarea[name=summary]", "Massa berkumpul di depan kantor KPU, aparat berjaga.")
    phone.click("#report-form button[type=submit]")
    phone.wait_for_selector("#outbox [data-state=pending]")

    # Meanwhile a colleague sent today's report from another phone.
    from reports.services import report_submit

    report_submit(election=live_election, regency=samarinda, by=officer, now=timezone.now(), data={
        "report_date": live_election.local_date(), "situation": "conducive", "summary": "Aman."})
    phone.context.set_offline(False)
    refused = phone.wait_for_selector("#outbox [data-state=refused]")
    assert "Ditolak server" in refused.inner_text() and "sudah ada" in refused.inner_text()
    _shot(phone, "offline-3-refused")

    with phone.expect_navigation():
        phone.click("#outbox [data-state=refused] a:has-text('Perbaiki')")
    phone.wait_for_function("document.querySelector('textarea[name=summary]').value.length > 0")
    assert phone.input_value("textarea[name=summary]") == "Massa berkumpul di depan kantor KPU, aparat berjaga."
    assert phone.is_checked("input[name=situation][value=alert]")
    assert DailyReport.objects.count() == 1


def _fill_incident(page):
    occurred = (timezone.now() - dt.timedelta(hours=2)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    page.fill("input[name=occurred_at]", occurred.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("select[name=category]", "money_politics")
    page.check("input[name=origin][value=finding]")
    page.fill("textarea[name=description]", "Amplop berisi uang dibagikan di dekat pasar.")


FIFTEEN_MB_PDF = b"%PDF-1.4\n" + b"0" * (15 * 1024 * 1024)


def test_a_refused_15_mb_pdf_keeps_the_officer_on_the_form_online_and_offline(phone, officer, live_election):
    _login(phone, officer)
    phone.goto(f"{phone.base_url}/violations/new/")
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    _fill_incident(phone)
    phone.set_input_files("input[name=photos]", files=[
        {"name": "laporan.pdf", "mimeType": "application/pdf", "buffer": FIFTEEN_MB_PDF}])
    refused = phone.wait_for_selector("#photo-refused", state="visible")
    assert "laporan.pdf" in refused.inner_text() and "belum bisa disimpan" in refused.inner_text()

    # Saving is refused on the phone: still the form, nothing stored, the reason at the file field.
    phone.click("#incident-form button[type=submit]")
    phone.wait_for_timeout(500)
    assert phone.url.endswith("/violations/new/") and not ViolationIncident.objects.exists()
    assert phone.evaluate("document.activeElement.name") == "photos"
    assert "is-invalid" in phone.get_attribute("input[name=photos]", "class")
    _shot(phone, "offline-4-file-refused")

    # Offline neither: nothing kept in the outbox to be sent later without the file.
    phone.context.set_offline(True)
    phone.click("#incident-form button[type=submit]")
    phone.wait_for_timeout(500)
    assert phone.evaluate("DeskOutbox.all().then((items) => items.length)") == 0
    phone.context.set_offline(False)

    # Removing the refused file lets the incident be saved without it, as the officer chose.
    phone.click("#photo-refused button")
    assert not phone.is_visible("#photo-refused")
    with phone.expect_navigation():
        phone.click("#incident-form button[type=submit]")
    incident = ViolationIncident.objects.get()
    assert not IncidentEvidence.objects.filter(incident=incident).exists()


def test_a_kept_incident_with_a_file_over_the_limit_is_not_sent_and_comes_back_with_its_file(
        phone, officer, live_election):
    _login(phone, officer)
    phone.goto(f"{phone.base_url}/violations/new/")
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    # What the service worker keeps when the post fails on the way (no page script checked it).
    phone.evaluate("""() => {
      const data = new FormData(document.getElementById("incident-form"));
      data.set("description", "Amplop berisi uang dibagikan di dekat pasar.");
      data.set("photos", new File([new Uint8Array(15 * 1024 * 1024)], "laporan.pdf", {type: "application/pdf"}));
      return DeskOutbox.keep({url: "/violations/new/", page: "/violations/new/", data: data, user: null});
    }""")
    phone.reload()
    refused = phone.wait_for_selector("#outbox [data-state=refused]")
    assert "laporan.pdf terlalu besar" in refused.inner_text()
    assert not ViolationIncident.objects.exists()

    with phone.expect_navigation():
        phone.click("#outbox [data-state=refused] a:has-text('Perbaiki')")
    phone.wait_for_selector("#photo-refused", state="visible")
    assert "laporan.pdf" in phone.inner_text("#photo-refused")
    assert phone.input_value("textarea[name=description]") == "Amplop berisi uang dibagikan di dekat pasar."


def test_offline_the_lists_seen_open_with_their_age_other_pages_show_the_apps_offline_page(
        phone, officer, live_election, samarinda):
    from violations.services import incident_record

    incident = incident_record(regency=samarinda, election=live_election, by=officer, now=timezone.now(),
                               occurred_at=timezone.now() - dt.timedelta(hours=1), category="money_politics",
                               origin="finding", description="Amplop dibagikan di dekat pasar.")
    _login(phone, officer)
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    for path in ("/violations/", "/reports/", "/rakor/"):
        phone.goto(f"{phone.base_url}{path}")
    # The violation list was seen two hours ago.
    phone.evaluate("""() => caches.open("desk-pages").then((cache) => cache.match("/violations/").then((hit) => {
      const headers = new Headers(hit.headers);
      headers.set("X-Desk-Saved-At", String(Date.now() - 2 * 3600 * 1000 - 60000));
      return hit.text().then((html) => cache.put("/violations/", new Response(html, {headers: headers})));
    }))""")

    phone.context.set_offline(True)
    phone.goto(f"{phone.base_url}/violations/")
    assert "1 insiden" in phone.inner_text("main") and "Politik uang" in phone.inner_text("main")
    saved = phone.wait_for_selector("#saved-copy", state="visible").inner_text()
    assert re.search(r"Halaman ini disimpan pukul \d\d\.\d\d, 2 jam lalu", saved), saved
    _shot(phone, "offline-5-list-with-age")
    for path, heading in (("/reports/", "Laporan"), ("/rakor/", "Rakor")):
        phone.goto(f"{phone.base_url}{path}")
        assert heading in phone.inner_text("h1")
        assert "baru saja" in phone.wait_for_selector("#saved-copy", state="visible").inner_text()

    # A page never opened online: the app's own page, in Indonesian, with the forms that work offline.
    phone.goto(f"{phone.base_url}/violations/{incident.pk}/")
    assert phone.inner_text("h1") == "Tidak ada koneksi"
    assert phone.locator("main a[href='/violations/new/']").count() == 1
    assert phone.locator("main a[href='/']").count() == 1
    _shot(phone, "offline-6-offline-page")


def test_offline_the_pickers_fill_for_a_district_never_opened_online(phone, officer, live_election):
    _login(phone, officer)
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    phone.context.set_offline(True)
    phone.goto(f"{phone.base_url}/violations/new/")
    phone.select_option("select[name=district]", "64.72.02")
    phone.wait_for_function("document.querySelector('select[name=village]').options.length === 3")
    assert phone.locator("select[name=village] option").all_inner_texts()[1:] == [
        "Kota Samarinda D2 V1 (64.72.02.1001)", "Kota Samarinda D2 V2 (64.72.02.1002)"]
    phone.select_option("select[name=village]", "64.72.02.1002")
    phone.wait_for_function("document.querySelector('select[name=tps]').options.length === 3")
    assert phone.locator("select[name=tps] option").all_inner_texts()[1:] == ["TPS 001", "TPS 002"]


def test_round_report_opens_offline_never_opened_online_waits_on_the_phone_then_is_sent_once(
        phone, officer, kaltim, samarinda):
    from regions.models import PollingStation
    from votingday.models import VotingRound
    from votingday.services import tps_status_record

    now = timezone.now()
    factories.election_make(kaltim, name="Simulasi", voting_day=now.astimezone(dt.timezone(dt.timedelta(hours=8)))
                            .date(), regencies=[samarinda])
    stations = list(PollingStation.objects.filter(regency=samarinda).order_by("pk"))
    for tps in stations[:3]:
        tps_status_record(tps=tps, status="counted", note="", at=now, source="sms")
    _login(phone, officer)
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    # Kept when the worker installed, while online: the three round forms, not opened yet.
    kept = phone.evaluate("""() => caches.open("desk-pages").then((cache) => Promise.all(
        ["opening", "closing", "counting"].map((round) => cache.match("/voting-day/round/" + round + "/")
          .then((hit) => Boolean(hit)))))""")
    assert kept == [True, True, True]

    phone.context.set_offline(True)
    phone.goto(f"{phone.base_url}/voting-day/round/counting/")
    assert "Penghitungan suara" in phone.inner_text("h1")
    assert "baru saja" in phone.wait_for_selector("#saved-copy", state="visible").inner_text()
    assert phone.input_value("input[name=tps_counted]") == "3"  # the field's count when the form was kept
    phone.fill("input[name=tps_opened]", "8")
    phone.fill("input[name=tps_closed]", "8")
    phone.fill("input[name=tps_counted]", "6")
    phone.fill("input[name=turnout_percent]", "71,5")
    phone.select_option("select[name=problem-0-tps]", str(stations[7].pk))
    phone.select_option("select[name=problem-0-kind]", "weather")
    phone.fill("input[name=problem-0-note]", "Hujan deras, penghitungan tertunda")
    phone.click("#round-form button[type=submit]")
    phone.wait_for_selector("#outbox [data-state=pending]")
    phone.reload()
    waiting = phone.wait_for_selector("#outbox [data-state=pending]")
    assert phone.locator("#outbox [data-state=pending]").count() == 1
    assert "Laporan tahap: Penghitungan suara" in waiting.inner_text()
    assert "Tersimpan di ponsel ini, belum terkirim" in waiting.inner_text()
    _shot(phone, "offline-7-round-waiting")
    assert not VotingRound.objects.exists()

    phone.context.set_offline(False)
    sent = phone.wait_for_selector("#outbox [data-state=sent]")
    assert "Terkirim pukul" in sent.inner_text() and sent.query_selector("a[href='/voting-day/']")
    _shot(phone, "offline-8-round-sent")
    stored = VotingRound.objects.get()
    assert (stored.round, stored.tps_opened, stored.tps_closed, stored.tps_counted, str(stored.turnout_percent)) \
        == ("counting", 8, 8, 6, "71.5")
    problem = stored.problems.get()
    assert (problem.tps_id, problem.kind, problem.note) == (stations[7].pk, "weather",
                                                           "Hujan deras, penghitungan tertunda")

    # Sent again (a retry after a lost answer): the same key, nothing stored twice, still "sent".
    phone.evaluate("DeskOutbox.all().then((items) => { items[0].state = 'pending'; return DeskOutbox.put(items[0]); })")
    phone.reload()
    phone.wait_for_selector("#outbox [data-state=sent]")
    assert VotingRound.objects.count() == 1


AGE_KEPT_PAGES = """() => caches.open("desk-pages").then((cache) => cache.keys().then((requests) => Promise.all(
  requests.map((request) => cache.match(request).then((hit) => {
    const headers = new Headers(hit.headers);
    headers.set("X-Desk-Saved-At", String(Date.now() - 2 * 3600 * 1000));
    return hit.text().then((html) => cache.put(request, new Response(html, {headers: headers})));
  })))))"""

KEPT_ROUND_FORM = """() => caches.open("desk-pages").then((cache) => cache.match("/voting-day/round/opening/"))
  .then((hit) => hit ? hit.text() : "").then((html) => html.includes('id="round-form"'))"""


def test_kept_pages_grown_old_are_fetched_again_when_the_officer_is_online(phone, officer, kaltim, samarinda):
    """Kept before the election was set up, the round form said "no active election"; online later, it is
    fetched again, so offline on voting day it is the form."""
    _login(phone, officer)
    phone.wait_for_function("navigator.serviceWorker.controller !== null")
    assert phone.evaluate(KEPT_ROUND_FORM) is False
    today = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    factories.election_make(kaltim, name="Simulasi", voting_day=today, regencies=[samarinda])

    # Opened online within the half hour: the copies kept at install are fresh enough, nothing is fetched.
    phone.goto(f"{phone.base_url}/violations/")
    phone.wait_for_timeout(1000)
    assert phone.evaluate(KEPT_ROUND_FORM) is False

    # Two hours later (the copies aged), any page opened online has the worker fetch them again.
    phone.evaluate(AGE_KEPT_PAGES)
    phone.goto(f"{phone.base_url}/violations/")
    for _attempt in range(50):  # the worker fetches in the background: ask the cache until it has the form
        if phone.evaluate(KEPT_ROUND_FORM):
            break
        phone.wait_for_timeout(200)
    assert phone.evaluate(KEPT_ROUND_FORM) is True
    phone.context.set_offline(True)
    phone.goto(f"{phone.base_url}/voting-day/round/opening/")
    assert "Pembukaan TPS" in phone.inner_text("h1") and phone.is_visible("#round-form")
    assert "baru saja" in phone.wait_for_selector("#saved-copy", state="visible").inner_text()
