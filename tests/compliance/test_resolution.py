"""Flags meet the desk's own actions: a late report, an excuse, the last receipt."""

import datetime as dt

import pytest
import time_machine

from compliance.models import Flag, FlagKind, Resolution
from compliance.run import check_compliance
from reports.selectors import day_states
from reports.services import day_excuse
from tests.helpers import wita

NOV20 = dt.date(2024, 11, 20)


@pytest.mark.django_db
def test_late_report_through_the_api_resolves_the_flag_and_the_day_reads_late(api, election, officer, samarinda):
    check_compliance(now=wita(2024, 11, 20, 20, 30))
    flag = Flag.objects.get(regency=samarinda, date=NOV20)
    assert flag.is_open

    api.as_user(officer)
    with time_machine.travel(wita(2024, 11, 20, 21, 15), tick=False):
        response = api.post("/api/v1/daily-reports/", {
            "regency": "64.72", "report_date": "2024-11-20", "situation": "conducive",
            "summary": "Situasi aman, laporan terlambat karena jaringan.", "sources": ["kpu"],
        }, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["is_late"] is True

    listed = api.get("/api/v1/flags/?regency=64.72&date=2024-11-20").json()["results"][0]
    assert listed["raised_at"] == "2024-11-20T20:00:00+08:00"
    assert listed["resolved_at"] == "2024-11-20T21:15:00+08:00"
    assert api.get("/api/v1/flags/?regency=64.72&open=true&date=2024-11-20").json()["count"] == 0
    states = day_states(election=election, regencies=[samarinda], dates=[NOV20], now=wita(2024, 11, 21, 8, 0))
    assert states[("64.72", NOV20)] == "late"


@pytest.mark.django_db
def test_excusing_the_day_resolves_its_flag(election, secretariat, balikpapan):
    check_compliance(now=wita(2024, 11, 20, 20, 30))

    day_excuse(election=election, regency=balikpapan, date=NOV20, reason="Jaringan terputus",
               by=secretariat, now=wita(2024, 11, 21, 9, 0))

    flag = Flag.objects.get(regency=balikpapan, date=NOV20, kind=FlagKind.MISSED_DAILY_REPORT)
    assert (flag.resolution, flag.resolved_by, flag.resolved_at) == (
        Resolution.EXCUSED, secretariat, wita(2024, 11, 21, 9, 0))


@pytest.mark.django_db
def test_the_receipt_that_completes_the_cover_resolves_the_logistics_flag(election, officer, samarinda):
    from logistics.models import LogisticsItem
    from logistics.selectors import expected_quantities
    from logistics.services import receipt_record

    check_compliance(now=wita(2024, 11, 27, 0, 5))
    flag = Flag.objects.get(regency=samarinda, kind=FlagKind.LOGISTICS_UNCONFIRMED)
    expected = expected_quantities(regencies=[samarinda])
    items = list(LogisticsItem.objects.all())
    for minute, item in enumerate(items):
        at = wita(2024, 11, 27, 8, minute)
        receipt_record(election=election, regency=samarinda, item=item, by=officer, now=at, data={
            "quantity_received": expected[(samarinda.code, item.pk)], "received_at": at})
        flag.refresh_from_db()
        assert flag.is_open == (item != items[-1])

    assert (flag.resolution, flag.resolved_at) == (Resolution.RECEIPTS, wita(2024, 11, 27, 8, len(items) - 1))
