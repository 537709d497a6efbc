"""What the officer does with field messages: complete a photo's draft incident, take INFO notes into a report."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.scope import ensure_officer_of
from contacts.constants import ContactRole
from elections.models import Election
from reports.models import DailyReport
from reports.services import report_edit
from violations.models import ViolationIncident
from violations.services import evidence_attach, incident_record

from .constants import Kind, Outcome
from .models import InboundMessage

# Where a contact's note counts as coming from, in the report's sources.
ROLE_SOURCES = {
    ContactRole.CAMAT: "district", ContactRole.PPK: "district", ContactRole.LURAH: "village",
    ContactRole.KADES: "village", ContactRole.PPS: "village", ContactRole.KPU: "kpu", ContactRole.POLICE: "police",
}


def _locked(message: InboundMessage) -> InboundMessage:
    locked = InboundMessage.objects.select_for_update(of=("self",)).select_related("contact", "regency")
    return locked.get(pk=message.pk)


def draft_incident_complete(
    *, message: InboundMessage, by: AbstractBaseUser, now: dt.datetime, election: Election, fields: dict[str, Any]
) -> ViolationIncident:
    """Record the incident the officer completed from a photo draft, the photo attached as its evidence (once)."""
    ensure_officer_of(by, message.regency_id)
    with transaction.atomic():
        locked = _locked(message)
        if locked.outcome != Outcome.DRAFT or not locked.photo:
            raise ValidationError(_("Pesan ini bukan draf insiden dengan foto."))
        if locked.incident_id is not None:
            raise ValidationError(_("Draf ini sudah menjadi insiden #%(id)s.") % {"id": locked.incident_id})
        incident = incident_record(regency=locked.regency, by=by, now=now, election=election, **fields)
        with locked.photo.open("rb") as stored:
            extension = ".png" if locked.photo.name.endswith(".png") else ".jpg"
            upload = File(stored, name=f"whatsapp-{locked.pk}{extension}")
            evidence_attach(incident=incident, by=by, now=now, upload=upload)
        InboundMessage.objects.filter(pk=locked.pk).update(incident=incident)
    message.incident = incident
    return incident


def info_take_into_report(*, message: InboundMessage, by: AbstractBaseUser, now: dt.datetime) -> DailyReport:
    """Add an INFO note to today's report of its regency: a district note naming the contact, and its source."""
    ensure_officer_of(by, message.regency_id)
    with transaction.atomic():
        locked = _locked(message)
        if locked.kind != Kind.INFO or locked.outcome != Outcome.APPLIED:
            raise ValidationError(_("Hanya pesan INFO yang tercatat dapat dimasukkan ke laporan."))
        if locked.taken_into_report_at is not None:
            raise ValidationError(_("Info ini sudah dimasukkan ke laporan."))
        election = Election.objects.active_for(locked.regency)
        today = election.local_date(now) if election else None
        report = DailyReport.objects.filter(election=election, regency_id=locked.regency_id, report_date=today).first()
        if report is None:
            raise ValidationError(_("Belum ada laporan hari ini. Kirim laporan harian dahulu, lalu masukkan info ini."))
        contact = locked.contact
        text = locked.parsed.get("text") or locked.text
        name = contact.name if contact else locked.sender
        note = _("%(text)s (pesan lapangan: %(name)s)") % {"text": text, "name": name}
        data: dict[str, Any] = {}
        if locked.district_id:
            notes = dict(report.district_notes)
            earlier = notes.get(locked.district_id)
            notes[locked.district_id] = f"{earlier}\n{note}" if earlier else note
            data["district_notes"] = notes
        else:
            data["summary"] = f"{report.summary}\n{note}"
        source = ROLE_SOURCES.get(contact.role, "other") if contact else "other"
        if source not in report.sources:
            data["sources"] = [*report.sources, source]
        report_edit(report=report, by=by, data=data, now=now)
        InboundMessage.objects.filter(pk=locked.pk).update(taken_into_report_at=now, report=report)
    message.taken_into_report_at, message.report = now, report
    return report
