"""Writes of voting day and after: the only code that creates or changes rounds, TPS statuses,
recapitulation progress and disputes.

Each function checks who may do it, validates (raising Django's
ValidationError with field messages, nothing stored), then writes in one
transaction, dated `now` (or the message's own time for a TPS status).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.scope import desk_scope, ensure_manager_of, ensure_officer_of, ensure_secretariat_of
from core.history import history_stamp
from core.validators import text_messages
from elections.constants import ContestKind
from elections.models import Contest, Election
from regions.models import District, PollingStation, Regency

from .constants import (
    CASE_NUMBER_MAX_LENGTH,
    DISPUTE_MOVES,
    NOTE_MAX_LENGTH,
    SOURCE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    DisputeDecision,
    DisputeStatus,
    ProblemKind,
    RecapLevel,
    RecapStatus,
    Round,
    TpsState,
)
from .models import Dispute, RecapProgress, RevoteTps, TpsStatus, VotingProblem, VotingRound

COUNT_FIELDS = ("tps_opened", "tps_closed", "tps_counted")


def _election_errors(election, regency):
    if election is None or not election.is_active:
        return {"election": [_("Tidak ada pemilihan aktif untuk %(regency)s.") % {"regency": regency.name}]}
    if election.province_id != regency.province_id:
        return {"election": [_("Pemilihan ini bukan untuk provinsi %(regency)s.") % {"regency": regency.name}]}
    return {}


def _text(errors, field, value, limit):
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    if not isinstance(value, str):
        errors[field] = [_("Isi dengan teks.")]
        return ""
    if messages := text_messages(value, limit):
        errors[field] = messages
    return value


# --- voting day's rounds -------------------------------------------------------


class RoundExists(ValidationError):
    """The regency's report of this round is stored already: `existing`."""

    def __init__(self, existing):
        self.existing = existing
        message = _("Laporan tahap %(round)s %(regency)s sudah dikirim pada %(at)s; laporan kedua tidak diterima.") % {
            "round": existing.get_round_display(), "regency": existing.regency.name,
            "at": date_format(existing.submitted_at.astimezone(existing.election.zone), "DATETIME_FORMAT")}
        super().__init__({"round": [ValidationError(message, code="duplicate")]})


class OrderUnconfirmed(ValidationError):
    """Counts with fewer TPS opened than closed, or closed than counted, not confirmed by the officer."""

    def __init__(self):
        super().__init__({"confirm_order": [ValidationError(_(
            "Jumlah TPS dibuka, ditutup dan selesai dihitung biasanya menurun (dibuka ≥ ditutup ≥ dihitung). "
            "Periksa lagi; bila memang benar, centang konfirmasi lalu kirim."), code="order")]})


def _count(errors, field, value, total):
    if value is None or value == "":
        errors[field] = [_("Isi jumlah TPS (0 bila belum ada).")]
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            errors[field] = [_("Isi jumlah TPS dengan angka bulat.")]
            return 0
    if not 0 <= value <= total:
        errors[field] = [_("Jumlah TPS antara 0 dan %(total)s (TPS kabupaten/kota ini).") % {"total": total}]
    return value


def turnout_parse(value) -> tuple[Decimal | None, str | None]:
    """(turnout, None) or (None, message): 0-100 with at most one decimal; empty is no turnout yet."""
    if value is None or value == "":
        return None, None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None, _("Isi partisipasi sebagai angka 0 sampai 100, mis. 69,2.")
    if not number.is_finite() or not 0 <= number <= 100:
        return None, _("Partisipasi antara 0 dan 100 persen.")
    if number != number.quantize(Decimal("0.1")):
        return None, _("Partisipasi paling banyak satu angka desimal, mis. 69,2.")
    return number.quantize(Decimal("0.1")), None


