"""Synthetic incidents for the live demo (`seed_demo --live`): one of every state, with timelines."""

import datetime as dt

from django.db import transaction

from accounts.models import DeskProfile
from accounts.roles import Role
from elections.constants import ContestKind
from elections.models import CandidatePair
from regions.models import PollingStation

from .constants import Category, ForwardedTo, Origin, Outcome, Status
from .models import ViolationIncident
from .services import incident_move, incident_record

# Each: day after the reporting window opened and hour (local) it happened, category, origin,
# where (tps / village / regency), which pair (governor / local / None), description, then the
# moves as (day, hour, by "officer" or "secretariat", status, extra fields).
INCIDENTS = [
    (19, 9, Category.MONEY_POLITICS, Origin.FINDING, "tps", "governor",
     "Pembagian amplop berisi uang kepada warga di sekitar TPS oleh orang yang mengaku tim pemenangan.", []),
    (8, 14, Category.NEUTRALITY, Origin.PUBLIC_REPORT, "village", None,
     "Kepala desa mengunggah ajakan memilih salah satu pasangan calon di grup WhatsApp warga.", []),
    (12, 20, Category.CAMPAIGN_OUTSIDE_SCHEDULE, Origin.FINDING, "village", "local",
     "Pawai kendaraan dengan atribut pasangan calon di luar jadwal kampanye.",
     [(13, 10, "officer", Status.FORWARDED, {"forwarded_to": ForwardedTo.BAWASLU, "reference": "012/LP/PW/2024"})]),
    (9, 11, Category.BLACK_CAMPAIGN, Origin.PUBLIC_REPORT, "regency", "governor",
     "Selebaran berisi tuduhan tanpa dasar terhadap pasangan calon disebar di pasar.",
     [(10, 9, "officer", Status.FORWARDED, {"forwarded_to": ForwardedTo.GAKKUMDU, "reference": "GKD/07/XI/2024"}),
      (12, 15, "secretariat", Status.UNDER_REVIEW, {"note": "Klarifikasi saksi dijadwalkan Bawaslu."})]),
    (4, 16, Category.MONEY_POLITICS, Origin.FINDING, "tps", "local",
     "Pembagian sembako bergambar pasangan calon disertai ajakan memilih.",
     [(5, 9, "officer", Status.FORWARDED, {"forwarded_to": ForwardedTo.BAWASLU, "reference": "004/TM/PW/2024"}),
      (6, 10, "officer", Status.UNDER_REVIEW, {}),
      (15, 14, "secretariat", Status.CONCLUDED, {"outcome": Outcome.CRIMINAL,
                                                  "note": "Diteruskan Sentra Gakkumdu ke penyidikan."})]),
    (6, 13, Category.MISUSE_OF_FACILITIES, Origin.PUBLIC_REPORT, "village", None,
     "Mobil dinas kecamatan terlihat mengangkut spanduk kampanye.",
     [(7, 9, "officer", Status.FORWARDED, {"forwarded_to": ForwardedTo.BAWASLU, "reference": "009/LP/PW/2024"}),
      (8, 11, "officer", Status.UNDER_REVIEW, {}),
      (11, 16, "secretariat", Status.CONCLUDED, {"outcome": Outcome.NOT_A_VIOLATION,
                                                  "note": "Kendaraan ternyata milik pribadi."})]),
    (14, 19, Category.INTIMIDATION, Origin.PUBLIC_REPORT, "regency", None,
     "Warga melaporkan ancaman agar tidak datang ke TPS.",
     [(15, 8, "officer", Status.WITHDRAWN, {"note": "Pelapor mencabut laporannya; informasi keliru."})]),
]


def _at(election, day, hour):
    return dt.datetime.combine(election.reporting_start + dt.timedelta(days=day), dt.time(hour), tzinfo=election.zone)


def _desks(election):
    """(regency, officer) pairs of the election's province, and its secretariat user (or None)."""
    profiles = DeskProfile.objects.select_related("user", "regency").filter(
        regency__province_id=election.province_id, user__groups__name=Role.OFFICER,
    ).order_by("regency_id")
    officers = [(profile.regency, profile.user) for profile in profiles]
    secretariat = DeskProfile.objects.select_related("user").filter(
        province_id=election.province_id, user__groups__name=Role.SECRETARIAT,
    ).first()
    return officers, secretariat.user if secretariat else None


def _pair(election, regency, which):
    if which is None:
        return None
    pairs = CandidatePair.objects.filter(contest__election=election).order_by("number")
    if which == "governor":
        return pairs.filter(contest__kind=ContestKind.GOVERNOR).first()
    return pairs.filter(contest__kind=ContestKind.LOCAL, contest__regency=regency).first()


@transaction.atomic
def seed_history(election, now):
    """A handful of incidents across regencies in every state; a second run adds nothing."""
    officers, secretariat = _desks(election)
    if not officers:
        return []
    created = []
    for index, (day, hour, category, origin, where, pair, description, moves) in enumerate(INCIDENTS):
        regency, officer = officers[index % len(officers)]
        occurred_at = _at(election, day, hour)
        times = [occurred_at + dt.timedelta(hours=1)] + [_at(election, d, h) for d, h, *_rest in moves]
        if max(times) > now or ViolationIncident.objects.filter(
            election=election, regency=regency, category=category, occurred_at=occurred_at,
        ).exists():
            continue
        tps = PollingStation.objects.filter(regency=regency).select_related("village").order_by(
            "village_id", "number").first()
        place = {"tps": tps} if where == "tps" and tps else {}
        if where == "village" and tps:
            place = {"village": tps.village}
        incident = incident_record(
            regency=regency, election=election, by=officer, now=times[0], occurred_at=occurred_at,
            category=category, origin=origin, description=description, candidate_pair=_pair(election, regency, pair),
            **place,
        )
        for (_day, _hour, role, status, extra), at in zip(moves, times[1:], strict=True):
            by = secretariat if role == "secretariat" and secretariat else officer
            incident_move(incident=incident, to_status=status, by=by, now=at, **extra)
        created.append(incident)
    return created
