"""The compliance run: raise and resolve flags as of a moment, then queue and send notices.

`check_compliance(now=...)` is what the Celery task and the management command
run as of now; `flags_check(now=...)` only raises and resolves flags (a run as
of another moment, the demo, the bench). It is set-based (a handful of queries per active election, whatever the
number of regencies and days), idempotent (flags and notices have unique keys,
inserted with ON CONFLICT DO NOTHING; resolutions are guarded by
`resolved_at IS NULL`) and therefore safe when two runs overlap.

The job writes flags; it does not decide the rules:
- the report for date D is due at D + cutoff in the election's zone
  (`Election.report_deadline`, `Election.last_due_date`); a regency-day with no
  on-time report and no excuse by then (`reports.selectors.uncovered_days`, the
  same answer the officers' day strips read) gets a `missed_daily_report`
  flag dated D and raised at that deadline. A late report resolves it, dated
  with the report's submission (a late report the job had not yet seen gets
  its flag raised and resolved at once, so the history reads the same).
- at the logistics deadline, a regency whose usable receipts fall short of
  the expected quantity of any item (`logistics.selectors.regencies_with_shortfall`)
  gets a `logistics_unconfirmed` flag dated with the deadline's local date; it
  resolves when receipts cover every item.
"""

import datetime as dt
from collections import Counter
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from core.bulk import Upsert
from elections.models import Election
from logistics.models import LogisticsReceipt
from logistics.selectors import regencies_with_shortfall
from reports.models import DailyReport, ExcusedDay
from reports.selectors import uncovered_days_by_election

from .models import Flag, FlagKind, Resolution
from .notices import SEND_BATCH, notices_queue, notices_send
from .voting_day import voting_day_flags


def flags_check(*, now: dt.datetime) -> dict[str, int]:
    """Raise and resolve every flag as of `now` for all active elections; no notice."""
    return dict(_flags_check(_active_elections(), now))


def check_compliance(*, now: dt.datetime) -> dict[str, int]:
    """The scheduled run as of `now`: raise and resolve every flag, queue the notices due, send them on commit."""
    elections = _active_elections()
    summary = _flags_check(elections, now)
    summary["notices_queued"] = 0
    for election in elections:
        with transaction.atomic():
            # Notices are written in the site's language, whoever runs the job.
            with translation.override(settings.LANGUAGE_CODE):
                summary["notices_queued"] += notices_queue(election=election, now=now)
    # Notices leave only once what queued them is committed.
    transaction.on_commit(partial(notices_send, limit=SEND_BATCH))
    return dict(summary)


def _active_elections():
    return list(Election.objects.active().select_related("province"))


def _flags_check(elections, now):
    summary = Counter()
    with transaction.atomic():
        # Missed reports of every election at once: a fixed number of queries, whatever their count.
        summary.update(_missed_reports(elections, now))
    with transaction.atomic():
        # Voting day's rounds and the recapitulation: votingday's rules, flagged in compliance.voting_day.
        summary.update(voting_day_flags(elections=elections, now=now))
    for election in elections:
        with transaction.atomic():
            # update() keeps zero counts, which `+=` on a Counter would drop.
            summary.update(_logistics(election, now))
    return summary


def _missed_reports(elections, now):
    """Flag every regency-day the reports app finds uncovered (no on-time report, no excuse) and not yet flagged.

    A fixed number of queries for all the elections together (regencies,
    reports, excuses, flags already raised, one insert, the re-opening update,
    the open flags, two resolving updates), whatever the number of provinces,
    regencies and days.
    """
    uncovered = uncovered_days_by_election(elections=elections, regencies=None, now=now)
    counts = Counter({"missed_flags_raised": 0})
    days = [day for election_days in uncovered.values() for _code, day in election_days]
    if days:
        flagged = set(
            Flag.objects.filter(election__in=list(uncovered), kind=FlagKind.MISSED_DAILY_REPORT)
            .filter(date__range=(min(days), max(days))).values_list("election_id", "regency_id", "date")
        )
        by_pk = {election.pk: election for election in elections}
        # Plain rows, not model instances: a new election window can hold tens of thousands.
        new_flags = [
            (election_id, code, FlagKind.MISSED_DAILY_REPORT.value, day,
             by_pk[election_id].report_deadline(day), None, "", "")
            for election_id, election_days in uncovered.items()
            for code, day in sorted(election_days)
            if (election_id, code, day) not in flagged
        ]
        counts["missed_flags_raised"] = Upsert(
            Flag, ("election_id", "regency_id", "kind", "date", "raised_at", "resolved_at", "resolution", "note"),
            new_flags, unique=("regency_id", "kind", "date", "subject"),
        ).apply()
    counts["missed_flags_reopened"] = _flags_reopen_unexcused(elections)
    counts["missed_flags_resolved"] = _resolve_missed(
        Flag.objects.open().filter(election__in=[election.pk for election in elections])
    )
    return counts


