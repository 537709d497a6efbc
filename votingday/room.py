"""What the voting-day situation room and the recapitulation page read: a fixed number of queries each,
whatever the number of regencies, TPS and districts."""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from elections.constants import ContestKind
from elections.models import Contest, Election
from regions.models import District, PollingStation, Regency

from .constants import RecapLevel, RecapStatus, Round, TpsState
from .models import Dispute, RecapProgress, RevoteTps, TpsStatus, VotingProblem, VotingRound
from .selectors import recap_deadline

# How a round stands in the room: (badge class, mark, label); never by colour alone.
ON_TIME, LATE, MISSING, PENDING = "on_time", "late", "missing", "pending"
BAR_LABELS = {"opened": _("dibuka"), "closed": _("ditutup"), "counted": _("dihitung")}
ROUND_STATES = {
    ON_TIME: ("text-bg-success", "✓", _("tepat waktu")),
    LATE: ("text-bg-warning", "!", _("terlambat")),
    MISSING: ("text-bg-danger", "✗", _("belum masuk, lewat batas")),
    PENDING: ("text-bg-light border", "…", _("menunggu")),
}


def field_counts(*, election: Election, regency_codes: Iterable[str]) -> dict[str, dict[str, int]]:
    """{regency: {"opened", "closed", "counted", "problem"}} from the TPS statuses the field reported.

    A TPS that closed had opened, one counted had closed: the counts include the later states.
    """
    # count(*), not count(id): the index on (election, regency, status) alone answers it.
    rows = (TpsStatus.objects.filter(election=election, regency_id__in=list(regency_codes))
            .values_list("regency_id", "status").annotate(n=Count("*")))
    result = defaultdict(Counter)
    for code, status, n in rows:
        result[code][status] += n
    return {code: {"opened": c[TpsState.OPEN] + c[TpsState.CLOSED] + c[TpsState.COUNTED],
                   "closed": c[TpsState.CLOSED] + c[TpsState.COUNTED], "counted": c[TpsState.COUNTED],
                   "problem": c[TpsState.PROBLEM]} for code, c in result.items()}


def _share(part, total):
    return round(100 * part / total, 1) if total else 0.0


def situation_rows(*, election: Election, regencies: Iterable[Regency], now: dt.datetime) -> list[dict]:
    """Per regency: its rounds (on time, late, missing, pending), TPS opened/closed/counted, turnout, problem TPS.

    Each count is the higher of the latest round's (the officer confirmed it
    then) and the field's (which goes on arriving after it): the day's counts
    only grow. Six queries.
    """
    regencies = sorted(regencies, key=lambda regency: regency.code)
    codes = [regency.code for regency in regencies]
    totals = dict(PollingStation.objects.filter(regency_id__in=codes).values("regency_id")
                  .annotate(n=Count("*")).values_list("regency_id", "n"))
    rounds = defaultdict(dict)
    for voting_round in VotingRound.objects.filter(election=election, regency_id__in=codes, day=election.voting_day):
        rounds[voting_round.regency_id][voting_round.round] = voting_round
    field = field_counts(election=election, regency_codes=codes)
    problems = defaultdict(list)
    reported = VotingProblem.objects.filter(voting_round__election=election, voting_round__regency_id__in=codes,
                                            voting_round__day=election.voting_day)
    for problem in (reported.select_related("tps__village__district", "voting_round")
                    .order_by("tps__village_id", "tps__number")):
        problems[problem.voting_round.regency_id].append({
            "tps": problem.tps, "kind": problem.get_kind_display(), "note": problem.note, "source": "round"})
    for status in (TpsStatus.objects.filter(election=election, regency_id__in=codes, status=TpsState.PROBLEM)
                   .select_related("tps__village__district").order_by("tps__village_id", "tps__number")):
        problems[status.regency_id].append({"tps": status.tps, "kind": "", "note": status.note, "source": "field",
                                             "at": status.at})
    rows = []
    for regency in regencies:
        code, total = regency.code, totals.get(regency.code, 0)
        own = rounds.get(code, {})
        states = []
        for round_code, label in Round.choices:
            voting_round = own.get(round_code)
            deadline = election.round_deadline(round_code)
            state = (LATE if voting_round.is_late else ON_TIME) if voting_round else (
                MISSING if now > deadline else PENDING)
            css, mark, state_label = ROUND_STATES[state]
            states.append({"round": round_code, "label": label, "state": state, "deadline": deadline,
                           "record": voting_round, "css": css, "mark": mark, "state_label": state_label})
        latest = next((own[r] for r in reversed(Round.values) if r in own), None)
        seen = field.get(code, {"opened": 0, "closed": 0, "counted": 0, "problem": 0})
        reported = ({"opened": latest.tps_opened, "closed": latest.tps_closed, "counted": latest.tps_counted}
                    if latest else {})
        counts = {key: max(reported.get(key, 0), seen[key]) for key in ("opened", "closed", "counted")}
        turnout = next((own[r].turnout_percent for r in reversed(Round.values)
                        if r in own and own[r].turnout_percent is not None), None)
        rows.append({
            "regency": regency, "tps_total": total, "rounds": states, "counts": counts, "field": seen,
            "from_round": latest is not None, "turnout": turnout, "problems": problems.get(code, []),
            "counted_share": _share(counts["counted"], total),
            "bars": [{"key": key, "label": BAR_LABELS[key], "value": counts[key], "share": _share(counts[key], total)}
                     for key in ("opened", "closed", "counted")],
        })
    return rows


