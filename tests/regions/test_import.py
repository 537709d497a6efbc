import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from regions.importing import ImportRejected, plan_apply, regions_plan
from regions.models import District, PollingStation, Province, Regency, Village

KALTIM_SAMPLE = """code,name
64.72.01.1001,Sidodadi
64,Kalimantan Timur
64.72,Kota Samarinda
64.72.01,Samarinda Ulu
64.01,Kabupaten Paser
64.01.01,Batu Sopang
64.01.01.2009,Samurangau
64.01.01.3001,Kampung Adat
"""


def write(tmp_path, text, name="regions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def snapshot():
    return [
        list(model.objects.order_by("pk").values_list("pk", "name"))
        for model in (Province, Regency, District, Village)
    ]


def run(command, path, capsys):
    call_command(command, path)
    return capsys.readouterr().out


@pytest.mark.django_db
def test_import_regions_creates_every_level_with_kinds_from_codes(tmp_path, capsys):
    out = run("import_regions", write(tmp_path, KALTIM_SAMPLE), capsys)

    assert "village: 3 created, 0 updated, 0 unchanged" in out
    assert Regency.objects.get(pk="64.72").kind == "kota"
    assert Regency.objects.get(pk="64.01").kind == "kabupaten"
    assert dict(Village.objects.values_list("code", "kind")) == {
        "64.72.01.1001": "kelurahan", "64.01.01.2009": "desa", "64.01.01.3001": "desa_adat",
    }
    assert Village.objects.get(pk="64.72.01.1001").regency_id == "64.72"
    assert Province.objects.get(pk="64").time_zone == "Asia/Makassar"


@pytest.mark.django_db
def test_second_run_of_the_same_file_creates_nothing(tmp_path, capsys):
    path = write(tmp_path, KALTIM_SAMPLE)
    run("import_regions", path, capsys)

    out = run("import_regions", path, capsys)

    assert "0 created, 0 updated" in out and " created" not in out.replace("0 created", "")
    assert Village.objects.count() == 3


@pytest.mark.django_db
def test_renamed_region_is_updated_by_code(tmp_path, capsys):
    run("import_regions", write(tmp_path, KALTIM_SAMPLE), capsys)

    text = "kode,nama\n64.02.20,Samboja Barat\n64.02,Kab Kukar\n64.72,Kota Samarinda Baru\n"
    out = run("import_regions", write(tmp_path, text), capsys)

    assert "regency: 1 created, 1 updated, 0 unchanged" in out
    assert Regency.objects.get(pk="64.72").name == "Kota Samarinda Baru"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            "64.72.01.1999,Orphan\n64.72.09.1001,Orphan Village",
            "line 3: parent district '64.72.09' of '64.72.09.1001' does not exist",
        ),
        ("64.7,Broken", "line 2: malformed code '64.7'"),
        ("64.72.01.9001,Bad Kind", "line 2: village code '64.72.01.9001' must start its last segment with 1, 2 or 3"),
        ("64.72.02,", "line 2: empty name for code '64.72.02'"),
        ("64.72,Kota Lain", "line 3: code '64.72' already on line 2"),
    ],
)
def test_bad_row_fails_the_whole_file_and_changes_nothing(tmp_path, capsys, bad_row, message):
    run("import_regions", write(tmp_path, KALTIM_SAMPLE, "base.csv"), capsys)
    before = snapshot()
    text = "code,name\n" + bad_row + "\n64.72,Kota Samarinda\n64.74,Kota Bontang\n"

    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_regions", write(tmp_path, text))

    assert message in capsys.readouterr().err
    assert snapshot() == before
    assert not Regency.objects.filter(pk="64.74").exists()


@pytest.mark.django_db
def test_every_bad_line_is_named(tmp_path, capsys):
    text = "code,name\n64,Kalimantan Timur\nXX,Bad\n64.01,\n64.99.01,Orphan\n"

    with pytest.raises(CommandError):
        call_command("import_regions", write(tmp_path, text))

    out, err = capsys.readouterr()
    assert "line 3:" in err and "line 4:" in err and "line 5:" in err
    # A refused file writes nothing: no counts that would read as created rows.
    assert out == "" and "created" not in err
    assert Province.objects.count() == 0


@pytest.mark.django_db
def test_the_command_prints_english_for_scripts_whatever_the_interface_language(tmp_path, capsys):
    with translation.override("id"), pytest.raises(CommandError):
        call_command("import_regions", write(tmp_path, "code,name\n64.7,Rusak\n64,\n"))

    assert capsys.readouterr().err.splitlines() == ["line 2: malformed code '64.7'", "line 3: empty name for code '64'"]


