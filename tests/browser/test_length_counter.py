"""The length counter under every limited text field, in a phone-sized Chromium."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_counter_is_shown_in_the_browser_and_says_when_the_field_is_full(page, officer, election, live_server):
    page.login(officer)
    page.goto(f"{live_server.url}/violations/new/")
    counter = page.locator(".length-counter[data-for=description]")
    assert counter.inner_text().strip() == "0 / 5000"
    page.fill("textarea[name=description]", "x" * 6000)
    assert page.input_value("textarea[name=description]") == "x" * 5000
    assert counter.inner_text().startswith("5000 / 5000 · batas panjang tercapai")

