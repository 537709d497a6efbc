"""Voting day's round reports and TPS statuses, the recapitulation's progress, and disputes at the court.

Records are created and changed only by `services`; rounds, problems,
recapitulation progress and disputes keep every version (django-simple-history,
with who and when). A TPS status is only the latest word from the field: the
field messages the intake stores are its history.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import bounded_text_validators

from .constants import (
    CASE_NUMBER_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SOURCE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    DisputeDecision,
    DisputeStatus,
    ProblemKind,
    RecapLevel,
    RecapStatus,
    Round,
    TpsState,
)
from .querysets import (
    DisputeQuerySet,
    RecapProgressQuerySet,
    RevoteTpsQuerySet,
    TpsStatusQuerySet,
    VotingRoundQuerySet,
)


class VotingRound(models.Model):
    """A regency desk's report of one voting-day round: how many of its TPS opened, closed, counted.

    `day` is the voting day, or a re-vote day of some of the regency's TPS (then
    the counts are out of those TPS).
    """

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="voting_rounds",
                                 verbose_name=_("pemilihan"))
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="voting_rounds",
                                verbose_name=_("kabupaten/kota"))
    round = models.CharField(_("tahap"), max_length=10, choices=Round.choices)
    day = models.DateField(_("hari pemungutan suara"))
    # The regency's TPS in the master data when the round came in (on a re-vote day: those re-voting).
    tps_total = models.PositiveIntegerField(_("jumlah TPS"))
    tps_opened = models.PositiveIntegerField(_("TPS dibuka"))
    tps_closed = models.PositiveIntegerField(_("TPS ditutup"))
    tps_counted = models.PositiveIntegerField(_("TPS selesai dihitung"))
    turnout_percent = models.DecimalField(_("partisipasi (%)"), max_digits=4, decimal_places=1, null=True,
                                          blank=True)
    summary = models.TextField(_("ringkasan"), blank=True, max_length=SUMMARY_MAX_LENGTH,
                               validators=bounded_text_validators(SUMMARY_MAX_LENGTH))
    # The officer saw "opened >= closed >= counted" broken and sent the counts anyway.
    order_confirmed = models.BooleanField(_("urutan jumlah dikonfirmasi"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("dikirim oleh"))
    submitted_at = models.DateTimeField(_("dikirim pada"))
    is_late = models.BooleanField(_("terlambat"))

    history = HistoricalRecords()
    objects = VotingRoundQuerySet.as_manager()

    class Meta:
        ordering = ["regency_id", "round"]
        verbose_name = _("laporan tahap hari pencoblosan")
        verbose_name_plural = _("laporan tahap hari pencoblosan")
        constraints = [
            models.UniqueConstraint(fields=["election", "regency", "day", "round"],
                                    name="one_voting_round_per_regency"),
            models.CheckConstraint(condition=Q(round__in=Round.values), name="voting_round_known"),
            models.CheckConstraint(
                condition=Q(tps_opened__lte=F("tps_total"), tps_closed__lte=F("tps_total"),
                            tps_counted__lte=F("tps_total")),
                name="voting_round_counts_within_total",
            ),
            models.CheckConstraint(
                condition=Q(turnout_percent__isnull=True) | Q(turnout_percent__gte=0, turnout_percent__lte=100),
                name="voting_round_turnout_percent",
            ),
            # Counts out of order are stored only when the officer confirmed them.
            models.CheckConstraint(
                condition=Q(order_confirmed=True)
                | Q(tps_opened__gte=F("tps_closed"), tps_closed__gte=F("tps_counted")),
                name="voting_round_order_or_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.regency_id} {self.round}"


class VotingProblem(models.Model):
    """A TPS of the round's regency with a problem on voting day."""

    voting_round = models.ForeignKey(VotingRound, on_delete=models.CASCADE, related_name="problems")
    tps = models.ForeignKey("regions.PollingStation", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("TPS"))
    kind = models.CharField(_("jenis masalah"), max_length=20, choices=ProblemKind.choices)
    note = models.TextField(_("catatan"), blank=True, max_length=NOTE_MAX_LENGTH,
                            validators=bounded_text_validators(NOTE_MAX_LENGTH))

    history = HistoricalRecords()

    class Meta:
        ordering = ["voting_round", "tps"]
        verbose_name = _("TPS bermasalah")
        verbose_name_plural = _("TPS bermasalah")
        constraints = [
            models.UniqueConstraint(fields=["voting_round", "tps"], name="one_problem_per_tps_and_round"),
            models.CheckConstraint(condition=Q(kind__in=ProblemKind.values), name="voting_problem_kind_known"),
        ]

    def __str__(self):
        return f"{self.tps_id} {self.kind}"


class RevoteTps(models.Model):
    """A TPS that votes again (PSU) on `date`: for it, that date counts as a voting day."""

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    tps = models.ForeignKey("regions.PollingStation", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("TPS"))
    # Denormalised from the TPS for scoping and per-regency counts.
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    date = models.DateField(_("tanggal pemungutan suara ulang"))
    reason = models.TextField(_("dasar"), blank=True, max_length=NOTE_MAX_LENGTH,
                              validators=bounded_text_validators(NOTE_MAX_LENGTH))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    history = HistoricalRecords()
    objects = RevoteTpsQuerySet.as_manager()

    class Meta:
        ordering = ["date", "regency_id", "tps_id"]
        verbose_name = _("TPS pemungutan suara ulang")
        verbose_name_plural = _("TPS pemungutan suara ulang")
        constraints = [models.UniqueConstraint(fields=["election", "tps", "date"], name="one_revote_per_tps_and_day")]

    def __str__(self):
        return f"{self.tps_id} {self.date}"


