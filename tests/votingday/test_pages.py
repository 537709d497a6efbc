"""The situation room, its refreshed panel, the officer's round form and the recapitulation page."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from elections.models import Contest
from regions.models import PollingStation
from tests import factories
from tests.desk.helpers import outlines_load
from votingday.models import VotingRound
from votingday.services import dispute_file, recap_record, tps_status_record, voting_round_submit

from .conftest import counts, wita

pytestmark = pytest.mark.django_db
VOTING = wita(2024, 11, 27, 15, 0)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _voting_day(election, regency, officer):
    stations = list(PollingStation.objects.filter(regency=regency).order_by("pk"))
    for tps in stations[:3]:
        tps_status_record(tps=tps, status="closed", note="", at=wita(2024, 11, 27, 13, 5), source="sms")
    tps_status_record(tps=stations[3], status="problem", note="Kotak suara rusak", at=wita(2024, 11, 27, 8),
                      source="whatsapp")
    voting_round_submit(election=election, regency=regency, by=officer, now=wita(2024, 11, 27, 9, 0), data={
        "round": "opening", **counts(len(stations), 0, 0), "turnout_percent": "70.5",
        "problems": [{"tps": stations[0].pk, "kind": "late_opening", "note": "KPPS terlambat"}]})


@time_machine.travel(VOTING, tick=False)
def test_situation_room_for_the_secretariat(client, election, samarinda, officer, secretariat):
    _voting_day(election, samarinda, officer)
    client.force_login(secretariat)
    page = client.get("/voting-day/").content.decode()
    assert 'data-refresh-url="/voting-day/panel/"' in page and "desk/voting_day.js" in page
    assert 'data-round="opening" data-state="on_time"' in page
    assert 'data-round="closing" data-state="missing"' in page  # due 14.00, now 15.00
    assert 'data-regency="64.71"' in page and 'data-turnout="70.5"' in page  # never "70,5"
    assert "KPPS terlambat" in page and "Kotak suara rusak" in page
    first = PollingStation.objects.select_related("village__district").filter(regency=samarinda).order_by("pk")[0]
    label = f"TPS {first.number:03d} {first.village.name}, {first.village.district.name}: Terlambat dibuka"
    assert f"<li>{label} — KPPS terlambat</li>" in page
    assert "<script>" not in page and " style=" not in page
    panel = client.get("/voting-day/panel/").content.decode()
    assert "<html" not in panel and 'data-regency="64.72"' in panel


@time_machine.travel(VOTING, tick=False)
def test_officer_sees_only_their_regency_and_anonymous_is_sent_to_login(client, election, samarinda, balikpapan,
                                                                         officer):
    assert client.get("/voting-day/").status_code == 302
    assert client.get("/voting-day/panel/").status_code == 302
    assert client.get("/recap/").status_code == 302
    client.force_login(officer)
    page = client.get("/voting-day/").content.decode()
    assert 'data-regency="64.72"' in page and 'data-regency="64.71"' not in page
    assert 'href="/voting-day/round/opening/"' in page


@time_machine.travel(VOTING, tick=False)
def test_round_form_starts_from_the_field_counts_and_warns_on_order(client, election, samarinda, officer,
                                                                     secretariat):
    tps = PollingStation.objects.filter(regency=samarinda).order_by("pk")
    for station in tps[:3]:
        tps_status_record(tps=station, status="counted", note="", at=wita(2024, 11, 27, 14), source="sms")
    client.force_login(secretariat)
    assert client.get("/voting-day/round/closing/").status_code == 403
    client.force_login(officer)
    form = client.get("/voting-day/round/closing/").content.decode()
    assert 'name="tps_opened" value="3"' in form and 'name="tps_counted" value="3"' in form
    body = {"tps_opened": "3", "tps_closed": "4", "tps_counted": "1", "turnout_percent": "",
            "problem-TOTAL_FORMS": "1", "problem-INITIAL_FORMS": "0", "problem-0-tps": str(tps[0].pk),
            "problem-0-kind": "disturbance", "problem-0-note": "Ricuh"}
    warned = client.post("/voting-day/round/closing/", body).content.decode()
    assert 'id="order-warning"' in warned and not VotingRound.objects.exists()
    sent = client.post("/voting-day/round/closing/", {**body, "confirm_order": "on"})
    assert sent.status_code == 302
    stored = VotingRound.objects.get()
    assert (stored.tps_closed, stored.is_late, stored.problems.get().note) == (4, True, "Ricuh")
    assert 'id="round-sent"' in client.get("/voting-day/round/closing/").content.decode()
    assert client.get("/voting-day/round/lunch/").status_code == 404


def test_recap_page_counts_districts_done_per_regency_and_lists_disputes(client, election, governor, samarinda,
                                                                        officer, secretariat):
    with time_machine.travel(wita(2024, 12, 4, 9), tick=False):
        district = samarinda.districts.order_by("code").first()
        recap_record(contest=governor, level="district", region=district.code, by=officer, now=wita(2024, 12, 4, 9),
                     data={"status": "done", "started_on": dt.date(2024, 11, 28), "finished_on": dt.date(2024, 12, 1)})
        dispute_file(contest=governor, by=secretariat, now=wita(2024, 12, 4, 9),
                     data={"filed_on": dt.date(2024, 12, 3), "case_number": "271/PHPU.GUB-XXIII/2025"})
        client.force_login(secretariat)
        page = client.get("/recap/").content.decode()
    assert "rekap kecamatan selesai di 1 dari 2" in page
    assert 'data-done="1" data-needed="2"' in page
    assert "melewati jadwal" in page  # the district window ended 3 Dec
    assert "271/PHPU.GUB-XXIII/2025" in page


@time_machine.travel(VOTING, tick=False)
def test_room_and_recap_queries_do_not_grow_with_regencies(client, kaltim):
    samarinda = factories.regency_make("64.72", "Kota Samarinda")
    election = factories.election_make(kaltim, regencies=[samarinda])
    officer = factories.officer_make(samarinda)
    _voting_day(election, samarinda, officer)
    outlines_load([samarinda])
    client.force_login(factories.secretariat_make(kaltim))
    urls = ["/voting-day/", "/voting-day/panel/", "/recap/"]
    client.get("/voting-day/")
    one = {url: queries(client, url) for url in urls}
    regencies = [samarinda]
    for code in ["64.01", "64.02", "64.03", "64.07"]:
        regency = factories.regency_make(code, f"Kabupaten {code}", districts=2, villages=2, tps=2)
        regencies.append(regency)
        Contest.objects.create(election=election, kind="local", regency=regency)
        _voting_day(election, regency, factories.officer_make(regency, username=f"desk-{code}"))
    outlines_load(regencies)
    assert {url: queries(client, url) for url in urls} == one
    assert client.get("/voting-day/").content.decode().count('class="map-area"') == 5


@time_machine.travel(VOTING, tick=False)
def test_round_sent_twice_from_the_offline_outbox_is_stored_once(client, election, samarinda, officer):
    client.force_login(officer)
    body = {"tps_opened": "8", "tps_closed": "8", "tps_counted": "2", "problem-TOTAL_FORMS": "0",
            "problem-INITIAL_FORMS": "0", "idempotency_key": "9b2f6d0e-6a2b-4c1e-9a77-2f1f3c7d8e90"}
    first = client.post("/voting-day/round/counting/", body)
    again = client.post("/voting-day/round/counting/", body)
    assert first.status_code == again.status_code == 302 and again.url == "/voting-day/"
    assert VotingRound.objects.count() == 1
    without_key = client.post("/voting-day/round/counting/", {**body, "idempotency_key": ""})
    assert without_key.status_code == 200 and 'id="round-sent"' in without_key.content.decode()
    assert VotingRound.objects.count() == 1


def test_officer_records_and_then_moves_on_a_district_recap_from_the_web(client, election, samarinda, officer,
                                                                        secretariat):
    from votingday.models import RecapProgress

    district = samarinda.districts.order_by("code").first().code
    client.force_login(officer)
    with time_machine.travel(wita(2024, 12, 1, 9), tick=False):
        page = client.get("/recap/record/").content.decode()
        assert f'value="local|district|{district}"' in page and "|64.71" not in page and "province" not in page
        body = {"target": f"local|district|{district}", "status": "in_progress", "started_on": "2024-11-28"}
        assert client.post("/recap/record/", body).status_code == 302
        done = {**body, "status": "done", "finished_on": "2024-11-30"}
        assert client.post("/recap/record/", done).status_code == 302
        bad = client.post("/recap/record/", {**done, "finished_on": "2024-11-20"})
        assert bad.status_code == 200 and "Tanggal selesai" in bad.content.decode()
        forged = client.post("/recap/record/", {**body, "target": "local|district|64.71.01"})
        assert forged.status_code == 200
    recap = RecapProgress.objects.get()
    assert (recap.status, recap.finished_on, recap.history.count()) == ("done", dt.date(2024, 11, 30), 2)
    client.force_login(secretariat)
    with time_machine.travel(wita(2024, 12, 1, 9), tick=False):
        assert 'value="governor|province|64"' in client.get("/recap/record/").content.decode()


def test_officer_home_on_voting_day_leads_to_the_three_rounds(client, election, samarinda, officer):
    client.force_login(officer)
    with time_machine.travel(wita(2024, 11, 27, 10, 30), tick=False):
        voting_round_submit(election=election, regency=samarinda, by=officer, now=wita(2024, 11, 27, 9),
                            data={"round": "opening", **counts(8, 0, 0)})
        page = client.get("/").content.decode()
    assert 'id="voting-rounds"' in page
    assert 'data-round="opening" data-state="on_time"' in page
    assert 'href="/voting-day/round/closing/"' in page and 'href="/voting-day/round/counting/"' in page
    with time_machine.travel(wita(2024, 11, 28, 10, 30), tick=False):
        assert 'id="voting-rounds"' not in client.get("/").content.decode()


def test_secretariat_files_and_decides_a_dispute_from_the_web(client, election, governor, officer, secretariat,
                                                               other_province_regency):
    from votingday.models import Dispute

    with time_machine.travel(wita(2024, 12, 12, 9), tick=False):
        client.force_login(officer)
        assert client.get("/recap/disputes/new/").status_code == 403
        client.force_login(secretariat)
        body = {"contest": str(governor.pk), "filed_on": "2024-12-11", "case_number": "5/PHPU.GUB-XXIII/2025",
                "status": "filed"}
        assert client.post("/recap/disputes/new/", body).status_code == 302
        dispute = Dispute.objects.get()
        refused = client.post(f"/recap/disputes/{dispute.pk}/", {**body, "status": "decided"})
        assert refused.status_code == 200 and "Pilih putusan" in refused.content.decode()
        decided = {**body, "status": "decided", "decision": "rejected", "decided_on": "2024-12-12"}
        assert client.post(f"/recap/disputes/{dispute.pk}/", decided).status_code == 302
        client.force_login(officer)
        assert client.get(f"/recap/disputes/{dispute.pk}/").status_code == 403
    dispute.refresh_from_db()
    assert (dispute.status, dispute.decision, dispute.history.count()) == ("decided", "rejected", 2)
    other = factories.secretariat_make(other_province_regency.province, username="sekretariat-65")
    client.force_login(other)
    assert client.get(f"/recap/disputes/{dispute.pk}/").status_code == 404
