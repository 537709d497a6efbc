"""Violation incidents the desks learn of, their timeline and their evidence.

An incident belongs to one regency and optionally to a district, village and
TPS inside it. Its status moves only through `services.incident_move`, which
writes an `IncidentEvent` for every move.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Left, Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import bounded_text_validators
from elections.models import CandidatePair

from .constants import (
    DESCRIPTION_MAX_LENGTH,
    EVIDENCE_EXTENSIONS,
    EVIDENCE_MAX_BYTES,
    FILING_WINDOW,
    FORWARDED_STATUSES,
    NOTE_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
    Category,
    EvidenceKind,
    ForwardedTo,
    Origin,
    Outcome,
    Status,
)
from .querysets import ViolationIncidentQuerySet

# Lengths of dotted Kemendagri codes: "64.02", "64.02.01".
REGENCY_CODE_LENGTH = 5
DISTRICT_CODE_LENGTH = 8


def _in_choices(field, choices, *, blank=False):
    values = list(choices.values) + ([""] if blank else [])
    return Q(**{f"{field}__in": values})


def place_problems(*, regency, election=None, district=None, village=None, tps=None, candidate_pair=None):
    """Field -> message for every place or pair that does not lie where the incident does.

    Forms, serializers and `ViolationIncident.clean` share this one rule.
    """
    problems = {}
    if election is not None and election.province_id != regency.province_id:
        problems["election"] = _("Pemilihan %(election)s bukan pemilihan di %(regency)s.") % {
            "election": election, "regency": regency.name}
    if district is not None and district.regency_id != regency.pk:
        problems["district"] = _("Kecamatan %(district)s tidak berada di %(regency)s.") % {
            "district": district.name, "regency": regency.name}
    if village is not None:
        if village.regency_id != regency.pk:
            problems["village"] = _("Kelurahan/desa %(village)s tidak berada di %(regency)s.") % {
                "village": village.name, "regency": regency.name}
        elif district is not None and village.district_id != district.pk:
            problems["village"] = _("Kelurahan/desa %(village)s tidak berada di Kecamatan %(district)s.") % {
                "village": village.name, "district": district.name}
    if tps is not None:
        tps_label = _("TPS %(number)03d") % {"number": tps.number}
        if tps.regency_id != regency.pk:
            problems["tps"] = _("%(tps)s yang dipilih tidak berada di %(regency)s.") % {
                "tps": tps_label, "regency": regency.name}
        elif village is not None and tps.village_id != village.pk:
            problems["tps"] = _("%(tps)s yang dipilih tidak berada di kelurahan/desa %(village)s.") % {
                "tps": tps_label, "village": village.name}
        elif district is not None and not tps.village_id.startswith(f"{district.pk}."):
            problems["tps"] = _("%(tps)s yang dipilih tidak berada di Kecamatan %(district)s.") % {
                "tps": tps_label, "district": district.name}
    if candidate_pair is not None:
        eligible = CandidatePair.objects.voting_in(regency)
        if election is not None:
            eligible = eligible.filter(contest__election=election)
        if not eligible.filter(pk=candidate_pair.pk).exists():
            problems["candidate_pair"] = _(
                "Pasangan calon %(pair)s tidak dipilih di %(regency)s: pilih pasangan calon gubernur "
                "atau pasangan calon kepala daerah %(regency)s."
            ) % {"pair": candidate_pair, "regency": regency.name}
    return problems


class ViolationIncident(models.Model):
    """A suspected election violation a regency desk recorded, and what became of it."""

    election = models.ForeignKey(
        "elections.Election", on_delete=models.PROTECT, related_name="violation_incidents",
        verbose_name=_("pemilihan"),
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="violation_incidents",
        verbose_name=_("kabupaten/kota"),
    )
    district = models.ForeignKey(
        "regions.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("kecamatan"),
    )
    village = models.ForeignKey(
        "regions.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("kelurahan/desa"),
    )
    tps = models.ForeignKey(
        "regions.PollingStation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("TPS"),
    )
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    category = models.CharField(_("kategori"), max_length=30, choices=Category.choices)
    candidate_pair = models.ForeignKey(
        "elections.CandidatePair", on_delete=models.PROTECT, null=True, blank=True,
        related_name="violation_incidents", verbose_name=_("pasangan calon terkait"),
    )
    origin = models.CharField(_("asal informasi"), max_length=20, choices=Origin.choices)
    description = models.TextField(
        _("uraian kejadian"), max_length=DESCRIPTION_MAX_LENGTH,
        validators=bounded_text_validators(DESCRIPTION_MAX_LENGTH),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECORDED)
    outcome = models.CharField(_("hasil penanganan"), max_length=20, choices=Outcome.choices, blank=True)
    forwarded_to = models.CharField(_("diteruskan kepada"), max_length=20, choices=ForwardedTo.choices, blank=True)
    reference = models.CharField(
        _("nomor register/rujukan"), max_length=REFERENCE_MAX_LENGTH, blank=True,
        validators=bounded_text_validators(REFERENCE_MAX_LENGTH),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh"),
    )
    # Moves on with every edit or move; a change of an older version is refused.
    version = models.PositiveIntegerField(_("versi"), default=1)
    reported_at = models.DateTimeField(_("dicatat pada"))

    history = HistoricalRecords()
    objects = ViolationIncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("insiden pelanggaran")
        verbose_name_plural = _("insiden pelanggaran")
        indexes = [
            models.Index(fields=["regency", "-occurred_at"], name="incident_regency_occurred"),
            models.Index(fields=["status", "occurred_at"], name="incident_status_occurred"),
        ]
        constraints = [
            models.CheckConstraint(condition=_in_choices("category", Category), name="incident_category_valid"),
            models.CheckConstraint(condition=_in_choices("origin", Origin), name="incident_origin_valid"),
            models.CheckConstraint(condition=_in_choices("status", Status), name="incident_status_valid"),
            models.CheckConstraint(
                condition=_in_choices("outcome", Outcome, blank=True), name="incident_outcome_valid"
            ),
            models.CheckConstraint(
                condition=_in_choices("forwarded_to", ForwardedTo, blank=True), name="incident_forwarded_to_valid"
            ),
            models.CheckConstraint(condition=~Q(description=""), name="incident_description_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), DESCRIPTION_MAX_LENGTH),
                name="incident_description_bounded",
            ),
            models.CheckConstraint(
                condition=Q(occurred_at__lte=F("reported_at")), name="incident_occurred_before_reported"
            ),
            # Codes extend their parent's, so a prefix is containment.
            models.CheckConstraint(
                condition=Q(district__isnull=True) | Q(regency=Left(F("district"), REGENCY_CODE_LENGTH)),
                name="incident_district_in_regency",
            ),
            models.CheckConstraint(
                condition=Q(village__isnull=True)
                | (Q(district__isnull=False) & Q(district=Left(F("village"), DISTRICT_CODE_LENGTH))),
                name="incident_village_in_district",
            ),
            # That a TPS lies in the village spans tables: `clean()` checks it.
            models.CheckConstraint(
                condition=Q(tps__isnull=True) | Q(village__isnull=False), name="incident_tps_has_village"
            ),
            models.CheckConstraint(
                condition=(Q(status__in=FORWARDED_STATUSES) & ~Q(forwarded_to="") & ~Q(reference=""))
                | (~Q(status__in=FORWARDED_STATUSES) & Q(forwarded_to="") & Q(reference="")),
                name="incident_forwarding_matches_status",
            ),
            models.CheckConstraint(
                condition=(Q(status=Status.CONCLUDED) & ~Q(outcome=""))
                | (~Q(status=Status.CONCLUDED) & Q(outcome="")),
                name="incident_outcome_only_when_concluded",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_category_display()} ({self.regency_id})"

    def clean(self):
        problems = place_problems(
            regency=self.regency, election=self.election, district=self.district, village=self.village,
            tps=self.tps, candidate_pair=self.candidate_pair,
        )
        if problems:
            raise ValidationError(problems)

    @property
    def filing_deadline(self):
        """The end of Bawaslu's filing window for this event."""
        return self.occurred_at + FILING_WINDOW


