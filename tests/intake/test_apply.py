"""What each message does (stored by the webhook service, applied once), and its one reply."""

import datetime as dt

import pytest
from django.utils import timezone

from compliance.models import Flag
from intake.models import InboundMessage, OutboundMessage
from intake.providers import sms_events, whatsapp_events
from intake.services import intake_sweep, message_apply, webhook_store
from reports.models import DailyReport
from tests.violations.samples import EXE_BYTES, PDF_BYTES, jpeg_bytes
from violations.models import IncidentEvidence, ViolationIncident
from votingday.models import TpsStatus as VotingDayTpsStatus

from .conftest import CAMAT_PHONE, LURAH_PHONE, OFFICER_PHONE, STRANGER_PHONE, WITA, sms_received, wa_image, wa_text

pytestmark = pytest.mark.django_db


def receive(payload, *, sms=False):
    """Store one webhook's events and apply them as the task does; the (first) message."""
    messages, statuses = (sms_events if sms else whatsapp_events)(payload)
    ids = webhook_store(events=messages, statuses=statuses, now=timezone.now())
    for pk in ids:
        message_apply(message_id=pk, now=timezone.now())
    return InboundMessage.objects.get(pk=ids[0]) if ids else None


@pytest.mark.parametrize("text, situation, summary", [
    ("LAPOR AMAN Kampanye terbuka di GOR tertib", "conducive", "Kampanye terbuka di GOR tertib"),
    ("lapor   waspada  Massa berkumpul di depan KPU", "alert", "Massa berkumpul di depan KPU"),
    ("Lapor Rawan Bentrok kecil di pasar", "disrupted", "Bentrok kecil di pasar"),
    ("NIHIL Semua kecamatan melapor aman", "conducive", "Semua kecamatan melapor aman"),
])
def test_officer_reports_by_message(contacts, frozen, text, situation, summary):
    message = receive(wa_text(OFFICER_PHONE, text))
    report = DailyReport.objects.get()
    assert (report.situation, report.summary) == (situation, summary)
    assert message.outcome == "applied" and message.report == report
    assert report.history.first().history_user == contacts["officer"].user


def test_a_report_after_the_cutoff_is_late_and_resolves_the_missed_flag(contacts, election, samarinda, frozen):
    from compliance.run import flags_check

    frozen.move_to(dt.datetime(2024, 11, 20, 21, 0, tzinfo=WITA))
    flags_check(now=timezone.now())
    flag = Flag.objects.get(regency=samarinda, date=dt.date(2024, 11, 20))
    assert flag.resolved_at is None
    message = receive(wa_text(OFFICER_PHONE, "NIHIL"))
    assert DailyReport.objects.get().is_late
    assert "(terlambat)" in message.reply
    flag.refresh_from_db()
    assert flag.resolved_at is not None


def test_an_existing_report_is_not_replaced_and_the_reply_says_so(contacts, frozen):
    receive(wa_text(OFFICER_PHONE, "LAPOR AMAN Pagi aman"))
    second = receive(wa_text(OFFICER_PHONE, "LAPOR RAWAN Sore ricuh"))
    report = DailyReport.objects.get()
    assert report.summary == "Pagi aman"
    assert second.outcome == "refused" and f"#{report.pk}" in second.reply and "tidak menggantinya" in second.reply


def test_only_an_officers_phone_makes_a_report(contacts, frozen):
    message = receive(wa_text(LURAH_PHONE, "NIHIL"))
    assert message.outcome == "refused" and "hanya dari nomor petugas" in message.reply
    assert not DailyReport.objects.exists()


def test_lapor_without_a_summary_is_refused_with_the_format(contacts, frozen):
    message = receive(wa_text(OFFICER_PHONE, "LAPOR AMAN"))
    assert message.kind == "report" and message.outcome == "refused" and "LAPOR AMAN|WASPADA|RAWAN" in message.reply
    assert not DailyReport.objects.exists()


