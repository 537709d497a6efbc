"""Compliance listens to the streams: a late report, an excuse, a receipt resolve their flag at once.

The streams do not import compliance (tests/project/test_layers.py): they
send plain signals (`reports.signals.report_submitted`, `excuse_granted`,
`logistics.signals.receipt_recorded`) inside the transaction that stores the
record, and `ComplianceConfig.ready()` connects the receivers below, so the
flag's resolution commits or rolls back with the record. The scheduled run
(`compliance.run`) would resolve the same flags later; these make it
immediate and date it with the record.
"""

import datetime as dt

from logistics.models import LogisticsReceipt
from logistics.selectors import regencies_with_shortfall
from reports.models import DailyReport, ExcusedDay

from .models import Flag, FlagKind, Resolution
from .run import logistics_flags_resolve


def _day_flag(*, election_id, regency_id, date):
    """The open missed-report flag of one regency-day: at most one, by its unique key."""
    return Flag.objects.open().filter(
        election_id=election_id, regency_id=regency_id, date=date, kind=FlagKind.MISSED_DAILY_REPORT
    )


def flag_resolve_by_report(report: DailyReport) -> int:
    """Resolve the missed-report flag of a late report's own day, dated with its submission.

    The day is covered by that report, so no look-up of reports is needed. An
    on-time report comes before the deadline: no flag can be open for its day.
    """
    if not report.is_late:
        return 0
    return _day_flag(
        election_id=report.election_id, regency_id=report.regency_id, date=report.report_date
    ).update(resolved_at=report.submitted_at, resolution=Resolution.LATE_REPORT)


def flag_resolve_by_excuse(excuse: ExcusedDay) -> int:
    """Resolve the missed-report flag of an excused day, by whoever excused it and when."""
    return _day_flag(election_id=excuse.election_id, regency_id=excuse.regency_id, date=excuse.date).update(
        resolved_at=excuse.excused_at, resolved_by=excuse.excused_by, resolution=Resolution.EXCUSED
    )


def flag_resolve_by_receipt(receipt: LogisticsReceipt, now: dt.datetime) -> int:
    """Resolve the regency's logistics flag when its receipts now cover every item."""
    open_flags = Flag.objects.open().filter(election_id=receipt.election_id, regency_id=receipt.regency_id)
    short = regencies_with_shortfall(election=receipt.election, regency_codes=[receipt.regency_id])
    return logistics_flags_resolve(open_flags=open_flags, short=short, now=now)


# Signal receivers: connected in ComplianceConfig.ready().


def on_report_submitted(sender, *, report, **kwargs):
    flag_resolve_by_report(report)


def on_excuse_granted(sender, *, excuse, **kwargs):
    flag_resolve_by_excuse(excuse)


def on_receipt_recorded(sender, *, receipt, now, **kwargs):
    flag_resolve_by_receipt(receipt, now)
