"""Elections, their contests and candidate pairs, and the calendar rules.

All deadline maths happens here, in the election's own time zone, and returns
aware datetimes (stored as UTC).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .constants import ContestKind
from .querysets import CandidatePairQuerySet, ElectionManager


class Phase(models.TextChoices):
    PRE_VOTING = "pre_voting", _("Pra-pencoblosan")
    QUIET_PERIOD = "quiet_period", _("Masa tenang")
    VOTING_DAY = "voting_day", _("Hari pencoblosan")
    POST_VOTING = "post_voting", _("Pascapencoblosan")


# What a desk records (a receipt, an incident, a delivery) is dated from this
# long before the reporting window opens (the campaign and the first logistics
# from the KPU come earlier) to the end of the window's last day, and never
# after the moment it is recorded.
RECORDING_MARGIN = dt.timedelta(days=60)


# The recapitulation levels, lowest first: PPK (district), KPU regency/city, KPU province.
RECAP_LEVELS = ("district", "regency", "province")


class Election(models.Model):
    """One election as a provincial desk follows it (e.g. Pilkada Serentak 2024 in Kaltim)."""

    name = models.CharField(_("nama"), max_length=120)
    province = models.ForeignKey(
        "regions.Province", on_delete=models.PROTECT, related_name="elections", verbose_name=_("provinsi")
    )
    voting_day = models.DateField(_("hari pencoblosan"))
    quiet_period_start = models.DateField(_("awal masa tenang"))
    quiet_period_end = models.DateField(_("akhir masa tenang"))
    reporting_start = models.DateField(_("awal pelaporan harian"))
    reporting_end = models.DateField(_("akhir pelaporan harian"))
    daily_cutoff = models.TimeField(_("batas laporan harian"), default=dt.time(20, 0))
    logistics_deadline = models.DateTimeField(_("batas konfirmasi logistik"))
    # Voting day's three round reports are due at these local times (PKPU 17/2024: TPS open 07.00-13.00).
    opening_round_due = models.TimeField(
        _("batas laporan pembukaan TPS"), default=dt.time(10, 0), db_default=dt.time(10, 0))
    closing_round_due = models.TimeField(
        _("batas laporan penutupan TPS"), default=dt.time(14, 0), db_default=dt.time(14, 0))
    counting_round_due = models.TimeField(
        _("batas laporan penghitungan suara"), default=dt.time(21, 0), db_default=dt.time(21, 0))
    # The KPU's recapitulation windows per level (PKPU 2/2024), after voting day and inside the window.
    recap_district_start = models.DateField(_("awal rekapitulasi kecamatan"), null=True, blank=True)
    recap_district_end = models.DateField(_("akhir rekapitulasi kecamatan"), null=True, blank=True)
    recap_regency_start = models.DateField(_("awal rekapitulasi kabupaten/kota"), null=True, blank=True)
    recap_regency_end = models.DateField(_("akhir rekapitulasi kabupaten/kota"), null=True, blank=True)
    recap_province_start = models.DateField(_("awal rekapitulasi provinsi"), null=True, blank=True)
    recap_province_end = models.DateField(_("akhir rekapitulasi provinsi"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = ElectionManager()

    class Meta:
        # Every election is read with its province, whose zone the deadlines need: also through a foreign key
        # (report.election), with no query more.
        base_manager_name = "objects"
        ordering = ["-voting_day", "name"]
        verbose_name = _("pemilihan")
        verbose_name_plural = _("pemilihan")
        constraints = [
            models.UniqueConstraint(
                fields=["province"], condition=Q(is_active=True), name="one_active_election_per_province"
            ),
            models.CheckConstraint(
                condition=Q(reporting_start__lte=F("reporting_end")), name="election_window_ordered"
            ),
            models.CheckConstraint(
                condition=Q(quiet_period_start__lte=F("quiet_period_end"))
                & Q(quiet_period_end__lt=F("voting_day")),
                name="election_quiet_period_before_voting",
            ),
            models.CheckConstraint(
                condition=Q(reporting_start__lte=F("voting_day")) & Q(voting_day__lte=F("reporting_end")),
                name="election_voting_day_in_window",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"recap_{level}_start__isnull": True, f"recap_{level}_end__isnull": True})
                    | Q(**{f"recap_{level}_start__gt": F("voting_day"),
                           f"recap_{level}_start__lte": F(f"recap_{level}_end"),
                           f"recap_{level}_end__lte": F("reporting_end")}),
                    name=f"election_recap_{level}_window_in_calendar",
                )
                for level in RECAP_LEVELS
            ],
        ]

    def __str__(self):
        return self.name

    @property
    def time_zone(self) -> str:
        """The election's time zone is its province's (`Province.time_zone`): the one source of every deadline."""
        return self.province.time_zone

    def get_time_zone_display(self):
        return self.province.get_time_zone_display()

    @property
    def zone(self):
        return ZoneInfo(self.time_zone)

    def local_date(self, now=None):
        """Today's date in the election's time zone."""
        return (now or timezone.now()).astimezone(self.zone).date()

    def report_deadline(self, report_date):
        """When the daily report for `report_date` is due: that date at the cutoff, local time."""
        return dt.datetime.combine(report_date, self.daily_cutoff, tzinfo=self.zone)

    def in_reporting_window(self, report_date):
        return self.reporting_start <= report_date <= self.reporting_end

    def last_due_date(self, now):
        """The latest report date whose deadline has passed at `now` (a report at the deadline is on time)."""
        today = self.local_date(now)
        return today if now > self.report_deadline(today) else today - dt.timedelta(days=1)

    def recording_bounds(self, now):
        """(earliest, latest) aware moments a desk may date what it records, as of `now`."""
        earliest = dt.datetime.combine(self.reporting_start - RECORDING_MARGIN, dt.time.min, tzinfo=self.zone)
        end = dt.datetime.combine(self.reporting_end + dt.timedelta(days=1), dt.time.min, tzinfo=self.zone)
        return earliest, min(end, now)

    def moment_problem(self, moment, *, now):
        """Why `moment` cannot be the time of something recorded for this election, or None.

        The one calendar rule for receipts, incidents and deliveries: inside
        `recording_bounds`, aware (a time without zone is ambiguous).
        """
        if not isinstance(moment, dt.datetime) or moment.tzinfo is None:
            return _("Isi tanggal dan jam lengkap dengan zona waktunya.")
        earliest, latest = self.recording_bounds(now)
        if moment > now:
            return _("Waktu %(moment)s belum terjadi: tidak boleh di masa depan.") % {"moment": self._show(moment)}
        if not earliest <= moment <= latest:
            return _(
                "Waktu %(moment)s di luar kalender %(election)s: isi antara %(earliest)s dan %(latest)s."
            ) % {"moment": self._show(moment), "election": self.name, "earliest": self._show(earliest),
                 "latest": self._show(latest)}
        return None

    def day_problem(self, day, *, now):
        """Why local date `day` cannot be the date of something recorded for this election, or None."""
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            return _("Isi tanggal dengan format YYYY-MM-DD.")
        earliest, latest = self.recording_bounds(now)
        first, last = earliest.astimezone(self.zone).date(), latest.astimezone(self.zone).date()
        if day > self.local_date(now):
            return _("Tanggal %(day)s belum tiba: tidak boleh di masa depan.") % {"day": date_format(day)}
        if not first <= day <= last:
            return _("Tanggal %(day)s di luar kalender %(election)s: isi antara %(first)s dan %(last)s.") % {
                "day": date_format(day), "election": self.name, "first": date_format(first),
                "last": date_format(last)}
        return None

    def _show(self, moment):
        """`moment` as the election's local time, e.g. "20 November 2024 10.00 WITA".

        Never with a local-mean-time offset ("09.57 LMT", what the zone
        database gives before 1932): such a moment is shown in UTC.
        """
        try:
            local = moment.astimezone(self.zone)
        except OverflowError:  # year 1 or 9999: shown as given
            zone = str(self.get_time_zone_display()).split(" ")[0]
            return f"{moment.year:04d}-{moment:%m-%d %H.%M} {zone}"
        if local.utcoffset() % dt.timedelta(minutes=15):
            return f"{date_format(moment.astimezone(dt.UTC).replace(tzinfo=None), 'j F Y H.i')} UTC"
        return date_format(local, "DATETIME_FORMAT")

    def reporting_dates(self, until):
        """Dates of the reporting window up to and including `until`."""
        day, last = self.reporting_start, min(until, self.reporting_end)
        while day <= last:
            yield day
            day += dt.timedelta(days=1)

    def recap_window(self, level):
        """(first, last) day of the recapitulation at `level`, or None when the election sets none."""
        start, end = getattr(self, f"recap_{level}_start"), getattr(self, f"recap_{level}_end")
        return (start, end) if start and end else None

    def round_deadline(self, round_code, day=None):
        """When voting day's `round_code` report ("opening", "closing", "counting") is due, local time."""
        return dt.datetime.combine(day or self.voting_day, getattr(self, f"{round_code}_round_due"), tzinfo=self.zone)

    def phase_on(self, day):
        if day == self.voting_day:
            return Phase.VOTING_DAY
        if day > self.voting_day:
            return Phase.POST_VOTING
        if self.quiet_period_start <= day <= self.quiet_period_end:
            return Phase.QUIET_PERIOD
        return Phase.PRE_VOTING


