"""Admins import regions and TPS from the admin: a dry run shows the plan, a confirm writes exactly that."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

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
    assert "line 10: malformed code &#x27;64.7&#x27;" in page
    assert "line 11: parent regency &#x27;64.99&#x27; of &#x27;64.99.01&#x27; does not exist" in page
    assert "2 baris ditolak" in page and "Simpan impor ini" not in page
    assert as_admin.post(REGIONS_URL, {"token": "whatever", "confirm": "1"}).status_code == 302
    assert not Province.objects.exists()


@pytest.mark.django_db
def test_confirm_revalidates_a_file_that_turned_invalid_and_writes_nothing(as_admin, media_root):
    response = upload(as_admin, REGIONS_URL, KALTIM_SAMPLE)
    stored_file(media_root).write_text(KALTIM_SAMPLE + "64.7,Rusak\n", encoding="utf-8")

    done = confirm(as_admin, REGIONS_URL, response)

    page = done.content.decode()
    assert "Berkas tidak lagi valid" in page and "line 10: malformed code" in page
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
    assert len(errors) == 51 and errors[0] == "line 2: malformed code '64.x0'"
    assert errors[-1] == "... and 9950 more bad row(s)"
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
