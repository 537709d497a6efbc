"""Admins import regions and TPS from the admin: a dry run shows the plan, a confirm writes exactly that."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from regions.importing import regions_import
from regions.models import District, PollingStation, Province, Regency, Village
from tests.regions.test_import import KALTIM_SAMPLE, snapshot

REGIONS_URL = "/admin/regions/province/import/"
TPS_URL = "/admin/regions/pollingstation/import/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def as_admin(client, admin_user):
    client.force_login(admin_user)
    return client


def upload(client, url, text, name="wilayah.csv", encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "dry_run": "1"})


def confirm(client, url, response):
    return client.post(url, {"token": response.context["token"], "confirm": "1"}, follow=True)


def stored_files():
    return list(Path(settings.MEDIA_ROOT, "imports").glob("*.csv"))


def stored_file(media_root):
    (path,) = Path(media_root, "imports").glob("*.csv")
    return path


@pytest.mark.django_db
def test_dry_run_shows_what_would_be_created_and_writes_nothing(as_admin):
    response = upload(as_admin, REGIONS_URL, KALTIM_SAMPLE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Uji coba: wilayah.csv" in page and "Simpan impor ini" in page
    assert response.context["rows"] == [
        ("provinsi", 1, 0, 0), ("kabupaten/kota", 2, 0, 0), ("kecamatan", 2, 0, 0), ("kelurahan/desa", 3, 0, 0),
    ]
    assert not Province.objects.exists() and not Village.objects.exists()


@pytest.mark.django_db
def test_confirm_writes_exactly_the_dry_run(as_admin, media_root):
    response = upload(as_admin, REGIONS_URL, KALTIM_SAMPLE)

    done = confirm(as_admin, REGIONS_URL, response)

    assert done.redirect_chain[-1][0] == "/admin/regions/province/"
    assert "kelurahan/desa: 3 dibuat, 0 diubah, 0 tetap" in done.content.decode()
    assert (Province.objects.count(), Regency.objects.count(), District.objects.count(), Village.objects.count()) \
        == (1, 2, 2, 3)
    assert list(Path(media_root, "imports").glob("*.csv")) == []


@pytest.mark.django_db
def test_dry_run_shows_changed_unchanged_and_the_change_itself(as_admin):
    confirm(as_admin, REGIONS_URL, upload(as_admin, REGIONS_URL, KALTIM_SAMPLE))

    response = upload(as_admin, REGIONS_URL, "kode;nama\n64.72;Kota Samarinda Baru\n64.01;Kabupaten Paser\n")

    assert response.context["rows"] == [("kabupaten/kota", 0, 1, 1)]
    assert "64.72: &#x27;Kota Samarinda&#x27; -&gt; &#x27;Kota Samarinda Baru&#x27;" in response.content.decode()
    assert Regency.objects.get(pk="64.72").name == "Kota Samarinda"


@pytest.mark.django_db
def test_refused_rows_are_listed_by_line_and_nothing_can_be_confirmed(as_admin):
    response = upload(as_admin, REGIONS_URL, KALTIM_SAMPLE + "64.7,Rusak\n64.99.01,Yatim\n")

    page = response.content.decode()
    assert "baris 10: kode &#x27;64.7&#x27; salah bentuk" in page
    assert "baris 11: kabupaten/kota induk &#x27;64.99&#x27; dari &#x27;64.99.01&#x27; tidak ada" in page
    assert "2 baris ditolak" in page and "Simpan impor ini" not in page
    assert as_admin.post(REGIONS_URL, {"token": "whatever", "confirm": "1"}).status_code == 302
    assert not Province.objects.exists()


@pytest.mark.django_db
def test_confirm_revalidates_a_file_that_turned_invalid_and_writes_nothing(as_admin, media_root):
    response = upload(as_admin, REGIONS_URL, KALTIM_SAMPLE)
    stored_file(media_root).write_text(KALTIM_SAMPLE + "64.7,Rusak\n", encoding="utf-8")

    done = confirm(as_admin, REGIONS_URL, response)

    page = done.content.decode()
    assert "Berkas tidak lagi valid" in page and "baris 10: kode &#x27;64.7&#x27; salah bentuk" in page
    assert snapshot() == [[], [], [], []]


@pytest.mark.django_db
def test_confirm_refuses_when_the_data_changed_since_the_dry_run(as_admin):
    response = upload(as_admin, REGIONS_URL, KALTIM_SAMPLE)
    Province.objects.create(code="64", name="Kaltim (diubah orang lain)", time_zone="Asia/Makassar")

    done = confirm(as_admin, REGIONS_URL, response)

    assert "Data berubah sejak uji coba" in done.content.decode()
    assert done.context["rows"][0] == ("provinsi", 0, 1, 0)
    assert Province.objects.get().name == "Kaltim (diubah orang lain)" and not Regency.objects.exists()
    # The new dry run can be confirmed.
    confirm(as_admin, REGIONS_URL, done)
    assert Province.objects.get().name == "Kalimantan Timur" and Village.objects.count() == 3


@pytest.mark.django_db
def test_tps_import_from_the_admin_with_excel_bom_and_semicolons(as_admin):
    confirm(as_admin, REGIONS_URL, upload(as_admin, REGIONS_URL, KALTIM_SAMPLE))
    text = "village_code;number;voters\r\n64.72.01.1001;1;300\r\n64.01.01.2009;1;120\r\n"

    response = upload(as_admin, TPS_URL, text, name="tps.csv", encoding="utf-8-sig")
    assert response.context["rows"] == [("TPS", 2, 0, 0)]
    confirm(as_admin, TPS_URL, response)

    assert sorted(PollingStation.objects.values_list("village_id", "voters")) == [
        ("64.01.01.2009", 120), ("64.72.01.1001", 300),
    ]


@pytest.mark.django_db
def test_ten_thousand_bad_rows_show_the_first_fifty_and_a_count(as_admin):
    rows = "".join(f"64.x{n},Rusak\n" for n in range(10_000))

    response = upload(as_admin, REGIONS_URL, "code,name\n" + rows)

    errors = response.context["errors"]
    assert len(errors) == 51 and errors[0] == "baris 2: kode '64.x0' salah bentuk"
    assert errors[-1] == "... dan 9950 baris salah lainnya"
    assert "10000 baris ditolak" in response.content.decode()


@pytest.mark.django_db
def test_file_that_is_not_utf8_is_refused(as_admin):
    response = upload(as_admin, REGIONS_URL, "code,name\n64,Kaltim\xff\n".encode("cp1252"))

    assert "Berkas bukan teks UTF-8" in response.content.decode()
    assert not Province.objects.exists()


@pytest.mark.django_db
def test_changelists_link_to_the_import(as_admin):
    assert REGIONS_URL in as_admin.get("/admin/regions/province/").content.decode()
    assert TPS_URL in as_admin.get("/admin/regions/pollingstation/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer", "secretariat"])
def test_officers_and_secretariat_cannot_import(client, who, request):
    client.force_login(request.getfixturevalue(who))
    before = snapshot()
    for url in (REGIONS_URL, TPS_URL):
        assert client.get(url).status_code == 302
        assert upload(client, url, KALTIM_SAMPLE).status_code == 302
    assert snapshot() == before


@pytest.mark.django_db
def test_staff_without_region_permissions_cannot_import(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    assert client.get(REGIONS_URL).status_code == 403


@pytest.mark.django_db
def test_refused_rows_are_in_english_for_an_admin_who_chose_it(as_admin):
    as_admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        response = upload(as_admin, REGIONS_URL, "code,name\n" + "".join(f"64.x{n},Rusak\n" for n in range(52)))
        errors = response.context["errors"]
        page = response.content.decode()
    finally:
        translation.deactivate()

    assert errors[0] == "line 2: malformed code '64.x0'" and errors[-1] == "... and 2 more bad row(s)"
    assert "52 rows refused: this file cannot be imported. Nothing will be saved" in page


@pytest.mark.django_db
def test_a_file_with_refused_rows_promises_no_creations(as_admin):
    """60 bad rows beside 51 good ones: the dry run said "51 to be created" next to "60 rows refused"."""
    good = "".join(f"64.{71 + n // 50}.{n % 50 + 10:02d},Kecamatan {n}\n" for n in range(49))
    bad = "".join(f"64.x{n},Rusak\n" for n in range(60))

    response = upload(as_admin, REGIONS_URL, "code,name\n64,Kalimantan Timur\n64.71,Kota A\n" + good + bad)

    page = response.content.decode()
    assert response.context["error_count"] == 60
    assert response.context["rows"] == [] and not response.context["confirmable"]
    assert "60 baris ditolak" in page and "Tidak ada yang akan disimpan" in page
    assert "Dibuat" not in page and "import-plan" not in page and "Simpan impor ini" not in page
    assert not Path(settings.MEDIA_ROOT, "imports").exists() or stored_files() == []
    assert not Province.objects.exists()


@pytest.mark.django_db
def test_a_file_that_changes_nothing_offers_no_confirm(as_admin):
    confirm(as_admin, REGIONS_URL, upload(as_admin, REGIONS_URL, KALTIM_SAMPLE))

    again = upload(as_admin, REGIONS_URL, KALTIM_SAMPLE)

    page = again.content.decode()
    assert again.context["rows"] == [
        ("provinsi", 0, 0, 1), ("kabupaten/kota", 0, 0, 2), ("kecamatan", 0, 0, 2), ("kelurahan/desa", 0, 0, 3),
    ]
    assert "Tidak ada yang berubah" in page and "Simpan impor ini" not in page
    assert again.context["token"] == "" and stored_files() == []
    # Nothing is waiting to be confirmed either.
    assert as_admin.post(REGIONS_URL, {"token": "", "confirm": "1"}).status_code == 302


@pytest.mark.django_db
def test_a_dry_run_that_turns_into_no_change_on_confirm_says_so(as_admin, media_root):
    first = upload(as_admin, REGIONS_URL, KALTIM_SAMPLE)
    # Somebody else imports the same file meanwhile (the command, say).
    regions_import(io.StringIO(KALTIM_SAMPLE))

    done = confirm(as_admin, REGIONS_URL, first)

    page = done.content.decode()
    assert "berkas ini kini sama dengan data tersimpan, tidak ada yang perlu disimpan" in page
    assert "Simpan impor ini" not in page and stored_files() == []
