"""In Chromium: the officer's field inbox and a photo draft completed into an incident, under the CSP."""

import datetime as dt

import pytest
from django.utils import timezone

from contacts.services import contact_create
from intake.models import InboundMessage
from intake.providers import whatsapp_events
from intake.services import message_apply, webhook_store
from regions.models import District, Village
from tests import factories
from tests.violations.samples import jpeg_bytes
from violations.models import IncidentEvidence

from .conftest import wa_image, wa_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_officer_reads_the_inbox_and_completes_a_photo_draft(page, kaltim, samarinda, officer, channels):
    now = timezone.now()
    today = timezone.localdate(now)
    factories.election_make(kaltim, name="Simulasi", voting_day=today + dt.timedelta(days=7), regencies=[samarinda])
    make = lambda **data: contact_create(regency=samarinda, by=officer, now=now, data=data)  # noqa: E731
    make(phone="081300000003", name="Pak Camat Dua", role="camat", district=District.objects.get(pk="64.72.02"))
    make(phone="081200000002", name="Bu Lurah Satu", role="lurah", village=Village.objects.get(pk="64.72.01.1001"))
    channels.media["m1"] = (jpeg_bytes(size=(64, 48)), "image/jpeg")
    for payload in [wa_text("+6281300000003", "INFO Rapat PPK lancar, situasi kondusif"),
                    wa_text("+6281200000002", "TPS 1 BUKA"),
                    wa_image("+6281200000002", "m1", caption="PELANGGARAN Spanduk di pagar sekolah")]:
        messages, _statuses = whatsapp_events(payload)
        for pk in webhook_store(events=messages, statuses=[], now=timezone.now()):
            message_apply(message_id=pk, now=timezone.now())

    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.login(officer)
    page.goto(page.base_url + "/intake/")
    assert page.locator("h3", has_text="Kota Samarinda D2").is_visible()
    assert page.get_by_text("INFO Rapat PPK lancar").is_visible()
    assert page.get_by_text("TPS 1 Kota Samarinda D1 V1 tidak dicatat", exact=False).first.is_visible()
    page.shot("intake-inbox")

    page.submit("text=Lengkapi draf insiden")
    assert "Spanduk di pagar sekolah" in page.input_value("textarea[name=description]")
    page.select_option("select[name=category]", "misuse_of_facilities")
    page.shot("intake-draft-incident")
    page.submit("#incident-form button[type=submit]")
    assert "/violations/" in page.url
    assert page.get_by_text("Insiden tercatat dengan foto dari pesan lapangan.").is_visible()
    assert IncidentEvidence.objects.count() == 1
    assert InboundMessage.objects.get(kind="photo").incident_id is not None
    assert problems == []
