"""Reusable reads of elections and candidate pairs; visibility comes from accounts.scope."""

from django.db import models
from django.db.models import Q

from accounts.scope import desk_scope

from .constants import ContestKind


class ElectionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def active_for(self, regency):
        """The province's active election for `regency` (at most one, by constraint), or None."""
        return self.active().filter(province_id=regency.province_id).first()

    def for_user(self, user):
        return self.filter(desk_scope(user).province_q("province"))


class ElectionManager(models.Manager.from_queryset(ElectionQuerySet)):
    """Elections come with their province (its zone rules every deadline): one join, never a query more."""

    def get_queryset(self):
        return super().get_queryset().select_related("province")


class CandidatePairQuerySet(models.QuerySet):
    def for_user(self, user):
        """Governor pairs of the user's province and the local pairs of regencies they see."""
        scope = desk_scope(user)
        governor = Q(contest__kind=ContestKind.GOVERNOR) & scope.province_q("contest__election__province")
        local = Q(contest__kind=ContestKind.LOCAL) & scope.regency_q("contest__regency")
        return self.filter(governor | local)

    def voting_in(self, regency):
        """Pairs a place in `regency` votes for: the governor pairs and that regency's own."""
        return self.filter(
            Q(contest__kind=ContestKind.GOVERNOR, contest__election__province_id=regency.province_id)
            | Q(contest__kind=ContestKind.LOCAL, contest__regency=regency)
        )
