
import pytest

from logistics.models import LogisticsItem, LogisticsReceipt
from logistics.selectors import expected_quantities
from reports.models import DailyReport
from tests.helpers import wita


def report_make(election, regency, day, *, submitted_at, by):
    """A report as report_submit stores it (the compliance rules only read these columns)."""
    return DailyReport.objects.create(
        election=election, regency=regency, report_date=day, situation="conducive",
        summary="Situasi aman dan kondusif.", sources=["kpu"], submitted_by=by, submitted_at=submitted_at,
        is_late=submitted_at > election.report_deadline(day),
    )


def receipts_cover(election, regency, by, *, short_item=None, at=None):
    """Receipts covering every catalogue item for `regency`; `short_item` gets one unit less."""
    at = at or wita(2024, 11, 25, 10, 0)
    expected = expected_quantities(regencies=[regency])
    for item in LogisticsItem.objects.all():
        quantity = expected[(regency.code, item.pk)] - (1 if item.code == short_item else 0)
        LogisticsReceipt.objects.create(
            election=election, regency=regency, item=item, quantity_received=quantity, received_at=at,
            confirmed_by=by, created_at=at,
        )


@pytest.fixture
def make_report():
    return report_make


@pytest.fixture
def cover_receipts():
    return receipts_cover
