"""The officer's situation room: their regency's districts on a map by share of TPS counted, with the table
that says the same in words; the table and a note where the districts have no outlines."""

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions.models import DistrictBoundary, PollingStation
from tests import factories
from tests.desk.helpers import outlines_load
from votingday.room import district_counted
from votingday.services import tps_status_record

from .conftest import wita

pytestmark = pytest.mark.django_db
VOTING = wita(2024, 11, 27, 15, 0)


def _statuses(regency, district_code, status, n):
    """`n` TPS of the district report `status` from the field."""
    stations = PollingStation.objects.filter(village__district_id=district_code).order_by("pk")[:n]
    for tps in stations:
        tps_status_record(tps=tps, status=status, note="", at=wita(2024, 11, 27, 14, 10), source="sms")


def _row(html, code):
    match = re.search(rf'<tr id="district-{re.escape(code)}"[^>]*>', html)
    assert match, code
    return match.group(0)


def _area(html, code):
    match = re.search(rf'<a href="#district-{re.escape(code)}" class="map-area"[^>]*>', html)
    return match.group(0) if match else None


@time_machine.travel(VOTING, tick=False)
def test_officer_room_maps_their_districts_by_share_of_tps_counted(client, election, samarinda, balikpapan,
                                                                    officer):
    outlines_load([samarinda, balikpapan])
    _statuses(samarinda, "64.72.01", "counted", 3)  # 3 of the district's 4 TPS
    _statuses(samarinda, "64.72.02", "closed", 2)  # closed, not counted yet
    client.force_login(officer)
    for url in ("/voting-day/", "/voting-day/panel/"):  # the panel is what the page fetches every minute
        html = client.get(url).content.decode()
        first, second = _row(html, "64.72.01"), _row(html, "64.72.02")
        assert 'data-counted="3" data-tps="4" data-counted-share="75.0"' in first and 'data-state="most"' in first
        assert 'data-counted="0" data-tps="4" data-counted-share="0.0"' in second and 'data-state="none"' in second
        assert 'data-state="most"' in _area(html, "64.72.01") and 'data-state="none"' in _area(html, "64.72.02")
        assert "Kota Samarinda D1 (75,0 %): Separuh atau lebih TPS selesai" in html  # each area named, in words
        assert "3 dari 4" in html and "75 %" in html
        # The legend: every share band with how many districts are in it.
        assert re.search(r'data-state="most">.*?Separuh atau lebih TPS selesai: <strong>1</strong>', html, re.S)
        assert 'id="district-map-missing"' not in html
        # Their regency only: neither Balikpapan's districts nor the province map.
        assert "64.71.01" not in html and 'data-code="64.72"' not in html
    assert "<script>" not in html and " style=" not in html


@time_machine.travel(VOTING, tick=False)
def test_district_shares_come_from_the_field_and_every_district_is_listed(election, samarinda):
    _statuses(samarinda, "64.72.02", "counted", 4)
    rows = district_counted(election=election, regency=samarinda)
    assert [(row["number"], row["district"].code, row["counted"], row["tps_total"], row["share"]) for row in rows] \
        == [(1, "64.72.01", 0, 4, 0.0), (2, "64.72.02", 4, 4, 100.0)]


@time_machine.travel(VOTING, tick=False)
def test_secretariat_room_keeps_the_province_map_without_the_district_table(client, election, samarinda,
                                                                             balikpapan, secretariat):
    outlines_load([samarinda, balikpapan])
    client.force_login(secretariat)
    html = client.get("/voting-day/").content.decode()
    assert html.count('class="map-area"') == 2 and 'data-code="64.72"' in html
    assert 'id="district-table"' not in html and 'id="district-map"' not in html


@time_machine.travel(VOTING, tick=False)
def test_other_officer_sees_their_own_districts(client, election, samarinda, balikpapan, other_officer):
    outlines_load([samarinda, balikpapan])
    _statuses(samarinda, "64.72.01", "counted", 4)
    client.force_login(other_officer)
    html = client.get("/voting-day/").content.decode()
    assert 'id="district-64.71.01"' in html and 'id="district-64.71.02"' in html
    assert "64.72.01" not in html
    assert 'data-counted-share="0.0"' in _row(html, "64.71.01")


@time_machine.travel(VOTING, tick=False)
def test_regency_without_district_outlines_shows_the_table_and_a_note(client, election, samarinda, officer):
    _statuses(samarinda, "64.72.01", "counted", 2)
    client.force_login(officer)
    html = client.get("/voting-day/").content.decode()
    assert 'id="district-map-missing"' in html and "Garis batas kecamatan Kota Samarinda belum dimuat" in html
    assert "desk-map-svg" not in html
    assert 'data-counted-share="50.0"' in _row(html, "64.72.01") and _row(html, "64.72.02")

    # Outlines for some districts only: the map of those, and a word on the others.
    outlines_load([samarinda])
    DistrictBoundary.objects.filter(district_id="64.72.02").delete()
    html = client.get("/voting-day/").content.decode()
    assert _area(html, "64.72.01") and not _area(html, "64.72.02")
    assert "1 kecamatan belum punya garis batas dan hanya ada di tabel." in html
    assert 'id="district-64.72.02"' in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@time_machine.travel(VOTING, tick=False)
def test_officer_room_queries_do_not_grow_with_the_regency(client, kaltim):
    small = factories.regency_make("64.72", "Kota Samarinda")  # 2 districts, 8 TPS
    large = factories.regency_make("64.02", "Kabupaten Kutai Kartanegara", districts=7, villages=3, tps=3)
    factories.election_make(kaltim, regencies=[small, large])
    outlines_load([small, large])
    for regency in (small, large):
        for district in regency.districts.all():
            _statuses(regency, district.code, "counted", 2)
    officers = {small: factories.officer_make(small), large: factories.officer_make(large, username="desk-kukar")}
    measured = {}
    for regency, officer in officers.items():
        client.force_login(officer)
        client.get("/voting-day/")  # the session's first read is not the page's
        measured[regency.code] = {url: _queries(client, url) for url in ("/voting-day/", "/voting-day/panel/")}
        html = client.get("/voting-day/").content.decode()
        assert html.count('class="map-area"') == regency.districts.count()
    assert measured["64.72"] == measured["64.02"]
