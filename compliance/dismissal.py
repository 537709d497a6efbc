"""The secretariat closes a flag by hand, saying why."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from core.validators import text_messages

from .models import FLAG_NOTE_MAX_LENGTH, Flag, Resolution


def flag_dismiss(*, flag: Flag, by: AbstractBaseUser, note: str, now: dt.datetime) -> bool:
    """The secretariat closes an open flag by hand, saying why."""
    if messages := text_messages(note, FLAG_NOTE_MAX_LENGTH):
        raise ValidationError({"note": messages})
    updated = Flag.objects.open().filter(pk=flag.pk).update(
        resolved_at=now, resolution=Resolution.DISMISSED, resolved_by=by, note=note
    )
    flag.refresh_from_db()
    return bool(updated)