def _problems(errors, regency, problems):
    """[(tps, kind, note)] for the regency's TPS; refusals in errors["problems"]."""
    if problems in (None, ""):
        return []
    if not isinstance(problems, list | tuple) or not all(isinstance(p, Mapping) for p in problems):
        errors["problems"] = [_("TPS bermasalah: daftar berisi tps, kind dan note.")]
        return []
    messages, ids = [], []
    for index, problem in enumerate(problems, start=1):
        tps = problem.get("tps")
        try:
            ids.append(int(tps.pk if isinstance(tps, PollingStation) else tps))
        except (TypeError, ValueError):
            messages.append(_("Baris %(n)s: pilih TPS.") % {"n": index})
            ids.append(None)
        if problem.get("kind") not in ProblemKind.values:
            messages.append(_("Baris %(n)s: jenis masalah tidak dikenal: pilih late_opening, logistics_shortage, "
                              "disturbance, weather atau other.") % {"n": index})
        if text_messages(problem.get("note") or "", NOTE_MAX_LENGTH):
            messages.append(_("Baris %(n)s: catatan paling panjang %(max)s karakter.") % {
                "n": index, "max": NOTE_MAX_LENGTH})
    known = PollingStation.objects.filter(regency=regency, pk__in=[i for i in ids if i is not None]).in_bulk()
    for index, tps_id in enumerate(ids, start=1):
        if tps_id is not None and tps_id not in known:
            messages.append(_("Baris %(n)s: TPS %(id)s bukan TPS %(regency)s.") % {
                "n": index, "id": tps_id, "regency": regency.name})
    if len(set(ids)) != len(ids):
        messages.append(_("Satu TPS hanya sekali dalam daftar masalah."))
    if messages:
        errors["problems"] = messages
        return []
    return [(known[tps_id], problem["kind"], (problem.get("note") or "").strip())
            for tps_id, problem in zip(ids, problems, strict=True)]


def _voting_days(election, regency, errors, day):
    """(day, TPS of the regency voting that day): the voting day, or one of its TPS's re-vote days."""
    if day in (None, ""):
        day = election.voting_day
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        errors["day"] = [_("Isi hari pemungutan suara dengan format YYYY-MM-DD.")]
        return day, PollingStation.objects.none()
    if day == election.voting_day:
        return day, PollingStation.objects.filter(regency=regency)
    revoting = RevoteTps.objects.filter(election=election, regency=regency, date=day).values("tps")
    stations = PollingStation.objects.filter(pk__in=revoting)
    if not revoting.exists():
        errors["day"] = [_("Laporan tahap hanya untuk hari pencoblosan (%(day)s) atau hari pemungutan suara "
                           "ulang TPS kabupaten/kota ini.") % {"day": date_format(election.voting_day)}]
    return day, stations


def voting_round_submit(
    *, election: Election | None, regency: Regency, by: AbstractBaseUser, data: Mapping[str, Any], now: dt.datetime
) -> VotingRound:
    """Store the regency's report of `data["round"]` for `data["day"]` (default: voting day), late after
    that round's due time on that day.

    `day` is the voting day or a re-vote day of some of the regency's TPS
    (`RevoteTps`); counts lie between 0 and the regency's TPS voting that day.
    Counts that do not descend (opened >= closed >= counted) are refused with
    OrderUnconfirmed unless `data["confirm_order"]` is true. Accepted from that
    day on; a second report of the same round and day is refused (RoundExists).
    """
    ensure_officer_of(by, regency.pk)
    errors = _election_errors(election, regency)
    round_code = data.get("round")
    if round_code not in Round.values:
        errors["round"] = [_("Tahap tidak dikenal: pilih opening, closing atau counting.")]
    day, stations = (None, PollingStation.objects.none()) if errors.get("election") else _voting_days(
        election, regency, errors, data.get("day"))
    if not errors and election.local_date(now) < day:
        errors["round"] = [_("Laporan tahap untuk %(day)s baru dapat dikirim pada hari itu.") % {
            "day": date_format(day)}]
    total = stations.count()
    counts = {field: _count(errors, field, data.get(field), total) for field in COUNT_FIELDS}
    turnout, message = turnout_parse(data.get("turnout_percent"))
    if message:
        errors["turnout_percent"] = [message]
    summary = _text(errors, "summary", data.get("summary"), SUMMARY_MAX_LENGTH)
    problems = _problems(errors, regency, data.get("problems"))
    if errors:
        raise ValidationError(errors)
    in_order = counts["tps_opened"] >= counts["tps_closed"] >= counts["tps_counted"]
    if not in_order and not data.get("confirm_order"):
        raise OrderUnconfirmed()
    voting_round = VotingRound(
        election=election, regency=regency, round=round_code, day=day, tps_total=total, turnout_percent=turnout,
        summary=summary, order_confirmed=not in_order, submitted_by=by, submitted_at=now,
        is_late=now > election.round_deadline(round_code, day), **counts,
    )
    try:
        with transaction.atomic():
            _save(voting_round, by, now)
            for tps, kind, note in problems:
                _save(VotingProblem(voting_round=voting_round, tps=tps, kind=kind, note=note), by, now)
    except IntegrityError:
        existing = VotingRound.objects.select_related("regency", "election__province").filter(
            election=election, regency=regency, round=round_code, day=day).first()
        if existing is None:
            raise
        raise RoundExists(existing) from None
    return voting_round


