"""Voting day and after in the demo: rounds, field statuses, the recapitulation and a dispute.

`seed_history(election, now)` (one of the live simulation's seeders) adds
what would have happened by `now`: the rounds already due and the field's TPS
statuses on voting day; after it, a complete voting day and the
recapitulation as far as its windows have got. `seed_completed(election, now)`
is the real 2024 election after the fact: all of it, done, and one dispute.
Per-regency turnouts, problem TPS, times and the dispute's case number are
generated (deterministic), not official figures. Idempotent.
"""

import datetime as dt

from django.db import transaction

from accounts.models import DeskProfile
from elections.constants import ContestKind
from elections.models import Contest
from regions.models import District, PollingStation, Regency

from .constants import RecapLevel, RecapStatus, Round, TpsState
from .models import Dispute, RecapProgress, RevoteTps, VotingRound
from .services import (
    dispute_file,
    dispute_update,
    recap_record,
    revote_schedule,
    tps_statuses_record,
    voting_round_submit,
)

# Minutes after each round's due time (negative: before) a regency sends it; None: it never does.
ROUND_DELAYS = {"64.11": {Round.OPENING: 35, Round.CLOSING: -20, Round.COUNTING: 90},
                "64.07": {Round.OPENING: -15, Round.CLOSING: None, Round.COUNTING: 20}}
PROBLEMS = [  # (regency, index of its TPS, kind, note)
    ("64.02", 11, "late_opening", "KPPS terlambat membuka karena surat suara baru tiba pukul 07.40."),
    ("64.07", 3, "weather", "Banjir setinggi lutut; TPS dipindah ke balai kampung."),
    ("64.72", 40, "logistics_shortage", "Surat suara gubernur kurang 12 lembar; diambil dari TPS sebelah."),
    ("64.71", 8, "disturbance", "Adu mulut antarsaksi, diredam Linmas dan polisi."),
]
# Kaltim's re-votes (PSU) of 2024: 10 TPS in 6 regencies/cities on 2-3 December (which TPS: generated).
REVOTES = [("64.01", 2, 2), ("64.02", 2, 2), ("64.08", 2, 2), ("64.71", 2, 2), ("64.72", 1, 3), ("64.74", 1, 3)]
# When the field says a TPS opened, closed and finished counting (local time), spread over the TPS.
FIELD_TIMES = {TpsState.OPEN: (7, 0, 55), TpsState.CLOSED: (13, 0, 40), TpsState.COUNTED: (15, 30, 300)}


def _officers(election):
    return {profile.regency_id: profile.user for profile in
            DeskProfile.objects.filter(regency__province_id=election.province_id).select_related("user")}


def _secretariat(election):
    profile = DeskProfile.objects.filter(province_id=election.province_id).select_related("user").first()
    return profile.user if profile else None


def _at(election, day, hour, minute):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=election.zone)


def _field_statuses(election, regencies, until, skip=()):
    """Each TPS's latest field status by `until`, except every 9th TPS of the regencies in `skip` (silent)."""
    rows = []
    for index, (pk, code) in enumerate(PollingStation.objects.filter(regency__in=regencies)
                                       .order_by("pk").values_list("pk", "regency_id")):
        if code in skip and index % 9 == 0:
            continue
        latest = None
        for state, (hour, minute, spread) in FIELD_TIMES.items():
            at = _at(election, election.voting_day, hour, minute) + dt.timedelta(minutes=(index * 7) % spread)
            if at <= until:
                latest = (state, at)
        if index % 97 == 5 and latest:
            latest = (TpsState.PROBLEM, latest[1] + dt.timedelta(minutes=3))
        if latest:
            note = "Dilaporkan bermasalah lewat SMS." if latest[0] == TpsState.PROBLEM else ""
            rows.append((pk, code, latest[0], latest[1], "demo", note))
    return tps_statuses_record(election=election, rows=rows)


def _rounds(election, regencies, until, *, complete=False):
    officers = _officers(election)
    stations = {}
    for pk, code in PollingStation.objects.filter(regency__in=regencies).order_by("pk").values_list(
            "pk", "regency_id"):
        stations.setdefault(code, []).append(pk)
    sent = set(VotingRound.objects.filter(election=election, day=election.voting_day)
               .values_list("regency_id", "round"))
    for r, regency in enumerate(regencies):
        officer, total = officers.get(regency.code), len(stations.get(regency.code, []))
        if officer is None:
            continue
        for round_code in Round.values:
            delay = ROUND_DELAYS.get(regency.code, {}).get(round_code, -10 - (r * 7) % 40)
            if delay is None and complete:
                delay = 45  # in the end it came, late
            if delay is None or (regency.code, round_code) in sent:
                continue
            at = election.round_deadline(round_code) + dt.timedelta(minutes=delay)
            if at > until:
                continue
            closed = total - (r % 3) if round_code != Round.OPENING else 0
            counted = total - (r % 4) - (r % 3) if round_code == Round.COUNTING else 0
            problems = [{"tps": stations[code][index], "kind": kind, "note": note}
                        for code, index, kind, note in PROBLEMS
                        if code == regency.code and round_code == Round.OPENING and index < total]
            voting_round_submit(election=election, regency=regency, by=officer, now=at, data={
                "round": round_code, "tps_opened": total, "tps_closed": max(closed, 0),
                "tps_counted": max(counted, 0), "problems": problems,
                "turnout_percent": f"{62 + (r * 3.7) % 14:.1f}" if round_code == Round.COUNTING else None,
                "summary": "Pemungutan suara berjalan lancar." if round_code != Round.CLOSING
                else "Pemungutan suara ditutup pukul 13.00; penghitungan dimulai."})


