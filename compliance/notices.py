"""Notices of the compliance run: the reminder before the cutoff, a notice per fresh flag, the digest.

They go by e-mail, and the reminders and flag notices also to the phones the
regency's officers chose (`contacts.selectors.province_desk_phones`: WhatsApp
or SMS). Each notice has a unique key per channel and phone (so two
overlapping runs queue it once) and is sent once: a guarded UPDATE claims it
before it leaves, a failure releases the claim for the next run, up to
Notice.MAX_ATTEMPTS.

SMS carries a short text; so does WhatsApp while the officer's phone wrote to
us in the last 24 hours (`contacts.selectors.whatsapp_window_open`, decided
when the notice leaves). Outside that window WhatsApp delivers only an
approved template; ours, named in settings, take these body parameters:

- WHATSAPP_TEMPLATE_REMINDER (daily report): {{1}} regency, {{2}} date, {{3}} deadline ("20.00 WITA");
- WHATSAPP_TEMPLATE_ROUND_REMINDER (voting-day round): {{1}} round, {{2}} regency, {{3}} deadline;
- WHATSAPP_TEMPLATE_FLAG: {{1}} regency, {{2}} what was missed (kind, and its round or level), {{3}} date.
"""

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.selectors import province_desk_emails
from contacts.channels import ChannelError, send_template, send_text
from contacts.selectors import province_desk_phones, whatsapp_window_open
from elections.models import Election
from regions.models import Regency
from reports.constants import DayState
from reports.selectors import day_states

from .models import Flag, Notice, NoticeChannel, NoticeKind
from .voting_day import round_reminders

log = logging.getLogger(__name__)

REMINDER_LEAD = dt.timedelta(hours=1)
FLAG_NOTICE_WINDOW = dt.timedelta(hours=24)
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
SEND_BATCH = 200
# A channel that failed this many times in a row is not tried again in the same run: with its provider down,
# each attempt could wait for the timeout, and the notices of the other channels would wait behind it.
CHANNEL_FAILURES_TO_PAUSE = 3


def notices_queue(*, election: Election, now: dt.datetime) -> int:
    """Queue the notices due at `now` for one election (each once, by its key); the number queued."""
    officers, secretariat = province_desk_emails(province_code=election.province_id)
    phones = province_desk_phones(province_code=election.province_id)
    regency_names = dict(Regency.objects.filter(province_id=election.province_id).values_list("code", "name"))
    notices = []
    today = election.local_date(now)
    deadline = election.report_deadline(today)

    # Reminder: an hour before today's cutoff, to desks that have not reported.
    if election.in_reporting_window(today) and deadline - REMINDER_LEAD <= now < deadline:
        # Still due by the reports app's rule: no report and no excuse for today.
        states = day_states(election=election, regencies=list(regency_names), dates=[today], now=now)
        local_deadline = f"{deadline:%H.%M} {deadline.tzname()}"  # "20.00 WITA"
        for code, name in regency_names.items():
            if states.get((code, today)) != DayState.DUE:
                continue
            values = {"regency": name, "date": date_format(today), "deadline": local_deadline,
                      "time": f"{deadline:%H.%M}", "zone": deadline.tzname()}
            key = f"reminder:{election.pk}:{code}:{today}"
            subject = _("Pengingat: laporan harian %(regency)s %(date)s belum masuk") % values
            if officers.get(code):
                notices.append(Notice(
                    key=key, kind=NoticeKind.REMINDER, recipients=officers[code], subject=subject,
                    body=_("Laporan harian Desk Pilkada %(regency)s untuk %(date)s belum diterima. "
                           "Batas waktu pukul %(time)s %(zone)s. "
                           "Laporan tetap wajib walaupun tidak ada kejadian menonjol.") % values,
                    created_at=now,
                ))
            notices += Notice.by_phone(
                phones.get(code, []), key=key, kind=NoticeKind.REMINDER, subject=subject, created_at=now,
                text=_("Desk Pilkada: laporan harian %(regency)s %(date)s belum masuk, batas pukul %(deadline)s. "
                       "Balas NIHIL bila tidak ada kejadian menonjol.") % values,
                template=settings.WHATSAPP_TEMPLATE_REMINDER, params=[name, values["date"], local_deadline],
            )

    # Voting day: a reminder before each round's due time (compliance.voting_day).
    notices += round_reminders(election=election, now=now, lead=REMINDER_LEAD, officers=officers, phones=phones,
                               regency_names=regency_names)

    # A notice for each flag raised in the last day (older ones are history, not news). A province-level flag
    # (no regency) goes to the secretariat only.
    fresh = Flag.objects.open().filter(election=election, raised_at__gt=now - FLAG_NOTICE_WINDOW, raised_at__lte=now)
    for flag in fresh:
        name = regency_names.get(flag.regency_id, flag.regency_id) if flag.regency_id else election.province.name
        place = flag.regency_id or election.province_id
        key = f"flag:{place}:{flag.kind}:{flag.date}" + (f":{flag.subject}" if flag.subject else "")
        values = {"regency": name, "kind": flag.get_kind_display(), "date": date_format(flag.date),
                  "deadline": date_format(timezone.localtime(flag.raised_at, election.zone), "DATETIME_FORMAT")}
        subject = _("Tanda kepatuhan: %(regency)s - %(kind)s (%(date)s)") % values
        recipients = sorted(set(officers.get(flag.regency_id, [])) | set(secretariat))
        if recipients:
            notices.append(Notice(
                key=key, kind=NoticeKind.FLAG_RAISED, recipients=recipients, subject=subject,
                body=_("%(regency)s: %(kind)s untuk %(date)s, batas waktu %(deadline)s.") % values,
                created_at=now,
            ))
        missed = f"{values['kind']} ({flag.subject_display})" if flag.subject else values["kind"]
        notices += Notice.by_phone(
            phones.get(flag.regency_id, []), key=key, kind=NoticeKind.FLAG_RAISED, subject=subject, created_at=now,
            text=_("Desk Pilkada, tanda kepatuhan: %(regency)s - %(missed)s untuk %(date)s, batas waktu "
                   "%(deadline)s.") % {**values, "missed": missed},
            template=settings.WHATSAPP_TEMPLATE_FLAG, params=[name, missed, values["date"]],
        )

    # Daily digest to the secretariat, once the day's cutoff has passed.
    day = election.last_due_date(now)
    if secretariat and election.in_reporting_window(day) and now - election.report_deadline(day) < FLAG_NOTICE_WINDOW:
        # The day's states are the reports app's (the rule of on time, late, excused and missed has one owner),
        # so the count of missing regencies always equals the names listed beside it.
        states = day_states(election=election, regencies=list(regency_names), dates=[day], now=now)
        count = {state: 0 for state in DayState}
        for state in states.values():
            count[state] += 1
        missing_names = ", ".join(
            regency_names[code] for (code, _day), state in sorted(states.items()) if state == DayState.MISSED
        )
        notices.append(Notice(
            key=f"digest:{election.pk}:{day}", kind=NoticeKind.DIGEST, recipients=secretariat,
            subject=_("Ringkasan Desk Pilkada %(date)s") % {"date": date_format(day)},
            body=_("%(election)s, %(date)s: %(on_time)s laporan tepat waktu, %(late)s terlambat, "
                   "%(excused)s dikecualikan, %(missing)s belum masuk%(names)s. Tanda terbuka: %(open)s.") % {
                "election": election.name, "date": date_format(day), "on_time": count[DayState.ON_TIME],
                "late": count[DayState.LATE], "excused": count[DayState.EXCUSED], "missing": count[DayState.MISSED],
                "names": f": {missing_names}" if missing_names else "",
                "open": Flag.objects.open().filter(election=election).count()},
            created_at=now,
        ))
    known = set(Notice.objects.filter(key__in={notice.key for notice in notices})
                .values_list("key", "channel", "phone"))
    fresh_notices = [notice for notice in notices if (notice.key, notice.channel, notice.phone) not in known]
    # The unique key still decides when two runs overlap.
    Notice.objects.bulk_create(fresh_notices, ignore_conflicts=True)
    return len(fresh_notices)