def _revote_taken(date, taken):
    numbers = ", ".join(f"{tps.village.name} TPS {tps.number:03d}" for tps in sorted(taken, key=lambda t: t.pk))
    return ValidationError({"tps": [ValidationError(
        _("Sudah dijadwalkan pemungutan suara ulang pada %(date)s: %(tps)s. Tidak ada yang disimpan; pilih TPS lain "
          "atau tanggal lain.") % {"date": date_format(date), "tps": numbers}, code="duplicate")]})


def revote_schedule(*, election: Election, stations: Iterable[PollingStation], date: dt.date, reason: str,
                    by: AbstractBaseUser, now: dt.datetime) -> list[RevoteTps]:
    """List TPS of one regency that vote again (PSU) on `date`, on the ground `reason` (the court's decision, the
    Panwas recommendation): the province's secretariat or an admin.

    The date lies after voting day, at the latest on the calendar's last day.
    A TPS already listed for that date refuses the whole request (nothing is
    stored); every listing keeps its history.
    """
    ensure_manager_of(by, election.province_id, _("Hanya sekretariat provinsi yang mencatat pemungutan suara ulang."))
    errors = {}
    stations = list({tps.pk: tps for tps in stations}.values())
    if not stations:
        errors["tps"] = [_("Pilih TPS yang memungut suara ulang.")]
    elif any(not tps.regency_id.startswith(f"{election.province_id}.") for tps in stations):
        errors["tps"] = [_("TPS harus di provinsi pemilihan ini.")]
    elif len({tps.regency_id for tps in stations}) > 1:
        errors["tps"] = [_("Pilih TPS dari satu kabupaten/kota; jadwalkan kabupaten/kota lain terpisah.")]
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        errors["date"] = [_("Isi tanggal dengan format YYYY-MM-DD.")]
    elif not election.voting_day < date <= election.reporting_end:
        errors["date"] = [_("Pemungutan suara ulang setelah hari pencoblosan (%(day)s), paling lambat %(last)s.") % {
            "day": date_format(election.voting_day), "last": date_format(election.reporting_end)}]
    reason = _text(errors, "reason", reason, NOTE_MAX_LENGTH)
    if not reason and "reason" not in errors:
        errors["reason"] = [_("Isi dasar pemungutan suara ulang, mis. putusan MK atau rekomendasi Panwas.")]
    if errors:
        raise ValidationError(errors)
    taken = set(RevoteTps.objects.filter(election=election, date=date, tps__in=stations).values_list(
        "tps_id", flat=True))
    if taken:
        raise _revote_taken(date, [tps for tps in stations if tps.pk in taken])
    try:
        with transaction.atomic():
            created = [_save(RevoteTps(election=election, tps=tps, regency_id=tps.regency_id, date=date,
                                       reason=reason, created_by=by, created_at=now), by, now)
                       for tps in stations]
    except IntegrityError:
        # Listed meanwhile by another request: the unique key decided, nothing of this one is stored.
        taken = set(RevoteTps.objects.filter(election=election, date=date, tps__in=stations).values_list(
            "tps_id", flat=True))
        if not taken:
            raise
        raise _revote_taken(date, [tps for tps in stations if tps.pk in taken]) from None
    return created


