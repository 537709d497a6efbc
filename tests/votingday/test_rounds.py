"""Voting day's round reports: counts within the regency's TPS, order confirmed, late by the round's time."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from regions.models import PollingStation
from votingday.models import VotingProblem, VotingRound
from votingday.services import OrderUnconfirmed, RoundExists, voting_round_submit

from .conftest import counts, wita

VOTING = wita(2024, 11, 27, 9, 30)


def submit(election, regency, by, now=VOTING, **data):
    return voting_round_submit(election=election, regency=regency, by=by, now=now,
                               data={"round": "opening", **counts(8, 0, 0), **data})


def test_round_takes_tps_total_from_master_data_and_is_on_time(election, samarinda, officer):
    voting_round = submit(election, samarinda, officer, turnout_percent="69,2", summary="Semua TPS dibuka.")
    assert voting_round.tps_total == 8 == PollingStation.objects.filter(regency=samarinda).count()
    assert voting_round.is_late is False
    assert voting_round.turnout_percent == Decimal("69.2")
    version = voting_round.history.get()
    assert version.history_user == officer and version.history_date == VOTING


def test_round_at_due_time_is_on_time_and_a_second_after_is_late(election, samarinda, balikpapan, officer,
                                                                   other_officer):
    assert submit(election, samarinda, officer, now=wita(2024, 11, 27, 10, 0)).is_late is False
    assert submit(election, balikpapan, other_officer, now=wita(2024, 11, 27, 10, 0, 1)).is_late is True


def test_counting_round_due_at_21(election, samarinda, officer):
    late = submit(election, samarinda, officer, round="counting", now=wita(2024, 11, 27, 21, 5),
                  **counts(8, 8, 8))
    assert late.is_late is True


def test_counts_above_the_regency_tps_are_refused(election, samarinda, officer):
    with pytest.raises(ValidationError) as error:
        submit(election, samarinda, officer, **counts(9, 0, 0))
    assert "tps_opened" in error.value.message_dict
    assert not VotingRound.objects.exists()


def test_counts_out_of_order_need_the_officers_confirmation(election, samarinda, officer):
    with pytest.raises(OrderUnconfirmed):
        submit(election, samarinda, officer, round="closing", **counts(5, 6, 0))
    assert not VotingRound.objects.exists()
    stored = submit(election, samarinda, officer, round="closing", confirm_order=True, **counts(5, 6, 0))
    assert stored.order_confirmed is True and stored.tps_closed == 6


def test_turnout_bounds_and_one_decimal(election, samarinda, officer):
    for bad in ("100.1", "-1", "69.25", "abc"):
        with pytest.raises(ValidationError) as error:
            submit(election, samarinda, officer, turnout_percent=bad)
        assert "turnout_percent" in error.value.message_dict
    assert submit(election, samarinda, officer, turnout_percent="100").turnout_percent == 100


def test_rounds_only_from_voting_day(election, samarinda, officer):
    with pytest.raises(ValidationError) as error:
        submit(election, samarinda, officer, now=wita(2024, 11, 26, 23, 59))
    assert "baru dapat dikirim pada hari itu" in error.value.message_dict["round"][0]


def test_second_report_of_a_round_is_refused_naming_the_first(election, samarinda, officer):
    submit(election, samarinda, officer)
    with pytest.raises(RoundExists) as error:
        submit(election, samarinda, officer)
    assert "sudah dikirim" in error.value.message_dict["round"][0]
    assert VotingRound.objects.count() == 1


def test_problems_must_be_tps_of_the_regency(election, samarinda, balikpapan, officer):
    own = PollingStation.objects.filter(regency=samarinda).first()
    other = PollingStation.objects.filter(regency=balikpapan).first()
    with pytest.raises(ValidationError) as error:
        submit(election, samarinda, officer, problems=[{"tps": other.pk, "kind": "weather", "note": "banjir"}])
    assert "bukan TPS" in error.value.message_dict["problems"][0]
    with pytest.raises(ValidationError):
        submit(election, samarinda, officer, problems=[{"tps": own.pk, "kind": "flood"}])
    voting_round = submit(election, samarinda, officer,
                          problems=[{"tps": own.pk, "kind": "late_opening", "note": "KPPS terlambat"}])
    problem = VotingProblem.objects.get(voting_round=voting_round)
    assert problem.tps == own and problem.history.get().history_user == officer


def test_only_the_regencys_officer_submits(election, samarinda, other_officer, secretariat):
    for user in (other_officer, secretariat):
        with pytest.raises(PermissionDenied):
            submit(election, samarinda, user)