def _deliver(notice: Notice, now: dt.datetime) -> str:
    """Send one notice on its channel; the provider's message id ("" for e-mail)."""
    if notice.channel == NoticeChannel.EMAIL:
        send_mail(notice.subject, notice.body, None, notice.recipients)
        return ""
    if notice.channel == NoticeChannel.WHATSAPP and not whatsapp_window_open(phone=notice.phone, now=now):
        return send_template(to=notice.phone, name=notice.template["name"], params=notice.template["params"],
                             language=notice.template.get("language") or settings.WHATSAPP_TEMPLATE_LANGUAGE)
    return send_text(channel=notice.channel, to=notice.phone, text=notice.body)


def notices_send(*, limit: int = SEND_BATCH) -> int:
    """Send unsent notices, each once: a guarded UPDATE claims a notice before it is sent."""
    now = timezone.now()
    stale = now - CLAIM_TIMEOUT
    claimable = Q(sent_at__isnull=True, attempts__lt=Notice.MAX_ATTEMPTS) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    )
    sent = 0
    failures = dict.fromkeys(NoticeChannel.values, 0)  # in a row, per channel
    pending = Notice.objects.filter(claimable).order_by("created_at", "pk").values_list("pk", "channel")[:limit]
    for pk, channel in list(pending):
        if failures[channel] >= CHANNEL_FAILURES_TO_PAUSE:
            continue  # left unclaimed, its attempts untouched: the next run tries again
        if not Notice.objects.filter(claimable, pk=pk).update(claimed_at=now, attempts=F("attempts") + 1):
            continue  # another worker claimed it first
        notice = Notice.objects.get(pk=pk)
        try:
            provider_id = _deliver(notice, now)
        except (OSError, smtplib.SMTPException, ChannelError) as error:
            # Release the claim: the next run retries, up to MAX_ATTEMPTS.
            log.warning("notice %s (%s) not sent: %s", notice.key, notice.channel, error)
            Notice.objects.filter(pk=pk).update(claimed_at=None, last_error=str(error)[:1000])
            failures[channel] += 1
            continue
        failures[channel] = 0
        Notice.objects.filter(pk=pk).update(sent_at=timezone.now(), last_error="", provider_id=provider_id[:200])
        sent += 1
    return sent
