"""The demo, composed: Kalimantan Timur's master data and elections, then each stream's history.

`elections.demo` holds the regions, elections, candidate pairs and users; each
stream app seeds its own synthetic history for the live simulation.
"""

from zoneinfo import ZoneInfo

from compliance.services import check_compliance
from elections.demo import (
    seed_contests,
    seed_historical_election,
    seed_live_election,
    seed_regions,
    seed_users,
)
from logistics.demo import seed_history as logistics_history
from regions.constants import TimeZone
from reports.demo import seed_history as reports_history
from violations.demo import seed_history as violations_history

# Functions (election, now) adding a synthetic history to the live simulation, each idempotent.
HISTORY_SEEDERS = [reports_history, logistics_history, violations_history]


def seed_demo(*, live, now):
    """Everything the demo needs; safe to run again."""
    seed_regions()
    historical = seed_historical_election(active=not live)
    seed_contests(historical)
    seed_users()
    elections = [historical]
    if live:
        election = seed_live_election(today=now.astimezone(ZoneInfo(TimeZone.WITA)).date())
        seed_contests(election)
        for seeder in HISTORY_SEEDERS:
            seeder(election, now)
        # The flags the scheduled job would have raised on the way here (quietly: no e-mails).
        check_compliance(now=now, notify=False)
        elections.append(election)
    return elections
