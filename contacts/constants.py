"""Choices of the field contacts."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 120
# WhatsApp accepts free text to a person only this long after their last message to us; then a template.
WHATSAPP_SERVICE_WINDOW = dt.timedelta(hours=24)


class ContactRole(models.TextChoices):
    OFFICER = "officer", _("Petugas desk")
    CAMAT = "camat", _("Camat")
    LURAH = "lurah", _("Lurah")
    KADES = "kades", _("Kepala desa")
    PPK = "ppk", _("PPK")
    PPS = "pps", _("PPS")
    KPU = "kpu", _("KPU")
    POLICE = "police", _("Kepolisian")
    OTHER = "other", _("Lainnya")


class NotifyBy(models.TextChoices):
    """How an officer's own phone receives the reminders and flag notices the account gets by e-mail."""

    NONE = "none", _("Tidak dikirim")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
