"""Reusable reads of compliance flags; visibility comes from accounts.scope."""

from django.db.models import Q

from accounts.scope import ScopedQuerySet, desk_scope


class FlagQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """The flags of the regencies `user` reads, and the province-level flags (no regency) of the provinces
        they oversee: a regency's officer never sees those."""
        scope = desk_scope(user)
        if scope.reads_everything:
            return self.all()
        visible = scope.regency_q("regency")
        if scope.oversees:
            visible |= Q(regency__isnull=True) & scope.province_q("election__province")
        return self.filter(visible)

    def open(self):
        return self.filter(resolved_at__isnull=True)
