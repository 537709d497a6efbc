"""Exports voting-day and recap: the same rows in XLSX and CSV, typed cells, scoped, constant queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q

from elections.models import Contest
from regions.models import PollingStation
from tests import factories
from tests.desk.test_exports import _count_queries, csv_rows, xlsx_rows
from votingday.services import recap_record, voting_round_submit

from .conftest import counts, wita

pytestmark = pytest.mark.django_db
AFTER = wita(2024, 12, 10, 9)


def _rounds_and_recap(election, regency, officer):
    tps = PollingStation.objects.filter(regency=regency).order_by("pk").first()
    for round_code, hour in (("opening", 9), ("counting", 22)):
        voting_round_submit(election=election, regency=regency, by=officer, now=wita(2024, 11, 27, hour), data={
            "round": round_code, **counts(8, 8 if hour > 9 else 0, 8 if hour > 9 else 0),
            "turnout_percent": "69.2" if hour > 9 else None,
            "problems": [{"tps": tps.pk, "kind": "weather", "note": "Hujan deras"}] if hour == 9 else []})
    for contest in Contest.objects.filter(Q(regency__isnull=True) | Q(regency=regency), election=election):
        recap_record(contest=contest, level="regency", region=regency.code, by=officer, now=AFTER, data={
            "status": "done", "started_on": dt.date(2024, 11, 29), "finished_on": dt.date(2024, 12, 2)})


@pytest.fixture
def world(election, samarinda, balikpapan, officer, other_officer):
    _rounds_and_recap(election, samarinda, officer)
    _rounds_and_recap(election, balikpapan, other_officer)
    return election


@pytest.mark.parametrize("what", ["voting-day", "recap"])
def test_xlsx_and_csv_read_back_the_same_rows(client, secretariat, world, what):
    client.force_login(secretariat)
    _sheet, xlsx = xlsx_rows(client.get(f"/exports/{what}.xlsx"))
    rows = csv_rows(client.get(f"/exports/{what}.csv"))
    assert rows[0] == xlsx[0] and len(rows) == len(xlsx) == 5
    assert sorted(row[rows[0].index("Kode wilayah")][:5] for row in rows[1:]) == ["64.71"] * 2 + ["64.72"] * 2


def test_voting_day_cells_are_typed_and_name_the_problem_tps(client, secretariat, world):
    client.force_login(secretariat)
    _sheet, rows = xlsx_rows(client.get("/exports/voting-day.xlsx?regency=64.72"))
    opening, counting = (dict(zip(rows[0], row, strict=True)) for row in rows[1:])
    assert (opening["Tahap"], opening["TPS dibuka"], opening["Ketepatan"]) == ("Pembukaan TPS", 8, "Tepat waktu")
    assert "Hujan deras" in opening["TPS bermasalah"] and "Cuaca/bencana" in opening["TPS bermasalah"]
    assert Decimal(str(counting["Partisipasi (%)"])) == Decimal("69.2") and counting["Ketepatan"] == "Terlambat"
    assert counting["Dikirim pada (waktu setempat)"] == dt.datetime(2024, 11, 27, 22, 0)
    csv = csv_rows(client.get("/exports/voting-day.csv?regency=64.72"))
    assert csv[2][csv[0].index("Partisipasi (%)")] == "69.2"  # never "69,2"


@pytest.mark.parametrize("what", ["voting-day", "recap"])
def test_officer_exports_only_their_regency(client, officer, world, what):
    client.force_login(officer)
    rows = csv_rows(client.get(f"/exports/{what}.csv"))
    assert {row[rows[0].index("Kode wilayah")] for row in rows[1:]} == {"64.72"}
    assert client.get(f"/exports/{what}.csv?regency=64.71").status_code == 404


def test_exports_queries_do_not_grow_with_regencies(client, election, samarinda, officer, secretariat):
    _rounds_and_recap(election, samarinda, officer)
    client.force_login(secretariat)
    urls = [f"/exports/{what}.{fmt}" for what in ("voting-day", "recap") for fmt in ("xlsx", "csv")]
    baseline = {url: _count_queries(client, url) for url in urls}
    for code in ("64.01", "64.02", "64.03"):
        regency = factories.regency_make(code, f"Kabupaten {code}", districts=1, villages=1, tps=8)
        Contest.objects.create(election=election, kind="local", regency=regency)
        _rounds_and_recap(election, regency, factories.officer_make(regency, username=f"desk-{code}"))
    assert {url: _count_queries(client, url) for url in urls} == baseline
