"""A date-time typed in a year the desk does not record is refused as it is read, never echoed in local mean time.

Before 1932 the zone database knows Asia/Makassar only as local mean time
(+07:57:36): a receipt "received" on 1 January 0012 10:00+08:00 came back as
"09.57 LMT". The shared fields (core.fields.MomentField on pages,
Rfc3339DateTimeField in the API) refuse years outside 2000..2099 first.
"""

import datetime as dt

import pytest
from django.utils import translation

from core.fields import MomentField, moment_year_problem
from logistics.models import LogisticsReceipt
from reports.models import DailyReport
from tests.helpers import NOW, WITA
from violations.models import ViolationIncident

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
YEAR_12 = "Waktu 1 Januari 0012 10.00 tidak dapat diterima: periksa tahunnya, desk mencatat waktu dari tahun 2000 " \
          "sampai 2099."

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(frozen):
    """Every test here lives at NOW (and leaves the language as it found it)."""
    yield
    translation.deactivate()


def receipt(received_at):
    return {"regency": "64.72", "item": "ink", "quantity_received": 16, "received_at": received_at}


def incident(occurred_at):
    return {"regency": "64.72", "occurred_at": occurred_at, "category": "other", "description": "Baliho.",
            "origin": "finding"}


def test_the_desk_years_are_2000_to_2099():
    assert moment_year_problem(dt.datetime(2000, 1, 1, tzinfo=WITA)) is None
    assert moment_year_problem(dt.datetime(2099, 12, 31, 23, 59, tzinfo=WITA)) is None
    assert moment_year_problem(dt.datetime(1999, 12, 31, 23, 59, tzinfo=WITA)).startswith(
        "Waktu 31 Desember 1999 23.59 tidak dapat diterima")
    assert moment_year_problem(dt.datetime(2100, 1, 1))


def test_the_page_field_refuses_year_12_as_typed_and_takes_2024():
    field = MomentField(input_formats=["%Y-%m-%dT%H:%M"])
    with pytest.raises(Exception) as refused:
        field.clean("0012-01-01T10:00")
    assert refused.value.messages == [YEAR_12]
    assert field.clean("2024-11-20T10:00") == dt.datetime(2024, 11, 20, 10, tzinfo=WITA)


def test_api_refuses_a_year_12_receipt_without_local_mean_time(api, officer, election):
    api.as_user(officer)
    response = api.post("/api/v1/logistics/receipts/", receipt("0012-01-01T10:00:00+08:00"), format="json")
    english = api.post("/api/v1/logistics/receipts/", receipt("0012-01-01T10:00:00+08:00"), format="json",
                       **ENGLISH)

    assert response.status_code == english.status_code == 400
    assert response.json()["received_at"] == [YEAR_12]
    assert english.json()["received_at"] == [
        "The time 1 January 0012 10.00 cannot be accepted: check its year, the desk records times from 2000 to 2099."]
    assert "LMT" not in response.text and "09.57" not in response.text
    assert not LogisticsReceipt.objects.exists()


def test_api_refuses_an_incident_of_year_12_in_utc_and_of_2100(api, officer, election):
    api.as_user(officer)
    utc = api.post("/api/v1/violations/", incident("0012-01-01T02:00:00Z"), format="json")
    later = api.post("/api/v1/violations/", incident("2100-01-01T10:00:00+08:00"), format="json")
    year_1 = api.post("/api/v1/violations/", incident("0001-01-01T00:00:00+08:00"), format="json")

    assert utc.json()["occurred_at"] == [YEAR_12.replace("10.00", "02.00")]
    assert later.json()["occurred_at"][0].startswith("Waktu 1 Januari 2100 10.00 tidak dapat diterima")
    assert year_1.json()["occurred_at"][0].startswith("Waktu 1 Januari 0001 00.00 tidak dapat diterima")
    assert not ViolationIncident.objects.exists()


def test_api_refuses_a_report_composed_by_a_phone_in_year_12(api, officer, election):
    response = api.as_user(officer).post("/api/v1/daily-reports/", {
        "regency": "64.72", "report_date": "2024-11-20", "situation": "conducive", "summary": "Aman.",
        "composed_at": "0012-01-01T10:00:00+08:00"}, format="json")

    assert response.status_code == 400 and response.json()["composed_at"] == [YEAR_12]
    assert not DailyReport.objects.exists()


def test_web_incident_form_refuses_year_12(client, officer, election):
    client.force_login(officer)
    page = client.post("/violations/new/", {"occurred_at": "0012-01-01T10:00", "category": "other",
                                            "origin": "finding", "description": "Baliho."}).content.decode()

    assert YEAR_12 in page and "LMT" not in page
    assert not ViolationIncident.objects.exists()


def test_a_phone_clock_outside_the_desk_years_is_left_out_of_the_report(client, officer, election):
    client.force_login(officer)
    client.post("/reports/new/", {"report_date": "2024-11-20", "situation": "conducive", "summary": "Aman.",
                                  "sources": ["kpu"], "composed_at": "1970-01-01T08:00:00+08:00"})

    assert DailyReport.objects.get().composed_at is None


def test_the_calendar_never_shows_a_moment_in_local_mean_time(election):
    """A service called with an old moment past the fields (the admin, a script) is answered in UTC."""
    message = election.moment_problem(dt.datetime(1920, 6, 1, 10, 0, tzinfo=WITA), now=NOW)

    assert "1 Juni 1920 02.02 UTC" in message and "LMT" not in message
