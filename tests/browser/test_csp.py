"""The main pages of every role, the admin and the API docs run in Chromium under the CSP without a violation."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compliance.run import check_compliance
from logistics.models import LogisticsItem, TpsDelivery
from logistics.services import receipt_record
from reports.services import report_submit
from tests import factories
from tests.violations.samples import jpeg_bytes
from violations.services import evidence_attach, incident_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(kaltim, samarinda, balikpapan, officer):
    """An election around the real today (the browser's clock cannot be frozen) and a record of each kind."""
    now = timezone.now()
    today = now.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    election = factories.election_make(kaltim, name="Simulasi", voting_day=today + dt.timedelta(days=7),
                                       regencies=[samarinda, balikpapan])
    report = report_submit(election=election, regency=samarinda, by=officer, now=now, data={
        "report_date": today - dt.timedelta(days=1), "situation": "alert", "summary": "Baris satu.\nBaris dua.",
        "sources": ["kpu"]})
    receipt_record(election=election, regency=samarinda, item=LogisticsItem.objects.get(code="ink"), by=officer,
                   now=now, data={"quantity_received": 3, "received_at": now - dt.timedelta(hours=1)})
    incident = incident_record(
        regency=samarinda, by=officer, now=now, occurred_at=now - dt.timedelta(hours=2), category="money_politics",
        origin="finding", description="Amplop dibagikan.\nDi dekat TPS.",
    )
    evidence_attach(incident=incident, by=officer, now=now,
                    upload=SimpleUploadedFile("bukti.jpg", jpeg_bytes(), content_type="image/jpeg"))
    check_compliance(now=now)
    return {"report": report, "incident": incident}


def visit_all(page, urls):
    """Open each page; return the CSP violations in the console, script errors and missing static files."""
    problems = []
    page.on("console", lambda message: problems.append((page.url, message.type, message.text))
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    page.on("pageerror", lambda error: problems.append((page.url, "pageerror", str(error))))
    page.on("response", lambda response: problems.append((page.url, "missing", response.url))
            if response.status == 404 and "/static/" in response.url else None)
    for url in urls:
        response = page.goto(page.base_url + url)
        assert response.status == 200, url
        assert "default-src 'self'" in response.headers["content-security-policy"], url
        page.wait_for_load_state("networkidle")
    return problems


def test_officer_pages_run_without_a_csp_violation(page, officer, world):
    report, incident = world["report"].pk, world["incident"].pk
    page.login(officer)

    problems = visit_all(page, [
        "/", "/reports/", "/reports/new/", f"/reports/{report}/", "/rakor/", "/regencies/64.72/",
        "/logistics/", "/logistics/64.72/",
        "/logistics/64.72/distribution/", "/violations/", "/violations/new/", f"/violations/{incident}/",
    ])
    page.goto(page.base_url + "/reports/new/")
    page.click("#nothing-notable")  # the report form's script (a static file) runs
    assert page.input_value("textarea[name=summary]").startswith("Tidak ada kejadian menonjol")
    page.goto(page.base_url + "/logistics/64.72/distribution/")
    bar = page.locator("progress.desk-progress").first
    assert bar.bounding_box()["height"] > 4  # the progress bar's size comes from the stylesheet
    page.goto(page.base_url + "/logistics/distribution/district/64.72.01/")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Semua TPS di Kota Samarinda D1 sudah tiba").click()
    page.wait_for_timeout(300)
    assert questions == ["Tandai semua TPS di wilayah ini sudah menerima logistik?"]  # asked by confirm.js
    assert not TpsDelivery.objects.exists()  # and nothing was marked on "cancel"

    assert problems == []


def test_secretariat_pages_and_api_docs_run_without_a_csp_violation(page, secretariat, world):
    page.login(secretariat)

    problems = visit_all(page, ["/", "/reports/", "/compliance/flags/", "/logistics/province/", "/violations/",
                                "/reports/excuse/", "/rakor/", "/regencies/64.72/", "/exports/", "/rakor/brief/",
                                "/api/v1/docs/"])
    page.wait_for_selector(".swagger-ui .info .title")  # Swagger UI started from its script file
    assert "daily-reports" in page.inner_text(".swagger-ui")
    page.goto(page.base_url + "/rakor/brief/")
    # The brief's stylesheet is a file: its tables get their borders and header shading.
    assert page.eval_on_selector(".brief table.grid th", "th => getComputedStyle(th).backgroundColor") \
        == "rgb(233, 238, 245)"
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Cetak").click()
    assert page.evaluate("window.printed") == 1  # print.js, not an inline onclick

    assert problems == []


def test_admin_pages_run_without_a_csp_violation(page, admin_user, world):
    report = world["report"].pk
    page.login(admin_user)

    problems = visit_all(page, [
        "/admin/", "/admin/reports/dailyreport/", f"/admin/reports/dailyreport/{report}/change/",
        f"/admin/reports/dailyreport/{report}/history/", "/admin/violations/violationincident/",
        f"/admin/violations/violationincident/{world['incident'].pk}/change/", "/admin/regions/province/",
        "/admin/regions/province/import/", "/admin/auth/user/", "/admin/elections/election/add/",
        "/admin/logistics/logisticsitem/",
    ])

    assert problems == []
