"""A synthetic report history for the live simulation (`seed_demo --live`).

For each day of the reporting window before today: most regencies on time,
some late, a few days missing for Kutai Barat and Berau, one excused day for
Mahakam Ulu (network outage), older reports mostly acknowledged. The pattern
is deterministic and keyed on days before today, so a second run adds nothing.

Today is seeded as of the moment the demo is loaded, never ahead of it: before
the cutoff most desks have reported so far and the rest are still awaited;
after it most reported on time, Berau late and Kutai Barat not at all.
"""

import datetime as dt

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import DeskProfile
from accounts.roles import Role
from core.history import history_stamp
from regions.models import Regency

from .constants import Situation, Source
from .models import DailyReport, ExcusedDay

# Days before today on which these regencies sent nothing (the missed-report flags).
MISSING = {"64.07": {2, 9}, "64.03": {6}}
EXCUSED = ("64.11", 4, "Gangguan jaringan internet di Long Bagun dan Long Apari; laporan tidak dapat dikirim.")
DISRUPTED = ("64.02", 3)
# Today: Kutai Barat has not reported, Berau reports after the cutoff (by this much at most).
TODAY_MISSING, TODAY_LATE = "64.07", "64.03"
TODAY_LATE_BY = dt.timedelta(minutes=40)

SUMMARIES = {
    "pre_voting": [
        "Situasi {name} aman dan kondusif. Kampanye berjalan tertib, tidak ada kejadian menonjol.",
        "Kegiatan kampanye terbatas di beberapa kecamatan berlangsung lancar; aparat keamanan berjaga.",
        "Tidak ada kejadian menonjol. Distribusi logistik dari gudang KPU {name} berjalan sesuai jadwal.",
    ],
    "quiet_period": [
        "Masa tenang berjalan kondusif. Satpol PP menertibkan alat peraga kampanye di jalan protokol.",
        "Tidak ada kejadian menonjol. Patroli gabungan di {name} menjelang hari pencoblosan.",
    ],
    "voting_day": ["Pemungutan suara di {name} berjalan lancar; partisipasi terpantau baik."],
    "post_voting": [
        "Rekapitulasi tingkat kecamatan di {name} berjalan tertib dan kondusif.",
        "Tidak ada kejadian menonjol. Kotak suara tersimpan aman di gudang PPK.",
    ],
}
ALERT = "Waspada: beredar kabar pembagian sembako oleh tim sukses di satu kecamatan; Panwascam menelusuri."
DISRUPTED_TEXT = "Keributan kecil antarpendukung di satu kelurahan {name}, diredam aparat; tidak ada korban."
SOURCE_SETS = [
    [Source.DISTRICT, Source.POLICE],
    [Source.DISTRICT, Source.KPU],
    [Source.DISTRICT, Source.VILLAGE, Source.POLICE],
    [Source.KPU],
]


def _local(election, day, minutes_after_midnight):
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=election.zone)
    return start + dt.timedelta(minutes=minutes_after_midnight)


def _report(election, regency, officer, secretariat, day, days_ago, r, d, submitted_at=None):
    if submitted_at is None:
        late = (r * 7 + d * 5) % 13 == 0
        minutes = 20 * 60 + 5 + (r * 13 + d * 7) % 150 if late else 16 * 60 + (r * 37 + d * 11) % 220
        submitted_at = _local(election, day, minutes)
    phase = election.phase_on(day)
    name = regency.name
    if (regency.pk, days_ago) == DISRUPTED:
        situation, summary = Situation.DISRUPTED, DISRUPTED_TEXT.format(name=name)
    elif (r + d) % 9 == 0:
        situation, summary = Situation.ALERT, ALERT
    else:
        texts = SUMMARIES[phase]
        situation, summary = Situation.CONDUCIVE, texts[(r + d) % len(texts)].format(name=name)
    report = DailyReport(
        election=election, regency=regency, report_date=day, situation=situation, summary=summary,
        sources=[str(code) for code in SOURCE_SETS[(r + d) % len(SOURCE_SETS)]],
        submitted_by=officer, submitted_at=submitted_at, is_late=submitted_at > election.report_deadline(day),
    )
    if secretariat and days_ago >= 3 and (r + d) % 4 != 0:
        report.acknowledged_by = secretariat
        report.acknowledged_at = _local(election, day + dt.timedelta(days=1), 9 * 60 + r * 5)
        if situation != Situation.CONDUCIVE:
            report.review_comment = "Terima kasih. Mohon terus dipantau dan laporkan perkembangannya."
    history_stamp(report, by=officer, now=submitted_at)
    return report


