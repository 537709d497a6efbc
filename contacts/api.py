"""API `contacts/`: GET, POST, PATCH; scoped (an officer: their regency, the secretariat: the province)."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import mixins, serializers, viewsets
from rest_framework.permissions import SAFE_METHODS

from accounts.permissions import HasDeskRole
from accounts.scope import desk_scope
from regions.models import District, Regency, Village

from .models import Contact
from .services import EDITABLE_FIELDS, contact_create, contact_edit, ensure_may_manage_contacts


class ContactSerializer(serializers.ModelSerializer):
    """Regions by Kemendagri code, the officer's account by username; the phone as typed, stored in E.164."""

    phone = serializers.CharField(max_length=30)
    regency = serializers.PrimaryKeyRelatedField(queryset=Regency.objects.all())
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False, allow_null=True)
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all(), required=False, allow_null=True)
    user = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all(), required=False, allow_null=True
    )
    active = serializers.BooleanField(required=False, default=True)

    class Meta:
        model = Contact
        fields = ["id", "phone", "name", "role", "regency", "district", "village", "user", "active", "notify_by"]
        read_only_fields = ["id"]

    def validate_regency(self, regency):
        # Checked before the other fields: another regency's contact is 403, whatever else is wrong.
        ensure_may_manage_contacts(self.context["request"].user, regency.pk)
        return regency

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["phone"] = str(instance.phone)
        return data

    def create(self, validated_data):
        regency = validated_data.pop("regency")
        return contact_create(regency=regency, by=self.context["request"].user, data=validated_data,
                              now=timezone.now())

    def update(self, instance, validated_data):
        data = {field: value for field, value in validated_data.items()
                if field in EDITABLE_FIELDS or field == "regency"}
        return contact_edit(contact=instance, by=self.context["request"].user, data=data, now=timezone.now())


class ContactFilter(django_filters.FilterSet):
    regency = django_filters.CharFilter(field_name="regency_id")
    active = django_filters.BooleanFilter()
    role = django_filters.CharFilter()


class ManagesContacts(HasDeskRole):
    """Every desk role reads what it sees; officers and the secretariat write (their own regions)."""

    message = "Hanya petugas desk kabupaten/kota dan sekretariat provinsi yang dapat mengubah kontak."

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        scope = desk_scope(request.user)
        return request.method in SAFE_METHODS or scope.is_officer or scope.is_secretariat


class ContactViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ContactSerializer
    permission_classes = [ManagesContacts]
    filterset_class = ContactFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Contact.objects.for_user(self.request.user)
            .select_related("regency", "district", "village", "user")
            .order_by("regency_id", "name", "pk")
        )
