"""The secretariat dashboard's panels beside the daily reports: flags, violations, logistics.

Each panel is one app's own selector; a constant number of queries whatever the
number of regencies.
"""

from django.db.models import Count, Q

from compliance.models import Flag, FlagKind
from logistics.selectors import province_overview as logistics_overview
from violations.constants import Status
from violations.models import ViolationIncident
from violations.querysets import overdue_q


def province_panels(*, election, regencies, user, now):
    flags = Flag.objects.for_user(user).open().filter(election=election).aggregate(
        missed=Count("pk", filter=Q(kind=FlagKind.MISSED_DAILY_REPORT)),
        logistics=Count("pk", filter=Q(kind=FlagKind.LOGISTICS_UNCONFIRMED)),
    )
    incidents = ViolationIncident.objects.for_user(user).filter(election=election).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=[Status.RECORDED, Status.FORWARDED, Status.UNDER_REVIEW])),
        overdue=Count("pk", filter=overdue_q(now)),
    )
    logistics = logistics_overview(election=election, regencies=regencies)
    return {
        "flags": flags,
        "incidents": incidents,
        "logistics": logistics,
        "logistics_confirmed": sum(1 for row in logistics if row.status.confirmed),
    }
