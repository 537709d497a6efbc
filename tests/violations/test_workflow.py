import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from violations.constants import Outcome, Status
from violations.models import IncidentEvent, ViolationIncident
from violations.services import incident_edit, incident_move

pytestmark = pytest.mark.django_db


def test_kukar_officer_records_forwards_reviews_and_concludes_with_a_timeline(
    record, kukar_officer, secretariat, kukar_tps, now
):
    incident = record()
    assert incident.status == Status.RECORDED
    assert (incident.village_id, incident.district_id) == ("64.02.01.1002", "64.02.01")
    incident_move(incident=incident, to_status=Status.FORWARDED, by=kukar_officer, now=now + dt.timedelta(hours=1),
                  forwarded_to="bawaslu", reference="001/LP/PW/Kab/23.07/XI/2024", note="Diserahkan langsung.")
    incident_move(incident=incident, to_status=Status.UNDER_REVIEW, by=secretariat, now=now + dt.timedelta(days=1))
    incident_move(incident=incident, to_status=Status.CONCLUDED, by=kukar_officer, now=now + dt.timedelta(days=5),
                  outcome=Outcome.CRIMINAL)

    incident.refresh_from_db()
    assert (incident.status, incident.forwarded_to, incident.outcome) == ("concluded", "bawaslu", "criminal")
    steps = list(incident.events.values_list("from_status", "to_status", "by__username", "at"))
    assert steps == [
        ("", "recorded", "desk-kutai-kartanegara", now),
        ("recorded", "forwarded", "desk-kutai-kartanegara", now + dt.timedelta(hours=1)),
        ("forwarded", "under_review", "sekretariat", now + dt.timedelta(days=1)),
        ("under_review", "concluded", "desk-kutai-kartanegara", now + dt.timedelta(days=5)),
    ]
    forwarded = incident.events.get(to_status="forwarded")
    assert (forwarded.reference, forwarded.note) == ("001/LP/PW/Kab/23.07/XI/2024", "Diserahkan langsung.")
    assert incident.history.count() == 4


def test_move_from_recorded_straight_to_concluded_is_refused_naming_the_allowed_moves(record, kukar_officer, now):
    incident = record()

    with pytest.raises(ValidationError) as refused:
        incident_move(incident=incident, to_status=Status.CONCLUDED, by=kukar_officer, now=now, outcome="criminal")

    message = refused.value.message_dict["status"][0]
    assert "Dicatat (recorded)" in message and "Selesai (concluded)" in message
    assert "Diteruskan (forwarded), Dicabut (withdrawn)" in message
    incident.refresh_from_db()
    assert (incident.status, incident.outcome) == ("recorded", "")
    assert incident.events.count() == 1
    assert incident.history.count() == 1


def test_forwarding_needs_a_recipient_and_a_reference(record, kukar_officer, now):
    incident = record()

    with pytest.raises(ValidationError) as refused:
        incident_move(incident=incident, to_status=Status.FORWARDED, by=kukar_officer, now=now)

    assert set(refused.value.message_dict) == {"forwarded_to", "reference"}
    assert ViolationIncident.objects.get().status == "recorded"


def test_concluding_needs_an_outcome_and_outcome_belongs_only_to_concluding(record, kukar_officer, now):
    incident = record()
    with pytest.raises(ValidationError) as early:
        incident_move(incident=incident, to_status=Status.FORWARDED, by=kukar_officer, now=now,
                      forwarded_to="kpu", reference="A-1", outcome="ethics")
    assert "outcome" in early.value.message_dict
    incident_move(incident=incident, to_status=Status.FORWARDED, by=kukar_officer, now=now,
                  forwarded_to="kpu", reference="A-1")
    incident_move(incident=incident, to_status=Status.UNDER_REVIEW, by=kukar_officer, now=now)

    with pytest.raises(ValidationError) as missing:
        incident_move(incident=incident, to_status=Status.CONCLUDED, by=kukar_officer, now=now)

    assert "hasil penanganan" in missing.value.message_dict["outcome"][0].lower()
    assert ViolationIncident.objects.get().status == "under_review"


