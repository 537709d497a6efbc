import datetime as dt
import threading

import pytest
import time_machine
from django.db import connections
from rest_framework.test import APIClient

from reports.models import DailyReport, ExcusedDay
from reports.services import report_edit
from tests import factories
from tests.factories import PASSWORD
from tests.helpers import wita

from .conftest import DAY

URL = "/api/v1/daily-reports/"
FIELDS = {"id", "election", "regency", "report_date", "situation", "summary", "sources", "submitted_by",
          "submitted_at", "is_late", "composed_at"}


def body(**fields):
    data = {"regency": "64.72", "report_date": "2024-11-20", "situation": "conducive",
            "summary": "Tidak ada kejadian menonjol; situasi aman.", "sources": ["district", "police"]}
    data.update(fields)
    return data


@pytest.mark.django_db
def test_officer_submits_a_report_with_the_documented_fields(api, officer, election, frozen):
    response = api.as_user(officer).post(URL, body(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert set(data) == FIELDS
    assert data["election"] == election.pk and data["regency"] == "64.72" and data["report_date"] == "2024-11-20"
    assert data["submitted_by"] == officer.username and data["is_late"] is False
    assert data["sources"] == ["district", "police"]
    assert dt.datetime.fromisoformat(data["submitted_at"]) == wita(DAY, 10)


@pytest.mark.django_db
def test_token_auth_works_for_reports(api, officer, election, frozen):
    token = api.post("/api/v1/token/", {"username": officer.username, "password": PASSWORD}, format="json")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert api.post(URL, body(), format="json").status_code == 201
    assert DailyReport.objects.get().submitted_by == officer


@pytest.mark.django_db
def test_explicit_election_of_another_province_is_refused(api, officer, election, other_province_regency, frozen):
    other = factories.election_make(other_province_regency.province, name="Pilkada Kaltara")
    response = api.as_user(officer).post(URL, body(election=other.pk), format="json")
    assert response.status_code == 400 and "election" in response.json()


@pytest.mark.django_db
def test_report_without_an_active_election_is_refused(api, officer, samarinda, frozen):
    response = api.as_user(officer).post(URL, body(), format="json")
    assert response.status_code == 400
    assert "Tidak ada pemilihan aktif" in response.json()["election"][0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"summary": ""}, "summary", "walaupun tidak ada kejadian menonjol"),
        ({"summary": "   "}, "summary", "walaupun tidak ada kejadian menonjol"),
        ({"summary": None}, "summary", "walaupun tidak ada kejadian menonjol"),
        ({"situation": "calm"}, "situation", "Situasi tidak dikenal"),
        ({"sources": ["twitter"]}, "sources", "Sumber tidak dikenal"),
        ({"report_date": "2024-11-21"}, "report_date", "belum tiba"),
        ({"report_date": "2024-10-20"}, "report_date", "di luar masa pelaporan"),
        ({"report_date": "20/11/2024"}, "report_date", "YYYY-MM-DD"),
        ({"regency": "99.99"}, "regency", "tidak dikenal"),
    ],
)
def test_each_bad_field_gets_a_clear_400_and_nothing_is_stored(api, officer, election, frozen, change, field, words):
    response = api.as_user(officer).post(URL, body(**change), format="json")
    assert response.status_code == 400
    assert words in str(response.json()[field])
    assert not DailyReport.objects.exists()


@pytest.mark.django_db
def test_missing_summary_is_required(api, officer, election, frozen):
    data = body()
    del data["summary"]
    response = api.as_user(officer).post(URL, data, format="json")
    assert response.status_code == 400 and "summary" in response.json()


@pytest.mark.django_db
def test_second_report_for_a_date_is_400_naming_the_first(api, officer, election, frozen):
    first = api.as_user(officer).post(URL, body(), format="json").json()
    response = api.post(URL, body(summary="Laporan kedua."), format="json")
    assert response.status_code == 400
    message = response.json()["report_date"][0]
    assert f"#{first['id']}" in message and f"/reports/{first['id']}/" in message
    assert DailyReport.objects.count() == 1


@pytest.mark.django_db
def test_officer_cannot_create_for_another_regency(api, other_officer, election, frozen):
    response = api.as_user(other_officer).post(URL, body(), format="json")
    assert response.status_code == 403
    assert not DailyReport.objects.exists()


