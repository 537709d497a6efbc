import datetime as dt
import re

import pytest

from reports.models import DailyReport

from .helpers import TODAY, outlines_load
from .test_exports import records

pytestmark = pytest.mark.django_db


def test_dashboard_links_every_regency_name_and_day_square_and_shows_map_chart_and_pairs(
        client, election, samarinda, balikpapan, officer, other_officer, secretariat, frozen):
    yesterday = TODAY - dt.timedelta(days=1)
    records(election, samarinda, officer, yesterday)
    outlines_load([samarinda, balikpapan])
    client.force_login(secretariat)

    page = client.get("/").content.decode()

    today_table = page.split('id="today-counts"')[1].split("</table>")[0]
    assert re.findall(r'<a href="(/regencies/[\d.]+/)">Kota', today_table) == ["/regencies/64.71/", "/regencies/64.72/"]
    report = DailyReport.objects.get(regency=samarinda, report_date=yesterday)
    assert f'href="/reports/{report.pk}/" data-date="{yesterday}"' in page
    # A day without a report leads to the regency's calendar.
    assert f'href="/regencies/64.71/#report-calendar" data-date="{yesterday}"' in page
    assert page.count('class="map-area"') == 2 and 'class="desk-chart-svg"' in page
    pairs = page.split('id="incidents-by-pair"')[1].split("</table>")[0]
    assert "Pilgub · 01 Gubernur Satu - Wakil Satu" in pairs and ">1</a>" in pairs
    logistics = page.split('id="province-logistics"')[1]
    assert 'href="/regencies/64.72/">Kota Samarinda</a>' in logistics
