"""Reusable reads of reports and excused days; visibility comes from accounts.scope."""

from accounts.scope import ScopedQuerySet


class DailyReportQuerySet(ScopedQuerySet):
    def for_list(self):
        """What the lists show, in a constant number of queries."""
        return self.select_related("regency", "election__province", "submitted_by", "acknowledged_by")


class ExcusedDayQuerySet(ScopedQuerySet):
    pass
