"""Writes of the Rakor: the only code that schedules meetings, records them, and closes action items.

The secretariat of the election's province schedules and records; a regency's
own officer marks its action items done. Each function checks who may do it,
validates (Django's ValidationError with field messages), then writes.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.scope import ensure_officer_of, ensure_secretariat_of
from core.history import history_stamp
from regions.models import Regency

from ..models import MAX_DURATION_MINUTES, ActionItem, CoordinationMeeting, MeetingAttendance

MEETING_FIELDS = ("title", "join_url", "zoom_meeting_id", "passcode", "agenda")


def ensure_manages_rakor(user, province_code):
    """Raise PermissionDenied unless `user` is the secretariat of that province: it manages the Rakor."""
    ensure_secretariat_of(user, province_code, _("Hanya sekretariat desk provinsi yang dapat mengelola rakor."))


def _meeting_times(*, election, date, time, duration_minutes):
    """Local date and time in the election's zone -> (starts_at, ends_at), aware."""
    if not 15 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise ValidationError({"duration_minutes": _("Durasi rakor antara 15 dan 480 menit.")})
    starts_at = dt.datetime.combine(date, time, tzinfo=election.zone)
    return starts_at, starts_at + dt.timedelta(minutes=duration_minutes)


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


def meeting_schedule(*, election, by, date: dt.date, time: dt.time, duration_minutes: int, data: dict):
    """Schedule a Rakor at `date` `time` in the election's zone; `data` holds title, Zoom details and agenda."""
    ensure_manages_rakor(by, election.province_id)
    starts_at, ends_at = _meeting_times(election=election, date=date, time=time, duration_minutes=duration_minutes)
    meeting = CoordinationMeeting(
        election=election, starts_at=starts_at, ends_at=ends_at, created_by=by,
        **{field: data.get(field, "") for field in MEETING_FIELDS},
    )
    meeting._history_user = by
    return _save_meeting(meeting)


def meeting_update(*, meeting, by, date: dt.date, time: dt.time, duration_minutes: int, data: dict, minutes: str):
    """Change a meeting's time, Zoom details and agenda, and record its minutes."""
    ensure_manages_rakor(by, meeting.election.province_id)
    meeting.starts_at, meeting.ends_at = _meeting_times(
        election=meeting.election, date=date, time=time, duration_minutes=duration_minutes
    )
    for field in MEETING_FIELDS:
        setattr(meeting, field, data.get(field, ""))
    meeting.minutes = minutes
    meeting._history_user = by
    return _save_meeting(meeting)


@transaction.atomic
def attendance_record(*, meeting, by, rows: dict[str, tuple[bool, str]]):
    """Record {regency code: (present, attendees)} for the meeting's province; other codes are refused."""
    ensure_manages_rakor(by, meeting.election.province_id)
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
        record._history_user = by
        record.save()


def action_item_assign(*, meeting, regency, by, description: str, due_date: dt.date, now: dt.datetime):
    """A decision of the meeting for one regency of its province, due by `due_date`."""
    ensure_manages_rakor(by, meeting.election.province_id)
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
