"""axe-core's WCAG 2.1 A and AA rules on every page each role can open, at phone and desktop width, in
Indonesian and English; and the navigation bar on one line at 1,100 px.

axe-core comes pinned inside the axe-playwright-python wheel (requirements-dev.txt): no download at test
time. The pages to check are the ones listed per role plus every page their links lead to (one per URL
shape: /reports/12/ stands for every report), so a new page is checked as soon as something links to it.
Every page must also load without a console error.
"""

import datetime as dt
import re
from urllib.parse import parse_qsl, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from contacts.services import contact_create
from desk.rakor.services import meeting_schedule
from intake.providers import IncomingEvent
from intake.services import message_apply, webhook_store
from regions.models import PollingStation, Village
from reports.models import DailyReport
from tests.conftest import console_errors_watch
from tests.desk_records import desk_records_make
from tests.factories import PASSWORD
from violations.models import ViolationIncident
from votingday.services import revote_schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Beyond the WCAG tags, one best-practice rule Lighthouse also scores: a role the element may not take
# (role="listitem" on a link hid the link from screen readers' link lists).
ALSO = {"aria-allowed-role": {"enabled": True}}
SIZES = {"phone": {"width": 412, "height": 915}, "desktop": {"width": 1280, "height": 900}}
LANGUAGES = ["id", "en"]
# Not pages: downloads, the API, the service worker and manifest; Django's own admin beyond the pages named.
NOT_PAGES = re.compile(r"\.(xlsx|csv|pdf|ics)$|/evidence/|^/api/|^/sw\.js$|^/manifest|^/admin/|^/i18n/")
AXE = Axe()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def start_pages(election, samarinda, balikpapan, officer, secretariat):
    """One of every desk record, a Rakor meeting, and the pages each role starts from."""
    desk_records_make(election=election, samarinda=samarinda, balikpapan=balikpapan, officer=officer,
                      secretariat=secretariat)
    meeting = meeting_schedule(election=election, by=secretariat, date=dt.date(2024, 11, 22), time=dt.time(14, 0),
                               duration_minutes=90, data={"title": "Rakor", "agenda": "Logistik.",
                                                          "join_url": "https://zoom.us/j/81234567890",
                                                          "zoom_meeting_id": "81234567890"},
                               now=dt.datetime(2024, 11, 15, 9, 0, tzinfo=dt.UTC))
    report, incident = DailyReport.objects.get().pk, ViolationIncident.objects.get().pk
    lurah, stranger = field_messages_make(samarinda, officer)
    revote_schedule(election=election, stations=PollingStation.objects.filter(regency=samarinda)[:2],
                    date=dt.date(2024, 12, 2), reason="Rekomendasi Panwascam", by=secretariat,
                    now=dt.datetime(2024, 11, 15, 9, 0, tzinfo=dt.UTC))
    return {
        "officer": ["/", "/reports/", "/reports/new/", "/reports/new/?nihil=1", f"/reports/{report}/",
                    f"/reports/{report}/edit/", "/logistics/", "/logistics/64.72/",
                    "/logistics/64.72/distribution/", "/violations/", "/violations/new/", f"/violations/{incident}/",
                    f"/violations/{incident}/edit/", "/rakor/", f"/rakor/{meeting.pk}/", "/exports/",
                    "/accounts/profile/", "/intake/", f"/intake/conversations/{lurah.pk}/", "/voting-day/revotes/"],
        "secretariat": ["/", "/regencies/64.72/", f"/reports/{report}/", "/reports/", "/reports/excuse/",
                        "/compliance/flags/", "/rakor/", f"/rakor/{meeting.pk}/", "/rakor/brief/",
                        "/rakor/brief/?date=2024-11-22", "/violations/", f"/violations/{incident}/",
                        "/logistics/province/", "/exports/", "/accounts/profile/", "/intake/",
                        f"/intake/conversations/number/{stranger}/", "/voting-day/revotes/?regency=64.72"],
        "national": ["/", "/?sort=-compliance", "/provinces/64/", "/regencies/64.72/", "/rakor/brief/"],
        "admin_user": ["/admin/", "/admin/reports/dailyreport/"],
        None: ["/accounts/login/"],
    }


