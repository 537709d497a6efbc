"""The situation room in a browser: CSP-clean, and its panel refreshes itself without reloading the page."""

import datetime as dt

import pytest
from django.utils import timezone

from desk.voting_day import views as voting_day_views
from regions.models import PollingStation
from tests import factories
from tests.desk.helpers import outlines_load
from votingday.services import tps_status_record, voting_round_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WITA = dt.timezone(dt.timedelta(hours=8))


def _problems_watch(page):
    """What the page reports of CSP refusals and script errors (the list fills as they come)."""
    problems = []
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


@pytest.fixture
def live_room(kaltim, samarinda, balikpapan, monkeypatch):
    """Voting day today (the browser's clock cannot be frozen), outlines stored, the room refreshing every second."""
    monkeypatch.setattr(voting_day_views, "REFRESH_SECONDS", 1)
    election = factories.election_make(kaltim, name="Simulasi", voting_day=timezone.now().astimezone(WITA).date(),
                                       regencies=[samarinda, balikpapan])
    outlines_load([samarinda, balikpapan])
    return election


def test_room_refreshes_its_panel_without_a_reload_and_without_a_csp_violation(page, live_room, samarinda,
                                                                              officer, secretariat):
    election, now = live_room, timezone.now()
    problems = _problems_watch(page)
    page.login(secretariat)
    page.goto(page.base_url + "/voting-day/")
    page.evaluate("() => { window.notReloaded = true; }")
    row = page.locator('tr[data-regency="64.72"]')
    assert row.locator("progress[data-key=counted]").get_attribute("value") == "0"

    tps = PollingStation.objects.filter(regency=samarinda).first()
    tps_status_record(tps=tps, status="counted", note="", at=now, source="sms")
    voting_round_submit(election=election, regency=samarinda, by=officer, now=now, data={
        "round": "counting", "tps_opened": 8, "tps_closed": 8, "tps_counted": 6, "turnout_percent": "71.5"})

    page.wait_for_selector('tr[data-regency="64.72"] progress[data-key=counted][value="6"]', timeout=10_000)
    assert page.locator('tr[data-regency="64.72"] [data-turnout]').get_attribute("data-turnout") == "71.5"
    assert page.evaluate("window.notReloaded") is True  # the page itself stayed
    assert page.locator("svg.desk-map-svg .map-area").count() == 2
    assert problems == []


def test_officer_sends_a_round_from_a_phone_and_the_recap_page_runs_clean(page, kaltim, samarinda, balikpapan,
                                                                         officer):
    now = timezone.now()
    factories.election_make(kaltim, name="Simulasi", voting_day=now.astimezone(WITA).date(),
                            regencies=[samarinda, balikpapan])
    tps = PollingStation.objects.filter(regency=samarinda).order_by("pk")
    for station in tps[:5]:
        tps_status_record(tps=station, status="open", note="", at=now, source="sms")
    problems = _problems_watch(page)
    page.login(officer)
    page.goto(page.base_url + "/voting-day/round/opening/")
    assert page.input_value("input[name=tps_opened]") == "5"  # started from the field's statuses
    page.fill("input[name=tps_opened]", "8")
    page.select_option("select[name=problem-0-tps]", str(tps[0].pk))
    page.select_option("select[name=problem-0-kind]", "late_opening")
    page.fill("input[name=problem-0-note]", "KPPS terlambat")
    # One screen on a phone: the send button is reachable without scrolling sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.shot("voting-day-round-form")
    page.submit("#round-form button[type=submit]")
    assert page.url.endswith("/voting-day/")
    assert page.locator('[data-round="opening"]').get_attribute("data-state") in ("on_time", "late")
    page.goto(page.base_url + "/recap/")
    assert page.locator("[data-level=district]").count() == 1
    assert problems == []


def test_officer_room_refreshes_its_district_map_and_table_without_a_reload(page, live_room, officer):
    now = timezone.now()
    problems = _problems_watch(page)
    page.login(officer)
    page.goto(page.base_url + "/voting-day/")
    page.evaluate("() => { window.notReloaded = true; }")
    assert page.locator("svg.desk-map-svg .map-area").count() == 2  # Samarinda's two districts
    assert page.get_attribute('.map-area[data-code="64.72.01"]', "data-state") == "none"
    # On a phone the room fits the screen's width: the map scales, the tables scroll inside their frame.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    for tps in PollingStation.objects.filter(village__district_id="64.72.01"):
        tps_status_record(tps=tps, status="counted", note="", at=now, source="sms")
    page.wait_for_selector('.map-area[data-code="64.72.01"][data-state="all"]', timeout=10_000)
    page.wait_for_selector('#district-64\\.72\\.01[data-counted-share="100.0"]')
    assert page.get_attribute('.map-area[data-code="64.72.02"]', "data-state") == "none"
    assert page.evaluate("window.notReloaded") is True
    page.shot("voting-day-officer-room")
    with page.expect_navigation():
        page.click('.map-area[data-code="64.72.01"]')  # each district leads to its row in the table
    assert page.url.endswith("#district-64.72.01")
    assert problems == []