class TpsStatus(models.Model):
    """The latest status a TPS reported on voting day (from a field message, or corrected by the desk)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    tps = models.ForeignKey("regions.PollingStation", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("TPS"))
    # Denormalised from the TPS (checked below) for scoping and per-regency counts.
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="+",
                                db_constraint=False)
    status = models.CharField(_("status"), max_length=10, choices=TpsState.choices)
    at = models.DateTimeField(_("waktu"))
    source = models.CharField(_("sumber"), max_length=SOURCE_MAX_LENGTH)
    note = models.TextField(_("catatan"), blank=True, max_length=NOTE_MAX_LENGTH,
                            validators=bounded_text_validators(NOTE_MAX_LENGTH))

    objects = TpsStatusQuerySet.as_manager()

    class Meta:
        ordering = ["regency_id", "tps_id"]
        verbose_name = _("status TPS")
        verbose_name_plural = _("status TPS")
        constraints = [
            models.UniqueConstraint(fields=["election", "tps"], name="one_status_per_tps"),
            models.CheckConstraint(condition=Q(status__in=TpsState.values), name="tps_status_known"),
        ]
        indexes = [models.Index(fields=["election", "regency", "status"], name="tps_status_regency")]

    def __str__(self):
        return f"{self.tps_id} {self.status}"


class RecapProgress(models.Model):
    """How far the KPU's recapitulation of one contest has got at one level in one region."""

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey("elections.Contest", on_delete=models.PROTECT, related_name="recap_progress",
                                verbose_name=_("kontestasi"))
    level = models.CharField(_("tingkat"), max_length=10, choices=RecapLevel.choices)
    # The code of the district, regency or province that holds the recapitulation.
    region = models.CharField(_("wilayah"), max_length=13)
    # The regency the region lies in (none for the province's own recapitulation): the scope.
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("kabupaten/kota"))
    status = models.CharField(_("status"), max_length=12, choices=RecapStatus.choices,
                              default=RecapStatus.NOT_STARTED)
    started_on = models.DateField(_("mulai"), null=True, blank=True)
    finished_on = models.DateField(_("selesai"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True, max_length=NOTE_MAX_LENGTH,
                            validators=bounded_text_validators(NOTE_MAX_LENGTH))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("diperbarui pada"))

    history = HistoricalRecords()
    objects = RecapProgressQuerySet.as_manager()

    class Meta:
        ordering = ["contest", "level", "region"]
        verbose_name = _("progres rekapitulasi")
        verbose_name_plural = _("progres rekapitulasi")
        constraints = [
            models.UniqueConstraint(fields=["contest", "level", "region"], name="one_recap_per_contest_level_region"),
            models.CheckConstraint(condition=Q(level__in=RecapLevel.values), name="recap_level_known"),
            models.CheckConstraint(
                condition=Q(status=RecapStatus.NOT_STARTED, started_on__isnull=True, finished_on__isnull=True)
                | Q(status=RecapStatus.IN_PROGRESS, started_on__isnull=False, finished_on__isnull=True)
                | Q(status=RecapStatus.DONE, started_on__isnull=False, finished_on__gte=F("started_on")),
                name="recap_dates_match_status",
            ),
            models.CheckConstraint(
                condition=Q(level=RecapLevel.PROVINCE, regency__isnull=True)
                | ~Q(level=RecapLevel.PROVINCE) & Q(regency__isnull=False),
                name="recap_regency_matches_level",
            ),
        ]

    def __str__(self):
        return f"{self.contest_id} {self.level} {self.region}"


class Dispute(models.Model):
    """A contest's result taken to the Constitutional Court (MK)."""

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey("elections.Contest", on_delete=models.PROTECT, related_name="disputes",
                                verbose_name=_("kontestasi"))
    # The contest's regency (none for the governor's race): the scope.
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    filed_on = models.DateField(_("didaftarkan"))
    case_number = models.CharField(_("nomor perkara"), max_length=CASE_NUMBER_MAX_LENGTH,
                                   validators=bounded_text_validators(CASE_NUMBER_MAX_LENGTH))
    status = models.CharField(_("status"), max_length=10, choices=DisputeStatus.choices,
                              default=DisputeStatus.FILED)
    decision = models.CharField(_("putusan"), max_length=10, choices=DisputeDecision.choices, blank=True)
    decided_on = models.DateField(_("tanggal putusan"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True, max_length=NOTE_MAX_LENGTH,
                            validators=bounded_text_validators(NOTE_MAX_LENGTH))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("diperbarui pada"))

    history = HistoricalRecords()
    objects = DisputeQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_on", "case_number"]
        verbose_name = _("sengketa hasil")
        verbose_name_plural = _("sengketa hasil")
        constraints = [
            models.UniqueConstraint(fields=["election", "case_number"], name="dispute_case_number_unique"),
            models.CheckConstraint(condition=~Q(case_number=""), name="dispute_case_number_not_empty"),
            models.CheckConstraint(
                condition=Q(status=DisputeStatus.DECIDED, decided_on__gte=F("filed_on")) & ~Q(decision="")
                | ~Q(status=DisputeStatus.DECIDED) & Q(decision="", decided_on__isnull=True),
                name="dispute_decision_when_decided",
            ),
        ]

    def __str__(self):
        return self.case_number
