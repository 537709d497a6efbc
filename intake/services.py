"""Field messages: store what a webhook brings (first), apply each message once, send each reply once.

Never lose a message, never apply one twice:
- the webhook only stores the raw events (the provider's id is unique per channel, so a delivery
  repeated, also concurrently, stores nothing new) and, after commit, queues their application;
- applying claims the messages with a guarded UPDATE (state `received` -> `done`; rows another
  worker holds are skipped) inside the transaction that applies them and queues their replies: a
  second worker finds nothing to claim, and a worker killed half-way rolls everything back, leaving
  the messages for the next run. A worker claims what waits in batches (one transaction, one read of
  the contacts for all): a burst costs a few statements per message, not a dozen;
- queuing may fail (Redis down): `intake_sweep` (Celery beat, every minute) applies what waits;
- the reply is an outbox row, unique per inbound message, sent by a worker after commit and retried.
"""

import datetime as dt
import json
import logging
import time
from contextlib import nullcontext

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from contacts.channels import ChannelError, MediaTooLarge, send_text, whatsapp_media_download
from contacts.phones import phone_or_none
from contacts.services import contacts_for_phones, contacts_whatsapp_heard
from elections.models import Election
from regions.models import PollingStation
from reports.constants import NOTHING_NOTABLE
from reports.services import ReportExists, report_submit
from violations.constants import EVIDENCE_MAX_BYTES, EvidenceKind
from violations.evidence import evidence_kind
from violations.services import evidence_problems
from votingday.constants import TpsState
from votingday.services import tps_statuses_from_field

from . import replies
from .constants import REPLY_MAX_LENGTH, SEND_MAX_ATTEMPTS, Channel, Kind, Outcome, SendState, State, TpsStatus
from .models import DeliveryStatus, InboundMessage, OutboundMessage
from .parsing import parse_text
from .providers import IncomingEvent, StatusEvent

logger = logging.getLogger(__name__)

# A message the on-commit task has not picked up within this time is applied by the sweep.
SWEEP_GRACE = dt.timedelta(seconds=30)
# The sweep applies at most this many messages a run (beat runs it every minute).
SWEEP_LIMIT = 500
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
    """Store the events of one verified webhook request; the ids of the messages new to us.

    Each event is stored on its own (one INSERT, committed by itself): a request that fails half-way is
    delivered again by the provider, and what it stored already is recognised by its provider id.
    """
    new_ids = []
    for event in events:
        try:
            # A savepoint only inside a caller's transaction (a failed INSERT must not break it).
            with transaction.atomic() if connection.in_atomic_block else nullcontext():
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
        with transaction.atomic():
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


def _recent_counts(ids: list[int]) -> dict[int, int]:
    """For each message, how many its sender sent in the rate window up to it (itself included): one query."""
    recent = InboundMessage.objects.filter(
        sender=OuterRef("sender"), received_at__gt=OuterRef("received_at") - settings.INTAKE_RATE_WINDOW,
        received_at__lte=OuterRef("received_at"), pk__lte=OuterRef("pk"),
    ).order_by().values("sender").annotate(n=Count("pk")).values("n")
    return dict(InboundMessage.objects.filter(pk__in=ids).annotate(recent=Subquery(recent)).values_list("pk", "recent"))


def _result(message, outcome, reply):
    message.outcome, message.reply = outcome, str(reply)[:REPLY_MAX_LENGTH]


def _apply_report(message, contact, parsed, *, nil, election):
    if contact.user_id is None:
        return _result(message, Outcome.REFUSED, replies.officer_only())
    if parsed.problem:
        return _result(message, Outcome.REFUSED, replies.report_format())
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


