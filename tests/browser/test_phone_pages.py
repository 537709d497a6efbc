"""Every officer page on a 390 px phone: nothing wider than the screen, and a cold first load (the page
and its assets, served as in production: hashed, compressed static files) under 100 KiB."""

import datetime as dt
import json
import re
import threading

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.test import Client, override_settings
from django.utils import timezone

from compliance.models import Flag, FlagKind
from contacts.services import contact_create
from intake.providers import IncomingEvent
from intake.services import message_apply, webhook_store
from logistics.models import LogisticsItem
from logistics.services import receipt_record
from regions.models import District
from reports.services import report_submit
from tests import factories
from tests.violations.samples import jpeg_bytes
from violations.services import evidence_attach, incident_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
BUDGET = 100 * 1024
PRODUCTION_STATIC = {
    "DEBUG": False,
    "WHITENOISE_USE_FINDERS": False,
    "WHITENOISE_AUTOREFRESH": False,
}
LONG = ("Rapat koordinasi di kantor camat berjalan lancar; patroli gabungan di pasar dan pelabuhan. "
        "Tidak ada pengerahan massa. ") * 4


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """The static files as `collectstatic` prepares them for production (hashed names, .gz/.br copies)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=_manifest_storages()):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def _manifest_storages():
    from django.conf import settings

    return {**settings.STORAGES,
            "staticfiles": {"BACKEND": "core.storage.HashedStaticFilesStorage"}}


@pytest.fixture
def production_server(collected_static, transactional_db):
    """The project's WSGI application with DEBUG off, WhiteNoise serving the collected files."""
    with override_settings(STATIC_ROOT=collected_static, STORAGES=_manifest_storages(), **PRODUCTION_STATIC):
        server = ThreadedWSGIServer(("127.0.0.1", 0), _Quiet)
        server.set_app(WSGIHandler())
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            server.server_close()


@pytest.fixture
def desk(kaltim, samarinda, officer, media_root):
    """Samarinda's desk with something on every page: reports, a receipt, an incident with a photo, a flag."""
    today = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    election = factories.election_make(kaltim, name="Simulasi Pilkada Kalimantan Timur", regencies=[samarinda],
                                       voting_day=today + dt.timedelta(days=7))
    now = timezone.now()
    yesterday = today - dt.timedelta(days=1)
    report = report_submit(election=election, regency=samarinda, by=officer, now=now, data={
        "report_date": yesterday, "situation": "alert", "summary": LONG, "sources": ["district", "police", "kpu"],
        "composed_at": now - dt.timedelta(hours=3),
    })
    receipt = receipt_record(election=election, regency=samarinda, item=LogisticsItem.objects.get(code="ink"),
                             by=officer, now=now, data={"quantity_received": 12, "quantity_damaged": 3,
                                                        "received_at": now - dt.timedelta(hours=1), "note": LONG})
    incident = incident_record(regency=samarinda, election=election, by=officer, now=now,
                               occurred_at=now - dt.timedelta(hours=2), category="money_politics",
                               origin="finding", description=LONG)
    from django.core.files.uploadedfile import SimpleUploadedFile

    evidence_attach(incident=incident, by=officer, now=now,
                    upload=SimpleUploadedFile("foto-amplop-di-pasar-pagi-hari.jpg", jpeg_bytes(), "image/jpeg"))
    Flag.objects.create(election=election, regency=samarinda, kind=FlagKind.MISSED_DAILY_REPORT,
                        date=today - dt.timedelta(days=2), raised_at=now - dt.timedelta(days=1))
    contact = contact_create(regency=samarinda, by=officer, now=now, data={
        "phone": "+6281300000003", "name": "Pak Camat Dua", "role": "camat",
        "district": District.objects.get(pk="64.72.02")})
    # A long note and an unbroken link: the conversation's bubbles wrap them.
    for n, text in enumerate([f"INFO {LONG}", "INFO https://drive.example.org/" + "x" * 120]):
        event = IncomingEvent(channel="whatsapp", provider_id=f"phone-{n}", sender="6281300000003", sent_at=now,
                              text=text, media_id="", raw={})
        [pk] = webhook_store(events=[event], statuses=[], now=now)
        message_apply(message_id=pk, now=now)
    return {"report": report, "receipt": receipt, "incident": incident, "contact": contact}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def officer_pages(desk):
    report, receipt, incident = desk["report"], desk["receipt"], desk["incident"]
    return [
        "/", "/reports/new/", "/reports/", f"/reports/{report.pk}/", f"/reports/{report.pk}/edit/",
        "/logistics/", f"/logistics/receipts/{receipt.pk}/", "/logistics/64.72/distribution/",
        "/logistics/distribution/district/64.72.01/", "/violations/", "/violations/new/",
        f"/violations/{incident.pk}/", f"/violations/{incident.pk}/edit/", "/compliance/flags/",
        "/intake/", f"/intake/conversations/{desk['contact'].pk}/", "/contacts/",
    ]


WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) { continue; }
    if (box.right > width + 0.5 || box.left < -0.5) {
      const name = `${element.tagName.toLowerCase()}#${element.id}.${element.className}`;
      wide.push(`${name} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {width: width, scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 8)};
}"""


def _collector():
    """A list, and a callback (Playwright wants a Python function) that appends to it."""
    finished = []

    def record(request):
        finished.append(request)

    return finished, record


def _session_cookie(user, url):
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}


def test_every_officer_page_fits_a_390px_phone(browser, live_server, officer, desk):
    context = browser.new_context(viewport=PHONE, locale="id-ID", reduced_motion="reduce")
    context.add_cookies([_session_cookie(officer, live_server.url)])
    page = context.new_page()
    problems = {}
    for path in officer_pages(desk):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        result = page.evaluate(WIDER_THAN_SCREEN)
        if result["wide"] or result["scrollWidth"] > PHONE["width"]:
            problems[path] = result
    context.close()
    assert problems == {}, problems


def test_refused_form_shows_its_errors_at_the_top_with_focus(browser, live_server, officer, desk):
    context = browser.new_context(viewport=PHONE, locale="id-ID", reduced_motion="reduce")
    context.add_cookies([_session_cookie(officer, live_server.url)])
    page = context.new_page()
    page.goto(live_server.url + "/violations/new/")
    with page.expect_navigation():
        page.click("#incident-form button[type=submit]")
    assert page.evaluate("document.activeElement.id") == "form-errors"
    assert page.evaluate("document.getElementById('form-errors').getBoundingClientRect().top") < PHONE["height"] / 2
    assert "Uraian kejadian" in page.inner_text("#form-errors")
    context.close()


def test_cold_first_load_of_every_officer_page_is_under_100_kib(browser, production_server, officer, desk):
    heaviest = {}
    for path in officer_pages(desk):
        # A fresh context: an empty cache, as on a phone opening the page for the first time.
        context = browser.new_context(viewport=PHONE, locale="id-ID", service_workers="block")
        context.add_cookies([_session_cookie(officer, production_server)])
        page = context.new_page()
        finished, record = _collector()
        page.on("requestfinished", record)
        response = page.goto(production_server + path, wait_until="networkidle")
        assert response.status == 200, path
        sizes = {request.url: request.sizes() for request in finished}
        total = sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes.values())
        assert any(url.endswith(".css") for url in sizes), path
        assert not any("bootstrap" in url for url in sizes), path
        css = next(request for request in finished if request.url.endswith(".css"))
        assert css.response().headers.get("content-encoding") in ("gzip", "br"), path
        assert "max-age=315360000" in css.response().headers.get("cache-control", ""), path
        heaviest[path] = total
        context.close()
    over = {path: total for path, total in heaviest.items() if total > BUDGET}
    assert over == {}, heaviest


def test_service_worker_lists_hashed_assets_that_exist_in_production(browser, production_server, officer, desk):
    context = browser.new_context()
    worker = context.request.get(production_server + "/sw.js")
    assert worker.status == 200
    config = json.loads(re.search(r"const CONFIG = (\{.*\});", worker.text()).group(1))
    for asset in config["assets"]:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", asset), asset
        assert context.request.get(production_server + asset).status == 200, asset
    context.close()
