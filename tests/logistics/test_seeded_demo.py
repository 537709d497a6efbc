"""The done-when checks on the full Kaltim demo (6,274 TPS), and the live demo history."""

import datetime as dt
import math
from fractions import Fraction

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from elections.demo import seed_contests, seed_live_election
from logistics.demo import seed_history
from logistics.models import DistrictDelivery, LogisticsItem, LogisticsReceipt, TpsDelivery
from logistics.selectors import distribution_progress, logistics_status_by_regency, regencies_with_shortfall
from regions.models import PollingStation, Regency
from tests.helpers import WITA

STATUS = "/api/v1/logistics/status/"


@pytest.fixture
def seeded(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    capsys.readouterr()


def user(username):
    return get_user_model().objects.get(username=username)


def rules_applied_to_tps():
    """The catalogue rules applied in Python, exactly (Fraction), to every TPS: {(regency, item): expected}."""
    totals = {}
    stations = list(PollingStation.objects.values_list("regency_id", "voters"))
    for item in LogisticsItem.objects.all():
        for regency, voters in stations:
            if item.rule == "ballots_with_spare":
                quantity = math.ceil(Fraction(voters) * Fraction(1000 + item.spare_per_mille, 1000))
            else:
                quantity = item.per_tps
            totals[(regency, item.code)] = totals.get((regency, item.code), 0) + quantity
    return totals


def test_samarinda_status_after_seed_demo(seeded, api):
    body = api.as_user(user("desk-samarinda")).get(f"{STATUS}?regency=64.72").json()

    rows = {row["item"]: row for row in body["results"]}
    assert body["count"] == 12 and {row["regency"] for row in rows.values()} == {"64.72"}
    assert rows["ballot_box_local"]["quantity_expected"] == 1202
    assert rows["voting_booth"]["quantity_expected"] == 4808
    assert 627_374 <= rows["ballot_local"]["quantity_expected"] <= 628_575
    assert rows["ballot_local"]["quantity_expected"] == rows["ballot_governor"]["quantity_expected"]
    assert not any(row["complete"] for row in rows.values())


def test_expected_sums_over_all_regencies_equal_the_rules_on_the_tps_data(
    seeded, api, django_assert_max_num_queries
):
    api.as_user(user("sekretariat"))
    with django_assert_max_num_queries(9):
        one = api.get(f"{STATUS}?regency=64.72").json()
    results = []
    page = f"{STATUS}?page=1"
    with django_assert_max_num_queries(9):  # 10 regencies: the same queries as for one
        first = api.get(page).json()
    results += first["results"]
    while first["next"]:
        first = api.get(first["next"]).json()
        results += first["results"]

    assert one["count"] == 12 and len(results) == 120
    assert {(row["regency"], row["item"]): row["quantity_expected"] for row in results} == rules_applied_to_tps()
    by_item = {}
    for row in results:
        by_item[row["item"]] = by_item.get(row["item"], 0) + row["quantity_expected"]
    assert by_item["ballot_box_governor"] == 6274 and by_item["voting_booth"] == 4 * 6274
    assert 2_821_202 * 1.025 <= by_item["ballot_local"] <= 2_821_202 * 1.025 + 6274


def test_live_demo_history_shows_every_state_and_runs_once(seeded):
    now = dt.datetime(2026, 11, 29, 9, 0, tzinfo=WITA)
    with time_machine.travel(now, tick=False):
        election = seed_live_election(today=now.date())
        seed_contests(election)
        seed_history(election, now)
        counts = (LogisticsReceipt.objects.count(), DistrictDelivery.objects.count(), TpsDelivery.objects.count())
        seed_history(election, now)
        assert (LogisticsReceipt.objects.count(), DistrictDelivery.objects.count(),
                TpsDelivery.objects.count()) == counts

    regencies = list(Regency.objects.order_by("code"))
    statuses = {s.regency.code: s for s in logistics_status_by_regency(election=election, regencies=regencies)}
    confirmed = {code for code, status in statuses.items() if status.confirmed}
    with_receipts = set(LogisticsReceipt.objects.values_list("regency_id", flat=True))
    assert len(confirmed) >= 4
    assert regencies_with_shortfall(election=election) == set(statuses) - confirmed
    assert len(with_receipts) == 9  # one regency (Mahakam Ulu) has none yet
    assert "64.11" not in with_receipts
    assert any(row.damaged for code in confirmed for row in statuses[code].items)
    assert any(row.damaged for code in set(statuses) - confirmed for row in statuses[code].items)
    assert LogisticsReceipt.objects.filter(received_at__gte=now).count() == 0
    progress = distribution_progress(election=election, regencies=regencies)
    tps_shares = {row.code: row.progress["tps"].percent for row in progress}
    assert tps_shares["64.01"] == 100 and tps_shares["64.11"] == 0
    assert any(0 < share < 100 for share in tps_shares.values())
