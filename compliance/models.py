"""Compliance flags raised by the scheduled job, and the outbox of notices it sends."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from core.validators import bounded_text_validators
from votingday.constants import RecapLevel, Round

from .querysets import FlagQuerySet

# The secretariat's reason for closing a flag by hand.
FLAG_NOTE_MAX_LENGTH = 1000


class FlagKind(models.TextChoices):
    MISSED_DAILY_REPORT = "missed_daily_report", _("Laporan harian tidak masuk")
    LOGISTICS_UNCONFIRMED = "logistics_unconfirmed", _("Logistik belum terkonfirmasi")
    MISSED_VOTING_ROUND = "missed_voting_round", _("Laporan tahap hari pencoblosan tidak masuk")
    RECAP_OVERDUE = "recap_overdue", _("Rekapitulasi melewati jadwal")


class Resolution(models.TextChoices):
    LATE_REPORT = "late_report", _("Laporan terlambat masuk")
    EXCUSED = "excused", _("Dikecualikan sekretariat")
    RECEIPTS = "receipts", _("Penerimaan logistik lengkap")
    DISMISSED = "dismissed", _("Ditutup sekretariat")
    ROUND_IN = "round_in", _("Laporan tahap masuk")
    RECAP_DONE = "recap_done", _("Rekapitulasi selesai")


# The one flag that belongs to no regency: the province KPU's own recapitulation not done in its window.
PROVINCE_FLAG = Q(kind=FlagKind.RECAP_OVERDUE, subject=RecapLevel.PROVINCE)


class Flag(models.Model):
    """A regency that missed a deadline: its daily report for `date`, the logistics confirmation, a voting-day
    round or a recapitulation level; or the province (no regency) whose own recapitulation is overdue."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="flags")
    # None only for the province level's `recap_overdue` (PROVINCE_FLAG): the province's secretariat answers.
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="flags", null=True,
                                blank=True)
    kind = models.CharField(_("jenis"), max_length=30, choices=FlagKind.choices)
    date = models.DateField(_("tanggal"))
    # What of that day: the voting-day round or the recapitulation level ("" for the daily flags).
    subject = models.CharField(_("tahap/tingkat"), max_length=20, blank=True, default="", db_default="")
    # The deadline that was missed, not the moment the job noticed.
    raised_at = models.DateTimeField(_("dimunculkan"))
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    resolution = models.CharField(_("penyelesaian"), max_length=20, choices=Resolution.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(
        _("catatan"), blank=True, max_length=FLAG_NOTE_MAX_LENGTH,
        validators=bounded_text_validators(FLAG_NOTE_MAX_LENGTH),
    )

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "regency_id", "kind"]
        verbose_name = _("tanda kepatuhan")
        verbose_name_plural = _("tanda kepatuhan")
        constraints = [
            models.UniqueConstraint(fields=["regency", "kind", "date", "subject"],
                                    name="flag_unique_regency_kind_date_subject"),
            # Without a regency the key is the election's (NULL regencies never collide above).
            models.UniqueConstraint(fields=["election", "kind", "date", "subject"], condition=Q(regency__isnull=True),
                                    name="flag_unique_province_kind_date_subject"),
            models.CheckConstraint(
                condition=Q(regency__isnull=True) & PROVINCE_FLAG | Q(regency__isnull=False) & ~PROVINCE_FLAG,
                name="flag_regency_unless_province_recap",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolution="")
                | Q(resolved_at__isnull=False) & ~Q(resolution=""),
                name="flag_resolution_with_time",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), FLAG_NOTE_MAX_LENGTH), name="flag_note_bounded"
            ),
        ]
        indexes = [models.Index(fields=["election", "kind", "resolved_at"], name="flag_open_lookup")]

    def __str__(self):
        return f"{self.regency_id or RecapLevel.PROVINCE} {self.kind} {self.date} {self.subject}".rstrip()

    @property
    def place_name(self):
        """Where the flag is: the regency's name, or the province's for a province-level flag."""
        return self.regency.name if self.regency_id else self.election.province.name

    @property
    def place_code(self):
        """The regency's code, or the province's for a province-level flag."""
        return self.regency_id or self.election.province_id

    @property
    def is_open(self):
        return self.resolved_at is None

    @property
    def subject_display(self):
        """The round or recapitulation level the flag is about, in words ("" for the daily flags)."""
        labels = {**dict(Round.choices), **dict(RecapLevel.choices)}
        return labels.get(self.subject, self.subject)


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Pengingat laporan harian")
    FLAG_RAISED = "flag_raised", _("Pemberitahuan tanda kepatuhan")
    DIGEST = "digest", _("Ringkasan harian sekretariat")


class NoticeChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")


class Notice(models.Model):
    """One message in the outbox: an e-mail, or a WhatsApp/SMS to one officer's phone.

    (`key`, `channel`, `phone`) makes each notice exist once per channel and phone; a guarded claim sends it
    once. A WhatsApp row carries its text (`body`, sent inside WhatsApp's 24-hour window) and its approved
    template (`template`: name and body parameters, sent outside it); which one is decided when it leaves.
    """

    MAX_ATTEMPTS = 5

    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    channel = models.CharField(max_length=10, choices=NoticeChannel.choices, default=NoticeChannel.EMAIL,
                               db_default=NoticeChannel.EMAIL)
    recipients = models.JSONField(default=list)  # the e-mail addresses
    phone = models.CharField(max_length=16, blank=True, default="", db_default="")  # E.164, WhatsApp and SMS
    subject = models.CharField(max_length=200)
    body = models.TextField()
    template = models.JSONField(default=dict, blank=True)  # {"name": ..., "params": [...]} (WhatsApp)
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # The provider's id of the message sent (WhatsApp's wamid, the SMS gateway's id); "" for e-mail.
    provider_id = models.CharField(max_length=200, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        constraints = [
            models.UniqueConstraint(fields=["key", "channel", "phone"], name="notice_unique_key_channel_phone"),
            models.CheckConstraint(condition=Q(channel__in=NoticeChannel.values), name="notice_channel_valid"),
            # An e-mail has addresses and no phone; a WhatsApp or SMS notice has exactly one phone.
            models.CheckConstraint(
                condition=Q(channel=NoticeChannel.EMAIL, phone="") | ~Q(channel=NoticeChannel.EMAIL) & ~Q(phone=""),
                name="notice_phone_for_phone_channels",
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "attempts"], name="notice_pending")]

    def __str__(self):
        return f"{self.key} {self.channel} {self.phone}".rstrip()

    @classmethod
    def by_phone(cls, recipients, *, key: str, kind: str, subject: str, text: str, template: str,
                 params: list[str], created_at) -> list["Notice"]:
        """The WhatsApp/SMS rows of one notice: one per (channel, phone) of `recipients`, unsaved.

        `text` is what SMS and WhatsApp inside its 24-hour window carry; outside it WhatsApp carries the
        approved template named `template` with its body parameters `params`.
        """
        approved = {"name": template, "language": settings.WHATSAPP_TEMPLATE_LANGUAGE,
                    "params": [str(param) for param in params]}
        return [
            cls(key=key, kind=kind, channel=channel, phone=phone, subject=subject, body=text,
                template=approved if channel == NoticeChannel.WHATSAPP else {}, created_at=created_at)
            for channel, phone in recipients
        ]
