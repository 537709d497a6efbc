import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_logs_in_and_sees_their_regency(page, officer, election):
    page.login(officer)
    page.shot("officer-home")
    assert "Kota Samarinda" in page.inner_text("main")
    assert page.locator("link[href*='bootstrap']").count() == 1


def test_wrong_password_stays_on_login_with_a_message(page, officer):
    page.login(officer, password="salah")
    assert "/accounts/login/" in page.url
    assert "nama pengguna" in page.inner_text("main").lower()
