"""The demo's voting day and after: the 2024 election complete with a dispute; the live phases as far as today."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from compliance.models import Flag
from compliance.run import flags_check
from elections.demo import LIVE_NAMES, recap_windows, seed_live_election
from elections.models import Election
from votingday.demo import seed_completed, seed_history
from votingday.models import Dispute, RecapProgress, RevoteTps, TpsStatus, VotingRound
from votingday.room import recap_overview

from .conftest import wita

pytestmark = pytest.mark.django_db


def test_the_2024_election_gets_a_complete_voting_day_recap_and_one_dispute(election, officer, other_officer,
                                                                            secretariat, samarinda, balikpapan):
    now = wita(2025, 3, 1, 9)
    seed_completed(election, now)
    seed_completed(election, now)  # idempotent
    assert VotingRound.objects.count() == 6
    assert TpsStatus.objects.count() == 16
    assert set(RecapProgress.objects.values_list("status", flat=True)) == {"done"}
    # 2 regencies x 2 districts x 2 contests, 2 x 2 regency levels, the province
    assert RecapProgress.objects.count() == 8 + 4 + 1
    # Kaltim's re-votes of 2-3 Dec: of the regencies here, Balikpapan (2 TPS) and Samarinda (1)
    assert sorted(RevoteTps.objects.values_list("regency_id", "date")) == [
        ("64.71", dt.date(2024, 12, 2)), ("64.71", dt.date(2024, 12, 2)), ("64.72", dt.date(2024, 12, 3))]
    dispute = Dispute.objects.get()
    assert (dispute.status, dispute.decision, dispute.history.count()) == ("decided", "revote", 3)
    overview = recap_overview(election=election, regencies=[samarinda, balikpapan], now=now)
    assert all(cell["state"] == "done" for level in overview["levels"] for row in level["rows"]
               for cell in row["cells"] if cell)
    flags_check(now=now)
    assert not Flag.objects.open().filter(kind__in=["missed_voting_round", "recap_overdue"]).exists()


def test_recap_windows_follow_2024(election):
    assert recap_windows(dt.date(2024, 11, 27)) == {
        "recap_district_start": dt.date(2024, 11, 28), "recap_district_end": dt.date(2024, 12, 3),
        "recap_regency_start": dt.date(2024, 11, 29), "recap_regency_end": dt.date(2024, 12, 6),
        "recap_province_start": dt.date(2024, 11, 30), "recap_province_end": dt.date(2024, 12, 9)}


@pytest.mark.parametrize(("phase", "offset"), [("voting_day", 0), ("post_voting", 3)])
def test_live_phases_put_today_on_or_after_voting_day(kaltim, phase, offset):
    today = dt.date(2026, 12, 4)
    election = seed_live_election(today, phase=phase)
    assert election.name == LIVE_NAMES[phase]
    assert election.voting_day == today - dt.timedelta(days=offset)
    assert Election.objects.get(is_active=True) == election


def test_live_voting_day_holds_the_rounds_due_by_now(kaltim, samarinda, balikpapan, officer, other_officer,
                                                      secretariat):
    election = seed_live_election(dt.date(2026, 12, 4), phase="voting_day")
    seed_history(election, wita(2026, 12, 4, 14, 30))
    assert set(VotingRound.objects.values_list("round", flat=True)) == {"opening", "closing"}
    assert not VotingRound.objects.filter(round="counting").exists()
    assert not TpsStatus.objects.filter(status="counted").exists()
    assert TpsStatus.objects.filter(status="closed").exists()


def test_phase_needs_live(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError):
        call_command("seed_demo", "--phase", "voting_day")
