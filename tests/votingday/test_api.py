"""The API of voting day and after: scope both ways, one round per regency, the services' messages as 400s."""

import datetime as dt

import pytest
import time_machine

from regions.models import District, PollingStation
from votingday.models import Dispute, RecapProgress, VotingRound
from votingday.services import tps_status_record

from .conftest import wita

pytestmark = pytest.mark.django_db

VOTING = wita(2024, 11, 27, 9, 0)
AFTER = wita(2024, 12, 2, 9, 0)


def round_body(**more):
    return {"regency": "64.72", "round": "opening", "tps_opened": 8, "tps_closed": 0, "tps_counted": 0, **more}


@time_machine.travel(VOTING, tick=False)
def test_officer_posts_a_round_and_a_second_is_400(api, election, officer):
    tps = PollingStation.objects.filter(regency_id="64.72").first()
    response = api.as_user(officer).post("/api/v1/voting-day/", round_body(
        turnout_percent=None, problems=[{"tps": tps.pk, "kind": "late_opening", "note": "hujan"}]), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["tps_total"], body["is_late"], body["problems"][0]["tps"]) == (8, False, tps.pk)
    again = api.post("/api/v1/voting-day/", round_body(), format="json")
    assert again.status_code == 400 and "round" in again.json()
    assert VotingRound.objects.count() == 1


@time_machine.travel(VOTING, tick=False)
def test_round_counts_out_of_order_are_400_until_confirmed(api, election, officer):
    api.as_user(officer)
    refused = api.post("/api/v1/voting-day/", round_body(tps_opened=2, tps_closed=3), format="json")
    assert refused.status_code == 400 and "confirm_order" in refused.json()
    confirmed = api.post("/api/v1/voting-day/", round_body(tps_opened=2, tps_closed=3, confirm_order=True),
                         format="json")
    assert confirmed.status_code == 201


@time_machine.travel(VOTING, tick=False)
def test_round_scope(api, election, officer, other_officer, secretariat):
    assert api.post("/api/v1/voting-day/", round_body(), format="json").status_code == 401
    assert api.as_user(other_officer).post("/api/v1/voting-day/", round_body(), format="json").status_code == 403
    assert api.as_user(secretariat).post("/api/v1/voting-day/", round_body(), format="json").status_code == 403
    api.as_user(officer).post("/api/v1/voting-day/", round_body(), format="json")
    assert api.as_user(other_officer).get("/api/v1/voting-day/").json()["count"] == 0
    assert api.as_user(secretariat).get("/api/v1/voting-day/").json()["count"] == 1
    pk = VotingRound.objects.get().pk
    assert api.as_user(other_officer).get(f"/api/v1/voting-day/{pk}/").status_code == 404


def test_tps_status_lists_every_visible_tps_with_its_latest_status(api, election, officer, secretariat):
    tps = PollingStation.objects.filter(regency_id="64.72").order_by("village_id", "number").first()
    tps_status_record(tps=tps, status="open", note="", at=wita(2024, 11, 27, 7, 1), source="whatsapp")
    mine = api.as_user(officer).get("/api/v1/tps-status/").json()
    assert mine["count"] == 8
    assert mine["results"][0]["status"] == "open" and mine["results"][1]["status"] is None
    village = api.get(f"/api/v1/tps-status/?village={tps.village_id}").json()
    assert village["count"] == 2
    assert api.get("/api/v1/tps-status/?regency=64.71").json()["count"] == 0
    assert api.as_user(secretariat).get("/api/v1/tps-status/?regency=64.71").json()["count"] == 8
    api.logout()
    assert api.get("/api/v1/tps-status/").status_code == 401


@time_machine.travel(AFTER, tick=False)
def test_recap_post_patch_and_scope(api, election, officer, other_officer, secretariat):
    district = District.objects.filter(regency_id="64.72").first().code
    body = {"contest": "local", "level": "district", "region": district, "status": "in_progress",
            "started_on": "2024-11-28"}
    assert api.as_user(other_officer).post("/api/v1/recap/", body, format="json").status_code == 403
    created = api.as_user(officer).post("/api/v1/recap/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    bad = api.patch(f"/api/v1/recap/{pk}/", {"status": "done", "finished_on": "2024-11-27"}, format="json")
    assert bad.status_code == 400 and "finished_on" in bad.json()
    done = api.patch(f"/api/v1/recap/{pk}/", {"status": "done", "finished_on": "2024-12-01"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert api.as_user(other_officer).patch(f"/api/v1/recap/{pk}/", {"note": "x"}, format="json").status_code == 404
    assert api.as_user(officer).post("/api/v1/recap/", body, format="json").status_code == 400
    province = {"contest": "governor", "level": "province", "region": "64"}
    assert api.post("/api/v1/recap/", province, format="json").status_code == 403
    assert api.as_user(secretariat).post("/api/v1/recap/", province, format="json").status_code == 201
    assert api.as_user(other_officer).get("/api/v1/recap/").json()["count"] == 1  # the province's own
    assert RecapProgress.objects.count() == 2


@time_machine.travel(AFTER, tick=False)
def test_disputes_secretariat_writes_everyone_in_scope_reads(api, election, officer, secretariat):
    body = {"contest": "local", "regency": "64.72", "filed_on": "2024-12-01", "case_number": "12/PHPU.WAKO/2025"}
    assert api.as_user(officer).post("/api/v1/disputes/", body, format="json").status_code == 403
    created = api.as_user(secretariat).post("/api/v1/disputes/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    wrong = api.patch(f"/api/v1/disputes/{pk}/", {"status": "decided"}, format="json")
    assert wrong.status_code == 400 and "decision" in wrong.json()
    decided = api.patch(f"/api/v1/disputes/{pk}/", {"status": "decided", "decision": "revote",
                                                    "decided_on": "2024-12-02"}, format="json")
    assert decided.status_code == 200 and decided.json()["decision"] == "revote"
    assert api.as_user(officer).get("/api/v1/disputes/").json()["count"] == 1
    assert api.as_user(officer).patch(f"/api/v1/disputes/{pk}/", {"note": "x"}, format="json").status_code == 403
    assert Dispute.objects.get().decided_on == dt.date(2024, 12, 2)


def test_disputes_of_another_regency_are_hidden_from_an_officer(api, election, other_officer, secretariat):
    with time_machine.travel(AFTER, tick=False):
        api.as_user(secretariat).post("/api/v1/disputes/", {
            "contest": "local", "regency": "64.72", "filed_on": "2024-12-01", "case_number": "13"}, format="json")
    pk = Dispute.objects.get().pk
    assert api.as_user(other_officer).get(f"/api/v1/disputes/{pk}/").status_code == 404
    api.logout()
    assert api.get("/api/v1/disputes/").status_code == 401
