"""The first answer to each (user, Idempotency-Key): a repeated create gets it again instead of a new record."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_MAX_LENGTH = 100


class IdempotentRequest(models.Model):
    """A create that succeeded under a client's key; stored in the same transaction as the record it made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("kunci"), max_length=KEY_MAX_LENGTH)
    # "POST /api/v1/daily-reports/" or a web form's name: the same key for another request is refused.
    endpoint = models.CharField(_("tujuan"), max_length=200)
    status_code = models.PositiveSmallIntegerField(_("kode status"))
    body = models.JSONField(_("jawaban"), null=True, blank=True, encoder=DjangoJSONEncoder)
    location = models.CharField(_("alamat hasil"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"))

    class Meta:
        verbose_name = _("permintaan idempoten")
        verbose_name_plural = _("permintaan idempoten")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_idempotent_request_per_user_key")]

    def __str__(self):
        return f"{self.user_id} {self.key}"
