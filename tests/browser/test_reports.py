"""desk-samarinda submits, reads, edits and re-submits today's report in a phone-sized Chromium."""

import datetime as dt

import pytest
from django.utils import timezone

from elections.models import Election
from reports.models import DailyReport
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_election(kaltim, samarinda):
    """An election around the real today: the browser's clock cannot be frozen."""
    today = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    return factories.election_make(kaltim, name="Simulasi", voting_day=today + dt.timedelta(days=7),
                                   regencies=[samarinda])


def test_officer_submits_edits_and_cannot_submit_twice(page, officer, live_election):
    today = live_election.local_date()
    page.login(officer)
    page.shot("reports-1-home-before")
    assert "Menunggu laporan" in page.inner_text("#today-status") or "Tidak melapor" in page.inner_text(
        "#today-status")

    page.submit("text=Isi laporan hari ini")
    assert page.input_value("input[name=report_date]") == today.isoformat()
    assert "Pra-pencoblosan" in page.inner_text("#deadline-card")
    assert not page.is_visible("input[name=confirm_nothing_notable]")

    page.click("#nothing-notable")
    assert page.input_value("textarea[name=summary]").startswith("Tidak ada kejadian menonjol")
    assert page.is_checked("input[name=situation][value=conducive]")
    assert page.is_visible("input[name=confirm_nothing_notable]")
    page.check("input[name=sources][value=district]")
    page.shot("reports-2-form-shortcut")
    page.submit("#report-form button[type=submit]")
    assert "Centang konfirmasi" in page.inner_text("main")
    assert page.input_value("textarea[name=summary]").startswith("Tidak ada kejadian menonjol")
    assert not DailyReport.objects.exists()

    page.check("input[name=confirm_nothing_notable]")
    page.submit("#report-form button[type=submit]")
    page.wait_for_url("**/reports/*/")
    report = DailyReport.objects.get()
    assert f"/reports/{report.pk}/" in page.url
    assert "Aman-Kondusif" in page.inner_text("#situation")
    page.shot("reports-3-detail")

    page.submit("#edit-report")
    page.check("input[name=situation][value=alert]")
    page.fill("textarea[name=summary]", "Ada pengerahan massa kecil di depan kantor KPU; aparat berjaga.")
    page.submit("#report-form button[type=submit]")
    page.wait_for_url(f"**/reports/{report.pk}/")
    assert "Waspada" in page.inner_text("#situation")
    assert "Riwayat: 2 versi" in page.inner_text("#history")
    assert page.locator("#history .version").count() == 2
    page.shot("reports-4-after-edit")

    page.goto(f"{page.base_url}/reports/new/")
    page.fill("textarea[name=summary]", "Laporan kedua untuk hari yang sama.")
    page.check("input[name=situation][value=conducive]")
    page.submit("#report-form button[type=submit]")
    alert = page.locator("#duplicate-report")
    assert alert.is_visible()
    page.shot("reports-5-duplicate")
    alert.locator("a").click()
    page.wait_for_url(f"**/reports/{report.pk}/")
    assert DailyReport.objects.count() == 1 and Election.objects.count() == 1

    page.goto(page.base_url + "/")
    assert "Lihat laporan hari ini" in page.inner_text("#today-status")
    page.shot("reports-6-home-after")


def test_secretariat_reviews_acknowledges_and_excuses(page, secretariat, officer, other_officer, live_election,
                                                      balikpapan):
    from reports.services import report_submit

    today = live_election.local_date()
    report = report_submit(
        election=live_election, regency=officer.desk_profile.regency, by=officer, now=timezone.now(),
        data={"report_date": today - dt.timedelta(days=1), "situation": "alert", "summary": "Isu politik uang.",
              "sources": ["police"]},
    )
    page.login(secretariat)
    page.shot("reports-7-secretariat-home")
    assert "Kota Balikpapan" in page.inner_text("main") and "Kota Samarinda" in page.inner_text("main")

    page.submit("text=Daftar tinjauan")
    page.select_option("select[name=situation]", "alert")
    page.fill("input[name=report_date]", "")
    page.submit("#filters button[type=submit]")
    assert page.locator("#report-table [data-report]").count() == 1
    page.shot("reports-8-review-list")
    page.submit(f"#report-table [data-report='{report.pk}'] a")
    page.fill("textarea[name=comment]", "Mohon koordinasi dengan Panwascam.")
    page.submit("#review button[type=submit]")
    assert "Mohon koordinasi dengan Panwascam." in page.inner_text("#review-comment")
    page.shot("reports-9-acknowledged")

    page.goto(f"{page.base_url}/reports/excuse/?regency={balikpapan.code}&date={today.isoformat()}")
    page.fill("textarea[name=reason]", "Gangguan jaringan internet.")
    page.submit("#excuse-form button[type=submit]")
    assert "Gangguan jaringan internet." in page.inner_text("#excused-days")
    page.shot("reports-10-excused")
    page.goto(page.base_url + "/")
    assert "Dikecualikan" in page.inner_text(f"tr[data-regency='{balikpapan.code}']")
