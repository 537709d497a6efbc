"""The national desk (Kemendagri): reads every province, side by side and one at a time; writes nothing."""

import datetime as dt
from collections import Counter

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from reports.constants import DayState
from reports.models import DailyReport
from reports.services import report_submit
from tests import factories
from tests.test_security_audit import NOW, _routes, _sample_path, _world

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces(election, samarinda, balikpapan, officer, other_province_regency, frozen):
    """Kaltim (Samarinda reported today on time, Balikpapan not: its deadline passed) and Kaltara (Tarakan)."""
    tarakan = other_province_regency
    kaltara = factories.election_make(tarakan.province, name="Pilkada Kaltara", regencies=[tarakan])
    worlds = {"64.72": _world(election, samarinda, officer),
              "65.71": _world(kaltara, tarakan, factories.officer_make(tarakan))}
    return {"kaltim": election, "kaltara": kaltara, "worlds": worlds}


@pytest.fixture
def frozen_at():
    """Noon in Kaltim (not the desk folder's evening): today's reports are still awaited."""
    return NOW


def _rows(response):
    return {row.province.code: row for row in response.context["rows"]}


def test_national_dashboard_has_a_row_per_province_with_todays_reports_and_the_window(client, national,
                                                                                       two_provinces):
    client.force_login(national)
    response = client.get("/")
    assert response.status_code == 200
    rows = _rows(response)
    assert set(rows) == {"64", "65"}
    kaltim, kaltara = rows["64"], rows["65"]
    # 20 Nov 12.00 WITA: Samarinda reported today (on time); Balikpapan is still awaited, not missed.
    assert (kaltim.regencies, kaltim.reported_today, kaltim.today[DayState.DUE]) == (2, 1, 1)
    assert kaltim.today[DayState.MISSED] == 0
    # 1-19 November passed with no report from either regency: all missed; today's one report is on time.
    assert kaltim.window[DayState.MISSED] == 2 * 19 and kaltim.window[DayState.ON_TIME] == 1
    assert kaltim.compliance_percent == round(100 * 1 / 39)
    assert (kaltara.regencies, kaltara.reported_today) == (1, 1)
    assert kaltim.open_flags == 1 and kaltim.new_incidents == 1
    content = response.content.decode()
    assert "Kalimantan Timur" in content and "Kalimantan Utara" in content
    assert 'href="/provinces/65/"' in content


def test_national_dashboard_sorts_by_a_column_either_way(client, national, two_provinces):
    kaltara, tarakan = two_provinces["kaltara"], two_provinces["worlds"]["65.71"]
    # Tarakan also reported yesterday on time: Kaltara's compliance rises above Kaltim's.
    report_submit(election=kaltara, regency=tarakan["regency"], by=tarakan["officer"], now=NOW - dt.timedelta(days=1),
                  data={"report_date": NOW.date() - dt.timedelta(days=1), "situation": "conducive",
                        "summary": "Aman.", "sources": ["kpu"]})
    client.force_login(national)
    descending = client.get("/", {"sort": "-compliance"})
    assert [row.province.code for row in descending.context["rows"]] == ["65", "64"]
    assert 'aria-sort="descending"' in descending.content.decode()
    ascending = client.get("/", {"sort": "compliance"})
    assert [row.province.code for row in ascending.context["rows"]] == ["64", "65"]
    assert client.get("/", {"sort": "nonsense"}).status_code == 200


def test_national_dashboard_queries_do_not_grow_with_the_provinces(client, national, two_provinces):
    client.force_login(national)
    with CaptureQueriesContext(connection) as two:
        client.get("/")
    for code, name in (("61", "Kalimantan Barat"), ("62", "Kalimantan Tengah")):
        factories.province_make(code, name)
        regency = factories.regency_make(f"{code}.71", f"Kota {name}")
        factories.election_make(regency.province, name=f"Pilkada {name}", regencies=[regency])
    with CaptureQueriesContext(connection) as four:
        response = client.get("/")
    assert len(_rows(response)) == 4
    assert len(four.captured_queries) == len(two.captured_queries)