def _recap(election, regencies, now, *, complete):
    """Each level's recapitulation as far as its window has got by `now` (all done when `complete`)."""
    officers, secretariat = _officers(election), _secretariat(election)
    if secretariat is None:
        return
    today = election.local_date(now)
    recorded = set(RecapProgress.objects.filter(election=election).values_list("contest_id", "level", "region"))
    contests = list(Contest.objects.filter(election=election).order_by("kind", "regency_id"))
    districts = {}
    for code, regency in District.objects.filter(regency__in=regencies).order_by("code").values_list(
            "code", "regency_id"):
        districts.setdefault(regency, []).append(code)
    for contest in contests:
        places = []
        for regency in regencies:
            if contest.kind == ContestKind.LOCAL and contest.regency_id != regency.code:
                continue
            officer = officers.get(regency.code)
            places += [(RecapLevel.DISTRICT, code, officer) for code in districts.get(regency.code, [])]
            places.append((RecapLevel.REGENCY, regency.code, officers.get(regency.code)))
        if contest.kind == ContestKind.GOVERNOR:
            places.append((RecapLevel.PROVINCE, election.province_id, secretariat))
        for index, (level, code, by) in enumerate(places):
            if by is None or (contest.pk, level, code) in recorded:
                continue
            start, end = election.recap_window(level)
            span = (end - start).days
            started = start + dt.timedelta(days=index % 2)
            finished = started + dt.timedelta(days=min(span - index % 2, 1 + index % max(span, 1)))
            if level == RecapLevel.PROVINCE:  # Kaltim's own: the window's last two days (8-9 Dec 2024)
                started, finished = end - dt.timedelta(days=1), end
            if complete or finished < today:
                data = {"status": RecapStatus.DONE, "started_on": started, "finished_on": finished}
            elif started <= today:
                data = {"status": RecapStatus.IN_PROGRESS, "started_on": started}
            else:
                data = {}
            recap_record(contest=contest, level=level, region=code, by=by, data=data, now=now)


@transaction.atomic
def seed_history(election, now):
    """What the live simulation's voting day and recapitulation hold by `now`."""
    today = election.local_date(now)
    if today < election.voting_day:
        return
    regencies = list(Regency.objects.filter(province_id=election.province_id).order_by("code"))
    end_of_voting_day = _at(election, election.voting_day, 23, 59)
    until = min(now, end_of_voting_day)
    _rounds(election, regencies, until)
    _field_statuses(election, regencies, until, skip={"64.07"})
    if today > election.voting_day:
        _recap(election, regencies, now, complete=False)


@transaction.atomic
def seed_completed(election, now):
    """The 2024 election after the fact: a complete voting day, recapitulation done, one dispute."""
    regencies = list(Regency.objects.filter(province_id=election.province_id).order_by("code"))
    end_of_voting_day = _at(election, election.voting_day, 23, 59)
    _rounds(election, regencies, end_of_voting_day, complete=True)
    _field_statuses(election, regencies, end_of_voting_day)
    _recap(election, regencies, now, complete=True)
    secretariat = _secretariat(election)
    if secretariat and election.voting_day == dt.date(2024, 11, 27):
        for code, n, day in REVOTES:
            stations = list(PollingStation.objects.filter(regency_id=code).order_by("-pk")[:n])
            # Seeding twice lists them once (a second listing of a TPS for the same day is refused).
            if stations and not RevoteTps.objects.filter(election=election, tps__in=stations).exists():
                revote_schedule(election=election, stations=stations, date=dt.date(2024, 12, day), by=secretariat,
                                now=now, reason="Pemungutan suara ulang atas rekomendasi Panwascam (contoh demo).")
    # Kutai Kartanegara's race went to the court (the demo's case; any local race where Kukar is absent).
    local = Contest.objects.filter(election=election, kind=ContestKind.LOCAL)
    contest = local.filter(regency_id="64.02").first() or local.order_by("regency_id").first()
    if contest and secretariat and not Dispute.objects.filter(election=election).exists():
        dispute = dispute_file(contest=contest, by=secretariat, now=now, data={
            "filed_on": dt.date(2024, 12, 11), "case_number": "DEMO-01/PHPU.BUP-XXIII/2025",
            "note": "Contoh untuk demo: nomor perkara dan tanggal bukan data resmi."})
        dispute_update(dispute=dispute, by=secretariat, now=now, data={"status": "hearing"})
        dispute_update(dispute=dispute, by=secretariat, now=now, data={
            "status": "decided", "decision": "revote", "decided_on": dt.date(2025, 2, 24)})

