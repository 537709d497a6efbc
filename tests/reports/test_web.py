import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from reports.constants import NOTHING_NOTABLE
from reports.models import DailyReport, ExcusedDay
from reports.services import report_acknowledge, report_edit
from tests.helpers import wita

from .conftest import DAY

pytestmark = pytest.mark.django_db

NEW = "/reports/new/"


def form_data(**fields):
    data = {"report_date": "2024-11-20", "situation": "conducive", "summary": "Kampanye tertib di semua kecamatan.",
            "sources": ["district", "kpu"]}
    data.update(fields)
    return data


@pytest.mark.parametrize("path", ["/reports/", NEW, "/reports/1/", "/reports/1/edit/", "/reports/excuse/"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_form_defaults_to_today_and_shows_phase_and_deadline(client, officer, election, frozen):
    client.force_login(officer)
    page = client.get(NEW).text
    assert 'value="2024-11-20"' in page
    assert "Pra-pencoblosan" in page
    assert "20.00 WITA" in page and "lagi" in page and "sudah lewat" not in page
    assert "Tidak ada kejadian menonjol" in page


def test_form_says_when_the_deadline_has_passed(client, officer, election):
    client.force_login(officer)
    with time_machine.travel(wita(dt.date(2024, 11, 25), 20, 30), tick=False):
        page = client.get(NEW).text
    assert "sudah lewat" in page and "Masa tenang" in page


def test_officer_submits_and_lands_on_the_report_with_an_edit_link(client, officer, election, frozen):
    client.force_login(officer)
    response = client.post(NEW, form_data(**{"note_64.72.01": "Rapat koordinasi PPK."}))
    report = DailyReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    assert report.submitted_at == wita(DAY, 10) and report.is_late is False
    assert report.district_notes == {"64.72.01": "Rapat koordinasi PPK."}
    page = client.get(response["Location"]).text
    assert "Kampanye tertib" in page and f"/reports/{report.pk}/edit/" in page
    assert "Tepat waktu" in page and "Kota Samarinda D1" in page and "Rapat koordinasi PPK." in page


def test_bad_input_keeps_the_typed_text_and_stores_nothing(client, officer, election, frozen):
    client.force_login(officer)
    page = client.post(NEW, form_data(report_date="2024-11-22", summary="Teks yang saya ketik.")).text
    assert "belum tiba" in page and "Teks yang saya ketik." in page
    page = client.post(NEW, form_data(summary="  ")).text
    assert "walaupun tidak ada kejadian menonjol" in page
    page = client.post(NEW, form_data(report_date="2024-10-01")).text
    assert "di luar masa pelaporan" in page
    page = client.post(NEW, form_data(situation="calm")).text
    assert "Situasi tidak dikenal" in page
    assert not DailyReport.objects.exists()


def test_nothing_notable_shortcut_needs_confirmation(client, officer, election, frozen):
    client.force_login(officer)
    prefilled = client.get(NEW + "?nihil=1").text
    assert str(NOTHING_NOTABLE) in prefilled
    refused = client.post(NEW, form_data(summary=str(NOTHING_NOTABLE)))
    assert refused.status_code == 200 and "Centang konfirmasi" in refused.text
    assert not DailyReport.objects.exists()
    confirmed = client.post(NEW, form_data(summary=str(NOTHING_NOTABLE), confirm_nothing_notable="on"))
    assert confirmed.status_code == 302
    assert DailyReport.objects.get().summary == str(NOTHING_NOTABLE)


def test_edited_shortcut_text_needs_no_confirmation(client, officer, election, frozen):
    client.force_login(officer)
    response = client.post(NEW, form_data(summary=f"{NOTHING_NOTABLE} Hujan deras sore hari."))
    assert response.status_code == 302


def test_second_report_for_the_date_is_refused_with_a_link_to_the_first(client, officer, election, submit, frozen):
    first = submit()
    client.force_login(officer)
    assert f'href="/reports/{first.pk}/"' in client.get(NEW).text  # today's report already sent
    response = client.post(NEW, form_data(summary="Laporan kedua."))
    assert response.status_code == 200
    assert 'id="duplicate-report"' in response.text and f'href="/reports/{first.pk}/"' in response.text
    assert "Laporan kedua." in response.text
    assert DailyReport.objects.count() == 1


def test_edit_keeps_history_and_submitted_at(client, officer, submit):
    report = submit(at=wita(DAY, 19, 50))
    client.force_login(officer)
    edit = f"/reports/{report.pk}/edit/"
    assert "Aman terkendali." in client.get(edit).text
    with time_machine.travel(wita(DAY, 22), tick=False):
        response = client.post(edit, {"situation": "alert", "summary": "Ada pengerahan massa.", "sources": ["police"]})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.situation == "alert" and report.submitted_at == wita(DAY, 19, 50) and not report.is_late
    page = client.get(f"/reports/{report.pk}/").text
    assert "Riwayat: 2 versi" in page and "Versi 2" in page and "Versi 1" in page
    assert "Situasi" in page and officer.username in page


def test_edit_with_an_empty_summary_changes_nothing(client, officer, submit):
    report = submit()
    client.force_login(officer)
    page = client.post(f"/reports/{report.pk}/edit/", {"situation": "alert", "summary": ""}).text
    assert "walaupun tidak ada kejadian menonjol" in page
    report.refresh_from_db()
    assert report.situation == "conducive" and report.history.count() == 1


def test_other_regencys_report_is_404_for_an_officer(client, other_officer, submit):
    report = submit()
    client.force_login(other_officer)
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert client.get(f"/reports/{report.pk}/edit/").status_code == 404
    assert client.post(f"/reports/{report.pk}/edit/", form_data()).status_code == 404
    assert "Aman terkendali" not in client.get("/reports/").text


def test_secretariat_reads_but_cannot_submit_or_edit(client, secretariat, submit):
    report = submit()
    client.force_login(secretariat)
    assert client.get(f"/reports/{report.pk}/").status_code == 200
    assert client.get(NEW).status_code == 403
    assert client.get(f"/reports/{report.pk}/edit/").status_code == 403
    assert client.post(f"/reports/{report.pk}/edit/", form_data()).status_code == 403


def test_review_list_filters_and_stays_constant_in_queries(
    client, secretariat, submit, balikpapan, other_officer, django_assert_max_num_queries
):
    for offset in range(6):
        day = DAY - dt.timedelta(days=offset)
        submit(day, at=wita(day, 21) if offset == 1 else None, situation="alert" if offset == 2 else "conducive")
        submit(day, regency=balikpapan, by=other_officer)
    client.force_login(secretariat)
    with django_assert_max_num_queries(12):
        page = client.get("/reports/").text
    assert page.count("data-report=") == 12
    assert client.get("/reports/?situation=alert").text.count("data-report=") == 1
    assert client.get("/reports/?is_late=true").text.count("data-report=") == 1
    assert client.get("/reports/?regency=64.71").text.count("data-report=") == 6
    assert client.get("/reports/?report_date=2024-11-20").text.count("data-report=") == 2
    # A date range, both ends included; either end alone.
    assert client.get("/reports/?date_from=2024-11-17&date_to=2024-11-19").text.count("data-report=") == 6
    assert client.get("/reports/?date_from=2024-11-19").text.count("data-report=") == 4
    assert client.get("/reports/?date_to=2024-11-15").text.count("data-report=") == 2
    report_acknowledge(report=DailyReport.objects.first(), by=secretariat, comment="", now=wita(DAY, 22))
    assert client.get("/reports/?acknowledged=true").text.count("data-report=") == 1
    assert client.get("/reports/?acknowledged=false").text.count("data-report=") == 11


def test_secretariat_acknowledges_and_the_officer_sees_the_comment(client, secretariat, officer, submit):
    report = submit()
    client.force_login(officer)
    assert client.post(f"/reports/{report.pk}/acknowledge/", {"comment": "x"}).status_code == 403
    client.force_login(secretariat)
    response = client.post(f"/reports/{report.pk}/acknowledge/", {"comment": "Mohon pantau titik rawan."})
    assert response.status_code == 302
    client.force_login(officer)
    page = client.get(f"/reports/{report.pk}/").text
    assert "Mohon pantau titik rawan." in page and "Ditinjau oleh sekretariat" in page
    assert "Mohon pantau titik rawan." in client.get("/").text


def test_acknowledge_is_post_only_and_scoped(client, secretariat, other_officer, submit):
    report = submit()
    client.force_login(secretariat)
    assert client.get(f"/reports/{report.pk}/acknowledge/").status_code == 405
    client.force_login(other_officer)
    assert client.post(f"/reports/{report.pk}/acknowledge/", {}).status_code == 404


def test_secretariat_excuses_a_day_with_a_reason(client, secretariat, election, frozen):
    client.force_login(secretariat)
    assert "Kota Samarinda" in client.get("/reports/excuse/?regency=64.72&date=2024-11-19").text
    refused = client.post("/reports/excuse/", {"regency": "64.72", "date": "2024-11-19", "reason": ""})
    assert "Tuliskan alasan" in refused.text and not ExcusedDay.objects.exists()
    response = client.post("/reports/excuse/", {"regency": "64.72", "date": "2024-11-19", "reason": "Jaringan putus."})
    assert response.status_code == 302
    page = client.get("/reports/excuse/").text
    assert "Jaringan putus." in page
    again = client.post("/reports/excuse/", {"regency": "64.72", "date": "2024-11-19", "reason": "Lagi."})
    assert "sudah dikecualikan" in again.text and ExcusedDay.objects.count() == 1


def test_excuse_page_is_for_the_secretariat_only(client, officer, admin_user):
    for user in (officer, admin_user):
        client.force_login(user)
        assert client.get("/reports/excuse/").status_code == 403


def test_excuse_cannot_name_a_regency_outside_the_province(client, secretariat, election, other_province_regency):
    client.force_login(secretariat)
    page = client.post("/reports/excuse/", {"regency": "65.71", "date": "2024-11-19", "reason": "x"}).text
    assert "tidak dikenal" in page.lower() or "pilihan yang tersedia" in page.lower()
    assert not ExcusedDay.objects.exists()


def test_detail_page_is_constant_in_queries(client, officer, submit, django_assert_max_num_queries):
    report = submit(district_notes={"64.72.01": "Catatan."})
    for n in range(5):
        report_edit(report=report, by=officer, data={"summary": f"Versi {n}"}, now=wita(DAY, 21, n))
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("reports:detail", args=[report.pk])).text
    assert "Riwayat: 6 versi" in page


def test_officer_without_an_active_election_is_told_so(client, officer, samarinda):
    client.force_login(officer)
    page = client.get(NEW)
    assert page.status_code == 200 and "Belum ada pemilihan aktif" in page.text
    assert "Belum ada pemilihan aktif" in client.get("/").text


def test_user_without_a_desk_role_is_refused(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("tamu", password="x"))
    assert client.get("/reports/").status_code == 403
    assert client.get(NEW).status_code == 403
