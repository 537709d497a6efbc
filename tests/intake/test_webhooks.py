"""The webhooks as the providers call them: signed, stored first, applied by a worker, answered on loopback."""

import hashlib
import hmac
import json
import time

import pytest

from intake.models import DeliveryStatus, InboundMessage, OutboundMessage
from reports.models import DailyReport

from .conftest import (
    LURAH_PHONE,
    OFFICER_PHONE,
    SIGNING_KEY,
    STRANGER_PHONE,
    VERIFY_TOKEN,
    sms_post,
    sms_received,
    wa_post,
    wa_status,
    wa_text,
)

pytestmark = pytest.mark.django_db


def test_handshake_echoes_the_challenge_only_for_the_verify_token(client, channels):
    ok = client.get("/intake/whatsapp/", {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                          "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444"
    wrong = client.get("/intake/whatsapp/", {"hub.mode": "subscribe", "hub.verify_token": "nope",
                                             "hub.challenge": "1158201444"})
    assert wrong.status_code == 403


def test_a_channel_without_its_secret_is_off(client, settings):
    settings.WHATSAPP_APP_SECRET = ""
    settings.SMS_GATEWAY_SIGNING_KEY = ""
    assert client.get("/intake/whatsapp/", {"hub.mode": "subscribe"}).status_code == 404
    assert wa_post(client, wa_text(OFFICER_PHONE, "NIHIL"), secret="x").status_code == 404
    assert sms_post(client, sms_received(OFFICER_PHONE, "NIHIL"), key="x").status_code == 404


def test_officer_sends_nihil_by_whatsapp_and_reads_the_reply(
    client, channels, contacts, frozen, eager, officer, django_capture_on_commit_callbacks
):
    """The whole way: a signed webhook, stored, applied by the task, the reply sent to the Graph API."""
    with django_capture_on_commit_callbacks(execute=True):
        response = wa_post(client, wa_text(OFFICER_PHONE, "  nihil   "))
    assert response.status_code == 200

    report = DailyReport.objects.get()
    assert (report.regency_id, str(report.report_date), report.situation) == ("64.72", "2024-11-20", "conducive")
    assert report.submitted_by == officer and not report.is_late
    message = InboundMessage.objects.get()
    assert (message.kind, message.outcome, message.report_id) == ("nil_report", "applied", report.pk)

    [sent] = channels.sent()
    assert sent["path"] == "/v21.0/106540352242922/messages"
    assert sent["headers"]["Authorization"] == "Bearer loopback-access-token"
    assert sent["json"]["to"] == "6281100000001" and sent["json"]["type"] == "text"
    assert sent["json"]["text"]["body"].startswith("Laporan nihil Kota Samarinda 20 November 2024 diterima")
    outbound = OutboundMessage.objects.get()
    assert outbound.state == "sent" and outbound.provider_id == "wamid.OUT000001"

    # WhatsApp then reports the delivery of our reply: stored, and shown on the outbox row.
    with django_capture_on_commit_callbacks(execute=True):
        assert wa_post(client, wa_status("wamid.OUT000001", "delivered")).status_code == 200
    assert DeliveryStatus.objects.get().status == "delivered"
    outbound.refresh_from_db()
    assert outbound.delivery == "delivered"


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "sha1=abc"])
def test_a_missing_or_wrong_signature_is_403_and_stores_nothing(client, channels, contacts, signature):
    response = wa_post(client, wa_text(OFFICER_PHONE, "NIHIL"), signature=signature)
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_a_body_signed_with_another_secret_is_403(client, channels, contacts):
    assert wa_post(client, wa_text(OFFICER_PHONE, "NIHIL"), secret="someone-else").status_code == 403
    assert not InboundMessage.objects.exists()


def test_a_body_over_one_megabyte_is_refused_unread(client, channels, contacts):
    payload = wa_text(OFFICER_PHONE, "INFO " + "x" * (1024 * 1024))
    response = wa_post(client, payload)
    assert response.status_code == 413
    assert not InboundMessage.objects.exists()


def test_a_repeated_delivery_stores_nothing_new_and_sends_no_second_reply(
    client, channels, contacts, frozen, eager, django_capture_on_commit_callbacks
):
    payload = wa_text(LURAH_PHONE, "INFO Jalan ke TPS 2 banjir", message_id="wamid.SAME")
    for _attempt in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert wa_post(client, payload).status_code == 200
    assert InboundMessage.objects.count() == 1
    assert OutboundMessage.objects.count() == 1
    assert len(channels.sent()) == 1


