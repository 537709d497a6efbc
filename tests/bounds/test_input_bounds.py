"""Every value a desk enters has a sensible range, on the web forms and the API alike.

The election's calendar (reporting window, with a margin before it for the
campaign and the first logistics) bounds every date and time; nothing may be
dated after the moment it is recorded; every free text has a length limit the
form shows; refusals are Indonesian messages and store nothing.
"""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from compliance.models import Flag
from elections.models import RECORDING_MARGIN
from logistics.models import LogisticsItem, LogisticsReceipt
from reports.models import DailyReport, ExcusedDay
from tests.helpers import NOW, WITA
from violations.models import IncidentEvent, ViolationIncident

LONG_DESCRIPTION = "Uraian sangat panjang. " * 870  # 20,010 characters

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(frozen):
    """Every test here lives at NOW."""


def receipt_payload(**overrides):
    return {"regency": "64.72", "item": "ink", "quantity_received": 16, "quantity_damaged": 0,
            "received_at": "2024-11-20T08:30:00+08:00", "note": "", **overrides}


def incident_payload(**overrides):
    return {"regency": "64.72", "occurred_at": "2024-11-20T08:30:00+08:00", "category": "money_politics",
            "description": "Amplop dibagikan.", "origin": "finding", **overrides}


# -- the calendar rule itself


def test_the_calendar_admits_the_margin_before_the_window_and_nothing_after_now(election):
    start = dt.datetime.combine(election.reporting_start - RECORDING_MARGIN, dt.time.min, tzinfo=WITA)
    assert election.moment_problem(start, now=NOW) is None
    assert "di luar kalender" in election.moment_problem(start - dt.timedelta(seconds=1), now=NOW)
    assert election.moment_problem(NOW, now=NOW) is None
    assert "masa depan" in election.moment_problem(NOW + dt.timedelta(seconds=1), now=NOW)
    after_window = dt.datetime.combine(election.reporting_end + dt.timedelta(days=1), dt.time(0, 1), tzinfo=WITA)
    assert "di luar kalender" in election.moment_problem(after_window, now=after_window + dt.timedelta(days=3))


# -- logistics receipts


@pytest.mark.parametrize("received_at", ["0012-01-01T10:00:00+08:00", "2020-12-01T10:00:00+08:00",
                                         "2099-01-01T10:00:00+08:00"])
def test_api_refuses_a_receipt_outside_the_calendar(api, officer, election, received_at):
    response = api.as_user(officer).post("/api/v1/logistics/receipts/", receipt_payload(received_at=received_at),
                                         format="json")

    assert response.status_code == 400
    assert response.json()["received_at"][0]
    assert not LogisticsReceipt.objects.exists()


def test_web_form_refuses_a_receipt_received_in_year_12(client, officer, election):
    client.force_login(officer)
    response = client.post("/logistics/64.72/receipts/", {
        "item": "ink", "quantity_received": "16", "quantity_damaged": "0", "received_at": "0012-01-01T10:00",
        "note": ""})

    assert response.status_code == 200
    assert "Waktu 1 Januari 0012 10.00 tidak dapat diterima: periksa tahunnya" in response.content.decode()
    assert "LMT" not in response.content.decode()
    assert not LogisticsReceipt.objects.exists()


def test_api_refuses_a_note_over_the_limit_and_a_nul_character(api, officer, election):
    api.as_user(officer)
    too_long = api.post("/api/v1/logistics/receipts/", receipt_payload(note="x" * 1001), format="json")
    nul = api.post("/api/v1/logistics/receipts/", receipt_payload(note="a\x00b"), format="json")

    assert too_long.status_code == 400 and "1000" in too_long.json()["note"][0]
    assert nul.status_code == 400 and nul.json()["note"]
    assert not LogisticsReceipt.objects.exists()


def test_distribution_date_before_the_calendar_is_refused(client, officer, election):
    client.force_login(officer)
    response = client.post("/logistics/64.72/distribution/", {
        "action": "mark", "places": ["64.72.01"], "reached_on": "2020-01-01"})

    assert "di luar kalender" in response.content.decode()


# -- violation incidents


@pytest.mark.parametrize(("occurred_at", "refusal"), [("0012-01-01T10:00:00+08:00", "periksa tahunnya"),
                                                     ("2020-06-01T10:00:00+08:00", "di luar kalender")])
def test_api_refuses_an_incident_dated_in_year_12_or_2020(api, officer, election, occurred_at, refusal):
    response = api.as_user(officer).post("/api/v1/violations/", incident_payload(occurred_at=occurred_at),
                                         format="json")

    assert response.status_code == 400
    assert refusal in response.json()["occurred_at"][0]
    assert not ViolationIncident.objects.exists() and not IncidentEvent.objects.exists()


