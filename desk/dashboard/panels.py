"""The secretariat dashboard's panels beside the daily reports: flags, violations, logistics.

Each panel is one app's own selector; a constant number of queries whatever the
number of regencies.
"""

from django.db.models import Count, Q

from compliance.models import Flag, FlagKind
from logistics.selectors import province_overview as logistics_overview
from reports.constants import DayState
from violations.constants import Status
from violations.models import ViolationIncident
from violations.querysets import overdue_q

from ..graphics.charts import compliance_chart_svg

OPEN_STATUSES = [Status.RECORDED, Status.FORWARDED, Status.UNDER_REVIEW]
# Today's tally on the dashboard, in the order of the day's course.
TODAY_STATES = [DayState.ON_TIME, DayState.LATE, DayState.DUE, DayState.MISSED, DayState.EXCUSED]


def incidents_by_pair(*, election, user):
    """Incidents per candidate pair (governor pairs first, then each regency's; none last): one query."""
    rows = (
        ViolationIncident.objects.for_user(user).filter(election=election)
        .values("candidate_pair", "candidate_pair__number", "candidate_pair__names",
                "candidate_pair__contest__kind", "candidate_pair__contest__regency__name")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUSES)))
        .order_by("candidate_pair__contest__kind", "candidate_pair__contest__regency_id", "candidate_pair__number")
    )
    return sorted(rows, key=lambda row: row["candidate_pair"] is None)


def province_panels(*, election, regencies, user, now):
    """Flags, violations (also per candidate pair), logistics and the compliance chart of one province."""
    flags = Flag.objects.for_user(user).open().filter(election=election).aggregate(
        missed=Count("pk", filter=Q(kind=FlagKind.MISSED_DAILY_REPORT)),
        logistics=Count("pk", filter=Q(kind=FlagKind.LOGISTICS_UNCONFIRMED)),
        voting_rounds=Count("pk", filter=Q(kind=FlagKind.MISSED_VOTING_ROUND)),
        recap=Count("pk", filter=Q(kind=FlagKind.RECAP_OVERDUE)),
        # The province KPU's own recapitulation (a flag without a regency), counted in `recap` too.
        province=Count("pk", filter=Q(regency__isnull=True)),
    )
    incidents = ViolationIncident.objects.for_user(user).filter(election=election).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_q(now)),
    )
    logistics = logistics_overview(election=election, regencies=regencies)
    return {
        "flags": flags,
        "incidents": incidents,
        "incidents_by_pair": incidents_by_pair(election=election, user=user),
        "chart": compliance_chart_svg(election=election, regencies=regencies, now=now),
        "logistics": logistics,
        "logistics_confirmed": sum(1 for row in logistics if row.status.confirmed),
    }