@pytest.mark.parametrize(("code", "viewer", "status"), [
    ("64", "national", 200), ("65", "national", 200), ("64", "secretariat", 200), ("65", "secretariat", 404),
    ("64", "officer", 404), ("99", "national", 404),
])
def test_province_page_for_the_national_desk_and_the_provinces_own_secretariat(request, client, two_provinces,
                                                                             national, code, viewer, status):
    client.force_login(request.getfixturevalue(viewer))
    response = client.get(f"/provinces/{code}/")
    assert response.status_code == status
    if status == 200:
        assert [e.province_id for e in response.context["elections"]] == [code]
        if viewer == "national":
            content = response.content.decode()
            assert "desk nasional hanya membaca" in content
            assert "/reports/excuse/" not in content  # no secretariat action offered


def test_anonymous_is_sent_to_login_from_the_province_page(client, two_provinces):
    response = client.get("/provinces/64/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_national_reads_every_provinces_pages_exports_and_api(client, national, two_provinces):
    worlds = two_provinces["worlds"]
    client.force_login(national)
    for code in ("64.72", "65.71"):
        world = worlds[code]
        for url in (f"/regencies/{code}/", f"/reports/{world['report'].pk}/", f"/violations/{world['incident'].pk}/",
                    f"/violations/{world['incident'].pk}/evidence/{world['evidence'].pk}/", f"/logistics/{code}/"):
            assert client.get(url).status_code == 200, url
    export = b"".join(client.get("/exports/daily-reports.csv").streaming_content).decode("utf-8-sig")
    assert "64.72" in export and "65.71" in export
    api = APIClient()
    api.force_authenticate(national)
    for url in ("/api/v1/daily-reports/", "/api/v1/violations/", "/api/v1/flags/", "/api/v1/logistics/receipts/",
                "/api/v1/regencies/"):
        body = api.get(url).content.decode()
        assert "64.72" in body and "65.71" in body, url


def _row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.app_label in {"reports", "logistics", "violations", "compliance", "desk", "regions",
                                         "elections"}}


def test_national_writes_nothing_on_any_route(client, national, two_provinces):
    """Every URL of the site, web and API, asked to change something by the national desk: refused."""
    worlds = two_provinces["worlds"]["64.72"]
    before = _row_counts()
    client.force_login(national)
    api = APIClient()
    api.force_authenticate(national)
    payload = {"regency": "64.72", "report_date": "2024-11-19", "situation": "alert", "summary": "x",
               "item": "ink", "quantity_received": 1, "received_at": "2024-11-20T09:00:00+08:00",
               "occurred_at": "2024-11-20T09:00:00+08:00", "category": "other", "origin": "finding",
               "description": "x", "to_status": "withdrawn", "note": "x", "comment": "x", "reason": "x",
               "date": "2024-11-19", "title": "x"}
    refused = {}
    for route, _callback in _routes():
        if route.startswith(("accounts/", "i18n/", "api/v1/token/")):
            continue  # signing in and out, the language: not desk data
        path = _sample_path(route)
        for obj in ("report", "incident", "receipt", "flag", "evidence"):
            path = path.replace("/1/", f"/{worlds[obj].pk}/", 1) if obj == "report" and "reports/" in path else path
        if route.startswith("api/"):
            for method in ("post", "patch", "put", "delete"):
                status = getattr(api, method)(path, payload, format="json").status_code
                refused[(method, path)] = status
        else:
            refused[("post", path)] = client.post(path, payload).status_code
    # Pages that only read answer a POST as a GET; what matters is that nothing anywhere changed (history
    # tables included, so an edit would show) and that nothing broke.
    assert [key for key, status in refused.items() if status >= 500] == []
    assert len(refused) > 60
    assert _row_counts() == before
    # The named writes, with records that exist and that the national desk can read: 403, not 404.
    report, incident = worlds["report"], worlds["incident"]
    for method, url in (("post", "/api/v1/daily-reports/"), ("patch", f"/api/v1/daily-reports/{report.pk}/"),
                        ("post", f"/api/v1/daily-reports/{report.pk}/acknowledge/"),
                        ("post", "/api/v1/logistics/receipts/"), ("post", "/api/v1/violations/"),
                        ("patch", f"/api/v1/violations/{incident.pk}/"),
                        ("post", f"/api/v1/violations/{incident.pk}/evidence/"), ("post", "/api/v1/excused-days/")):
        assert getattr(api, method)(url, payload, format="json").status_code == 403, (method, url)
    for url in ("/reports/new/", f"/reports/{report.pk}/edit/", f"/reports/{report.pk}/acknowledge/",
                "/reports/excuse/", f"/violations/{incident.pk}/move/", f"/violations/{incident.pk}/edit/",
                "/violations/new/", "/logistics/64.72/receipts/", "/rakor/",
                f"/compliance/flags/{worlds['flag'].pk}/dismiss/"):
        assert client.post(url, payload).status_code == 403, url
    assert DailyReport.objects.count() == before["reports.DailyReport"]


