import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from icalendar import Calendar

from desk.models import ActionItem, CoordinationMeeting, MeetingAttendance
from desk.rakor.services import action_item_assign, action_item_complete, attendance_record
from tests.helpers import wita

from .conftest import ZOOM, meeting_make

pytestmark = pytest.mark.django_db


def _schedule_post(**overrides):
    return {**ZOOM, "zoom_meeting_id": "812 3456 7890", "date": "2024-11-29", "time": "09:30",
            "duration_minutes": 120, **overrides}


def test_secretariat_schedules_a_rakor_in_the_elections_zone(client, secretariat, election):
    client.force_login(secretariat)
    with time_machine.travel(wita(2024, 11, 25, 9, 0), tick=False):
        response = client.post("/rakor/", _schedule_post())
    meeting = CoordinationMeeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rakor/{meeting.pk}/"
    assert meeting.starts_at == wita(2024, 11, 29, 9, 30) == dt.datetime(2024, 11, 29, 1, 30, tzinfo=dt.UTC)
    assert meeting.ends_at == wita(2024, 11, 29, 11, 30)
    assert meeting.zoom_meeting_id == "81234567890" and meeting.created_by == secretariat
    page = client.get(f"/rakor/{meeting.pk}/").content.decode()
    assert "Jumat, 29 November 2024" in page and "09.30–11.30 WITA" in page and "812 3456 7890" in page
    assert meeting.history.get().history_user == secretariat


def test_schedule_form_refuses_a_plain_http_link_and_a_short_meeting_id(client, secretariat, election):
    client.force_login(secretariat)
    page = client.post("/rakor/", _schedule_post(join_url="http://zoom.us/j/1", zoom_meeting_id="1234")).content
    assert "Tautan Zoom harus diawali https://." in page.decode()
    assert "ID rapat Zoom terdiri atas 9 sampai 12 angka." in page.decode()
    assert not CoordinationMeeting.objects.exists()


