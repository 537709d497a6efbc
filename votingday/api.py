"""REST endpoints of voting day and after (`voting-day/`, `tps-status/`, `revotes/`, `recap/`, `disputes/`): thin
over the services, which decide (the same messages as the web forms)."""

import django_filters
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.permissions import HasDeskRole, ManagerWrites, OfficerWrites
from accounts.scope import ensure_officer_of, regions_for
from core.fields import ParsedApiCharField, ParsedApiChoiceField, ParsedApiDateField, ParsedSerializerField
from elections.constants import ContestKind
from elections.models import Contest, Election
from idempotency.api import IdempotentCreateMixin
from regions.models import PollingStation, Regency

from .constants import (
    CASE_NUMBER_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    DisputeDecision,
    DisputeStatus,
    ProblemKind,
    RecapLevel,
    RecapStatus,
    Round,
)
from .models import Dispute, RecapProgress, RevoteTps, TpsStatus, VotingRound
from .services import (
    dispute_file,
    dispute_update,
    recap_record,
    recap_update,
    revote_schedule,
    voting_round_submit,
)


class ParsedApiIntegerField(ParsedSerializerField, serializers.IntegerField):
    pass


@extend_schema_field(OpenApiTypes.NUMBER)
class TurnoutField(serializers.Field):
    """Parses nothing (voting_round_submit reads "69.2", 69.2 or "69,2"); shown as a JSON number."""

    def to_internal_value(self, data):
        return data

    def to_representation(self, value):
        return float(value)


class ProblemSerializer(serializers.Serializer):
    tps = serializers.IntegerField(source="tps_id", help_text=_("id TPS (dari data induk) di kabupaten/kota ini"))
    kind = ParsedApiChoiceField(choices=ProblemKind.choices)
    note = ParsedApiCharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)


class VotingRoundSerializer(serializers.ModelSerializer):
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.all(), required=False)
    regency = serializers.PrimaryKeyRelatedField(
        queryset=Regency.objects.all(),
        error_messages={"does_not_exist": _("Kabupaten/kota dengan kode {pk_value} tidak dikenal.")},
    )
    round = ParsedApiChoiceField(choices=Round.choices)
    day = ParsedApiDateField(required=False, allow_null=True,
                             help_text=_("hari pemungutan suara (kosong: hari pencoblosan) atau hari PSU"))
    tps_opened = ParsedApiIntegerField(help_text=_("0 sampai tps_total"))
    tps_closed = ParsedApiIntegerField(help_text=_("0 sampai tps_total"))
    tps_counted = ParsedApiIntegerField(help_text=_("0 sampai tps_total"))
    turnout_percent = TurnoutField(required=False, allow_null=True, help_text=_("0-100, satu desimal; boleh kosong"))
    problems = ProblemSerializer(many=True, required=False)
    summary = ParsedApiCharField(required=False, allow_blank=True, max_length=SUMMARY_MAX_LENGTH)
    confirm_order = serializers.BooleanField(
        required=False, default=False, write_only=True,
        help_text=_("true bila jumlah dibuka >= ditutup >= dihitung memang tidak berlaku dan sudah diperiksa"))
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = VotingRound
        fields = ["id", "election", "regency", "round", "day", "tps_total", "tps_opened", "tps_closed", "tps_counted",
                  "turnout_percent", "problems", "summary", "confirm_order", "submitted_by", "submitted_at",
                  "is_late"]
        read_only_fields = ["id", "tps_total", "submitted_at", "is_late"]
        validators = []

    def validate_regency(self, regency):
        # The wrong regency is a 403, not a 400, whatever else the body holds.
        ensure_officer_of(self.context["request"].user, regency.pk)
        return regency



class RoundFilter(django_filters.FilterSet):
    regency = django_filters.CharFilter(field_name="regency_id")
    round = django_filters.ChoiceFilter(choices=Round.choices)
    election = django_filters.NumberFilter(field_name="election_id")


