"""The compliance job: raise and resolve flags as of a moment, queue and send notices.

`check_compliance(now=...)` is what the Celery task and the management command
run. It is set-based (a handful of queries per active election, whatever the
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
import logging
import smtplib
from collections import Counter
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import Role
from elections.models import Election
from logistics.models import LogisticsReceipt
from logistics.selectors import regencies_with_shortfall
from pilkada_desk.bulk import Upsert
from pilkada_desk.validators import text_messages
from regions.models import Regency
from reports.models import DailyReport, ExcusedDay
from reports.selectors import uncovered_days_by_election

from .models import FLAG_NOTE_MAX_LENGTH, Flag, FlagKind, Notice, NoticeKind, Resolution
from .voting_day import round_reminders, voting_day_flags

log = logging.getLogger(__name__)

REMINDER_LEAD = dt.timedelta(hours=1)
FLAG_NOTICE_WINDOW = dt.timedelta(hours=24)
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
SEND_BATCH = 200


def check_compliance(*, now: dt.datetime, notify: bool = True) -> dict[str, int]:
    """Raise and resolve every flag as of `now` for all active elections; queue and send notices."""
    summary = Counter()
    elections = list(Election.objects.active().select_related("province"))
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
            if notify:
                # Notices are written in the site's language, whoever runs the job.
                with translation.override(settings.LANGUAGE_CODE):
                    summary["notices_queued"] += _queue_notices(election, now)
    if notify:
        # Notices leave only once what queued them is committed.
        transaction.on_commit(partial(notices_send, limit=SEND_BATCH))
    return dict(summary)


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


def _day_flag(*, election_id, regency_id, date):
    """The open missed-report flag of one regency-day: at most one, by its unique key."""
    return Flag.objects.open().filter(
        election_id=election_id, regency_id=regency_id, date=date, kind=FlagKind.MISSED_DAILY_REPORT
    )


def flag_resolve_by_report(report: DailyReport) -> int:
    """Resolve the missed-report flag of a late report's own day, dated with its submission.

    Called in the transaction that stores the report: the day is covered by
    that report, so no look-up of reports is needed.
    """
    return _day_flag(
        election_id=report.election_id, regency_id=report.regency_id, date=report.report_date
    ).update(resolved_at=report.submitted_at, resolution=Resolution.LATE_REPORT)


def flag_resolve_by_excuse(excuse: ExcusedDay) -> int:
    """Resolve the missed-report flag of an excused day, by whoever excused it and when.

    Called in the transaction that stores the excuse.
    """
    return _day_flag(election_id=excuse.election_id, regency_id=excuse.regency_id, date=excuse.date).update(
        resolved_at=excuse.excused_at, resolved_by=excuse.excused_by, resolution=Resolution.EXCUSED
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
    counts["logistics_flags_resolved"] = flags_resolve_logistics(election=election, short=short, now=now)
    return counts


def flags_resolve_logistics(
    *, election: Election, now: dt.datetime, short: set[str] | None = None, regency: Regency | None = None
) -> int:
    """Resolve open logistics flags of regencies whose receipts now cover every item.

    The resolution is dated with the latest receipt (the one that completed the
    cover), not with the moment the job noticed it.
    """
    if short is None:
        codes = [regency.code] if regency is not None else None
        short = regencies_with_shortfall(election=election, regency_codes=codes)
    open_flags = Flag.objects.open().filter(election=election, kind=FlagKind.LOGISTICS_UNCONFIRMED)
    if regency is not None:
        open_flags = open_flags.filter(regency=regency)
    last_receipt = (
        LogisticsReceipt.objects.filter(election=election, regency=OuterRef("regency"))
        .values("regency").annotate(last=Max("created_at")).values("last")[:1]
    )
    covered = list(open_flags.exclude(regency_id__in=short).values_list("pk", flat=True))
    if not covered:
        return 0
    # Complete without any receipt means nothing was expected: date it now.
    return Flag.objects.open().filter(pk__in=covered).update(
        resolved_at=Coalesce(Subquery(last_receipt), Value(now)), resolution=Resolution.RECEIPTS
    )


def flag_dismiss(*, flag: Flag, by: AbstractBaseUser, note: str, now: dt.datetime) -> bool:
    """The secretariat closes an open flag by hand, saying why."""
    if messages := text_messages(note, FLAG_NOTE_MAX_LENGTH):
        raise ValidationError({"note": messages})
    updated = Flag.objects.open().filter(pk=flag.pk).update(
        resolved_at=now, resolution=Resolution.DISMISSED, resolved_by=by, note=note
    )
    flag.refresh_from_db()
    return bool(updated)


# --- notices -----------------------------------------------------------------


def _emails(users):
    return sorted({user.email for user in users if user.email})


def _recipients(election):
    """{regency code: [officer e-mails]} and the secretariat's e-mails for the election's province."""
    User = get_user_model()
    users = User.objects.filter(
        is_active=True, desk_profile__isnull=False, groups__name__in=[Role.OFFICER, Role.SECRETARIAT]
    ).filter(
        Q(desk_profile__regency__province_id=election.province_id) | Q(desk_profile__province_id=election.province_id)
    ).select_related("desk_profile").distinct()
    officers, secretariat = {}, []
    for user in users:
        if user.desk_profile.regency_id:
            officers.setdefault(user.desk_profile.regency_id, []).append(user)
        else:
            secretariat.append(user)
    return {code: _emails(people) for code, people in officers.items()}, _emails(secretariat)


def _queue_notices(election, now):
    officers, secretariat = _recipients(election)
    regency_names = dict(Regency.objects.filter(province_id=election.province_id).values_list("code", "name"))
    notices = []
    today = election.local_date(now)
    deadline = election.report_deadline(today)

    # Reminder: an hour before today's cutoff, to desks that have not reported.
    if election.in_reporting_window(today) and deadline - REMINDER_LEAD <= now < deadline:
        same_day = {"election": election, "regency__province_id": election.province_id}
        done = set(DailyReport.objects.filter(report_date=today, **same_day).values_list("regency_id", flat=True))
        done |= set(ExcusedDay.objects.filter(date=today, **same_day).values_list("regency_id", flat=True))
        local_deadline = f"{deadline:%H.%M}"  # "20.00", then the zone: "WITA"
        for code, name in regency_names.items():
            if code in done or not officers.get(code):
                continue
            notices.append(Notice(
                key=f"reminder:{election.pk}:{code}:{today}", kind=NoticeKind.REMINDER, recipients=officers[code],
                subject=_("Pengingat: laporan harian %(regency)s %(date)s belum masuk") % {
                    "regency": name, "date": date_format(today)},
                body=_("Laporan harian Desk Pilkada %(regency)s untuk %(date)s belum diterima. "
                       "Batas waktu pukul %(time)s %(zone)s. "
                       "Laporan tetap wajib walaupun tidak ada kejadian menonjol.") % {
                    "regency": name, "date": date_format(today), "time": local_deadline,
                    "zone": deadline.tzname()},
                created_at=now,
            ))

    # Voting day: a reminder before each round's due time (compliance.voting_day).
    notices += round_reminders(election=election, now=now, lead=REMINDER_LEAD, officers=officers,
                               regency_names=regency_names)

    # A notice for each flag raised in the last day (older ones are history, not news).
    fresh = Flag.objects.open().filter(election=election, raised_at__gt=now - FLAG_NOTICE_WINDOW, raised_at__lte=now)
    for flag in fresh:
        recipients = sorted(set(officers.get(flag.regency_id, [])) | set(secretariat))
        if not recipients:
            continue
        name = regency_names.get(flag.regency_id, flag.regency_id)
        notices.append(Notice(
            key=f"flag:{flag.regency_id}:{flag.kind}:{flag.date}" + (f":{flag.subject}" if flag.subject else ""),
            kind=NoticeKind.FLAG_RAISED,
            recipients=recipients,
            subject=_("Tanda kepatuhan: %(regency)s - %(kind)s (%(date)s)") % {
                "regency": name, "kind": flag.get_kind_display(), "date": date_format(flag.date)},
            body=_("%(regency)s: %(kind)s untuk %(date)s, batas waktu %(deadline)s.") % {
                "regency": name, "kind": flag.get_kind_display(), "date": date_format(flag.date),
                "deadline": date_format(timezone.localtime(flag.raised_at, election.zone), "DATETIME_FORMAT")},
            created_at=now,
        ))

    # Daily digest to the secretariat, once the day's cutoff has passed.
    day = election.last_due_date(now)
    if secretariat and election.in_reporting_window(day) and now - election.report_deadline(day) < FLAG_NOTICE_WINDOW:
        reports = DailyReport.objects.filter(election=election, report_date=day)
        on_time = reports.filter(is_late=False).count()
        late = reports.filter(is_late=True).count()
        missing = Flag.objects.open().filter(election=election, kind=FlagKind.MISSED_DAILY_REPORT, date=day)
        missing_names = ", ".join(regency_names[code] for code in missing.values_list("regency_id", flat=True))
        notices.append(Notice(
            key=f"digest:{election.pk}:{day}", kind=NoticeKind.DIGEST, recipients=secretariat,
            subject=_("Ringkasan Desk Pilkada %(date)s") % {"date": date_format(day)},
            body=_("%(election)s, %(date)s: %(on_time)s laporan tepat waktu, %(late)s terlambat, "
                   "%(missing)s belum masuk%(names)s. Tanda terbuka: %(open)s.") % {
                "election": election.name, "date": date_format(day), "on_time": on_time, "late": late,
                "missing": len(regency_names) - on_time - late,
                "names": f": {missing_names}" if missing_names else "",
                "open": Flag.objects.open().filter(election=election).count()},
            created_at=now,
        ))
    known = set(Notice.objects.filter(key__in=[notice.key for notice in notices]).values_list("key", flat=True))
    fresh_notices = [notice for notice in notices if notice.key not in known]
    # The unique key still decides when two runs overlap.
    Notice.objects.bulk_create(fresh_notices, ignore_conflicts=True)
    return len(fresh_notices)


def notices_send(*, limit: int = SEND_BATCH) -> int:
    """Send unsent notices, each once: a guarded UPDATE claims a notice before it is sent."""
    now = timezone.now()
    stale = now - CLAIM_TIMEOUT
    claimable = Q(sent_at__isnull=True, attempts__lt=Notice.MAX_ATTEMPTS) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )
    sent = 0
    for pk in list(Notice.objects.filter(claimable).order_by("created_at").values_list("pk", flat=True)[:limit]):
        if not Notice.objects.filter(claimable, pk=pk).update(claimed_at=now, attempts=F("attempts") + 1):
            continue  # another worker claimed it first
        notice = Notice.objects.get(pk=pk)
        try:
            send_mail(notice.subject, notice.body, None, notice.recipients)
        except (OSError, smtplib.SMTPException) as error:
            # Release the claim: the next run retries, up to MAX_ATTEMPTS.
            log.warning("notice %s not sent: %s", notice.key, error)
            Notice.objects.filter(pk=pk).update(claimed_at=None, last_error=str(error)[:1000])
            continue
        Notice.objects.filter(pk=pk).update(sent_at=timezone.now(), last_error="")
        sent += 1
    return sent
