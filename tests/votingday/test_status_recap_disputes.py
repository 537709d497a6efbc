"""TPS statuses from the field, recapitulation progress and disputes: the services' rules."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from elections.models import Election
from regions.models import District, PollingStation
from votingday.models import Dispute, RecapProgress, TpsStatus
from votingday.services import (
    dispute_file,
    dispute_update,
    recap_record,
    recap_update,
    tps_status_record,
    tps_statuses_record,
)

from .conftest import wita

AFTER = wita(2024, 12, 10, 9, 0)


def test_latest_field_status_wins_whatever_the_order_of_arrival(election, samarinda):
    tps = PollingStation.objects.filter(regency=samarinda).first()
    tps_status_record(tps=tps, status="open", note="", at=wita(2024, 11, 27, 7, 5), source="whatsapp")
    stored = tps_status_record(tps=tps, status="counted", note="", at=wita(2024, 11, 27, 16, 0), source="sms")
    late_arrival = tps_status_record(tps=tps, status="closed", note="", at=wita(2024, 11, 27, 13, 0),
                                     source="sms")
    assert stored.status == late_arrival.status == "counted"
    assert TpsStatus.objects.get().regency_id == "64.72"


def test_status_outside_voting_day_or_unknown_is_refused(election, samarinda):
    tps = PollingStation.objects.filter(regency=samarinda).first()
    with pytest.raises(ValidationError) as error:
        tps_status_record(tps=tps, status="open", note="", at=wita(2024, 11, 26, 7, 0), source="sms")
    assert "at" in error.value.message_dict
    with pytest.raises(ValidationError):
        tps_status_record(tps=tps, status="buka", note="", at=wita(2024, 11, 27, 7, 0), source="sms")
    assert not TpsStatus.objects.exists()


def test_statuses_apply_as_a_set(election, samarinda):
    stations = list(PollingStation.objects.filter(regency=samarinda))
    at = wita(2024, 11, 27, 8, 0)
    tps_statuses_record(election=election, rows=[(s.pk, s.regency_id, "open", at, "sms", "") for s in stations])
    assert TpsStatus.objects.filter(status="open").count() == len(stations)


def test_set_keeps_the_latest_status_within_the_set_and_against_the_stored(election, samarinda,
                                                                          django_assert_max_num_queries):
    first, second = PollingStation.objects.filter(regency=samarinda).order_by("pk")[:2]
    tps_status_record(tps=first, status="counted", note="", at=wita(2024, 11, 27, 16, 0), source="sms")
    rows = [
        (first.pk, "64.72", "closed", wita(2024, 11, 27, 13, 0), "sms", ""),  # older than the stored: ignored
        (second.pk, "64.72", "closed", wita(2024, 11, 27, 13, 0), "sms", ""),
        (second.pk, "64.72", "open", wita(2024, 11, 27, 7, 0), "sms", ""),  # older within the set: ignored
        (second.pk, "64.72", "problem", wita(2024, 11, 27, 13, 0), "sms", "Hujan"),  # same time, later row
    ]
    with django_assert_max_num_queries(4):  # TPS, then the write (in a savepoint)
        changed = tps_statuses_record(election=election, rows=rows)
    assert changed == 1
    assert dict(TpsStatus.objects.values_list("tps_id", "status")) == {first.pk: "counted", second.pk: "problem"}
    assert tps_statuses_record(election=election, rows=rows) == 0  # again: nothing newer than what is stored


@pytest.mark.parametrize("bad", [
    {"tps": "other province"},
    {"regency": "64.71"},
    {"at": wita(2024, 11, 26, 7, 0)},  # the day before voting day
    {"at": dt.datetime(2024, 11, 27, 7, 0)},  # no time zone
    {"status": "buka"},
    {"source": ""},
    {"note": "x" * 501},
])
def test_one_bad_row_refuses_the_whole_set_and_names_it(election, samarinda, other_province_regency, bad):
    stations = list(PollingStation.objects.filter(regency=samarinda).order_by("pk")[:3])
    rows = [[s.pk, "64.72", "open", wita(2024, 11, 27, 7, 0), "sms", ""] for s in stations]
    bad_row = rows[1]
    if bad.get("tps"):
        bad_row[0] = PollingStation.objects.filter(regency=other_province_regency).first().pk
    for index, field in enumerate(("tps", "regency", "status", "at", "source", "note")):
        if field in bad and field != "tps":
            bad_row[index] = bad[field]
    with pytest.raises(ValidationError) as error:
        tps_statuses_record(election=election, rows=[tuple(row) for row in rows])
    assert [message[:8] for message in error.value.message_dict["rows"]] == ["Baris 2:"]
    assert not TpsStatus.objects.exists()


def test_set_is_refused_for_an_inactive_election(election, samarinda):
    election.is_active = False
    election.save()
    tps = PollingStation.objects.filter(regency=samarinda).first()
    with pytest.raises(ValidationError) as error:
        tps_statuses_record(election=election, rows=[(tps.pk, "64.72", "open", wita(2024, 11, 27, 7), "sms", "")])
    assert "election" in error.value.message_dict
    assert not TpsStatus.objects.exists()


def test_recap_dates_must_follow_the_status_and_the_calendar(election, governor, samarinda, officer):
    district = District.objects.filter(regency=samarinda).first()

    def record(**data):
        return recap_record(contest=governor, level="district", region=district.code, by=officer, data=data,
                            now=AFTER)

    with pytest.raises(ValidationError) as error:
        record(status="done", started_on=dt.date(2024, 12, 1), finished_on=dt.date(2024, 11, 30))
    assert "finished_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(status="in_progress", started_on=dt.date(2024, 11, 27))  # voting day itself
    assert "started_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        record(status="in_progress", started_on=dt.date(2024, 12, 11))  # not yet
    recap = record(status="in_progress", started_on=dt.date(2024, 11, 28))
    recap_update(recap=recap, by=officer, data={"status": "done", "finished_on": dt.date(2024, 12, 2)}, now=AFTER)
    recap.refresh_from_db()
    assert (recap.status, recap.regency_id, recap.history.count()) == ("done", "64.72", 2)


def test_recap_database_refuses_finish_before_start(election, governor, samarinda, officer):
    with pytest.raises(IntegrityError):
        RecapProgress.objects.create(
            election=election, contest=governor, level="regency", region="64.72", regency=samarinda, status="done",
            started_on=dt.date(2024, 12, 2), finished_on=dt.date(2024, 12, 1), updated_by=officer, updated_at=AFTER)


def test_recap_region_must_belong_to_the_contest(election, local_samarinda, balikpapan, officer, secretariat):
    with pytest.raises(ValidationError):
        recap_record(contest=local_samarinda, level="regency", region=balikpapan.code, by=officer, data={},
                     now=AFTER)
    with pytest.raises(ValidationError):
        recap_record(contest=local_samarinda, level="province", region="64", by=secretariat, data={}, now=AFTER)


def test_officer_writes_only_own_regency_and_never_the_province_level(election, governor, officer, secretariat):
    with pytest.raises(PermissionDenied):
        recap_record(contest=governor, level="regency", region="64.71", by=officer, data={}, now=AFTER)
    with pytest.raises(PermissionDenied):
        recap_record(contest=governor, level="province", region="64", by=officer, data={}, now=AFTER)
    recap = recap_record(contest=governor, level="province", region="", by=secretariat, data={}, now=AFTER)
    assert recap.region == "64" and recap.regency is None


def test_dispute_moves_filed_hearing_decided_with_its_decision(election, governor, secretariat, officer):
    with pytest.raises(PermissionDenied):
        dispute_file(contest=governor, by=officer, data={"filed_on": dt.date(2024, 12, 9), "case_number": "1"},
                     now=AFTER)
    dispute = dispute_file(contest=governor, by=secretariat, now=AFTER,
                           data={"filed_on": dt.date(2024, 12, 9), "case_number": "271/PHPU.GUB-XXIII/2025"})
    with pytest.raises(ValidationError) as error:
        dispute_update(dispute=dispute, by=secretariat, data={"status": "decided"}, now=AFTER)
    assert "decision" in error.value.message_dict
    dispute_update(dispute=dispute, by=secretariat, data={"status": "hearing"}, now=AFTER)
    dispute_update(dispute=dispute, by=secretariat, now=AFTER,
                   data={"status": "decided", "decision": "rejected", "decided_on": dt.date(2024, 12, 10)})
    with pytest.raises(ValidationError):
        dispute_update(dispute=dispute, by=secretariat, data={"status": "hearing"}, now=AFTER)
    dispute.refresh_from_db()
    assert (dispute.status, dispute.decision, dispute.history.count()) == ("decided", "rejected", 3)


def test_second_case_number_is_refused(election, governor, secretariat):
    data = {"filed_on": dt.date(2024, 12, 9), "case_number": "1/PHPU"}
    dispute_file(contest=governor, by=secretariat, data=data, now=AFTER)
    with pytest.raises(ValidationError):
        dispute_file(contest=governor, by=secretariat, data=data, now=AFTER)
    assert Dispute.objects.count() == 1


def test_recap_windows_lie_after_voting_day_in_the_calendar(election):
    election.recap_district_start = dt.date(2024, 11, 27)
    with pytest.raises(IntegrityError):
        Election.objects.filter(pk=election.pk).update(recap_district_start=dt.date(2024, 11, 27))


def test_every_field_word_names_a_status(election, samarinda):
    from votingday.constants import TPS_STATUS_WORDS

    tps = PollingStation.objects.filter(regency=samarinda).first()
    for minute, (word, status) in enumerate(TPS_STATUS_WORDS.items()):
        stored = tps_status_record(tps=tps, status=status, note=word, at=wita(2024, 11, 27, 8, minute), source="sms")
        assert stored.status == status
    assert sorted(TPS_STATUS_WORDS) == ["BUKA", "MASALAH", "SELESAI", "TUTUP"]
