"""Samarinda's contacts, frozen time, the providers on loopback, signed webhook requests in their real shapes."""

import datetime as dt
import hashlib
import hmac
import itertools
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from contacts.services import contact_create
from pilkada_desk.celery import app as celery_app
from regions.models import District, Village

from .loopback import ACCESS_TOKEN, PHONE_NUMBER_ID, SMS_LOGIN, SMS_PASSWORD, Provider

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2024, 11, 20, 10, 0, tzinfo=WITA)
APP_SECRET = "loopback-app-secret"
VERIFY_TOKEN = "loopback-verify-token"
SIGNING_KEY = "loopback-signing-key"
OFFICER_PHONE = "+6281100000001"
LURAH_PHONE = "+6281200000002"
CAMAT_PHONE = "+6281300000003"
STRANGER_PHONE = "+6281999999999"
_ids = itertools.count(1)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def provider():
    with Provider() as server:
        yield server


@pytest.fixture
def channels(settings, provider):
    """Both channels on, their APIs on loopback."""
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.WHATSAPP_ACCESS_TOKEN = ACCESS_TOKEN
    settings.WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
    settings.WHATSAPP_API_URL = f"{provider.base}/v21.0"
    settings.SMS_GATEWAY_SIGNING_KEY = SIGNING_KEY
    settings.SMS_GATEWAY_URL = f"{provider.base}/3rdparty/v1"
    settings.SMS_GATEWAY_LOGIN = SMS_LOGIN
    settings.SMS_GATEWAY_PASSWORD = SMS_PASSWORD
    return provider


@pytest.fixture
def eager():
    """Tasks run in the process at once (after commit), as a worker would run them."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def contacts(samarinda, officer, election):
    now = timezone.now()
    make = lambda **data: contact_create(regency=samarinda, by=officer, now=now, data=data)  # noqa: E731
    return {
        "officer": make(phone=OFFICER_PHONE, name="Petugas Samarinda", role="officer", user=officer),
        "lurah": make(phone=LURAH_PHONE, name="Bu Lurah Satu", role="lurah",
                      village=Village.objects.get(pk="64.72.01.1001")),
        "camat": make(phone=CAMAT_PHONE, name="Pak Camat Dua", role="camat",
                      district=District.objects.get(pk="64.72.02")),
    }


def wa_text(phone, text, *, message_id=None, at=None):
    """A WhatsApp Cloud API notification with one text message (the documented shape)."""
    return _wa({"from": phone.lstrip("+"), "id": message_id or f"wamid.IN{next(_ids):08d}",
                "timestamp": str(int((at or timezone.now()).timestamp())), "type": "text", "text": {"body": text}},
               phone)


def wa_image(phone, media_id, *, caption=None, message_id=None):
    image = {"mime_type": "image/jpeg", "sha256": "x", "id": media_id}
    if caption is not None:
        image["caption"] = caption
    return _wa({"from": phone.lstrip("+"), "id": message_id or f"wamid.IN{next(_ids):08d}",
                "timestamp": str(int(timezone.now().timestamp())), "type": "image", "image": image}, phone)


def _wa(message, phone):
    return {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Pengirim"}, "wa_id": phone.lstrip("+")}],
            "messages": [message],
        },
        "field": "messages",
    }]}]}


def wa_status(wamid, status="delivered", recipient="6281100000001"):
    return {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
            "statuses": [{"id": wamid, "status": status, "timestamp": str(int(timezone.now().timestamp())),
                          "recipient_id": recipient, "conversation": {"id": "c1", "origin": {"type": "service"}},
                          "pricing": {"billable": True, "pricing_model": "PMP", "category": "service"}}],
        },
        "field": "messages",
    }]}]}


def sms_received(phone, text, *, event_id=None):
    """An SMS Gateway for Android `sms:received` event (the documented shape)."""
    return {"deviceId": "ffffffffceb0b1db0000018e937c815b", "event": "sms:received",
            "id": event_id or f"Ey6ECgOkVVFjz3C{next(_ids):06d}", "webhookId": "LreFUt-Z3sSq0JufY9uWB",
            "payload": {"messageId": "abc123", "message": text, "phoneNumber": phone, "simNumber": 1,
                        "receivedAt": timezone.localtime().isoformat()}}


def wa_post(client, payload, *, secret=APP_SECRET, signature=None):
    body = json.dumps(payload).encode()
    signature = signature if signature is not None else (
        "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest())
    headers = {"HTTP_X_HUB_SIGNATURE_256": signature} if signature else {}
    return client.post("/intake/whatsapp/", body, content_type="application/json", **headers)


def sms_post(client, payload, *, key=SIGNING_KEY, timestamp=None, signature=None):
    body = json.dumps(payload).encode()
    timestamp = str(int(timezone.now().timestamp())) if timestamp is None else timestamp
    signature = signature if signature is not None else hmac.new(
        key.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()
    return client.post("/intake/sms/", body, content_type="application/json",
                       HTTP_X_SIGNATURE=signature, HTTP_X_TIMESTAMP=timestamp)
