import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_and_sees_their_regency(page, officer, election):
    page.login(officer)
    page.shot("officer-home")
    assert "Kota Samarinda" in page.inner_text("main")
    # One local stylesheet (Bootstrap's used rules and ours), nothing from a CDN.
    assert page.locator("link[rel=stylesheet]").evaluate_all("links => links.map(l => new URL(l.href).pathname)") == [
        "/static/css/desk.min.css"]


def test_wrong_password_stays_on_login_with_a_message(page, officer):
    page.login(officer, password="salah")
    assert "/accounts/login/" in page.url
    assert "nama pengguna" in page.inner_text("main").lower()