def _save(record, by, now, reason=None):
    history_stamp(record, by=by, now=now)
    if reason:
        record._change_reason = reason
    record.save()
    return record


# --- TPS statuses from the field -------------------------------------------------


# Rows named in one refusal of a set of statuses; the rest are counted.
REFUSED_ROWS_LISTED = 20
TPS_STATES = frozenset(TpsState.values)


def _status_errors(status, at, note, source):
    """(errors by field, note, source) for one status: the checks that need no query."""
    errors = {}
    if status not in TPS_STATES:
        errors["status"] = [_("Status TPS tidak dikenal: open, closed, counted atau problem.")]
    if not isinstance(at, dt.datetime) or at.tzinfo is None:
        errors["at"] = [_("Isi waktu lengkap dengan zona waktunya.")]
    note = _text(errors, "note", note, NOTE_MAX_LENGTH)
    source = _text(errors, "source", source, SOURCE_MAX_LENGTH)
    if not source:
        errors.setdefault("source", [_("Sebutkan sumber status (mis. whatsapp, sms, web).")])
    return errors, note, source


def _off_voting_day(election, pairs):
    """The (tps_id, local date) of `pairs` (tps_id, at) that are neither voting day nor a re-vote day listed
    for that TPS. No query when all fall on voting day, one otherwise."""
    other = {(tps_id, election.local_date(at)) for tps_id, at in pairs}
    other = {(tps_id, day) for tps_id, day in other if day != election.voting_day}
    if not other:
        return set()
    listed = set(RevoteTps.objects.filter(election=election, tps_id__in={tps_id for tps_id, _day in other},
                                          date__in={day for _tps, day in other}).values_list("tps_id", "date"))
    return other - listed


def _off_day_message(election):
    return _("Status TPS hanya untuk hari pencoblosan (%(day)s) atau hari pemungutan suara ulang TPS ini.") % {
        "day": date_format(election.voting_day)}


def _statuses_write(election, rows):
    """Upsert checked rows (tps_id, regency, status, at, source, note), at most one per TPS, in one statement.

    A stored status newer than the row's stays (`at` decides, not arrival; at
    the same time the row wins). Returns how many statuses were inserted or
    changed (a row equal to the stored status changes nothing).
    """
    table = connection.ops.quote_name(TpsStatus._meta.db_table)
    if connection.vendor != "postgresql":
        return _statuses_write_portable(election, rows, table)
    columns = list(zip(*rows, strict=True))
    sql = (
        f"INSERT INTO {table} (election_id, tps_id, regency_id, status, at, source, note) "
        "SELECT %s, r.* FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::timestamptz[], %s::text[], "
        "%s::text[]) AS r "
        "ON CONFLICT (election_id, tps_id) DO UPDATE SET status = EXCLUDED.status, at = EXCLUDED.at, "
        f"source = EXCLUDED.source, note = EXCLUDED.note WHERE {table}.at < EXCLUDED.at "
        f"OR {table}.at = EXCLUDED.at AND ({table}.status, {table}.source, {table}.note) "
        "IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.source, EXCLUDED.note)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [election.pk, *(list(column) for column in columns)])
        return cursor.rowcount


def _statuses_write_portable(election, rows, table):
    """`_statuses_write` for SQLite (`make run`): the same upsert and rule, one parameter set per row."""
    sql = (
        f"INSERT INTO {table} (election_id, tps_id, regency_id, status, at, source, note) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (election_id, tps_id) DO UPDATE SET status = excluded.status, at = excluded.at, "
        f"source = excluded.source, note = excluded.note WHERE {table}.at < excluded.at "
        f"OR {table}.at = excluded.at AND ({table}.status IS NOT excluded.status "
        f"OR {table}.source IS NOT excluded.source OR {table}.note IS NOT excluded.note)"
    )
    adapt = connection.ops.adapt_datetimefield_value
    params = [(election.pk, tps_id, regency, status, adapt(at), source, note)
              for tps_id, regency, status, at, source, note in rows]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, params)
        return cursor.rowcount


