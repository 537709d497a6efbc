"""Hostile input thrown at the services: long and control-character strings, any Unicode (lone
surrogates included), huge numbers, far dates. Each call is either refused with a ValidationError and
stores nothing, or stores the value intact; never a database error."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.dismissal import flag_dismiss
from compliance.models import Flag
from logistics.models import LogisticsItem, LogisticsReceipt
from logistics.services import receipt_correct, receipt_record
from reports.models import DailyReport, ExcusedDay
from reports.services import day_excuse, report_edit, report_submit
from violations.models import IncidentEvent, ViolationIncident
from violations.services import incident_edit, incident_move, incident_record

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2024, 11, 20, 12, 0, tzinfo=WITA)

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


@HOSTILE
@given(summary=texts, note=texts, day=days)
def test_report_submit_refuses_or_stores_intact(election, samarinda, officer, summary, note, day):
    district = samarinda.districts.order_by("code").first()

    def call():
        report = report_submit(election=election, regency=samarinda, by=officer, now=NOW, data={
            "report_date": day, "situation": "alert", "summary": summary, "sources": ["kpu"],
            "district_notes": {district.code: note, note: "x"}})
        saved = DailyReport.objects.get(pk=report.pk)
        assert saved.summary == summary.strip() and saved.district_notes.get(district.code) == (note.strip() or None)
        return report

    _attempt(call, lambda: DailyReport.objects.exists())


@HOSTILE
@given(summary=texts)
def test_report_edit_refuses_or_stores_intact(election, samarinda, officer, summary):
    def call():
        report = report_submit(election=election, regency=samarinda, by=officer, now=NOW, data={
            "report_date": NOW.date(), "situation": "alert", "summary": "Awal.", "sources": []})
        report_edit(report=report, by=officer, now=NOW, data={"summary": summary})
        assert DailyReport.objects.get(pk=report.pk).summary == summary.strip()

    _attempt(call, lambda: DailyReport.objects.exclude(summary="Awal.").exists())


@HOSTILE
@given(received=numbers, damaged=numbers, at=moments, note=texts)
def test_receipt_record_and_correct_refuse_or_store_intact(election, samarinda, officer, received, damaged, at,
                                                          note):
    item = LogisticsItem.objects.get(code="ink")
    data = {"quantity_received": received, "quantity_damaged": damaged, "received_at": at, "note": note,
            "confirm_over_expected": True}

    def record():
        receipt = receipt_record(election=election, regency=samarinda, item=item, by=officer, now=NOW, data=data)
        saved = LogisticsReceipt.objects.get(pk=receipt.pk)
        assert (saved.quantity_received, saved.received_at, saved.note) == (received, at, note.strip())

    _attempt(record, lambda: LogisticsReceipt.objects.exists())

    def correct():
        with transaction.atomic():
            receipt = receipt_record(election=election, regency=samarinda, item=item, by=officer, now=NOW, data={
                "quantity_received": 1, "received_at": NOW})
        receipt_correct(receipt=receipt, by=officer, now=NOW, data=data)
        assert LogisticsReceipt.objects.get(pk=receipt.pk).quantity_received == received

    _attempt(correct, lambda: LogisticsReceipt.objects.exclude(quantity_received=1).exists())


@HOSTILE
@given(description=texts, at=moments, reference=texts, note=texts)
def test_incident_services_refuse_or_store_intact(election, samarinda, officer, secretariat, description, at,
                                                  reference, note):
    def record():
        incident = incident_record(regency=samarinda, by=officer, now=NOW, occurred_at=at, category="other",
                                   origin="finding", description=description)
        saved = ViolationIncident.objects.get(pk=incident.pk)
        assert (saved.description, saved.occurred_at) == (description.strip(), at)

    _attempt(record, lambda: ViolationIncident.objects.exists() or IncidentEvent.objects.exists())

    def fresh():
        with transaction.atomic():
            return incident_record(regency=samarinda, by=officer, now=NOW, occurred_at=NOW, category="other",
                                   origin="finding", description="Awal.")

    def edit():
        incident = fresh()
        incident_edit(incident=incident, by=officer, now=NOW, description=description, occurred_at=at)
        saved = ViolationIncident.objects.get(pk=incident.pk)
        assert (saved.description, saved.occurred_at) == (description.strip(), at)

    _attempt(edit, lambda: ViolationIncident.objects.exclude(description="Awal.").exists())

    def move():
        incident = fresh()
        incident_move(incident=incident, to_status="forwarded", by=secretariat, now=NOW, forwarded_to="bawaslu",
                      reference=reference, note=note)
        saved = ViolationIncident.objects.get(pk=incident.pk)
        assert saved.reference == reference.strip() and saved.events.last().note == note.strip()

    _attempt(move, lambda: ViolationIncident.objects.exclude(status="recorded").exists())


@HOSTILE
@given(reason=texts, day=days)
def test_excuse_and_flag_notes_refuse_or_store_intact(election, samarinda, secretariat, reason, day):
    def excuse():
        made = day_excuse(election=election, regency=samarinda, date=day, reason=reason, by=secretariat, now=NOW)
        assert ExcusedDay.objects.get(pk=made.pk).reason == reason.strip()

    _attempt(excuse, lambda: ExcusedDay.objects.exists())

    def dismiss():
        with transaction.atomic():
            flag = Flag.objects.create(election=election, regency=samarinda, kind="missed_daily_report",
                                       date=NOW.date(), raised_at=NOW)
        flag_dismiss(flag=flag, by=secretariat, note=reason, now=NOW)
        assert Flag.objects.get(pk=flag.pk).note == reason

    _attempt(dismiss, lambda: Flag.objects.exclude(resolved_at=None).exists())
