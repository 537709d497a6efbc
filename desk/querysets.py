"""Reads of the Rakor records: what a user may see, upcoming meetings, open action items."""

from django.db import models

from accounts.scope import ScopedQuerySet, desk_scope


class CoordinationMeetingQuerySet(models.QuerySet):
    def for_user(self, user):
        """Meetings of the elections of the user's province (officers: their regency's province)."""
        return self.filter(desk_scope(user).province_q("election__province"))

    def held(self):
        """Meetings not cancelled: the only ones that are someone's next, this or previous Rakor."""
        return self.exclude(status="cancelled")

    def upcoming(self, now):
        """Meetings not cancelled and not yet ended at `now`, the soonest first."""
        return self.held().filter(ends_at__gt=now).order_by("starts_at")


class AttendanceQuerySet(ScopedQuerySet):
    pass


class ActionItemQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)
