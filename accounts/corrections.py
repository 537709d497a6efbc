"""Admins correct desk records in the Django admin: who may, and the reason every correction keeps.

A regency's reports, receipts and incidents are written by its officer. An
admin may correct them, through the same services and rules, but only with a
reason: the service stores it as the history record's change reason, next to
the admin as its user, so the history says who corrected what, when and why.
"""

from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from pilkada_desk.validators import text_messages

from .scope import ensure_officer_of

# simple-history keeps a change reason of at most 100 characters.
CORRECTION_REASON_MAX_LENGTH = 100


def may_correct(user, model) -> bool:
    """An admin: an active staff user allowed to change `model` (a superuser always is)."""
    opts = model._meta
    return bool(
        user.is_active and user.is_staff
        and user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")
    )


def ensure_may_correct(user, model) -> None:
    if not may_correct(user, model):
        raise PermissionDenied(_("Hanya admin yang dapat mengoreksi rekaman desk."))


def correction_reason(reason: str | None) -> str:
    """The reason of a correction, stripped: required, at most 100 characters, no NUL or lone surrogate."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan koreksi, mis. salah ketik jumlah.")]})
    if messages := text_messages(reason, CORRECTION_REASON_MAX_LENGTH):
        raise ValidationError({"reason": messages})
    return reason


def ensure_may_write(user, regency_code: str, *, model, reason: str | None = None, message: str | None = None) -> str:
    """The write check of a regency's desk record: its officer writes it; an admin corrects it, saying why.

    Without `reason` the write is the officer's (`ensure_officer_of`, with
    `message`). With a reason (even an empty one) it is a correction: `user`
    must be an admin allowed to change `model`, and the reason must be written.
    Returns the cleaned reason ("" for the officer's own writes).
    """
    if reason is None:
        ensure_officer_of(user, regency_code, message)
        return ""
    ensure_may_correct(user, model)
    return correction_reason(reason)