@pytest.mark.django_db
def test_officer_cannot_read_or_change_another_regencys_report(api, submit, other_officer):
    report = submit()
    api.as_user(other_officer)
    assert api.get(f"{URL}{report.pk}/").status_code == 404
    assert api.get(f"{URL}{report.pk}/history/").status_code == 404
    assert api.patch(f"{URL}{report.pk}/", {"summary": "x"}, format="json").status_code == 404
    assert api.get(URL).json()["count"] == 0


@pytest.mark.django_db
def test_anonymous_gets_401(api, submit):
    report = submit()
    assert api.get(URL).status_code == 401
    assert api.get(f"{URL}{report.pk}/").status_code == 401
    assert api.get(f"{URL}{report.pk}/history/").status_code == 401
    assert api.post(URL, body(), format="json").status_code == 401
    assert api.get("/api/v1/excused-days/").status_code == 401


@pytest.mark.django_db
def test_secretariat_reads_the_province_but_cannot_write(api, submit, secretariat, balikpapan, other_officer,
                                                         other_province_regency):
    report = submit()
    submit(regency=balikpapan, by=other_officer)
    api.as_user(secretariat)
    listing = api.get(URL).json()
    assert listing["count"] == 2 and {r["regency"] for r in listing["results"]} == {"64.71", "64.72"}
    assert api.get(f"{URL}{report.pk}/").status_code == 200
    assert api.post(URL, body(report_date="2024-11-19"), format="json").status_code == 403
    assert api.patch(f"{URL}{report.pk}/", {"summary": "x"}, format="json").status_code == 403


@pytest.mark.django_db
def test_list_is_paginated_filtered_and_constant_in_queries(api, submit, officer, django_assert_max_num_queries):
    for offset in range(12):
        submit(DAY - dt.timedelta(days=offset), at=wita(DAY, 21) if offset % 3 == 0 else None)
    api.as_user(officer)
    with django_assert_max_num_queries(6):
        data = api.get(URL).json()
    assert {"count", "next", "previous", "results"} <= set(data) and data["count"] == 12
    assert [r["report_date"] for r in data["results"]][:2] == ["2024-11-20", "2024-11-19"]
    assert api.get(URL, {"is_late": "true"}).json()["count"] == 4
    assert api.get(URL, {"report_date": "2024-11-18"}).json()["count"] == 1
    assert api.get(URL, {"regency": "64.72", "situation": "alert"}).json()["count"] == 0


