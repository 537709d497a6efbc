"""The Rakor in Chromium: the secretariat schedules one and prints the brief; an officer on a phone closes an item.

Every request that is not for the live server is aborted and recorded: nothing leaves the machine.
"""

import datetime as dt
import io
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from pypdf import PdfReader

from desk.models import ActionItem, CoordinationMeeting
from desk.rakor.services import action_item_assign, meeting_schedule
from tests import factories
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_election(kaltim, samarinda, balikpapan):
    """An election around the real today: the browser's clock cannot be frozen."""
    today = timezone.now().astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    return factories.election_make(kaltim, name="Simulasi", voting_day=today + dt.timedelta(days=7),
                                   regencies=[samarinda, balikpapan])


@pytest.fixture
def open_page(browser, live_server):
    """open_page(user, width) -> a signed-in page of that width; `blocked` lists requests that tried to leave."""
    contexts, blocked = [], []

    def keep_local(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    def open_page(user, width):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID",
                                      reduced_motion="reduce")
        context.route("**/*", keep_local)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        return page

    open_page.blocked = blocked
    open_page.base = live_server.url
    yield open_page
    for context in contexts:
        context.close()
    assert blocked == []


def test_secretariat_schedules_a_rakor_opens_the_brief_and_prints_it(open_page, secretariat, live_election):
    day = live_election.local_date() + dt.timedelta(days=2)
    page = open_page(secretariat, 1200)
    page.goto(f"{open_page.base}/rakor/")
    form = page.locator("#schedule-form")
    form.locator("input[name=title]").fill("Rakor Kesiapan Pencoblosan")
    form.locator("input[name=date]").fill(day.isoformat())
    form.locator("input[name=time]").fill("14:00")
    form.locator("input[name=join_url]").fill("https://zoom.us/j/81234567890?pwd=abc")
    form.locator("input[name=zoom_meeting_id]").fill("812 3456 7890")
    form.locator("input[name=passcode]").fill("pilkada")
    form.locator("textarea[name=agenda]").fill("Kesiapan logistik dan pelanggaran yang harus dilaporkan.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    meeting = CoordinationMeeting.objects.get()
    assert page.url.endswith(f"/rakor/{meeting.pk}/")
    assert meeting.local_start == dt.datetime.combine(day, dt.time(14, 0), tzinfo=live_election.zone)
    assert "14.00–15.30 WITA" in page.inner_text("#meeting-info")

    with page.expect_navigation():
        page.get_by_role("link", name="Bahan rakor").click()
    brief = page.inner_text("#brief")
    assert "BAHAN RAPAT KOORDINASI DESK PILKADA" in brief.upper() and "Rakor Kesiapan Pencoblosan" in brief
    assert "Kota Samarinda" in brief and "Kota Balikpapan" in brief

    printed = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    text = " ".join(p.extract_text() for p in printed.pages)
    assert "Rakor Kesiapan Pencoblosan" in text and "Kota Samarinda" in text
    assert "Keluar" not in text and "Bahasa Indonesia" not in text and "Unduh PDF" not in text

    pdf_url = page.get_by_role("link", name="Unduh PDF").get_attribute("href")
    response = page.request.get(open_page.base + pdf_url, timeout=180_000)  # WeasyPrint on a busy machine
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Rakor Kesiapan Pencoblosan" in text and "Kota Balikpapan" in text


def test_officer_on_a_phone_closes_an_action_item_and_the_secretariat_sees_it(open_page, officer, secretariat,
                                                                              live_election, samarinda):
    tomorrow = live_election.local_date() + dt.timedelta(days=1)
    meeting = meeting_schedule(election=live_election, by=secretariat, date=tomorrow, time=dt.time(9, 0),
                               duration_minutes=60, data={"title": "Rakor Mingguan", "agenda": "Tindak lanjut.",
                                                          "join_url": "https://zoom.us/j/81234567890",
                                                          "zoom_meeting_id": "81234567890"},
                               now=timezone.now())
    item = action_item_assign(meeting=meeting, regency=samarinda, by=secretariat, now=timezone.now(),
                              description="Kirim foto gudang logistik.", due_date=tomorrow)
    page = open_page(officer, 390)
    next_rakor = page.locator("#next-rakor")
    assert "Rakor Mingguan" in next_rakor.inner_text() and "09.00 WITA" in next_rakor.inner_text()
    assert next_rakor.get_by_role("link", name="Gabung Zoom").get_attribute("href") == "https://zoom.us/j/81234567890"
    calendar = page.request.get(open_page.base + next_rakor.get_by_role("link", name="Simpan ke kalender (.ics)")
                                .get_attribute("href"))
    assert calendar.headers["content-type"].startswith("text/calendar") and b"SUMMARY:Rakor Mingguan" in calendar.body()

    row = page.locator(f"#action-items [data-action-item='{item.pk}']")
    assert "Kirim foto gudang logistik." in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on the phone
    row.locator("summary").click()
    row.locator("textarea[name=note]").fill("Foto sudah dikirim ke grup sekretariat.")
    with page.expect_navigation():
        row.get_by_role("button", name="Simpan: selesai").click()
    assert "Tindak lanjut ditandai selesai." in page.inner_text("main")
    assert page.locator("#action-items").count() == 0
    item.refresh_from_db()
    assert item.is_done and item.done_by == officer

    desk = open_page(secretariat, 1200)
    desk.goto(f"{open_page.base}/rakor/{meeting.pk}/")
    done = desk.locator(f"#meeting-actions [data-action-item='{item.pk}']")
    assert done.get_attribute("data-done") == "1"
    assert "Selesai" in done.inner_text() and "Foto sudah dikirim ke grup sekretariat." in done.inner_text()
    assert ActionItem.objects.open().count() == 0
