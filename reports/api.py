"""REST endpoints of the daily reports (`daily-reports/`, `excused-days/`): thin over the services."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.permissions import HasDeskRole, OfficerWrites
from accounts.scope import ensure_officer_of
from core.api_fields import Rfc3339DateTimeField
from core.concurrency import IF_MATCH, StaleEditSerializer, VersionedRecordMixin
from core.fields import ParsedApiCharField, ParsedApiChoiceField, ParsedApiDateField
from elections.models import Election
from idempotency.api import IdempotentCreateMixin
from regions.models import Regency

from .constants import REASON_MAX_LENGTH, SUMMARY_MAX_LENGTH, Situation, Source
from .filters import DailyReportFilter, ExcusedDayFilter
from .models import WITHDRAWAL_REASON_MAX_LENGTH, DailyReport, ExcusedDay
from .services import (
    day_excuse,
    day_excuse_withdraw,
    excuses_withdrawn,
    report_acknowledge,
    report_edit,
    report_submit,
)

REPORT_FIELDS = [
    "id", "election", "regency", "report_date", "situation", "summary", "sources",
    "submitted_by", "submitted_at", "is_late", "composed_at",
]
# Fixed once the report exists: a report for another date is another report.
IMMUTABLE_FIELDS = ("election", "regency", "report_date", "composed_at")


class DailyReportSerializer(serializers.ModelSerializer):
    election = serializers.PrimaryKeyRelatedField(
        queryset=Election.objects.all(), required=False,
        help_text=_("Boleh dikosongkan bila hanya satu pemilihan aktif untuk kabupaten/kota itu."),
    )
    regency = serializers.PrimaryKeyRelatedField(
        queryset=Regency.objects.all(),
        error_messages={"does_not_exist": _("Kabupaten/kota dengan kode {pk_value} tidak dikenal.")},
    )
    # These fields parse and document; report_submit / report_edit decide, with the same messages as the web form.
    report_date = ParsedApiDateField(error_messages={"invalid": _("Tulis tanggal dengan format YYYY-MM-DD.")})
    situation = ParsedApiChoiceField(choices=Situation.choices)
    summary = ParsedApiCharField(max_length=SUMMARY_MAX_LENGTH)
    sources = serializers.ListField(child=ParsedApiChoiceField(choices=Source.choices), required=False)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    composed_at = Rfc3339DateTimeField(
        required=False, allow_null=True,
        help_text=_("Kapan laporan selesai ditulis menurut jam perangkat (boleh dikosongkan). "
                    "Keterlambatan tetap ditentukan oleh waktu diterima server (submitted_at)."),
    )

    class Meta:
        model = DailyReport
        fields = REPORT_FIELDS
        read_only_fields = ["id", "submitted_at", "is_late"]
        # The unique constraint is checked by report_submit, which names the existing report.
        validators = []

    def validate_regency(self, regency):
        if self.instance is None:
            # The wrong regency is a 403, not a 400, whatever else the body holds.
            ensure_officer_of(self.context["request"].user, regency.pk)
        return regency

    def validate(self, attrs):
        if self.instance is not None:
            errors = {
                field: [_("Tidak dapat diubah; kirim laporan baru untuk tanggal lain.")]
                for field in IMMUTABLE_FIELDS
                if field in attrs and attrs[field] != getattr(self.instance, field)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class ReportVersionSerializer(serializers.Serializer):
    """One stored version of a report: when, by whom, and the report's fields then."""

    changed_at = Rfc3339DateTimeField(source="history_date")
    changed_by = serializers.CharField(source="history_user.username", read_only=True, allow_null=True)
    id = serializers.IntegerField()
    election = serializers.IntegerField(source="election_id")
    regency = serializers.CharField(source="regency_id")
    report_date = serializers.DateField()
    situation = serializers.CharField()
    summary = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    submitted_at = Rfc3339DateTimeField()
    is_late = serializers.BooleanField()
    composed_at = Rfc3339DateTimeField(allow_null=True)


class AcknowledgeSerializer(serializers.Serializer):
    comment = ParsedApiCharField(required=False, allow_blank=True, max_length=SUMMARY_MAX_LENGTH, default="")


class ReviewSerializer(serializers.ModelSerializer):
    acknowledged_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    comment = serializers.CharField(source="review_comment", read_only=True)

    class Meta:
        model = DailyReport
        fields = ["id", "acknowledged_by", "acknowledged_at", "comment"]


