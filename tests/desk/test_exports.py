import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from compliance.models import Flag, FlagKind
from elections.models import CandidatePair
from logistics.models import LogisticsItem
from logistics.services import receipt_record
from reports.services import report_submit
from tests import factories
from tests.helpers import wita
from violations.services import incident_record

from .helpers import TODAY

pytestmark = pytest.mark.django_db
KINDS = ["daily-reports", "logistics", "violations", "flags"]


def records(election, regency, officer, day, *, note=""):
    """One record of every kind for `regency` on `day`, through the services."""
    district = regency.districts.order_by("code").first()
    report_submit(election=election, regency=regency, by=officer, now=wita(day, 21), data={
        "report_date": day, "situation": "alert", "summary": f"Situasi {regency.name} {day}.",
        "sources": ["kpu", "police"], "district_notes": {district.code: note} if note else {}})
    receipt_record(election=election, regency=regency, item=LogisticsItem.objects.get(code="ink"), by=officer,
                   now=wita(day, 11), data={"quantity_received": 5, "quantity_damaged": 1,
                                            "received_at": wita(day, 10, 30), "note": "Kiriman pertama.",
                                            "confirm_over_expected": True})
    incident_record(regency=regency, election=election, by=officer, now=wita(day, 12), occurred_at=wita(day, 8, 15),
                    category="money_politics", origin="finding", description="Amplop dibagikan.", district=district,
                    candidate_pair=CandidatePair.objects.get(contest__election=election, contest__kind="governor",
                                                             number=1))
    Flag.objects.create(election=election, regency=regency, kind=FlagKind.MISSED_DAILY_REPORT, date=day,
                        raised_at=wita(day, 20))


@pytest.fixture
def world(election, samarinda, balikpapan, officer, other_officer, frozen):
    for offset in (3, 2, 1):
        day = TODAY - dt.timedelta(days=offset)
        records(election, samarinda, officer, day, note="Rapat di kantor camat.")
        records(election, balikpapan, other_officer, day)
    return election


