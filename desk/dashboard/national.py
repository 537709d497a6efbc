"""The national desk's table: every province with an active election, side by side.

A constant number of queries whatever the number of provinces: each column is one stream's set-based reader
over every election at once.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from compliance.models import Flag
from elections.models import Election
from logistics.selectors import shortfall_by_election
from reports.constants import DayState
from reports.selectors import state_counts_by_election
from violations.models import ViolationIncident
from votingday.room import national_progress

NEW_INCIDENTS_SINCE = dt.timedelta(hours=24)
# The columns a user may sort by, and the row value each sorts on.
SORT_KEYS = {
    "province": lambda row: row.province.code,
    "reported": lambda row: row.reported_today,
    "missed": lambda row: row.today[DayState.MISSED],
    "compliance": lambda row: row.compliance_percent if row.compliance_percent is not None else -1,
    "flags": lambda row: row.open_flags,
    "incidents": lambda row: row.new_incidents,
    "logistics": lambda row: row.logistics_complete / row.regencies if row.regencies else 0,
}


@dataclass
class ProvinceRow:
    election: Election
    regencies: int
    today: dict
    window: dict
    open_flags: int
    new_incidents: int
    logistics_complete: int
    voting: dict | None = None  # from voting day on: the rounds in and the recapitulation's progress

    @property
    def province(self):
        return self.election.province

    @property
    def reported_today(self):
        return self.today[DayState.ON_TIME] + self.today[DayState.LATE]

    @property
    def compliance_percent(self):
        """Share of the window's regency-days so far reported on time (excused days and days still awaited aside)."""
        counted = sum(self.window[state] for state in (DayState.ON_TIME, DayState.LATE, DayState.MISSED))
        return round(100 * self.window[DayState.ON_TIME] / counted) if counted else None


def national_rows(*, now: dt.datetime, sort: str = "province", descending: bool = False) -> list[ProvinceRow]:
    """One row per active election (one province each), sorted by `sort` (a key of SORT_KEYS)."""
    elections = list(Election.objects.active().select_related("province").order_by("province"))
    states = state_counts_by_election(elections=elections, now=now)
    flags = dict(
        Flag.objects.open().filter(election__in=elections).order_by().values("election")
        .annotate(n=Count("pk")).values_list("election", "n")
    )
    incidents = dict(
        ViolationIncident.objects.filter(election__in=elections).order_by().values("election")
        .annotate(n=Count("pk", filter=Q(reported_at__gte=now - NEW_INCIDENTS_SINCE)))
        .values_list("election", "n")
    )
    short = shortfall_by_election(elections=elections)
    voting = national_progress(elections=elections, now=now)
    rows = [
        ProvinceRow(
            election=election, regencies=states[election.pk]["regencies"], today=states[election.pk]["today"],
            window=states[election.pk]["window"], open_flags=flags.get(election.pk, 0),
            new_incidents=incidents.get(election.pk, 0),
            logistics_complete=states[election.pk]["regencies"] - len(short.get(election.pk, ())),
            voting=voting.get(election.pk),
        )
        for election in elections
    ]
    key = SORT_KEYS.get(sort, SORT_KEYS["province"])
    return sorted(rows, key=key, reverse=descending)
