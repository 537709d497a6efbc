"""The cast: two regencies of Kaltim (Samarinda, Balikpapan), one of another
province, the active election, and a user of each role."""

import pytest
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture
def kaltim(db):
    return factories.province_make("64", "Kalimantan Timur")


@pytest.fixture
def samarinda(kaltim):
    return factories.regency_make("64.72", "Kota Samarinda")


@pytest.fixture
def balikpapan(kaltim):
    return factories.regency_make("64.71", "Kota Balikpapan")


@pytest.fixture
def other_province_regency(db):
    factories.province_make("65", "Kalimantan Utara")
    return factories.regency_make("65.71", "Kota Tarakan")


@pytest.fixture
def election(kaltim, samarinda, balikpapan):
    return factories.election_make(kaltim, regencies=[samarinda, balikpapan])


@pytest.fixture
def officer(samarinda):
    return factories.officer_make(samarinda)


@pytest.fixture
def other_officer(balikpapan):
    return factories.officer_make(balikpapan)


@pytest.fixture
def secretariat(kaltim):
    return factories.secretariat_make(kaltim)


@pytest.fixture
def admin_user(db):
    return factories.admin_make()


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` logs in by session."""

    class Client(APIClient):
        def as_user(self, user):
            self.force_authenticate(user=None)
            self.force_login(user)
            return self

    return Client()