def test_sms_received_is_applied_and_answered_through_the_gateway(
    client, channels, contacts, frozen, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sms_post(client, sms_received("081200000002", "INFO Warga ramai di balai desa"))
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert (message.channel, message.sender, message.kind, message.outcome) == ("sms", LURAH_PHONE, "info", "applied")
    assert message.village_id == "64.72.01.1001"
    [sent] = channels.sent("/3rdparty/v1/messages")
    assert sent["headers"]["Authorization"].startswith("Basic ")
    assert sent["json"]["phoneNumbers"] == ["081200000002"]
    assert sent["json"]["textMessage"]["text"].startswith("Info dicatat untuk Kota Samarinda D1 V1")
    assert OutboundMessage.objects.get().provider_id == "sms-out-1"

    # The gateway then reports the delivery of our reply (event sms:delivered, the message id it gave us).
    delivered = {"deviceId": "ffffffffceb0b1db0000018e937c815b", "event": "sms:delivered", "id": "Ey6ECgOkVVFjz3Cdlv1",
                 "webhookId": "LreFUt-Z3sSq0JufY9uWC", "payload": {"messageId": "sms-out-1",
                 "phoneNumber": "081200000002", "simNumber": 1, "deliveredAt": "2024-11-20T10:00:05.000+08:00"}}
    assert sms_post(client, delivered).status_code == 200
    assert OutboundMessage.objects.get().delivery == "delivered"
    assert DeliveryStatus.objects.get().provider_id == "sms-out-1"
    assert InboundMessage.objects.count() == 1


@pytest.mark.parametrize("case", ["wrong", "stale", "future", "no-timestamp"])
def test_sms_signature_and_timestamp_are_checked(client, channels, contacts, frozen, case):
    payload = sms_received(LURAH_PHONE, "INFO x")
    now = int(time.time())
    if case == "wrong":
        response = sms_post(client, payload, key="someone-else")
    elif case == "stale":
        response = sms_post(client, payload, timestamp=str(now - 3600))
    elif case == "future":
        response = sms_post(client, payload, timestamp=str(now + 3600))
    else:
        response = sms_post(client, payload, timestamp="", signature="abc")
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_sms_signature_covers_the_raw_body(client, channels, contacts, frozen):
    """Signed as the gateway documents: HMAC-SHA256 over the body bytes followed by the timestamp."""
    body = json.dumps(sms_received(LURAH_PHONE, "INFO x")).encode()
    timestamp = str(int(time.time()))
    signature = hmac.new(SIGNING_KEY.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()
    tampered = body.replace(b"INFO x", b"INFO y")
    response = client.post("/intake/sms/", tampered, content_type="application/json",
                           HTTP_X_SIGNATURE=signature, HTTP_X_TIMESTAMP=timestamp)
    assert response.status_code == 403
    response = client.post("/intake/sms/", body, content_type="application/json",
                           HTTP_X_SIGNATURE=signature, HTTP_X_TIMESTAMP=timestamp)
    assert response.status_code == 200 and InboundMessage.objects.count() == 1


def test_unknown_number_is_stored_and_told_it_is_not_registered(
    client, channels, contacts, frozen, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        wa_post(client, wa_text(STRANGER_PHONE, "NIHIL"))
    message = InboundMessage.objects.get()
    assert (message.outcome, message.contact, message.regency) == ("unregistered", None, None)
    assert not DailyReport.objects.exists()
    assert "belum terdaftar" in channels.sent()[0]["json"]["text"]["body"]


def test_nul_and_lone_surrogates_in_a_message_are_stored_without_them(
    client, channels, contacts, frozen, eager, django_capture_on_commit_callbacks
):
    """JSON allows both, PostgreSQL stores neither: the webhook must not fail (the provider would retry for days)."""
    body = json.dumps(wa_text(LURAH_PHONE, "INFO a\x00b\ud800c")).encode()
    signature = "sha256=" + hmac.new(b"loopback-app-secret", body, hashlib.sha256).hexdigest()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/intake/whatsapp/", body, content_type="application/json",
                               HTTP_X_HUB_SIGNATURE_256=signature)
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert message.text == "INFO ab?c" and message.outcome == "applied"
