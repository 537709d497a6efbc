"""Outbound channels: WhatsApp Business Cloud API (Graph API) and SMS Gateway for Android.

`send_text` (and `send_template`, WhatsApp's approved template message, the only kind WhatsApp delivers
to a person who has not written in the last 24 hours) returns the provider's id of the sent message; it
raises ChannelError when the provider refused or could not be reached (the caller retries). A channel
without sending credentials prints the message to the console instead (as under `make run`). Secrets
never appear in errors or logs.
"""

import logging
import sys
import uuid

import requests
from android_sms_gateway import client as sms_client
from android_sms_gateway import domain as sms_domain
from android_sms_gateway.errors import APIError as SmsAPIError
from android_sms_gateway.http import RequestsHttpClient
from django.conf import settings

logger = logging.getLogger(__name__)

TIMEOUT = (5, 20)  # connect, read (seconds)
WHATSAPP = "whatsapp"
SMS = "sms"


class ChannelError(Exception):
    """The provider refused the request or could not be reached; worth retrying later."""


class MediaTooLarge(Exception):
    """The media is larger than the caller accepts; `size` is what was seen (declared or read)."""

    def __init__(self, size):
        super().__init__(size)
        self.size = size


class _TimeoutSession(requests.Session):
    """A session that never waits forever (the SMS client sends without a timeout of its own)."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


def whatsapp_configured() -> bool:
    return bool(settings.WHATSAPP_ACCESS_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID)


def sms_configured() -> bool:
    return bool(settings.SMS_GATEWAY_URL and settings.SMS_GATEWAY_PASSWORD)


def _graph_url(*parts: str) -> str:
    return "/".join([settings.WHATSAPP_API_URL.rstrip("/"), *parts])


def _graph_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"}


def _whatsapp_send(to: str, text: str) -> str:
    return _whatsapp_post({
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": to.lstrip("+"),
        "type": "text", "text": {"preview_url": False, "body": text},
    })


def _whatsapp_post(body: dict) -> str:
    try:
        response = requests.post(_graph_url(settings.WHATSAPP_PHONE_NUMBER_ID, "messages"), json=body,
                                 headers=_graph_headers(), timeout=TIMEOUT)
    except requests.RequestException as error:
        raise ChannelError(f"WhatsApp tidak terjangkau: {type(error).__name__}") from None
    if response.status_code != 200:
        raise ChannelError(f"WhatsApp menolak ({response.status_code}): {response.text[:300]}")
    try:
        return response.json()["messages"][0]["id"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise ChannelError("Jawaban WhatsApp tanpa id pesan.") from None


def _sms_send(to: str, text: str) -> str:
    login = settings.SMS_GATEWAY_LOGIN or None
    with _TimeoutSession() as session:
        api = sms_client.APIClient(login, settings.SMS_GATEWAY_PASSWORD, base_url=settings.SMS_GATEWAY_URL,
                                   http=RequestsHttpClient(session))
        message = sms_domain.Message(phone_numbers=[to], text_message=sms_domain.TextMessage(text=text),
                                     with_delivery_report=True)
        try:
            return api.send(message).id
        except SmsAPIError as error:
            raise ChannelError(f"SMS gateway menolak ({getattr(error, 'status_code', '?')}).") from None
        except (requests.RequestException, ValueError, KeyError, TypeError) as error:
            raise ChannelError(f"SMS gateway tidak terjangkau/tidak sah: {type(error).__name__}") from None


def send_text(*, channel: str, to: str, text: str) -> str:
    """Send `text` to the E.164 number `to` on `channel`; the provider's message id."""
    if channel == WHATSAPP and whatsapp_configured():
        return _whatsapp_send(to, text)
    if channel == SMS and sms_configured():
        return _sms_send(to, text)
    # Not configured (make run): shown on the console where the worker runs.
    sys.stdout.write(f"[{channel} -> {to}] {text}\n")
    sys.stdout.flush()
    return f"console-{uuid.uuid4().hex}"


def send_template(*, to: str, name: str, params: list[str], language: str = "id") -> str:
    """Send the approved WhatsApp template `name` to `to`, its body's {{1}}, {{2}}, ... filled with `params`.

    The provider's message id. WhatsApp refuses line breaks, tabs and runs of spaces in a parameter:
    each is sent on one line.
    """
    params = [" ".join(str(param).split()) or "-" for param in params]
    if not whatsapp_configured():
        sys.stdout.write(f"[{WHATSAPP} template {name} -> {to}] {' | '.join(params)}\n")
        sys.stdout.flush()
        return f"console-{uuid.uuid4().hex}"
    return _whatsapp_post({
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": to.lstrip("+"),
        "type": "template", "template": {
            "name": name, "language": {"code": language},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": param} for param in params]}],
        },
    })


def whatsapp_media_download(media_id: str, *, max_bytes: int) -> tuple[bytes, str]:
    """The bytes and declared MIME type of a WhatsApp media: GET /{media-id} gives its URL, then GET that URL.

    ChannelError when WhatsApp is unreachable or refuses; MediaTooLarge when the file is larger than `max_bytes`.
    """
    if not settings.WHATSAPP_ACCESS_TOKEN:
        raise ChannelError("WHATSAPP_ACCESS_TOKEN belum diatur: media tidak dapat diunduh.")
    try:
        response = requests.get(_graph_url(media_id), headers=_graph_headers(), timeout=TIMEOUT)
        if response.status_code != 200:
            raise ChannelError(f"WhatsApp menolak media ({response.status_code}).")
        info = response.json()
        if not isinstance(info, dict):
            raise TypeError("not an object")
        declared = int(info.get("file_size") or 0)
        if declared > max_bytes:
            raise MediaTooLarge(declared)
        with requests.get(info["url"], headers=_graph_headers(), timeout=TIMEOUT, stream=True) as download:
            if download.status_code != 200:
                raise ChannelError(f"WhatsApp menolak unduhan media ({download.status_code}).")
            content = bytearray()
            for chunk in download.iter_content(64 * 1024):
                content += chunk
                if len(content) > max_bytes:
                    raise MediaTooLarge(len(content))
    except requests.RequestException as error:
        raise ChannelError(f"WhatsApp tidak terjangkau: {type(error).__name__}") from None
    except (KeyError, TypeError, ValueError) as error:
        raise ChannelError(f"Jawaban media WhatsApp tidak sah: {type(error).__name__}") from None
    return bytes(content), str(info.get("mime_type") or "")
