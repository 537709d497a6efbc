"""Choices and limits of the field messages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# A webhook body larger than this is refused unread (a WhatsApp or SMS event is a few kilobytes).
MAX_BODY_BYTES = 1024 * 1024
# An SMS Gateway event signed longer ago (or further ahead) than this is refused: a replayed request.
SMS_SIGNATURE_MAX_AGE_SECONDS = 5 * 60
TEXT_MAX_LENGTH = 4096
REPLY_MAX_LENGTH = 1000
# Sending a reply is tried this many times (Celery retries, then the sweep) before it is given up.
SEND_MAX_ATTEMPTS = 8
# The delivery statuses the providers report for a reply we sent (SMS has no "read"), as the desk reads them.
DELIVERY_LABELS = {
    "sent": _("Terkirim"), "delivered": pgettext_lazy("reply delivery", "Diterima"), "read": _("Dibaca"),
    "failed": _("Gagal terkirim"),
}


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")


class Kind(models.TextChoices):
    NIL_REPORT = "nil_report", _("Laporan nihil")
    REPORT = "report", _("Laporan harian")
    INFO = "info", _("Info lapangan")
    PHOTO = "photo", _("Foto")
    TPS = "tps", _("Status TPS")
    UNKNOWN = "unknown", _("Tidak dikenali")


class Outcome(models.TextChoices):
    APPLIED = "applied", _("Diterapkan")
    REFUSED = "refused", _("Ditolak")
    DRAFT = "draft", _("Draf")
    UNREGISTERED = "unregistered", _("Nomor belum terdaftar")


class State(models.TextChoices):
    """Where a stored message stands: `received` until a worker has parsed and applied it (once)."""

    RECEIVED = "received", _("Diterima")
    DONE = "done", _("Selesai")


class SendState(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class TpsStatus(models.TextChoices):
    """What a `TPS <nomor> …` message says (applied by the voting-day app)."""

    OPEN = "open", _("Buka")
    CLOSED = "closed", _("Tutup")
    DONE = "done", _("Selesai")
    PROBLEM = "problem", _("Masalah")
