"""The time zone has one source: the province's. Its elections' deadlines and local dates are read in it."""

import datetime as dt

import pytest

from elections.models import Election
from regions.models import Province
from tests import factories

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.mark.parametrize(("code", "name", "zone", "deadline_utc"), [
    ("31", "DKI Jakarta", "Asia/Jakarta", dt.datetime(2024, 11, 20, 13, 0, tzinfo=UTC)),  # WIB, UTC+7
    ("64", "Kalimantan Timur", "Asia/Makassar", dt.datetime(2024, 11, 20, 12, 0, tzinfo=UTC)),  # WITA, UTC+8
    ("91", "Papua", "Asia/Jayapura", dt.datetime(2024, 11, 20, 11, 0, tzinfo=UTC)),  # WIT, UTC+9
])
def test_a_new_election_reads_its_deadlines_in_its_provinces_zone(settings, code, name, zone, deadline_utc):
    settings.DESK_TIME_ZONE = "Asia/Makassar"  # the site's zone decides nothing for an election
    province = Province.objects.create(code=code, name=name, time_zone=zone)
    election = factories.election_make(province)

    election = Election.objects.get(pk=election.pk)
    assert election.time_zone == zone and str(election.zone) == zone
    assert election.report_deadline(dt.date(2024, 11, 20)) == deadline_utc
    # 23.30 UTC on the 19th: already the 20th in every Indonesian zone but not in UTC.
    assert election.local_date(dt.datetime(2024, 11, 19, 23, 30, tzinfo=UTC)) == dt.date(2024, 11, 20)
    # The late flag of an hour-off zone: 12.30 UTC is before a WIB deadline, after a WITA or WIT one.
    assert (dt.datetime(2024, 11, 20, 12, 30, tzinfo=UTC) > election.report_deadline(dt.date(2024, 11, 20))) == (
        zone != "Asia/Jakarta")


def test_a_province_changing_its_zone_moves_its_elections_deadlines():
    province = Province.objects.create(code="91", name="Papua", time_zone="Asia/Makassar")
    election = factories.election_make(province)
    Province.objects.filter(pk="91").update(time_zone="Asia/Jayapura")

    election = Election.objects.get(pk=election.pk)
    assert election.report_deadline(dt.date(2024, 11, 20)) == dt.datetime(2024, 11, 20, 11, 0, tzinfo=UTC)


def test_a_new_province_without_a_zone_takes_desk_time_zone(settings):
    settings.DESK_TIME_ZONE = "Asia/Jayapura"
    assert Province.objects.create(code="94", name="Papua Tengah").time_zone == "Asia/Jayapura"


def test_an_election_read_through_a_record_brings_its_province_without_a_query(django_assert_num_queries):
    from reports.models import DailyReport  # noqa: F401  (the foreign key below is the election's base manager)

    province = Province.objects.create(code="91", name="Papua", time_zone="Asia/Jayapura")
    election = factories.election_make(province)
    contest = election.contests.first()
    contest = type(contest).objects.get(pk=contest.pk)
    with django_assert_num_queries(1):
        assert str(contest.election.zone) == "Asia/Jayapura"
