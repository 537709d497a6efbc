import datetime as dt

import pytest

from desk.rakor.services import action_item_assign, meeting_schedule
from tests import factories
from tests.desk import helpers
from tests.helpers import wita

ZOOM = {"title": "Rakor Desk Pilkada", "join_url": "https://zoom.us/j/81234567890?pwd=abc",
        "zoom_meeting_id": "81234567890", "passcode": "261124", "agenda": "Kesiapan logistik dan pelanggaran."}


def meeting_make(election, by, day, hour=14, minute=0, now=None, **data):
    """A meeting on `day`, scheduled (unless `now` says otherwise) the morning of the day before."""
    now = now or wita(day.year, day.month, day.day, 8) - dt.timedelta(days=1)
    return meeting_schedule(election=election, by=by, date=day, time=dt.time(hour, minute), duration_minutes=90,
                            data={**ZOOM, **data}, now=now)


@pytest.fixture
def meeting(election, secretariat):
    """A Rakor on Friday 22 November 2024 at 14.00 WITA."""
    return meeting_make(election, secretariat, dt.date(2024, 11, 22))


@pytest.fixture
def item(meeting, samarinda, secretariat):
    return action_item_assign(meeting=meeting, regency=samarinda, by=secretariat, now=wita(2024, 11, 22, 15, 0),
                              description="Kirim foto gudang logistik.", due_date=dt.date(2024, 11, 25))


@pytest.fixture
def other_secretariat(other_province_regency):
    return factories.secretariat_make(other_province_regency.province, username="sekretariat-kaltara")


@pytest.fixture
def outlines(samarinda, balikpapan):
    helpers.outlines_load([samarinda, balikpapan])


@pytest.fixture
def frozen_at():
    """Time stands at TODAY 21:00 WITA: today's cutoff has passed."""
    return wita(helpers.TODAY, 21)