def test_info_lands_under_the_contacts_district(contacts, frozen):
    message = receive(wa_text(CAMAT_PHONE, "INFO  Distribusi logistik ke kecamatan lancar"))
    assert (message.kind, message.outcome) == ("info", "applied")
    assert (message.regency_id, message.district_id, message.village_id) == ("64.72", "64.72.02", None)
    assert message.parsed == {"text": "Distribusi logistik ke kecamatan lancar"}


def test_tps_status_on_voting_day_sets_the_tps_status_of_the_contacts_village(contacts, frozen):
    frozen.move_to(dt.datetime(2024, 11, 27, 9, 30, tzinfo=WITA))
    message = receive(wa_text(LURAH_PHONE, "tps 002 masalah Kotak suara terlambat"))
    assert (message.kind, message.outcome) == ("tps", "applied")
    assert message.parsed["number"] == 2 and message.parsed["status"] == "problem"
    assert message.parsed["note"] == "Kotak suara terlambat" and message.parsed["tps"]
    assert message.reply.startswith("TPS 2 Kota Samarinda D1 V1: Masalah dicatat")
    status = VotingDayTpsStatus.objects.get(tps_id=message.parsed["tps"])
    assert (status.status, status.note, status.source) == ("problem", "Kotak suara terlambat", "whatsapp")
    # SELESAI: counting finished.
    frozen.move_to(dt.datetime(2024, 11, 27, 16, 0, tzinfo=WITA))
    receive(wa_text(LURAH_PHONE, "TPS 2 SELESAI"))
    assert VotingDayTpsStatus.objects.get(tps_id=message.parsed["tps"]).status == "counted"


def test_tps_status_before_voting_day_is_refused_and_sets_nothing(contacts, frozen):
    message = receive(wa_text(LURAH_PHONE, "TPS 2 BUKA"))
    assert (message.kind, message.outcome) == ("tps", "refused")
    assert message.reply.startswith("TPS 2 Kota Samarinda D1 V1 tidak dicatat: ")
    assert "hari pencoblosan" in message.reply
    assert not VotingDayTpsStatus.objects.exists()


@pytest.mark.parametrize("phone, text, expected", [
    (LURAH_PHONE, "TPS 99 BUKA", "tidak ada di"),
    (CAMAT_PHONE, "TPS 1 BUKA", "hanya dari kontak yang terdaftar untuk sebuah kelurahan"),
    (LURAH_PHONE, "TPS 1 MUNGKIN", "Format: TPS"),
])
def test_tps_refusals(contacts, frozen, phone, text, expected):
    message = receive(wa_text(phone, text))
    assert message.outcome == "refused" and expected in message.reply


def test_anything_else_gets_the_accepted_forms_with_an_example(contacts, frozen):
    message = receive(wa_text(LURAH_PHONE, "Selamat pagi pak"))
    assert (message.kind, message.outcome) == ("unknown", "refused")
    assert "INFO <teks>" in message.reply and "Contoh" in message.reply
    assert OutboundMessage.objects.get().text == message.reply


def test_unknown_number_by_sms(contacts, frozen):
    message = receive(sms_received(STRANGER_PHONE, "INFO ada keributan"), sms=True)
    assert message.outcome == "unregistered" and message.regency is None
    assert "belum terdaftar" in message.reply


def test_a_flood_from_one_number_is_stored_not_applied(contacts, frozen, settings):
    settings.INTAKE_RATE_LIMIT = 3
    results = [receive(wa_text(LURAH_PHONE, f"INFO pesan {n}")) for n in range(5)]
    assert [m.rate_limited for m in results] == [False, False, False, True, True]
    assert results[-1].outcome == "refused" and results[-1].reply == ""
    assert OutboundMessage.objects.count() == 3
    assert InboundMessage.objects.count() == 5


