"""Reads of the contacts for the apps above: which phones receive a regency's notices, WhatsApp's window."""

import datetime as dt
from typing import NamedTuple

from django.db.models import Max

from accounts.scope import scope_of

from .constants import WHATSAPP_SERVICE_WINDOW, NotifyBy
from .models import Contact


class PhoneRecipient(NamedTuple):
    channel: str  # NotifyBy.WHATSAPP or NotifyBy.SMS
    phone: str  # E.164


def province_desk_phones(*, province_code: str) -> dict[str, list[PhoneRecipient]]:
    """{regency code: the phones its officers chose for their notices}, sorted, for a province in one query.

    An officer's own phone (an active contact tied to the account, `notify_by` WhatsApp or SMS) receives
    what the account receives by e-mail as the regency's officer. The account must still be active and act
    as that regency's officer by the same rule as its scope (`scope_of`), as for the e-mails.
    """
    rows = (
        Contact.objects.active().exclude(notify_by=NotifyBy.NONE)
        .filter(regency__province_id=province_code, user__is_active=True)
        .values_list("pk", "regency_id", "phone", "notify_by", "user__is_superuser", "user__groups__name",
                     "user__desk_profile__regency_id", "user__desk_profile__province_id")
    )
    contacts = {}
    for pk, regency_code, phone, channel, is_superuser, group, profile_regency, profile_province in rows:
        contact = contacts.setdefault(pk, {"regency": regency_code, "recipient": PhoneRecipient(channel, str(phone)),
                                           "is_superuser": is_superuser, "groups": set(),
                                           "profile": (profile_regency, profile_province)})
        if group:
            contact["groups"].add(group)
    phones = {}
    for contact in contacts.values():
        scope = scope_of(is_superuser=contact["is_superuser"], groups=contact["groups"],
                         regency_code=contact["profile"][0], province_code=contact["profile"][1])
        if scope.is_officer and scope.regency_code == contact["regency"]:
            phones.setdefault(contact["regency"], set()).add(contact["recipient"])
    return {code: sorted(recipients) for code, recipients in phones.items()}


def whatsapp_window_open(*, phone: str, now: dt.datetime) -> bool:
    """Whether WhatsApp takes free text to `phone` at `now`: it wrote to us within the last 24 hours."""
    last = Contact.objects.filter(phone=phone).aggregate(last=Max("last_whatsapp_at"))["last"]
    return last is not None and now - last < WHATSAPP_SERVICE_WINDOW