def xlsx_rows(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response):
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_anonymous_is_sent_to_login(client, samarinda):
    for url in ("/exports/", "/exports/daily-reports.xlsx", "/exports/flags.csv"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_daily_reports_xlsx_has_indonesian_headers_typed_cells_a_frozen_header_and_widths(client, secretariat, world):
    client.force_login(secretariat)

    response = client.get("/exports/daily-reports.xlsx")

    assert response["Content-Disposition"] == 'attachment; filename="daily-reports.xlsx"'
    sheet, rows = xlsx_rows(response)
    assert rows[0][:5] == ["Tanggal laporan", "Kode wilayah", "Kabupaten/kota", "Situasi", "Ringkasan kondisi terkini"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["E"].width == 60
    body = rows[1:]
    assert len(body) == 6
    first = dict(zip(rows[0], body[0], strict=True))
    # Real dates and times (the election's wall clock), not strings.
    assert first["Tanggal laporan"] == dt.datetime(2024, 11, 17)
    assert first["Dikirim pada (waktu setempat)"] == dt.datetime(2024, 11, 17, 21, 0)
    assert first["Kode wilayah"] == "64.71" and first["Situasi"] == "Waspada"
    assert first["Sumber informasi"] == "KPU, Kepolisian"
    assert first["Ketepatan"] == "Terlambat"
    samarinda_row = dict(zip(rows[0], body[1], strict=True))
    assert samarinda_row["Catatan per kecamatan"] == "Kota Samarinda D1: Rapat di kantor camat."


@pytest.mark.parametrize("what", KINDS)
def test_each_export_reads_back_the_same_rows_in_xlsx_and_csv(client, secretariat, world, what):
    client.force_login(secretariat)

    _sheet, xlsx = xlsx_rows(client.get(f"/exports/{what}.xlsx"))
    rows = csv_rows(client.get(f"/exports/{what}.csv"))

    assert rows[0] == xlsx[0]
    assert len(rows) == len(xlsx) == 7
    assert sorted(row[rows[0].index("Kode wilayah")] for row in rows[1:]) == ["64.71"] * 3 + ["64.72"] * 3


def test_numbers_in_cells_are_numbers(client, secretariat, world):
    client.force_login(secretariat)
    _sheet, rows = xlsx_rows(client.get("/exports/logistics.xlsx"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Jumlah diterima (layak pakai)"] == 5 and row["Jumlah rusak"] == 1
    assert row["Diterima pada (waktu setempat)"] == dt.datetime(2024, 11, 17, 10, 30)
    _sheet, rows = xlsx_rows(client.get("/exports/violations.xlsx"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert isinstance(row["Nomor"], int) and row["Kategori"] == "Politik uang"
    assert row["Pasangan calon"] == "01 Gubernur Satu - Wakil Satu"


@pytest.mark.parametrize("what", KINDS)
def test_officer_exports_only_their_own_regency(client, officer, world, what):
    client.force_login(officer)

    rows = csv_rows(client.get(f"/exports/{what}.csv"))

    codes = {row[rows[0].index("Kode wilayah")] for row in rows[1:]}
    assert codes == {"64.72"}
    assert client.get(f"/exports/{what}.csv?regency=64.71").status_code == 404
    assert client.get(f"/exports/{what}.xlsx?regency=64.71").status_code == 404


def test_secretariat_may_not_name_another_provinces_regency(client, secretariat, world, other_province_regency):
    client.force_login(secretariat)
    assert client.get("/exports/daily-reports.xlsx?regency=65.71").status_code == 404
    assert client.get("/exports/flags.csv?regency=64.99").status_code == 404


def test_from_to_and_regency_narrow_the_rows(client, secretariat, world):
    client.force_login(secretariat)
    day = TODAY - dt.timedelta(days=2)

    rows = csv_rows(client.get(f"/exports/daily-reports.csv?from={day}&to={day}&regency=64.72"))

    assert [row[:2] for row in rows[1:]] == [[day.isoformat(), "64.72"]]
    rows = csv_rows(client.get(f"/exports/violations.csv?from={day}"))
    assert len(rows) == 1 + 4
    response = client.get(f"/exports/flags.xlsx?to={day}&regency=64.71")
    assert response["Content-Disposition"] == f'attachment; filename="flags_64.71_{day}.xlsx"'
    assert len(xlsx_rows(response)[1]) == 1 + 2


@pytest.mark.parametrize(("query", "message"), [
    ("from=27-11-2024", "Parameter from harus tanggal dengan format YYYY-MM-DD"),
    ("to=2024-02-30", "Parameter to harus tanggal dengan format YYYY-MM-DD"),
    ("from=2024-11-20&to=2024-11-01", "Parameter from (2024-11-20) tidak boleh setelah to (2024-11-01)."),
    ("regency=Samarinda", "Parameter regency harus kode Kemendagri kabupaten/kota"),
])
def test_bad_parameters_are_400_with_a_clear_message(client, secretariat, world, query, message):
    client.force_login(secretariat)
    for fmt in ("xlsx", "csv"):
        response = client.get(f"/exports/violations.{fmt}?{query}")
        assert response.status_code == 400
        assert message in response.content.decode()
    assert message in client.get(f"/exports/?{query}").content.decode()


def test_unknown_export_is_404(client, secretariat):
    client.force_login(secretariat)
    assert client.get("/exports/users.csv").status_code == 404


def test_exports_page_links_every_export_with_the_chosen_filter(client, officer, world):
    client.force_login(officer)
    page = client.get("/exports/?from=2024-11-01&to=2024-11-30").content.decode()
    for what in KINDS:
        assert f'href="/exports/{what}.xlsx?from=2024-11-01&amp;to=2024-11-30"' in page
        assert f'href="/exports/{what}.csv?from=2024-11-01&amp;to=2024-11-30"' in page


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def test_exports_use_a_constant_number_of_queries_for_1_or_10_regencies_and_ten_times_the_records(
        client, election, samarinda, officer, secretariat, frozen):
    client.force_login(secretariat)
    records(election, samarinda, officer, TODAY - dt.timedelta(days=1), note="Catatan.")
    baseline = {(what, fmt): _count_queries(client, f"/exports/{what}.{fmt}") for what in KINDS
                for fmt in ("xlsx", "csv")}

    codes = ["64.01", "64.02", "64.03", "64.07", "64.08", "64.09", "64.11", "64.74"]
    for code in codes:
        regency = factories.regency_make(code, f"Kabupaten {code}", districts=1, villages=1, tps=1)
        officer_of = factories.officer_make(regency, username=f"desk-{code}")
        for offset in range(1, 11):
            records(election, regency, officer_of, TODAY - dt.timedelta(days=offset), note="Catatan.")

    for (what, fmt), count in baseline.items():
        assert _count_queries(client, f"/exports/{what}.{fmt}") == count, (what, fmt)


def test_from_and_to_are_days_in_the_elections_zone_not_the_sites(client, admin_user, settings):
    """Papua is WIT (UTC+9) on a WITA site: a receipt at 00.30 WIT on 20 November is the 20th's, not the 19th's."""
    from zoneinfo import ZoneInfo

    from logistics.models import LogisticsReceipt

    settings.TIME_ZONE = "Asia/Makassar"
    papua = factories.province_make("91", "Papua", time_zone="Asia/Jayapura")
    jayapura = factories.regency_make("91.71", "Kota Jayapura", districts=1, villages=1, tps=1)
    election = factories.election_make(papua, regencies=[jayapura])
    moment = dt.datetime(2024, 11, 20, 0, 30, tzinfo=ZoneInfo("Asia/Jayapura"))
    LogisticsReceipt.objects.create(election=election, regency=jayapura, item=LogisticsItem.objects.get(code="ink"),
                                    quantity_received=3, received_at=moment, created_at=moment,
                                    confirmed_by=admin_user)
    client.force_login(admin_user)

    on_the_20th = csv_rows(client.get("/exports/logistics.csv?from=2024-11-20&to=2024-11-20"))
    on_the_19th = csv_rows(client.get("/exports/logistics.csv?from=2024-11-19&to=2024-11-19"))

    assert [row[:2] for row in on_the_20th[1:]] == [["2024-11-20 00:30", "91.71"]]
    assert on_the_19th[1:] == []