def tps_statuses_record(*, election: Election, rows: Iterable[tuple]) -> int:
    """Apply many field statuses at once: `rows` of (tps_id, regency_code, status, at, source, note).

    The rules of `tps_status_record` for every row: the election is active,
    the TPS lies in its province and in the regency given, the status is
    known, `at` is aware and falls (local) on voting day or on a re-vote day
    listed for that TPS, source and note within their limits. One bad row
    refuses the set (ValidationError naming the rows; nothing stored). A TPS
    keeps its latest status: a row older than the stored status, or than
    another row of the set for the same TPS, changes nothing (at the same
    time, the later row wins). Two or three queries to check and one
    statement to write, whatever the number of rows. Returns how many TPS
    statuses were set or changed.
    """
    rows = list(rows)
    if not rows:
        return 0
    if not election.is_active:
        raise ValidationError({"election": [_("Pemilihan ini tidak aktif.")]})
    messages, checked, seen = [], [], {}
    for index, (tps_id, regency_code, status, at, source, note) in enumerate(rows, start=1):
        # Most rows share their status, source and note: each combination is checked once.
        key = (status, source, note, isinstance(at, dt.datetime) and at.tzinfo is not None)
        if not all(isinstance(part, str) for part in key[:3]):
            errors, note, source = _status_errors(status, at, note, source)
        else:
            if key not in seen:
                seen[key] = _status_errors(status, at, note, source)
            errors, note, source = seen[key]
        messages += [_("Baris %(n)s: %(message)s") % {"n": index, "message": message}
                     for field_messages in errors.values() for message in field_messages]
        if not errors:
            checked.append((index, (tps_id, regency_code, status, at, source, note)))
    tps_ids = {row[0] for _index, row in checked}
    regency_of = dict(PollingStation.objects.filter(pk__in=tps_ids, regency__province_id=election.province_id)
                      .values_list("pk", "regency_id"))
    off_day = _off_voting_day(election, [(row[0], row[3]) for _index, row in checked if row[0] in regency_of])
    latest = {}
    for index, row in checked:
        tps_id, regency_code, _status, at = row[:4]
        if tps_id not in regency_of:
            messages.append(_("Baris %(n)s: TPS %(id)s bukan TPS pemilihan ini.") % {"n": index, "id": tps_id})
        elif regency_of[tps_id] != regency_code:
            messages.append(_("Baris %(n)s: TPS %(id)s ada di %(actual)s, bukan %(given)s.") % {
                "n": index, "id": tps_id, "actual": regency_of[tps_id], "given": regency_code})
        elif (tps_id, election.local_date(at)) in off_day:
            messages.append(_("Baris %(n)s: %(message)s") % {"n": index, "message": _off_day_message(election)})
        elif tps_id not in latest or latest[tps_id][3] <= at:
            latest[tps_id] = row
    if messages:
        listed = messages[:REFUSED_ROWS_LISTED]
        if len(messages) > len(listed):
            listed.append(_("… dan %(n)s penolakan lain; tidak ada status yang disimpan.") % {
                "n": len(messages) - len(listed)})
        raise ValidationError({"rows": listed})
    return _statuses_write(election, list(latest.values()))


def tps_status_record(*, tps: PollingStation, status: str, note: str, at: dt.datetime, source: str) -> TpsStatus:
    """Set one TPS's status from the field (`TPS <nomor> BUKA|TUTUP|SELESAI|MASALAH`), as of `at`.

    `at` is when the message was sent, and must fall on the election's voting
    day (local) or a re-vote day listed for the TPS. An older message than the
    stored status changes nothing; the stored (latest) status is returned
    either way. The same rules as `tps_statuses_record`, with a message per field.
    """
    election = Election.objects.active_for(tps.regency)
    field_errors, note, source = _status_errors(status, at, note, source)
    errors = {"tps": [_("Tidak ada pemilihan aktif untuk TPS ini.")]} if election is None else {}
    errors.update(field_errors)
    if election is not None and "at" not in errors and _off_voting_day(election, [(tps.pk, at)]):
        errors["at"] = [_off_day_message(election)]
    if errors:
        raise ValidationError(errors)
    _statuses_write(election, [(tps.pk, tps.regency_id, status, at, source, note)])
    return TpsStatus.objects.get(election=election, tps=tps)