def district_counted(*, election: Election, regency: Regency) -> list[dict]:
    """Per district of `regency`, in code order: its TPS, those the field reported counted, and the share.

    Only the field's TPS statuses say where a TPS lies (a round report counts
    the whole regency), so these shares may trail the regency's. Two queries.
    """
    counted = dict(TpsStatus.objects.filter(election=election, regency=regency, status=TpsState.COUNTED)
                   .order_by().values("tps__village__district_id").annotate(n=Count("pk"))
                   .values_list("tps__village__district_id", "n"))
    districts = (District.objects.filter(regency=regency).order_by("code")
                 .annotate(tps_total=Count("villages__polling_stations")))
    return [{"number": number, "district": district, "tps_total": district.tps_total,
             "counted": counted.get(district.code, 0), "share": _share(counted.get(district.code, 0),
                                                                      district.tps_total)}
            for number, district in enumerate(districts, start=1)]


def recap_overview(*, election: Election, regencies: Iterable[Regency], now: dt.datetime) -> dict:
    """How far the recapitulation has got per level against its window, per regency and contest. Five queries.

    District level: per regency and contest "done in X of Y districts";
    regency level: per regency and contest its status; province level (the
    governor's race): one status. Each with whether its window has ended.
    """
    regencies = sorted(regencies, key=lambda regency: regency.code)
    codes = [regency.code for regency in regencies]
    districts = dict(District.objects.filter(regency_id__in=codes).values("regency_id")
                     .annotate(n=Count("pk")).values_list("regency_id", "n"))
    contests = {(contest.kind, contest.regency_id): contest for contest in Contest.objects.filter(
        election=election).filter(Q(kind=ContestKind.GOVERNOR) | Q(regency_id__in=codes))}
    progress = defaultdict(Counter)
    records = {}
    for recap in RecapProgress.objects.filter(election=election).filter(
            Q(regency_id__in=codes) | Q(regency__isnull=True)).select_related("contest"):
        key = (recap.contest.kind, recap.level, recap.regency_id)
        progress[key][recap.status] += 1
        if recap.level != RecapLevel.DISTRICT:
            records[key] = recap

    def window(level):
        span = election.recap_window(level)
        deadline = recap_deadline(election, level)
        return {"level": level, "label": RecapLevel(level).label, "start": span[0] if span else None,
                "end": span[1] if span else None, "ended": bool(deadline and now >= deadline)}

    levels = []
    for level in (RecapLevel.DISTRICT, RecapLevel.REGENCY):
        info = window(level)
        rows, done = [], Counter()
        for regency in regencies:
            cells = []
            for kind in ContestKind.values:
                if (kind, None if kind == ContestKind.GOVERNOR else regency.code) not in contests:
                    cells.append(None)
                    continue
                counts = progress[(kind, level, regency.code)]
                needed = districts.get(regency.code, 0) if level == RecapLevel.DISTRICT else 1
                finished = counts[RecapStatus.DONE]
                started = finished or counts[RecapStatus.IN_PROGRESS]
                state = (RecapStatus.DONE if finished >= needed else
                         RecapStatus.IN_PROGRESS if started else RecapStatus.NOT_STARTED)
                done[kind] += state == RecapStatus.DONE
                cells.append({"kind": kind, "done": finished, "needed": needed, "state": state,
                              "in_progress": counts[RecapStatus.IN_PROGRESS],
                              "overdue": info["ended"] and state != RecapStatus.DONE,
                              "record": records.get((kind, level, regency.code))})
            rows.append({"regency": regency, "cells": cells})
        levels.append({**info, "rows": rows, "done": dict(done)})
    province = None
    if (ContestKind.GOVERNOR, None) in contests:
        record = records.get((ContestKind.GOVERNOR, RecapLevel.PROVINCE, None))
        info = window(RecapLevel.PROVINCE)
        state = record.status if record else RecapStatus.NOT_STARTED
        province = {**info, "record": record, "state": state, "overdue": info["ended"] and state != RecapStatus.DONE}
    disputes = list(Dispute.objects.filter(election=election)
                    .filter(Q(regency_id__in=codes) | Q(regency__isnull=True))
                    .select_related("contest__regency", "contest__election__province").order_by("-filed_on", "pk"))
    return {"levels": levels, "province": province, "disputes": disputes, "regency_count": len(regencies),
            "contest_labels": [label for _kind, label in ContestKind.choices]}


