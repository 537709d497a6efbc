import json

import pytest
from django.core.management import CommandError, call_command

from regions.boundaries import KALTIM_FILES, SCALE
from regions.models import DistrictBoundary, RegencyBoundary

pytestmark = pytest.mark.django_db


def square(lng, lat, size=0.1):
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "MultiPolygon", "coordinates": [[ring]]}


def feature(code, geometry, **properties):
    return {"type": "Feature", "properties": {"code": code, **properties}, "geometry": geometry}


def write(tmp_path, features, name="shapes.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return str(path)


def stored():
    return [list(model.objects.order_by("pk").values()) for model in (RegencyBoundary, DistrictBoundary)]


def test_import_stores_a_projected_outline_per_regency_and_district(tmp_path, capsys, samarinda, balikpapan):
    path = write(tmp_path, [
        feature("64.72", square(117.1, -0.5), label_lng=117.15, label_lat=-0.45),
        feature("64.71", square(116.8, -1.3)),
        feature("64.72.01", square(117.1, -0.5, 0.05)),
    ])

    call_command("import_boundaries", path)

    assert "regency: 2 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    outline = RegencyBoundary.objects.get(regency=samarinda)
    # x east from longitude, y south from latitude, in 1/10,000 degree.
    assert outline.bbox == (117.1 * SCALE, 0.4 * SCALE, 117.2 * SCALE, 0.5 * SCALE)
    assert (outline.label_x, outline.label_y) == (1171500, 4500)
    assert outline.path.startswith("M1171000 5000l") and outline.path.endswith("z")
    balikpapan_outline = RegencyBoundary.objects.get(regency=balikpapan)
    assert (balikpapan_outline.label_x, balikpapan_outline.label_y) == (1168500, 12500)  # the box's centre
    assert DistrictBoundary.objects.get(district_id="64.72.01").path


def test_second_run_of_the_same_file_changes_nothing_and_a_changed_shape_updates(tmp_path, capsys, samarinda):
    path = write(tmp_path, [feature("64.72", square(117.1, -0.5))])
    call_command("import_boundaries", path)
    before = stored()
    capsys.readouterr()

    call_command("import_boundaries", path)

    assert "regency: 0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert stored() == before
    call_command("import_boundaries", write(tmp_path, [feature("64.72", square(117.2, -0.5))]))
    assert "regency: 0 created, 1 updated, 0 unchanged" in capsys.readouterr().out


def test_any_bad_feature_fails_the_whole_file_naming_every_bad_feature(tmp_path, capsys, samarinda):
    call_command("import_boundaries", write(tmp_path, [feature("64.72", square(117.1, -0.5))]))
    before = stored()
    path = write(tmp_path, [
        feature("64.72", square(117.3, -0.5)),  # fine, but must not be written
        feature("64.99", square(117.1, -0.5)),
        feature("64", square(117.1, -0.5)),
        {"type": "Feature", "properties": {}, "geometry": square(1, 1)},
        feature("64.72.01", {"type": "Point", "coordinates": [117.1, -0.5]}),
        feature("64.72.02", {"type": "Polygon", "coordinates": [[[117.1, -0.5], [117.2, -0.5], [117.1, -0.5]]]}),
        feature("64.72", square(117.1, -0.5)),
        feature("64.72.03", square(217.1, -0.5)),
    ], name="bad.geojson")

    with pytest.raises(CommandError, match="7 bad row"):
        call_command("import_boundaries", path)

    assert capsys.readouterr().err.splitlines() == [
        "feature 2: regency '64.99' does not exist",
        "feature 3: '64' is not a regency or district code",
        "feature 4: no code in its properties",
        "feature 5: geometry must be a Polygon or MultiPolygon",
        "feature 6: a ring needs at least 4 positions",
        "feature 7: code '64.72' already in feature 1",
        "feature 8: position [217.1, -0.5] is outside longitude -180..180, latitude -90..90",
    ]
    assert stored() == before


def test_a_file_that_is_not_geojson_is_refused_with_its_line(tmp_path, capsys, samarinda):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [\n  {"type": ]}', encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(path))
    assert capsys.readouterr().err.startswith("line 3: not valid JSON")

    path.write_text('{"type": "Feature"}', encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_boundaries", str(path))
    assert "expected a GeoJSON FeatureCollection" in capsys.readouterr().err


def test_kaltim_files_are_shipped_with_their_mit_notice():
    folder = KALTIM_FILES[0].parent
    assert "Cahya DSN" in (folder / "LICENSE").read_text() and "MIT" in (folder / "LICENSE").read_text()
    assert "cahyadsn/wilayah_boundaries" in (folder / "SOURCE.md").read_text()
    for path in KALTIM_FILES:
        assert len(json.loads(path.read_text())["features"]) in (10, 105)
