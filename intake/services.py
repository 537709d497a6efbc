"""Field messages: store what a webhook brings (first), apply each message once, send each reply once.

Never lose a message, never apply one twice:
- the webhook only stores the raw events (the provider's id is unique per channel, so a delivery
  repeated, also concurrently, stores nothing new) and, after commit, queues their application;
- applying claims the message with a guarded UPDATE (state `received` -> `done`) inside the
  transaction that applies it and queues its reply: a second worker finds nothing to claim, and a
  worker killed half-way rolls everything back, leaving the message for the next run;
- queuing may fail (Redis down): `intake_sweep` (Celery beat, every minute) applies what waits;
- the reply is an outbox row, unique per inbound message, sent by a worker after commit and retried.
"""

import datetime as dt
import logging
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from contacts.channels import ChannelError, MediaTooLarge, send_text, whatsapp_media_download
from contacts.phones import phone_or_none
from contacts.services import contact_for_phone, contact_whatsapp_heard
from elections.models import Election
from regions.models import PollingStation
from reports.constants import NOTHING_NOTABLE
from reports.services import ReportExists, report_submit
from violations.constants import EVIDENCE_MAX_BYTES, EvidenceKind
from violations.evidence import evidence_kind
from violations.services import evidence_problems
from votingday.constants import TpsState
from votingday.services import tps_status_record

from . import replies
from .constants import REPLY_MAX_LENGTH, SEND_MAX_ATTEMPTS, Channel, Kind, Outcome, SendState, State, TpsStatus
from .models import DeliveryStatus, InboundMessage, OutboundMessage
from .parsing import parse_text
from .providers import IncomingEvent, StatusEvent

logger = logging.getLogger(__name__)

# A message the on-commit task has not picked up within this time is applied by the sweep.
SWEEP_GRACE = dt.timedelta(seconds=30)
# A reply claimed for sending this long ago without an answer (worker killed) is tried again.
SENDING_STALE = dt.timedelta(minutes=5)


# After the broker refused a job, jobs are not offered to it for this long (the sweep runs them):
# reaching a Redis that is down costs seconds, which a webhook must not spend on every request.
BROKER_PAUSE_SECONDS = 60
_broker_failed_at: float | None = None


def _enqueue(task_name: str, *ids: int) -> None:
    """Queue a task per id; with the broker down the rows wait for the sweep."""
    global _broker_failed_at
    from . import tasks  # the tasks call back into this module

    if _broker_failed_at is not None and time.monotonic() - _broker_failed_at < BROKER_PAUSE_SECONDS:
        return
    task = getattr(tasks, task_name)
    for pk in ids:
        try:
            task.apply_async(args=[pk], retry=False)
        except (KombuError, OSError, RedisError) as error:
            _broker_failed_at = time.monotonic()
            logger.warning("intake: %s(%s) not queued (%s); the sweep will run it", task_name, pk,
                           type(error).__name__)
            return
    _broker_failed_at = None


def webhook_store(*, events: list[IncomingEvent], statuses: list[StatusEvent], now: dt.datetime) -> list[int]:
    """Store the events of one verified webhook request; the ids of the messages new to us."""
    new_ids = []
    with transaction.atomic():
        for event in events:
            try:
                with transaction.atomic():
                    message = InboundMessage.objects.create(
                        channel=event.channel, provider_id=event.provider_id[:200],
                        sender=phone_or_none(event.sender) or event.sender[:32], reply_to=event.sender[:32],
                        received_at=now, sent_at=event.sent_at, text=event.text, media_id=event.media_id,
                        raw=event.raw,
                    )
            except IntegrityError:
                continue  # delivered before (or right now by a concurrent request): stored once already
            new_ids.append(message.pk)
        if statuses:
            DeliveryStatus.objects.bulk_create(
                [DeliveryStatus(channel=status.channel, provider_id=status.provider_id[:200], status=status.status,
                                at=status.at or now, raw=status.raw) for status in statuses],
                ignore_conflicts=True,
            )
            for status in statuses:
                OutboundMessage.objects.filter(channel=status.channel, provider_id=status.provider_id).update(
                    delivery=status.status
                )
        if new_ids:
            transaction.on_commit(lambda: _enqueue("intake_apply", *new_ids))
    return new_ids


def _rate_limited(message: InboundMessage) -> bool:
    window_start = message.received_at - settings.INTAKE_RATE_WINDOW
    recent = InboundMessage.objects.filter(
        sender=message.sender, received_at__gt=window_start, received_at__lte=message.received_at, pk__lte=message.pk
    ).count()
    return recent > settings.INTAKE_RATE_LIMIT


def _result(message, outcome, reply):
    message.outcome, message.reply = outcome, str(reply)[:REPLY_MAX_LENGTH]


