import pytest
import time_machine

from compliance.run import flags_check
from tests import factories
from tests.compliance.conftest import receipts_cover
from tests.helpers import wita


@pytest.mark.django_db
def test_secretariat_dashboard_shows_flags_violations_and_logistics(client, secretariat, officer, election, samarinda):
    receipts_cover(election, samarinda, officer)
    flags_check(now=wita(2024, 11, 27, 8, 0))
    client.force_login(secretariat)

    with time_machine.travel(wita(2024, 11, 27, 9, 0), tick=False):
        page = client.get("/").text

    assert "Tanda kepatuhan terbuka" in page
    assert '<span class="badge text-bg-danger">52</span>' in page  # 26 days x 2 regencies
    assert "1 dari 2 kabupaten/kota lengkap" in page
    assert 'id="province-logistics"' in page and "0 tercatat" in page


@pytest.mark.django_db
def test_secretariat_dashboard_queries_do_not_grow_with_regencies(client, secretariat, election,
                                                                  django_assert_num_queries):
    client.force_login(secretariat)
    with time_machine.travel(wita(2024, 11, 20, 21, 0), tick=False):
        client.get("/")  # warm the session and content-type caches
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as two:
            client.get("/")
        for n in range(1, 9):
            factories.regency_make(f"64.0{n}", f"Kabupaten {n}", districts=1, villages=1, tps=1)
        with django_assert_num_queries(len(two.captured_queries)):
            page = client.get("/").text
    assert "Kabupaten 8" in page
