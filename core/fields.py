"""Form and serializer fields that only parse: the service they feed decides what is acceptable.

A field keeps what it declares (required, choices, maximum length) for the
page (the asterisk, the radio buttons, the browser's own checks) and for the
API schema, but does not enforce it: the service raises ValidationError with
the one message for that rule, and the form or endpoint shows it.
"""

from django import forms
from rest_framework import serializers
from rest_framework.fields import SkipField, empty


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