def _apply_report(message, contact, parsed, *, nil):
    if contact.user_id is None:
        return _result(message, Outcome.REFUSED, replies.officer_only())
    if parsed.problem:
        return _result(message, Outcome.REFUSED, replies.report_format())
    election = Election.objects.active_for(contact.regency)
    data = {
        "report_date": election.local_date(message.received_at) if election else None,
        "situation": parsed.fields["situation"],
        "summary": parsed.fields.get("summary") or str(NOTHING_NOTABLE),
        "sources": [],
    }
    try:
        # The same service as the web form and the API: its rules, lateness, flag resolution, history.
        # The message's arrival is the moment of submission (a sweep after an outage is not "late").
        report = report_submit(election=election, regency=contact.regency, by=contact.user, data=data,
                               now=message.received_at)
    except ReportExists as exists:
        message.report = exists.existing
        return _result(message, Outcome.REFUSED, replies.report_exists(exists.existing))
    except ValidationError as error:
        return _result(message, Outcome.REFUSED, replies.report_refused(" ".join(error.messages)))
    except PermissionDenied:
        return _result(message, Outcome.REFUSED, replies.officer_only())
    message.report = report
    return _result(message, Outcome.APPLIED, replies.report_stored(report, nil=nil))


def _apply_photo(message):
    if message.channel != Channel.WHATSAPP or not message.media_id:
        return _result(message, Outcome.REFUSED, replies.unknown())
    try:
        content, _mime = whatsapp_media_download(message.media_id, max_bytes=EVIDENCE_MAX_BYTES)
    except MediaTooLarge as large:
        reason = _("foto %(size)s terlalu besar: maksimal %(max)s.") % {
            "size": filesizeformat(large.size), "max": filesizeformat(EVIDENCE_MAX_BYTES)}
        return _result(message, Outcome.REFUSED, replies.photo_refused(reason))
    except ChannelError as error:
        logger.warning("intake: media of message %s not downloaded: %s", message.pk, error)
        return _result(message, Outcome.REFUSED, replies.photo_refused(_("unduhan gagal; kirim ulang fotonya.")))
    upload = ContentFile(content, name=f"whatsapp-{message.pk}.jpg")
    # The checks of any evidence upload: type by content, size; a PDF is evidence but not a photo.
    problems = evidence_problems(upload)
    kind = evidence_kind(upload)
    if not problems and kind not in (EvidenceKind.JPEG, EvidenceKind.PNG):
        problems = {"file": _("isinya bukan foto JPEG/PNG.")}
    if problems:
        return _result(message, Outcome.REFUSED, replies.photo_refused(problems["file"]))
    # Stored byte for byte (EXIF kept); it becomes the incident's evidence when the officer completes the draft.
    message.photo.save("photo.png" if kind == EvidenceKind.PNG else "photo.jpg", upload, save=False)
    return _result(message, Outcome.DRAFT, replies.photo_draft())


# What a message says -> the voting-day status it sets ("SELESAI": counting finished).
TPS_STATES = {TpsStatus.OPEN: TpsState.OPEN, TpsStatus.CLOSED: TpsState.CLOSED, TpsStatus.DONE: TpsState.COUNTED,
              TpsStatus.PROBLEM: TpsState.PROBLEM}


def _apply_tps(message, contact, parsed):
    if contact.village_id is None:
        return _result(message, Outcome.REFUSED, replies.tps_no_village())
    if parsed.problem:
        return _result(message, Outcome.REFUSED, replies.tps_format())
    number = parsed.fields["number"]
    station = PollingStation.objects.filter(village=contact.village, number=number).select_related("village").first()
    if station is None:
        return _result(message, Outcome.REFUSED, replies.tps_unknown(number, contact.village))
    message.parsed = {**parsed.fields, "tps": station.pk}
    # The voting-day app owns the TPS's status (latest message wins, only on a voting day for that TPS).
    try:
        tps_status_record(tps=station, status=TPS_STATES[parsed.fields["status"]], note=parsed.fields["note"],
                          at=message.sent_at or message.received_at, source=message.channel)
    except ValidationError as refused:
        reason = " ".join(str(text) for texts in refused.message_dict.values() for text in texts)
        return _result(message, Outcome.REFUSED, replies.tps_refused(station, reason))
    label = TpsStatus(parsed.fields["status"]).label
    return _result(message, Outcome.APPLIED, replies.tps_stored(station, label))