def _station_or_refuse(message, contact, parsed, stations):
    """The TPS a `TPS <nomor> ...` message is about, or None with the message refused."""
    if contact.village_id is None:
        return _result(message, Outcome.REFUSED, replies.tps_no_village())
    if parsed.problem:
        return _result(message, Outcome.REFUSED, replies.tps_format())
    station = stations.get((contact.village_id, parsed.fields["number"]))
    if station is None:
        return _result(message, Outcome.REFUSED, replies.tps_unknown(parsed.fields["number"], contact.village))
    station.village = contact.village  # for the reply: the same village, already read
    message.parsed = {**parsed.fields, "tps": station.pk}
    return station


def _record_tps(waiting, elections):
    """The voting-day app records the statuses (latest message wins, only on a voting day for that TPS)."""
    by_province = {}
    for message, contact, station in waiting:
        by_province.setdefault(contact.regency.province_id, []).append((message, station))
    for province, pairs in by_province.items():
        outcomes = tps_statuses_from_field(election=elections.get(province), entries=[
            (station, TPS_STATES[message.parsed["status"]], message.parsed["note"],
             message.sent_at or message.received_at, message.channel)
            for message, station in pairs
        ])
        for (message, station), errors in zip(pairs, outcomes, strict=True):
            if errors:
                reason = " ".join(str(text) for texts in errors.values() for text in texts)
                _result(message, Outcome.REFUSED, replies.tps_refused(station, reason))
            else:
                label = TpsStatus(message.parsed["status"]).label
                _result(message, Outcome.APPLIED, replies.tps_stored(station, label))


def _batch_reads(messages, parsed, contacts, recent):
    """The active elections and the TPS the batch's reports and TPS messages need, one query each."""
    provinces, tps_keys = set(), set()
    for message in messages:
        contact = contacts.get(message.sender)
        if contact is None or recent[message.pk] > settings.INTAKE_RATE_LIMIT:
            continue
        if message.kind in (Kind.NIL_REPORT, Kind.REPORT, Kind.TPS):
            provinces.add(contact.regency.province_id)
        if message.kind == Kind.TPS and contact.village_id and not parsed[message.pk].problem:
            tps_keys.add((contact.village_id, message.parsed["number"]))
    elections = {election.province_id: election
                 for election in Election.objects.active().filter(province_id__in=provinces)} if provinces else {}
    stations = {}
    if tps_keys:
        for station in PollingStation.objects.filter(village_id__in={village for village, _n in tps_keys},
                                                     number__in={number for _v, number in tps_keys}):
            stations[(station.village_id, station.number)] = station
    return elections, stations


def _apply_batch(messages: list[InboundMessage]) -> None:
    """Decide what each message does and do it (on the messages' own fields and through the services); the
    contacts, rate counts, elections and TPS are read once for the batch, the TPS statuses written at once."""
    parsed = {message.pk: parse_text(message.text, has_photo=bool(message.media_id)) for message in messages}
    contacts = contacts_for_phones({message.sender for message in messages})
    recent = _recent_counts([message.pk for message in messages])
    for message in messages:
        message.kind, message.parsed = parsed[message.pk].kind, parsed[message.pk].fields
        if (contact := contacts.get(message.sender)) is not None:
            message.contact = contact
            message.regency_id, message.district_id, message.village_id = (
                contact.regency_id, contact.district_id, contact.village_id)
    # WhatsApp's 24-hour window for free text to a phone runs from the moment it last wrote (never later than
    # when it reached us); the compliance notices read it when they send.
    heard = {}
    for message in messages:
        if message.channel == Channel.WHATSAPP and message.sender in contacts:
            written = min(message.sent_at or message.received_at, message.received_at)
            heard[message.sender] = max(written, heard.get(message.sender, written))
    contacts_whatsapp_heard(heard)
    elections, stations = _batch_reads(messages, parsed, contacts, recent)
    # Reports first, by regency: two workers never take the same regency-days' locks crosswise (deadlock).
    in_order = sorted(messages, key=lambda message: (message.kind not in (Kind.NIL_REPORT, Kind.REPORT),
                                                     message.regency_id or "", message.received_at, message.pk))
    tps_waiting = []
    for message in in_order:
        contact, fields = contacts.get(message.sender), parsed[message.pk]
        if recent[message.pk] > settings.INTAKE_RATE_LIMIT:
            # Stored and shown, not applied, not answered: a flood gets no flood of replies.
            message.rate_limited = True
            _result(message, Outcome.UNREGISTERED if contact is None else Outcome.REFUSED, "")
        elif contact is None:
            _result(message, Outcome.UNREGISTERED, replies.unregistered())
        elif message.kind in (Kind.NIL_REPORT, Kind.REPORT):
            _apply_report(message, contact, fields, nil=message.kind == Kind.NIL_REPORT,
                          election=elections.get(contact.regency.province_id))
        elif message.kind == Kind.INFO:
            _result(message, *((Outcome.REFUSED, replies.info_format()) if fields.problem
                               else (Outcome.APPLIED, replies.info_stored(contact.place))))
        elif message.kind == Kind.PHOTO:
            _apply_photo(message)
        elif message.kind == Kind.TPS:
            if (station := _station_or_refuse(message, contact, fields, stations)) is not None:
                tps_waiting.append((message, contact, station))
        else:
            _result(message, Outcome.REFUSED, replies.unknown())
    _record_tps(tps_waiting, elections)