@pytest.mark.django_db
def test_wrong_header_is_refused(tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_regions", write(tmp_path, "id,label\n64,Kalimantan Timur\n"))
    assert "line 1: header must be code,name" in capsys.readouterr().err


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_regions", str(tmp_path / "nope.csv"))


@pytest.mark.django_db
def test_import_tps_upserts_by_village_and_number(tmp_path, capsys):
    run("import_regions", write(tmp_path, KALTIM_SAMPLE), capsys)
    path = write(tmp_path, "village_code,number,voters\n64.72.01.1001,1,300\n64.72.01.1001,2,280\n", "tps.csv")

    assert "tps: 2 created" in run("import_tps", path, capsys)
    assert "tps: 0 created, 0 updated, 2 unchanged" in run("import_tps", path, capsys)
    out = run("import_tps", write(tmp_path, "village_code,number,voters\n64.72.01.1001,2,281\n", "t2.csv"), capsys)
    assert "tps: 0 created, 1 updated, 0 unchanged" in out
    station = PollingStation.objects.get(village_id="64.72.01.1001", number=2)
    assert (station.voters, station.regency_id) == (281, "64.72")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("64.72.01.1002,1,300", "line 2: village '64.72.01.1002' does not exist"),
        ("64.72.01,1,300", "line 2: malformed village code '64.72.01'"),
        ("64.72.01.1001,0,300", "line 2: TPS number must be a whole number from 1"),
        ("64.72.01.1001,1,1001", "line 2: voters must be a whole number from 0 to 1000"),
        ("64.72.01.1001,1,-5", "line 2: voters must be a whole number from 0 to 1000"),
        ("64.72.01.1001,1,abc", "line 2: voters must be a whole number"),
    ],
)
def test_bad_tps_row_changes_nothing(tmp_path, capsys, row, message):
    run("import_regions", write(tmp_path, KALTIM_SAMPLE), capsys)
    text = f"village_code,number,voters\n{row}\n64.01.01.2009,1,200\n"

    with pytest.raises(CommandError):
        call_command("import_tps", write(tmp_path, text, "tps.csv"))

    assert message in capsys.readouterr().err
    assert PollingStation.objects.count() == 0


@pytest.mark.django_db
def test_region_summary_json(tmp_path, capsys):
    run("import_regions", write(tmp_path, KALTIM_SAMPLE), capsys)
    tps = "village_code,number,voters\n64.72.01.1001,1,300\n64.01.01.2009,1,120\n"
    run("import_tps", write(tmp_path, tps, "t.csv"), capsys)

    call_command("region_summary", "--json")

    assert capsys.readouterr().out.strip() == (
        '{"provinces": 1, "regencies": 2, "districts": 2, "villages": 3, "tps": 2, "voters": 420}'
    )
    call_command("region_summary", "--province", "64")
    assert "Kota Samarinda" in capsys.readouterr().out
    with pytest.raises(CommandError, match="unknown province"):
        call_command("region_summary", "--province", "99")


@pytest.mark.django_db
def test_a_region_created_between_plan_and_write_fails_the_import_and_changes_nothing():
    plan = regions_plan(io.StringIO(KALTIM_SAMPLE))
    # Somebody else's import lands first: their village must not be overwritten by ours.
    Province.objects.create(code="64", name="Kalimantan Timur", time_zone="Asia/Makassar")
    Regency.objects.create(code="64.72", name="Kota Samarinda", kind="kota", province_id="64")
    District.objects.create(code="64.72.01", name="Samarinda Ulu", regency_id="64.72")
    Village.objects.create(code="64.72.01.1001", name="Sidodadi (theirs)", kind="kelurahan",
                           district_id="64.72.01", regency_id="64.72")
    before = snapshot()

    with pytest.raises(ImportRejected) as rejected:
        plan_apply(plan)

    assert str(rejected.value.errors[0]) == (
        "data berubah selama berkas ini diimpor (ada yang menyimpan kode yang sama); tidak ada yang diubah: "
        "jalankan impor lagi")
    with translation.override("en"):
        assert "the data changed while this file was imported" in str(rejected.value.errors[0])
        assert "run the import again" in str(rejected.value.errors[0])
    assert snapshot() == before
    assert Village.objects.get(pk="64.72.01.1001").name == "Sidodadi (theirs)"


@pytest.mark.django_db
def test_import_tps_reads_the_optional_location_column(tmp_path, capsys):
    run("import_regions", write(tmp_path, KALTIM_SAMPLE), capsys)
    text = "kode_desa;number;voters;location\n64.72.01.1001;1;300;prison\n64.72.01.1001;2;280;\n"

    run("import_tps", write(tmp_path, text, "tps.csv"), capsys)

    assert dict(PollingStation.objects.values_list("number", "location")) == {1: "prison", 2: "regular"}
