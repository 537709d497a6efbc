"""A web list given an invalid filter value shows the message and no rows, never the unfiltered list."""

import re

import pytest
import time_machine

from compliance.models import Flag
from tests.desk_records import NOW, desk_records_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(settings, tmp_path, election, samarinda, balikpapan, officer, secretariat):
    settings.MEDIA_ROOT = tmp_path / "media"
    desk_records_make(election=election, samarinda=samarinda, balikpapan=balikpapan, officer=officer,
                      secretariat=secretariat)
    assert Flag.objects.exists()


def _rows(page, marker):
    return re.findall(marker, page)


def test_report_list_with_an_invalid_value_shows_the_message_and_no_report(client, records, secretariat):
    client.force_login(secretariat)
    page = client.get("/reports/").content.decode()
    assert _rows(page, r"data-report=")  # the report is listed without a filter
    for query in ({"situation": "xyz"}, {"report_date": "2024-13-45"}, {"election": "abc"}):
        page = client.get("/reports/", query).content.decode()
        assert 'id="filter-invalid"' in page and "tidak ada data yang ditampilkan" in page, query
        assert not _rows(page, r"data-report="), query
        assert 'id="report-table"' not in page and "0 laporan" not in page, query
    page = client.get("/reports/", {"situation": "xyz"}).content.decode()
    assert "<li>Situasi: " in page  # the message names the field


def test_incident_list_with_an_invalid_value_shows_the_message_and_no_incident(client, records, secretariat):
    client.force_login(secretariat)
    assert _rows(client.get("/violations/").content.decode(), r'href="/violations/\d+/"')
    for query in ({"category": "xyz"}, {"date_from": "kemarin"}, {"regency": "99.99"}):
        page = client.get("/violations/", query).content.decode()
        assert 'id="filter-invalid"' in page, query
        assert not _rows(page, r'href="/violations/\d+/"') and 'id="incident-list"' not in page, query


def test_flag_list_with_an_invalid_value_shows_the_message_and_no_flag(client, records, secretariat):
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):
        assert _rows(client.get("/compliance/flags/", {"show": "all"}).content.decode(), r"data-kind=")
        for query in ({"kind": "xyz"}, {"show": "semua"}, {"period": "30"}):
            page = client.get("/compliance/flags/", query).content.decode()
            assert 'id="filter-invalid"' in page, query
            assert not _rows(page, r"data-kind=") and 'id="ranking"' not in page, query
        page = client.get("/compliance/flags/", {"show": "all", "kind": "", "period": "7"}).content.decode()
    assert 'id="filter-invalid"' not in page and _rows(page, r"data-kind=") and 'id="ranking"' in page


def test_exports_page_with_an_invalid_value_offers_no_unfiltered_download(client, records, secretariat):
    client.force_login(secretariat)
    assert 'id="export-links"' in client.get("/exports/").content.decode()
    response = client.get("/exports/", {"from": "2024-11-30", "to": "2024-11-01"})
    page = response.content.decode()
    assert response.status_code == 400 and "tidak boleh setelah" in page
    assert 'id="export-links"' not in page and "daily-reports.xlsx" not in page


@pytest.mark.parametrize("day", ["0012-05-01", "2099-11-29", "22-11-2024"])
def test_brief_for_a_day_outside_the_calendar_shows_the_message_only(client, records, secretariat, day):
    client.force_login(secretariat)
    response = client.get("/rakor/brief/", {"date": day})
    page = response.content.decode()
    assert response.status_code == 400 and 'id="brief-date-error"' in page
    assert "antara 1 November 2024 dan 16 Desember 2024" in page
    assert 'id="brief"' not in page and "LMT" not in page and "735600" not in page
    assert client.get("/rakor/brief.pdf", {"date": day}).status_code == 400
