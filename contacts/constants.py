"""Choices of the field contacts."""

from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 120


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