# What applying fills in, with the column's type (the values travel as one VALUES list).
APPLIED_COLUMNS = {"kind": "text", "parsed": "jsonb", "contact_id": "bigint", "regency_id": "text",
                   "district_id": "text", "village_id": "text", "rate_limited": "boolean", "outcome": "text",
                   "reply": "text", "report_id": "bigint", "photo": "text"}


def _save_applied(messages: list[InboundMessage]) -> None:
    """Write what applying filled in, for every message of the batch in one UPDATE ... FROM (VALUES ...) (on
    PostgreSQL; SQLite under `make run` takes bulk_update)."""
    if connection.vendor != "postgresql":
        fields = [column.removesuffix("_id") for column in APPLIED_COLUMNS]
        InboundMessage.objects.bulk_update(messages, fields)
        return
    table = InboundMessage._meta.db_table
    columns = ", ".join(APPLIED_COLUMNS)
    values = ", ".join(["(%s" + ", %s" * len(APPLIED_COLUMNS) + ")"] * len(messages))
    assignments = ", ".join(f"{column} = v.{column}::{kind}" for column, kind in APPLIED_COLUMNS.items())
    params = []
    for message in messages:
        params += [message.pk, message.kind, json.dumps(message.parsed), message.contact_id, message.regency_id,
                   message.district_id, message.village_id, message.rate_limited, message.outcome, message.reply,
                   message.report_id, message.photo.name or ""]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} m SET {assignments} FROM (VALUES {values}) AS v (id, {columns}) "
                       "WHERE m.id = v.id", params)
# A worker takes up to this many waiting messages at once and applies them in one transaction.
APPLY_BATCH = 100


def _claim(*, now, ids, limit=APPLY_BATCH, others_than=None, skip_locked=False) -> list[InboundMessage]:
    """Take waiting messages with a guarded UPDATE: `ids`, or with `others_than` up to `limit` of the oldest others.

    A row already `done` is not `received`: of two workers only one ever takes a message. Named messages are
    waited for when another worker holds them (it may yet roll back), unless `skip_locked`; others are skipped.
    """
    if connection.vendor != "postgresql":
        return _claim_single_writer(now=now, ids=ids, limit=limit, others_than=others_than)
    table = InboundMessage._meta.db_table
    if others_than is None and not skip_locked:
        chosen, params = "id = ANY(%s)", [list(ids)]
    elif others_than is None:
        chosen = f"id IN (SELECT id FROM {table} WHERE state = %s AND id = ANY(%s) FOR UPDATE SKIP LOCKED)"
        params = [State.RECEIVED, list(ids)]
    else:
        chosen = (f"id IN (SELECT id FROM {table} WHERE state = %s AND id <> ALL(%s) ORDER BY received_at, id "
                  "LIMIT %s FOR UPDATE SKIP LOCKED)")
        params = [State.RECEIVED, list(others_than), limit]
    claimed = InboundMessage.objects.raw(
        f"UPDATE {table} SET state = %s, applied_at = %s WHERE state = %s AND {chosen} RETURNING *",
        [State.DONE, now, State.RECEIVED, *params],
    )
    return list(claimed)


