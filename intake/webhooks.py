"""The providers' webhooks: authenticated only by their signature (no session, no CSRF token).

Each stores the raw events and answers 200 at once; a worker applies them (services).
A channel whose secret is unset is off: 404. A wrong or missing signature: 403, nothing stored.
A body over 1 MB: 413, unread.
"""

import hmac
import json

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseNotFound, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .constants import MAX_BODY_BYTES, SMS_SIGNATURE_MAX_AGE_SECONDS
from .providers import sms_events, sms_signature_valid, whatsapp_events, whatsapp_signature_valid
from .services import webhook_store


def _body_or_none(request) -> bytes | None:
    """The raw body, or None when it is (or says it is) larger than MAX_BODY_BYTES."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if declared > MAX_BODY_BYTES:
        return None
    body = request.read(MAX_BODY_BYTES + 1)
    return None if len(body) > MAX_BODY_BYTES else body


def _too_large():
    return HttpResponse("Payload Too Large", status=413, content_type="text/plain")


def _json(body: bytes):
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp(request):
    if not settings.WHATSAPP_APP_SECRET:
        return HttpResponseNotFound()
    if request.method == "GET":
        # The subscription handshake: echo the challenge when the verify token matches.
        token = request.GET.get("hub.verify_token", "")
        if (request.GET.get("hub.mode") == "subscribe" and settings.WHATSAPP_VERIFY_TOKEN
                and hmac.compare_digest(token.encode(), settings.WHATSAPP_VERIFY_TOKEN.encode())):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponseForbidden()
    body = _body_or_none(request)
    if body is None:
        return _too_large()
    if not whatsapp_signature_valid(secret=settings.WHATSAPP_APP_SECRET, body=body,
                                    header=request.headers.get("X-Hub-Signature-256", "")):
        return HttpResponseForbidden()
    payload = _json(body)
    if payload is None:
        return JsonResponse({"detail": "invalid JSON"}, status=400)
    messages, statuses = whatsapp_events(payload)
    stored = webhook_store(events=messages, statuses=statuses, now=timezone.now())
    return JsonResponse({"stored": len(stored)})


@csrf_exempt
@require_http_methods(["POST"])
def sms(request):
    if not settings.SMS_GATEWAY_SIGNING_KEY:
        return HttpResponseNotFound()
    body = _body_or_none(request)
    if body is None:
        return _too_large()
    if not sms_signature_valid(key=settings.SMS_GATEWAY_SIGNING_KEY, body=body,
                               timestamp=request.headers.get("X-Timestamp", ""),
                               signature=request.headers.get("X-Signature", ""), now=timezone.now(),
                               max_age_seconds=SMS_SIGNATURE_MAX_AGE_SECONDS):
        return HttpResponseForbidden()
    payload = _json(body)
    if payload is None:
        return JsonResponse({"detail": "invalid JSON"}, status=400)
    messages, statuses = sms_events(payload)
    stored = webhook_store(events=messages, statuses=statuses, now=timezone.now())
    return JsonResponse({"stored": len(stored)})

