"""Who changed a record, when, and why: what its next history row (django-simple-history) says.

Every service that saves or deletes a desk record calls `history_stamp` first,
with the user and the `now` it was given, so the history carries the
service's moment (a frozen clock in tests, the phone's submission in the
demo), never the wall clock of the save.
"""

import datetime as dt


def history_stamp(record, *, by, now: dt.datetime, reason: str = ""):
    """Set the user, date and (for a correction or withdrawal) the reason of `record`'s next history row."""
    record._history_user = by
    record._history_date = now
    if reason:
        record._change_reason = reason
    return record
