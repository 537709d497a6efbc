"""Field messages as received (the raw event first), what they did, and the replies sent for them."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scope import ScopedQuerySet, desk_scope

from .constants import DELIVERY_LABELS, REPLY_MAX_LENGTH, Channel, Kind, Outcome, SendState, State


def photo_upload_to(instance, filename):
    """A random name; the photo is served only through a view that checks the viewer's scope."""
    extension = "png" if filename.lower().endswith(".png") else "jpg"
    return f"intake/{uuid.uuid4().hex}.{extension}"


class InboundMessageQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """Officer: their regency's; secretariat: the province's and the unregistered numbers'; admin: all."""
        scope = desk_scope(user)
        visible = scope.regency_q("regency")
        if scope.is_secretariat and scope.province_code:
            visible |= Q(regency__isnull=True)
        return self.filter(visible)


class InboundMessage(models.Model):
    """One message from the field, stored by the webhook before anything else happens.

    `provider_id` (WhatsApp's message id, the SMS gateway's event id) is unique per channel: the same
    event delivered again stores nothing new. A worker applies it once (`state` received -> done).
    """

    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    provider_id = models.CharField(_("id pesan penyedia"), max_length=200)
    sender = models.CharField(_("pengirim"), max_length=32)
    # The provider's own form of the sender (WhatsApp's wa_id has no "+"): replies go back to it.
    reply_to = models.CharField(_("alamat balasan"), max_length=32)
    received_at = models.DateTimeField(_("diterima pada"), db_index=True)
    sent_at = models.DateTimeField(_("dikirim pada (menurut penyedia)"), null=True, blank=True)
    text = models.TextField(_("teks"), blank=True)
    media_id = models.CharField(_("id media"), max_length=200, blank=True)
    raw = models.JSONField(_("peristiwa mentah"))
    state = models.CharField(_("tahap"), max_length=10, choices=State.choices, default=State.RECEIVED)

    # Filled when applied.
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="messages",
        verbose_name=_("kontak"),
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("kabupaten/kota"),
    )
    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("kecamatan"),
    )
    village = models.ForeignKey(
        "regions.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("kelurahan/desa"),
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, blank=True)
    outcome = models.CharField(_("hasil"), max_length=12, choices=Outcome.choices, blank=True)
    # What the parser read: the situation and summary of a report, the TPS number and status, etc.
    parsed = models.JSONField(_("hasil baca"), default=dict, blank=True)
    rate_limited = models.BooleanField(_("dibatasi"), default=False)
    reply = models.TextField(_("balasan"), blank=True, max_length=REPLY_MAX_LENGTH)
    applied_at = models.DateTimeField(_("diterapkan pada"), null=True, blank=True)
    report = models.ForeignKey(
        "reports.DailyReport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("laporan harian"),
    )
    photo = models.FileField(_("foto"), upload_to=photo_upload_to, max_length=200, blank=True)
    # The incident the officer made from a photo draft; an INFO note taken into a report.
    incident = models.ForeignKey(
        "violations.ViolationIncident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("insiden"),
    )
    taken_into_report_at = models.DateTimeField(_("dimasukkan ke laporan pada"), null=True, blank=True)

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("pesan lapangan")
        verbose_name_plural = _("pesan lapangan")
        constraints = [
            models.UniqueConstraint(fields=["channel", "provider_id"], name="inbound_unique_provider_id"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="inbound_channel_valid"),
            models.CheckConstraint(condition=Q(state__in=State.values), name="inbound_state_valid"),
            models.CheckConstraint(condition=Q(kind="") | Q(kind__in=Kind.values), name="inbound_kind_valid"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values), name="inbound_outcome_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["sender", "received_at"], name="inbound_sender_time"),
            models.Index(fields=["regency", "received_at"], name="inbound_regency_time"),
            models.Index(fields=["state"], condition=Q(state=State.RECEIVED), name="inbound_waiting"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.sender}: {self.text[:40]}"


class OutboundMessage(models.Model):
    """The reply to one inbound message (at most one: unique), sent by a worker after commit, retried."""

    inbound = models.OneToOneField(InboundMessage, on_delete=models.CASCADE, related_name="outbound")
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    to = models.CharField(_("kepada"), max_length=32)
    text = models.TextField(_("teks"), max_length=REPLY_MAX_LENGTH)
    state = models.CharField(_("tahap"), max_length=10, choices=SendState.choices, default=SendState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    claimed_at = models.DateTimeField(_("diambil pada"), null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    provider_id = models.CharField(_("id pesan penyedia"), max_length=200, blank=True, db_index=True)
    # The last delivery status the provider reported (sent, delivered, read, failed).
    delivery = models.CharField(_("status pengiriman"), max_length=20, blank=True)
    last_error = models.CharField(_("kesalahan terakhir"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("balasan")
        verbose_name_plural = _("balasan")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SendState.values), name="outbound_state_valid"),
        ]
        indexes = [
            models.Index(fields=["state"], condition=Q(state__in=["pending", "sending"]), name="outbound_unsent"),
        ]

    def __str__(self):
        return f"{self.channel} -> {self.to}: {self.text[:40]}"

    @property
    def status_label(self):
        """The reply's delivery as the desk reads it: the provider's last status, else how far our sending got."""
        if self.delivery:
            return DELIVERY_LABELS.get(self.delivery, self.delivery)
        return self.get_state_display()


class DeliveryStatus(models.Model):
    """A provider's status event for a message we sent, stored as received (each status once)."""

    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    provider_id = models.CharField(_("id pesan penyedia"), max_length=200)
    status = models.CharField(_("status"), max_length=20)
    at = models.DateTimeField(_("pada"))
    raw = models.JSONField(_("peristiwa mentah"))

    class Meta:
        verbose_name = _("status pengiriman")
        verbose_name_plural = _("status pengiriman")
        constraints = [
            models.UniqueConstraint(fields=["channel", "provider_id", "status"], name="delivery_status_once"),
        ]

    def __str__(self):
        return f"{self.provider_id}: {self.status}"