class VotingRoundViewSet(IdempotentCreateMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Voting day's round reports the caller may see; a regency's officer sends each round once."""

    serializer_class = VotingRoundSerializer
    permission_classes = [OfficerWrites]
    filterset_class = RoundFilter

    def get_queryset(self):
        return (VotingRound.objects.for_user(self.request.user).select_related("submitted_by")
                .prefetch_related("problems").order_by("regency_id", "round"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        regency = data["regency"]
        data["problems"] = [{"tps": problem["tps_id"], "kind": problem.get("kind"), "note": problem.get("note")}
                            for problem in data.get("problems") or []]
        serializer.instance = voting_round_submit(
            election=data.get("election") or Election.objects.active_for(regency), regency=regency,
            by=self.request.user, data=data, now=timezone.now())


class TpsStatusSerializer(serializers.ModelSerializer):
    tps = serializers.IntegerField(source="pk")
    village = serializers.CharField(source="village_id")
    regency = serializers.CharField(source="regency_id")
    status = serializers.CharField(allow_null=True, help_text=_("open, closed, counted, problem, atau null"))
    at = serializers.DateTimeField(allow_null=True)

    class Meta:
        model = PollingStation
        fields = ["tps", "regency", "village", "number", "status", "at"]


class TpsStatusFilter(django_filters.FilterSet):
    regency = django_filters.CharFilter(field_name="regency_id")
    village = django_filters.CharFilter(field_name="village_id")


class TpsStatusViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Each TPS the caller may see with its latest status from the field (none yet: null), active election."""

    serializer_class = TpsStatusSerializer
    permission_classes = [HasDeskRole]
    filterset_class = TpsStatusFilter

    def get_queryset(self):
        latest = TpsStatus.objects.filter(tps=OuterRef("pk"), election__is_active=True)
        return (regions_for(self.request.user, PollingStation)
                .annotate(status=Subquery(latest.values("status")[:1]), at=Subquery(latest.values("at")[:1]))
                .order_by("village_id", "number"))


def _contest(election, kind, regency_code):
    """The election's contest of `kind` ("governor", or "local" with its regency), or a 400."""
    if kind == ContestKind.GOVERNOR:
        contest = Contest.objects.filter(election=election, kind=kind).first()
    elif kind == ContestKind.LOCAL:
        contest = Contest.objects.filter(election=election, kind=kind, regency_id=regency_code).first()
    else:
        raise ValidationError({"contest": [_("Pilih contest governor atau local.")]})
    if contest is None:
        raise ValidationError({"contest": [_("Kontestasi ini tidak ada di pemilihan aktif.")]})
    return contest


def _active_election(user, data):
    election = data.get("election")
    if election is None:
        elections = list(Election.objects.for_user(user).active()[:2])
        if len(elections) != 1:
            raise ValidationError({"election": [_("Sebutkan pemilihannya.")]})
        election = elections[0]
    return election


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "array", "items": {"type": "integer"}}]})
class TpsIdsField(serializers.Field):
    """One TPS id or a list of them (written); the TPS's id (read)."""

    def to_internal_value(self, data):
        items = data if isinstance(data, list) else [data]
        if not items or any(isinstance(item, bool) or not (isinstance(item, int) or isinstance(item, str)
                                                           and item.strip().isdigit()) for item in items):
            raise ValidationError(_("Isi tps dengan id TPS atau daftar id TPS dari satu kabupaten/kota."))
        return [int(item) for item in items]

    def to_representation(self, value):
        return value


class RevoteSerializer(serializers.ModelSerializer):
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.all(), required=False)
    tps = TpsIdsField(source="tps_id", help_text=_("id TPS, atau daftar id TPS dari satu kabupaten/kota (menulis)"))
    regency = serializers.CharField(source="regency_id", read_only=True)
    village = serializers.CharField(source="tps.village_id", read_only=True)
    tps_number = serializers.IntegerField(source="tps.number", read_only=True)
    date = ParsedApiDateField(help_text=_("setelah hari pencoblosan, paling lambat akhir kalender pemilihan"))
    reason = ParsedApiCharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH,
                                help_text=_("dasar: putusan MK, rekomendasi Panwas/Bawaslu"))
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RevoteTps
        fields = ["id", "election", "tps", "regency", "village", "tps_number", "date", "reason", "created_by",
                  "created_at"]
        read_only_fields = ["id", "created_at"]
        validators = []


class RevoteFilter(django_filters.FilterSet):
    regency = django_filters.CharFilter(field_name="regency_id")
    date = django_filters.DateFilter()
    election = django_filters.NumberFilter(field_name="election_id")


class _RevoteScheduling(mixins.CreateModelMixin):
    """POST: one request lists the TPS of one regency for one date; the answer is the rows stored (a list)."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        election = _active_election(request.user, data)
        ids = data["tps_id"]
        stations = list(PollingStation.objects.filter(pk__in=ids).select_related("village"))
        missing = sorted(set(ids) - {tps.pk for tps in stations})
        if missing:
            raise ValidationError({"tps": [_("TPS dengan id %(ids)s tidak dikenal.") % {
                "ids": ", ".join(map(str, missing))}]})
        created = revote_schedule(election=election, stations=stations, date=data["date"],
                                  reason=data.get("reason"), by=request.user, now=timezone.now())
        return Response(self.get_serializer(created, many=True).data, status=status.HTTP_201_CREATED)


class _CreatesAListSchema(AutoSchema):
    """The create answers a plain list (the rows stored): no pagination and no list filters on it."""

    def _is_list_view(self, serializer=None):
        if serializer is None:
            return getattr(self.view, "action", None) == "list"
        return super()._is_list_view(serializer)

    def _get_paginator(self):
        return super()._get_paginator() if getattr(self.view, "action", None) == "list" else None


@extend_schema_view(create=extend_schema(responses={201: RevoteSerializer(many=True)}))
class RevoteViewSet(IdempotentCreateMixin, _RevoteScheduling, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    """TPS that vote again (PSU) the caller may see; the province's secretariat or an admin lists them."""

    serializer_class = RevoteSerializer
    permission_classes = [ManagerWrites]
    schema = _CreatesAListSchema()
    filterset_class = RevoteFilter

    def get_queryset(self):
        return (RevoteTps.objects.for_user(self.request.user).select_related("tps", "created_by")
                .order_by("date", "regency_id", "tps__village_id", "tps__number"))


