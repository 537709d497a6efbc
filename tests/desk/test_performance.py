"""The pages that read every stream keep a constant number of queries: 1 or 10 regencies, 1x or 10x the records."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

from .helpers import TODAY, outlines_load
from .test_exports import records

pytestmark = pytest.mark.django_db
CODES = ["64.01", "64.02", "64.03", "64.07", "64.08", "64.09", "64.11", "64.71", "64.74"]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(captured)


def test_dashboard_and_regency_page_queries_do_not_grow_with_regencies_days_or_records(client, kaltim, frozen):
    samarinda = factories.regency_make("64.72", "Kota Samarinda")
    election = factories.election_make(kaltim, regencies=[samarinda])
    officer = factories.officer_make(samarinda)
    client.force_login(factories.secretariat_make(kaltim))
    records(election, samarinda, officer, TODAY - dt.timedelta(days=1), note="Catatan.")
    outlines_load([samarinda])
    client.get("/")  # warm the session and content-type caches
    urls = ["/", "/regencies/64.72/", "/compliance/flags/"]
    one = {url: queries(client, url) for url in urls}

    regencies = [samarinda]
    for code in CODES:
        regency = factories.regency_make(code, f"Kabupaten {code}", districts=2, villages=1, tps=1)
        regencies.append(regency)
        officer_of = factories.officer_make(regency, username=f"desk-{code}")
        for offset in range(1, 11):
            records(election, regency, officer_of, TODAY - dt.timedelta(days=offset), note="Catatan.")
    for offset in range(2, 11):
        records(election, samarinda, officer, TODAY - dt.timedelta(days=offset), note="Catatan.")
    outlines_load(regencies)

    ten = {url: queries(client, url) for url in urls}
    assert ten == one
    page = client.get("/").content.decode()
    assert page.count('class="map-area"') == 10
