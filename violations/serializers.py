from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from elections.models import CandidatePair, Election
from regions.models import District, PollingStation, Regency, Village

from .constants import NOTE_MAX_LENGTH, REFERENCE_MAX_LENGTH, ForwardedTo, Outcome, Status
from .models import IncidentEvidence, ViolationIncident
from .permissions import ensure_may_edit

# On creation only these may be sent, and only with these values: the workflow moves by PATCH.
NEW_INCIDENT_DEFAULTS = {"status": Status.RECORDED, "forwarded_to": "", "reference": "", "outcome": ""}


class IncidentSerializer(serializers.ModelSerializer):
    """An incident as the API shows it: regions by Kemendagri code, the TPS by id."""

    regency = serializers.PrimaryKeyRelatedField(queryset=Regency.objects.all())
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False, allow_null=True)
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all(), required=False, allow_null=True)
    tps = serializers.PrimaryKeyRelatedField(queryset=PollingStation.objects.all(), required=False, allow_null=True)
    candidate_pair = serializers.PrimaryKeyRelatedField(
        queryset=CandidatePair.objects.all(), required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    forwarded_to = serializers.ChoiceField(choices=ForwardedTo.choices, required=False, allow_blank=True)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=REFERENCE_MAX_LENGTH)
    reported_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    # Write-only extras: the timeline note of a move, and the election when not the active one.
    note = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)
    election = serializers.PrimaryKeyRelatedField(
        queryset=Election.objects.active(), write_only=True, required=False
    )

    class Meta:
        model = ViolationIncident
        fields = [
            "id", "regency", "district", "village", "tps", "occurred_at", "category", "candidate_pair",
            "description", "origin", "status", "outcome", "forwarded_to", "reference", "reported_by", "reported_at",
            "note", "election",
        ]
        read_only_fields = ["id", "reported_by", "reported_at"]

    def validate_regency(self, regency):
        # Checked before the other fields: creating for another regency is 403, whatever else is wrong.
        if self.instance is None:
            ensure_may_edit(self.context["request"].user, regency.pk)
        return regency

    def validate(self, attrs):
        if self.instance is None:
            problems = {
                field: _("Insiden baru selalu dimulai berstatus recorded tanpa kolom ini; "
                         "pindahkan statusnya kemudian dengan PATCH.")
                for field, default in NEW_INCIDENT_DEFAULTS.items()
                if attrs.get(field, default) != default
            }
            if problems:
                raise serializers.ValidationError(problems)
        return attrs


class EvidenceSerializer(serializers.ModelSerializer):
    """An evidence file: upload `file` (multipart); read back its metadata and a scoped download URL."""

    file = serializers.FileField(write_only=True)
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = IncidentEvidence
        fields = [
            "id", "file", "kind", "size", "original_name", "sha256", "latitude", "longitude", "taken_at", "uploaded_by",
            "uploaded_at", "url",
        ]
        read_only_fields = [field for field in fields if field not in ("file",)]

    def get_url(self, evidence) -> str:
        path = reverse("api-violation-evidence-file", args=[evidence.incident_id, evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
