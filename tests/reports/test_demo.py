import datetime as dt

import pytest
import time_machine

from reports.constants import DayState
from reports.demo import seed_history, seed_today
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


def _today_states(election, desks, now):
    seed_history(election, now)
    seed_today(election, now)
    today = now.date()
    states = day_states(election=election, regencies=desks, dates=[today], now=now)
    return {code: states[(code, today)] for code in sorted(d.pk for d in desks)}


@pytest.mark.parametrize("hour", [10, 21])
def test_today_is_seeded_as_of_the_moment_never_ahead_of_it(election, desks, hour):
    now = wita(dt.date(2024, 11, 22), hour)
    with time_machine.travel(now, tick=False):
        states = _today_states(election, desks, now)

    today = DailyReport.objects.filter(report_date=now.date())
    assert today.exists() and all(report.submitted_at <= now for report in today)
    assert all(report.history.get().history_date == report.submitted_at for report in today)
    if hour == 10:
        # Before the cutoff: most desks have reported so far, the rest are still awaited.
        assert states == {"64.03": DayState.DUE, "64.07": DayState.DUE, "64.11": DayState.ON_TIME,
                          "64.71": DayState.ON_TIME, "64.72": DayState.ON_TIME}
    else:
        # The evening after the cutoff: most on time, one late, one missing.
        assert states == {"64.03": DayState.LATE, "64.07": DayState.MISSED, "64.11": DayState.ON_TIME,
                          "64.71": DayState.ON_TIME, "64.72": DayState.ON_TIME}
        assert today.get(regency_id="64.03").submitted_at <= wita(now.date(), 20, 40)


def test_a_second_run_later_in_the_day_adds_what_came_in_since(election, desks):
    morning, evening = wita(dt.date(2024, 11, 22), 10), wita(dt.date(2024, 11, 22), 21)
    seed_today(election, morning)
    seed_today(election, morning)
    assert DailyReport.objects.count() == 3
    seed_today(election, evening)
    assert DailyReport.objects.count() == 4
    assert DailyReport.objects.get(regency_id="64.03").is_late
