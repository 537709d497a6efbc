"""The rule for every free text a desk types: at most `limit` characters, no NUL.

Model fields carry these validators (so `full_clean` and the admin apply
them); services that write without `full_clean` ask `text_messages`.
PostgreSQL cannot store a NUL character at all, so it is refused here with a
message rather than failing at the database.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator


def bounded_text_validators(limit):
    return [MaxLengthValidator(limit), ProhibitNullCharactersValidator()]


def text_messages(value, limit):
    """The messages `bounded_text_validators(limit)` give for `value` (empty when it is fine)."""
    messages = []
    for validator in bounded_text_validators(limit):
        try:
            validator(value)
        except ValidationError as error:
            messages.extend(error.messages)
    return messages
