import datetime as dt

import pytest

from reports.constants import DayState
from reports.demo import seed_history
from reports.models import DailyReport, ExcusedDay
from reports.selectors import day_states
from tests import factories
from tests.helpers import wita

pytestmark = pytest.mark.django_db

NOW = wita(dt.date(2024, 11, 22), 10)  # window opened 2024-11-01: 21 days of history


@pytest.fixture
def desks(election, officer, other_officer, secretariat):
    regencies = [officer.desk_profile.regency, other_officer.desk_profile.regency]
    for code, name in [("64.03", "Kabupaten Berau"), ("64.07", "Kabupaten Kutai Barat"),
                       ("64.11", "Kabupaten Mahakam Ulu")]:
        regency = factories.regency_make(code, name, districts=1, villages=1, tps=1)
        factories.officer_make(regency)
        regencies.append(regency)
    return regencies


def test_history_has_every_state_and_a_second_run_adds_nothing(election, desks, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        seed_history(election, NOW)
    reports, excused = DailyReport.objects.count(), ExcusedDay.objects.count()
    assert reports == 5 * 21 - 3 - 1 and excused == 1
    assert ExcusedDay.objects.get().regency_id == "64.11"

    dates = list(election.reporting_dates(until=dt.date(2024, 11, 21)))
    states = day_states(election=election, regencies=desks, dates=dates, now=NOW)
    counts = {state: list(states.values()).count(state) for state in DayState}
    assert counts[DayState.MISSED] == 3 and counts[DayState.EXCUSED] == 1
    assert counts[DayState.LATE] >= 3 and counts[DayState.ON_TIME] > counts[DayState.LATE] * 3
    assert DailyReport.objects.filter(acknowledged_at__isnull=False).exists()
    assert DailyReport.objects.exclude(situation="conducive").exists()
    report = DailyReport.objects.order_by("pk").first()
    assert report.history.get().history_date == report.submitted_at

    seed_history(election, NOW)
    assert (DailyReport.objects.count(), ExcusedDay.objects.count()) == (reports, excused)


def test_history_stops_before_today(election, desks):
    seed_history(election, NOW)
    assert not DailyReport.objects.filter(report_date__gte=dt.date(2024, 11, 22)).exists()