def _desks(election):
    """The province's regencies, their officers by regency code, and the secretariat user (or None)."""
    regencies = list(Regency.objects.filter(province_id=election.province_id).order_by("code"))
    officers = {
        profile.regency_id: profile.user
        for profile in DeskProfile.objects.filter(regency__in=regencies, user__groups__name=Role.OFFICER)
        .select_related("user")
    }
    profile = DeskProfile.objects.filter(
        province_id=election.province_id, user__groups__name=Role.SECRETARIAT
    ).select_related("user").first()
    return regencies, officers, profile.user if profile else None


@transaction.atomic
def seed_history(election, now):
    """Reports and one excused day for every day of the window before today; idempotent."""
    today = election.local_date(now)
    dates = list(election.reporting_dates(until=today - dt.timedelta(days=1)))
    if not dates:
        return
    regencies, officers, secretariat = _desks(election)
    stored = set(DailyReport.objects.filter(election=election).values_list("regency_id", "report_date"))
    excused = set(ExcusedDay.objects.filter(election=election).values_list("regency_id", "date"))

    reports, excuses = [], []
    for r, regency in enumerate(regencies):
        officer = officers.get(regency.pk)
        if officer is None:
            continue
        for d, day in enumerate(dates):
            days_ago = (today - day).days
            if (regency.pk, days_ago) == EXCUSED[:2]:
                if (regency.pk, day) not in excused and secretariat:
                    excuses.append(ExcusedDay(
                        election=election, regency=regency, date=day, reason=EXCUSED[2], excused_by=secretariat,
                        excused_at=_local(election, day, 21 * 60),
                    ))
                continue
            if days_ago in MISSING.get(regency.pk, ()) or (regency.pk, day) in stored:
                continue
            reports.append(_report(election, regency, officer, secretariat, day, days_ago, r, d))
    bulk_create_with_history(reports, DailyReport, batch_size=500)
    ExcusedDay.objects.bulk_create(excuses)


def _today_submitted_at(election, code, index, count, day, now):
    """When `code`'s report for today was sent as seen at `now`, or None while it is still awaited.

    Every time is at or before `now`. Before the cutoff the on-time desks are
    spread over the morning up to `now`; after it over the afternoon before the
    cutoff, with TODAY_LATE shortly after it.
    """
    deadline = election.report_deadline(day)
    if code == TODAY_MISSING or (code == TODAY_LATE and now <= deadline):
        return None
    if code == TODAY_LATE:
        return deadline + min(TODAY_LATE_BY, (now - deadline) / 2)
    share = (index + 1) / (count + 1)
    if now <= deadline:
        start = min(now, _local(election, day, 6 * 60))
        return start + (now - start) * share
    start = deadline - dt.timedelta(hours=5)
    return start + (deadline - dt.timedelta(minutes=5) - start) * share


@transaction.atomic
def seed_today(election, now):
    """Today's reports as they stand at `now` (none dated after it); idempotent."""
    today = election.local_date(now)
    if not election.in_reporting_window(today):
        return
    regencies, officers, secretariat = _desks(election)
    stored = set(DailyReport.objects.filter(election=election, report_date=today).values_list("regency_id", flat=True))
    # The on-time desks in a fixed order that is not the codes' (times should not climb down the table).
    on_time = sorted((regency for regency in regencies if regency.pk not in (TODAY_MISSING, TODAY_LATE)),
                     key=lambda regency: (int(regency.pk.replace(".", "")) * 7919) % 101)
    d = (today - election.reporting_start).days
    reports = []
    for r, regency in enumerate(regencies):
        officer = officers.get(regency.pk)
        if officer is None or regency.pk in stored:
            continue
        index = on_time.index(regency) if regency in on_time else 0
        submitted_at = _today_submitted_at(election, regency.pk, index, len(on_time), today, now)
        if submitted_at is not None:
            reports.append(_report(election, regency, officer, secretariat, today, 0, r, d, submitted_at))
    bulk_create_with_history(reports, DailyReport, batch_size=500)