def test_database_refuses_a_meeting_ending_before_it_starts_or_a_non_numeric_id(meeting):
    for change in ({"ends_at": meeting.starts_at}, {"zoom_meeting_id": "zoom-abc-12"}, {"join_url": "ftp://x"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            CoordinationMeeting.objects.filter(pk=meeting.pk).update(**change)


def test_two_meetings_at_the_same_moment_are_refused(meeting, election, secretariat):
    with pytest.raises(ValidationError) as error:
        meeting_make(election, secretariat, dt.date(2024, 11, 22))
    assert "time" in error.value.message_dict


def test_another_broken_rule_is_not_reported_as_a_double_booking(election, secretariat):
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting_make(election, secretariat, dt.date(2024, 11, 23), title="")


def test_officers_cannot_schedule_or_record(client, officer, election, meeting, samarinda):
    client.force_login(officer)
    assert client.post("/rakor/", _schedule_post()).status_code == 403
    assert client.post(f"/rakor/{meeting.pk}/record/", _schedule_post(minutes="x")).status_code == 403
    assert client.post(f"/rakor/{meeting.pk}/attendance/", {"present_64.72": "on"}).status_code == 403
    assert client.post(f"/rakor/{meeting.pk}/actions/", {"regency": "64.72", "description": "x",
                                                         "due_date": "2024-11-30"}).status_code == 403
    assert CoordinationMeeting.objects.count() == 1 and not ActionItem.objects.exists()
    with pytest.raises(PermissionDenied):
        attendance_record(meeting=meeting, by=officer, now=meeting.ends_at, rows={"64.72": (True, "Budi")})


def test_another_provinces_secretariat_sees_nothing(client, other_secretariat, meeting, item):
    client.force_login(other_secretariat)
    for url in (f"/rakor/{meeting.pk}/", f"/rakor/{meeting.pk}/calendar.ics"):
        assert client.get(url).status_code == 404, url
    for url in (f"/rakor/{meeting.pk}/record/", f"/rakor/{meeting.pk}/attendance/", f"/rakor/{meeting.pk}/actions/",
                f"/rakor/actions/{item.pk}/done/"):
        assert client.post(url, {"note": "x"}).status_code == 404, url
    assert meeting.title not in client.get("/rakor/").content.decode()


def test_secretariat_records_attendance_minutes_and_action_items(client, secretariat, meeting, samarinda,
                                                                 balikpapan):
    client.force_login(secretariat)
    client.post(f"/rakor/{meeting.pk}/attendance/", {"present_64.72": "on", "attendees_64.72": "Budi, Sari",
                                                     "attendees_64.71": "ignored when absent"})
    rows = {row.regency_id: (row.present, row.attendees) for row in MeetingAttendance.objects.all()}
    assert rows == {"64.72": (True, "Budi, Sari"), "64.71": (False, "")}
    client.post(f"/rakor/{meeting.pk}/record/", _schedule_post(date="2024-11-22", time="14:00", duration_minutes=90,
                                                               minutes="Semua desk melaporkan situasi kondusif."))
    meeting.refresh_from_db()
    assert meeting.minutes == "Semua desk melaporkan situasi kondusif." and meeting.history.count() == 2
    with time_machine.travel(wita(2024, 11, 22, 15, 0), tick=False):
        client.post(f"/rakor/{meeting.pk}/actions/", {"regency": "64.71", "description": "Lengkapi segel.",
                                                      "due_date": "2024-11-26"})
    item = ActionItem.objects.get()
    assert (item.regency_id, item.due_date, item.created_at) == ("64.71", dt.date(2024, 11, 26),
                                                                 wita(2024, 11, 22, 15, 0))
    page = client.get(f"/rakor/{meeting.pk}/").content.decode()
    assert "Lengkapi segel." in page and "Budi, Sari" in page


def test_action_item_due_before_the_meeting_or_outside_the_province_is_refused(meeting, secretariat,
                                                                               other_province_regency, samarinda):
    now = wita(2024, 11, 22, 15, 0)
    with pytest.raises(ValidationError) as error:
        action_item_assign(meeting=meeting, regency=other_province_regency, by=secretariat, now=now,
                           description="x", due_date=dt.date(2024, 11, 21))
    assert set(error.value.message_dict) == {"regency", "due_date"}


def test_officer_reads_only_its_own_items_and_marks_them_done_with_a_note(client, officer, other_officer, item,
                                                                          meeting, secretariat, balikpapan):
    theirs = action_item_assign(meeting=meeting, regency=balikpapan, by=secretariat, now=wita(2024, 11, 22, 15),
                                description="Rahasia Balikpapan.", due_date=dt.date(2024, 11, 25))
    client.force_login(officer)
    page = client.get(f"/rakor/{meeting.pk}/").content.decode()
    assert "Kirim foto gudang logistik." in page and "Rahasia Balikpapan." not in page
    assert client.post(f"/rakor/actions/{theirs.pk}/done/", {"note": "x"}).status_code == 404
    assert client.post(f"/rakor/actions/{item.pk}/done/", {"note": ""}).status_code == 302
    item.refresh_from_db()
    assert not item.is_done
    with time_machine.travel(wita(2024, 11, 24, 10, 0), tick=False):
        response = client.post(f"/rakor/actions/{item.pk}/done/", {"note": "Foto dikirim lewat grup.",
                                                                   "back": "home"})
    assert response["Location"] == "/"
    item.refresh_from_db()
    assert (item.done_at, item.done_by, item.done_note) == (wita(2024, 11, 24, 10), officer, "Foto dikirim lewat grup.")
    assert item.history.order_by("history_date").last().history_user == officer
    assert not action_item_complete(item=item, by=officer, note="lagi", now=wita(2024, 11, 25))
    theirs.refresh_from_db()
    assert not theirs.is_done


def test_secretariat_cannot_mark_an_officers_item_done(client, secretariat, item):
    client.force_login(secretariat)
    assert client.post(f"/rakor/actions/{item.pk}/done/", {"note": "x"}).status_code == 403
    item.refresh_from_db()
    assert not item.is_done


def test_database_keeps_who_when_and_note_of_a_done_item_together(item):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.filter(pk=item.pk).update(done_at=wita(2024, 11, 23))


def test_officer_home_shows_the_next_rakor_and_open_items(client, officer, meeting, item, election):
    later = meeting_make(election, meeting.created_by, dt.date(2024, 11, 29), title="Rakor Pascapencoblosan")
    client.force_login(officer)
    with time_machine.travel(wita(2024, 11, 22, 15, 0), tick=False):  # during the first meeting
        page = client.get("/").content.decode()
    assert 'id="next-rakor"' in page and "Jumat, 22 November 2024" in page and ZOOM["join_url"] in page
    assert f"/rakor/{meeting.pk}/calendar.ics" in page and "Kirim foto gudang logistik." in page
    with time_machine.travel(wita(2024, 11, 23, 9, 0), tick=False):
        page = client.get("/").content.decode()
    assert "Rakor Pascapencoblosan" in page and f"/rakor/{later.pk}/calendar.ics" in page


def test_calendar_file_has_the_local_time_with_its_zone_and_the_zoom_details(client, officer, meeting):
    client.force_login(officer)
    response = client.get(f"/rakor/{meeting.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="rakor-2024-11-22.ics"' in response["Content-Disposition"]
    body = response.content
    assert b"\r\n" in body and all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert b"DTSTART;TZID=Asia/Makassar:20241122T140000" in body and b"BEGIN:VTIMEZONE" in body
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == wita(2024, 11, 22, 14, 0) == dt.datetime(2024, 11, 22, 6, tzinfo=dt.UTC)
    assert event.decoded("DTEND") == wita(2024, 11, 22, 15, 30)
    assert str(event["LOCATION"]) == ZOOM["join_url"] and "812 3456 7890" in str(event["DESCRIPTION"])
    assert str(event["UID"]).startswith(f"rakor-{meeting.pk}@")


def test_anonymous_is_sent_to_login(client, meeting, item):
    for url in ("/rakor/", f"/rakor/{meeting.pk}/", f"/rakor/{meeting.pk}/calendar.ics", "/rakor/brief/",
                "/rakor/brief.pdf"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_attendance_history_carries_who_and_the_moment_the_service_was_given(meeting, secretariat):
    from desk.models import MeetingAttendance

    attendance_record(meeting=meeting, by=secretariat, now=meeting.ends_at, rows={"64.72": (True, "Budi")})

    history = MeetingAttendance.history.get(meeting=meeting, regency_id="64.72")
    assert (history.history_date, history.history_user) == (meeting.ends_at, secretariat)
