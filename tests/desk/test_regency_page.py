import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import Flag, FlagKind
from logistics.models import LogisticsItem
from logistics.services import receipt_record
from reports.services import report_submit
from tests.helpers import wita
from violations.services import incident_record

from .helpers import TODAY

pytestmark = pytest.mark.django_db
URL = "/regencies/64.72/"


def report(election, regency, officer, day, at, **fields):
    data = {"report_date": day, "situation": "alert", "summary": "Ada keramaian di pasar.", "sources": ["kpu"]}
    data.update(fields)
    return report_submit(election=election, regency=regency, by=officer, now=at, data=data)


def test_anonymous_is_sent_to_login(client, samarinda):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("viewer", ["other_officer", "other_province_secretariat"])
def test_regency_page_is_404_outside_the_viewers_scope(request, client, election, viewer, other_province_regency):
    if viewer == "other_province_secretariat":
        from tests import factories

        user = factories.secretariat_make(other_province_regency.province, username="sekretariat-kaltara")
    else:
        user = request.getfixturevalue(viewer)
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert client.get("/regencies/99.99/").status_code == 404


@pytest.mark.parametrize("viewer", ["officer", "secretariat"])
def test_secretariat_and_own_officer_see_the_whole_regency(request, client, election, samarinda, officer, frozen,
                                                           outlines, viewer):
    yesterday = TODAY - dt.timedelta(days=1)
    on_time = report(election, samarinda, officer, yesterday, wita(yesterday, 10),
                     district_notes={"64.72.02": "Unjuk rasa damai di kantor camat."})
    Flag.objects.create(election=election, regency=samarinda, kind=FlagKind.MISSED_DAILY_REPORT, date=TODAY,
                        raised_at=wita(TODAY, 20))
    incident_record(regency=samarinda, election=election, by=officer, now=wita(TODAY, 10),
                    occurred_at=wita(TODAY, 8), category="money_politics", origin="finding",
                    description="Amplop dibagikan.", district=samarinda.districts.get(code="64.72.01"))
    receipt_record(election=election, regency=samarinda, item=LogisticsItem.objects.get(code="ink"), by=officer,
                   now=wita(TODAY, 10), data={"quantity_received": 3, "received_at": wita(TODAY, 9)})
    client.force_login(request.getfixturevalue(viewer))

    page = client.get(URL).content.decode()

    # The calendar: every day of the window, yesterday a link to its report, today missed.
    assert page.count('data-date="2024-') == 46
    assert f'href="/reports/{on_time.pk}/" data-date="{yesterday:%Y-%m-%d}" data-state="on_time"' in page
    assert f'<span class="day text-bg-danger today" data-date="{TODAY:%Y-%m-%d}" data-state="missed"' in page
    # Districts on the map and in the list, with the latest report's note and the incident.
    assert 'data-code="64.72.01" data-state="incident"' in page
    assert 'data-code="64.72.02" data-state="noted"' in page
    assert "Unjuk rasa damai di kantor camat." in page
    # Logistics: what is missing (ink: 3 of 2 per TPS x 8 TPS) and the distribution.
    assert 'data-item="ink"' in page and "13 botol" in page
    assert "Kecamatan (PPK)" in page
    assert "Politik uang" in page
    assert 'data-flag="' in page
    assert "https://wa.me/6281100000001" in page


def test_regency_page_queries_stay_constant_with_ten_times_the_records(
        client, election, samarinda, officer, secretariat, frozen, outlines):
    client.force_login(secretariat)
    report(election, samarinda, officer, TODAY - dt.timedelta(days=1), wita(TODAY, 9))
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for offset in range(2, 12):
        day = TODAY - dt.timedelta(days=offset)
        report(election, samarinda, officer, day, wita(day, 10), district_notes={"64.72.01": "Catatan."})
        incident_record(regency=samarinda, election=election, by=officer, now=wita(TODAY, 10),
                        occurred_at=wita(day, 8), category="sara", origin="finding", description="Hasutan.",
                        district=samarinda.districts.get(code="64.72.02"))
        Flag.objects.create(election=election, regency=samarinda, kind=FlagKind.MISSED_DAILY_REPORT,
                            date=day - dt.timedelta(days=20), raised_at=wita(day, 20))
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)


def test_regency_page_lists_its_rakor_action_items_and_the_officer_closes_one_there(client, item, officer, secretariat):
    client.force_login(secretariat)
    page = client.get(URL).content.decode()
    assert 'id="action-items"' in page and "Kirim foto gudang logistik." in page
    assert 'name="note"' not in page  # the secretariat reads; only the regency's officer closes

    client.force_login(officer)
    assert 'name="note"' in client.get(URL).content.decode()
    response = client.post(f"/rakor/actions/{item.pk}/done/", {"note": "Foto terkirim.", "back": "regency"})
    assert response.status_code == 302 and response["Location"] == URL
    item.refresh_from_db()
    assert item.is_done and item.done_note == "Foto terkirim."
