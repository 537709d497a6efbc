"""Who may see and change which regions: the one place views and APIs ask.

Every region-bound record reaches a regency; a user's scope is the set of
regencies they may read (admin and the national desk: all; secretariat: its
province; officer: its regency) and, for officers, the one regency they may
write. The national desk (Kemendagri) reads every province and writes nothing.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.corrections import correction_reason, ensure_may_correct

from .roles import Role


@dataclass(frozen=True)
class Scope:
    role: str | None
    province_code: str | None = None
    regency_code: str | None = None

    @property
    def is_admin(self):
        return self.role == Role.ADMIN

    @property
    def is_secretariat(self):
        return self.role == Role.SECRETARIAT

    @property
    def is_officer(self):
        return self.role == Role.OFFICER

    @property
    def is_national(self):
        return self.role == Role.NATIONAL

    @property
    def oversees(self):
        """Reads whole provinces (the secretariat its own, the national desk and the admin all of them)."""
        return self.is_secretariat or self.is_national or self.is_admin

    @property
    def manages(self):
        """Acts on a province's desks (closes flags, the province dashboard): the secretariat or an admin; the
        national desk only reads."""
        return self.is_secretariat or self.is_admin

    @property
    def reads_everything(self):
        return self.is_admin or self.is_national

    def regency_q(self, path="regency"):
        """Filter for records whose regency (reached by `path`; "" for Regency itself) is visible."""
        prefix = f"{path}__" if path else ""
        if self.reads_everything:
            return Q()
        if self.is_secretariat and self.province_code:
            return Q(**{f"{prefix}province_id": self.province_code})
        if self.is_officer and self.regency_code:
            return Q(**{f"{prefix}pk" if not path else f"{path}_id": self.regency_code})
        return Q(pk__in=[])

    def province_q(self, path=""):
        """Filter for provinces (or records keyed by one) this user may read."""
        field = f"{path}_id" if path else "pk"
        if self.reads_everything:
            return Q()
        if self.province_code:
            return Q(**{field: self.province_code})
        return Q(pk__in=[])

    def can_read_regency(self, regency_code):
        if self.reads_everything:
            return True
        if self.is_secretariat:
            return bool(self.province_code) and regency_code.startswith(f"{self.province_code}.")
        return self.is_officer and regency_code == self.regency_code

    def can_write_regency(self, regency_code):
        """Only the regency's own officer submits its reports, receipts and incidents."""
        return self.is_officer and regency_code == self.regency_code


def scope_of(*, is_superuser: bool, groups: set[str], regency_code: str | None, province_code: str | None) -> Scope:
    """The rule that turns an account's groups and profile into its Scope (the highest role wins)."""
    if is_superuser or Role.ADMIN in groups:
        return Scope(role=Role.ADMIN)
    if Role.NATIONAL in groups:
        return Scope(role=Role.NATIONAL)
    if Role.SECRETARIAT in groups:
        return Scope(role=Role.SECRETARIAT, province_code=province_code)
    if Role.OFFICER in groups:
        return Scope(
            role=Role.OFFICER,
            regency_code=regency_code,
            province_code=regency_code.split(".")[0] if regency_code else None,
        )
    return Scope(role=None)


def desk_scope(user):
    """The user's Scope, computed once per user object (one query at most)."""
    cached = getattr(user, "_desk_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        scope = Scope(role=None)
    elif user.is_superuser:
        scope = Scope(role=Role.ADMIN)
    else:
        # Groups and profile in one query: a row per group, the profile's columns on each (NULL without one).
        rows = list(get_user_model()._default_manager.filter(pk=user.pk).values_list(
            "groups__name", "desk_profile__regency_id", "desk_profile__province_id"))
        regency_code, province_code = rows[0][1:] if rows else (None, None)
        scope = scope_of(is_superuser=False, groups={name for name, _regency, _province in rows if name},
                         regency_code=regency_code, province_code=province_code)
    user._desk_scope = scope
    return scope


def regions_for(user, model):
    """The rows of a region model (Province, Regency, District, Village, PollingStation) `user` may read:
    their province's, or only their regency's, or all."""
    scope = desk_scope(user)
    if model._meta.model_name == "province":
        return model._default_manager.filter(scope.province_q())
    path = "" if model._meta.model_name == "regency" else "regency"
    return model._default_manager.filter(scope.regency_q(path))


def require_desk_role(user) -> Scope:
    """The user's Scope; PermissionDenied when the account has no desk role (no region bound to it)."""
    scope = desk_scope(user)
    if scope.role is None:
        raise PermissionDenied(_("Akun Anda belum terhubung dengan kabupaten/kota atau provinsi."))
    return scope


def ensure_officer_of(user, regency_code: str, message: str | None = None) -> None:
    """Raise PermissionDenied unless `user` is the officer of the regency: the one write check.

    `message` says what was refused where a more precise sentence helps.
    """
    if not desk_scope(user).can_write_regency(regency_code):
        raise PermissionDenied(message or _("Anda hanya dapat mengirim data untuk kabupaten/kota Anda sendiri."))


def ensure_secretariat_of(user, province_code: str, message: str) -> None:
    """Raise PermissionDenied (saying `message`) unless `user` is the secretariat of that province."""
    scope = desk_scope(user)
    if not (scope.is_secretariat and scope.province_code == province_code):
        raise PermissionDenied(message)


def ensure_manager_of(user, province_code: str, message: str) -> None:
    """Raise PermissionDenied (saying `message`) unless `user` manages that province: its secretariat or an
    admin (the national desk only reads)."""
    scope = desk_scope(user)
    if not (scope.is_admin or scope.is_secretariat and scope.province_code == province_code):
        raise PermissionDenied(message)


def ensure_may_write(user, regency_code: str, *, model, reason: str | None = None, message: str | None = None) -> str:
    """The write check of a regency's desk record: its officer writes it; an admin corrects it, saying why.

    Without `reason` the write is the officer's (`ensure_officer_of`, with
    `message`). With a reason (even an empty one) it is a correction: `user`
    must be an admin allowed to change `model`, and the reason must be written.
    Returns the cleaned reason ("" for the officer's own writes).
    """
    if reason is None:
        ensure_officer_of(user, regency_code, message)
        return ""
    ensure_may_correct(user, model)
    return correction_reason(reason)


class ScopedQuerySet(models.QuerySet):
    """QuerySet of region-bound records; `regency_path` leads to their Regency."""

    regency_path = "regency"

    def for_user(self, user):
        return self.filter(desk_scope(user).regency_q(self.regency_path))
