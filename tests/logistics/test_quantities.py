"""Expected quantities: the catalogue rules applied to the TPS data, in the database."""

import pytest
from django.db import IntegrityError

from logistics.models import LogisticsItem, LogisticsReceipt
from logistics.selectors import expected_quantities, logistics_status
from regions.models import PollingStation
from tests import factories
from tests.logistics.conftest import record

CATALOGUE = {
    "ballot_governor", "ballot_local", "ballot_box_governor", "ballot_box_local", "form_c_governor", "form_c_local",
    "braille_template_governor", "braille_template_local", "voting_booth", "punch_tool", "ink", "seal",
}


def expected(regency, code):
    item = LogisticsItem.objects.get(code=code)
    return expected_quantities(regencies=[regency], items=[item])[(regency.code, item.pk)]


@pytest.mark.django_db
def test_data_migration_creates_the_twelve_item_catalogue():
    items = {item.code: item for item in LogisticsItem.objects.all()}
    assert set(items) == CATALOGUE
    assert items["ballot_local"].rule == "ballots_with_spare" and items["ballot_local"].spare_per_mille == 25
    assert (items["voting_booth"].per_tps, items["punch_tool"].per_tps, items["ink"].per_tps) == (4, 4, 2)
    assert items["ink"].name == "Tinta" and items["ink"].unit == "botol"


@pytest.mark.django_db
def test_per_tps_items_follow_the_tps_count(samarinda):
    # The Samarinda fixture: 2 districts x 2 villages x 2 TPS = 8 TPS.
    assert expected(samarinda, "ballot_box_local") == 8
    assert expected(samarinda, "ballot_box_governor") == 8
    assert expected(samarinda, "form_c_governor") == 8
    assert expected(samarinda, "voting_booth") == 32
    assert expected(samarinda, "punch_tool") == 32
    assert expected(samarinda, "ink") == 16
    assert expected(samarinda, "seal") == 8


@pytest.mark.django_db
@pytest.mark.parametrize(("voters", "ballots"), [(300, 308), (400, 410), (600, 615), (1, 2), (0, 0), (40, 41)])
def test_ballots_are_voters_plus_2_5_percent_rounded_up_per_tps(kaltim, voters, ballots):
    # 400 x 1.025 is 410.00000000000006 in floating point: integer arithmetic gives exactly 410.
    regency = factories.regency_make("64.74", "Kota Bontang", districts=1, villages=1, tps=1, voters=voters)
    assert expected(regency, "ballot_governor") == ballots
    assert expected(regency, "ballot_local") == ballots


@pytest.mark.django_db
def test_ballots_are_rounded_per_tps_then_summed(kaltim):
    regency = factories.regency_make("64.74", "Kota Bontang", districts=1, villages=1, tps=3, voters=0)
    PollingStation.objects.filter(regency=regency).update(voters=201)  # 206.025 each -> 207, not ceil(618.075)
    assert expected(regency, "ballot_local") == 3 * 207


@pytest.mark.django_db
def test_expected_for_many_regencies_comes_from_one_grouped_query(
    samarinda, balikpapan, django_assert_num_queries
):
    items = list(LogisticsItem.objects.all())
    with django_assert_num_queries(1):
        one = expected_quantities(regencies=[samarinda], items=items)
    with django_assert_num_queries(1):
        both = expected_quantities(regencies=[samarinda, balikpapan], items=items)
    assert len(one) == 12 and len(both) == 24
    assert both[("64.71", items[0].pk)] == 8 * 308


@pytest.mark.django_db
def test_regency_without_tps_expects_nothing_and_is_complete(election, kaltim):
    empty = factories.regency_make("64.11", "Kabupaten Mahakam Ulu", districts=0)
    rows = logistics_status(election=election, regencies=[empty])
    assert len(rows) == 12
    assert all(row.expected == 0 and row.complete for row in rows)


@pytest.mark.django_db
def test_changing_a_rule_changes_expected_but_not_recorded_receipts(election, samarinda, officer, items, now):
    record(election, samarinda, items["voting_booth"], officer, 32)
    booth = items["voting_booth"]
    booth.per_tps = 5
    booth.save()
    ballots = items["ballot_local"]
    ballots.spare_per_mille = 100
    ballots.save()

    status = {row.item.code: row for row in logistics_status(election=election, regencies=[samarinda])}
    assert status["voting_booth"].expected == 40
    assert status["voting_booth"].received == 32 and not status["voting_booth"].complete
    assert status["ballot_local"].expected == 8 * 330
    assert LogisticsReceipt.objects.get().quantity_received == 32


@pytest.mark.django_db
def test_catalogue_rule_and_spare_are_checked_by_the_database():
    item = LogisticsItem.objects.get(code="ink")
    item.rule = "per_voter"
    with pytest.raises(IntegrityError):
        item.save()
