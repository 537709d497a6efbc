"""Reusable reads of voting day and after; visibility comes from accounts.scope."""

from django.db.models import Q

from accounts.scope import ScopedQuerySet, desk_scope


class VotingRoundQuerySet(ScopedQuerySet):
    pass


class TpsStatusQuerySet(ScopedQuerySet):
    pass


class RevoteTpsQuerySet(ScopedQuerySet):
    pass


class _ProvinceWideQuerySet(ScopedQuerySet):
    """Records of a regency, or of the whole province (no regency): those every desk of the province reads."""

    def for_user(self, user):
        scope = desk_scope(user)
        province_wide = Q(regency__isnull=True) & scope.province_q("election__province")
        return self.filter(scope.regency_q("regency") | province_wide)


class RecapProgressQuerySet(_ProvinceWideQuerySet):
    pass


class DisputeQuerySet(_ProvinceWideQuerySet):
    pass