def test_from_voting_day_the_national_table_shows_the_rounds_and_the_governors_recap(client, national, election,
                                                                                     samarinda, balikpapan, officer):
    import time_machine

    from elections.models import Contest
    from votingday.services import recap_record, voting_round_submit

    wita = election.zone
    election.recap_district_start, election.recap_district_end = dt.date(2024, 11, 28), dt.date(2024, 12, 3)
    election.recap_regency_start, election.recap_regency_end = dt.date(2024, 11, 29), dt.date(2024, 12, 6)
    election.recap_province_start, election.recap_province_end = dt.date(2024, 11, 30), dt.date(2024, 12, 9)
    election.save()
    client.force_login(national)
    with time_machine.travel(dt.datetime(2024, 11, 20, 9, tzinfo=wita), tick=False):
        before = client.get("/")
    assert "Hari pencoblosan dan rekapitulasi" not in before.content.decode()

    voting_round_submit(election=election, regency=samarinda, by=officer, now=dt.datetime(2024, 11, 27, 9, tzinfo=wita),
                        data={"round": "opening", "tps_opened": 8, "tps_closed": 0, "tps_counted": 0})
    governor = Contest.objects.get(election=election, kind="governor")
    district = samarinda.districts.order_by("code").first()
    recap_record(contest=governor, level="district", region=district.code, by=officer,
                 now=dt.datetime(2024, 12, 1, 9, tzinfo=wita),
                 data={"status": "done", "started_on": dt.date(2024, 11, 28), "finished_on": dt.date(2024, 12, 1)})
    with time_machine.travel(dt.datetime(2024, 12, 1, 10, tzinfo=wita), tick=False):
        after = client.get("/")
    row = _rows(after)["64"]
    assert row.voting["rounds"][0][1] == 1 and row.regencies == 2
    assert (row.voting["districts_done"], row.voting["districts"]) == (1, 4)
    assert "Rekap kecamatan 1/4" in after.content.decode()


def test_the_national_counts_agree_with_the_day_states_of_every_regency_day(election, samarinda, balikpapan, officer,
                                                                         other_officer, secretariat, frozen):
    """On time, late, excused (with and without a late report), missed and awaited, counted two ways."""
    from reports.selectors import day_states, state_counts_by_election
    from reports.services import day_excuse

    def report(regency, by, day, at):
        report_submit(election=election, regency=regency, by=by, now=at, data={
            "report_date": day, "situation": "conducive", "summary": "Aman.", "sources": ["kpu"]})

    day = dt.date(2024, 11, 10)
    report(samarinda, officer, day, dt.datetime(2024, 11, 10, 9, tzinfo=election.zone))
    report(balikpapan, other_officer, day, dt.datetime(2024, 11, 11, 9, tzinfo=election.zone))  # late
    report(samarinda, officer, day + dt.timedelta(days=1), dt.datetime(2024, 11, 12, 9, tzinfo=election.zone))
    for excused in (day + dt.timedelta(days=1), day + dt.timedelta(days=2)):
        day_excuse(election=election, regency=samarinda, date=excused, reason="Jaringan terputus", by=secretariat,
                   now=NOW)
    report(samarinda, officer, NOW.date(), NOW)  # today, on time; Balikpapan still awaited
    dates = list(election.reporting_dates(until=NOW.date()))
    expected = Counter(day_states(election=election, regencies=[samarinda, balikpapan], dates=dates,
                                  now=NOW).values())
    counted = state_counts_by_election(elections=[election], now=NOW)[election.pk]
    assert counted["window"] == expected
    assert expected[DayState.EXCUSED] == 2 and expected[DayState.LATE] == 1 and expected[DayState.DUE] == 1
    assert counted["today"] == Counter({DayState.ON_TIME: 1, DayState.DUE: 1})
