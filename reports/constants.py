"""Choices and wording of the daily desk report."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Situation(models.TextChoices):
    CONDUCIVE = "conducive", _("Aman-Kondusif")
    ALERT = "alert", _("Waspada")
    DISRUPTED = "disrupted", _("Rawan-Gangguan")


class Source(models.TextChoices):
    DISTRICT = "district", _("Kecamatan")
    VILLAGE = "village", _("Kelurahan/desa")
    KPU = "kpu", _("KPU")
    POLICE = "police", _("Kepolisian")
    OTHER = "other", _("Lainnya")


class DayState(models.TextChoices):
    """How a regency stands for one report date (see selectors.day_states)."""

    ON_TIME = "on_time", _("Tepat waktu")
    LATE = "late", _("Terlambat")
    MISSED = "missed", _("Tidak melapor")
    EXCUSED = "excused", _("Dikecualikan")
    DUE = "due", _("Menunggu laporan")
    FUTURE = "future", _("Belum tiba")


# The states a day whose deadline has passed can have: what rankings, the digest and the brief count.
COUNTED_STATES = (DayState.ON_TIME, DayState.LATE, DayState.MISSED, DayState.EXCUSED)

# Each state's mark, shown beside its colour wherever a day appears (squares,
# maps, charts, print): a state never reads by colour alone.
DAY_STATE_MARKS = {
    DayState.ON_TIME: "✓",
    DayState.LATE: "!",
    DayState.MISSED: "✗",
    DayState.EXCUSED: "–",
    DayState.DUE: "…",
    DayState.FUTURE: "",
}

# The "nothing notable" shortcut pre-fills this; a report whose summary is just
# this sentence must be confirmed explicitly on the web form.
NOTHING_NOTABLE = _("Tidak ada kejadian menonjol. Situasi aman dan kondusif.")

# What an officer writes; everything else on a report is set by the services.
CONTENT_FIELDS = ("situation", "summary", "sources", "district_notes")

SUMMARY_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 500

SUMMARY_REQUIRED = _("Tuliskan kondisi terkini, walaupun tidak ada kejadian menonjol.")
SITUATION_INVALID = _("Situasi tidak dikenal: pilih conducive (Aman-Kondusif), alert (Waspada) "
                      "atau disrupted (Rawan-Gangguan).")
SOURCE_INVALID = _("Sumber tidak dikenal: pilih district, village, kpu, police atau other.")
