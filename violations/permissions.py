"""Who may do what with an incident. Reading is scoped by `ViolationIncident.objects.for_user`."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS

from accounts.permissions import HasDeskRole
from accounts.scope import desk_scope, ensure_may_write

from .models import ViolationIncident


def may_edit(user, regency_code):
    """Record, edit and attach evidence: the regency's own officer."""
    return desk_scope(user).can_write_regency(regency_code)


def may_move(user, regency_code):
    """Move along the workflow: the regency's officer, or the secretariat of its province."""
    scope = desk_scope(user)
    return scope.can_write_regency(regency_code) or (scope.is_secretariat and scope.can_read_regency(regency_code))


def ensure_may_edit(user, regency_code, reason=None):
    """The regency's officer; with a `reason`, an admin correcting an incident (the cleaned reason is returned)."""
    return ensure_may_write(
        user, regency_code, model=ViolationIncident, reason=reason,
        message=_("Hanya petugas desk kabupaten/kota ini yang dapat mencatat atau mengubah insidennya."),
    )


def ensure_may_move(user, regency_code):
    if not may_move(user, regency_code):
        raise PermissionDenied(
            _("Hanya petugas desk kabupaten/kota ini atau sekretariat provinsi yang dapat memindahkan statusnya.")
        )


class IncidentAccess(HasDeskRole):
    """Every desk role reads its scope; officers create; officers and the secretariat change (checked per field)."""

    message = _("Hanya petugas desk kabupaten/kota yang dapat mencatat insiden.")

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        scope = desk_scope(request.user)
        if request.method == "POST":
            return scope.is_officer
        return scope.is_officer or scope.is_secretariat