def test_api_refuses_a_20000_character_description(api, officer, election):
    response = api.as_user(officer).post("/api/v1/violations/", incident_payload(description=LONG_DESCRIPTION),
                                         format="json")

    assert response.status_code == 400
    assert "5000" in response.json()["description"][0]
    assert not ViolationIncident.objects.exists()


def test_web_form_refuses_an_incident_of_2020_and_a_long_description(client, officer, election):
    client.force_login(officer)
    fields = {"occurred_at": "2024-11-20T10:00", "category": "money_politics", "origin": "finding",
              "description": "Amplop dibagikan."}
    old = client.post("/violations/new/", fields | {"occurred_at": "2020-06-01T10:00"}).content.decode()
    long = client.post("/violations/new/", fields | {"description": LONG_DESCRIPTION}).content.decode()

    assert "di luar kalender Pilkada Serentak 2024" in old
    assert "paling banyak 5000 karakter" in long
    assert not ViolationIncident.objects.exists()


def test_a_move_note_over_the_limit_is_refused(api, officer, election):
    incident = api.as_user(officer).post("/api/v1/violations/", incident_payload(), format="json").json()
    response = api.patch(f"/api/v1/violations/{incident['id']}/", {"status": "withdrawn", "note": "n" * 1001},
                         format="json")

    assert response.status_code == 400 and "note" in response.json()
    assert ViolationIncident.objects.get().status == "recorded"


# -- reports and excuses


def test_an_excuse_for_a_day_ahead_is_refused_on_the_api_and_the_web(api, client, secretariat, election):
    ahead = (NOW + dt.timedelta(days=14)).date().isoformat()
    response = api.as_user(secretariat).post("/api/v1/excused-days/", {
        "regency": "64.72", "date": ahead, "reason": "Gangguan jaringan"}, format="json")
    assert response.status_code == 400 and "belum tiba" in response.json()["date"][0]

    client.force_login(secretariat)
    page = client.post("/reports/excuse/", {"regency": "64.72", "date": ahead, "reason": "Gangguan jaringan"})
    assert "belum tiba" in page.content.decode()
    assert not ExcusedDay.objects.exists()


def test_an_excuse_reason_over_the_limit_is_refused(api, secretariat, election):
    response = api.as_user(secretariat).post("/api/v1/excused-days/", {
        "regency": "64.72", "date": "2024-11-19", "reason": "r" * 501}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert not ExcusedDay.objects.exists()


# -- the forms show the limits before the user types past them


@pytest.mark.parametrize(("url", "field", "limit"), [
    ("/violations/new/", "description", 5000),
    ("/reports/new/", "summary", 5000),
    ("/logistics/", "note", 1000),
])
def test_forms_carry_maxlength_and_the_counter_script(client, officer, election, url, field, limit):
    client.force_login(officer)
    html = client.get(url).content.decode()

    assert f'maxlength="{limit}"' in html and f'name="{field}"' in html
    assert "js/length-counter.js" in html and "batas panjang tercapai" in html


# -- the database refuses what slips past a service


def test_database_refuses_over_long_texts_and_quantities(election, samarinda, officer, secretariat):
    item = LogisticsItem.objects.get(code="ink")
    common = {"election": election, "regency": samarinda}
    attempts = [
        lambda: ViolationIncident.objects.create(
            **common, occurred_at=NOW, category="other", origin="finding", description="d" * 5001,
            reported_by=officer, reported_at=NOW),
        lambda: LogisticsReceipt.objects.create(
            **common, item=item, quantity_received=50_000_001, received_at=NOW, confirmed_by=officer,
            created_at=NOW),
        lambda: LogisticsReceipt.objects.create(
            **common, item=item, quantity_received=1, received_at=NOW, note="n" * 1001, confirmed_by=officer,
            created_at=NOW),
        lambda: DailyReport.objects.create(
            **common, report_date=NOW.date(), situation="conducive", summary="s" * 5001, submitted_by=officer,
            submitted_at=NOW, is_late=False),
        lambda: ExcusedDay.objects.create(
            **common, date=NOW.date(), reason="r" * 501, excused_by=secretariat, excused_at=NOW),
        lambda: Flag.objects.create(
            **common, kind="missed_daily_report", date=NOW.date(), raised_at=NOW, resolved_at=NOW,
            resolution="dismissed", note="n" * 1001),
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
