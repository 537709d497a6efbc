"""A re-vote day (PSU) for listed TPS counts as a voting day for those TPS, and only for them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compliance.models import Flag
from compliance.run import flags_check
from regions.models import PollingStation
from votingday.models import TpsStatus
from votingday.services import revote_schedule, tps_status_record, tps_statuses_record, voting_round_submit

from .conftest import counts, wita

pytestmark = pytest.mark.django_db
REVOTE = dt.date(2024, 12, 2)


@pytest.fixture
def listed(election, samarinda, secretariat):
    stations = list(PollingStation.objects.filter(regency=samarinda).order_by("pk")[:2])
    revote_schedule(election=election, stations=stations, date=REVOTE, reason="Putusan Bawaslu", by=secretariat,
                    now=wita(2024, 11, 30, 9))
    return stations


def test_only_the_secretariat_lists_revote_tps_after_voting_day(election, samarinda, officer, secretariat):
    tps = PollingStation.objects.filter(regency=samarinda)[:1]
    with pytest.raises(PermissionDenied):
        revote_schedule(election=election, stations=tps, date=REVOTE, reason="", by=officer, now=wita(2024, 12, 1))
    with pytest.raises(ValidationError):
        revote_schedule(election=election, stations=tps, date=dt.date(2024, 11, 27), reason="", by=secretariat,
                        now=wita(2024, 12, 1))


def test_field_status_on_a_revote_day_only_for_listed_tps(listed, samarinda):
    tps_status_record(tps=listed[0], status="open", note="", at=wita(2024, 12, 2, 7, 5), source="sms")
    assert TpsStatus.objects.get().at == wita(2024, 12, 2, 7, 5)
    other = PollingStation.objects.filter(regency=samarinda).exclude(pk__in=[t.pk for t in listed]).first()
    with pytest.raises(ValidationError):
        tps_status_record(tps=other, status="open", note="", at=wita(2024, 12, 2, 7, 5), source="sms")



def test_statuses_as_a_set_on_a_revote_day_only_for_listed_tps(election, listed, samarinda):
    at = wita(2024, 12, 2, 7, 5)
    other = PollingStation.objects.filter(regency=samarinda).exclude(pk__in=[t.pk for t in listed]).first()
    with pytest.raises(ValidationError) as error:
        tps_statuses_record(election=election, rows=[(tps.pk, "64.72", "open", at, "sms", "")
                                                     for tps in [*listed, other]])
    assert [message[:8] for message in error.value.message_dict["rows"]] == ["Baris 3:"]
    assert not TpsStatus.objects.exists()
    assert tps_statuses_record(election=election, rows=[(tps.pk, "64.72", "open", at, "sms", "")
                                                        for tps in listed]) == 2


def test_round_on_a_revote_day_counts_the_listed_tps_and_leaves_voting_day_alone(election, listed, samarinda,
                                                                                officer, balikpapan, other_officer):
    with pytest.raises(ValidationError) as error:
        voting_round_submit(election=election, regency=samarinda, by=officer, now=wita(2024, 12, 1, 9),
                            data={"round": "opening", "day": REVOTE, **counts(2, 0, 0)})
    assert "round" in error.value.message_dict  # not before that day
    with pytest.raises(ValidationError) as error:
        voting_round_submit(election=election, regency=samarinda, by=officer, now=wita(2024, 12, 2, 9),
                            data={"round": "opening", "day": REVOTE, **counts(3, 0, 0)})
    assert "tps_opened" in error.value.message_dict  # only 2 TPS vote again
    revote = voting_round_submit(election=election, regency=samarinda, by=officer, now=wita(2024, 12, 2, 10, 30),
                                 data={"round": "opening", "day": REVOTE, **counts(2, 0, 0)})
    assert (revote.tps_total, revote.is_late) == (2, True)
    with pytest.raises(ValidationError) as error:  # Balikpapan has no re-vote
        voting_round_submit(election=election, regency=balikpapan, by=other_officer, now=wita(2024, 12, 2, 9),
                            data={"round": "opening", "day": REVOTE, **counts(0, 0, 0)})
    assert "day" in error.value.message_dict
    flags_check(now=wita(2024, 12, 2, 12))
    # Voting day's opening round of Samarinda is still missing: the re-vote round does not stand in for it.
    assert Flag.objects.open().filter(kind="missed_voting_round", regency=samarinda, subject="opening").exists()
