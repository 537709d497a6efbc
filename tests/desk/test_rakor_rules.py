"""A Rakor's date inside the election's calendar, its Zoom link, and its cancellation."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from desk.models import CoordinationMeeting, MeetingStatus
from desk.rakor.brief import rakor_brief
from desk.rakor.services import (
    attendance_record,
    meeting_cancel,
    meeting_schedule,
    meeting_update,
    zoom_join_url_problem,
)
from tests.helpers import wita

from .conftest import ZOOM, meeting_make

pytestmark = pytest.mark.django_db

# The test election: voting 27 November 2024, daily reporting 1 November to 16 December 2024 (WITA).
SCHEDULING_DAY = wita(2024, 11, 20, 10, 0)


def _post(**overrides):
    return {**ZOOM, "date": "2024-11-29", "time": "09:30", "duration_minutes": 90, **overrides}


@pytest.mark.parametrize("day", ["0012-05-01", "2099-11-29", "2024-11-19", "2024-10-31", "2024-12-17"])
def test_a_meeting_outside_the_calendar_or_in_the_past_is_refused_naming_the_range(client, secretariat, election,
                                                                                   day):
    client.force_login(secretariat)
    with time_machine.travel(SCHEDULING_DAY, tick=False):
        page = client.post("/rakor/", _post(date=day)).content.decode()
    assert "di luar kalender Pilkada Serentak 2024: pilih antara 20 November 2024 dan 16 Desember 2024." in page
    assert "LMT" not in page and "735600" not in page
    assert not CoordinationMeeting.objects.exists()


def test_today_and_the_last_day_of_the_window_are_allowed(secretariat, election):
    for day in (dt.date(2024, 11, 20), dt.date(2024, 12, 16)):
        meeting_make(election, secretariat, day, now=SCHEDULING_DAY)
    assert CoordinationMeeting.objects.count() == 2


def test_once_the_window_is_over_no_meeting_can_be_scheduled(secretariat, election):
    with pytest.raises(ValidationError) as error:
        meeting_make(election, secretariat, dt.date(2024, 12, 20), now=wita(2024, 12, 18, 9))
    assert error.value.message_dict["date"] == [
        "Masa pelaporan Pilkada Serentak 2024 sudah berakhir pada 16 Desember 2024: rakor baru tidak dapat "
        "dijadwalkan."]


def test_a_held_meeting_keeps_its_date_but_cannot_be_moved_into_the_past(secretariat, meeting):
    after = wita(2024, 11, 25, 9)
    fields = {field: getattr(meeting, field) for field in ("title", "join_url", "zoom_meeting_id", "passcode",
                                                           "agenda")}
    meeting_update(meeting=meeting, by=secretariat, date=dt.date(2024, 11, 22), time=dt.time(14), duration_minutes=90,
                   data=fields, minutes="Dicatat setelah rapat.", now=after)
    with pytest.raises(ValidationError) as error:
        meeting_update(meeting=meeting, by=secretariat, date=dt.date(2024, 11, 21), time=dt.time(14),
                       duration_minutes=90, data=fields, minutes="", now=after)
    assert "pilih antara 25 November 2024 dan 16 Desember 2024" in error.value.message_dict["date"][0]
    meeting.refresh_from_db()
    assert meeting.local_start == wita(2024, 11, 22, 14) and meeting.minutes == "Dicatat setelah rapat."


ZOOM_LINKS_ACCEPTED = [
    "https://zoom.us/j/81234567890",
    "https://zoom.us/j/81234567890?pwd=RGVza1BpbGthZGE",
    "https://us02web.zoom.us/j/81234567890?pwd=abc.1",
    "https://ZOOM.US/j/81234567890",
    "https://kpu-kaltim.zoom.us/j/81234567890",
    "https://zoom.us/my/sekretariat.kaltim",
]
ZOOM_LINKS_REFUSED = [
    "http://zoom.us/j/81234567890",
    "https://zoom.us.evil.example/j/81234567890",
    "https://evilzoom.us/j/81234567890",
    "https://zoom.us@evil.example/j/81234567890",
    "https://zoom.us/j/8123",
    "https://zoom.us/j/abc",
    "https://zoom.us/",
    "https://zoom.us/j/81234567890#x",
    "https://a.b.zoom.us/j/81234567890",
    "https://meet.google.com/abc-defg-hij",
    "https://zoom.us/j/81234567890?pwd=<script>",
]


@pytest.mark.parametrize("url", ZOOM_LINKS_ACCEPTED)
def test_zoom_meeting_links_are_accepted(url):
    assert zoom_join_url_problem(url, "81234567890")[1] is None


@pytest.mark.parametrize("url", ZOOM_LINKS_REFUSED)
def test_other_links_are_refused_as_zoom_links(url):
    assert "alamat rapat Zoom" in zoom_join_url_problem(url, "81234567890")[1]


def test_the_link_and_the_meeting_id_must_agree(client, secretariat, election):
    client.force_login(secretariat)
    with time_machine.travel(SCHEDULING_DAY, tick=False):
        page = client.post("/rakor/", _post(join_url="https://zoom.us/j/99999999999")).content.decode()
        assert "ID rapat pada tautan (99999999999) berbeda dengan ID rapat Zoom (81234567890)." in page
        page = client.post("/rakor/", _post(join_url="https://meet.google.com/abc-defg-hij")).content.decode()
        assert "Tautan Zoom harus berupa alamat rapat Zoom" in page
    assert not CoordinationMeeting.objects.exists()


def test_database_refuses_a_link_that_is_not_zoom_and_a_cancellation_without_its_reason(meeting, secretariat):
    for change in ({"join_url": "https://evil.example/j/81234567890"},
                   {"status": MeetingStatus.CANCELLED, "cancelled_at": wita(2024, 11, 21), "cancelled_by": secretariat},
                   {"cancel_reason": "tanpa status"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            CoordinationMeeting.objects.filter(pk=meeting.pk).update(**change)


def test_secretariat_cancels_with_a_reason_kept_in_history(client, secretariat, meeting):
    client.force_login(secretariat)
    with time_machine.travel(wita(2024, 11, 21, 16, 5), tick=False):
        refused = client.post(f"/rakor/{meeting.pk}/cancel/", {"reason": "  "})
        assert "Tuliskan alasan pembatalan rakor." in refused.content.decode()
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.SCHEDULED
        response = client.post(f"/rakor/{meeting.pk}/cancel/", {"reason": "Bentrok dengan rapat Gubernur."})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancelled_at, meeting.cancelled_by, meeting.cancel_reason) == (
        MeetingStatus.CANCELLED, wita(2024, 11, 21, 16, 5), secretariat, "Bentrok dengan rapat Gubernur.")
    latest = meeting.history.order_by("history_date").last()
    assert (latest.history_user, latest.status, latest.cancel_reason) == (
        secretariat, "cancelled", "Bentrok dengan rapat Gubernur.")
    page = client.get(f"/rakor/{meeting.pk}/").content.decode()
    assert 'id="meeting-cancelled"' in page and "Bentrok dengan rapat Gubernur." in page
    assert "21 November 2024 16.05 WITA" in page and "Gabung Zoom" not in page and 'id="record-form"' not in page
    listing = client.get("/rakor/").content.decode()
    assert f'data-meeting="{meeting.pk}" data-cancelled' in listing and "Dibatalkan" in listing
    again = client.post(f"/rakor/{meeting.pk}/cancel/", {"reason": "Lagi."}, follow=True).content.decode()
    assert "Rakor ini sudah dibatalkan sebelumnya." in again
    meeting.refresh_from_db()
    assert meeting.cancel_reason == "Bentrok dengan rapat Gubernur."


def test_a_cancelled_meeting_is_not_changed_and_frees_its_slot(client, secretariat, meeting, election):
    meeting_cancel(meeting=meeting, by=secretariat, reason="Salah tanggal.", now=wita(2024, 11, 21, 9))
    client.force_login(secretariat)
    with time_machine.travel(wita(2024, 11, 21, 10), tick=False):
        page = client.post(f"/rakor/{meeting.pk}/record/", _post(date="2024-11-22", time="14:00",
                                                                 minutes="Tidak boleh.")).content.decode()
        assert "Rakor ini sudah dibatalkan: tidak dapat diubah lagi." in page
        calendar = client.get(f"/rakor/{meeting.pk}/calendar.ics").content
    assert b"STATUS:CANCELLED" in calendar
    meeting.refresh_from_db()
    assert meeting.minutes == "" and meeting.history.count() == 2
    with pytest.raises(ValidationError):
        attendance_record(meeting=meeting, by=secretariat, now=meeting.ends_at, rows={"64.72": (True, "Budi")})
    again = meeting_make(election, secretariat, dt.date(2024, 11, 22), now=wita(2024, 11, 21, 9))
    assert again.starts_at == meeting.starts_at and again.status == MeetingStatus.SCHEDULED


def test_only_the_provinces_secretariat_cancels(client, officer, other_secretariat, meeting):
    url = f"/rakor/{meeting.pk}/cancel/"
    response = client.post(url, {"reason": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(officer)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(other_secretariat)
    assert client.post(url, {"reason": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        meeting_cancel(meeting=meeting, by=officer, reason="x", now=wita(2024, 11, 21))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_the_officer_no_longer_sees_a_cancelled_meeting_as_the_next_rakor(client, officer, secretariat, meeting,
                                                                          election):
    later = meeting_make(election, secretariat, dt.date(2024, 11, 29), title="Rakor Pascapencoblosan")
    meeting_cancel(meeting=meeting, by=secretariat, reason="Ditunda.", now=wita(2024, 11, 21, 9))
    client.force_login(officer)
    with time_machine.travel(wita(2024, 11, 21, 10), tick=False):
        page = client.get("/").content.decode()
    assert "Rakor Pascapencoblosan" in page and f"/rakor/{later.pk}/calendar.ics" in page
    assert f"/rakor/{meeting.pk}/calendar.ics" not in page


def test_a_cancelled_meeting_is_neither_the_previous_rakor_nor_this_one(secretariat, election):
    first = meeting_make(election, secretariat, dt.date(2024, 11, 15), title="Rakor Ketiga")
    mistake = meeting_make(election, secretariat, dt.date(2024, 11, 19), title="Salah ketik")
    on_the_day = meeting_make(election, secretariat, dt.date(2024, 11, 22), hour=9, title="Dibatalkan juga")
    meeting = meeting_make(election, secretariat, dt.date(2024, 11, 22), title="Rakor Keempat")
    for cancelled in (mistake, on_the_day):
        meeting_cancel(meeting=cancelled, by=secretariat, reason="Salah jadwal.", now=wita(2024, 11, 20))
    brief = rakor_brief(election=election, date=dt.date(2024, 11, 22), now=wita(2024, 11, 22, 10))
    assert brief["previous"] == first and brief["meeting"] == meeting
    assert brief["days"][0] == dt.date(2024, 11, 15)
    meeting_cancel(meeting=meeting, by=secretariat, reason="Ditunda.", now=wita(2024, 11, 20))
    brief = rakor_brief(election=election, date=dt.date(2024, 11, 22), now=wita(2024, 11, 22, 10))
    assert brief["meeting"] is None and brief["previous"] == first


def test_schedule_refuses_a_day_gone_in_the_service_too(secretariat, election):
    with pytest.raises(ValidationError) as error:
        meeting_schedule(election=election, by=secretariat, date=dt.date(2024, 11, 19), time=dt.time(9),
                         duration_minutes=60, data=ZOOM, now=SCHEDULING_DAY)
    assert set(error.value.message_dict) == {"date"}
