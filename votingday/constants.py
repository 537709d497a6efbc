"""Choices and limits of voting day, the recapitulation and the disputes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Round(models.TextChoices):
    """Voting day's three round reports; each is due at the election's `<round>_round_due` local time."""

    OPENING = "opening", _("Pembukaan TPS")
    CLOSING = "closing", _("Penutupan TPS")
    COUNTING = "counting", _("Penghitungan suara")


class ProblemKind(models.TextChoices):
    LATE_OPENING = "late_opening", _("Terlambat dibuka")
    LOGISTICS_SHORTAGE = "logistics_shortage", _("Kekurangan logistik")
    DISTURBANCE = "disturbance", _("Gangguan keamanan")
    WEATHER = "weather", _("Cuaca/bencana")
    OTHER = "other", _("Lainnya")


class TpsState(models.TextChoices):
    OPEN = "open", _("Dibuka")
    CLOSED = "closed", _("Ditutup")
    COUNTED = "counted", _("Selesai dihitung")
    PROBLEM = "problem", _("Bermasalah")


# The field message's word for each status: `TPS <nomor> BUKA|TUTUP|SELESAI|MASALAH [catatan]`
# (the intake parses the message and calls services.tps_status_record with the status).
TPS_STATUS_WORDS = {
    "BUKA": TpsState.OPEN,
    "TUTUP": TpsState.CLOSED,
    "SELESAI": TpsState.COUNTED,
    "MASALAH": TpsState.PROBLEM,
}


class RecapLevel(models.TextChoices):
    DISTRICT = "district", _("Kecamatan (PPK)")
    REGENCY = "regency", _("Kabupaten/kota (KPU)")
    PROVINCE = "province", _("Provinsi (KPU)")


class RecapStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Belum dimulai")
    IN_PROGRESS = "in_progress", _("Berlangsung")
    DONE = "done", _("Selesai")


class DisputeStatus(models.TextChoices):
    FILED = "filed", _("Didaftarkan")
    HEARING = "hearing", _("Sidang")
    DECIDED = "decided", _("Diputus")


class DisputeDecision(models.TextChoices):
    REJECTED = "rejected", _("Ditolak")
    DISMISSED = "dismissed", _("Tidak dapat diterima")
    REVOTE = "revote", _("Pemungutan suara ulang")
    RECOUNT = "recount", _("Penghitungan suara ulang")
    OTHER = "other", _("Lainnya")


# Where a dispute may move; a decision comes only with `decided`.
DISPUTE_MOVES = {
    DisputeStatus.FILED: {DisputeStatus.HEARING, DisputeStatus.DECIDED},
    DisputeStatus.HEARING: {DisputeStatus.DECIDED},
    DisputeStatus.DECIDED: set(),
}

# Where a TPS status comes from: a field message, or the officer's correction on the web.
SOURCE_MAX_LENGTH = 20
SUMMARY_MAX_LENGTH = 3000
NOTE_MAX_LENGTH = 500
CASE_NUMBER_MAX_LENGTH = 60
