"""Report fixtures: frozen clocks in WITA and a helper that submits through the service."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from reports.services import report_submit

WITA = ZoneInfo("Asia/Makassar")
DAY = dt.date(2024, 11, 20)  # a pre-voting day inside the fixture election's window


def wita(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WITA)


@pytest.fixture
def frozen():
    """Time stands at DAY 10:00 WITA (before the 20:00 cutoff)."""
    with time_machine.travel(wita(DAY, 10), tick=False) as traveller:
        yield traveller


@pytest.fixture
def submit(election, samarinda, officer):
    """submit(day, at=..., **fields): a Samarinda report through report_submit."""

    def make(day=DAY, *, at=None, regency=None, by=None, in_election=None, **fields):
        data = {"report_date": day, "situation": "conducive", "summary": "Aman terkendali.", "sources": ["kpu"]}
        data.update(fields)
        return report_submit(
            election=in_election or election, regency=regency or samarinda, by=by or officer, data=data,
            now=at or wita(day, 18),
        )

    return make
