"""The rule for every free text a desk types: at most `limit` characters, no NUL, no lone surrogate.

Model fields carry these validators (so `full_clean` and the admin apply
them); services that write without `full_clean` ask `text_messages`.
PostgreSQL cannot store a NUL character, and a lone UTF-16 surrogate (which
JSON's "\\ud800" escape can carry) is not text at all: both are refused here
with a message rather than failing at the database.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _


def prohibit_surrogates(value):
    if isinstance(value, str) and any(0xD800 <= ord(char) <= 0xDFFF for char in value):
        raise ValidationError(_("Teks berisi karakter yang tidak sah (surrogate Unicode)."), code="surrogate")


def bounded_text_validators(limit):
    return [MaxLengthValidator(limit), ProhibitNullCharactersValidator(), prohibit_surrogates]


def text_messages(value, limit):
    """The messages `bounded_text_validators(limit)` give for `value` (empty when it is fine)."""
    messages = []
    for validator in bounded_text_validators(limit):
        try:
            validator(value)
        except ValidationError as error:
            messages.extend(error.messages)
    return messages
