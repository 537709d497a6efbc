import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from desk.graphics.charts import compliance_chart_svg, daily_compliance
from desk.graphics.maps import district_map_svg, regency_map_svg
from reports.services import day_excuse, report_submit
from tests.helpers import wita

from .helpers import TODAY

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def svg_root(markup):
    """The <svg> element, parsed as XML: what WeasyPrint and any other SVG reader get."""
    return ET.fromstring(re.search(r"<svg.*?</svg>", str(markup), re.S).group(0))


def report(election, regency, officer, day, at):
    return report_submit(election=election, regency=regency, by=officer, now=at, data={
        "report_date": day, "situation": "conducive", "summary": "Aman.", "sources": ["kpu"]})


def test_regency_map_colours_patterns_and_marks_each_regency_by_todays_state(
        election, samarinda, balikpapan, officer, outlines, frozen):
    report(election, samarinda, officer, TODAY, wita(TODAY, 9))

    markup = regency_map_svg(election=election, regencies=[samarinda, balikpapan], now=wita(TODAY, 21))

    root = svg_root(markup)
    areas = {a.get("data-code"): a for a in root.iter(f"{SVG}a")}
    assert areas["64.72"].get("href") == "/regencies/64.72/"
    assert areas["64.72"].get("data-state") == "on_time"
    assert areas["64.71"].get("data-state") == "missed"
    assert areas["64.71"].get("aria-label") == "Kota Balikpapan: Tidak melapor"
    # Not by colour alone: each state fills with its own pattern and carries a mark on the map.
    fills = {code: a.find(f"{SVG}path").get("fill") for code, a in areas.items()}
    assert fills["64.72"] != fills["64.71"]
    patterns = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
    missed_pattern = patterns[fills["64.71"][5:-1]]
    assert missed_pattern.find(f"{SVG}path") is not None  # the cross-hatch
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "✓ Samarinda" in labels and "✗ Balikpapan" in labels
    legend = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(markup).split("<figcaption>")[1]))
    assert "Tepat waktu: 1" in legend and "Tidak melapor: 1" in legend and "Terlambat: 0" in legend


def test_regency_map_reads_states_and_outlines_in_three_queries_and_skips_regencies_without_outline(
        election, samarinda, balikpapan, other_province_regency, outlines, frozen):
    with CaptureQueriesContext(connection) as queries:
        markup = regency_map_svg(election=election, regencies=[samarinda, balikpapan, other_province_regency],
                                 now=wita(TODAY, 21))
    assert len(queries) == 3
    assert [a.get("data-code") for a in svg_root(markup).iter(f"{SVG}a")] == ["64.72", "64.71"]


def test_district_map_numbers_districts_and_marks_incidents_and_notes(samarinda, outlines):
    markup = district_map_svg(regency=samarinda, noted=["64.72.02"], incidents=["64.72.01"])

    areas = {a.get("data-code"): a for a in svg_root(markup).iter(f"{SVG}a")}
    assert {code: a.get("data-state") for code, a in areas.items()} == {"64.72.01": "incident", "64.72.02": "noted"}
    assert areas["64.72.02"].get("href") == "#district-64.72.02"
    assert [t.text for t in svg_root(markup).findall(f".//{SVG}g[@class='map-labels']/{SVG}text")] == ["1", "2"]


def test_compliance_chart_counts_each_days_regencies_by_state(
        election, samarinda, balikpapan, officer, other_officer, secretariat, frozen):
    yesterday, before = TODAY - dt.timedelta(days=1), TODAY - dt.timedelta(days=2)
    report(election, samarinda, officer, before, wita(before, 9))
    report(election, samarinda, officer, yesterday, wita(TODAY, 8))  # late
    report(election, balikpapan, other_officer, TODAY, wita(TODAY, 19))
    day_excuse(election=election, regency=balikpapan, date=yesterday, reason="Jaringan putus.", by=secretariat,
               now=wita(TODAY, 9))
    now = wita(TODAY, 21)

    days = dict(daily_compliance(election=election, regencies=[samarinda, balikpapan], now=now))
    assert days[before] == {"on_time": 1, "missed": 1}
    assert days[yesterday] == {"late": 1, "excused": 1}
    assert days[TODAY] == {"on_time": 1, "missed": 1}
    assert days[TODAY + dt.timedelta(days=1)] == {"future": 2}

    root = svg_root(compliance_chart_svg(election=election, regencies=[samarinda, balikpapan], now=now))
    bars = {g.get("data-date"): {r.get("data-state"): int(r.get("data-count")) for r in g.iter(f"{SVG}rect")}
            for g in root.iter(f"{SVG}g") if g.get("data-date")}
    assert bars[yesterday.isoformat()] == {"late": 1, "excused": 1}
    assert bars[(TODAY + dt.timedelta(days=1)).isoformat()] == {}  # the future is left blank
    assert len(bars) == (election.reporting_end - election.reporting_start).days + 1


def test_labels_that_would_cover_each_other_are_moved_apart_and_the_larger_area_keeps_its_place():
    from types import SimpleNamespace

    from desk.graphics.maps import _label_positions

    def area(code, label, size):
        boundary = SimpleNamespace(label_x=500, label_y=500, min_x=0, min_y=0, max_x=size, max_y=size)
        return SimpleNamespace(code=code, label=label, boundary=boundary)

    font = 20
    areas = [area("64.71", "Balikpapan", 100), area("64.09", "Penajam Paser Utara", 900), area("64.74", "Bontang", 50)]

    positions = _label_positions(areas, font)

    assert positions["64.09"] == (500, 500)
    assert len({y for _x, y in positions.values()}) == 3  # one line each, nobody on top of another
    assert all(abs(y - 500) <= 3 * font * 1.15 + 1 for _x, y in positions.values())
