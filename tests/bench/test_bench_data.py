"""`make bench` writes its national data with raw SQL, outside the models. The same builders and self-checks,
run here on a two-regency country, keep them in step with the schema: a new NOT NULL column or constraint
breaks this test, not the next person's benchmark."""

import datetime as dt

import pytest

from bench import checks, data, measure
from tests.bench.small import shrink_country

# VACUUM ANALYZE, the builders' last step, cannot run inside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)

REGIONS = """code,name
64,Kalimantan Timur
64.72,Kota Samarinda
64.72.01,Palaran
64.72.01.1001,Rawa Makmur
64.72.01.1002,Handil Bakti
64.71,Kota Balikpapan
64.71.01,Balikpapan Selatan
64.71.01.1001,Sepinggan
"""


@pytest.fixture
def small_country(monkeypatch):
    shrink_country(monkeypatch, REGIONS, tps=10, incidents=12, report_days=8, extra_voters=5)


def test_the_bench_builds_a_small_country_that_passes_its_own_checks(small_country):
    first, last = data.build_all(dt.datetime.now(dt.UTC).date(), log=lambda message: None)

    sizes = checks.sizes()
    assert checks.built(sizes, days=data.REPORT_DAYS) == []
    assert sizes["tps"] == 10 and sizes["voters"] == 10 * 400 + 5 and sizes["incidents"] == 12
    assert sizes["daily_reports"] > 0

    now = measure.reference_now(last)
    for start in (last, first):  # one day, then the whole window: compliance flags what the anti-join finds
        _timing, flagged, expected = measure.compliance_vs_sql(first=start, last=last, now=now, repeats=1)
        assert checks.same_days("compliance", flagged, expected) == []

    national = measure.national_dashboard(one_province="64")
    assert national["provinces"] == 1 and national["national_queries"] == national["one_province_queries"]
