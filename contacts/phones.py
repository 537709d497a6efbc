"""Phone numbers in E.164: what a person types (`0812…`) or a provider sends (`62812…`) becomes `+62812…`."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "ID"


def phone_e164(text: str) -> str:
    """The number in E.164 (`+6281234567890`); ValidationError when it is not a valid phone number.

    A number without `+` is read as Indonesian: `0812…` is national, `62812…` already carries the
    country code (how WhatsApp and some gateways send it).
    """
    raw = "".join(str(text or "").split()).replace("-", "")
    if raw.startswith("62") and raw.isdigit():
        raw = f"+{raw}"
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Nomor telepon tidak sah: tulis mis. 081234567890 atau +6281234567890."), code="invalid_phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_or_none(text: str) -> str | None:
    """E.164 or None (a sender the providers give us that is no phone number)."""
    try:
        return phone_e164(text)
    except ValidationError:
        return None
