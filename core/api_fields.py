"""Date-times in the API: in the desk's years when sent, always valid RFC 3339 when returned.

A date-time a client sends outside the years a desk records (core.fields)
is refused before it is moved to the local zone, where a year-12 moment
would become local mean time ("09:57:36+07:57:36").

DRF renders a date-time in the current time zone with `isoformat()`. For old
dates zoneinfo gives local mean time (Asia/Makassar before 1932: +07:57:36),
an offset with seconds that RFC 3339 does not allow. Such a value is sent in
UTC instead; every other value keeps its local offset (e.g. +08:00 for WITA).
`CoreConfig.ready` makes this the field of every model DateTimeField.
"""

import datetime as dt

from django.utils.dateparse import parse_datetime
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from .fields import moment_year_problem


class Rfc3339DateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value):
        typed = value if isinstance(value, dt.datetime) else None
        if isinstance(value, str):
            try:
                typed = parse_datetime(value.strip())
            except ValueError:  # a well-formed but impossible date: DRF's own message below
                typed = None
        if typed is not None and (problem := moment_year_problem(typed)):
            raise serializers.ValidationError(problem, code="year")
        return super().to_internal_value(value)

    def to_representation(self, value):
        output_format = getattr(self, "format", api_settings.DATETIME_FORMAT)
        if isinstance(value, dt.datetime) and output_format and output_format.lower() == ISO_8601:
            try:
                offset = self.enforce_timezone(value).utcoffset()
            except OverflowError:  # year 1 or 9999 cannot move to the local zone
                offset = dt.timedelta(seconds=1)
            if offset is not None and offset % dt.timedelta(minutes=1):
                return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        return super().to_representation(value)
