"""A synthetic report history for the live simulation (`seed_demo --live`).

For each day of the reporting window before today: most regencies on time,
some late, a few days missing for Kutai Barat and Berau, one excused day for
Mahakam Ulu (network outage), older reports mostly acknowledged. The pattern
is deterministic and keyed on days before today, so a second run adds nothing.
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


def _report(election, regency, officer, secretariat, day, days_ago, r, d):
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


@transaction.atomic
def seed_history(election, now):
    """Reports and one excused day for every day of the window before today; idempotent."""
    today = election.local_date(now)
    dates = list(election.reporting_dates(until=today - dt.timedelta(days=1)))
    if not dates:
        return
    regencies = list(Regency.objects.filter(province_id=election.province_id).order_by("code"))
    officers = {
        profile.regency_id: profile.user
        for profile in DeskProfile.objects.filter(regency__in=regencies, user__groups__name=Role.OFFICER)
        .select_related("user")
    }
    profile = DeskProfile.objects.filter(
        province_id=election.province_id, user__groups__name=Role.SECRETARIAT
    ).select_related("user").first()
    secretariat = profile.user if profile else None
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