@extend_schema_view(partial_update=extend_schema(
    parameters=[IF_MATCH], responses={200: DailyReportSerializer, 412: StaleEditSerializer},
))
class DailyReportViewSet(
    VersionedRecordMixin, IdempotentCreateMixin,
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Daily desk reports the caller may see. Officers submit and edit their own regency's;
    the secretariat reads its province and acknowledges."""

    serializer_class = DailyReportSerializer
    filterset_class = DailyReportFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        if self.action in ("acknowledge", "history"):
            # The acknowledge service itself admits only the province's secretariat (403 otherwise).
            return [HasDeskRole()]
        return [OfficerWrites()]

    def get_queryset(self):
        return (
            DailyReport.objects.for_user(self.request.user)
            .select_related("submitted_by", "regency")
            .order_by("-report_date", "regency_id")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        regency = data["regency"]
        serializer.instance = report_submit(
            election=data.get("election") or Election.objects.active_for(regency),
            regency=regency, by=self.request.user, data=data, now=timezone.now(),
        )

    def perform_update(self, serializer):
        report_edit(report=serializer.instance, by=self.request.user, data=serializer.validated_data,
                    now=timezone.now(), version=self.edited_version())

    @extend_schema(responses=ReportVersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Every version of the report, newest first."""
        report = self.get_object()
        versions = report.history.select_related("history_user", "submitted_by").order_by(
            "-history_date", "-history_id"
        )
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(ReportVersionSerializer(page, many=True).data)

    @extend_schema(request=AcknowledgeSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The secretariat marks the report read, with an optional comment the officer sees."""
        report = self.get_object()
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report_acknowledge(report=report, by=request.user, comment=body.validated_data["comment"], now=timezone.now())
        return Response(ReviewSerializer(report).data)


class ExcusedDaySerializer(serializers.ModelSerializer):
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.all(), required=False)
    regency = serializers.PrimaryKeyRelatedField(queryset=Regency.objects.all())
    # Date and reason parse here; day_excuse decides.
    date = ParsedApiDateField(
        label=_("Tanggal"), error_messages={"invalid": _("Tulis tanggal dengan format YYYY-MM-DD.")}
    )
    reason = ParsedApiCharField(label=_("Alasan"), max_length=REASON_MAX_LENGTH)
    excused_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ExcusedDay
        fields = ["id", "election", "regency", "date", "reason", "excused_by", "excused_at"]
        read_only_fields = ["id", "excused_at"]
        validators = []


class ExcuseWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=WITHDRAWAL_REASON_MAX_LENGTH)


class WithdrawnExcuseSerializer(serializers.Serializer):
    """A withdrawn excuse as its history keeps it: the excuse, and who withdrew it, when and why."""

    id = serializers.IntegerField()
    election = serializers.IntegerField(source="election_id")
    regency = serializers.CharField(source="regency_id")
    date = serializers.DateField()
    reason = serializers.CharField()
    excused_by = serializers.CharField(source="excused_by.username", read_only=True)
    excused_at = Rfc3339DateTimeField()
    withdrawn_by = serializers.CharField(source="history_user.username", read_only=True, allow_null=True)
    withdrawn_at = Rfc3339DateTimeField(source="history_date")
    withdrawal_reason = serializers.CharField(source="history_change_reason", allow_null=True)


class ExcusedDayViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Regency-days the secretariat excused; only the province's secretariat adds one; it or an admin withdraws one."""

    serializer_class = ExcusedDaySerializer
    permission_classes = [HasDeskRole]
    filterset_class = ExcusedDayFilter

    def get_queryset(self):
        return (
            ExcusedDay.objects.for_user(self.request.user).select_related("excused_by").order_by("-date", "regency_id")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        regency = data["regency"]
        excuse = day_excuse(
            election=data.get("election") or Election.objects.active_for(regency),
            regency=regency, date=data["date"], reason=data["reason"], by=request.user, now=timezone.now(),
        )
        return Response(self.get_serializer(excuse).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExcuseWithdrawSerializer, responses=WithdrawnExcuseSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw a mistaken excuse: the day counts again (missed or late) from the next compliance run."""
        excuse = self.get_object()
        body = ExcuseWithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        day_excuse_withdraw(excuse=excuse, by=request.user, reason=body.validated_data["reason"], now=timezone.now())
        record = excuses_withdrawn(request.user).filter(id=excuse.pk).first()
        return Response(WithdrawnExcuseSerializer(record).data)

    @extend_schema(responses=WithdrawnExcuseSerializer(many=True))
    @action(detail=False, methods=["get"])
    def withdrawn(self, request):
        """Withdrawn excuses the caller may see, newest withdrawal first."""
        page = self.paginate_queryset(excuses_withdrawn(request.user))
        return self.get_paginated_response(WithdrawnExcuseSerializer(page, many=True).data)
