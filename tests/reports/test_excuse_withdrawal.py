"""A mistaken excuse is withdrawn by the secretariat; its history keeps who, when and why, and the
next compliance run counts the day again."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compliance.models import Flag, Resolution
from compliance.run import flags_check
from reports.constants import DayState
from reports.models import DailyReport, ExcusedDay
from reports.selectors import day_states
from reports.services import day_excuse, day_excuse_withdraw, excuses_withdrawn, report_submit
from tests import factories
from tests.helpers import WITA

DAY = dt.date(2024, 11, 18)
AFTER_DEADLINE = dt.datetime(2024, 11, 18, 21, 0, tzinfo=WITA)
LATER = dt.datetime(2024, 11, 19, 9, 0, tzinfo=WITA)
NEXT_RUN = dt.datetime(2024, 11, 19, 9, 5, tzinfo=WITA)

pytestmark = pytest.mark.django_db


@pytest.fixture
def excuse(election, samarinda, secretariat):
    return day_excuse(election=election, regency=samarinda, date=DAY, reason="Jaringan terputus", by=secretariat,
                      now=AFTER_DEADLINE)


def _flag(samarinda):
    return Flag.objects.get(regency=samarinda, kind="missed_daily_report", date=DAY)


def test_withdrawal_keeps_who_when_and_why_in_the_history(excuse, secretariat):
    day_excuse_withdraw(excuse=excuse, by=secretariat, reason="Salah tanggal", now=LATER)

    assert not ExcusedDay.objects.exists()
    record = excuses_withdrawn(secretariat).get()
    assert (record.date, record.reason, record.excused_by) == (DAY, "Jaringan terputus", secretariat)
    assert (record.history_user, record.history_date, record.history_change_reason) == (
        secretariat, LATER, "Salah tanggal")


def test_withdrawing_reopens_the_flag_at_the_next_compliance_run(election, samarinda, secretariat):
    flags_check(now=AFTER_DEADLINE)
    excuse = day_excuse(election=election, regency=samarinda, date=DAY, reason="Listrik padam", by=secretariat,
                        now=AFTER_DEADLINE)
    assert _flag(samarinda).resolution == Resolution.EXCUSED

    day_excuse_withdraw(excuse=excuse, by=secretariat, reason="Keliru", now=LATER)
    assert _flag(samarinda).resolution == Resolution.EXCUSED  # until the next run
    flags_check(now=NEXT_RUN)

    flag = _flag(samarinda)
    assert (flag.resolved_at, flag.resolution, flag.resolved_by) == (None, "", None)
    states = day_states(election=election, regencies=[samarinda], dates=[DAY], now=NEXT_RUN)
    assert states[(samarinda.pk, DAY)] == DayState.MISSED


def test_a_late_report_resolves_the_reopened_flag_as_late(election, samarinda, officer, secretariat):
    flags_check(now=AFTER_DEADLINE)
    excuse = day_excuse(election=election, regency=samarinda, date=DAY, reason="Listrik padam", by=secretariat,
                        now=AFTER_DEADLINE)
    report_submit(election=election, regency=samarinda, by=officer, now=LATER, data={
        "report_date": DAY, "situation": "conducive", "summary": "Aman.", "sources": []})

    day_excuse_withdraw(excuse=excuse, by=secretariat, reason="Keliru", now=LATER)
    flags_check(now=NEXT_RUN)

    flag = _flag(samarinda)
    assert (flag.resolution, flag.resolved_at) == (Resolution.LATE_REPORT, DailyReport.objects.get().submitted_at)


def test_an_excuse_given_before_any_flag_raises_one_once_withdrawn(election, samarinda, secretariat):
    morning = dt.datetime(2024, 11, 18, 9, 0, tzinfo=WITA)
    excuse = day_excuse(election=election, regency=samarinda, date=DAY, reason="Gangguan", by=secretariat, now=morning)
    flags_check(now=AFTER_DEADLINE)
    assert not Flag.objects.filter(regency=samarinda, date=DAY).exists()

    day_excuse_withdraw(excuse=excuse, by=secretariat, reason="Keliru", now=LATER)
    flags_check(now=NEXT_RUN)

    assert _flag(samarinda).is_open


def test_the_day_can_be_excused_again_after_a_withdrawal(election, samarinda, secretariat, excuse):
    day_excuse_withdraw(excuse=excuse, by=secretariat, reason="Alasan salah", now=LATER)
    again = day_excuse(election=election, regency=samarinda, date=DAY, reason="Gangguan jaringan seluler",
                       by=secretariat, now=LATER)
    assert ExcusedDay.objects.get() == again
    assert list(ExcusedDay.history.order_by("history_date", "history_id").values_list("history_type", flat=True)) \
        == ["+", "-", "+"]


def test_only_the_province_secretariat_withdraws_and_a_reason_is_required(excuse, officer, secretariat,
                                                                         other_province_regency):
    outsider = factories.secretariat_make(other_province_regency.province, username="sekretariat-kaltara")
    for user in (officer, outsider):
        with pytest.raises(PermissionDenied):
            day_excuse_withdraw(excuse=excuse, by=user, reason="x", now=LATER)
    with pytest.raises(ValidationError) as missing:
        day_excuse_withdraw(excuse=excuse, by=secretariat, reason="  ", now=LATER)
    assert "reason" in missing.value.message_dict
    with pytest.raises(ValidationError):
        day_excuse_withdraw(excuse=excuse, by=secretariat, reason="r" * 101, now=LATER)
    assert ExcusedDay.objects.get() == excuse


def test_api_withdraw_and_list_withdrawn(api, excuse, secretariat, officer, other_officer):
    url = f"/api/v1/excused-days/{excuse.pk}/withdraw/"
    assert api.as_user(other_officer).post(url, {"reason": "x"}, format="json").status_code == 404
    assert api.as_user(officer).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api.as_user(secretariat).post(url, {}, format="json").status_code == 400

    response = api.post(url, {"reason": "Salah tanggal"}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["date"], body["regency"], body["withdrawn_by"], body["withdrawal_reason"]) == (
        "2024-11-18", "64.72", "sekretariat", "Salah tanggal")
    assert api.post(url, {"reason": "lagi"}, format="json").status_code == 404
    listed = api.get("/api/v1/excused-days/withdrawn/").json()
    assert [row["id"] for row in listed["results"]] == [excuse.pk]
    assert api.as_user(other_officer).get("/api/v1/excused-days/withdrawn/").json()["count"] == 0


def test_web_page_withdraws_and_lists_the_withdrawal(client, excuse, secretariat, officer, other_officer):
    url = f"/reports/excuse/{excuse.pk}/withdraw/"
    client.force_login(other_officer)
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(officer)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(secretariat)
    page = client.get("/reports/excuse/").content.decode()
    assert f'action="{url}"' in page and 'maxlength="100"' in page

    response = client.post(url, {"reason": "Salah tanggal"}, follow=True)

    html = response.content.decode()
    assert "dicabut" in html and 'id="withdrawn-excuses"' in html and "Salah tanggal" in html
    assert not ExcusedDay.objects.exists()
