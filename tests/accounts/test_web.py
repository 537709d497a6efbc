import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _back_to_default_language():
    """A request in English leaves English active in this thread: do not leak it into the next test."""
    yield
    translation.deactivate()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'name="username"' in page.text and 'name="password"' in page.text
    assert "cdn" not in page.text.lower()


@pytest.mark.django_db
def test_login_with_username_and_password(client, officer, election):
    response = client.post("/accounts/login/", {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert "Kota Samarinda" in home.text


@pytest.mark.django_db
def test_wrong_password_is_refused_in_indonesian(client, officer):
    response = client.post("/accounts/login/", {"username": officer.username, "password": "salah"})
    assert response.status_code == 200
    # Django's own sentence read "Masukkan nama pengguna nama pengguna dan sandi yang benar".
    assert response.context["form"].non_field_errors() == [
        "Nama pengguna atau sandi salah. Periksa keduanya; huruf besar dan kecil dibedakan."
    ]
    assert "nama pengguna nama pengguna" not in response.text.lower()


@pytest.mark.django_db
def test_wrong_password_is_refused_in_english_when_chosen(client, officer):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/accounts/login/", {"username": officer.username, "password": "salah"})
    assert response.context["form"].non_field_errors() == [
        "Wrong username or password. Check both; upper and lower case letters differ."
    ]
    assert "username and password" not in response.text


@pytest.mark.django_db
def test_the_admin_login_refuses_in_one_plain_sentence(client, officer):
    response = client.post("/admin/login/", {"username": officer.username, "password": "salah"})
    assert response.context["form"].non_field_errors() == [
        "Nama pengguna atau sandi salah, atau akun ini bukan akun admin. Huruf besar dan kecil dibedakan."
    ]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post("/admin/login/", {"username": officer.username, "password": PASSWORD})
    assert english.context["form"].non_field_errors() == [
        "Wrong username or password, or this is not an admin account. Upper and lower case letters differ."
    ]


@pytest.mark.django_db
def test_secretariat_home_lists_the_province(client, secretariat, election):
    client.force_login(secretariat)
    response = client.get("/")
    assert response.status_code == 200
    assert "Kota Balikpapan" in response.text and "Kota Samarinda" in response.text


@pytest.mark.django_db
def test_admin_pages_load_for_admin(client, admin_user, election):
    client.force_login(admin_user)
    for url in ["/admin/", "/admin/regions/regency/", "/admin/regions/pollingstation/?regency__exact=64.72",
                "/admin/regions/village/?q=64.72", "/admin/elections/election/", "/admin/auth/user/",
                f"/admin/regions/regency/{'64.72'}/change/"]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_admin_pages_are_refused_to_an_officer(client, officer):
    client.force_login(officer)
    response = client.get("/admin/regions/regency/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_logout(client, officer):
    client.force_login(officer)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_indonesian_by_default_whatever_the_browser_asks(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "id"
    assert '<html lang="id">' in response.text


@pytest.mark.django_db
def test_language_selector_switches_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_every_admin_changelist_loads_for_a_superuser(client, election, officer):
    from django.contrib import admin
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_refusals_are_explained_in_indonesian(client, officer, settings):
    settings.DEBUG = False
    client.force_login(officer)
    missing = client.get("/reports/999999/")
    assert missing.status_code == 404 and "di luar wilayah Anda" in missing.text
    refused = client.get("/reports/excuse/")
    assert refused.status_code == 403 and "Akses ditolak" in refused.text


@pytest.mark.django_db
def test_login_is_refused_for_15_minutes_after_ten_wrong_passwords(client, officer, secretariat):
    wrong = {"username": officer.username, "password": "salah"}
    statuses = [client.post("/accounts/login/", wrong).status_code for _ in range(10)]
    assert statuses == [200] * 9 + [429]
    right = client.post("/accounts/login/", {"username": officer.username, "password": PASSWORD})
    assert right.status_code == 429 and "Terlalu banyak percobaan" in right.text
    assert "_auth_user_id" not in client.session
    # Another user name from the same address, and the same one from another address, still sign in.
    assert client.post("/accounts/login/", {"username": secretariat.username, "password": PASSWORD}).status_code == 302
    client.logout()
    elsewhere = {"username": officer.username, "password": PASSWORD}
    assert client.post("/accounts/login/", elsewhere, REMOTE_ADDR="10.1.2.3").status_code == 302
    client.logout()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=15, seconds=1)):
        assert client.post("/accounts/login/", elsewhere).status_code == 302


@pytest.mark.django_db
def test_a_right_password_clears_the_count_of_wrong_ones(client, officer):
    wrong = {"username": officer.username, "password": "salah"}
    for _ in range(9):
        client.post("/accounts/login/", wrong)
    assert client.post("/accounts/login/", {"username": officer.username, "password": PASSWORD}).status_code == 302
    client.logout()
    assert [client.post("/accounts/login/", wrong).status_code for _ in range(9)] == [200] * 9
