"""Kutai Kartanegara joins the cast: the regency of the issue's story, its officer, and evidence files."""

import datetime as dt

import pytest

from regions.models import PollingStation
from tests import factories
from tests.helpers import NOW
from violations.constants import Category, Origin

# The moment the tests live in: a week before voting day, noon in Kaltim.


@pytest.fixture
def kukar(kaltim):
    return factories.regency_make("64.02", "Kabupaten Kutai Kartanegara")


@pytest.fixture
def election(kaltim, samarinda, balikpapan, kukar):
    """The active election, with Kukar's own race next to Samarinda's and Balikpapan's."""
    return factories.election_make(kaltim, regencies=[samarinda, balikpapan, kukar])


@pytest.fixture
def kukar_officer(kukar):
    return factories.officer_make(kukar)


@pytest.fixture
def kukar_tps(kukar):
    """TPS 002 of the second village of Kukar's first district."""
    return PollingStation.objects.select_related("village__district").get(village_id="64.02.01.1002", number=2)


@pytest.fixture
def governor_pair(election):
    return election.contests.get(kind="governor").candidate_pairs.get(number=1)


@pytest.fixture
def samarinda_pair(election, samarinda):
    return election.contests.get(regency=samarinda).candidate_pairs.get()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Evidence goes to a fresh folder per test, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def record(kukar, kukar_officer, kukar_tps, governor_pair, now):
    """Record a Kukar incident through the service; keyword arguments override the defaults."""
    from violations.services import incident_record

    def make(**overrides):
        fields = {
            "regency": kukar, "by": kukar_officer, "now": now, "occurred_at": now - dt.timedelta(hours=3),
            "category": Category.MONEY_POLITICS, "origin": Origin.FINDING, "tps": kukar_tps,
            "candidate_pair": governor_pair, "description": "Amplop berisi uang dibagikan di dekat TPS.",
        }
        fields.update(overrides)
        return incident_record(**fields)

    return make
