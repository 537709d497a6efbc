"""DRF permissions shared by the region-bound endpoints."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .scope import desk_scope


class HasDeskRole(BasePermission):
    """Any desk role may read; records outside one's scope are simply not in the queryset (404)."""

    def has_permission(self, request, view):
        return request.user.is_authenticated and desk_scope(request.user).role is not None


class OfficerWrites(HasDeskRole):
    """Reads for every role; creating and editing only for regency officers."""

    message = _("Hanya petugas desk kabupaten/kota yang dapat mengubah data ini.")

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return request.method in SAFE_METHODS or desk_scope(request.user).is_officer



class ManagerWrites(HasDeskRole):
    """Reads for every role; writes only for a province's secretariat or an admin (the service checks the
    province)."""

    message = _("Hanya sekretariat provinsi yang dapat mengubah data ini.")

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        return request.method in SAFE_METHODS or desk_scope(request.user).manages