def tps_statuses_from_field(*, election: Election | None, entries: Iterable[tuple]) -> list[dict]:
    """`tps_status_record` for many statuses of `election`'s TPS at once: `entries` of (tps, status, note, at,
    source). Each entry's errors, in order ({} when accepted); the accepted ones are written in one statement.

    Unlike `tps_statuses_record`, a bad entry refuses only itself: each field message gets its own answer.
    """
    results, accepted = [], []
    for index, (tps, status, note, at, source) in enumerate(entries):
        errors, note, source = _status_errors(status, at, note, source)
        if election is None:
            errors = {"tps": [_("Tidak ada pemilihan aktif untuk TPS ini.")], **errors}
        results.append(errors)
        if not errors:
            accepted.append((index, (tps.pk, tps.regency_id, status, at, source, note)))
    if not accepted:
        return results
    off_day = _off_voting_day(election, [(row[0], row[3]) for _index, row in accepted])
    latest = {}
    for index, row in accepted:
        if (row[0], election.local_date(row[3])) in off_day:
            results[index] = {"at": [_off_day_message(election)]}
        elif row[0] not in latest or latest[row[0]][3] <= row[3]:
            latest[row[0]] = row
    if latest:
        # In TPS order: two workers writing statuses of the same TPS never wait for each other crosswise.
        _statuses_write(election, [latest[tps_id] for tps_id in sorted(latest)])
    return results


# --- the recapitulation ----------------------------------------------------------


def _recap_region(contest, level, code):
    """(region code, regency or None) for a recapitulation of `contest` at `level`, or raise ValidationError."""
    election = contest.election
    code = (code or "").strip() if isinstance(code, str) else ""
    if level == RecapLevel.PROVINCE:
        if contest.kind != ContestKind.GOVERNOR:
            raise ValidationError({"level": [_("Rekapitulasi tingkat provinsi hanya untuk pemilihan gubernur.")]})
        if code and code != election.province_id:
            raise ValidationError({"region": [_("Rekapitulasi provinsi diadakan di provinsi %(code)s.") % {
                "code": election.province_id}]})
        return election.province_id, None
    if level == RecapLevel.REGENCY:
        regency = Regency.objects.filter(pk=code, province_id=election.province_id).first()
        if regency is None or (contest.kind == ContestKind.LOCAL and regency.pk != contest.regency_id):
            raise ValidationError({"region": [_("Kode %(code)s bukan kabupaten/kota kontestasi ini.") % {
                "code": code}]})
        return regency.pk, regency
    district = District.objects.select_related("regency").filter(
        pk=code, regency__province_id=election.province_id).first()
    if district is None or (contest.kind == ContestKind.LOCAL and district.regency_id != contest.regency_id):
        raise ValidationError({"region": [_("Kode %(code)s bukan kecamatan kontestasi ini.") % {"code": code}]})
    return district.pk, district.regency


def _ensure_may_write_recap(user, election, regency):
    """The province's secretariat writes any level; a regency's officer its own districts and regency."""
    scope = desk_scope(user)
    if scope.is_secretariat:
        ensure_secretariat_of(user, election.province_id,
                              _("Hanya sekretariat provinsi ini yang dapat mencatat rekapitulasinya."))
        return
    if regency is None:
        ensure_secretariat_of(user, election.province_id,
                              _("Hanya sekretariat provinsi yang mencatat rekapitulasi tingkat provinsi."))
    ensure_officer_of(user, regency.pk)


def _day_error(election, day, now, *, label):
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        return _("Isi tanggal dengan format YYYY-MM-DD.")
    if day > election.local_date(now):
        return _("Tanggal %(day)s belum tiba.") % {"day": date_format(day)}
    if not election.voting_day < day <= election.reporting_end:
        return _("%(label)s di luar kalender: antara %(first)s dan %(last)s.") % {
            "label": label, "first": date_format(election.voting_day + dt.timedelta(days=1)),
            "last": date_format(election.reporting_end)}
    return None


