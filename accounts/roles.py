"""The desk roles, kept as Django groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Petugas desk kabupaten/kota")
    SECRETARIAT = "secretariat", _("Sekretariat desk provinsi")
    NATIONAL = "national", _("Desk nasional (Kemendagri)")
    ADMIN = "admin", _("Administrator")