def _claim_single_writer(*, now, ids, limit, others_than):
    """`_claim` where one writer holds the whole database while it writes (SQLite under `make run`)."""
    waiting = InboundMessage.objects.filter(state=State.RECEIVED)
    if others_than is None:
        chosen = waiting.filter(pk__in=ids)
    else:
        chosen = waiting.exclude(pk__in=others_than).order_by("received_at", "pk")[:limit]
    picked = list(chosen.values_list("pk", flat=True))
    InboundMessage.objects.filter(pk__in=picked, state=State.RECEIVED).update(state=State.DONE, applied_at=now)
    return list(InboundMessage.objects.filter(pk__in=picked))


def messages_apply(*, now: dt.datetime, ids: list[int] | None = None, first_id: int | None = None,
                   limit: int = APPLY_BATCH) -> list[InboundMessage]:
    """Apply waiting messages once and queue their replies: `ids`, or `first_id` and others waiting behind it.

    One transaction claims them (guarded), applies them and writes their replies to the outbox: a worker killed
    half-way rolls all of it back and the messages wait for the next run. When one of them cannot be applied,
    the others are applied one at a time and that one stays waiting (logged). Returns the messages applied.
    """
    if first_id is not None and not InboundMessage.objects.filter(pk=first_id, state=State.RECEIVED).exists():
        return []  # applied with an earlier batch: its job has nothing to do (and opens no transaction)
    claimed = []
    try:
        with transaction.atomic():
            # A job's own message held by another worker is in that worker's batch: not waited for (were that
            # batch rolled back, the sweep applies it).
            messages = _claim(now=now, ids=[first_id] if ids is None else ids, skip_locked=first_id is not None)
            if first_id is not None and messages and limit > 1:
                messages += _claim(now=now, ids=None, others_than=[first_id], limit=limit - 1)
            messages.sort(key=lambda message: (message.received_at, message.pk))
            claimed = [message.pk for message in messages]
            if messages:
                _apply_batch(messages)
                _save_applied(messages)
                outbound = OutboundMessage.objects.bulk_create([
                    OutboundMessage(inbound=message, channel=message.channel, to=message.reply_to,
                                    text=message.reply, created_at=now)
                    for message in messages if message.reply
                ])
                reply_ids = [reply.pk for reply in outbound]
                transaction.on_commit(lambda: _enqueue("intake_send", *reply_ids))
        return messages
    except Exception:
        if len(claimed) <= 1:
            raise
        logger.exception("intake: a batch of %s messages failed; applying them one at a time", len(claimed))
    applied = []
    for pk in claimed:
        try:
            applied += messages_apply(now=now, ids=[pk])
        except Exception:
            # Rolled back and left `received`: logged, and it does not hold up the messages behind it.
            logger.exception("intake: message %s could not be applied; it stays waiting", pk)
    return applied


def message_apply(*, message_id: int, now: dt.datetime) -> InboundMessage | None:
    """Apply one stored message and queue its reply, once; None when it was applied already (or is being)."""
    applied = messages_apply(now=now, ids=[message_id])
    return applied[0] if applied else None


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
                   .order_by("received_at", "pk").values_list("pk", flat=True)[:SWEEP_LIMIT])
    applied = 0
    for start in range(0, len(waiting), APPLY_BATCH):
        try:
            applied += len(messages_apply(now=now, ids=waiting[start:start + APPLY_BATCH]))
        except Exception:
            # Rolled back and left `received`: logged, and it does not hold up the messages behind it.
            logger.exception("intake: a message of %s could not be applied; it stays waiting",
                             waiting[start:start + APPLY_BATCH])
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
