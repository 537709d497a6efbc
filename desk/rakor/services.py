"""Writes of the Rakor: the only code that schedules meetings, records them, and closes action items.

The secretariat of the election's province schedules and records; a regency's
own officer marks its action items done. Each function checks who may do it,
validates (Django's ValidationError with field messages), then writes.
"""

import datetime as dt
import re
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.scope import ensure_officer_of, ensure_secretariat_of
from core.history import history_stamp
from regions.models import Regency

from ..models import (
    CANCEL_REASON_MAX_LENGTH,
    MAX_DURATION_MINUTES,
    ZOOM_JOIN_URL_REGEX,
    ActionItem,
    CoordinationMeeting,
    MeetingAttendance,
    MeetingStatus,
)

MEETING_FIELDS = ("title", "join_url", "zoom_meeting_id", "passcode", "agenda")


def ensure_manages_rakor(user, province_code):
    """Raise PermissionDenied unless `user` is the secretariat of that province: it manages the Rakor."""
    ensure_secretariat_of(user, province_code, _("Hanya sekretariat desk provinsi yang dapat mengelola rakor."))


def meeting_date_problem(*, election, date: dt.date, now: dt.datetime, kept: dt.date | None = None):
    """Why a Rakor cannot be on local `date`, or None.

    A meeting lies inside the election's reporting window and is not scheduled
    for a day already gone (today in the election's zone is allowed). `kept` is
    the meeting's current date when it is edited: keeping that date is allowed
    even once it has passed (its minutes are recorded afterwards).
    """
    first, last = election.reporting_start, election.reporting_end
    if date == kept and first <= date <= last:
        return None
    today = election.local_date(now)
    earliest = max(first, today)
    if earliest > last:
        return _("Masa pelaporan %(election)s sudah berakhir pada %(last)s: rakor baru tidak dapat dijadwalkan.") % {
            "election": election.name, "last": date_format(last)}
    if not earliest <= date <= last:
        return _("Tanggal rakor %(day)s di luar kalender %(election)s: pilih antara %(first)s dan %(last)s.") % {
            "day": f"{date.day} {date_format(date, 'F')} {date.year}", "election": election.name,
            "first": date_format(earliest), "last": date_format(last)}
    return None


def _meeting_times(*, election, date, time, duration_minutes, now, kept=None):
    """Local date and time in the election's zone -> (starts_at, ends_at), aware; the date inside the calendar."""
    errors = {}
    if problem := meeting_date_problem(election=election, date=date, now=now, kept=kept):
        errors["date"] = problem
    if not 15 <= duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = _("Durasi rakor antara 15 dan 480 menit.")
    if errors:
        raise ValidationError(errors)
    starts_at = dt.datetime.combine(date, time, tzinfo=election.zone)
    return starts_at, starts_at + dt.timedelta(minutes=duration_minutes)


def zoom_join_url_problem(url: str, meeting_id: str):
    """(the link as stored, why it is not a Zoom meeting link or None): see models.ZOOM_JOIN_URL_REGEX."""
    parts = urlsplit(url.strip())
    url = urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()))
    if not re.match(ZOOM_JOIN_URL_REGEX, url):
        return url, _("Tautan Zoom harus berupa alamat rapat Zoom, misalnya https://zoom.us/j/81234567890 "
                      "atau https://us02web.zoom.us/j/81234567890?pwd=....")
    path_id = parts.path.removeprefix("/j/") if parts.path.startswith("/j/") else None
    if path_id is not None and path_id != meeting_id:
        return url, _("ID rapat pada tautan (%(link)s) berbeda dengan ID rapat Zoom (%(given)s).") % {
            "link": path_id, "given": meeting_id}
    return url, None


def _meeting_fields(data):
    """The title, Zoom details and agenda from `data`, the join link checked against the meeting ID."""
    fields = {field: data.get(field, "") for field in MEETING_FIELDS}
    fields["join_url"], problem = zoom_join_url_problem(fields["join_url"], fields["zoom_meeting_id"])
    if problem:
        raise ValidationError({"join_url": problem})
    return fields


def _ensure_not_cancelled(meeting):
    if meeting.is_cancelled:
        raise ValidationError(_("Rakor ini sudah dibatalkan: tidak dapat diubah lagi."))


def _save_meeting(meeting):
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as error:
        clash = CoordinationMeeting.objects.filter(election=meeting.election, starts_at=meeting.starts_at)
        if meeting.pk is not None:
            clash = clash.exclude(pk=meeting.pk)
        if not clash.exists():
            raise  # another rule, which the form's validation should have caught: say so loudly
        raise ValidationError({"time": _("Sudah ada rakor pada waktu yang sama.")}) from error
    return meeting


