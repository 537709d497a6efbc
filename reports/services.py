"""Writes of the reports app: the only code that creates or changes reports and excused days.

Each function checks who may do it, validates (raising Django's
ValidationError with field messages), then writes in one transaction.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.scope import desk_scope, ensure_may_write, ensure_officer_of, ensure_secretariat_of
from core.concurrency import version_claim
from core.corrections import may_correct
from core.history import history_stamp
from core.validators import text_messages
from elections.models import Election
from regions.models import District, Regency

from .constants import (
    CONTENT_FIELDS,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    SITUATION_INVALID,
    SOURCE_INVALID,
    SUMMARY_MAX_LENGTH,
    SUMMARY_REQUIRED,
    Situation,
    Source,
)
from .models import WITHDRAWAL_REASON_MAX_LENGTH, DailyReport, ExcusedDay
from .signals import excuse_granted, report_submitted


class ReportExists(ValidationError):
    """A report for this election, regency and date is already stored: `existing`."""

    def __init__(self, existing):
        self.existing = existing
        message = _(
            "Laporan %(regency)s untuk tanggal %(date)s sudah ada: laporan #%(id)s (%(url)s). "
            "Ubah laporan itu; laporan kedua untuk tanggal yang sama tidak diterima."
        ) % {
            "regency": existing.regency.name,
            "date": date_format(existing.report_date),
            "id": existing.pk,
            "url": existing.get_absolute_url(),
        }
        super().__init__({"report_date": [ValidationError(message, code="duplicate")]})


def _ensure_secretariat_of(user, regency, message=None):
    ensure_secretariat_of(user, regency.province_id,
                          message or _("Hanya sekretariat desk provinsi yang dapat meninjau laporan."))


def _election_errors(election, regency):
    if election is None:
        return {"election": [_("Tidak ada pemilihan aktif untuk %(regency)s.") % {"regency": regency.name}]}
    if election.province_id != regency.province_id:
        return {"election": [_("Pemilihan ini bukan untuk provinsi %(regency)s.") % {"regency": regency.name}]}
    if not election.is_active:
        return {"election": [_("Pemilihan ini tidak aktif lagi.")]}
    return {}


def _window_error(election, day):
    if election.in_reporting_window(day):
        return None
    return _("Tanggal %(date)s di luar masa pelaporan (%(start)s s.d. %(end)s).") % {
        "date": date_format(day),
        "start": date_format(election.reporting_start),
        "end": date_format(election.reporting_end),
    }


def _report_date_errors(election, report_date, now):
    if not isinstance(report_date, dt.date):
        return {"report_date": [_("Tanggal laporan wajib diisi (format YYYY-MM-DD).")]}
    error = _day_error(election, report_date, now, not_yet=_(
        "Tanggal %(date)s belum tiba: laporan hanya untuk hari ini (%(today)s) atau sebelumnya."))
    return {"report_date": [error]} if error else {}


def _day_error(election, day, now, *, not_yet):
    """The one rule of the day a report or an excuse is for: reached (today or before, in the election's zone),
    then inside the election's window. `not_yet` says a day not yet reached (with %(date)s, %(today)s)."""
    today = election.local_date(now)
    if day > today:
        return not_yet % {"date": date_format(day), "today": date_format(today)}
    return _window_error(election, day)


def _clean_content(regency, data):
    """The officer's content, normalised, and a dict of field errors (empty when valid)."""
    errors = {}
    situation = data.get("situation")
    if not situation:
        errors["situation"] = [_("Pilih situasi terkini.")]
    elif situation not in Situation.values:
        errors["situation"] = [str(SITUATION_INVALID)]
    summary = (data.get("summary") or "").strip()
    if not summary:
        errors["summary"] = [str(SUMMARY_REQUIRED)]
    elif text_messages(summary, SUMMARY_MAX_LENGTH):
        errors["summary"] = [_(
            "Ringkasan paling panjang %(n)s karakter, tanpa karakter yang tidak sah (NUL, surrogate)."
        ) % {"n": SUMMARY_MAX_LENGTH}]
    sources = data.get("sources") or []
    if not isinstance(sources, list | tuple) or any(code not in Source.values for code in sources):
        errors["sources"] = [str(SOURCE_INVALID)]
        sources = []
    notes = {code: (text or "").strip() for code, text in (data.get("district_notes") or {}).items()}
    notes = {code: text for code, text in notes.items() if text}
    if notes:
        # Only well-formed keys reach the query (a NUL in a key would fail at the database).
        candidates = [code for code in notes if isinstance(code, str) and not text_messages(code, 20)]
        known = set(District.objects.filter(regency=regency, code__in=candidates).values_list("code", flat=True))
        unknown = sorted(map(str, set(notes) - known))
        if unknown:
            errors["district_notes"] = [
                _("Kecamatan %(codes)s bukan bagian dari %(regency)s.")
                % {"codes": ", ".join(unknown), "regency": regency.name}
            ]
        elif any(text_messages(text, NOTE_MAX_LENGTH) for text in notes.values()):
            errors["district_notes"] = [_(
                "Catatan kecamatan paling panjang %(n)s karakter, tanpa karakter yang tidak sah (NUL, surrogate)."
            ) % {"n": NOTE_MAX_LENGTH}]
    content = {
        "situation": situation,
        "summary": summary,
        # Stored in the catalogue's order, each once, so equal choices compare equal.
        "sources": [code for code in Source.values if code in sources],
        "district_notes": dict(sorted(notes.items())),
    }
    return content, errors


def _existing_report(election, regency, report_date):
    return DailyReport.objects.select_related("regency").filter(
        election=election, regency=regency, report_date=report_date
    ).first()


def report_submit(
    *, election: Election | None, regency: Regency, by: AbstractBaseUser, data: Mapping[str, Any], now: dt.datetime
) -> DailyReport:
    """Store the regency's report for `data["report_date"]`, marked late when after that day's cutoff.

    `data["composed_at"]` (optional) is when the phone says the officer finished it; kept as told.

    Raises PermissionDenied unless `by` is the regency's officer, ValidationError
    (ReportExists for a second report of the same date, also under a race).
    """
    ensure_officer_of(by, regency.pk)
    errors = _election_errors(election, regency)
    report_date = data.get("report_date")
    if not errors:
        errors.update(_report_date_errors(election, report_date, now))
    content, content_errors = _clean_content(regency, data)
    errors.update(content_errors)
    composed_at = data.get("composed_at")
    if composed_at is not None and (not isinstance(composed_at, dt.datetime) or composed_at.tzinfo is None):
        errors["composed_at"] = [_("Waktu penulisan harus tanggal dan jam dengan zona waktu (ISO 8601).")]
    if errors:
        raise ValidationError(errors)

    report = DailyReport(
        election=election,
        regency=regency,
        report_date=report_date,
        submitted_by=by,
        submitted_at=now,
        composed_at=composed_at,
        is_late=now > election.report_deadline(report_date),
        **content,
    )
    history_stamp(report, by=by, now=now)
    # No look-up first: the unique constraint refuses a second report (also one
    # that won a race), and once the failed transaction (or savepoint) is rolled
    # back the existing report is read to name it.
    try:
        with transaction.atomic():
            report.save()
            # In the same transaction: a late report resolves its day's missed-report flag (compliance listens).
            report_submitted.send(sender=DailyReport, report=report)
    except IntegrityError:
        existing = _existing_report(election, regency, report_date)
        if existing is None:
            raise
        raise ReportExists(existing) from None
    return report


def report_edit(
    *, report: DailyReport, by: AbstractBaseUser, data: Mapping[str, Any], now: dt.datetime,
    version: int | None = None, reason: str | None = None,
) -> DailyReport:
    """Change the content of a report; a new history version, same `submitted_at` and `is_late`.

    `data` may hold any of CONTENT_FIELDS; the others keep their value. Nothing
    changed: nothing stored. `version`: the version the editor started from;
    StaleEdit (nothing stored) when another edit was saved since. The regency's
    officer edits; an admin corrects, with a `reason` kept as the history's
    change reason (`accounts.scope.ensure_may_write`).
    """
    reason = ensure_may_write(by, report.regency_id, model=DailyReport, reason=reason)
    current = {field: getattr(report, field) for field in CONTENT_FIELDS}
    content, errors = _clean_content(report.regency, {**current, **{k: v for k, v in data.items() if k in current}})
    if errors:
        raise ValidationError(errors)
    changed = {field: value for field, value in content.items() if current[field] != value}
    if not changed:
        return report
    with transaction.atomic():
        # The guarded UPDATE locks the row: two edits at once become two versions, one after the other,
        # and an edit of a version that is no longer the saved one is refused.
        locked = version_claim(DailyReport.objects.all(), pk=report.pk, version=version)
        for field, value in changed.items():
            setattr(locked, field, value)
        history_stamp(locked, by=by, now=now, reason=reason)
        locked.save(update_fields=list(changed))
    for field, value in changed.items():
        setattr(report, field, value)
    report.version = locked.version
    return report


def report_acknowledge(
    *, report: DailyReport, by: AbstractBaseUser, comment: str | None, now: dt.datetime
) -> DailyReport:
    """The secretariat has read the report; the comment (may be empty) is shown to the officer."""
    _ensure_secretariat_of(by, report.regency)
    comment = (comment or "").strip()
    if messages := text_messages(comment, SUMMARY_MAX_LENGTH):
        raise ValidationError({"comment": messages})
    # A queryset update on purpose: a review is not a version of the officer's report.
    DailyReport.objects.filter(pk=report.pk).update(acknowledged_by=by, acknowledged_at=now, review_comment=comment)
    report.acknowledged_by, report.acknowledged_at, report.review_comment = by, now, comment
    return report


def day_excuse(
    *, election: Election | None, regency: Regency, date: dt.date | None, reason: str | None, by: AbstractBaseUser,
    now: dt.datetime,
) -> ExcusedDay:
    """Excuse a regency-day so it is not counted as missed (e.g. a network outage)."""
    _ensure_secretariat_of(by, regency, _(
        "Hanya sekretariat desk provinsi yang dapat mengecualikan hari lapor sebuah kabupaten/kota; "
        "petugas kabupaten/kota yang terlambat melapor cukup mengirim laporannya."))
    errors = _election_errors(election, regency)
    if not isinstance(date, dt.date):
        errors["date"] = [_("Tanggal wajib diisi (format YYYY-MM-DD).")]
    elif not errors and (day_error := _day_error(election, date, now, not_yet=_(
            # A day not yet reached may still get its report: nothing to excuse yet.
            "Tanggal %(date)s belum tiba: hanya hari ini atau sebelumnya yang dapat dikecualikan."))):
        errors["date"] = [day_error]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Tuliskan alasan pengecualian, mis. gangguan jaringan.")]
    elif messages := text_messages(reason, REASON_MAX_LENGTH):
        errors["reason"] = messages
    if errors:
        raise ValidationError(errors)

    def already_excused(excuse):
        return ValidationError({"date": [
            _("%(regency)s sudah dikecualikan untuk tanggal %(date)s (%(reason)s).")
            % {"regency": regency.name, "date": date_format(date), "reason": excuse.reason}
        ]})

    with transaction.atomic():
        report = _existing_report(election, regency, date)
        if report and not report.is_late:
            raise ValidationError({"date": [
                _("%(regency)s sudah melapor tepat waktu untuk tanggal %(date)s; tidak perlu dikecualikan.")
                % {"regency": regency.name, "date": date_format(date)}
            ]})
        existing = ExcusedDay.objects.filter(election=election, regency=regency, date=date).first()
        if existing:
            raise already_excused(existing)
        excuse = ExcusedDay(
            election=election, regency=regency, date=date, reason=reason, excused_by=by, excused_at=now
        )
        history_stamp(excuse, by=by, now=now)
        try:
            with transaction.atomic():
                excuse.save()
        except IntegrityError:
            existing = ExcusedDay.objects.filter(election=election, regency=regency, date=date).first()
            if existing is None:
                raise
            raise already_excused(existing) from None
        # In the same transaction: the excuse resolves its day's missed-report flag (compliance listens).
        excuse_granted.send(sender=ExcusedDay, excuse=excuse)
    return excuse


def day_excuse_withdraw(*, excuse, by, reason, now):
    """Withdraw a mistaken excuse; the regency-day counts again (missed or late) from the next compliance run.

    The excuse leaves the table; its history keeps it with who withdrew it,
    when, and `reason`. Only the secretariat of the regency's province, or an
    admin allowed to correct excuses.
    """
    if not may_correct(by, ExcusedDay):
        _ensure_secretariat_of(by, excuse.regency, _(
            "Hanya sekretariat desk provinsi (atau admin) yang dapat mencabut pengecualian hari lapor."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Tuliskan alasan pencabutan, mis. salah memilih tanggal.")]})
    if messages := text_messages(reason, WITHDRAWAL_REASON_MAX_LENGTH):
        raise ValidationError({"reason": messages})
    with transaction.atomic():
        locked = ExcusedDay.objects.select_for_update().filter(pk=excuse.pk).first()
        if locked is None:
            raise ValidationError({"excuse": [_("Pengecualian ini sudah dicabut sebelumnya.")]})
        history_stamp(locked, by=by, now=now, reason=reason)
        locked.delete()


def excuses_withdrawn(user):
    """Withdrawn excuses the user may see, newest withdrawal first: the deletion records of their history."""
    return (
        ExcusedDay.history.filter(history_type="-")
        .filter(desk_scope(user).regency_q("regency"))
        .select_related("regency", "history_user", "excused_by")
        .order_by("-history_date")
    )
