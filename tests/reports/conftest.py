"""Report fixtures: frozen clocks in WITA and a helper that submits through the service."""

import datetime as dt

import pytest

from reports.services import report_submit
from tests.helpers import wita

DAY = dt.date(2024, 11, 20)  # a pre-voting day inside the fixture election's window



@pytest.fixture
def frozen_at():
    """Time stands at DAY 10:00 WITA (before the 20:00 cutoff)."""
    return wita(DAY, 10)


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
