import datetime as dt

import pytest
import time_machine

from reports.services import day_excuse
from tests.helpers import wita

from .conftest import DAY

pytestmark = pytest.mark.django_db


def strip_states(html):
    """The data-state of each strip cell, in page order."""
    import re

    return re.findall(r'class="day [^"]*"[^>]*data-state="([a-z_]*)"', html)


def test_officer_home_shows_due_at_the_cutoff_and_links(client, officer, election, frozen):
    client.force_login(officer)
    page = client.get("/").text
    assert "Kota Samarinda" in page
    assert "Menunggu laporan" in page and "Batas pukul 20.00 WITA" in page
    assert 'href="/reports/new/"' in page and 'href="/logistics/"' in page and 'href="/violations/"' in page


def test_officer_home_shows_missed_after_the_cutoff(client, officer, election):
    client.force_login(officer)
    with time_machine.travel(wita(DAY, 20, 30), tick=False):
        page = client.get("/").text
    assert "Tidak melapor" in page and "sudah lewat" in page


def test_officer_home_shows_the_submitted_report_and_a_14_day_strip(client, officer, election, submit, secretariat):
    submit(DAY, at=wita(DAY, 9))
    submit(DAY - dt.timedelta(days=1), at=wita(DAY - dt.timedelta(days=1), 21))
    day_excuse(election=election, regency=officer.desk_profile.regency, date=DAY - dt.timedelta(days=2),
               reason="Banjir.", by=secretariat, now=wita(DAY, 8))
    client.force_login(officer)
    with time_machine.travel(wita(DAY, 10), tick=False):
        page = client.get("/").text
    assert "sudah dikirim tepat waktu" in page and "Lihat laporan hari ini" in page
    states = strip_states(page)
    assert len(states) == 14
    assert states[-3:] == ["excused", "late", "on_time"] and states[0] == "missed"


def test_officer_home_outside_the_window(client, officer, election):
    client.force_login(officer)
    with time_machine.travel(wita(dt.date(2024, 12, 20), 10), tick=False):
        page = client.get("/").text
    assert "di luar masa pelaporan" in page


def test_officer_home_is_constant_in_queries(client, officer, election, submit, django_assert_max_num_queries):
    for offset in range(14):
        submit(DAY - dt.timedelta(days=offset), at=wita(DAY, 9))
    client.force_login(officer)
    with time_machine.travel(wita(DAY, 10), tick=False), django_assert_max_num_queries(12):
        client.get("/")


def test_secretariat_home_has_todays_overview_and_the_review_link(
    client, secretariat, election, submit, django_assert_max_num_queries
):
    submit(DAY, at=wita(DAY, 9))
    client.force_login(secretariat)
    # The dashboard also holds the flags, violations and logistics panels (desk/dashboard/panels.py).
    with time_machine.travel(wita(DAY, 21), tick=False), django_assert_max_num_queries(20):
        page = client.get("/").text
    assert "Kota Balikpapan" in page and "Kota Samarinda" in page
    assert 'href="/reports/?report_date=2024-11-20"' in page
    assert "Tepat waktu: 1" in page and "Tidak melapor: 1" in page
    assert "/reports/excuse/?regency=64.71&amp;date=2024-11-20" in page


def test_admin_home_shows_the_overview_without_review_actions(client, admin_user, election, frozen):
    client.force_login(admin_user)
    page = client.get("/").text
    assert "Kota Samarinda" in page and "/reports/excuse/" not in page
