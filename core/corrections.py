"""Admins correct desk records in the Django admin: who may, and the reason every correction keeps.

A regency's reports, receipts and incidents are written by its officer. An
admin may correct them, through the same services and rules, but only with a
reason: the service stores it as the history record's change reason, next to
the admin as its user, so the history says who corrected what, when and why.
"""

from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.validators import text_messages

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
