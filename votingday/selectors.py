"""Reads of voting day and after that other parts call: which rounds and recapitulation levels are overdue.

This app owns the rules; the compliance job only turns their answers into
flags (`compliance.voting_day`).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from elections.constants import ContestKind
from elections.models import Contest, Election
from regions.models import District, Regency

from .constants import DisputeDecision, RecapLevel, RecapStatus, Round
from .models import Dispute, RecapProgress, VotingRound

# The levels a regency answers for (the province's own recapitulation belongs to no regency).
REGENCY_LEVELS = (RecapLevel.DISTRICT, RecapLevel.REGENCY)


@dataclass(frozen=True)
class Overdue:
    """A regency's round or recapitulation level not done in time: `subject` is the round or the level
    (`regency` None: the province's own recapitulation)."""

    election_id: int
    regency: str | None
    subject: str
    date: dt.date
    deadline: dt.datetime
    # When the late round came in (None: still missing). Recapitulation levels are always still missing.
    done_at: dt.datetime | None = None


def voting_rounds_overdue(*, elections: Iterable[Election], now: dt.datetime) -> list[Overdue]:
    """Every (regency, round) whose due time has passed at `now` without an on-time report.

    A round at its due time is on time; a round after it is late (`done_at` is
    its submission). Two queries, whatever the number of elections and regencies.
    """
    due = {election.pk: [code for code in Round.values if now > election.round_deadline(code)]
           for election in elections}
    due = {pk: rounds for pk, rounds in due.items() if rounds}
    if not due:
        return []
    by_pk = {election.pk: election for election in elections}
    regencies = Regency.objects.filter(province_id__in={by_pk[pk].province_id for pk in due})
    codes = {}
    for code, province in regencies.values_list("code", "province_id"):
        codes.setdefault(province, []).append(code)
    submitted = {
        (election_id, code, round_code): (submitted_at, is_late)
        for election_id, code, round_code, day, submitted_at, is_late in VotingRound.objects.filter(
            election_id__in=list(due)).values_list("election_id", "regency_id", "round", "day", "submitted_at",
                                                   "is_late")
        if day == by_pk[election_id].voting_day  # a re-vote day's rounds are not voting day's
    }
    overdue = []
    for pk, rounds in due.items():
        election = by_pk[pk]
        for code in sorted(codes.get(election.province_id, [])):
            for round_code in rounds:
                submitted_at, is_late = submitted.get((pk, code, round_code), (None, True))
                if is_late:
                    overdue.append(Overdue(pk, code, round_code, election.voting_day,
                                           election.round_deadline(round_code), submitted_at))
    return overdue


def recap_deadline(election: Election, level: str) -> dt.datetime | None:
    """The end of the level's window: the midnight after its last day, local time (None: no window)."""
    window = election.recap_window(level)
    if window is None:
        return None
    return dt.datetime.combine(window[1] + dt.timedelta(days=1), dt.time.min, tzinfo=election.zone)


def recap_levels_overdue(*, elections: Iterable[Election], now: dt.datetime) -> list[Overdue]:
    """Every (regency, level) whose window has ended at `now` with a recapitulation not done, and the
    province's own level (`regency` None) when the governor's recapitulation is not done by its window's end.

    A regency's district level is done when every one of its districts has
    finished the recapitulation of every contest it holds (the governor's and
    its own); its regency level when the regency has, for both; the province
    level when the province has, for the governor's race (an election without
    one has no province level). Three queries.
    """
    due = {}
    for election in elections:
        levels = [level for level in RecapLevel.values
                  if (deadline := recap_deadline(election, level)) is not None and now >= deadline]
        if levels:
            due[election.pk] = (election, levels)
    if not due:
        return []
    provinces = {election.province_id for election, _levels in due.values()}
    districts = Counter(dict(District.objects.filter(regency__province_id__in=provinces)
                             .values("regency_id").annotate(n=Count("pk")).values_list("regency_id", "n")))
    contests = set(Contest.objects.filter(election_id__in=list(due)).values_list("election_id", "kind", "regency_id"))
    done = Counter()
    for election_id, kind, level, regency, n in (
        RecapProgress.objects.filter(election_id__in=list(due), status=RecapStatus.DONE)
        .values("election_id", "contest__kind", "level", "regency_id").annotate(n=Count("pk"))
        .values_list("election_id", "contest__kind", "level", "regency_id", "n")
    ):
        done[(election_id, kind, level, regency)] = n
    overdue = []
    for pk, (election, levels) in due.items():
        for code in sorted(code for code in districts if code.startswith(f"{election.province_id}.")):
            kinds = [ContestKind.GOVERNOR] + ([ContestKind.LOCAL] if (pk, ContestKind.LOCAL, code) in contests else [])
            for level in levels:
                if level not in REGENCY_LEVELS:
                    continue
                needed = districts[code] if level == RecapLevel.DISTRICT else 1
                if any(done[(pk, kind, level, code)] < needed for kind in kinds):
                    overdue.append(Overdue(pk, code, level, election.recap_window(level)[1],
                                           recap_deadline(election, level)))
        province_due = RecapLevel.PROVINCE in levels and (pk, ContestKind.GOVERNOR, None) in contests
        if province_due and not done[(pk, ContestKind.GOVERNOR, RecapLevel.PROVINCE, None)]:
            overdue.append(Overdue(pk, None, RecapLevel.PROVINCE, election.recap_window(RecapLevel.PROVINCE)[1],
                                   recap_deadline(election, RecapLevel.PROVINCE)))
    return overdue


def repeat_decisions(*, election: Election, regency: Regency) -> list:
    """The court's re-vote and recount decisions that reach `regency` (its own race or the governor's). One query."""
    return list(
        Dispute.objects.filter(election=election, decision__in=[DisputeDecision.REVOTE, DisputeDecision.RECOUNT])
        .filter(Q(regency=regency) | Q(regency__isnull=True))
        .select_related("contest__regency", "contest__election__province").order_by("decided_on", "pk")
    )
