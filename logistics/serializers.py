"""API serializers: parse and type-check; receipt_record does the rest."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.scope import ensure_officer_of
from elections.models import Election
from regions.models import Regency

from . import services
from .constants import MAX_QUANTITY, NOTE_MAX_LENGTH, QUANTITY_ERRORS
from .models import LogisticsItem, LogisticsReceipt


class LogisticsItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = LogisticsItem
        fields = ["code", "name", "unit"]


class LogisticsReceiptSerializer(serializers.ModelSerializer):
    regency = serializers.SlugRelatedField(
        slug_field="code", queryset=Regency.objects.all(),
        error_messages={"does_not_exist": _("Kabupaten/kota dengan kode {value} tidak dikenal.")},
    )
    item = serializers.SlugRelatedField(
        slug_field="code", queryset=LogisticsItem.objects.all(),
        error_messages={"does_not_exist": _("Barang logistik dengan kode {value} tidak dikenal.")},
    )
    election = serializers.PrimaryKeyRelatedField(
        queryset=Election.objects.all(), required=False,
        help_text=_("Boleh dikosongkan bila hanya ada satu pemilihan aktif untuk kabupaten/kota itu."),
    )
    quantity_received = serializers.IntegerField(
        min_value=0, max_value=MAX_QUANTITY, error_messages=QUANTITY_ERRORS
    )
    quantity_damaged = serializers.IntegerField(
        min_value=0, max_value=MAX_QUANTITY, default=0, error_messages=QUANTITY_ERRORS
    )
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=NOTE_MAX_LENGTH)
    confirm_over_expected = serializers.BooleanField(
        write_only=True, default=False,
        help_text=_("Wajib true (dengan catatan) bila total diterima melebihi dua kali kebutuhan."),
    )
    confirmed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = LogisticsReceipt
        fields = [
            "id", "election", "regency", "item", "quantity_received", "quantity_damaged", "received_at", "note",
            "confirm_over_expected", "confirmed_by", "created_at",
        ]
        read_only_fields = ["id", "confirmed_by", "created_at"]

    def validate_regency(self, regency):
        # Writing for another regency is refused outright (403), before any other check.
        ensure_officer_of(self.context["request"].user, regency.code)
        return regency

    def validate(self, attrs):
        if "election" not in attrs:
            election = Election.objects.active_for(attrs["regency"])
            if election is None:
                raise serializers.ValidationError({"election": _("Tidak ada pemilihan aktif; sebutkan pemilihannya.")})
            attrs["election"] = election
        return attrs

    def create(self, validated_data):
        data = dict(validated_data)
        keys = {name: data.pop(name) for name in ("election", "regency", "item")}
        return services.receipt_record(by=self.context["request"].user, data=data, now=timezone.now(), **keys)


class LogisticsStatusSerializer(serializers.Serializer):
    """One (regency, item) row of selectors.logistics_status."""

    regency = serializers.CharField(source="regency_code")
    item = serializers.CharField(source="item.code")
    quantity_expected = serializers.IntegerField(source="expected")
    quantity_received = serializers.IntegerField(source="received")
    quantity_damaged = serializers.IntegerField(source="damaged")
    complete = serializers.BooleanField()
