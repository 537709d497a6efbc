"""Every date-time the API returns is valid RFC 3339, even for a row stored before the bounds existed.

Asia/Makassar before 1932 is local mean time, +07:57:36: `isoformat()` would
send that offset, which RFC 3339 (HH:MM offsets) does not allow.
"""

import datetime as dt
import re

import pytest

from compliance.models import Flag
from logistics.models import LogisticsItem, LogisticsReceipt
from reports.models import DailyReport, ExcusedDay
from tests.helpers import NOW, WITA
from violations.models import IncidentEvent, ViolationIncident

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
LOOKS_LIKE_DATETIME = re.compile(r"^\d{1,4}-\d{2}-\d{2}T")
YEAR_12 = dt.datetime(12, 1, 1, 10, 0, tzinfo=WITA)
IN_1920 = dt.datetime(1920, 6, 1, 10, 0, tzinfo=WITA)

pytestmark = pytest.mark.django_db


@pytest.fixture
def legacy_rows(election, samarinda, officer, secretariat):
    """Rows as a desk stored them before dates were bounded (written past the services)."""
    common = {"election": election, "regency": samarinda}
    LogisticsReceipt.objects.create(**common, item=LogisticsItem.objects.get(code="ink"), quantity_received=5,
                                    received_at=YEAR_12, confirmed_by=officer, created_at=IN_1920)
    incident = ViolationIncident.objects.create(**common, occurred_at=YEAR_12, category="other", origin="finding",
                                                description="Lama.", reported_by=officer, reported_at=IN_1920)
    IncidentEvent.objects.create(incident=incident, at=IN_1920, by=officer, to_status="recorded")
    report = DailyReport.objects.create(**common, report_date=dt.date(2024, 11, 19), situation="conducive",
                                        summary="Aman.", submitted_by=officer, submitted_at=IN_1920, is_late=False)
    report.history.create(**{f.attname: getattr(report, f.attname) for f in DailyReport._meta.concrete_fields
                             if f.attname not in ("acknowledged_by_id", "acknowledged_at", "review_comment")},
                          history_date=IN_1920, history_type="+", history_user=officer)
    ExcusedDay.objects.create(**common, date=dt.date(2024, 11, 18), reason="Jaringan", excused_by=secretariat,
                              excused_at=IN_1920)
    Flag.objects.create(**common, kind="missed_daily_report", date=dt.date(2024, 11, 18), raised_at=YEAR_12,
                        resolved_at=IN_1920, resolution="excused")
    return {"report": report, "incident": incident}


def _datetimes(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _datetimes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _datetimes(item)
    elif isinstance(value, str) and LOOKS_LIKE_DATETIME.match(value):
        yield value


def test_every_datetime_in_api_responses_is_rfc3339(api, officer, secretariat, legacy_rows):
    report, incident = legacy_rows["report"], legacy_rows["incident"]
    urls = ["/api/v1/daily-reports/", f"/api/v1/daily-reports/{report.pk}/",
            f"/api/v1/daily-reports/{report.pk}/history/", "/api/v1/excused-days/", "/api/v1/logistics/receipts/",
            "/api/v1/violations/", f"/api/v1/violations/{incident.pk}/", "/api/v1/flags/"]
    seen = []
    for user in (officer, secretariat):
        api.as_user(user)
        for url in urls:
            response = api.get(url)
            assert response.status_code == 200, url
            seen += [(url, value) for value in _datetimes(response.json())]

    assert seen, "the responses hold date-times"
    assert [(url, value) for url, value in seen if not RFC3339.match(value)] == []
    assert "+07:57:36" not in str(seen)


def test_the_old_moment_is_the_same_instant_in_utc(api, officer, legacy_rows):
    body = api.as_user(officer).get("/api/v1/logistics/receipts/").json()
    sent = dt.datetime.fromisoformat(body["results"][0]["received_at"])
    assert sent == YEAR_12 and body["results"][0]["received_at"].endswith("Z")


def test_an_ordinary_moment_keeps_the_election_offset(api, officer, election, samarinda):
    LogisticsReceipt.objects.create(election=election, regency=samarinda, item=LogisticsItem.objects.get(code="ink"),
                                    quantity_received=5, received_at=NOW, confirmed_by=officer, created_at=NOW)
    body = api.as_user(officer).get("/api/v1/logistics/receipts/").json()
    assert body["results"][0]["received_at"] == "2024-11-20T12:00:00+08:00"
