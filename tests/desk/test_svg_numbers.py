"""Every number a machine reads (SVG geometry, data- attributes, progress values) is written for machines.

Django localises floats in templates: in Indonesian 288.5 becomes "288,5",
which a browser and WeasyPrint reject in `cx`, `stroke-width`, `viewBox`...
Each page that draws a map, a chart, a legend or a progress bar is read in
both languages and every such attribute parsed with a strict number grammar.
"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import translation

from desk.graphics.svg import svg_number
from regions.models import PollingStation
from reports.services import report_submit
from tests.helpers import wita
from votingday.services import tps_status_record

from .helpers import TODAY

pytestmark = pytest.mark.django_db

NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
ONE_NUMBER = re.compile(rf"{NUMBER}(?:px|%|em|pt)?")
NUMBER_LIST = re.compile(rf"{NUMBER}(?:\s+{NUMBER})*")  # viewBox, points, dash arrays: ours are space-separated
PATH_DATA = re.compile(rf"\s*(?:[MmLlHhVvCcSsQqTtAaZz]|{NUMBER})(?:\s*(?:[MmLlHhVvCcSsQqTtAaZz]|{NUMBER}))*\s*")
TRANSFORM = re.compile(rf"\s*(?:[a-zA-Z]+\(\s*{NUMBER}(?:\s+{NUMBER})*\s*\)\s*)+")
COMMA_DECIMAL = re.compile(r"\d,\d")

SINGLE = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "dx", "dy", "width", "height",
          "stroke-width", "font-size", "opacity", "fill-opacity", "stroke-opacity", "offset",
          "stroke-dashoffset", "stroke-miterlimit", "refx", "refy", "markerwidth", "markerheight", "rotate"}
LISTS = {"viewbox", "points", "stroke-dasharray"}


class NumberCheck(HTMLParser):
    """Collects (tag, attribute, value) for every machine number that does not parse."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.svg_depth = 0
        self.checked = 0
        self.bad = []

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.svg_depth += 1
        for name, value in attrs:
            self._check(tag, name, value or "")

    def handle_startendtag(self, tag, attrs):
        for name, value in attrs:
            self._check(tag, name, value or "")

    def handle_endtag(self, tag):
        if tag == "svg":
            self.svg_depth -= 1

    def _check(self, tag, name, value):
        grammar = None
        if self.svg_depth or tag == "svg":
            if name in SINGLE:
                grammar = ONE_NUMBER
            elif name in LISTS:
                grammar = NUMBER_LIST
            elif name == "d":
                grammar = PATH_DATA
            elif name in ("transform", "patterntransform", "gradienttransform"):
                grammar = TRANSFORM
        if tag in ("progress", "meter") and name in ("value", "max", "min", "low", "high", "optimum"):
            grammar = ONE_NUMBER
        if grammar is not None:
            self.checked += 1
            if not grammar.fullmatch(value):
                self.bad.append((tag, name, value))
        elif name.startswith("data-") and COMMA_DECIMAL.search(value) and re.fullmatch(r"[\d.,\s%+-]+", value):
            self.checked += 1
            self.bad.append((tag, name, value))


def machine_numbers_broken(html):
    check = NumberCheck()
    check.feed(html)
    check.close()
    return check.checked, check.bad


def test_the_checker_refuses_comma_decimals_and_takes_machine_numbers():
    checked, bad = machine_numbers_broken(
        '<svg viewBox="0 0 1000 640" width="1000"><path d="M10 20l5.5 -3z" stroke-width="1.5"/>'
        '<circle cx="3.5" cy="3,5" r="1"/><rect x="1" y="2" width="3" height="4,25"/></svg>'
        '<span data-share="12,5"></span><span data-date="2024-11-20"></span><progress value="40" max="100"></progress>')
    assert checked == 14
    assert bad == [("circle", "cy", "3,5"), ("rect", "height", "4,25"), ("span", "data-share", "12,5")]


def test_svg_number_writes_for_machines_in_indonesian():
    with translation.override("id"):
        assert [svg_number(288.5), svg_number(96.16666666666667), svg_number(3.0), svg_number(-0.001),
                svg_number(1000 * 640 / 1000, 0)] == ["288.5", "96.17", "3", "0", "640"]


@pytest.fixture
def desk_day(election, samarinda, balikpapan, officer, secretariat, outlines, frozen):
    """Today 21.00 WITA: Samarinda reported, Balikpapan did not; outlines stored for the maps; three of
    Samarinda's TPS already reported counted (shares of 37.5 and 75 per cent for the situation room)."""
    report_submit(election=election, regency=samarinda, by=officer, now=wita(TODAY, 9), data={
        "report_date": TODAY, "situation": "conducive", "summary": "Aman.", "sources": ["kpu"]})
    for tps in PollingStation.objects.filter(village__district_id="64.72.01").order_by("pk")[:3]:
        tps_status_record(tps=tps, status="counted", note="", at=wita(election.voting_day, 15), source="sms")


SECRETARIAT_PAGES = ["/", "/regencies/64.72/", f"/rakor/brief/?date={TODAY:%Y-%m-%d}", "/rakor/",
                     "/logistics/province/", "/logistics/64.72/", "/compliance/flags/", "/reports/", "/violations/",
                     "/voting-day/"]
OFFICER_PAGES = ["/", "/regencies/64.72/", "/logistics/64.72/", "/reports/", "/violations/", "/voting-day/"]


@pytest.fixture
def language_restored():
    """The locale middleware activates the cookie's language in this thread: put the default back after."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_svg_and_data_number_is_machine_formatted_in_both_languages(
        client, desk_day, secretariat, officer, language, language_restored):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    svg_pages = set()
    for user, paths in ((secretariat, SECRETARIAT_PAGES), (officer, OFFICER_PAGES)):
        client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (user.username, path, response.status_code)
            html = response.content.decode()
            assert f'lang="{language}"' in html, path
            checked, bad = machine_numbers_broken(html)
            assert not bad, (language, user.username, path, bad[:5])
            if "<svg" in html and checked > 0:
                svg_pages.add((user.username, path))
    # The dashboard's map and chart, the regency's district map, the brief's map and chart and both situation
    # rooms' maps (the province's for the secretariat, the regency's districts for the officer) were all read.
    assert len(svg_pages) >= 6
    assert {(secretariat.username, "/voting-day/"), (officer.username, "/voting-day/")} <= svg_pages
