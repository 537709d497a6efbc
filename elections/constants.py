"""Choices of the elections app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContestKind(models.TextChoices):
    GOVERNOR = "governor", _("Gubernur dan wakil gubernur")
    LOCAL = "local", _("Bupati/wali kota dan wakilnya")