def _recap_content(election, data, now):
    errors = {}
    status = data.get("status") or RecapStatus.NOT_STARTED
    if status not in RecapStatus.values:
        errors["status"] = [_("Status tidak dikenal: not_started, in_progress atau done.")]
    started, finished = data.get("started_on"), data.get("finished_on")
    if status == RecapStatus.NOT_STARTED and (started or finished):
        errors["status"] = [_("Rekapitulasi yang belum dimulai tidak punya tanggal mulai atau selesai.")]
    if status in (RecapStatus.IN_PROGRESS, RecapStatus.DONE):
        if started is None:
            errors["started_on"] = [_("Isi tanggal mulai.")]
        elif message := _day_error(election, started, now, label=_("Tanggal mulai")):
            errors["started_on"] = [message]
    if status == RecapStatus.IN_PROGRESS and finished:
        errors["finished_on"] = [_("Rekapitulasi yang berlangsung belum punya tanggal selesai; pilih status done.")]
    if status == RecapStatus.DONE:
        if finished is None:
            errors["finished_on"] = [_("Isi tanggal selesai.")]
        elif message := _day_error(election, finished, now, label=_("Tanggal selesai")):
            errors["finished_on"] = [message]
        elif isinstance(started, dt.date) and finished < started:
            errors["finished_on"] = [_("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
    note = _text(errors, "note", data.get("note"), NOTE_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    done = status == RecapStatus.DONE
    return {"status": status, "started_on": started if status != RecapStatus.NOT_STARTED else None,
            "finished_on": finished if done else None, "note": note}


def recap_record(
    *, contest: Contest, level: str, region: str | None, by: AbstractBaseUser, data: Mapping[str, Any],
    now: dt.datetime,
) -> RecapProgress:
    """Record how far the recapitulation of `contest` at `level` in `region` has got (one record each)."""
    if level not in RecapLevel.values:
        raise ValidationError({"level": [_("Tingkat tidak dikenal: district, regency atau province.")]})
    code, regency = _recap_region(contest, level, region)
    election = contest.election
    _ensure_may_write_recap(by, election, regency)
    content = _recap_content(election, data, now)
    recap = RecapProgress(election=election, contest=contest, level=level, region=code, regency=regency,
                          updated_by=by, updated_at=now, **content)
    try:
        with transaction.atomic():
            _save(recap, by, now)
    except IntegrityError:
        if not RecapProgress.objects.filter(contest=contest, level=level, region=code).exists():
            raise
        raise ValidationError({"region": [_("Rekapitulasi %(contest)s tingkat %(level)s di %(code)s sudah dicatat; "
                                            "ubah catatan itu.") % {"contest": contest, "level": level,
                                                                    "code": code}]}) from None
    return recap


def recap_update(*, recap: RecapProgress, by: AbstractBaseUser, data: Mapping[str, Any],
                 now: dt.datetime) -> RecapProgress:
    """Move a recapitulation on (status, dates, note); a new history version."""
    election = recap.election
    _ensure_may_write_recap(by, election, recap.regency)
    current = {field: getattr(recap, field) for field in ("status", "started_on", "finished_on", "note")}
    content = _recap_content(election, {**current, **{k: v for k, v in data.items() if k in current}}, now)
    if content == current:
        return recap
    for field, value in content.items():
        setattr(recap, field, value)
    recap.updated_by, recap.updated_at = by, now
    with transaction.atomic():
        _save(recap, by, now)
    return recap


def recap_set(
    *, contest: Contest, level: str, region: str | None, by: AbstractBaseUser, data: Mapping[str, Any],
    now: dt.datetime,
) -> RecapProgress:
    """Record the recapitulation of `contest` at `level` in `region`, or move its record on when it exists."""
    existing = RecapProgress.objects.filter(contest=contest, level=level, region=(region or "").strip()).first()
    if existing is None:
        return recap_record(contest=contest, level=level, region=region, by=by, data=data, now=now)
    return recap_update(recap=existing, by=by, data=data, now=now)


# --- disputes -------------------------------------------------------------------


def _dispute_content(election, data, now, *, current=None):
    errors = {}
    filed = data.get("filed_on")
    if not isinstance(filed, dt.date) or isinstance(filed, dt.datetime):
        errors["filed_on"] = [_("Isi tanggal pendaftaran perkara (YYYY-MM-DD).")]
    elif not election.voting_day < filed <= election.local_date(now):
        errors["filed_on"] = [_("Perkara didaftarkan setelah hari pencoblosan dan tidak di masa depan.")]
    case_number = _text(errors, "case_number", data.get("case_number"), CASE_NUMBER_MAX_LENGTH)
    if not case_number and "case_number" not in errors:
        errors["case_number"] = [_("Isi nomor perkara, mis. 123/PHPU.GUB-XXIII/2025.")]
    status = data.get("status") or DisputeStatus.FILED
    decision, decided_on = data.get("decision") or "", data.get("decided_on")
    if status not in DisputeStatus.values:
        errors["status"] = [_("Status tidak dikenal: filed, hearing atau decided.")]
    elif current is not None and status != current and status not in DISPUTE_MOVES[current]:
        errors["status"] = [_("Status tidak dapat berpindah dari %(old)s ke %(new)s.") % {
            "old": current, "new": status}]
    if status == DisputeStatus.DECIDED:
        if decision not in DisputeDecision.values:
            errors["decision"] = [_("Pilih putusan: rejected, dismissed, revote, recount atau other.")]
        if not isinstance(decided_on, dt.date):
            errors["decided_on"] = [_("Isi tanggal putusan.")]
        elif isinstance(filed, dt.date) and not filed <= decided_on <= election.local_date(now):
            errors["decided_on"] = [_("Tanggal putusan antara pendaftaran perkara dan hari ini.")]
    elif decision or decided_on:
        errors["decision"] = [_("Putusan dan tanggalnya diisi bersama status decided.")]
    note = _text(errors, "note", data.get("note"), NOTE_MAX_LENGTH)
    if errors:
        raise ValidationError(errors)
    return {"filed_on": filed, "case_number": case_number, "status": status, "decision": decision,
            "decided_on": decided_on if status == DisputeStatus.DECIDED else None, "note": note}


def _case_taken(election, case_number):
    return ValidationError({"case_number": [_("Nomor perkara %(number)s sudah tercatat.") % {"number": case_number}]})


def dispute_file(*, contest: Contest, by: AbstractBaseUser, data: Mapping[str, Any], now: dt.datetime) -> Dispute:
    """Record a contest taken to the Constitutional Court: the province's secretariat only."""
    election = contest.election
    ensure_secretariat_of(by, election.province_id, _("Hanya sekretariat provinsi yang mencatat sengketa."))
    content = _dispute_content(election, data, now)
    dispute = Dispute(election=election, contest=contest, regency_id=contest.regency_id, updated_by=by,
                      updated_at=now, **content)
    try:
        with transaction.atomic():
            _save(dispute, by, now)
    except IntegrityError:
        raise _case_taken(election, content["case_number"]) from None
    return dispute


def dispute_update(*, dispute: Dispute, by: AbstractBaseUser, data: Mapping[str, Any], now: dt.datetime) -> Dispute:
    """Move a dispute along filed -> hearing -> decided (with its decision); a new history version."""
    election = dispute.election
    ensure_secretariat_of(by, election.province_id, _("Hanya sekretariat provinsi yang mencatat sengketa."))
    fields = ("filed_on", "case_number", "status", "decision", "decided_on", "note")
    current = {field: getattr(dispute, field) for field in fields}
    content = _dispute_content(election, {**current, **{k: v for k, v in data.items() if k in current}}, now,
                               current=dispute.status)
    if content == current:
        return dispute
    for field, value in content.items():
        setattr(dispute, field, value)
    dispute.updated_by, dispute.updated_at = by, now
    try:
        with transaction.atomic():
            _save(dispute, by, now)
    except IntegrityError:
        raise _case_taken(election, content["case_number"]) from None
    return dispute

