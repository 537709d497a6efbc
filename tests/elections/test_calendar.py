import datetime as dt

import pytest

from elections.models import Phase
from tests.factories import election_make


@pytest.mark.django_db
@pytest.mark.parametrize("zone,utc_hour", [("Asia/Jakarta", 13), ("Asia/Makassar", 12), ("Asia/Jayapura", 11)])
def test_report_deadline_is_the_cutoff_in_the_elections_zone(kaltim, zone, utc_hour):
    election = election_make(kaltim, time_zone=zone)
    deadline = election.report_deadline(dt.date(2024, 11, 20))
    assert deadline.astimezone(dt.UTC) == dt.datetime(2024, 11, 20, utc_hour, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_phases(kaltim):
    election = election_make(kaltim)
    assert election.phase_on(dt.date(2024, 11, 20)) == Phase.PRE_VOTING
    assert election.phase_on(dt.date(2024, 11, 24)) == Phase.QUIET_PERIOD
    assert election.phase_on(dt.date(2024, 11, 27)) == Phase.VOTING_DAY
    assert election.phase_on(dt.date(2024, 11, 28)) == Phase.POST_VOTING


@pytest.mark.django_db
def test_local_date_uses_the_elections_zone(kaltim):
    election = election_make(kaltim)
    late_evening_utc = dt.datetime(2024, 11, 20, 16, 30, tzinfo=dt.UTC)  # 00:30 WITA on the 21st
    assert election.local_date(late_evening_utc) == dt.date(2024, 11, 21)


@pytest.mark.django_db
def test_last_due_date_turns_over_just_after_the_cutoff_in_the_elections_zone(kaltim):
    election = election_make(kaltim, time_zone="Asia/Makassar")
    cutoff = dt.datetime(2024, 11, 20, 12, 0, tzinfo=dt.UTC)  # 20:00 WITA
    assert election.last_due_date(cutoff) == dt.date(2024, 11, 19)  # a report at the deadline is on time
    assert election.last_due_date(cutoff + dt.timedelta(seconds=1)) == dt.date(2024, 11, 20)
    assert election.last_due_date(dt.datetime(2024, 11, 20, 16, 30, tzinfo=dt.UTC)) == dt.date(2024, 11, 20)
