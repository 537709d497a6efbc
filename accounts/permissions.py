"""DRF permissions shared by the region-bound endpoints."""

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .scope import desk_scope


class HasDeskRole(BasePermission):
    """Any desk role may read; records outside one's scope are simply not in the queryset (404)."""

    def has_permission(self, request, view):
        return request.user.is_authenticated and desk_scope(request.user).role is not None


class OfficerWrites(HasDeskRole):
    """Reads for every role; creating and editing only for regency officers."""

    message = "Hanya petugas desk kabupaten/kota yang dapat mengubah data ini."

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return request.method in SAFE_METHODS or desk_scope(request.user).is_officer


def ensure_can_write_regency(user, regency_code):
    """403 unless the user is the officer of `regency_code`."""
    if not desk_scope(user).can_write_regency(regency_code):
        raise PermissionDenied("Anda hanya dapat mengirim data untuk kabupaten/kota Anda sendiri.")