def national_progress(*, elections: Iterable[Election], now: dt.datetime) -> dict[int, dict]:
    """Per election from its voting day on: the round reports in (per round) and how far the governor's
    recapitulation has got (districts done of the province's, regencies done, the province's status). Three
    queries whatever the number of provinces (the national desk's table; it has the regency counts)."""
    started = [election for election in elections if election.local_date(now) >= election.voting_day]
    if not started:
        return {}
    provinces = {election.province_id for election in started}
    districts = dict(District.objects.filter(regency__province_id__in=provinces).order_by()
                     .values("regency__province_id").annotate(n=Count("pk"))
                     .values_list("regency__province_id", "n"))
    rounds = Counter()
    for election_id, day_round, n in (
        VotingRound.objects.filter(election__in=started).filter(day=F("election__voting_day"))
        .values_list("election_id", "round").annotate(n=Count("pk"))
    ):
        rounds[(election_id, day_round)] = n
    recap = Counter()
    province_state = {}
    for election_id, level, status, n in (
        RecapProgress.objects.filter(election__in=started, contest__kind=ContestKind.GOVERNOR)
        .values_list("election_id", "level", "status").annotate(n=Count("pk"))
    ):
        recap[(election_id, level, status)] = n
        if level == RecapLevel.PROVINCE:
            province_state[election_id] = status
    return {
        election.pk: {
            "rounds": [(Round(choice).label, rounds[(election.pk, choice)]) for choice in Round.values],
            "districts_done": recap[(election.pk, RecapLevel.DISTRICT, RecapStatus.DONE)],
            "districts": districts.get(election.province_id, 0),
            "regencies_done": recap[(election.pk, RecapLevel.REGENCY, RecapStatus.DONE)],
            "province": RecapStatus(province_state.get(election.pk, RecapStatus.NOT_STARTED)),
        }
        for election in started
    }



def revote_groups(revotes: Iterable[RevoteTps]) -> list[dict]:
    """Scheduled re-votes per election, date, regency and ground, with their TPS, in date order (one query)."""
    groups = {}
    for revote in revotes.order_by("date", "regency_id", "tps__village_id", "tps__number"):
        key = (revote.election_id, revote.date, revote.regency_id, revote.reason)
        group = groups.setdefault(key, {"election": revote.election, "date": revote.date, "regency": revote.regency,
                                        "reason": revote.reason, "created_by": revote.created_by,
                                        "created_at": revote.created_at, "stations": []})
        group["stations"].append(revote.tps)
    return list(groups.values())


def tps_by_district(regency: Regency) -> list[dict]:
    """The regency's TPS for the re-vote form: per district, per village (one query)."""
    districts = {}
    for tps in (PollingStation.objects.filter(regency=regency).select_related("village__district")
                .order_by("village__district_id", "village_id", "number")):
        district = districts.setdefault(tps.village.district_id, {"district": tps.village.district, "villages": {}})
        district["villages"].setdefault(tps.village_id, {"village": tps.village, "stations": []})["stations"].append(
            tps)
    return [{"district": item["district"], "villages": list(item["villages"].values()),
             "count": sum(len(village["stations"]) for village in item["villages"].values())}
            for item in districts.values()]
