"""Hostile input thrown at the services: long and control-character strings, any Unicode (lone
surrogates included), huge numbers, far dates. Each call is either refused with a ValidationError and
stores nothing, or stores the value intact; never a database error.

A service that refused everything would pass those: so each service is also given values drawn from what
it must accept (text within its limit, a day inside the window and not after today, a quantity within
bounds), and each of those must be stored intact."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.dismissal import flag_dismiss
from compliance.models import FLAG_NOTE_MAX_LENGTH, Flag
from logistics.constants import MAX_QUANTITY
from logistics.constants import NOTE_MAX_LENGTH as RECEIPT_NOTE_MAX_LENGTH
from logistics.models import LogisticsItem, LogisticsReceipt
from logistics.services import receipt_correct, receipt_record
from regions.models import PollingStation
from reports.constants import REASON_MAX_LENGTH, SUMMARY_MAX_LENGTH
from reports.models import DailyReport, ExcusedDay
from reports.services import day_excuse, report_edit, report_submit
from tests.helpers import NOW, WITA
from violations.constants import DESCRIPTION_MAX_LENGTH, REFERENCE_MAX_LENGTH
from violations.constants import NOTE_MAX_LENGTH as INCIDENT_NOTE_MAX_LENGTH
from violations.models import IncidentEvent, ViolationIncident
from violations.services import incident_edit, incident_move, incident_record
from votingday.constants import NOTE_MAX_LENGTH as REVOTE_REASON_MAX_LENGTH
from votingday.models import RevoteTps
from votingday.services import revote_schedule

pytestmark = pytest.mark.django_db

HOSTILE = settings(max_examples=40, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Any code point, surrogates and control characters included, and lengths around every limit.
ANY_CHAR = st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF, categories=None)
texts = st.one_of(
    st.text(ANY_CHAR, max_size=60),
    st.text(st.sampled_from("a\x00\x07\t\n\u200b\ud800\U0001f600é"), max_size=30),
    st.integers(min_value=90, max_value=6000).map(lambda n: "x" * n),
)
numbers = st.one_of(st.integers(min_value=-(2**80), max_value=2**80), st.integers(min_value=-5, max_value=10),
                    st.just(50_000_000), st.just(50_000_001), st.floats(allow_nan=True), st.text(max_size=5))
moments = st.one_of(
    st.datetimes(timezones=st.sampled_from([dt.UTC, WITA])),
    st.datetimes(min_value=dt.datetime(2024, 8, 1), max_value=dt.datetime(2024, 12, 31), timezones=st.just(WITA)),
)
days = st.one_of(st.dates(), st.dates(min_value=dt.date(2024, 10, 1), max_value=dt.date(2024, 12, 31)))


# What the services must accept: printable text within a limit (not blank), days and moments inside the
# fixture election's window (2024-11-01 .. 2024-12-16, recording from 60 days before) up to NOW.
def valid_texts(limit):
    printable = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs"))
    return st.one_of(st.text(printable, min_size=1, max_size=80), st.just("é" * limit)).filter(str.strip)


valid_days = st.dates(min_value=dt.date(2024, 11, 1), max_value=NOW.date())
valid_moments = st.datetimes(min_value=dt.datetime(2024, 9, 3), max_value=NOW.replace(tzinfo=None),
                             timezones=st.just(WITA))
valid_quantities = st.integers(min_value=1, max_value=MAX_QUANTITY)


def _stored(call):
    """Run `call` (which checks what it stored) in a savepoint that is rolled back; a refusal fails the test."""
    with transaction.atomic():
        call()
        transaction.set_rollback(True)


def _attempt(call, stored):
    """Run `call` in a savepoint that is rolled back; refused calls must leave `stored()` empty."""
    with transaction.atomic():
        try:
            result = call()
        except ValidationError:
            assert not stored(), "a refused call stored something"
            result = None
        transaction.set_rollback(True)
    return result


def _report_submit(election, samarinda, officer, summary, note, day, *, other_notes):
    """`other_notes`: further district notes ({key: text}), e.g. one keyed by the hostile text itself."""
    district = samarinda.districts.order_by("code").first()

    def call():
        report = report_submit(election=election, regency=samarinda, by=officer, now=NOW, data={
            "report_date": day, "situation": "alert", "summary": summary, "sources": ["kpu"],
            "district_notes": {district.code: note, **other_notes}})
        saved = DailyReport.objects.get(pk=report.pk)
        assert saved.summary == summary.strip() and saved.district_notes.get(district.code) == (note.strip() or None)
        return report

    return call


@HOSTILE
@given(summary=texts, note=texts, day=days)
def test_report_submit_refuses_or_stores_intact(election, samarinda, officer, summary, note, day):
    _attempt(_report_submit(election, samarinda, officer, summary, note, day, other_notes={note: "x"}),
             lambda: DailyReport.objects.exists())


@HOSTILE
@given(summary=valid_texts(SUMMARY_MAX_LENGTH), note=valid_texts(1000), day=valid_days)
def test_report_submit_stores_every_valid_report(election, samarinda, officer, summary, note, day):
    _stored(_report_submit(election, samarinda, officer, summary, note, day, other_notes={}))


def _report_edit(election, samarinda, officer, summary):
    def call():
        report = report_submit(election=election, regency=samarinda, by=officer, now=NOW, data={
            "report_date": NOW.date(), "situation": "alert", "summary": "Awal.", "sources": []})
        report_edit(report=report, by=officer, now=NOW, data={"summary": summary})
        assert DailyReport.objects.get(pk=report.pk).summary == summary.strip()

    return call


@HOSTILE
@given(summary=texts)
def test_report_edit_refuses_or_stores_intact(election, samarinda, officer, summary):
    _attempt(_report_edit(election, samarinda, officer, summary),
             lambda: DailyReport.objects.exclude(summary="Awal.").exists())


@HOSTILE
@given(summary=valid_texts(SUMMARY_MAX_LENGTH))
def test_report_edit_stores_every_valid_summary(election, samarinda, officer, summary):
    _stored(_report_edit(election, samarinda, officer, summary))


def _receipt_calls(election, samarinda, officer, received, damaged, at, note):
    item = LogisticsItem.objects.get(code="ink")
    data = {"quantity_received": received, "quantity_damaged": damaged, "received_at": at, "note": note,
            "confirm_over_expected": True}

    def record():
        receipt = receipt_record(election=election, regency=samarinda, item=item, by=officer, now=NOW, data=data)
        saved = LogisticsReceipt.objects.get(pk=receipt.pk)
        assert (saved.quantity_received, saved.received_at, saved.note) == (received, at, note.strip())

    def correct():
        with transaction.atomic():
            receipt = receipt_record(election=election, regency=samarinda, item=item, by=officer, now=NOW, data={
                "quantity_received": 1, "received_at": NOW})
        receipt_correct(receipt=receipt, by=officer, now=NOW, data=data)
        assert LogisticsReceipt.objects.get(pk=receipt.pk).quantity_received == received

    return record, correct


@HOSTILE
@given(received=numbers, damaged=numbers, at=moments, note=texts)
def test_receipt_record_and_correct_refuse_or_store_intact(election, samarinda, officer, received, damaged, at,
                                                          note):
    record, correct = _receipt_calls(election, samarinda, officer, received, damaged, at, note)
    _attempt(record, lambda: LogisticsReceipt.objects.exists())
    _attempt(correct, lambda: LogisticsReceipt.objects.exclude(quantity_received=1).exists())


@HOSTILE
@given(received=valid_quantities, damaged=st.integers(min_value=0, max_value=MAX_QUANTITY), at=valid_moments,
       note=valid_texts(RECEIPT_NOTE_MAX_LENGTH))
def test_receipt_record_and_correct_store_every_valid_receipt(election, samarinda, officer, received, damaged, at,
                                                              note):
    record, correct = _receipt_calls(election, samarinda, officer, received, damaged, at, note)
    _stored(record)
    _stored(correct)


def _incident_calls(election, samarinda, officer, secretariat, description, at, reference, note):
    def record():
        incident = incident_record(regency=samarinda, by=officer, now=NOW, occurred_at=at, category="other",
                                   origin="finding", description=description)
        saved = ViolationIncident.objects.get(pk=incident.pk)
        assert (saved.description, saved.occurred_at) == (description.strip(), at)

    def fresh():
        with transaction.atomic():
            return incident_record(regency=samarinda, by=officer, now=NOW, occurred_at=NOW, category="other",
                                   origin="finding", description="Awal.")

    def edit():
        incident = fresh()
        incident_edit(incident=incident, by=officer, now=NOW, description=description, occurred_at=at)
        saved = ViolationIncident.objects.get(pk=incident.pk)
        assert (saved.description, saved.occurred_at) == (description.strip(), at)

    def move():
        incident = fresh()
        incident_move(incident=incident, to_status="forwarded", by=secretariat, now=NOW, forwarded_to="bawaslu",
                      reference=reference, note=note)
        saved = ViolationIncident.objects.get(pk=incident.pk)
        assert saved.reference == reference.strip() and saved.events.last().note == note.strip()

    return record, edit, move


@HOSTILE
@given(description=texts, at=moments, reference=texts, note=texts)
def test_incident_services_refuse_or_store_intact(election, samarinda, officer, secretariat, description, at,
                                                  reference, note):
    record, edit, move = _incident_calls(election, samarinda, officer, secretariat, description, at, reference, note)
    _attempt(record, lambda: ViolationIncident.objects.exists() or IncidentEvent.objects.exists())
    _attempt(edit, lambda: ViolationIncident.objects.exclude(description="Awal.").exists())
    _attempt(move, lambda: ViolationIncident.objects.exclude(status="recorded").exists())


@HOSTILE
@given(description=valid_texts(DESCRIPTION_MAX_LENGTH), at=valid_moments, reference=valid_texts(REFERENCE_MAX_LENGTH),
       note=valid_texts(INCIDENT_NOTE_MAX_LENGTH))
def test_incident_services_store_every_valid_value(election, samarinda, officer, secretariat, description, at,
                                                   reference, note):
    for call in _incident_calls(election, samarinda, officer, secretariat, description, at, reference, note):
        _stored(call)


def _excuse_calls(election, samarinda, secretariat, reason, day):
    def excuse():
        made = day_excuse(election=election, regency=samarinda, date=day, reason=reason, by=secretariat, now=NOW)
        assert ExcusedDay.objects.get(pk=made.pk).reason == reason.strip()

    def dismiss():
        with transaction.atomic():
            flag = Flag.objects.create(election=election, regency=samarinda, kind="missed_daily_report",
                                       date=NOW.date(), raised_at=NOW)
        flag_dismiss(flag=flag, by=secretariat, note=reason, now=NOW)
        assert Flag.objects.get(pk=flag.pk).note == reason

    return excuse, dismiss


@HOSTILE
@given(reason=texts, day=days)
def test_excuse_and_flag_notes_refuse_or_store_intact(election, samarinda, secretariat, reason, day):
    excuse, dismiss = _excuse_calls(election, samarinda, secretariat, reason, day)
    _attempt(excuse, lambda: ExcusedDay.objects.exists())
    _attempt(dismiss, lambda: Flag.objects.exclude(resolved_at=None).exists())


@HOSTILE
@given(reason=valid_texts(min(REASON_MAX_LENGTH, FLAG_NOTE_MAX_LENGTH)), day=valid_days)
def test_excuse_and_flag_notes_store_every_valid_reason(election, samarinda, secretariat, reason, day):
    for call in _excuse_calls(election, samarinda, secretariat, reason, day):
        _stored(call)


def _revote_call(election, samarinda, secretariat, reason, day):
    stations = list(PollingStation.objects.filter(regency=samarinda).order_by("pk")[:2])

    def schedule():
        made = revote_schedule(election=election, stations=stations, date=day, reason=reason, by=secretariat,
                               now=NOW)
        assert [row.reason for row in RevoteTps.objects.filter(pk__in=[row.pk for row in made])] == [
            reason.strip()] * 2

    return schedule


@HOSTILE
@given(reason=texts, day=days)
def test_revote_schedule_refuses_or_stores_intact(election, samarinda, secretariat, reason, day):
    _attempt(_revote_call(election, samarinda, secretariat, reason, day), lambda: RevoteTps.objects.exists())


@HOSTILE
@given(reason=valid_texts(REVOTE_REASON_MAX_LENGTH),
       day=st.dates(min_value=dt.date(2024, 11, 28), max_value=dt.date(2024, 12, 16)))
def test_revote_schedule_stores_every_valid_ground_and_date(election, samarinda, secretariat, reason, day):
    _stored(_revote_call(election, samarinda, secretariat, reason, day))