class RecapSerializer(serializers.ModelSerializer):
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.all(), required=False)
    contest = serializers.ChoiceField(source="contest.kind", choices=ContestKind.choices)
    level = ParsedApiChoiceField(choices=RecapLevel.choices)
    region = ParsedApiCharField(required=False, allow_blank=True,
                                help_text=_("kode kecamatan, kabupaten/kota atau provinsi penyelenggara"))
    status = ParsedApiChoiceField(choices=RecapStatus.choices, required=False)
    started_on = ParsedApiDateField(required=False, allow_null=True)
    finished_on = ParsedApiDateField(required=False, allow_null=True)
    note = ParsedApiCharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RecapProgress
        fields = ["id", "election", "contest", "level", "region", "status", "started_on", "finished_on", "note",
                  "updated_by", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        validators = []


class RecapFilter(django_filters.FilterSet):
    contest = django_filters.ChoiceFilter(field_name="contest__kind", choices=ContestKind.choices)
    level = django_filters.ChoiceFilter(choices=RecapLevel.choices)
    regency = django_filters.CharFilter(field_name="regency_id")
    status = django_filters.ChoiceFilter(choices=RecapStatus.choices)


FIXED = _("Tidak dapat diubah; catat rekapitulasi lain sebagai catatan baru.")


class RecapViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Recapitulation progress per contest, level and region; the regency's officer or the secretariat writes."""

    serializer_class = RecapSerializer
    permission_classes = [HasDeskRole]
    filterset_class = RecapFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (RecapProgress.objects.for_user(self.request.user).select_related("contest", "updated_by")
                .order_by("contest__kind", "level", "region"))

    def perform_create(self, serializer):
        data = {key: value for key, value in serializer.validated_data.items() if value is not None}
        election = _active_election(self.request.user, data)
        level, region = data.get("level"), data.get("region") or ""
        local_regency = region[:5] if level in (RecapLevel.DISTRICT, RecapLevel.REGENCY) else None
        contest = _contest(election, data["contest"]["kind"], local_regency)
        serializer.instance = recap_record(contest=contest, level=level, region=region, by=self.request.user,
                                           data=data, now=timezone.now())

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        fixed = {"contest", "level", "region", "election"} & set(data)
        if fixed:
            raise ValidationError({field: [FIXED] for field in sorted(fixed)})
        recap_update(recap=serializer.instance, by=self.request.user, data=data, now=timezone.now())


class DisputeSerializer(serializers.ModelSerializer):
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.all(), required=False)
    contest = serializers.ChoiceField(source="contest.kind", choices=ContestKind.choices)
    regency = serializers.CharField(source="contest.regency_id", required=False, allow_null=True,
                                    help_text=_("kode kabupaten/kota untuk contest local; kosong untuk governor"))
    filed_on = ParsedApiDateField()
    case_number = ParsedApiCharField(max_length=CASE_NUMBER_MAX_LENGTH)
    status = ParsedApiChoiceField(choices=DisputeStatus.choices, required=False)
    decision = ParsedApiChoiceField(choices=DisputeDecision.choices, required=False, allow_blank=True)
    decided_on = ParsedApiDateField(required=False, allow_null=True)
    note = ParsedApiCharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)

    class Meta:
        model = Dispute
        fields = ["id", "election", "contest", "regency", "filed_on", "case_number", "status", "decision",
                  "decided_on", "note", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        validators = []


class DisputeFilter(django_filters.FilterSet):
    contest = django_filters.ChoiceFilter(field_name="contest__kind", choices=ContestKind.choices)
    status = django_filters.ChoiceFilter(choices=DisputeStatus.choices)


class DisputeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Contests taken to the Constitutional Court; the province's secretariat records them."""

    serializer_class = DisputeSerializer
    permission_classes = [HasDeskRole]
    filterset_class = DisputeFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Dispute.objects.for_user(self.request.user).select_related("contest").order_by("-filed_on", "pk")

    def perform_create(self, serializer):
        data = {key: value for key, value in serializer.validated_data.items() if value is not None}
        election = _active_election(self.request.user, data)
        contest_data = data.pop("contest")
        contest = _contest(election, contest_data["kind"], contest_data.get("regency_id"))
        serializer.instance = dispute_file(contest=contest, by=self.request.user, data=data, now=timezone.now())

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        fixed = {"contest", "election"} & set(data)
        if fixed:
            raise ValidationError({field: [FIXED] for field in sorted(fixed)})
        dispute_update(dispute=serializer.instance, by=self.request.user, data=data, now=timezone.now())