def test_withdrawn_only_from_recorded_and_final_states_refuse_every_move(record, kukar_officer, now):
    withdrawn = record()
    incident_move(incident=withdrawn, to_status=Status.WITHDRAWN, by=kukar_officer, now=now, note="Keliru.")
    with pytest.raises(ValidationError) as final:
        incident_move(incident=withdrawn, to_status=Status.FORWARDED, by=kukar_officer, now=now,
                      forwarded_to="bawaslu", reference="X")
    assert "sudah final" in final.value.message_dict["status"][0]

    forwarded = record(description="Yang kedua")
    incident_move(incident=forwarded, to_status=Status.FORWARDED, by=kukar_officer, now=now,
                  forwarded_to="police", reference="LP/123")
    with pytest.raises(ValidationError) as refused:
        incident_move(incident=forwarded, to_status=Status.WITHDRAWN, by=kukar_officer, now=now)
    assert "Dalam penanganan (under_review)" in refused.value.message_dict["status"][0]


def test_secretariat_moves_statuses_but_another_regency_officer_cannot(record, secretariat, other_officer, now):
    incident = record()
    with pytest.raises(PermissionDenied):
        incident_move(incident=incident, to_status=Status.WITHDRAWN, by=other_officer, now=now)

    incident_move(incident=incident, to_status=Status.WITHDRAWN, by=secretariat, now=now)

    assert ViolationIncident.objects.get().status == "withdrawn"


def test_secretariat_cannot_edit_what_the_officer_recorded(record, secretariat, now):
    incident = record()
    with pytest.raises(PermissionDenied):
        incident_edit(incident=incident, by=secretariat, now=now, description="Diubah")


def test_officer_edits_keep_every_version_in_history(record, kukar_officer, now):
    incident = record()
    incident_edit(incident=incident, by=kukar_officer, now=now + dt.timedelta(minutes=5), description="Lebih rinci")

    versions = list(incident.history.order_by("history_date").values_list("description", "history_user__username"))
    assert versions == [
        ("Amplop berisi uang dibagikan di dekat TPS.", "desk-kutai-kartanegara"),
        ("Lebih rinci", "desk-kutai-kartanegara"),
    ]


def test_closed_incidents_cannot_be_edited(record, kukar_officer, now):
    incident = record()
    incident_move(incident=incident, to_status=Status.WITHDRAWN, by=kukar_officer, now=now)
    with pytest.raises(ValidationError):
        incident_edit(incident=incident, by=kukar_officer, now=now, description="Diubah")
    assert ViolationIncident.objects.get().description.startswith("Amplop")


@pytest.mark.parametrize(("age", "overdue"), [
    (dt.timedelta(days=7) - dt.timedelta(seconds=1), False),
    (dt.timedelta(days=7), False),
    (dt.timedelta(days=7, seconds=1), True),
])
def test_recorded_incident_is_overdue_only_after_seven_days(record, now, age, overdue):
    incident = record(occurred_at=now - age)

    annotated = ViolationIncident.objects.with_overdue(now).get(pk=incident.pk)

    assert annotated.is_overdue is overdue
    assert ViolationIncident.objects.overdue(now).exists() is overdue


def test_forwarded_incident_is_never_overdue(record, kukar_officer, now):
    incident = record(occurred_at=now - dt.timedelta(days=30))
    incident_move(incident=incident, to_status=Status.FORWARDED, by=kukar_officer, now=now,
                  forwarded_to="bawaslu", reference="1")
    assert not ViolationIncident.objects.overdue(now + dt.timedelta(days=30)).exists()


def test_database_refuses_a_concluded_incident_without_outcome(record):
    incident = record()
    with transaction.atomic(), pytest.raises(IntegrityError):
        ViolationIncident.objects.filter(pk=incident.pk).update(status="concluded")


def test_database_refuses_a_forwarded_incident_without_reference(record):
    incident = record()
    with transaction.atomic(), pytest.raises(IntegrityError):
        ViolationIncident.objects.filter(pk=incident.pk).update(status="forwarded", forwarded_to="bawaslu")


def test_database_refuses_a_timeline_entry_that_changes_nothing(record, kukar_officer, now):
    incident = record()
    with transaction.atomic(), pytest.raises(IntegrityError):
        IncidentEvent.objects.create(incident=incident, at=now, by=kukar_officer, from_status="recorded",
                                     to_status="recorded")
