"""A Rakor as an iCalendar file (RFC 5545) for the desks' calendars."""

import datetime as dt

from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def meeting_ics(meeting, *, now: dt.datetime, host: str) -> bytes:
    """One VEVENT at the meeting's local time with its TZID (and the VTIMEZONE), the Zoom details in it."""
    calendar = Calendar()
    calendar.add("prodid", "-//Desk Pilkada//Rakor//ID")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"rakor-{meeting.pk}@{host}")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", meeting.local_start)
    event.add("dtend", meeting.local_end)
    event.add("summary", meeting.title)
    if meeting.is_cancelled:  # a calendar that imported it before shows it cancelled
        event.add("status", "CANCELLED")
    event.add("location", meeting.join_url)
    event.add("url", meeting.join_url)
    lines = [
        _("Tautan Zoom: %(url)s") % {"url": meeting.join_url},
        _("ID rapat: %(id)s") % {"id": meeting.zoom_meeting_id_display},
    ]
    if meeting.passcode:
        lines.append(_("Kode sandi: %(code)s") % {"code": meeting.passcode})
    lines += ["", _("Agenda:"), meeting.agenda]
    event.add("description", "\n".join(lines))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
