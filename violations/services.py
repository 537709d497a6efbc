"""Writes to violation incidents: record, edit, move along the workflow, attach evidence."""

import datetime as dt
import hashlib
import os
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from core.concurrency import StaleEdit, version_claim
from core.history import history_stamp
from core.validators import text_messages
from elections.models import CandidatePair, Election
from regions.models import District, PollingStation, Regency, Village

from .constants import (
    CLOSED_STATUSES,
    EVIDENCE_MAX_BYTES,
    MOVES,
    NOTE_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
    EvidenceKind,
    ForwardedTo,
    Outcome,
    Status,
)
from .evidence import evidence_kind, exif_location, exif_taken_at
from .models import IncidentEvent, IncidentEvidence, ViolationIncident, place_problems
from .permissions import ensure_may_edit, ensure_may_move

# What an officer may change after recording; workflow fields change only by `incident_move`.
EDITABLE_FIELDS = ("district", "village", "tps", "occurred_at", "category", "candidate_pair", "origin", "description")


def _time_problems(*, election, occurred_at, reported_at):
    if occurred_at is None:
        return {}
    if not isinstance(occurred_at, dt.datetime) or timezone.is_naive(occurred_at):
        return {"occurred_at": _("Waktu kejadian harus menyertakan zona waktu.")}
    if occurred_at > reported_at:
        return {"occurred_at": _("Waktu kejadian tidak boleh setelah waktu pencatatan.")}
    if problem := election.moment_problem(occurred_at, now=reported_at):
        return {"occurred_at": problem}
    return {}


def _fill_parents(incident):
    """A TPS implies its village and a village its district: store the whole chain."""
    if incident.tps is not None and incident.village is None:
        incident.village = incident.tps.village
    if incident.village is not None and incident.district is None:
        incident.district = incident.village.district


def _save_with_history(incident, *, by, now, reason="", **kwargs):
    # simple-history takes the user, date and change reason from here outside a request too.
    history_stamp(incident, by=by, now=now, reason=reason)
    incident.save(**kwargs)


def incident_closed_error(incident: ViolationIncident) -> str | None:
    """Why a concluded or withdrawn incident is changed by nobody (None while it is open): the one refusal."""
    if incident.status in CLOSED_STATUSES:
        return _("Insiden berstatus %(status)s tidak dapat diubah lagi.") % {"status": incident.get_status_display()}
    return None


@transaction.atomic
def incident_record(
    *, regency: Regency, by: AbstractBaseUser, now: dt.datetime, occurred_at: dt.datetime | None, category: str,
    origin: str, description: str, district: District | None = None, village: Village | None = None,
    tps: PollingStation | None = None, candidate_pair: CandidatePair | None = None, election: Election | None = None,
) -> ViolationIncident:
    """Record a new incident (status `recorded`) and the first timeline entry."""
    ensure_may_edit(by, regency.pk)
    election = election or Election.objects.active_for(regency)
    if election is None:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("Belum ada pemilihan aktif untuk %(regency)s.") % {"regency": regency.name}}
        )
    problems = place_problems(
        regency=regency, election=election, district=district, village=village, tps=tps,
        candidate_pair=candidate_pair,
    )
    description = (description or "").strip()
    problems.update(_time_problems(election=election, occurred_at=occurred_at, reported_at=now))
    if problems:
        raise ValidationError(problems)
    incident = ViolationIncident(
        election=election, regency=regency, district=district, village=village, tps=tps, occurred_at=occurred_at,
        category=category, candidate_pair=candidate_pair, origin=origin, description=description,
        status=Status.RECORDED, reported_by=by, reported_at=now,
    )
    _fill_parents(incident)
    incident.full_clean()
    _save_with_history(incident, by=by, now=now)
    IncidentEvent.objects.create(incident=incident, at=now, by=by, from_status="", to_status=Status.RECORDED)
    return incident


