"""The coordination meetings (Rakor) of a provincial secretariat with its regency desks.

A meeting is held on Zoom at a moment stored in UTC and shown in the election's
zone; it records who attended for each regency, the minutes, and the decisions
as action items assigned to a regency. "Since the previous meeting" in the
brief means since the start of the meeting before. The secretariat may cancel a
meeting (who, when, why are kept); a cancelled meeting is nobody's next or
previous Rakor. Records change only through `services`; every edit is kept by
django-simple-history.

A meeting's date lies inside its election's reporting window: that rule reads
another table, so `services` enforces it (a CheckConstraint cannot).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import ActionItemQuerySet, AttendanceQuerySet, CoordinationMeetingQuerySet

MAX_DURATION_MINUTES = 8 * 60
AGENDA_MAX_LENGTH = 2000
MINUTES_MAX_LENGTH = 20000
ACTION_MAX_LENGTH = 1000
CANCEL_REASON_MAX_LENGTH = 500

# The only join links accepted: https on zoom.us or one sub-domain of it (us02web.zoom.us, a company's vanity
# host), the path /j/<meeting ID> or a personal room /my/<name>, an optional plain query (?pwd=...), no fragment.
# The host is lower-cased before the check (services.zoom_join_url_problem).
ZOOM_JOIN_URL_REGEX = (
    r"^https://([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)?zoom\.us/(j/[0-9]{9,12}|my/[A-Za-z0-9._-]{1,64})"
    r"(\?[A-Za-z0-9._~=&%+-]*)?$"
)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Terjadwal")
    CANCELLED = "cancelled", _("Dibatalkan")


class CoordinationMeeting(models.Model):
    """One Rakor of an election's provincial secretariat with the regency desks."""

    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, related_name="coordination_meetings",
        verbose_name=_("pemilihan"),
    )
    title = models.CharField(_("judul"), max_length=150)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("berakhir"))
    join_url = models.URLField(_("tautan Zoom"), max_length=500)
    zoom_meeting_id = models.CharField(_("ID rapat Zoom"), max_length=20)
    passcode = models.CharField(_("kode sandi"), max_length=20, blank=True)
    agenda = models.TextField(_("agenda"), max_length=AGENDA_MAX_LENGTH)
    minutes = models.TextField(_("notulen"), blank=True, max_length=MINUTES_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dijadwalkan oleh")
    )
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    cancelled_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("dibatalkan oleh"),
    )
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True, max_length=CANCEL_REASON_MAX_LENGTH)

    history = HistoricalRecords()
    objects = CoordinationMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("rakor")
        verbose_name_plural = _("rakor")
        constraints = [
            # A cancelled meeting does not hold its slot: another may be scheduled at that moment.
            models.UniqueConstraint(fields=["election", "starts_at"], condition=Q(status=MeetingStatus.SCHEDULED),
                                    name="one_meeting_per_election_and_start"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(condition=Q(join_url__startswith="https://"), name="meeting_join_url_https"),
            models.CheckConstraint(condition=Q(join_url__regex=ZOOM_JOIN_URL_REGEX), name="meeting_join_url_zoom"),
            models.CheckConstraint(
                condition=(Q(status=MeetingStatus.SCHEDULED, cancelled_at__isnull=True, cancelled_by__isnull=True,
                             cancel_reason="")
                           | (Q(status=MeetingStatus.CANCELLED, cancelled_at__isnull=False,
                                cancelled_by__isnull=False) & ~Q(cancel_reason=""))),
                name="meeting_cancelled_with_who_when_why",
            ),
            models.CheckConstraint(condition=Q(zoom_meeting_id__regex=r"^[0-9]{9,12}$"),
                                   name="meeting_zoom_id_digits"),
            models.CheckConstraint(condition=~Q(title="") & ~Q(agenda=""), name="meeting_title_and_agenda_given"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("agenda"), AGENDA_MAX_LENGTH)
                & LessThanOrEqual(Length("minutes"), MINUTES_MAX_LENGTH)
                & LessThanOrEqual(Length("cancel_reason"), CANCEL_REASON_MAX_LENGTH),
                name="meeting_texts_bounded",
            ),
        ]
        indexes = [models.Index(fields=["election", "ends_at"], name="meeting_election_ends")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("rakor:detail", args=[self.pk])

    @property
    def is_cancelled(self):
        return self.status == MeetingStatus.CANCELLED

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.election.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.election.zone)

    @property
    def zoom_meeting_id_display(self):
        """The ID grouped as Zoom shows it: 812 3456 7890."""
        digits = self.zoom_meeting_id
        return f"{digits[:3]} {digits[3:-4]} {digits[-4:]}" if len(digits) > 7 else digits


class MeetingAttendance(models.Model):
    """Whether a regency desk attended a meeting, and who joined for it."""

    meeting = models.ForeignKey(CoordinationMeeting, on_delete=models.CASCADE, related_name="attendances")
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota")
    )
    present = models.BooleanField(_("hadir"))
    attendees = models.CharField(_("nama yang hadir"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "regency_id"]
        verbose_name = _("kehadiran rakor")
        verbose_name_plural = _("kehadiran rakor")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "regency"], name="one_attendance_per_meeting_and_regency"),
            models.CheckConstraint(condition=Q(present=True) | Q(attendees=""), name="attendees_only_when_present"),
        ]

    def __str__(self):
        return f"{self.meeting} {self.regency_id}"


class ActionItem(models.Model):
    """A decision of a meeting that a regency desk must carry out by a due date."""

    meeting = models.ForeignKey(
        CoordinationMeeting, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("rakor")
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="rakor_action_items",
        verbose_name=_("kabupaten/kota"),
    )
    description = models.TextField(_("tindak lanjut"), max_length=ACTION_MAX_LENGTH)
    due_date = models.DateField(_("batas waktu"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dicatat pada"))
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("diselesaikan oleh"),
    )
    done_note = models.TextField(_("catatan penyelesaian"), blank=True, max_length=ACTION_MAX_LENGTH)

    history = HistoricalRecords()
    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "regency_id", "pk"]
        verbose_name = _("tindak lanjut rakor")
        verbose_name_plural = _("tindak lanjut rakor")
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="action_item_description_given"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), ACTION_MAX_LENGTH)
                & LessThanOrEqual(Length("done_note"), ACTION_MAX_LENGTH),
                name="action_item_texts_bounded",
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True, done_note="")
                | Q(done_at__isnull=False, done_by__isnull=False) & ~Q(done_note=""),
                name="action_item_done_with_who_when_and_note",
            ),
        ]
        indexes = [models.Index(fields=["regency", "done_at"], name="action_item_regency_open")]

    def __str__(self):
        return f"{self.regency_id}: {self.description[:60]}"

    @property
    def is_done(self):
        return self.done_at is not None
