import datetime as dt
import re

import pytest

from compliance.models import Flag, Resolution
from compliance.run import check_compliance
from tests.helpers import wita


@pytest.fixture
def flags(election):
    check_compliance(now=wita(2024, 11, 2, 21, 0))
    return Flag.objects.all()


@pytest.mark.django_db
def test_flags_api_is_scoped_and_filtered(api, flags, officer, secretariat):
    assert api.get("/api/v1/flags/").status_code == 401

    mine = api.as_user(officer).get("/api/v1/flags/").json()
    assert mine["count"] == 2 and {f["regency"] for f in mine["results"]} == {"64.72"}
    assert set(mine["results"][0]) >= {"regency", "kind", "date", "raised_at", "resolved_at"}
    other = Flag.objects.filter(regency_id="64.71").first()
    assert api.get(f"/api/v1/flags/{other.pk}/").status_code == 404

    api.as_user(secretariat)
    assert api.get("/api/v1/flags/").json()["count"] == 4
    assert api.get("/api/v1/flags/?regency=64.71&date=2024-11-02").json()["count"] == 1
    assert api.get("/api/v1/flags/?kind=logistics_unconfirmed").json()["count"] == 0
    Flag.objects.filter(regency_id="64.71", date=dt.date(2024, 11, 1)).update(
        resolved_at=wita(2024, 11, 1, 21, 0), resolution=Resolution.LATE_REPORT)
    assert api.get("/api/v1/flags/?open=true").json()["count"] == 3
    resolved = api.get("/api/v1/flags/?open=false").json()["results"][0]
    assert resolved["resolved_at"] == "2024-11-01T21:00:00+08:00"


@pytest.mark.django_db
def test_flags_page_for_the_secretariat_has_whatsapp_reminders_and_ranking(client, flags, secretariat, officer):
    client.force_login(secretariat)
    page = client.get("/compliance/flags/")
    assert page.status_code == 200
    assert "https://wa.me/6281100000001?text=" in page.text
    assert "Kedisiplinan laporan harian" in page.text and "Kota Balikpapan" in page.text


@pytest.mark.django_db
def test_officer_sees_own_flags_without_manage_actions(client, flags, officer):
    client.force_login(officer)
    page = client.get("/compliance/flags/")
    assert page.status_code == 200
    assert "Kota Samarinda" in page.text and "Kota Balikpapan" not in page.text
    assert "wa.me" not in page.text


@pytest.mark.django_db
def test_secretariat_dismisses_a_flag_with_a_reason(client, flags, secretariat):
    flag = Flag.objects.filter(regency_id="64.71").first()
    client.force_login(secretariat)

    empty = client.post(f"/compliance/flags/{flag.pk}/dismiss/", {"note": ""}, follow=True)
    assert "Tulis alasan" in empty.text
    flag.refresh_from_db()
    assert flag.is_open

    client.post(f"/compliance/flags/{flag.pk}/dismiss/", {"note": "Sudah lapor via telepon"})
    flag.refresh_from_db()
    assert (flag.resolution, flag.resolved_by, flag.note) == (Resolution.DISMISSED, secretariat,
                                                             "Sudah lapor via telepon")


@pytest.mark.django_db
def test_officer_and_anonymous_cannot_dismiss(client, flags, officer, other_officer):
    own = Flag.objects.filter(regency_id="64.72").first()
    other = Flag.objects.filter(regency_id="64.71").first()
    assert client.post(f"/compliance/flags/{own.pk}/dismiss/", {"note": "x"}).status_code == 302  # to login
    client.force_login(officer)
    assert client.post(f"/compliance/flags/{own.pk}/dismiss/", {"note": "x"}).status_code == 403
    assert client.post(f"/compliance/flags/{other.pk}/dismiss/", {"note": "x"}).status_code == 404
    assert Flag.objects.open().count() == 4


@pytest.mark.django_db
def test_ranking_counts_on_time_late_missed_and_excused(election, officer, secretariat, samarinda, balikpapan):
    from compliance.selectors import reporting_ranking
    from regions.models import Regency
    from reports.models import ExcusedDay
    from tests.compliance.conftest import report_make

    report_make(election, samarinda, dt.date(2024, 11, 1), submitted_at=wita(2024, 11, 1, 10, 0), by=officer)
    report_make(election, samarinda, dt.date(2024, 11, 2), submitted_at=wita(2024, 11, 2, 22, 0), by=officer)
    ExcusedDay.objects.create(election=election, regency=samarinda, date=dt.date(2024, 11, 3), reason="Listrik padam",
                              excused_by=secretariat, excused_at=wita(2024, 11, 3, 12, 0))

    rows = reporting_ranking(election=election, regencies=Regency.objects.all(), now=wita(2024, 11, 4, 21, 0))

    counts = {row["regency"].code: (row["on_time"], row["late"], row["missed"], row["excused"]) for row in rows}
    assert counts == {"64.72": (1, 1, 1, 1), "64.71": (0, 0, 4, 0)}
    assert [(row["rank"], row["regency"].code) for row in rows] == [(1, "64.72"), (2, "64.71")]  # fewest missed first
    assert rows[0]["percent"] == {"on_time": 25, "late": 25, "missed": 25, "excused": 25}
    assert rows[1]["percent"]["missed"] == 100


@pytest.mark.django_db
def test_ranking_over_a_period_counts_only_its_days_and_ties_share_a_rank(election, samarinda, balikpapan):
    from compliance.selectors import ranking_since, reporting_ranking
    from regions.models import Regency

    now = wita(2024, 11, 20, 21, 0)
    since = ranking_since(election=election, now=now, period="7")
    assert since == dt.date(2024, 11, 14)

    rows = reporting_ranking(election=election, regencies=Regency.objects.all(), now=now, since=since)

    assert [(row["rank"], row["days"], row["missed"]) for row in rows] == [(1, 7, 7), (1, 7, 7)]


@pytest.mark.django_db
def test_closing_a_flag_says_what_was_closed_in_words_and_the_ranking_uses_the_day_state_words(
        client, flags, secretariat):
    flag = Flag.objects.filter(regency_id="64.71").order_by("date").first()
    client.force_login(secretariat)

    page = client.post(f"/compliance/flags/{flag.pk}/dismiss/", {"note": "Sudah lapor via telepon"}, follow=True).text

    message = re.search(r'role="alert">(.*?)<button', page, re.S).group(1).strip()
    assert message == (f"Tanda “Laporan harian tidak masuk” Kota Balikpapan tanggal {flag.date.day} November 2024 "
                       "ditutup.")
    closed = client.get("/compliance/flags/?show=all").text
    assert "Ditutup sekretariat" in closed
    assert "Dimaafkan" not in closed and "Tidak masuk<" not in closed
    assert "Dikecualikan" in closed and "Tidak melapor" in closed and "Peringkat" in closed
