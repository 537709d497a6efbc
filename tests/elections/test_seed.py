import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import RequestFactory

from accounts.scope import desk_scope
from elections.models import CandidatePair, Election
from regions.models import PollingStation, Regency, Village
from regions.summary import region_summary
from reports.models import DailyReport

DOMAIN_TABLE = {
    # code: (districts, kelurahan, desa, DPT, TPS, loksus)
    "64.01": (10, 5, 139, 211_299, 485, 5),
    "64.02": (20, 44, 193, 552_469, 1_447, 6),
    "64.03": (13, 10, 100, 198_347, 475, 3),
    "64.07": (16, 4, 190, 128_104, 321, 0),
    "64.08": (18, 2, 139, 297_994, 701, 2),
    "64.09": (4, 24, 30, 137_495, 293, 0),
    "64.11": (5, 0, 50, 27_869, 77, 0),
    "64.71": (6, 34, 0, 520_986, 996, 4),
    "64.72": (10, 59, 0, 612_072, 1_202, 7),
    "64.74": (3, 15, 0, 134_567, 277, 3),
}
OFFICERS = [
    "desk-paser", "desk-kutai-kartanegara", "desk-berau", "desk-kutai-barat", "desk-kutai-timur",
    "desk-penajam-paser-utara", "desk-mahakam-ulu", "desk-balikpapan", "desk-samarinda", "desk-bontang",
]


@pytest.fixture
def seeded(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    capsys.readouterr()


def test_seed_matches_kpu_figures_exactly(seeded, capsys):
    call_command("region_summary", "--json")
    assert capsys.readouterr().out.strip() == (
        '{"provinces": 1, "regencies": 10, "districts": 105, "villages": 1038, "tps": 6274, "voters": 2821202}'
    )
    _totals, rows = region_summary(province="64")
    kinds = {
        (row["regency_id"], row["kind"]): row["n"]
        for row in Village.objects.values("regency_id", "kind").annotate(n=Count("pk"))
    }
    loksus = dict(
        PollingStation.objects.exclude(location="regular").values_list("regency_id").annotate(n=Count("pk"))
    )
    for row in rows:
        districts, kelurahan, desa, voters, tps, special = DOMAIN_TABLE[row["code"]]
        assert (row["districts"], row["villages"], row["tps"], row["voters"]) == (
            districts, kelurahan + desa, tps, voters), row["code"]
        assert kinds.get((row["code"], "kelurahan"), 0) == kelurahan
        assert kinds.get((row["code"], "desa"), 0) == desa
        assert loksus.get(row["code"], 0) == special
    assert not PollingStation.objects.filter(voters__gt=600).exists()


def test_seed_creates_users_elections_and_pairs(seeded):
    login = RequestFactory().post("/accounts/login/")  # the lockout backend needs the request
    for username in ["admin", "sekretariat", *OFFICERS]:
        assert authenticate(login, username=username, password="demo12345") is not None, username
    election = Election.objects.get(is_active=True)
    assert str(election.voting_day) == "2024-11-27"
    assert (str(election.quiet_period_start), str(election.quiet_period_end)) == ("2024-11-24", "2024-11-26")
    assert (str(election.reporting_start), str(election.reporting_end)) == ("2024-11-01", "2024-12-16")
    assert election.logistics_deadline.isoformat() == "2024-11-26T16:00:00+00:00"
    assert CandidatePair.objects.filter(contest__election=election, contest__kind="governor").count() == 2
    assert CandidatePair.objects.filter(contest__election=election, contest__kind="local").count() == 25
    assert Regency.objects.get(pk="64.72").desk_profiles.get().user.username == "desk-samarinda"


def test_seed_is_idempotent(seeded, capsys):
    before = (PollingStation.objects.count(), CandidatePair.objects.count(), Election.objects.count())
    call_command("seed_demo")
    assert (PollingStation.objects.count(), CandidatePair.objects.count(), Election.objects.count()) == before


def test_seed_live_places_an_active_simulation_around_today(seeded):
    import datetime as dt

    call_command("seed_demo", "--live")
    election = Election.objects.get(is_active=True, province_id="64")
    today = election.local_date()
    assert election.voting_day == today + dt.timedelta(days=7)
    assert election.quiet_period_start == election.voting_day - dt.timedelta(days=3)
    assert election.reporting_start == today - dt.timedelta(days=21)
    assert election.reporting_end == election.voting_day + dt.timedelta(days=19)
    # Kalimantan Utara beside it, so the national desk compares two provinces; and the national desk's login.
    second = Election.objects.get(is_active=True, province_id="65")
    assert second.voting_day == election.voting_day and Regency.objects.filter(province_id="65").count() == 5
    assert Election.objects.count() == 3
    assert DailyReport.objects.filter(election=second).exists()
    national = User.objects.get(username="nasional")
    assert desk_scope(national).is_national and national.check_password("demo12345")


@pytest.mark.django_db
def test_seed_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")


def test_seed_loads_kaltim_boundaries_for_every_regency_and_district(seeded):
    from regions.models import District, DistrictBoundary, RegencyBoundary

    assert RegencyBoundary.objects.count() == 10
    assert DistrictBoundary.objects.count() == District.objects.count() == 105
    # The demo's districts carry their real codes and names, joined to the outlines.
    assert District.objects.get(pk="64.72.01").name == "Palaran"