@transaction.atomic
def incident_edit(
    *, incident: ViolationIncident, by: AbstractBaseUser, now: dt.datetime, version: int | None = None,
    reason: str | None = None, **changes: Any,
) -> ViolationIncident:
    """Change what was recorded (place, time, category, pair, origin, description); history keeps each version.

    `version`: the version the officer edited; StaleEdit (nothing stored) when
    another change was saved since. The regency's officer edits; an admin
    corrects, with a `reason` kept as the history's change reason. A concluded
    or withdrawn incident is changed by nobody.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    reason = ensure_may_edit(by, incident.regency_id, reason=reason)
    incident = version_claim(ViolationIncident.objects.all(), pk=incident.pk, version=version)
    if closed := incident_closed_error(incident):
        raise ValidationError({NON_FIELD_ERRORS: closed})
    for field, value in changes.items():
        setattr(incident, field, value.strip() if field == "description" and value else value)
    problems = place_problems(
        regency=incident.regency, election=incident.election, district=incident.district, village=incident.village,
        tps=incident.tps, candidate_pair=incident.candidate_pair,
    )
    problems.update(_time_problems(election=incident.election, occurred_at=incident.occurred_at,
                                   reported_at=incident.reported_at))
    if problems:
        raise ValidationError(problems)
    _fill_parents(incident)
    incident.full_clean()
    _save_with_history(incident, by=by, now=now, reason=reason)
    return incident


def _status_label(value):
    return f"{Status(value).label} ({value})"


def move_refusal(current: str, to_status: str) -> str:
    """Why `current` -> `to_status` is not a move, naming the moves allowed from here."""
    allowed = MOVES[Status(current)]
    if not allowed:
        return _("Insiden berstatus %(current)s sudah final: statusnya tidak dapat dipindahkan lagi.") % {
            "current": _status_label(current)}
    if to_status == current:
        prefix = _("Insiden sudah berstatus %(current)s.") % {"current": _status_label(current)}
    else:
        target = _status_label(to_status) if to_status in Status.values else repr(to_status)
        prefix = _("Status tidak dapat dipindahkan dari %(current)s ke %(target)s.") % {
            "current": _status_label(current), "target": target}
    moves = ", ".join(_status_label(status) for status in allowed)
    return f"{prefix} " + _("Dari status ini hanya dapat ke: %(moves)s.") % {"moves": moves}


def _move_problems(*, to_status, forwarded_to, reference, outcome):
    problems = {}
    if to_status == Status.FORWARDED:
        if forwarded_to not in ForwardedTo.values:
            problems["forwarded_to"] = _("Pilih lembaga tujuan: Bawaslu, Sentra Gakkumdu, KPU atau Kepolisian.")
        if not reference:
            problems["reference"] = _("Tulis nomor register/rujukan dari lembaga tujuan.")
    elif forwarded_to or reference:
        key = "forwarded_to" if forwarded_to else "reference"
        problems[key] = _("Lembaga tujuan dan nomor rujukan hanya diisi saat meneruskan insiden.")
    if to_status == Status.CONCLUDED:
        if outcome not in Outcome.values:
            problems["outcome"] = _("Pilih hasil penanganan untuk menyelesaikan insiden.")
    elif outcome:
        problems["outcome"] = _("Hasil penanganan hanya diisi saat menyelesaikan insiden.")
    return problems


@transaction.atomic
def incident_move(
    *, incident: ViolationIncident, to_status: str, by: AbstractBaseUser, now: dt.datetime, note: str = "",
    forwarded_to: str = "", reference: str = "", outcome: str = "", version: int | None = None,
) -> IncidentEvent:
    """Move an incident one step along the workflow and write its timeline entry; refuse anything else."""
    ensure_may_move(by, incident.regency_id)
    locked = version_claim(ViolationIncident.objects.all(), pk=incident.pk, version=version)
    if to_status not in MOVES[Status(locked.status)]:
        raise ValidationError({"status": move_refusal(locked.status, to_status)})
    reference = (reference or "").strip()
    note = (note or "").strip()
    problems = _move_problems(to_status=to_status, forwarded_to=forwarded_to, reference=reference, outcome=outcome)
    for field, value, limit in (("reference", reference, REFERENCE_MAX_LENGTH), ("note", note, NOTE_MAX_LENGTH)):
        if messages := text_messages(value, limit):
            problems[field] = messages
    if problems:
        raise ValidationError(problems)
    from_status = locked.status
    locked.status = to_status
    if to_status == Status.FORWARDED:
        locked.forwarded_to, locked.reference = forwarded_to, reference
    if to_status == Status.CONCLUDED:
        locked.outcome = outcome
    _save_with_history(locked, by=by, now=now, update_fields=["status", "forwarded_to", "reference", "outcome"])
    for field in ("status", "forwarded_to", "reference", "outcome", "version"):
        setattr(incident, field, getattr(locked, field))
    return IncidentEvent.objects.create(
        incident=locked, at=now, by=by, from_status=from_status, to_status=to_status,
        forwarded_to=forwarded_to if to_status == Status.FORWARDED else "",
        reference=reference if to_status == Status.FORWARDED else "",
        outcome=outcome if to_status == Status.CONCLUDED else "", note=note,
    )


def evidence_problems(upload: UploadedFile | None) -> dict[str, str]:
    """Field -> message when `upload` is not a JPEG, PNG or PDF (by content) of at most 10 MB; else {}."""
    if upload is None or upload.size == 0:
        return {"file": _("Pilih berkas bukti; berkas kosong tidak dapat diterima.")}
    if upload.size > EVIDENCE_MAX_BYTES:
        return {"file": _("Berkas %(size)s terlalu besar: ukuran maksimal %(max)s.") % {
            "size": filesizeformat(upload.size), "max": filesizeformat(EVIDENCE_MAX_BYTES)}}
    if evidence_kind(upload) is None:
        return {"file": _(
            "Isi berkas bukan foto JPEG/PNG atau dokumen PDF. Jenis berkas dikenali dari isinya, bukan dari namanya."
        )}
    return {}


@transaction.atomic
def incident_record_with_evidence(
    *, uploads: list[UploadedFile], by: AbstractBaseUser, now: dt.datetime, regency: Regency, **fields: Any
) -> ViolationIncident:
    """Record an incident and attach its evidence files at once: all of it is stored, or none.

    A refused file refuses the incident too (never stored without a file the
    officer meant to attach), naming every refused file and what to do.
    """
    refused = [f"{upload.name}: {problems['file']}" for upload in uploads if (problems := evidence_problems(upload))]
    if refused:
        refused.append(_("Insiden belum disimpan. Pilih lagi berkas yang benar (berkas yang sudah dipilih "
                         "tidak ikut terisi kembali), atau kosongkan kolom ini untuk menyimpan tanpa bukti."))
        raise ValidationError({"photos": refused})
    incident = incident_record(regency=regency, by=by, now=now, **fields)
    for upload in uploads:
        evidence_attach(incident=incident, by=by, now=now, upload=upload)
    return incident


def evidence_attach(
    *, incident: ViolationIncident, by: AbstractBaseUser, now: dt.datetime, upload: UploadedFile | None
) -> IncidentEvidence:
    """Store an uploaded photo or PDF unchanged under a random name and attach it to the incident."""
    ensure_may_edit(by, incident.regency_id)
    problems = evidence_problems(upload)
    if problems:
        raise ValidationError(problems)
    kind = evidence_kind(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    photo = kind in (EvidenceKind.JPEG, EvidenceKind.PNG)
    location = exif_location(upload) if photo else None
    taken_at = exif_taken_at(upload, incident.election.zone) if photo else None
    evidence = IncidentEvidence(
        incident=incident, kind=kind, size=upload.size, sha256=digest.hexdigest(),
        original_name=os.path.basename(upload.name or "")[:200], uploaded_by=by, uploaded_at=now,
        latitude=location[0] if location else None, longitude=location[1] if location else None,
        taken_at=taken_at,
    )
    evidence.file = upload
    try:
        with transaction.atomic():
            evidence.save()
    except BaseException:
        # The file is written before the row; do not leave it behind when the row fails.
        if evidence.file.name:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


WORKFLOW_FIELDS = ("forwarded_to", "reference", "outcome")


@transaction.atomic
def incident_change(
    *, incident: ViolationIncident, by: AbstractBaseUser, now: dt.datetime, changes: dict[str, Any], note: str = "",
    version: int | None = None,
) -> ViolationIncident:
    """Apply a partial update: edits go through `incident_edit`, a new status through `incident_move`.

    Values equal to the stored ones are ignored, so a client may send the object back as it read it.
    `version` (the client's If-Match) is checked by the first write; StaleEdit when it is not the saved one.
    """
    changes = {field: value for field, value in changes.items() if getattr(incident, field) != value}
    problems = {}
    if "regency" in changes:
        problems["regency"] = _("Kabupaten/kota sebuah insiden tidak dapat diubah.")
    if "election" in changes:
        problems["election"] = _("Pemilihan sebuah insiden tidak dapat diubah.")
    to_status = changes.pop("status", None)
    workflow = {field: changes.pop(field) for field in WORKFLOW_FIELDS if field in changes}
    if workflow and to_status is None:
        for field in workflow:
            problems[field] = _("Kolom ini hanya berubah bersama perpindahan status (kolom status).")
    if problems:
        raise ValidationError(problems)
    if version is not None and not changes and to_status is None:
        # Nothing to write, but a stale If-Match is still a stale edit.
        saved = ViolationIncident.objects.get(pk=incident.pk)
        if saved.version != version:
            raise StaleEdit(saved)
    if changes:
        incident = incident_edit(incident=incident, by=by, now=now, version=version, **changes)
        version = None
    if to_status is not None:
        incident_move(incident=incident, to_status=to_status, by=by, now=now, note=note, version=version, **workflow)
    return incident
