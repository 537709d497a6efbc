"""The issue's story in a phone-sized Chromium: record through the form, attach a photo, move to concluded."""

import datetime as dt

import pytest
from django.utils import timezone

from violations.models import ViolationIncident

from .conftest import WITA
from .samples import EXE_BYTES, jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The refused upload answers 400 with the form and its message, as a refused form should; Chromium logs that
# status. Only that error is allowed here.
@pytest.mark.console_errors_expected("a refused evidence upload answers 400", matching=r"status of 400 .*/evidence/")
def test_kukar_officer_records_and_concludes_an_incident_in_the_browser(page, kukar_officer, kukar, election,
                                                                         governor_pair, secretariat):
    # A moment inside the election's calendar, before the real clock's now.
    occurred = min(timezone.now() - dt.timedelta(hours=3),
                   dt.datetime.combine(election.voting_day, dt.time(9, 30), tzinfo=WITA)).astimezone(WITA)
    page.login(kukar_officer)
    page.goto(f"{page.base_url}/violations/new/")
    page.fill("input[name=occurred_at]", occurred.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("select[name=category]", "money_politics")
    # The dependent selects fill from the server as each parent is chosen.
    page.select_option("select[name=district]", "64.02.01")
    page.wait_for_selector("select[name=village] option[value='64.02.01.1002']", state="attached")
    page.select_option("select[name=village]", "64.02.01.1002")
    page.wait_for_selector("select[name=tps] option:text('TPS 002')", state="attached")
    page.select_option("select[name=tps]", label="TPS 002")
    assert page.locator("select[name=candidate_pair] optgroup").evaluate_all("gs => gs.map(g => g.label)") == [
        "Pilgub", "Kabupaten Kutai Kartanegara"]
    page.select_option("select[name=candidate_pair]", str(governor_pair.pk))
    page.check("input[name=origin][value=finding]")
    page.fill("textarea[name=description]", "Amplop berisi uang dibagikan kepada warga di dekat TPS 002.")
    page.shot("violations-1-form")
    page.submit("#incident-form button[type=submit]")
    page.wait_for_selector("#timeline")

    incident = ViolationIncident.objects.get()
    assert (incident.tps.village_id, incident.tps.number, incident.candidate_pair) == ("64.02.01.1002", 2,
                                                                                       governor_pair)
    page.set_input_files("input[name=file]", files=[
        {"name": "virus.jpg", "mimeType": "image/jpeg", "buffer": EXE_BYTES}])
    page.submit("#evidence-form button[type=submit]")
    assert "dikenali dari isinya" in page.inner_text("#evidence-form")
    page.set_input_files("input[name=file]", files=[
        {"name": "amplop.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(size=(320, 240))}])
    page.submit("#evidence-form button[type=submit]")
    page.wait_for_selector("#evidence a:text('amplop.jpg')")

    forward = page.locator("form[data-move=forwarded]")
    forward.locator("select[name=forwarded_to]").select_option("bawaslu")
    forward.locator("input[name=reference]").fill("001/LP/PW/Kab/23.07/XI/2024")
    page.shot("violations-2-recorded")
    forward.locator("button[type=submit]").click()
    page.wait_for_selector("[data-status=forwarded]")
    page.locator("form[data-move=under_review] button[type=submit]").click()
    page.wait_for_selector("[data-status=under_review]")

    page.context.clear_cookies()
    page.login(secretariat)
    page.goto(f"{page.base_url}/violations/{incident.pk}/")
    conclude = page.locator("form[data-move=concluded]")
    conclude.locator("select[name=outcome]").select_option("criminal")
    conclude.locator("textarea[name=note]").fill("Diteruskan ke penyidikan.")
    conclude.locator("button[type=submit]").click()
    page.wait_for_selector("[data-status=concluded]")
    page.shot("violations-3-concluded")

    timeline = page.locator("#timeline li")
    assert timeline.evaluate_all("items => items.map(i => i.dataset.toStatus)") == [
        "recorded", "forwarded", "under_review", "concluded"]
    assert "sekretariat" in timeline.nth(3).inner_text() and "desk-kutai-kartanegara" in timeline.nth(1).inner_text()
    photo = page.request.get(page.base_url + page.locator("#evidence a").get_attribute("href"))
    assert photo.status == 200 and photo.headers["content-type"] == "image/jpeg"


def test_secretariat_filters_the_province_list(page, secretariat, record, samarinda):
    record()
    page.context.clear_cookies()
    page.login(secretariat)
    page.goto(f"{page.base_url}/violations/")
    page.click("summary")
    page.select_option("select[name=status]", "recorded")
    page.submit("#incident-filter button[type=submit]")
    page.shot("violations-4-list")
    assert page.locator("#incident-list a").count() == 1
    assert "Kabupaten Kutai Kartanegara" in page.inner_text("#incident-list")
