"""Schemathesis against the project's own OpenAPI schema on a live server, signed in as an officer and
as the secretariat: no answer is a 5xx, and every answer matches the schema (body and content type).

The run is bounded (a few examples per operation, a time budget), so the suite stays fast; a failure
prints schemathesis's report with a curl line reproducing it.
"""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from elections.models import Contest
from logistics.models import LogisticsItem
from logistics.services import receipt_record
from regions.models import PollingStation
from reports.services import day_excuse, report_submit
from tests.helpers import WITA
from violations.services import incident_record
from votingday.services import dispute_file, recap_record, revote_schedule, voting_round_submit

ST = Path(sys.executable).with_name("st")
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.fuzz]


@pytest.fixture
def desk(election, samarinda, officer, secretariat):
    """A little of everything, so list and detail operations have records to return."""
    now = dt.datetime.now(dt.UTC)
    day = election.reporting_end
    at = dt.datetime.combine(day, dt.time(9), tzinfo=WITA)
    report_submit(election=election, regency=samarinda, by=officer, now=at, data={
        "report_date": day, "situation": "conducive", "summary": "Aman.", "sources": ["kpu"]})
    receipt_record(election=election, regency=samarinda, item=LogisticsItem.objects.get(code="ink"), by=officer,
                   now=at, data={"quantity_received": 5, "received_at": at - dt.timedelta(hours=1)})
    incident_record(regency=samarinda, by=officer, now=at, occurred_at=at - dt.timedelta(hours=2),
                    category="other", origin="finding", description="Baliho di luar jadwal.")
    day_excuse(election=election, regency=samarinda, date=day - dt.timedelta(days=1), reason="Jaringan",
               by=secretariat, now=at)
    # Voting day and after: a round, a recapitulation level and a dispute.
    contest = Contest.objects.get(election=election, regency=samarinda)
    voting_round_submit(election=election, regency=samarinda, by=officer, now=at, data={
        "round": "counting", "tps_opened": 8, "tps_closed": 8, "tps_counted": 8, "turnout_percent": "70.1",
        "problems": [{"tps": PollingStation.objects.filter(regency=samarinda).first().pk, "kind": "weather"}]})
    recap_record(contest=contest, level="regency", region="64.72", by=officer, now=at,
                 data={"status": "in_progress", "started_on": day - dt.timedelta(days=2)})
    dispute_file(contest=contest, by=secretariat, now=at, data={"filed_on": day, "case_number": "1/PHPU"})
    revote_schedule(election=election, stations=PollingStation.objects.filter(regency=samarinda)[:1], date=day,
                    reason="Putusan MK", by=secretariat, now=at)
    assert now > at  # the fixture election lies in the past of the real clock
    return {"officer": officer, "secretariat": secretariat}


@pytest.mark.parametrize("role", ["officer", "secretariat"])
def test_api_answers_every_generated_request_without_5xx_and_as_its_schema_says(live_server, client, desk, role,
                                                                                 tmp_path):
    user = desk[role]
    client.force_login(user)
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps(json.loads(schema.content)))
    token = Token.objects.get_or_create(user=user)[0].key

    run = subprocess.run(
        [str(ST), "run", str(schema_file), "--url", live_server.url, "--header", f"Authorization: Token {token}",
         "--checks", CHECKS, "--max-examples", "4", "--max-time", "45", "--phases", "examples,coverage,fuzzing",
         "--seed", "2024", "--no-color", "--suppress-health-check", "all", "--request-timeout", "20"],
        capture_output=True, text=True, timeout=240, cwd=tmp_path,
    )

    assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-3000:]
