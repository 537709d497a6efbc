"""The demo: Kalimantan Timur as it went into Pilkada Serentak 2024, and Kalimantan Utara beside it.

Kaltim's per-regency figures are KPU Kaltim's; district, village and TPS
names and the split of voters over TPS are generated, deterministically.
Kaltara is there so the national desk compares two provinces: its regency
codes and names and its district and village counts are Kemendagri's, its
names below the regency, voters and TPS are generated.
"""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.roles import Role
from accounts.services import roles_ensure, user_create_for_role
from regions.boundaries import KALTIM_FILES, boundaries_import, feature_names
from regions.constants import Level, TimeZone, TpsLocation
from regions.importing import regions_import, tps_import
from regions.models import Province, Regency

from .constants import ContestKind
from .models import CandidatePair, Contest, Election

DEMO_PASSWORD = "demo12345"
PROVINCE = ("64", "Kalimantan Timur")

# code, name, districts, kelurahan, desa, DPT, TPS, TPS lokasi khusus, regional pairs
# (27 pairs in all with the governor's two; regional pair names are generated)
REGENCIES = [
    ("64.01", "Kabupaten Paser", 10, 5, 139, 211_299, 485, 5, 3),
    ("64.02", "Kabupaten Kutai Kartanegara", 20, 44, 193, 552_469, 1_447, 6, 3),
    ("64.03", "Kabupaten Berau", 13, 10, 100, 198_347, 475, 3, 3),
    ("64.07", "Kabupaten Kutai Barat", 16, 4, 190, 128_104, 321, 0, 2),
    ("64.08", "Kabupaten Kutai Timur", 18, 2, 139, 297_994, 701, 2, 3),
    ("64.09", "Kabupaten Penajam Paser Utara", 4, 24, 30, 137_495, 293, 0, 4),
    ("64.11", "Kabupaten Mahakam Ulu", 5, 0, 50, 27_869, 77, 0, 2),
    ("64.71", "Kota Balikpapan", 6, 34, 0, 520_986, 996, 4, 2),
    ("64.72", "Kota Samarinda", 10, 59, 0, 612_072, 1_202, 7, 1),
    ("64.74", "Kota Bontang", 3, 15, 0, 134_567, 277, 3, 2),
]
GOVERNOR_PAIRS = ["Isran Noor - Hadi Mulyadi", "Rudy Mas'ud - Seno Aji"]
SPECIAL_LOCATIONS = [TpsLocation.PRISON, TpsLocation.COMPANY, TpsLocation.CAMPUS]

HISTORICAL_ELECTION = "Pilkada Serentak 2024 Kalimantan Timur"
LIVE_ELECTION = "Simulasi Desk Pilkada Kalimantan Timur"

# The second province: code, name, districts, kelurahan, desa, voters, TPS, TPS lokasi khusus, regional pairs.
SECOND_PROVINCE = ("65", "Kalimantan Utara")
SECOND_REGENCIES = [
    ("65.01", "Kabupaten Bulungan", 10, 7, 74, 112_400, 310, 1, 3),
    ("65.02", "Kabupaten Malinau", 15, 0, 109, 61_900, 228, 0, 2),
    ("65.03", "Kabupaten Nunukan", 21, 8, 232, 151_300, 466, 2, 3),
    ("65.04", "Kabupaten Tana Tidung", 5, 0, 32, 19_200, 71, 0, 2),
    ("65.71", "Kota Tarakan", 4, 20, 0, 166_800, 432, 2, 2),
]
SECOND_LIVE_ELECTION = "Simulasi Desk Pilkada Kalimantan Utara"

def _short_name(name):
    return name.removeprefix("Kabupaten ").removeprefix("Kota ")


def _split(total, parts):
    """Split `total` into `parts` near-equal whole numbers."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def regions_csv():
    """The province, its regencies, their real districts (codes and names from the boundary file)
    and generated villages, as an import file."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name"])
    writer.writerow(PROVINCE)
    districts = feature_names(KALTIM_FILES[1], level=Level.DISTRICT)
    for code, name, n_districts, kelurahan, desa, *_rest in REGENCIES:
        writer.writerow([code, name])
        short = _short_name(name)
        kinds = ["1"] * kelurahan + ["2"] * desa
        per_district = _split(len(kinds), n_districts)
        serial = {"1": 0, "2": 0}
        position = 0
        codes = sorted(district for district in districts if district.startswith(f"{code}."))
        for d, (district, count) in enumerate(zip(codes, per_district, strict=True), start=1):
            writer.writerow([district, districts[district]])
            for m in range(1, count + 1):
                kind = kinds[position]
                position += 1
                serial[kind] += 1
                writer.writerow([f"{district}.{kind}{serial[kind]:03d}", f"{short} {d:02d}-{m:02d}"])
    out.seek(0)
    return out


