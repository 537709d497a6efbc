import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from elections.models import Contest

WITA = ZoneInfo("Asia/Makassar")


def wita(*args):
    return dt.datetime(*args, tzinfo=WITA)


@pytest.fixture
def election(election):
    """The 2024 election with its recapitulation windows (PKPU 2/2024)."""
    election.recap_district_start, election.recap_district_end = dt.date(2024, 11, 28), dt.date(2024, 12, 3)
    election.recap_regency_start, election.recap_regency_end = dt.date(2024, 11, 29), dt.date(2024, 12, 6)
    election.recap_province_start, election.recap_province_end = dt.date(2024, 11, 30), dt.date(2024, 12, 9)
    election.save()
    return election


@pytest.fixture
def governor(election):
    return Contest.objects.get(election=election, kind="governor")


@pytest.fixture
def local_samarinda(election, samarinda):
    return Contest.objects.get(election=election, regency=samarinda)


def counts(opened, closed, counted, **more):
    return {"tps_opened": opened, "tps_closed": closed, "tps_counted": counted, **more}