def meeting_schedule(*, election, by, date: dt.date, time: dt.time, duration_minutes: int, data: dict,
                     now: dt.datetime):
    """Schedule a Rakor at `date` `time` in the election's zone; `data` holds title, Zoom details and agenda."""
    ensure_manages_rakor(by, election.province_id)
    starts_at, ends_at = _meeting_times(election=election, date=date, time=time, duration_minutes=duration_minutes,
                                        now=now)
    meeting = CoordinationMeeting(
        election=election, starts_at=starts_at, ends_at=ends_at, created_by=by, **_meeting_fields(data),
    )
    history_stamp(meeting, by=by, now=now)
    return _save_meeting(meeting)


def meeting_update(*, meeting, by, date: dt.date, time: dt.time, duration_minutes: int, data: dict, minutes: str,
                   now: dt.datetime):
    """Change a meeting's time, Zoom details and agenda, and record its minutes (not of a cancelled one)."""
    ensure_manages_rakor(by, meeting.election.province_id)
    _ensure_not_cancelled(meeting)
    meeting.starts_at, meeting.ends_at = _meeting_times(
        election=meeting.election, date=date, time=time, duration_minutes=duration_minutes, now=now,
        kept=meeting.local_start.date(),
    )
    for field, value in _meeting_fields(data).items():
        setattr(meeting, field, value)
    meeting.minutes = minutes
    history_stamp(meeting, by=by, now=now)
    return _save_meeting(meeting)


def meeting_cancel(*, meeting, by, reason: str, now: dt.datetime):
    """The secretariat cancels a meeting, saying why. Returns False when it already was cancelled.

    The meeting stays (with its history) and shows as cancelled; it is no
    longer anybody's next Rakor nor the brief's previous one.
    """
    ensure_manages_rakor(by, meeting.election.province_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan pembatalan rakor.")})
    if len(reason) > CANCEL_REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("Alasan pembatalan paling banyak %(n)s karakter.") % {
            "n": CANCEL_REASON_MAX_LENGTH}})
    with transaction.atomic():
        locked = CoordinationMeeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.is_cancelled:
            return False
        locked.status, locked.cancelled_at, locked.cancelled_by, locked.cancel_reason = (
            MeetingStatus.CANCELLED, now, by, reason)
        history_stamp(locked, by=by, now=now)
        locked.save()
    meeting.refresh_from_db()
    return True


@transaction.atomic
def attendance_record(*, meeting, by, rows: dict[str, tuple[bool, str]], now: dt.datetime):
    """Record {regency code: (present, attendees)} for the meeting's province; other codes are refused."""
    ensure_manages_rakor(by, meeting.election.province_id)
    _ensure_not_cancelled(meeting)
    regencies = set(Regency.objects.filter(province_id=meeting.election.province_id).values_list("code", flat=True))
    unknown = set(rows) - regencies
    if unknown:
        raise ValidationError(_("Kabupaten/kota di luar provinsi: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    existing = {row.regency_id: row for row in MeetingAttendance.objects.filter(meeting=meeting)}
    for code, (present, attendees) in sorted(rows.items()):
        attendees = attendees.strip() if present else ""
        record = existing.get(code) or MeetingAttendance(meeting=meeting, regency_id=code)
        if record.pk and (record.present, record.attendees) == (present, attendees):
            continue
        record.present, record.attendees = present, attendees
        history_stamp(record, by=by, now=now)
        record.save()


def action_item_assign(*, meeting, regency, by, description: str, due_date: dt.date, now: dt.datetime):
    """A decision of the meeting for one regency of its province, due by `due_date`."""
    ensure_manages_rakor(by, meeting.election.province_id)
    _ensure_not_cancelled(meeting)
    errors = {}
    if regency.province_id != meeting.election.province_id:
        errors["regency"] = _("%(regency)s tidak berada di provinsi rakor ini.") % {"regency": regency.name}
    if not description.strip():
        errors["description"] = _("Tuliskan tindak lanjut yang harus dikerjakan.")
    if due_date < meeting.local_start.date():
        errors["due_date"] = _("Batas waktu tidak boleh sebelum tanggal rakor.")
    if errors:
        raise ValidationError(errors)
    item = ActionItem(meeting=meeting, regency=regency, description=description.strip(), due_date=due_date,
                      created_by=by, created_at=now)
    history_stamp(item, by=by, now=now)
    item.save()
    return item


def action_item_complete(*, item, by, note: str, now: dt.datetime):
    """The regency's officer marks its action item done, saying how. Returns False when it already was."""
    ensure_officer_of(by, item.regency_id)
    if not note.strip():
        raise ValidationError({"note": _("Tuliskan bagaimana tindak lanjut ini diselesaikan.")})
    with transaction.atomic():
        # Locked: two submissions never both close the item.
        locked = ActionItem.objects.select_for_update().get(pk=item.pk)
        if locked.is_done:
            return False
        locked.done_at, locked.done_by, locked.done_note = now, by, note.strip()
        history_stamp(locked, by=by, now=now)
        locked.save()
    item.refresh_from_db()
    return True