def tps_csv(village_codes_by_regency, regencies=REGENCIES):
    """TPS per regency spread over its villages, voters summing exactly to its DPT."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["village_code", "number", "voters", "location"])
    for code, _name, _d, _k, _desa, voters, tps, special, _pairs in regencies:
        villages = village_codes_by_regency[code]
        # Even split, then a deterministic wobble that cancels out in pairs.
        counts = _split(voters, tps)
        for i in range(0, tps - 1, 2):
            wobble = (i * 37) % 121 - 60
            counts[i] += wobble
            counts[i + 1] -= wobble
        tps_per_village = _split(tps, len(villages))
        index = 0
        for village, n in zip(villages, tps_per_village, strict=True):
            for number in range(1, n + 1):
                location = SPECIAL_LOCATIONS[index % 3] if index < special else TpsLocation.REGULAR
                writer.writerow([village, number, counts[index], location])
                index += 1
    out.seek(0)
    return out


def second_regions_csv():
    """The second province with generated districts and villages (the counts are Kemendagri's)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name"])
    writer.writerow(SECOND_PROVINCE)
    for code, name, n_districts, kelurahan, desa, *_rest in SECOND_REGENCIES:
        writer.writerow([code, name])
        short = _short_name(name)
        kinds = ["1"] * kelurahan + ["2"] * desa
        position, serial = 0, {"1": 0, "2": 0}
        for d, count in enumerate(_split(len(kinds), n_districts), start=1):
            district = f"{code}.{d:02d}"
            writer.writerow([district, f"Kecamatan {short} {d:02d}"])
            for m in range(1, count + 1):
                kind = kinds[position]
                position += 1
                serial[kind] += 1
                writer.writerow([f"{district}.{kind}{serial[kind]:03d}", f"{short} {d:02d}-{m:02d}"])
    out.seek(0)
    return out


def seed_second_province():
    """Kalimantan Utara's regions and TPS (no outlines: its maps say so)."""
    regions_import(second_regions_csv())
    villages = {}
    for regency in Regency.objects.filter(province_id=SECOND_PROVINCE[0]).prefetch_related("villages"):
        villages[regency.code] = [v.code for v in regency.villages.all()]
    tps_import(tps_csv(villages, SECOND_REGENCIES))
    Province.objects.filter(pk=SECOND_PROVINCE[0]).update(time_zone=TimeZone.WITA)


def _wita(day, hour=0, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(TimeZone.WITA))


@transaction.atomic
def seed_regions():
    regions_import(regions_csv())
    villages = {}
    for regency in Regency.objects.filter(province_id=PROVINCE[0]).prefetch_related("villages"):
        villages[regency.code] = [v.code for v in regency.villages.all()]
    tps_import(tps_csv(villages))
    for path in KALTIM_FILES:
        with open(path, encoding="utf-8") as stream:
            boundaries_import(stream)
    Province.objects.filter(pk=PROVINCE[0]).update(time_zone=TimeZone.WITA)


def _election(name, province=PROVINCE[0], **fields):
    """Create or refresh an election by name, keeping at most one active per province."""
    if fields.get("is_active"):
        Election.objects.filter(province_id=province, is_active=True).exclude(name=name).update(is_active=False)
    election, _created = Election.objects.update_or_create(name=name, province_id=province, defaults=fields)
    return election


def seed_historical_election(active=True, province=PROVINCE[0], name=HISTORICAL_ELECTION):
    voting = dt.date(2024, 11, 27)
    return _election(
        name, province,
        voting_day=voting,
        quiet_period_start=dt.date(2024, 11, 24),
        quiet_period_end=dt.date(2024, 11, 26),
        reporting_start=dt.date(2024, 11, 1),
        reporting_end=dt.date(2024, 12, 16),
        daily_cutoff=dt.time(20, 0),
        logistics_deadline=_wita(voting),
        is_active=active,
        # PKPU 2/2024: district 28 Nov-3 Dec, regency 29 Nov-6 Dec, province 30 Nov-9 Dec.
        **recap_windows(voting),
    )


# Days after voting day each recapitulation level opens and closes, as in 2024 (voting on 27 Nov).
RECAP_OFFSETS = {"district": (1, 6), "regency": (2, 9), "province": (3, 12)}
# Where `seed_demo --live --phase` puts today: a week before voting day (the default), on it, three days after.
LIVE_PHASES = {None: -7, "voting_day": 0, "post_voting": 3}
LIVE_NAMES = {None: LIVE_ELECTION, "voting_day": f"{LIVE_ELECTION} (hari pencoblosan)",
              "post_voting": f"{LIVE_ELECTION} (pascapencoblosan)"}


def recap_windows(voting):
    return {f"recap_{level}_{edge}": voting + dt.timedelta(days=days)
            for level, span in RECAP_OFFSETS.items() for edge, days in zip(("start", "end"), span, strict=True)}


def seed_live_election(today, phase=None, province=PROVINCE[0], name=None):
    """A simulation around today: voting a week ahead (or today, or three days ago with `phase`),
    history from three weeks back; Kaltim's unless another `province` and `name` are given.

    Dates are fixed when first created, so a second run keeps what was entered;
    each phase is its own simulation.
    """
    name = name or LIVE_NAMES[phase]
    existing = Election.objects.filter(name=name, province_id=province).first()
    if existing:
        return _election(name, province, is_active=True)
    voting = today - dt.timedelta(days=LIVE_PHASES[phase])
    return _election(
        name, province,
        voting_day=voting,
        quiet_period_start=voting - dt.timedelta(days=3),
        quiet_period_end=voting - dt.timedelta(days=1),
        reporting_start=today - dt.timedelta(days=21),
        reporting_end=voting + dt.timedelta(days=19),
        daily_cutoff=dt.time(20, 0),
        logistics_deadline=_wita(voting),
        is_active=True,
        **recap_windows(voting),
    )


SECOND_GOVERNOR_PAIRS = ["Calon Gubernur 01 - Wakil 01 Kaltara", "Calon Gubernur 02 - Wakil 02 Kaltara"]


def seed_contests(election):
    second = election.province_id == SECOND_PROVINCE[0]
    governor, _ = Contest.objects.get_or_create(election=election, kind=ContestKind.GOVERNOR)
    for number, names in enumerate(SECOND_GOVERNOR_PAIRS if second else GOVERNOR_PAIRS, start=1):
        CandidatePair.objects.update_or_create(contest=governor, number=number, defaults={"names": names})
    for code, name, *_rest, pairs in SECOND_REGENCIES if second else REGENCIES:
        contest, _ = Contest.objects.get_or_create(election=election, kind=ContestKind.LOCAL, regency_id=code)
        title = "Calon Wali Kota" if name.startswith("Kota ") else "Calon Bupati"
        for number in range(1, pairs + 1):
            CandidatePair.objects.update_or_create(
                contest=contest, number=number,
                defaults={"names": f"{title} {number:02d} - Wakil {number:02d} {_short_name(name)}"},
            )


def seed_users():
    roles_ensure()
    user_create_for_role(username="admin", password=DEMO_PASSWORD, role=Role.ADMIN, email="admin@example.org")
    province = Province.objects.get(pk=PROVINCE[0])
    user_create_for_role(
        username="sekretariat", password=DEMO_PASSWORD, role=Role.SECRETARIAT,
        province=province, email="sekretariat@example.org", phone="6281100000064",
    )
    for index, regency in enumerate(Regency.objects.filter(province=province), start=1):
        user_create_for_role(
            username=f"desk-{regency.slug}", password=DEMO_PASSWORD, role=Role.OFFICER, regency=regency,
            email=f"desk-{regency.slug}@example.org", phone=f"62811000{index:05d}",
        )
    user_create_for_role(username="nasional", password=DEMO_PASSWORD, role=Role.NATIONAL,
                         email="nasional@example.org")
    second = Province.objects.filter(pk=SECOND_PROVINCE[0]).first()
    if second is not None:
        user_create_for_role(
            username="sekretariat-kaltara", password=DEMO_PASSWORD, role=Role.SECRETARIAT, province=second,
            email="sekretariat-kaltara@example.org", phone="6281100000065",
        )
        for index, regency in enumerate(Regency.objects.filter(province=second), start=1):
            user_create_for_role(
                username=f"desk-{regency.slug}", password=DEMO_PASSWORD, role=Role.OFFICER, regency=regency,
                email=f"desk-{regency.slug}@example.org", phone=f"62812000{index:05d}",
            )