def test_a_photo_becomes_a_draft_with_the_photo_kept_byte_for_byte(contacts, frozen, channels):
    photo = jpeg_bytes(gps=(("S", (0, 30, 0)), ("E", (117, 9, 0))))
    channels.media["1234567890"] = (photo, "image/jpeg")
    message = receive(wa_image(LURAH_PHONE, "1234567890", caption="PELANGGARAN Bagi-bagi sembako"))
    assert (message.kind, message.outcome) == ("photo", "draft")
    assert message.parsed == {"caption": "Bagi-bagi sembako"}
    with message.photo.open("rb") as stored:
        assert stored.read() == photo  # EXIF and all
    media_requests = [r for r in channels.requests if r["method"] == "GET"]
    assert [r["path"] for r in media_requests] == ["/v21.0/1234567890", "/download/1234567890"]
    assert all(r["headers"]["Authorization"] == "Bearer loopback-access-token" for r in media_requests)


@pytest.mark.parametrize("content, expected", [
    (EXE_BYTES, "bukan foto"),
    (PDF_BYTES, "bukan foto JPEG/PNG"),
])
def test_a_photo_that_is_not_one_is_refused(contacts, frozen, channels, content, expected):
    channels.media["m1"] = (content, "image/jpeg")
    message = receive(wa_image(LURAH_PHONE, "m1"))
    assert message.outcome == "refused" and expected in message.reply and not message.photo


def test_a_photo_over_ten_megabytes_is_refused(contacts, frozen, channels):
    channels.media["big"] = (b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024), "image/jpeg")
    message = receive(wa_image(LURAH_PHONE, "big"))
    assert message.outcome == "refused" and "terlalu besar" in message.reply


def test_the_officer_completes_the_draft_into_an_incident_with_the_photo(client, contacts, frozen, channels, officer):
    photo = jpeg_bytes(gps=(("S", (0, 30, 0)), ("E", (117, 9, 0))))
    channels.media["p1"] = (photo, "image/jpeg")
    message = receive(wa_image(LURAH_PHONE, "p1", caption="Baliho di sekolah"))
    client.force_login(officer)
    page = client.get(f"/intake/{message.pk}/incident/")
    html = page.content.decode()
    assert page.status_code == 200 and "Baliho di sekolah" in html and 'value="64.72.01.1001" selected' in html
    response = client.post(f"/intake/{message.pk}/incident/", {
        "occurred_at": "2024-11-20T09:30", "category": "misuse_of_facilities", "district": "64.72.01",
        "village": "64.72.01.1001", "tps": "", "candidate_pair": "", "origin": "public_report",
        "description": "Baliho paslon dipasang di pagar sekolah.",
    })
    incident = ViolationIncident.objects.get()
    assert response.status_code == 302 and response.url == f"/violations/{incident.pk}/"
    evidence = IncidentEvidence.objects.get()
    with evidence.file.open("rb") as stored:
        assert stored.read() == photo
    assert evidence.latitude is not None  # read from the EXIF that was kept
    message.refresh_from_db()
    assert message.incident == incident
    # Once: the draft now leads to its incident.
    assert client.get(f"/intake/{message.pk}/incident/").url == f"/violations/{incident.pk}/"


def test_another_regencys_officer_cannot_complete_a_draft(client, contacts, frozen, channels, other_officer):
    channels.media["p2"] = (jpeg_bytes(), "image/jpeg")
    message = receive(wa_image(LURAH_PHONE, "p2"))
    client.force_login(other_officer)
    assert client.get(f"/intake/{message.pk}/incident/").status_code == 404
    assert client.get(f"/intake/{message.pk}/photo/").status_code == 404


def test_sweep_applies_what_waits_and_sends_what_is_unsent(contacts, frozen):
    messages, _statuses = whatsapp_events(wa_text(LURAH_PHONE, "INFO tertinggal"))
    [pk] = webhook_store(events=messages, statuses=[], now=timezone.now())
    assert intake_sweep(now=timezone.now()) == {"applied": 0, "sent": 0}  # within the grace period
    frozen.shift(dt.timedelta(minutes=1))
    result = intake_sweep(now=timezone.now())
    assert result["applied"] == 1
    assert InboundMessage.objects.get(pk=pk).outcome == "applied"
    frozen.shift(dt.timedelta(minutes=1))
    assert intake_sweep(now=timezone.now()) == {"applied": 0, "sent": 1}
    assert OutboundMessage.objects.get().state == "sent"
