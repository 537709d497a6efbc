"""The bench's voting-day keys on a two-province country: the builders keep up with the schema, the self-checks
pass, and the situation room's query count is the same for two regencies as for three."""

import datetime as dt

import pytest

from bench import checks, data, voting_day
from elections.models import Election
from votingday.models import TpsStatus, VotingRound

from .small import shrink_country
from .test_bench_data import REGIONS as KALTIM

# VACUUM ANALYZE, the builders' last step, cannot run inside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)

REGIONS = KALTIM + """65,Kalimantan Utara
65.01,Kabupaten Malinau
65.01.01,Malinau Kota
65.01.01.1001,Malinau Hulu
65.02,Kabupaten Bulungan
65.02.01,Tanjung Palas
65.02.01.1001,Tanjung Palas Hilir
65.71,Kota Tarakan
65.71.01,Tarakan Barat
65.71.01.1001,Karang Anyar
65.71.01.1002,Karang Rejo
"""


@pytest.fixture
def two_provinces(monkeypatch):
    shrink_country(monkeypatch, REGIONS, tps=45, incidents=6, report_days=4)
    monkeypatch.setattr(voting_day, "APPLY_TPS", 10)
    monkeypatch.setattr(voting_day, "APPLY_BATCH", 3)
    monkeypatch.setattr(voting_day, "SINGLE_TPS", 2)
    data.build_all(dt.datetime.now(dt.UTC).date(), log=lambda message: None)


def test_the_voting_day_keys_pass_their_own_checks_with_equal_query_counts(two_provinces):
    calendar = list(Election.objects.values_list("pk", "voting_day", "quiet_period_start", "quiet_period_end"))
    scales = checks.scales()
    assert (scales["province"]["regencies"], scales["large"]["regencies"]) == (2, 3)
    results = {"scales": {name: {"province": s["code"], "regencies": s["regencies"]} for name, s in scales.items()}}

    results.update(voting_day.run(scales, log=lambda message: None))

    assert checks.voting_day(results) == []
    room, applied = results["voting_day"], results["tps_status_apply"]
    for page in ("room", "panel"):
        assert room[page]["province_queries"] == room[page]["large_queries"] > 0
        assert room[page]["province_ms"] > 0 and room[page]["large_ms"] > 0
    assert room["built"]["rounds"] == 3 * 5 and VotingRound.objects.count() == 15
    assert room["built"]["scales"]["large"]["tps"] > room["built"]["scales"]["province"]["tps"] > 0
    # Ten TPS in sets of three (per election): opened, closed, counted, then the late opening changes nothing.
    assert [p["changed"] for p in applied["passes"].values()] == [10, 10, 10, 0]
    assert applied["statuses"] == applied["stored_as_meant"] == 10 and applied["per_second"] > 0
    assert TpsStatus.objects.filter(status="counted", source="web").count() == applied["single_statuses"] == 2
    # The calendar is put back for whatever the bench measures next.
    assert list(Election.objects.values_list("pk", "voting_day", "quiet_period_start", "quiet_period_end")) \
        == calendar
    assert "situation room /voting-day/" in voting_day.table(results)