def _flags_reopen_unexcused(elections: list[Election]) -> int:
    """Open again the flags resolved by an excuse that was since withdrawn.

    The resolving update run right after closes those whose day has a late
    report meanwhile (as resolved by that report).
    """
    excuse = ExcusedDay.objects.filter(
        election=OuterRef("election"), regency=OuterRef("regency"), date=OuterRef("date")
    )
    return (
        Flag.objects.filter(election__in=[election.pk for election in elections],
                            kind=FlagKind.MISSED_DAILY_REPORT, resolution=Resolution.EXCUSED)
        .exclude(Exists(excuse))
        .update(resolved_at=None, resolved_by=None, resolution="")
    )


def _resolve_missed(open_flags):
    """Guarded updates: flags whose day has a report (dated with it), then those excused.

    The open flags are read first, so that the updates start from a short
    list of keys whatever the planner believes of the table (a run right
    after many flags were raised would otherwise scan every report or excuse).
    """
    open_ids = list(open_flags.filter(kind=FlagKind.MISSED_DAILY_REPORT).values_list("pk", flat=True))
    if not open_ids:
        return 0
    open_flags = Flag.objects.open().filter(pk__in=open_ids)
    report = DailyReport.objects.filter(
        election=OuterRef("election"), regency=OuterRef("regency"), report_date=OuterRef("date")
    )
    resolved = open_flags.filter(Exists(report)).update(
        resolved_at=Subquery(report.values("submitted_at")[:1]), resolution=Resolution.LATE_REPORT
    )
    excuse = ExcusedDay.objects.filter(
        election=OuterRef("election"), regency=OuterRef("regency"), date=OuterRef("date")
    )
    resolved += open_flags.filter(Exists(excuse)).update(
        resolved_at=Subquery(excuse.values("excused_at")[:1]),
        resolved_by=Subquery(excuse.values("excused_by")[:1]),
        resolution=Resolution.EXCUSED,
    )
    return resolved


def _logistics(election, now):
    counts = Counter()
    if now < election.logistics_deadline:
        return counts
    short = regencies_with_shortfall(election=election)
    day = election.logistics_deadline.astimezone(election.zone).date()
    flagged = set(
        Flag.objects.filter(election=election, kind=FlagKind.LOGISTICS_UNCONFIRMED).values_list("regency_id", flat=True)
    )
    new_flags = [
        Flag(election=election, regency_id=code, kind=FlagKind.LOGISTICS_UNCONFIRMED, date=day,
             raised_at=election.logistics_deadline)
        for code in sorted(short - flagged)
    ]
    Flag.objects.bulk_create(new_flags, ignore_conflicts=True)
    counts["logistics_flags_raised"] = len(new_flags)
    counts["logistics_flags_resolved"] = logistics_flags_resolve(
        open_flags=Flag.objects.open().filter(election=election), short=short, now=now
    )
    return counts


def logistics_flags_resolve(*, open_flags, short: set[str], now: dt.datetime) -> int:
    """Resolve the open logistics flags among `open_flags` whose regency is not in `short` (receipts cover it).

    The resolution is dated with the latest receipt (the one that completed the
    cover), not with the moment the job noticed it.
    """
    open_flags = open_flags.filter(kind=FlagKind.LOGISTICS_UNCONFIRMED)
    last_receipt = (
        LogisticsReceipt.objects.filter(election=OuterRef("election"), regency=OuterRef("regency"))
        .values("regency").annotate(last=Max("created_at")).values("last")[:1]
    )
    covered = list(open_flags.exclude(regency_id__in=short).values_list("pk", flat=True))
    if not covered:
        return 0
    # Complete without any receipt means nothing was expected: date it now.
    return Flag.objects.open().filter(pk__in=covered).update(
        resolved_at=Coalesce(Subquery(last_receipt), Value(now)), resolution=Resolution.RECEIPTS
    )