class IncidentEvent(models.Model):
    """One step of an incident's timeline: who moved it, when, from which status to which."""

    incident = models.ForeignKey(ViolationIncident, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("waktu"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh"))
    # Blank for the first entry: the incident being recorded.
    from_status = models.CharField(_("dari status"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("ke status"), max_length=20, choices=Status.choices)
    forwarded_to = models.CharField(_("diteruskan kepada"), max_length=20, choices=ForwardedTo.choices, blank=True)
    reference = models.CharField(_("nomor register/rujukan"), max_length=REFERENCE_MAX_LENGTH, blank=True)
    outcome = models.CharField(_("hasil penanganan"), max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(
        _("catatan"), blank=True, max_length=NOTE_MAX_LENGTH, validators=bounded_text_validators(NOTE_MAX_LENGTH)
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        constraints = [
            models.CheckConstraint(
                condition=_in_choices("from_status", Status, blank=True), name="event_from_status_valid"
            ),
            models.CheckConstraint(condition=_in_choices("to_status", Status), name="event_to_status_valid"),
            models.CheckConstraint(condition=~Q(from_status=F("to_status")), name="event_changes_status"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), NOTE_MAX_LENGTH), name="event_note_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.incident_id}: {self.from_status or '-'} -> {self.to_status}"


def evidence_upload_to(instance, filename):
    """A random name: the uploaded name is neither trusted nor revealed on disk."""
    return f"evidence/{uuid.uuid4().hex}.{EVIDENCE_EXTENSIONS[instance.kind]}"


class IncidentEvidence(models.Model):
    """A photo or PDF attached to an incident; the stored file is the upload, byte for byte."""

    incident = models.ForeignKey(ViolationIncident, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("berkas"), upload_to=evidence_upload_to, max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=EvidenceKind.choices)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("nama berkas asli"), max_length=200, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    # From the photo's own EXIF, which the phone keeps when it reduces a large photo before upload.
    taken_at = models.DateTimeField(_("waktu foto (EXIF)"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diunggah oleh"),
    )
    uploaded_at = models.DateTimeField(_("diunggah pada"))

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")
        constraints = [
            models.CheckConstraint(condition=_in_choices("kind", EvidenceKind), name="evidence_kind_valid"),
            models.CheckConstraint(
                condition=Q(size__gte=1, size__lte=EVIDENCE_MAX_BYTES), name="evidence_size_within_limit"
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | Q(latitude__isnull=False, longitude__isnull=False, latitude__gte=-90, latitude__lte=90,
                    longitude__gte=-180, longitude__lte=180),
                name="evidence_location_complete_and_valid",
            ),
        ]

    def __str__(self):
        return self.original_name or self.file.name
