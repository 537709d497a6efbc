"""Logistics fixtures: the catalogue (from the data migration), a frozen moment before the
deadline, and helpers to record receipts through the service."""

import datetime as dt

import pytest
import time_machine

from logistics.models import LogisticsItem
from logistics.selectors import expected_quantities
from logistics.services import receipt_record
from tests.helpers import WITA

# A week before the logistics deadline of the test election (2024-11-27 00:00 WITA).
NOW = dt.datetime(2024, 11, 20, 10, 0, tzinfo=WITA)


@pytest.fixture
def catalogue(db):
    """The catalogue is put back by tests/conftest.py when a flush removed it."""
    return LogisticsItem.objects.all()


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def items(catalogue):
    return {item.code: item for item in LogisticsItem.objects.all()}


def receipt_data(quantity, *, damaged=0, at=None, note="", confirm=False):
    return {
        "quantity_received": quantity,
        "quantity_damaged": damaged,
        "received_at": at or NOW - dt.timedelta(hours=2),
        "note": note,
        "confirm_over_expected": confirm,
    }


def record(election, regency, item, by, quantity, **kwargs):
    return receipt_record(
        election=election, regency=regency, item=item, by=by, data=receipt_data(quantity, **kwargs), now=NOW
    )


def cover_every_item(election, regency, by, *, except_item=None, short_by=0):
    """Receipts equal to the expected quantity of every item (one item `short_by` units short)."""
    expected = expected_quantities(regencies=[regency])
    for item in LogisticsItem.objects.all():
        quantity = expected[(regency.code, item.pk)]
        if item.code == except_item:
            quantity -= short_by
        if quantity:
            record(election, regency, item, by, quantity)
