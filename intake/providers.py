"""The providers' webhook shapes: signature checks and the events inside a verified body.

WhatsApp Business Cloud API: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` keyed
with the app secret; body `{"object": "whatsapp_business_account", "entry": [{"changes": [{"value":
{"messages": [...], "statuses": [...]}}]}]}`.
SMS Gateway for Android: `X-Signature` = hex HMAC-SHA256 of the raw body followed by the `X-Timestamp`
value (Unix seconds), keyed with the signing key; body `{"event": "sms:received", "id": ..., "payload":
{"message", "phoneNumber", "receivedAt", ...}}`. Its `payload.messageId` is derived from the content and
not unique (the gateway says so); the event's `id` is, and a retried delivery keeps it.
"""

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.utils.dateparse import parse_datetime

from .constants import TEXT_MAX_LENGTH, Channel


def _hmac_hex(key: str, message: bytes) -> str:
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def whatsapp_signature_valid(*, secret: str, body: bytes, header: str) -> bool:
    """Constant-time check of `X-Hub-Signature-256` against the raw body."""
    if not secret or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(_hmac_hex(secret, body), header.removeprefix("sha256=").strip().lower())


def sms_signature_valid(*, key: str, body: bytes, timestamp: str, signature: str, now: dt.datetime,
                        max_age_seconds: int) -> bool:
    """Constant-time check of `X-Signature` (over body + timestamp); a timestamp too far from `now` fails."""
    if not key or not timestamp.isdigit():
        return False
    if abs(now.timestamp() - int(timestamp)) > max_age_seconds:
        return False
    return hmac.compare_digest(_hmac_hex(key, body + timestamp.encode()), signature.strip().lower())


@dataclass
class IncomingEvent:
    channel: str
    provider_id: str
    sender: str
    sent_at: dt.datetime | None
    text: str
    media_id: str
    raw: dict


@dataclass
class StatusEvent:
    channel: str
    provider_id: str
    status: str
    at: dt.datetime | None
    raw: dict


def _unix(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _text(value: str) -> str:
    """Text the database can store: no NUL, no lone surrogate (JSON allows both, PostgreSQL neither)."""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _clean(value):
    """A parsed JSON value with every string made storable (the raw event is kept as received otherwise)."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_text(str(key)): _clean(item) for key, item in value.items()}
    return value


def _str(value, limit=200) -> str:
    return _text(value)[:limit] if isinstance(value, str) else ""


def whatsapp_events(body: dict) -> tuple[list[IncomingEvent], list[StatusEvent]]:
    """Messages and statuses in a WhatsApp notification; anything else in it is ignored."""
    messages, statuses = [], []
    if not isinstance(body, dict) or body.get("object") != "whatsapp_business_account":
        return messages, statuses
    for entry in body.get("entry") or []:
        for change in (entry.get("changes") or []) if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            for message in value.get("messages") or []:
                if not isinstance(message, dict) or not _str(message.get("id")) or not _str(message.get("from")):
                    continue
                kind = message.get("type")
                text, media_id = "", ""
                if kind == "text":
                    text = _str((message.get("text") or {}).get("body"), TEXT_MAX_LENGTH)
                elif kind == "image":
                    image = message.get("image") or {}
                    text = _str(image.get("caption"), TEXT_MAX_LENGTH)
                    media_id = _str(image.get("id"))
                messages.append(IncomingEvent(
                    channel=Channel.WHATSAPP, provider_id=_str(message["id"]), sender=_str(message["from"], 32),
                    sent_at=_unix(message.get("timestamp")), text=text, media_id=media_id,
                    raw=_clean({"message": message, "metadata": value.get("metadata"),
                                "contacts": value.get("contacts")}),
                ))
            for status in value.get("statuses") or []:
                if not isinstance(status, dict) or not _str(status.get("id")) or not _str(status.get("status")):
                    continue
                statuses.append(StatusEvent(
                    channel=Channel.WHATSAPP, provider_id=_str(status["id"]), status=_str(status["status"], 20),
                    at=_unix(status.get("timestamp")), raw=_clean(status),
                ))
    return messages, statuses


SMS_STATUS_EVENTS = {"sms:sent": "sent", "sms:delivered": "delivered", "sms:failed": "failed"}


def sms_events(body: dict) -> tuple[list[IncomingEvent], list[StatusEvent]]:
    """The received SMS, or the status of one we sent, in an SMS Gateway event."""
    if not isinstance(body, dict) or not isinstance(body.get("payload"), dict) or not _str(body.get("id")):
        return [], []
    payload, event = body["payload"], body.get("event")
    if event == "sms:received" and _str(payload.get("phoneNumber")):
        try:
            sent_at = parse_datetime(_str(payload.get("receivedAt")))
        except ValueError:
            sent_at = None
        return [IncomingEvent(
            channel=Channel.SMS, provider_id=_str(body["id"]), sender=_str(payload["phoneNumber"], 32),
            sent_at=sent_at if sent_at and sent_at.tzinfo else None,
            text=_str(payload.get("message"), TEXT_MAX_LENGTH), media_id="", raw=_clean(body),
        )], []
    if event in SMS_STATUS_EVENTS and _str(payload.get("messageId")):
        return [], [StatusEvent(channel=Channel.SMS, provider_id=_str(payload["messageId"]),
                                status=SMS_STATUS_EVENTS[event], at=None, raw=_clean(body))]
    return [], []
