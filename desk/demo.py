"""The demo, composed: the master data and elections of two provinces, then each stream's history.

`elections.demo` holds the regions, elections, candidate pairs and users; each
stream app seeds its own synthetic history for the live simulation.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from accounts.models import DeskProfile
from compliance.run import flags_check
from elections.demo import (
    LIVE_NAMES,
    PROVINCE,
    SECOND_PROVINCE,
    seed_contests,
    seed_historical_election,
    seed_live_election,
    seed_regions,
    seed_second_province,
    seed_users,
)
from intake.demo import seed_history as intake_history
from logistics.demo import seed_history as logistics_history
from regions.constants import TimeZone
from regions.models import Regency
from reports.demo import seed_history as reports_history
from reports.demo import seed_today as reports_today
from violations.demo import seed_history as violations_history
from votingday.demo import seed_completed as voting_day_completed
from votingday.demo import seed_history as voting_day_history

from .models import ActionItem, CoordinationMeeting
from .rakor.services import (
    MEETING_FIELDS,
    action_item_assign,
    action_item_complete,
    attendance_record,
    meeting_schedule,
    meeting_update,
)

# Functions (election, now) adding a synthetic history to the live simulation, each idempotent.
HISTORY_SEEDERS = [reports_history, reports_today, logistics_history, violations_history, voting_day_history,
                   intake_history]


def seed_demo(*, live, now, phase=None):
    """Everything the demo needs; safe to run again.

    Kalimantan Timur always; the live simulation adds Kalimantan Utara beside it, with its own election and
    history, so the national desk compares two provinces (the real 2024 demo stays Kaltim's alone).
    `phase` ("voting_day" or "post_voting", with `live`) puts today on the simulations' voting day or three
    days after it.
    """
    seed_regions()
    if live:
        seed_second_province()
    historical = seed_historical_election(active=not live)
    seed_contests(historical)
    seed_users()
    elections = [historical]
    if not live:
        # The real 2024 election after the fact: its voting day, recapitulation and a dispute.
        voting_day_completed(historical, now)
    if live:
        today = now.astimezone(ZoneInfo(TimeZone.WITA)).date()
        election = seed_live_election(today=today, phase=phase)
        second = seed_live_election(today=today, phase=phase, province=SECOND_PROVINCE[0],
                                    name=LIVE_NAMES[phase].replace(PROVINCE[1], SECOND_PROVINCE[1]))
        for live_election in (election, second):
            seed_contests(live_election)
            for seeder in HISTORY_SEEDERS:
                seeder(live_election, now)
        # The flags the scheduled job would have raised on the way here (quietly: no e-mails).
        flags_check(now=now)
        seed_rakor(election, now)
        elections += [election, second]
    return elections


SIGNATURE = {"full_name": "Dra. Siti Rahmawati, M.Si.", "position": "Kepala Sekretariat Desk Pilkada Provinsi",
             "nip": "197203151998032004"}
ZOOM = {"join_url": "https://zoom.us/j/81234567890?pwd=RGVza1BpbGthZGE", "zoom_meeting_id": "81234567890",
        "passcode": "kaltim"}
# (regency code, decision, days after the meeting it is due, the officer's note once done or None)
DECISIONS = [
    ("64.72", "Kirim rekap situasi per kecamatan menjelang masa tenang.", 9, None),
    ("64.07", "Jelaskan laporan harian yang tidak masuk dan siapkan petugas cadangan.", 3, None),
    ("64.02", "Laporkan penanganan situasi rawan-gangguan ke sekretariat.", 4, None),
    ("64.03", "Konfirmasi penerimaan logistik yang masih kurang.", 3,
     "Sudah dikonfirmasi dengan KPU Berau; kekurangan dikirim kloter kedua."),
    ("64.71", "Koordinasikan patroli gabungan di TPS lokasi khusus.", 5,
     "Patroli gabungan dengan Polresta dan Satpol PP sudah dijadwalkan."),
]
ABSENT = {"64.07"}  # Kutai Barat missed the last Rakor (network), as it missed its reports


def seed_rakor(election, now):
    """A Rakor two weeks before voting (attended, minuted, with decisions) and the next one; idempotent.

    Dated from the voting day, which is fixed when the simulation is created, so
    a second run finds the same meetings.
    """
    secretariat = User.objects.filter(username="sekretariat").first()
    if secretariat is None:
        return
    DeskProfile.objects.filter(user=secretariat).update(**SIGNATURE)
    secretariat = User.objects.get(pk=secretariat.pk)  # a fresh scope
    past_day = election.voting_day - dt.timedelta(days=14)
    next_day = election.voting_day - dt.timedelta(days=6)
    meetings = {}
    for day, title, agenda in (
        (past_day, "Rakor Desk Pilkada: kesiapan masa kampanye akhir",
         "1. Kepatuhan laporan harian\n2. Penerimaan logistik dari KPU\n3. Pelanggaran yang harus dilaporkan"),
        (next_day, "Rakor Desk Pilkada: menjelang masa tenang",
         "1. Tindak lanjut rakor sebelumnya\n2. Logistik yang belum lengkap\n3. Pelanggaran baru dan rujukannya"),
    ):
        starts_at = dt.datetime.combine(day, dt.time(14, 0), tzinfo=election.zone)
        meetings[day] = CoordinationMeeting.objects.filter(election=election, starts_at=starts_at).first() or (
            # Scheduled a week ahead, as the secretariat does (the past one too: the demo replays its history).
            meeting_schedule(election=election, by=secretariat, date=day, time=dt.time(14, 0), duration_minutes=90,
                             data={"title": title, "agenda": agenda, **ZOOM}, now=starts_at - dt.timedelta(days=7))
        )
    past = meetings[past_day]
    if past.ends_at > now or ActionItem.objects.filter(meeting=past).exists():
        return
    codes = list(Regency.objects.filter(province_id=election.province_id).values_list("code", flat=True))
    attendance_record(meeting=past, by=secretariat, now=past.ends_at, rows={
        code: (code not in ABSENT, "" if code in ABSENT else "Operator dan koordinator desk") for code in codes
    })
    local = past.local_start
    meeting_update(meeting=past, by=secretariat, date=local.date(), time=local.time(), duration_minutes=90,
                   data={field: getattr(past, field) for field in MEETING_FIELDS}, now=now, minutes=(
                       "Sembilan dari sepuluh desk hadir. Kepatuhan laporan harian baik; Kutai Barat diminta "
                       "menjelaskan hari yang tidak dilaporkan. Logistik beberapa kabupaten masih kurang. "
                       "Pelanggaran yang dicatat wajib dilaporkan pada rakor berikutnya."))
    officers = {profile.regency_id: profile.user for profile in
                DeskProfile.objects.filter(regency__province_id=election.province_id).select_related("user")}
    regencies = {regency.code: regency for regency in Regency.objects.filter(code__in=[d[0] for d in DECISIONS])}
    for code, description, due_in, note in DECISIONS:
        if code not in regencies:
            continue
        item = action_item_assign(meeting=past, regency=regencies[code], by=secretariat,
                                  description=description, due_date=past_day + dt.timedelta(days=due_in),
                                  now=past.ends_at)
        done_at = past.ends_at + dt.timedelta(days=2)
        if note and code in officers and done_at <= now:
            action_item_complete(item=item, by=officers[code], note=note, now=done_at)
