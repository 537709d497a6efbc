from django.db.models import BooleanField, Case, Q, Value, When

from accounts.scope import ScopedQuerySet

from .constants import FILING_WINDOW, Status


def overdue_q(now):
    """Recorded and still not forwarded more than FILING_WINDOW after the event."""
    return Q(status=Status.RECORDED, occurred_at__lt=now - FILING_WINDOW)


class ViolationIncidentQuerySet(ScopedQuerySet):
    def overdue(self, now):
        return self.filter(overdue_q(now))

    def with_overdue(self, now):
        """Annotate `is_overdue` as of `now`."""
        return self.annotate(
            is_overdue=Case(When(overdue_q(now), then=Value(True)), default=Value(False), output_field=BooleanField())
        )

    def for_display(self):
        """Everything a list row or the incident page shows, in the same query."""
        return self.select_related(
            "regency", "district", "village", "tps__village", "candidate_pair__contest__regency", "reported_by",
        )
