"""The demo seeds the history of every stream."""

from desk.demo import HISTORY_SEEDERS
from intake.demo import seed_history as intake_history
from logistics.demo import seed_history as logistics_history
from reports.demo import seed_history as reports_history
from reports.demo import seed_today as reports_today
from violations.demo import seed_history as violations_history
from votingday.demo import seed_history as voting_day_history


def test_the_demo_seeds_every_streams_history():
    assert HISTORY_SEEDERS == [reports_history, reports_today, logistics_history, violations_history,
                               voting_day_history, intake_history]
