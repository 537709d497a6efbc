"""Small, explicit test data: a region tree, elections and desk users."""

import datetime as dt
from zoneinfo import ZoneInfo

from accounts.roles import Role
from accounts.services import roles_ensure, user_create_for_role
from elections.models import CandidatePair, Contest, ContestKind, Election
from regions.constants import RegencyKind, TimeZone
from regions.models import District, PollingStation, Province, Regency, Village

PASSWORD = "test-pass-123"


def province_make(code="64", name="Kalimantan Timur", time_zone=TimeZone.WITA):
    return Province.objects.get_or_create(code=code, defaults={"name": name, "time_zone": time_zone})[0]


def regency_make(code, name, *, districts=2, villages=2, tps=2, voters=300):
    """A regency with `districts` x `villages` villages (kelurahan) and `tps` TPS each."""
    province = province_make(code[:2]) if not Province.objects.filter(pk=code[:2]).exists() else Province.objects.get(
        pk=code[:2]
    )
    regency = Regency.objects.create(code=code, name=name, kind=RegencyKind.for_code(code), province=province)
    for d in range(1, districts + 1):
        district = District.objects.create(code=f"{code}.{d:02d}", name=f"{name} D{d}", regency=regency)
        for v in range(1, villages + 1):
            village = Village.objects.create(
                code=f"{district.code}.1{v:03d}", name=f"{name} D{d} V{v}", kind="kelurahan",
                district=district, regency=regency,
            )
            PollingStation.objects.bulk_create(
                PollingStation(village=village, regency=regency, number=n, voters=voters)
                for n in range(1, tps + 1)
            )
    return regency


def election_make(province, *, name="Pilkada Serentak 2024", voting_day=dt.date(2024, 11, 27),
                  time_zone=None, is_active=True, regencies=()):
    """An election of `province`; `time_zone` (WIB/WITA/WIT) sets the province's zone, the election's one source."""
    if time_zone is not None:
        province.time_zone = time_zone
        province.save(update_fields=["time_zone"])
    zone = ZoneInfo(province.time_zone)
    election = Election.objects.create(
        name=name, province=province, voting_day=voting_day,
        quiet_period_start=voting_day - dt.timedelta(days=3),
        quiet_period_end=voting_day - dt.timedelta(days=1),
        reporting_start=voting_day - dt.timedelta(days=26),
        reporting_end=voting_day + dt.timedelta(days=19),
        daily_cutoff=dt.time(20, 0),
        logistics_deadline=dt.datetime.combine(voting_day, dt.time(0, 0), tzinfo=zone),
        is_active=is_active,
    )
    governor = Contest.objects.create(election=election, kind=ContestKind.GOVERNOR)
    CandidatePair.objects.create(contest=governor, number=1, names="Gubernur Satu - Wakil Satu")
    CandidatePair.objects.create(contest=governor, number=2, names="Gubernur Dua - Wakil Dua")
    for regency in regencies:
        contest = Contest.objects.create(election=election, kind=ContestKind.LOCAL, regency=regency)
        CandidatePair.objects.create(contest=contest, number=1, names=f"Calon {regency.name} Satu")
    return election


def officer_make(regency, username=None):
    roles_ensure()
    return user_create_for_role(
        username=username or f"desk-{regency.slug}", password=PASSWORD, role=Role.OFFICER, regency=regency,
        email=f"{regency.slug}@example.org", phone="6281100000001",
    )


def national_make(username="nasional"):
    roles_ensure()
    return user_create_for_role(username=username, password=PASSWORD, role=Role.NATIONAL)


def secretariat_make(province, username="sekretariat"):
    roles_ensure()
    return user_create_for_role(
        username=username, password=PASSWORD, role=Role.SECRETARIAT, province=province,
        email="sekretariat@example.org",
    )


def admin_make(username="admin"):
    roles_ensure()
    return user_create_for_role(username=username, password=PASSWORD, role=Role.ADMIN)
