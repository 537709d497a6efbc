"""Flags of voting day and after: `missed_voting_round` and `recap_overdue`.

The rules are votingday's (`votingday.selectors`): which rounds were not in
by their due time, which recapitulation levels were not done by their
window's end (the province's own level gives a flag with no regency). Here
they only become flags, the way the daily ones do: raised once (a unique key
per regency, or per election for the province's flag, and kind, date and
subject; inserted with ON CONFLICT DO NOTHING), dated with the deadline that was missed, resolved by
guarded UPDATEs. A round that came in late gets its flag raised and resolved
at once, dated with its submission. Neither is excusable.
"""

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from elections.models import Election
from votingday.constants import Round
from votingday.models import VotingRound
from votingday.selectors import recap_levels_overdue, voting_rounds_overdue

from .models import Flag, FlagKind, Notice, NoticeKind, Resolution


def voting_day_flags(*, elections: list[Election], now: dt.datetime) -> Counter:
    """Raise and resolve both kinds for `elections` as of `now`; a fixed number of queries."""
    counts = Counter({"round_flags_raised": 0, "round_flags_resolved": 0, "recap_flags_raised": 0,
                      "recap_flags_resolved": 0})
    if not elections:
        return counts
    rounds = voting_rounds_overdue(elections=elections, now=now)
    counts["round_flags_raised"] = _raise(FlagKind.MISSED_VOTING_ROUND, rounds, Resolution.ROUND_IN)
    counts["round_flags_resolved"] = _resolve_rounds(elections)
    recaps = recap_levels_overdue(elections=elections, now=now)
    counts["recap_flags_raised"] = _raise(FlagKind.RECAP_OVERDUE, recaps, Resolution.RECAP_DONE)
    still = {(item.election_id, item.regency, item.subject, item.date) for item in recaps}
    counts["recap_flags_resolved"] = _resolve_recaps(elections, still, now)
    return counts


def _raise(kind, overdue, resolution):
    """New flags for the overdue keys not flagged yet (a late one resolved at once, dated with its arrival)."""
    if not overdue:
        return 0
    flagged = set(Flag.objects.filter(election__in={item.election_id for item in overdue}, kind=kind)
                  .values_list("regency_id", "subject", "date"))
    flags = [
        Flag(election_id=item.election_id, regency_id=item.regency, kind=kind, date=item.date,
             subject=item.subject, raised_at=item.deadline, resolved_at=item.done_at,
             resolution=resolution if item.done_at else "")
        for item in overdue
        if (item.regency, item.subject, item.date) not in flagged
    ]
    # The unique key still decides when two runs overlap: a key flagged meanwhile is left alone.
    Flag.objects.bulk_create(flags, ignore_conflicts=True)
    return len(flags)


def _resolve_rounds(elections):
    """Open round flags whose round has come in since: resolved, dated with its submission (one UPDATE)."""
    arrived = VotingRound.objects.filter(
        election=OuterRef("election"), regency=OuterRef("regency"), round=OuterRef("subject"), day=OuterRef("date"))
    return (
        Flag.objects.open().filter(election__in=elections, kind=FlagKind.MISSED_VOTING_ROUND)
        .filter(Exists(arrived))
        .update(resolved_at=Subquery(arrived.values("submitted_at")[:1]), resolution=Resolution.ROUND_IN)
    )


def _resolve_recaps(elections, still_overdue, now):
    """Open recapitulation flags whose level is done now: resolved as of `now`."""
    open_flags = Flag.objects.open().filter(election__in=elections, kind=FlagKind.RECAP_OVERDUE)
    done = [pk for pk, *key in open_flags.values_list("pk", "election_id", "regency_id", "subject", "date")
            if tuple(key) not in still_overdue]
    if not done:
        return 0
    return Flag.objects.open().filter(pk__in=done).update(resolved_at=now, resolution=Resolution.RECAP_DONE)


def round_reminders(*, election: Election, now: dt.datetime, lead: dt.timedelta, officers: dict[str, list[str]],
                    phones: dict[str, list], regency_names: dict[str, str]) -> list[Notice]:
    """Reminders, `lead` before a round's due time, to the officers whose regency has not sent it (one query).

    By e-mail to `officers` and to their chosen `phones` ({regency code: [(channel, phone)]}).
    """
    due = [code for code in Round.values if election.round_deadline(code) - lead <= now < election.round_deadline(code)]
    if not due:
        return []
    sent = set(VotingRound.objects.filter(election=election, day=election.voting_day, round__in=due)
               .values_list("regency_id", "round"))
    notices = []
    for round_code in due:
        deadline = election.round_deadline(round_code)
        for code, name in regency_names.items():
            if (code, round_code) in sent:
                continue
            values = {"round": Round(round_code).label, "regency": name, "time": f"{deadline:%H.%M}",
                      "zone": deadline.tzname()}
            key = f"reminder:{election.pk}:{code}:{election.voting_day}:{round_code}"
            subject = _("Pengingat: laporan tahap %(round)s %(regency)s belum masuk") % values
            if officers.get(code):
                notices.append(Notice(
                    key=key, kind=NoticeKind.REMINDER, recipients=officers[code], created_at=now, subject=subject,
                    body=_("Laporan tahap %(round)s hari pencoblosan Desk Pilkada %(regency)s belum diterima. "
                           "Batas waktu pukul %(time)s %(zone)s.") % values,
                ))
            notices += Notice.by_phone(
                phones.get(code, []), key=key, kind=NoticeKind.REMINDER, subject=subject, created_at=now,
                text=_("Desk Pilkada: laporan tahap %(round)s %(regency)s belum masuk, batas pukul %(time)s "
                       "%(zone)s.") % values,
                template=settings.WHATSAPP_TEMPLATE_ROUND_REMINDER,
                params=[values["round"], name, f"{values['time']} {values['zone']}"],
            )
    return notices
