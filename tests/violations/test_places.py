import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from regions.models import District, PollingStation, Village
from violations.models import IncidentEvent, ViolationIncident

pytestmark = pytest.mark.django_db


def _refused(record, **fields):
    with pytest.raises(ValidationError) as refused:
        record(**fields)
    assert not ViolationIncident.objects.exists()
    assert not IncidentEvent.objects.exists()
    return refused.value.message_dict


def test_village_of_another_regency_is_refused(record, samarinda):
    problems = _refused(record, tps=None, village=Village.objects.get(pk="64.72.01.1001"))
    assert problems["village"] == ["Kelurahan/desa Kota Samarinda D1 V1 tidak berada di Kabupaten Kutai Kartanegara."]


def test_district_of_another_regency_is_refused(record, samarinda):
    problems = _refused(record, tps=None, district=District.objects.get(pk="64.72.01"))
    assert "tidak berada di Kabupaten Kutai Kartanegara" in problems["district"][0]


def test_tps_not_in_the_chosen_village_is_refused(record, kukar_tps):
    other_village = Village.objects.get(pk="64.02.01.1001")
    problems = _refused(record, village=other_village, tps=kukar_tps)
    assert problems["tps"] == ["TPS 002 yang dipilih tidak berada di kelurahan/desa Kabupaten Kutai Kartanegara D1 V1."]


def test_village_not_in_the_chosen_district_is_refused(record):
    problems = _refused(record, tps=None, district=District.objects.get(pk="64.02.02"),
                        village=Village.objects.get(pk="64.02.01.1001"))
    assert "tidak berada di Kecamatan" in problems["village"][0]


def test_tps_of_another_regency_is_refused(record, samarinda):
    problems = _refused(record, tps=PollingStation.objects.filter(regency=samarinda).first())
    assert "tidak berada di Kabupaten Kutai Kartanegara" in problems["tps"][0]


def test_pair_of_another_regency_race_is_refused(record, samarinda_pair):
    problems = _refused(record, candidate_pair=samarinda_pair)
    assert "tidak dipilih di Kabupaten Kutai Kartanegara" in problems["candidate_pair"][0]


def test_pair_of_another_election_is_refused(record, kaltim, election):
    from tests.factories import election_make

    old = election_make(kaltim, name="Pilkada 2020", voting_day=dt.date(2020, 12, 9), is_active=False)
    problems = _refused(record, candidate_pair=old.contests.get(kind="governor").candidate_pairs.first())
    assert "candidate_pair" in problems


def test_kukar_pairs_and_governor_pairs_are_accepted(record, election, kukar):
    local = election.contests.get(regency=kukar).candidate_pairs.get()
    assert record(candidate_pair=local).candidate_pair == local


def test_event_after_recording_time_is_refused(record, now):
    problems = _refused(record, occurred_at=now + dt.timedelta(minutes=1))
    assert "occurred_at" in problems


def test_incident_without_an_active_election_is_refused(record, election):
    election.is_active = False
    election.save()
    with pytest.raises(ValidationError):
        record()
    assert not ViolationIncident.objects.exists()


def test_database_refuses_a_village_outside_the_incident_district(record):
    incident = record()
    with transaction.atomic(), pytest.raises(IntegrityError):
        ViolationIncident.objects.filter(pk=incident.pk).update(district="64.02.02")


def test_database_refuses_a_district_outside_the_regency(record, samarinda):
    incident = record(tps=None)
    with transaction.atomic(), pytest.raises(IntegrityError):
        ViolationIncident.objects.filter(pk=incident.pk).update(district="64.72.01", village=None)


def test_database_refuses_a_tps_without_its_village(record):
    incident = record()
    with transaction.atomic(), pytest.raises(IntegrityError):
        ViolationIncident.objects.filter(pk=incident.pk).update(village=None)
