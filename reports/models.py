"""The daily desk report of a regency/city, and the days the secretariat excuses.

Reports are created only by `services.report_submit` and changed only by the
services; every edit is kept by django-simple-history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import bounded_text_validators

from .constants import REASON_MAX_LENGTH, SUMMARY_MAX_LENGTH, Situation
from .querysets import DailyReportQuerySet, ExcusedDayQuerySet


class DailyReport(models.Model):
    """A regency desk's report of the current condition for one local date."""

    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, related_name="daily_reports", verbose_name=_("pemilihan")
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="daily_reports", verbose_name=_("kabupaten/kota")
    )
    report_date = models.DateField(_("tanggal laporan"))
    situation = models.CharField(_("situasi"), max_length=12, choices=Situation.choices)
    summary = models.TextField(
        _("ringkasan kondisi terkini"), max_length=SUMMARY_MAX_LENGTH,
        validators=bounded_text_validators(SUMMARY_MAX_LENGTH),
    )
    sources = models.JSONField(_("sumber informasi"), default=list, blank=True)
    # {district code: note}; only districts of the report's regency (checked by the services).
    district_notes = models.JSONField(_("catatan per kecamatan"), default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dikirim oleh")
    )
    submitted_at = models.DateTimeField(_("dikirim pada"))
    # When the officer finished it on the phone, by the phone's own clock (which may be wrong): shown as
    # such next to `submitted_at`. Lateness is decided by `submitted_at` alone.
    composed_at = models.DateTimeField(_("ditulis pada (jam ponsel)"), null=True, blank=True)
    is_late = models.BooleanField(_("terlambat"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ditinjau oleh"),
    )
    acknowledged_at = models.DateTimeField(_("ditinjau pada"), null=True, blank=True)
    # Moves on with every edit of the content; an edit of an older version is refused.
    version = models.PositiveIntegerField(_("versi"), default=1)
    review_comment = models.TextField(
        _("catatan sekretariat"), blank=True, max_length=SUMMARY_MAX_LENGTH,
        validators=bounded_text_validators(SUMMARY_MAX_LENGTH),
    )

    # Review fields are the secretariat's, not versions of the officer's report.
    history = HistoricalRecords(excluded_fields=["acknowledged_by", "acknowledged_at", "review_comment"])

    objects = DailyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-report_date", "regency_id"]
        verbose_name = _("laporan harian")
        verbose_name_plural = _("laporan harian")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "regency", "report_date"], name="one_daily_report_per_regency_and_date"
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="daily_report_summary_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("summary"), SUMMARY_MAX_LENGTH)
                & LessThanOrEqual(Length("review_comment"), SUMMARY_MAX_LENGTH),
                name="daily_report_texts_bounded",
            ),
            models.CheckConstraint(condition=Q(situation__in=Situation.values), name="daily_report_situation_known"),
            models.CheckConstraint(
                condition=Q(acknowledged_by__isnull=True, acknowledged_at__isnull=True)
                | Q(acknowledged_by__isnull=False, acknowledged_at__isnull=False),
                name="daily_report_acknowledged_by_and_at_together",
            ),
        ]
        indexes = [models.Index(fields=["election", "report_date"], name="daily_report_election_date")]

    def __str__(self):
        return f"{self.regency} {self.report_date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def is_acknowledged(self):
        return self.acknowledged_at is not None


# simple-history keeps a change reason of at most 100 characters.
WITHDRAWAL_REASON_MAX_LENGTH = 100


class ExcusedDay(models.Model):
    """A regency-day the secretariat excused (e.g. a network outage): not counted as missed."""

    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, related_name="excused_days", verbose_name=_("pemilihan")
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="excused_days", verbose_name=_("kabupaten/kota")
    )
    date = models.DateField(_("tanggal"))
    reason = models.TextField(
        _("alasan"), max_length=REASON_MAX_LENGTH, validators=bounded_text_validators(REASON_MAX_LENGTH)
    )
    excused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dikecualikan oleh")
    )
    excused_at = models.DateTimeField(_("dikecualikan pada"))

    # A mistaken excuse is withdrawn by deleting it: its history keeps the
    # excuse, who withdrew it, when, and why (the change reason).
    history = HistoricalRecords()
    objects = ExcusedDayQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "regency_id"]
        verbose_name = _("hari dikecualikan")
        verbose_name_plural = _("hari dikecualikan")
        constraints = [
            models.UniqueConstraint(fields=["election", "regency", "date"], name="one_excuse_per_regency_and_date"),
            models.CheckConstraint(condition=~Q(reason=""), name="excused_day_reason_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("reason"), REASON_MAX_LENGTH), name="excused_day_reason_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.regency} {self.date:%Y-%m-%d}"
