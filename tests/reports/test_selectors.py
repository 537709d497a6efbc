import datetime as dt

import pytest

from reports.constants import DayState
from reports.selectors import day_states, province_overview, regency_home, uncovered_days
from reports.services import day_excuse
from tests.helpers import wita

from .conftest import DAY

pytestmark = pytest.mark.django_db

ONE = dt.timedelta(days=1)


def test_day_states_cover_every_state(submit, election, samarinda, balikpapan, secretariat, other_officer):
    submit(DAY - 3 * ONE, at=wita(DAY - 3 * ONE, 19, 59))  # on time
    submit(DAY - 2 * ONE, at=wita(DAY - 2 * ONE, 20, 1))  # late
    day_excuse(election=election, regency=samarinda, date=DAY - ONE, reason="Jaringan putus.", by=secretariat,
               now=wita(DAY, 8))
    now = wita(DAY, 19, 59)
    dates = [DAY - 4 * ONE, DAY - 3 * ONE, DAY - 2 * ONE, DAY - ONE, DAY, DAY + ONE]

    states = day_states(election=election, regencies=[samarinda], dates=dates, now=now)

    assert [states[("64.72", day)] for day in dates] == [
        DayState.MISSED, DayState.ON_TIME, DayState.LATE, DayState.EXCUSED, DayState.DUE, DayState.FUTURE,
    ]


def test_today_turns_missed_after_the_cutoff(election, samarinda):
    assert day_states(election=election, regencies=[samarinda], dates=[DAY], now=wita(DAY, 20, 0))[
        ("64.72", DAY)] == DayState.DUE
    assert day_states(election=election, regencies=[samarinda], dates=[DAY], now=wita(DAY, 20, 1))[
        ("64.72", DAY)] == DayState.MISSED


def test_an_excuse_covers_a_late_report_but_not_an_on_time_one(submit, election, samarinda, secretariat):
    late_day = DAY - 2 * ONE
    submit(late_day, at=wita(DAY - ONE, 8))
    day_excuse(election=election, regency=samarinda, date=late_day, reason="Listrik padam.", by=secretariat,
               now=wita(DAY, 8))
    states = day_states(election=election, regencies=["64.72"], dates=[late_day], now=wita(DAY, 9))
    assert states[("64.72", late_day)] == DayState.EXCUSED


def test_dates_outside_the_window_are_left_out(election, samarinda):
    before = election.reporting_start - ONE
    states = day_states(election=election, regencies=[samarinda], dates=[before, election.reporting_start],
                        now=wita(DAY, 9))
    assert list(states) == [("64.72", election.reporting_start)]


def test_day_states_use_two_queries_whatever_the_size(
    submit, election, samarinda, balikpapan, other_officer, django_assert_num_queries
):
    for offset in range(10):
        submit(DAY - offset * ONE, at=wita(DAY, 8))
        submit(DAY - offset * ONE, at=wita(DAY, 8), regency=balikpapan, by=other_officer)
    dates = list(election.reporting_dates(until=DAY))
    with django_assert_num_queries(2):
        states = day_states(election=election, regencies=[samarinda, balikpapan], dates=dates, now=wita(DAY, 9))
    assert len(states) == 2 * len(dates)


def test_regency_home_has_todays_state_deadline_and_a_14_day_strip(submit, election, samarinda):
    submit(DAY - ONE, at=wita(DAY - ONE, 19))
    home = regency_home(election=election, regency=samarinda, now=wita(DAY, 10))
    assert home["today_state"] == DayState.DUE and home["today_report"] is None
    assert home["deadline"] == wita(DAY, 20) and home["deadline_passed"] is False
    assert [cell["date"] for cell in home["strip"]] == [DAY - n * ONE for n in range(13, -1, -1)]
    assert home["strip"][-2]["state"] == DayState.ON_TIME and home["strip"][0]["state"] == DayState.MISSED


def test_regency_home_strip_starts_at_the_window(election, samarinda):
    start = election.reporting_start
    home = regency_home(election=election, regency=samarinda, now=wita(start + 2 * ONE, 10))
    assert [cell["date"] for cell in home["strip"]] == [start, start + ONE, start + 2 * ONE]


def test_province_overview_counts_todays_states(submit, election, samarinda, balikpapan):
    submit(DAY, at=wita(DAY, 9))
    overview = province_overview(election=election, regencies=[balikpapan, samarinda], now=wita(DAY, 21))
    assert [(row["regency"].code, row["state"]) for row in overview["rows"]] == [
        ("64.71", DayState.MISSED), ("64.72", DayState.ON_TIME)
    ]
    assert overview["rows"][1]["report"].report_date == DAY
    assert overview["counts"]["on_time"] == 1 and overview["counts"]["missed"] == 1


def test_uncovered_days_are_the_late_and_missed_days_of_the_strip(submit, election, samarinda, secretariat):
    submit(DAY - 3 * ONE, at=wita(DAY - 3 * ONE, 19, 59))  # on time
    submit(DAY - 2 * ONE, at=wita(DAY - 2 * ONE, 20, 1))  # late
    day_excuse(election=election, regency=samarinda, date=DAY - ONE, reason="Jaringan putus.", by=secretariat,
               now=wita(DAY, 8))
    now = wita(DAY, 19, 59)  # today's deadline has not passed

    uncovered = uncovered_days(election=election, regencies=[samarinda], now=now)

    dates = list(election.reporting_dates(until=DAY - ONE))
    states = day_states(election=election, regencies=[samarinda], dates=dates, now=now)
    assert uncovered == {key for key, state in states.items() if state in (DayState.LATE, DayState.MISSED)}
    assert ("64.72", DAY - 2 * ONE) in uncovered and ("64.72", DAY - 4 * ONE) in uncovered
    assert {("64.72", DAY - 3 * ONE), ("64.72", DAY - ONE), ("64.72", DAY)}.isdisjoint(uncovered)
