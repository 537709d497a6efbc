"""The cast: two regencies of Kaltim (Samarinda, Balikpapan), one of another
province, the active election, and a user of each role; and headless Chromium
(Debian's, through Playwright) against pytest-django's live server."""

import importlib
import os
import re
import shutil

import pytest
import time_machine
from django.apps import apps as django_apps
from rest_framework.test import APIClient

from tests import factories
from tests.factories import PASSWORD
from tests.helpers import NOW


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Tests create many users; the default hasher would dominate their time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _logistics_catalogue(request):
    """Put back the item catalogue of the logistics data migration when a flush removed it.

    Transactional tests (browser, worker) end by emptying every table, and a
    reused test database keeps that state: data migrations do not run again.
    """
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not names & {"db", "transactional_db"}:
        return
    transactional = "transactional_db" in names or (marker is not None and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    migration = importlib.import_module("logistics.migrations.0002_item_catalogue")
    from logistics.models import LogisticsItem

    if LogisticsItem.objects.count() < len(migration.CATALOGUE):
        migration.create_catalogue(django_apps, None)


@pytest.fixture
def frozen_at():
    """The moment `frozen` stops the clock at (tests.helpers.NOW); a folder's conftest or a module overrides it."""
    return NOW


@pytest.fixture
def frozen(frozen_at):
    """The clock stopped at `frozen_at` (time_machine, not ticking); yields the traveller."""
    with time_machine.travel(frozen_at, tick=False) as traveller:
        yield traveller


@pytest.fixture
def kaltim(db):
    return factories.province_make("64", "Kalimantan Timur")


@pytest.fixture
def samarinda(kaltim):
    return factories.regency_make("64.72", "Kota Samarinda")


@pytest.fixture
def balikpapan(kaltim):
    return factories.regency_make("64.71", "Kota Balikpapan")


@pytest.fixture
def other_province_regency(db):
    factories.province_make("65", "Kalimantan Utara")
    return factories.regency_make("65.71", "Kota Tarakan")


@pytest.fixture
def election(kaltim, samarinda, balikpapan):
    return factories.election_make(kaltim, regencies=[samarinda, balikpapan])


@pytest.fixture
def officer(samarinda):
    return factories.officer_make(samarinda)


@pytest.fixture
def other_officer(balikpapan):
    return factories.officer_make(balikpapan)


@pytest.fixture
def secretariat(kaltim):
    return factories.secretariat_make(kaltim)


@pytest.fixture
def national(db):
    return factories.national_make()


@pytest.fixture
def admin_user(db):
    return factories.admin_make()


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` logs in by session."""

    class Client(APIClient):
        def as_user(self, user):
            self.force_authenticate(user=None)
            self.force_login(user)
            return self

    return Client()

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium or set CHROMIUM_PATH")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


def console_error_text(message):
    location = message.location or {}
    return f"console: {message.text} ({location.get('url', '')}:{location.get('lineNumber', '')})"


def console_errors_watch(page):
    """A list that fills with every console error and uncaught script error of `page`."""
    errors = []
    page.on("console", lambda message: errors.append(console_error_text(message)) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    return errors


@pytest.fixture(autouse=True)
def _browser_console_errors(request):
    """A browser test fails on any console error or uncaught script error in any page it opened.

    Every context the test makes (the `page` fixture's or its own) is watched. A test that provokes
    such errors on purpose says so with `@pytest.mark.console_errors_expected(reason)`.
    """
    if "browser" not in request.fixturenames:
        yield None
        return
    browser = request.getfixturevalue("browser")
    errors = []

    def new_context(*args, **kwargs):
        context = type(browser).new_context(browser, *args, **kwargs)
        context.on("console", lambda message: errors.append(console_error_text(message))
                   if message.type == "error" else None)
        context.on("weberror", lambda error: errors.append(f"pageerror: {error.error}"))
        return context

    browser.new_context = new_context
    try:
        yield errors
    finally:
        del browser.new_context
    expected = request.node.get_closest_marker("console_errors_expected")
    if expected is not None and expected.kwargs.get("matching"):
        # Only the errors the test provokes on purpose are tolerated; any other still fails it.
        errors = [error for error in errors if not re.search(expected.kwargs["matching"], error)]
    elif expected is not None:
        errors = []
    if errors:
        pytest.fail("The browser logged errors:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page; `page.login(user)` signs in through the login form.

    The test fails on any console error or uncaught script error (see _browser_console_errors).
    """
    # Reduced motion turns Bootstrap's transitions off: a click never lands on a panel still opening.
    context = browser.new_context(viewport={"width": 412, "height": 915}, locale="id-ID", reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(15_000)

    def login(user, password=PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("button[type=submit]")

    def shot(name):
        if SCREENSHOTS:
            page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)

    def submit(selector):
        """Click something that loads a new page, and wait for that page (not the old one)."""
        with page.expect_navigation():
            page.click(selector)

    page.login = login
    page.submit = submit
    page.shot = shot
    page.base_url = live_server.url
    yield page
    context.close()
