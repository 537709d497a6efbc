"""Every page carries the Content-Security-Policy: only the site's own files, no inline script or style."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from desk.rakor.services import meeting_schedule
from reports.models import DailyReport
from tests.desk_records import desk_records_make
from violations.models import ViolationIncident

POLICY_PARTS = [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'",
    "frame-ancestors 'none'", "form-action 'self'",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def records(election, samarinda, balikpapan, officer, secretariat):
    desk_records_make(election=election, samarinda=samarinda, balikpapan=balikpapan, officer=officer,
                      secretariat=secretariat)
    meeting = meeting_schedule(election=election, by=secretariat, date=dt.date(2024, 11, 22), time=dt.time(14, 0),
                               duration_minutes=90, data={"title": "Rakor", "agenda": "Logistik.", "join_url": "https://zoom.us/j/81234567890",
                                     "zoom_meeting_id": "81234567890"},
                               now=dt.datetime(2024, 11, 20, tzinfo=dt.UTC))
    return {"report": DailyReport.objects.get(), "incident": ViolationIncident.objects.get(), "meeting": meeting}


def pages(records):
    report, incident, meeting = records["report"].pk, records["incident"].pk, records["meeting"].pk
    return {
        "officer": ["/", "/reports/", "/reports/new/", f"/reports/{report}/", f"/reports/{report}/edit/",
                    "/rakor/", f"/rakor/{meeting}/", "/regencies/64.72/", "/accounts/profile/",
                    "/logistics/", "/logistics/64.72/", "/logistics/64.72/receipts/", "/logistics/64.72/distribution/",
                    "/violations/", "/violations/new/", f"/violations/{incident}/", f"/violations/{incident}/edit/",
                    "/api/v1/docs/", "/api/v1/docs/?script=", "/api/v1/daily-reports/", "/reports/999999/"],
        "secretariat": ["/", "/reports/", "/compliance/flags/", "/logistics/province/", "/violations/",
                        "/reports/excuse/", "/admin/", "/rakor/", f"/rakor/{meeting}/", "/rakor/brief/",
                        "/rakor/brief/?date=2024-11-22", "/regencies/64.72/", "/exports/", "/accounts/profile/"],
        "admin_user": ["/admin/", "/admin/reports/dailyreport/", f"/admin/reports/dailyreport/{report}/change/",
                       f"/admin/reports/dailyreport/{report}/history/", "/admin/regions/province/import/",
                       "/admin/violations/violationincident/", reverse("admin:password_change")],
        None: ["/accounts/login/", "/api/v1/schema/", "/no-such-page/", "/"],
    }


@pytest.mark.django_db
def test_every_page_of_every_role_has_the_policy(client, records, request):
    missing = []
    for who, urls in pages(records).items():
        client.logout()
        if who:
            client.force_login(request.getfixturevalue(who))
        for url in urls:
            response = client.get(url)
            header = response.headers.get("Content-Security-Policy", "")
            if not all(part in header for part in POLICY_PARTS):
                missing.append((who, url, response.status_code, header))
    assert missing == []


@pytest.mark.django_db
def test_pages_hold_no_inline_script_or_style(client, records, request):
    """Scripts come from files; JSON data blocks (json_script) are not scripts."""
    found = []
    for who, urls in pages(records).items():
        client.logout()
        if who:
            client.force_login(request.getfixturevalue(who))
        for url in urls:
            response = client.get(url)
            if "text/html" not in response.headers.get("Content-Type", ""):
                continue
            html = response.content.decode()
            for needle in ("<script>", "<script type=\"text/javascript\">", "<style", " style=\""):
                if needle in html:
                    found.append((url, needle))
            # Inline event handlers (onclick="...") are inline script too.
            found += [(url, handler) for handler in re.findall(r"\s(on[a-z]+)=", html)]
    assert found == []
