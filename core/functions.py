"""Database functions the apps share (PostgreSQL)."""

from django.db.models import DateField, Func


class LocalDate(Func):
    """The calendar date of a moment in a zone read from the row: `LocalDate("received_at", "zone_path")`.

    PostgreSQL's `moment AT TIME ZONE zone` is the wall-clock time there; its
    date is the day a desk in that zone calls it.
    """

    arg_joiner = " AT TIME ZONE "
    template = "((%(expressions)s)::date)"
    output_field = DateField()
