"""The people a regency desk hears from by WhatsApp or SMS, and the officers' own phones."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Left
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from .constants import NAME_MAX_LENGTH, ContactRole, NotifyBy
from .querysets import ContactQuerySet


class Contact(models.Model):
    """A phone the desk accepts field messages from, placed in a regency (and its district or village)."""

    phone = PhoneNumberField(_("nomor telepon"), region="ID")
    name = models.CharField(_("nama"), max_length=NAME_MAX_LENGTH)
    role = models.CharField(_("peran"), max_length=10, choices=ContactRole.choices)
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="contacts", verbose_name=_("kabupaten/kota"),
    )
    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, null=True, blank=True, related_name="contacts",
        verbose_name=_("kecamatan"),
    )
    village = models.ForeignKey(
        "regions.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="contacts",
        verbose_name=_("kelurahan/desa"),
    )
    # An officer's own phone: messages from it act for that officer (daily reports).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="field_contacts",
        verbose_name=_("akun petugas"),
    )
    active = models.BooleanField(_("aktif"), default=True)
    # An officer's own phone may also receive, by WhatsApp or SMS, the reminders and flag notices mailed to them.
    notify_by = models.CharField(
        _("pengingat lewat"), max_length=10, choices=NotifyBy.choices, default=NotifyBy.NONE,
        db_default=NotifyBy.NONE,
    )
    # The last WhatsApp message from this phone: WhatsApp's 24-hour window for free text starts there.
    # Set by intake, never edited; not a version of the contact.
    last_whatsapp_at = models.DateTimeField(_("pesan WhatsApp terakhir"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat pada"))

    objects = ContactQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["last_whatsapp_at"])

    class Meta:
        ordering = ["regency_id", "district_id", "village_id", "name", "pk"]
        verbose_name = _("kontak lapangan")
        verbose_name_plural = _("kontak lapangan")
        constraints = [
            # One phone belongs to at most one active contact; deactivated ones keep their number.
            models.UniqueConstraint(fields=["phone"], condition=Q(active=True), name="contact_one_active_per_phone"),
            models.CheckConstraint(condition=~Q(name=""), name="contact_name_not_empty"),
            models.CheckConstraint(condition=Q(role__in=ContactRole.values), name="contact_role_valid"),
            # District and village codes begin with their regency's (and the village's with its district's).
            models.CheckConstraint(
                condition=Q(district__isnull=True) | Q(regency=Left(F("district"), 5)),
                name="contact_district_in_regency",
            ),
            models.CheckConstraint(
                condition=Q(village__isnull=True) | Q(regency=Left(F("village"), 5)),
                name="contact_village_in_regency",
            ),
            models.CheckConstraint(
                condition=Q(village__isnull=True) | Q(district__isnull=False, district=Left(F("village"), 8)),
                name="contact_village_in_district",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True) | Q(role=ContactRole.OFFICER), name="contact_user_is_officer",
            ),
            models.CheckConstraint(condition=Q(notify_by__in=NotifyBy.values), name="contact_notify_by_valid"),
            # Notices go to an account's own phone: only a contact tied to an officer's account receives them.
            models.CheckConstraint(
                condition=Q(notify_by=NotifyBy.NONE) | Q(user__isnull=False), name="contact_notify_by_needs_user",
            ),
        ]
        indexes = [models.Index(fields=["regency", "active"], name="contact_regency_active")]

    def __str__(self):
        return f"{self.name} ({self.phone})"

    @property
    def place(self):
        """The most precise region the contact speaks for."""
        return self.village or self.district or self.regency