def field_messages_make(samarinda, officer):
    """A lurah's field note and an unregistered number's message, applied and answered; the contact and number."""
    now = timezone.now()
    lurah = contact_create(regency=samarinda, by=officer, now=now, data={
        "phone": "+6281200000002", "name": "Bu Lurah Satu", "role": "lurah",
        "village": Village.objects.filter(regency=samarinda).order_by("code").first()})
    stranger = "+6281999999999"
    for n, (sender, text) in enumerate([(lurah.phone, "INFO Jalan ke TPS 3 licin"), (stranger, "halo")]):
        ids = webhook_store(events=[IncomingEvent(channel="whatsapp", provider_id=f"a11y-{n}", sender=str(sender),
                                                  sent_at=now, text=text, media_id="", raw={})], statuses=[], now=now)
        message_apply(message_id=ids[0], now=now)
    return lurah, stranger


def page_shape(url):
    """/reports/12/?date=2024-11-22 and /reports/13/?date=2024-11-23 are one page to check."""
    parts = urlparse(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def violations_readable(url, violations):
    lines = []
    for violation in violations:
        lines.append(f"  {url}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"      {' '.join(node['target'])}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"        {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"      ... and {len(violation['nodes']) - 5} more")
    return lines


def check_pages(browser, base_url, user, start, *, size, language, crawl):
    """Open each start page (and, with crawl, every page they link to); return what axe and the console said."""
    context = browser.new_context(viewport=SIZES[size], locale="id-ID", reduced_motion="reduce")
    context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = console_errors_watch(page)
    if user is not None:
        page.goto(f"{base_url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
    problems, seen, queue, checked = [], set(), list(start), []
    while queue:
        url = queue.pop(0)
        if page_shape(url) in seen:
            continue
        seen.add(page_shape(url))
        del errors[:]
        response = page.goto(base_url + url)
        assert response is not None and response.status == 200, f"{url}: {response and response.status}"
        checked.append(url)
        # Folded parts (<details>, collapsed forms) are checked open: axe skips what is hidden.
        page.evaluate("""() => {
            document.querySelectorAll("details").forEach(d => { d.open = true; });
            document.querySelectorAll(".collapse:not(.navbar-collapse)").forEach(c => c.classList.add("show"));
        }""")
        results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "rules": ALSO,
                                         "resultTypes": ["violations"]})
        problems += violations_readable(url, results.response["violations"])
        problems += [f"  {url}: {error}" for error in errors]
        if crawl:
            for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                parts = urlparse(href)
                if f"{parts.scheme}://{parts.netloc}" != base_url or NOT_PAGES.search(parts.path):
                    continue
                link = parts.path + (f"?{parts.query}" if parts.query else "")
                if page_shape(link) not in seen:
                    queue.append(link)
    context.close()
    return checked, problems


@pytest.mark.parametrize("role", ["officer", "secretariat", "national", "admin_user", None])
def test_every_page_passes_axe_wcag21_aa_at_both_widths_in_both_languages(browser, live_server, start_pages,
                                                                           request, role):
    user = request.getfixturevalue(role) if role else None
    report, all_checked = [], set()
    for size in SIZES:
        for language in LANGUAGES:
            checked, problems = check_pages(browser, live_server.url, user, start_pages[role], size=size,
                                            language=language, crawl=role != "admin_user")
            all_checked.update(checked)
            print(f"{role or 'anonymous'}, {size}, {language}: {len(checked)} pages, {' '.join(checked)}")
            if problems:
                report.append(f"{role or 'anonymous'}, {size}, {language}:")
                report += problems
    # The walk reached the pages named (and, for the desk roles, the ones they link to).
    assert {page_shape(url) for url in start_pages[role]} <= {page_shape(url) for url in all_checked}
    if report:
        pytest.fail("axe-core (WCAG 2.1 A/AA) or the console found:\n" + "\n".join(report), pytrace=False)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["officer", "secretariat", "admin_user"])
def test_navigation_links_stay_on_one_line_at_1100_px(page, request, election, role, language):
    """At 1,100 px the bar is collapsed behind the menu button; opened, or wide, every link is one line high."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])
    page.login(request.getfixturevalue(role))
    for width in (1100, 1280, 1440):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(page.base_url + "/")
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
        links = page.locator("#nav .nav-link")
        assert links.count() >= 7
        line_height = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#nav .nav-link')).lineHeight)")
        for index in range(links.count()):
            link = links.nth(index)
            box = link.bounding_box()
            padding = link.evaluate("a => parseFloat(getComputedStyle(a).paddingTop)"
                                    " + parseFloat(getComputedStyle(a).paddingBottom)")
            assert box["height"] - padding < 1.5 * line_height, (width, link.inner_text(), box)
        # The bar itself is one row when open wide: brand, links, user and logout side by side.
        bar = page.locator("nav.navbar").bounding_box()
        assert bar["height"] < 80 or toggler.is_visible(), (width, bar)
