"""The secretariat downloads every export and reads it back, prints the dashboard, and clicks the map."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from compliance.models import Flag
from logistics.models import LogisticsReceipt
from reports.models import DailyReport
from tests import factories
from tests.desk.helpers import outlines_load
from tests.desk.test_exports import records
from violations.models import ViolationIncident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WITA = dt.timezone(dt.timedelta(hours=8))
KINDS = ["daily-reports", "logistics", "violations", "flags"]


@pytest.fixture
def live_world(kaltim, samarinda, balikpapan, officer, other_officer):
    """An election around the real today (the browser's clock cannot be frozen), three days of records."""
    today = timezone.now().astimezone(WITA).date()
    election = factories.election_make(kaltim, name="Simulasi", voting_day=today + dt.timedelta(days=7),
                                       regencies=[samarinda, balikpapan])
    for offset in (3, 2, 1):
        day = today - dt.timedelta(days=offset)
        records(election, samarinda, officer, day, note="Rapat di kantor camat.")
        records(election, balikpapan, other_officer, day)
    outlines_load([samarinda, balikpapan])
    return election


def download(page, selector):
    with page.expect_download() as info:
        page.click(selector)
    return open(info.value.path(), "rb").read()


def sheet_rows(content):
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def column(rows, header):
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def test_secretariat_downloads_each_export_and_the_rows_match_the_pages(page, secretariat, live_world):
    page.login(secretariat)
    page.goto(f"{page.base_url}/exports/")
    files = {what: sheet_rows(download(page, f"[data-export={what}] a:text('XLSX')")) for what in KINDS}

    # Daily reports: the same regencies and count as the review list shows.
    page.goto(f"{page.base_url}/reports/")
    listed = page.locator("#report-table tbody tr[data-report] td:nth-child(2)").all_inner_texts()
    assert sorted(column(files["daily-reports"], "Kabupaten/kota")) == sorted(listed)
    assert len(listed) == DailyReport.objects.count() == 6
    # Violations: the list's incidents.
    page.goto(f"{page.base_url}/violations/")
    assert len(files["violations"]) - 1 == ViolationIncident.objects.count() == 6
    assert set(column(files["violations"], "Kategori")) == {"Politik uang"}
    # Flags: every flag on the flags page (open ones: all of them here).
    page.goto(f"{page.base_url}/compliance/flags/?show=all")
    shown = page.locator("#flags li[data-regency]").count()
    assert len(files["flags"]) - 1 == shown == Flag.objects.count() == 6
    assert len(files["logistics"]) - 1 == LogisticsReceipt.objects.count() == 6
    assert set(column(files["logistics"], "Jumlah diterima (layak pakai)")) == {5}

    # A period and a regency narrow the download.
    yesterday = live_world.local_date() - dt.timedelta(days=1)
    page.goto(f"{page.base_url}/exports/")
    page.fill("#export-from", yesterday.isoformat())
    page.select_option("#export-regency", "64.72")
    page.submit("#export-filter button[type=submit]")
    text = download(page, "[data-export=daily-reports] a:text('CSV')").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[:2] for row in rows[1:]] == [[yesterday.isoformat(), "64.72"]]


def test_officer_exports_only_their_regency(page, officer, live_world):
    page.login(officer)
    page.goto(f"{page.base_url}/exports/")
    text = download(page, "[data-export=flags] a:text('CSV')").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert {row[1] for row in rows[1:]} == {"64.72"} and len(rows) == 4
    assert page.request.get(f"{page.base_url}/exports/flags.xlsx?regency=64.71").status == 404
    assert page.request.get(f"{page.base_url}/exports/flags.xlsx?from=kemarin").status == 400


def test_secretariat_clicks_a_regency_on_the_map_to_its_page(page, secretariat, live_world):
    page.login(secretariat)
    area = page.locator("#province-map a.map-area[data-code='64.71']")
    assert area.get_attribute("aria-label").startswith("Kota Balikpapan: ")
    with page.expect_navigation():
        area.click()
    assert page.url.endswith("/regencies/64.71/")
    assert "Kota Balikpapan" in page.inner_text("h1")
    page.shot("regency-page")

    # The regency page: every day of the window in the calendar, the report days linked.
    days = page.locator("#report-calendar [data-date]")
    assert days.count() == (live_world.reporting_end - live_world.reporting_start).days + 1
    with page.expect_navigation():
        page.locator("#report-calendar a[data-state]").first.click()
    assert "/reports/" in page.url


def test_printed_dashboard_keeps_state_colours_and_drops_navigation(page, secretariat, live_world):
    page.set_viewport_size({"width": 1200, "height": 900})
    page.login(secretariat)
    page.emulate_media(media="print")
    assert page.is_hidden("nav.navbar")
    assert page.is_hidden("select[name=language]") and page.is_hidden("footer")
    square = page.locator(".day-strip [data-state=late]").first
    assert square.evaluate("el => getComputedStyle(el).printColorAdjust") == "exact"
    assert square.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 193, 7)"
    assert square.inner_text().endswith("!")  # the mark, beside the colour
    assert page.is_visible("#province-map svg") and page.is_visible("#compliance-chart svg")
