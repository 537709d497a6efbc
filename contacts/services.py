"""Writes of the field contacts: create, edit (deactivate included). Every change is a history version."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext as _

from accounts.scope import desk_scope
from core.history import history_stamp
from core.validators import text_messages
from regions.models import Regency

from .constants import NAME_MAX_LENGTH, ContactRole, NotifyBy
from .models import Contact
from .phones import phone_e164

EDITABLE_FIELDS = ("phone", "name", "role", "district", "village", "user", "active", "notify_by")


def may_manage_contacts(user, regency_code: str) -> bool:
    """The regency's officer manages its contacts; the secretariat those of its province."""
    scope = desk_scope(user)
    if scope.is_officer:
        return scope.regency_code == regency_code
    return scope.is_secretariat and bool(scope.province_code) and regency_code.startswith(f"{scope.province_code}.")


def ensure_may_manage_contacts(user, regency_code: str) -> None:
    if not may_manage_contacts(user, regency_code):
        raise PermissionDenied(_("Anda hanya dapat mengelola kontak kabupaten/kota Anda sendiri "
                                 "(sekretariat: kontak provinsinya)."))


def _clean(regency: Regency, values: Mapping[str, Any]) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    cleaned = dict(values)
    try:
        cleaned["phone"] = phone_e164(values.get("phone") or "")
    except ValidationError as error:
        errors["phone"] = error.messages
    name = (values.get("name") or "").strip()
    cleaned["name"] = name
    if not name:
        errors["name"] = [_("Nama kontak wajib diisi.")]
    elif messages := text_messages(name, NAME_MAX_LENGTH):
        errors["name"] = messages
    role = values.get("role")
    if role not in ContactRole.values:
        errors["role"] = [_("Peran tidak dikenal: pilih %(roles)s.") % {"roles": ", ".join(ContactRole.values)}]
    district, village = values.get("district"), values.get("village")
    if village is not None and district is None:
        district = cleaned["district"] = village.district
    if district is not None and district.regency_id != regency.pk:
        errors["district"] = [_("Kecamatan %(name)s bukan bagian dari %(regency)s.")
                              % {"name": district.name, "regency": regency.name}]
    if village is not None and district is not None and village.district_id != district.pk:
        errors["village"] = [_("Kelurahan/desa %(name)s bukan bagian dari kecamatan yang dipilih.")
                             % {"name": village.name}]
    user = values.get("user")
    if user is not None:
        scope = desk_scope(user)
        if not (scope.is_officer and scope.regency_code == regency.pk):
            errors["user"] = [_("Akun %(username)s bukan petugas desk %(regency)s.")
                              % {"username": user.get_username(), "regency": regency.name}]
        elif role != ContactRole.OFFICER:
            errors["user"] = [_("Hanya kontak berperan petugas desk yang terhubung dengan akun.")]
    notify_by = values.get("notify_by")
    if notify_by not in NotifyBy.values:
        errors["notify_by"] = [_("Pilihan pengingat tidak dikenal: pilih %(choices)s.")
                               % {"choices": ", ".join(NotifyBy.values)}]
    elif notify_by != NotifyBy.NONE and user is None:
        errors["notify_by"] = [_("Pengingat lewat WhatsApp/SMS hanya untuk nomor petugas yang terhubung "
                                 "dengan akunnya: pilih akun petugas, atau pilih “Tidak dikirim”.")]
    return cleaned, errors


def _save(contact: Contact, *, by, now, **kwargs) -> None:
    history_stamp(contact, by=by, now=now)
    try:
        with transaction.atomic():
            contact.save(**kwargs)
    except IntegrityError:
        if contact.active and Contact.objects.active().filter(phone=contact.phone).exclude(pk=contact.pk).exists():
            raise ValidationError({"phone": [_(
                "Nomor %(phone)s sudah dipakai kontak aktif lain. Nonaktifkan kontak itu dahulu."
            ) % {"phone": contact.phone}]}) from None
        raise


def contact_create(
    *, regency: Regency, by: AbstractBaseUser, data: Mapping[str, Any], now: dt.datetime
) -> Contact:
    """A new contact of `regency`; `data` holds phone (as typed), name, role, district, village, user, active,
    notify_by (default none)."""
    ensure_may_manage_contacts(by, regency.pk)
    values = {field: data.get(field) for field in EDITABLE_FIELDS}
    values["active"] = True if data.get("active") is None else bool(data.get("active"))
    values["notify_by"] = data.get("notify_by") or NotifyBy.NONE
    cleaned, errors = _clean(regency, values)
    if errors:
        raise ValidationError(errors)
    contact = Contact(regency=regency, created_at=now, **cleaned)
    _save(contact, by=by, now=now)
    return contact


def contact_edit(
    *, contact: Contact, by: AbstractBaseUser, data: Mapping[str, Any], now: dt.datetime
) -> Contact:
    """Change some of EDITABLE_FIELDS (`active=False` deactivates); nothing changed: nothing stored."""
    ensure_may_manage_contacts(by, contact.regency_id)
    if "regency" in data and getattr(data["regency"], "pk", data["regency"]) != contact.regency_id:
        raise ValidationError({"regency": [_("Kabupaten/kota sebuah kontak tidak dapat diubah; "
                                             "nonaktifkan dan buat kontak baru.")]})
    current = {field: getattr(contact, field) for field in EDITABLE_FIELDS}
    current["phone"] = str(current["phone"])
    values = {**current, **{field: data[field] for field in EDITABLE_FIELDS if field in data}}
    values["active"] = bool(values["active"])
    cleaned, errors = _clean(contact.regency, values)
    if errors:
        raise ValidationError(errors)
    changed = [field for field in EDITABLE_FIELDS if cleaned[field] != current[field]]
    if not changed:
        return contact
    for field in changed:
        setattr(contact, field, cleaned[field])
    _save(contact, by=by, now=now, update_fields=changed)
    return contact


def contacts_for_phones(phones) -> dict[str, Contact]:
    """The active contacts of E.164 numbers, with their places and accounts, by phone: one query."""
    found = Contact.objects.active().select_related("regency", "district", "village", "user").filter(phone__in=phones)
    return {str(contact.phone): contact for contact in found}


def contacts_whatsapp_heard(heard: Mapping[str, dt.datetime]) -> int:
    """Note WhatsApp messages written at `heard[phone]`: WhatsApp's 24-hour window for free text opens there.

    One UPDATE for all the numbers, only forward in time (a message applied late changes nothing).
    """
    if not heard:
        return 0
    later = [When(Q(phone=phone) & (Q(last_whatsapp_at__isnull=True) | Q(last_whatsapp_at__lt=at)), then=Value(at))
             for phone, at in heard.items()]
    return Contact.objects.filter(phone__in=list(heard)).update(
        last_whatsapp_at=Case(*later, default=F("last_whatsapp_at")))
