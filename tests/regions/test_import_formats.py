"""Files as Excel and other tools write them: a byte-order mark, semicolons, and thousands of bad rows."""

import pytest
from django.core.management import CommandError, call_command

from regions.models import PollingStation, Province, Village
from tests.regions.test_import import KALTIM_SAMPLE


def write_bytes(tmp_path, data, name="regions.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.django_db
def test_excel_csv_utf8_with_byte_order_mark_imports(tmp_path, capsys):
    path = write_bytes(tmp_path, KALTIM_SAMPLE.replace("\n", "\r\n").encode("utf-8-sig"))

    call_command("import_regions", path)

    assert "village: 3 created" in capsys.readouterr().out
    assert Village.objects.count() == 3


@pytest.mark.django_db
def test_semicolon_separated_file_with_bom_imports(tmp_path, capsys):
    text = KALTIM_SAMPLE.replace(",", ";").replace("Kalimantan Timur", '"Kalimantan; Timur"')
    call_command("import_regions", write_bytes(tmp_path, text.encode("utf-8-sig")))
    tps = "kode_desa;number;voters\r\n64.72.01.1001;1;300\r\n64.01.01.2009;1;120\r\n"

    call_command("import_tps", write_bytes(tmp_path, tps.encode("utf-8-sig"), "tps.csv"))

    assert "tps: 2 created" in capsys.readouterr().out
    assert Province.objects.get(pk="64").name == "Kalimantan; Timur"
    assert sorted(PollingStation.objects.values_list("voters", flat=True)) == [120, 300]


@pytest.mark.django_db
def test_semicolon_file_with_a_bad_row_names_its_line(tmp_path, capsys):
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_regions", write_bytes(tmp_path, b"kode;nama\n64;Kalimantan Timur\n64.7;Rusak\n"))

    assert "line 3: malformed code '64.7'" in capsys.readouterr().err
    assert not Province.objects.exists()


@pytest.mark.django_db
def test_ten_thousand_bad_rows_print_the_first_fifty_and_a_count(tmp_path, capsys):
    rows = "".join(f"64.x{n},Rusak {n}\n" for n in range(10_000))
    path = write_bytes(tmp_path, ("code,name\n64,Kalimantan Timur\n" + rows).encode())

    with pytest.raises(CommandError, match="10000 bad row"):
        call_command("import_regions", path)

    err = capsys.readouterr().err.splitlines()
    assert len(err) == 51
    assert err[0] == "line 3: malformed code '64.x0'"
    assert err[49] == "line 52: malformed code '64.x49'"
    assert err[50] == "... and 9950 more bad row(s)"
    assert not Province.objects.exists()


@pytest.mark.django_db
def test_file_that_is_not_utf8_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_regions", write_bytes(tmp_path, "code,name\n64,Kalimantan Timur\xff\n".encode("cp1252")))
