"""Form and serializer fields that only parse: the service they feed decides what is acceptable.

A field keeps what it declares (required, choices, maximum length) for the
page (the asterisk, the radio buttons, the browser's own checks) and for the
API schema, but does not enforce it: the service raises ValidationError with
the one message for that rule, and the form or endpoint shows it.
"""

import datetime as dt

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

# The years a desk may type into a date-time. Outside them a moment is a typing mistake (year 12 for
# 2012), and before 1932 the zone database knows Indonesia's zones only as local mean time
# ("09.57 LMT"): such a moment is refused as the field parses it, never converted or echoed back.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2099


def moment_year_problem(moment: dt.datetime) -> str | None:
    """Why the typed `moment` is not a year the desk records (shown as typed, without a zone), or None."""
    if EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        return None
    return _("Waktu %(moment)s tidak dapat diterima: periksa tahunnya, desk mencatat waktu dari tahun %(earliest)d "
             "sampai %(latest)d.") % {
        "moment": date_format(moment.replace(tzinfo=None), "j F Y H.i"),
        "earliest": EARLIEST_YEAR, "latest": LATEST_YEAR}


class ParsedFormField:
    """Form field mixin: turn the typed text into a value (a date that does not parse is still an error)."""

    def clean(self, value):
        return self.to_python(value)


class ParsedCharField(ParsedFormField, forms.CharField):
    pass


class ParsedChoiceField(ParsedFormField, forms.ChoiceField):
    pass


class ParsedMultipleChoiceField(ParsedFormField, forms.MultipleChoiceField):
    pass


class ParsedDateField(ParsedFormField, forms.DateField):
    pass


class ParsedSerializerField:
    """Serializer field mixin: a missing or null value reaches the service as None; no validators run."""

    def run_validation(self, data=empty):
        if data is empty:
            if getattr(self.root, "partial", False):
                raise SkipField()
            return None
        if data is None:
            return None
        return self.to_internal_value(data)


class ParsedApiCharField(ParsedSerializerField, serializers.CharField):
    pass


class ParsedApiChoiceField(ParsedSerializerField, serializers.ChoiceField):
    def to_internal_value(self, data):
        return data


class ParsedApiDateField(ParsedSerializerField, serializers.DateField):
    pass


class MomentField(forms.DateTimeField):
    """A date and time typed on a page (in the current zone, or with its own offset), in the desk's years."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and (problem := moment_year_problem(moment)):
            raise forms.ValidationError(problem, code="year")
        return moment