def _apply(message: InboundMessage) -> None:
    """Decide what the message does and do it (on the message's own fields and through the services)."""
    parsed = parse_text(message.text, has_photo=bool(message.media_id))
    message.kind, message.parsed = parsed.kind, parsed.fields
    contact = contact_for_phone(message.sender)
    if contact is not None:
        message.contact = contact
        message.regency_id, message.district_id, message.village_id = (
            contact.regency_id, contact.district_id, contact.village_id)
        if message.channel == Channel.WHATSAPP:
            # WhatsApp's 24-hour window for free text to this phone runs from the moment it wrote (never later
            # than when it reached us); the compliance notices read it when they send.
            written = min(message.sent_at or message.received_at, message.received_at)
            contact_whatsapp_heard(phone=message.sender, at=written)
    if _rate_limited(message):
        # Stored and shown, not applied, not answered: a flood gets no flood of replies.
        message.rate_limited = True
        return _result(message, Outcome.UNREGISTERED if contact is None else Outcome.REFUSED, "")
    if contact is None:
        return _result(message, Outcome.UNREGISTERED, replies.unregistered())
    if parsed.kind in (Kind.NIL_REPORT, Kind.REPORT):
        return _apply_report(message, contact, parsed, nil=parsed.kind == Kind.NIL_REPORT)
    if parsed.kind == Kind.INFO:
        if parsed.problem:
            return _result(message, Outcome.REFUSED, replies.info_format())
        return _result(message, Outcome.APPLIED, replies.info_stored(contact.place))
    if parsed.kind == Kind.PHOTO:
        return _apply_photo(message)
    if parsed.kind == Kind.TPS:
        return _apply_tps(message, contact, parsed)
    return _result(message, Outcome.REFUSED, replies.unknown())


def message_apply(*, message_id: int, now: dt.datetime) -> InboundMessage | None:
    """Apply a stored message and queue its reply, once; None when it was applied already (or is being)."""
    with transaction.atomic():
        # The guarded claim: of two workers (or a worker and the sweep) only one updates the row; the other
        # waits for its commit and then finds it no longer `received`. Rolled back with everything else.
        claimed = InboundMessage.objects.filter(pk=message_id, state=State.RECEIVED).update(
            state=State.DONE, applied_at=now
        )
        if not claimed:
            return None
        message = InboundMessage.objects.get(pk=message_id)
        _apply(message)
        message.save()
        if message.reply:
            outbound = OutboundMessage.objects.create(
                inbound=message, channel=message.channel, to=message.reply_to, text=message.reply, created_at=now
            )
            transaction.on_commit(lambda: _enqueue("intake_send", outbound.pk))
    return message


def reply_send(*, outbound_id: int, now: dt.datetime) -> bool:
    """Send one reply if it is still to be sent; True once sent. ChannelError (recorded) to retry later."""
    claimed = OutboundMessage.objects.filter(
        Q(state=SendState.PENDING) | Q(state=SendState.SENDING, claimed_at__lt=now - SENDING_STALE),
        pk=outbound_id, attempts__lt=SEND_MAX_ATTEMPTS,
    ).update(state=SendState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    outbound = OutboundMessage.objects.get(pk=outbound_id)
    try:
        provider_id = send_text(channel=outbound.channel, to=outbound.to, text=outbound.text)
    except ChannelError as error:
        OutboundMessage.objects.filter(pk=outbound_id).update(
            state=SendState.FAILED if outbound.attempts >= SEND_MAX_ATTEMPTS else SendState.PENDING,
            last_error=str(error)[:500],
        )
        raise
    OutboundMessage.objects.filter(pk=outbound_id).update(
        state=SendState.SENT, sent_at=now, provider_id=provider_id[:200], last_error=""
    )
    return True


def intake_sweep(*, now: dt.datetime, grace: dt.timedelta = SWEEP_GRACE) -> dict[str, int]:
    """Apply the messages left waiting and send the replies left unsent (Redis was down, a worker died)."""
    waiting = list(InboundMessage.objects.filter(state=State.RECEIVED, received_at__lte=now - grace)
                   .order_by("received_at", "pk").values_list("pk", flat=True)[:500])
    applied = 0
    for pk in waiting:
        try:
            applied += message_apply(message_id=pk, now=now) is not None
        except Exception:
            # Rolled back and left `received`: logged, and it does not hold up the messages behind it.
            logger.exception("intake: message %s could not be applied; it stays waiting", pk)
    unsent = list(OutboundMessage.objects.filter(
        Q(state=SendState.PENDING) | Q(state=SendState.SENDING, claimed_at__lt=now - SENDING_STALE),
        attempts__lt=SEND_MAX_ATTEMPTS, created_at__lte=now - grace,
    ).order_by("created_at", "pk").values_list("pk", flat=True)[:500])
    sent = 0
    for pk in unsent:
        try:
            sent += reply_send(outbound_id=pk, now=now)
        except ChannelError:
            continue
    return {"applied": applied, "sent": sent}