class Contest(models.Model):
    """A race of the election: the governor's, or one regency's regent/mayor race."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    kind = models.CharField(_("jenis"), max_length=10, choices=ContestKind.choices)
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, null=True, blank=True, related_name="contests"
    )

    class Meta:
        ordering = ["election", "kind", "regency"]
        verbose_name = _("kontestasi")
        verbose_name_plural = _("kontestasi")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="governor") & Q(regency__isnull=True))
                | (Q(kind="local") & Q(regency__isnull=False)),
                name="contest_regency_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["election"], condition=Q(kind="governor"), name="one_governor_contest_per_election"
            ),
            models.UniqueConstraint(
                fields=["election", "regency"], condition=Q(kind="local"), name="one_local_contest_per_regency"
            ),
        ]

    def __str__(self):
        if self.kind == ContestKind.GOVERNOR:
            return f"{_('Pilgub')} {self.election.province.name}"
        return f"{_('Pilkada')} {self.regency.name}"


class CandidatePair(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="candidate_pairs")
    number = models.PositiveSmallIntegerField(_("nomor urut"))
    names = models.CharField(_("nama pasangan"), max_length=200)

    objects = CandidatePairQuerySet.as_manager()

    class Meta:
        ordering = ["contest", "number"]
        verbose_name = _("pasangan calon")
        verbose_name_plural = _("pasangan calon")
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="pair_number_unique_in_contest"),
            models.CheckConstraint(condition=Q(number__gte=1), name="pair_number_positive"),
        ]

    def __str__(self):
        return f"{self.number:02d} {self.names}"
