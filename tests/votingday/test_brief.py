"""The Rakor brief from voting day on: the rounds, problem TPS and turnout; after it the recapitulation and disputes."""

import datetime as dt
import io

import pytest
import time_machine
from pypdf import PdfReader

from desk.rakor.brief import rakor_brief
from regions.models import PollingStation
from votingday.services import dispute_file, dispute_update, recap_record, voting_round_submit

from .conftest import counts, wita

pytestmark = pytest.mark.django_db
NOW = wita(2024, 12, 10, 9)


@pytest.fixture
def world(election, samarinda, officer, secretariat, local_samarinda):
    tps = PollingStation.objects.filter(regency=samarinda).order_by("pk").first()
    voting_round_submit(election=election, regency=samarinda, by=officer, now=wita(2024, 11, 27, 9), data={
        "round": "opening", **counts(8, 0, 0),
        "problems": [{"tps": tps.pk, "kind": "weather", "note": "Banjir di halaman TPS"}]})
    voting_round_submit(election=election, regency=samarinda, by=officer, now=wita(2024, 11, 27, 20), data={
        "round": "counting", **counts(8, 8, 7), "turnout_percent": "64.8"})
    recap_record(contest=local_samarinda, level="regency", region="64.72", by=officer, now=NOW, data={
        "status": "done", "started_on": dt.date(2024, 11, 29), "finished_on": dt.date(2024, 12, 4)})
    dispute = dispute_file(contest=local_samarinda, by=secretariat, now=NOW, data={
        "filed_on": dt.date(2024, 12, 5), "case_number": "88/PHPU.WAKO-XXIII/2025"})
    dispute_update(dispute=dispute, by=secretariat, now=NOW, data={
        "status": "decided", "decision": "recount", "decided_on": dt.date(2024, 12, 9)})
    return election


def test_brief_before_voting_day_has_no_voting_day_section(world):
    brief = rakor_brief(election=world, date=dt.date(2024, 11, 22), now=NOW)
    assert brief["voting_day"] is None and brief["recap"] is None


def test_brief_pdf_reads_back_the_voting_day_recap_and_disputes(client, world, secretariat):
    client.force_login(secretariat)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/rakor/brief.pdf", {"date": "2024-12-10"})
    assert response.status_code == 200
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    for phrase in ("Hari pencoblosan", "Pembukaan TPS", "7 / 8", "64,8 %", "Banjir di halaman TPS",
                   "Rekapitulasi", "88/PHPU.WAKO-XXIII/2025", "Penghitungan suara ulang"):
        assert phrase in text, phrase


def test_regency_page_shows_the_courts_recount_decision(client, world, officer, other_officer):
    client.force_login(officer)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/regencies/64.72/").content.decode()
        assert "Putusan Mahkamah Konstitusi" in page and "Penghitungan suara ulang" in page
        client.force_login(other_officer)
        assert "Penghitungan suara ulang" not in client.get("/regencies/64.71/").content.decode()