@pytest.mark.django_db
def test_patch_edits_content_keeps_submitted_at_and_refuses_a_new_date(api, submit, officer):
    report = submit(at=wita(DAY, 19, 30))
    api.as_user(officer)
    with time_machine.travel(wita(DAY, 22), tick=False):
        response = api.patch(f"{URL}{report.pk}/", {"situation": "alert", "summary": "Ada unjuk rasa kecil."},
                             format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["situation"] == "alert" and response.json()["is_late"] is False
    assert dt.datetime.fromisoformat(response.json()["submitted_at"]) == wita(DAY, 19, 30)
    refused = api.patch(f"{URL}{report.pk}/", {"report_date": "2024-11-19"}, format="json")
    assert refused.status_code == 400 and "report_date" in refused.json()
    empty = api.patch(f"{URL}{report.pk}/", {"summary": ""}, format="json")
    assert empty.status_code == 400
    assert api.put(f"{URL}{report.pk}/", body(), format="json").status_code == 405
    report.refresh_from_db()
    assert report.report_date == DAY and report.summary == "Ada unjuk rasa kecil."


@pytest.mark.django_db
def test_history_lists_every_version_newest_first(api, submit, officer, secretariat):
    report = submit(at=wita(DAY, 19))
    report_edit(report=report, by=officer, data={"summary": "Versi dua."}, now=wita(DAY, 21))
    for user in (officer, secretariat):
        data = api.as_user(user).get(f"{URL}{report.pk}/history/").json()
        assert data["count"] == 2
        newest, oldest = data["results"]
        assert {"changed_at", "changed_by"} | FIELDS == set(newest)
        assert (newest["summary"], oldest["summary"]) == ("Versi dua.", "Aman terkendali.")
        assert newest["changed_by"] == officer.username
        assert dt.datetime.fromisoformat(newest["changed_at"]) == wita(DAY, 21)
        assert newest["submitted_at"] == oldest["submitted_at"]


@pytest.mark.django_db
def test_secretariat_acknowledges_with_a_comment_and_officer_cannot(api, submit, secretariat, officer):
    report = submit()
    response = api.as_user(officer).post(f"{URL}{report.pk}/acknowledge/", {"comment": "x"}, format="json")
    assert response.status_code == 403
    response = api.as_user(secretariat).post(f"{URL}{report.pk}/acknowledge/", {"comment": "Terima kasih."},
                                             format="json")
    assert response.status_code == 200
    assert response.json()["acknowledged_by"] == secretariat.username and response.json()["comment"] == "Terima kasih."


@pytest.mark.django_db
def test_excused_days_api(api, election, secretariat, officer, other_province_regency):
    payload = {"regency": "64.72", "date": "2024-11-18", "reason": "Gangguan jaringan."}
    assert api.as_user(officer).post("/api/v1/excused-days/", payload, format="json").status_code == 403
    response = api.as_user(secretariat).post("/api/v1/excused-days/", payload, format="json")
    assert response.status_code == 201 and response.json()["excused_by"] == secretariat.username
    again = api.post("/api/v1/excused-days/", payload, format="json")
    assert again.status_code == 400 and "date" in again.json()
    outside = api.post("/api/v1/excused-days/", {**payload, "regency": "65.71"}, format="json")
    assert outside.status_code == 403
    assert api.get("/api/v1/excused-days/").json()["count"] == 1
    assert api.as_user(officer).get("/api/v1/excused-days/").json()["count"] == 1
    assert ExcusedDay.objects.count() == 1


@pytest.mark.django_db
def test_schema_lists_the_report_endpoints(api, officer):
    schema = api.as_user(officer).get("/api/v1/schema/").content
    assert b"/api/v1/daily-reports/{id}/history/" in schema


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_posts_store_one_report_and_nineteen_400(officer, election):
    barrier = threading.Barrier(20)
    statuses, messages = [], []

    def post():
        client = APIClient()
        client.force_authenticate(officer)
        try:
            barrier.wait()
            response = client.post(URL, body(), format="json")
            statuses.append(response.status_code)
            if response.status_code == 400:
                messages.append(response.json()["report_date"][0])
        finally:
            connections.close_all()

    with time_machine.travel(wita(DAY, 10), tick=False):
        threads = [threading.Thread(target=post) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(statuses) == [201] + [400] * 19
    report = DailyReport.objects.get()
    assert all(f"#{report.pk}" in message for message in messages)


@pytest.mark.django_db
@pytest.mark.parametrize("server_zone", ["UTC", "Asia/Jakarta"])
def test_lateness_and_today_do_not_depend_on_the_server_clock(api, officer, election, settings, server_zone):
    settings.TIME_ZONE = server_zone
    api.as_user(officer)
    with time_machine.travel(wita(DAY, 19, 59), tick=False):
        assert api.post(URL, body(), format="json").json()["is_late"] is False
    with time_machine.travel(wita(DAY - dt.timedelta(days=1), 20, 1), tick=False):
        assert api.post(URL, body(report_date="2024-11-19"), format="json").json()["is_late"] is True
    # 00:30 WITA on the 21st is still the 20th in UTC and in WIB: the local date decides.
    with time_machine.travel(wita(DAY + dt.timedelta(days=1), 0, 30), tick=False):
        assert "Batas pukul 20.00 WITA" in api.get("/").content.decode()
        assert api.post(URL, body(report_date="2024-11-21"), format="json").status_code == 201
        assert api.post(URL, body(report_date="2024-11-22"), format="json").status_code == 400
        form = api.get("/reports/new/").content.decode()
        assert 'value="2024-11-21"' in form and "20.00 WITA" in form


@pytest.mark.django_db
def test_province_scope_for_secretariat_and_everything_for_admin(api, submit, secretariat, admin_user,
                                                                 other_province_regency):
    ours = submit()
    kaltara = factories.election_make(other_province_regency.province, name="Pilkada Kaltara")
    theirs = submit(regency=other_province_regency, by=factories.officer_make(other_province_regency),
                    in_election=kaltara)
    api.as_user(secretariat)
    assert [r["id"] for r in api.get(URL).json()["results"]] == [ours.pk]
    assert api.get(f"{URL}{theirs.pk}/").status_code == 404
    assert api.post(f"{URL}{theirs.pk}/acknowledge/", {}, format="json").status_code == 404
    api.as_user(admin_user)
    assert api.get(URL).json()["count"] == 2
    assert api.post(URL, body(report_date="2024-11-19"), format="json").status_code == 403
    assert api.post(f"{URL}{ours.pk}/acknowledge/", {}, format="json").status_code == 403
