"""Reusable reads of compliance flags; visibility comes from accounts.scope."""

from accounts.scope import ScopedQuerySet


class FlagQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)
