"""No lost or silently overwritten edits: reports, receipts and incidents carry a version; an edit of a
version that is no longer the saved one is refused (API: 412 with the saved version; pages: both versions
side by side), and nothing is overwritten."""

import datetime as dt
import re
import threading

import pytest
from django.db import connection

from core.concurrency import StaleEdit
from logistics.models import LogisticsItem
from logistics.services import receipt_correct, receipt_record
from reports.models import DailyReport
from reports.services import report_edit, report_submit
from tests.helpers import NOW
from violations.services import incident_edit, incident_move, incident_record


def _report(election, samarinda, officer):
    return report_submit(election=election, regency=samarinda, by=officer, now=NOW, data={
        "report_date": NOW.date(), "situation": "conducive", "summary": "Aman.", "sources": ["kpu"]})


def _receipt(election, samarinda, officer):
    return receipt_record(election=election, regency=samarinda, item=LogisticsItem.objects.get(code="ink"),
                          by=officer, now=NOW,
                          data={"quantity_received": 10, "received_at": NOW - dt.timedelta(hours=1)})


def _incident(samarinda, officer):
    return incident_record(regency=samarinda, by=officer, now=NOW, occurred_at=NOW - dt.timedelta(hours=2),
                           category="money_politics", origin="finding", description="Amplop dibagikan.")


# -- services


@pytest.mark.django_db
def test_each_edit_moves_the_version_and_an_edit_of_an_old_version_is_refused(election, samarinda, officer):
    report = _report(election, samarinda, officer)
    assert report.version == 1
    report_edit(report=report, by=officer, data={"summary": "Aman, hujan."}, now=NOW, version=1)
    assert DailyReport.objects.get().version == 2

    stale = DailyReport.objects.get()
    with pytest.raises(StaleEdit) as refused:
        report_edit(report=stale, by=officer, data={"summary": "Versi lama saya"}, now=NOW, version=1)

    assert refused.value.current.version == 2
    saved = DailyReport.objects.get()
    assert (saved.summary, saved.version, saved.history.count()) == ("Aman, hujan.", 2, 2)


@pytest.mark.django_db
def test_receipts_and_incidents_refuse_a_stale_version_too(election, samarinda, officer, secretariat):
    receipt = _receipt(election, samarinda, officer)
    receipt_correct(receipt=receipt, by=officer, now=NOW, version=1,
                    data={"quantity_received": 12, "received_at": NOW - dt.timedelta(hours=1)})
    with pytest.raises(StaleEdit):
        receipt_correct(receipt=receipt, by=officer, now=NOW, version=1,
                        data={"quantity_received": 99, "received_at": NOW - dt.timedelta(hours=1)})
    receipt.refresh_from_db()
    assert (receipt.quantity_received, receipt.version) == (12, 2)

    incident = _incident(samarinda, officer)
    incident_edit(incident=incident, by=officer, now=NOW, version=1, description="Amplop berisi uang.")
    with pytest.raises(StaleEdit):
        incident_edit(incident=incident, by=officer, now=NOW, version=1, description="Versi lama")
    with pytest.raises(StaleEdit):
        incident_move(incident=incident, to_status="withdrawn", by=secretariat, now=NOW, version=1)
    incident.refresh_from_db()
    assert (incident.description, incident.status, incident.version) == ("Amplop berisi uang.", "recorded", 2)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_of_one_version_save_exactly_one(election, samarinda, officer):
    """Two real connections race on PostgreSQL: the guarded UPDATE lets one through."""
    report = _report(election, samarinda, officer)
    barrier, outcomes = threading.Barrier(2), []

    def edit(summary):
        try:
            mine = DailyReport.objects.get(pk=report.pk)
            barrier.wait()
            report_edit(report=mine, by=officer, data={"summary": summary}, now=NOW, version=1)
            outcomes.append(("saved", summary))
        except StaleEdit as stale:
            outcomes.append(("stale", stale.current.version))
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(text,)) for text in ("Versi A", "Versi B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(kind for kind, _value in outcomes) == ["saved", "stale"]
    winner = next(value for kind, value in outcomes if kind == "saved")
    saved = DailyReport.objects.get()
    assert (saved.summary, saved.version) == (winner, 2)
    assert ("stale", 2) in outcomes


# -- API: ETag and If-Match


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
def test_api_patch_with_a_stale_if_match_is_412_with_the_saved_version(api, election, samarinda, officer):
    report = _report(election, samarinda, officer)
    url = f"/api/v1/daily-reports/{report.pk}/"
    api.as_user(officer)
    assert api.get(url)["ETag"] == '"1"'

    first = api.patch(url, {"summary": "Edit pertama"}, format="json", HTTP_IF_MATCH='"1"')
    assert first.status_code == 200 and first["ETag"] == '"2"'
    second = api.patch(url, {"summary": "Edit dari versi lama"}, format="json", HTTP_IF_MATCH='"1"')

    assert second.status_code == 412
    assert second.json()["version"] == 2 and second["ETag"] == '"2"' and "diubah" in second.json()["detail"]
    assert DailyReport.objects.get().summary == "Edit pertama"
    assert api.patch(url, {"summary": "Edit ketiga"}, format="json", HTTP_IF_MATCH='"2"').status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
def test_api_incident_patch_honours_if_match_for_edits_and_moves(api, election, samarinda, officer):
    incident = _incident(samarinda, officer)
    url = f"/api/v1/violations/{incident.pk}/"
    api.as_user(officer)
    assert api.get(url)["ETag"] == '"1"'
    assert api.patch(url, {"description": "Lebih rinci"}, format="json", HTTP_IF_MATCH='"1"').status_code == 200

    stale_move = api.patch(url, {"status": "withdrawn"}, format="json", HTTP_IF_MATCH='"1"')
    unreadable = api.patch(url, {"description": "x"}, format="json", HTTP_IF_MATCH="kemarin")

    assert stale_move.status_code == 412 and stale_move.json()["version"] == 2
    assert unreadable.status_code == 412
    incident.refresh_from_db()
    assert (incident.status, incident.description) == ("recorded", "Lebih rinci")
    # Without If-Match a client edits whatever is saved (as before versions existed).
    assert api.patch(url, {"status": "withdrawn"}, format="json").status_code == 200


# -- pages: the other person's version next to yours


def _hidden_version(html):
    return re.search(r'name="version" value="(\d+)"', html).group(1)


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
def test_stale_report_edit_shows_both_versions_and_overwrites_nothing(client, election, samarinda, officer):
    report = _report(election, samarinda, officer)
    client.force_login(officer)
    url = f"/reports/{report.pk}/edit/"
    opened = client.get(url).content.decode()
    assert _hidden_version(opened) == "1"
    # Meanwhile the same desk's other phone saves a change.
    report_edit(report=report, by=officer, data={"summary": "Disimpan dari ponsel lain."}, now=NOW)

    response = client.post(url, {"version": "1", "situation": "alert", "summary": "Isian saya sendiri.",
                                 "sources": ["kpu"]})

    html = response.content.decode()
    assert response.status_code == 409
    assert 'id="stale-edit"' in html and "sudah diubah oleh desk-samarinda" in html
    assert "Disimpan dari ponsel lain." in html and "Isian saya sendiri." in html
    assert _hidden_version(html) == "2"
    assert DailyReport.objects.get().summary == "Disimpan dari ponsel lain."

    again = client.post(url, {"version": "2", "situation": "alert", "summary": "Isian saya sendiri.",
                              "sources": ["kpu"]})
    assert again.status_code == 302
    assert DailyReport.objects.get().summary == "Isian saya sendiri."


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen")
def test_stale_receipt_and_incident_edits_show_the_saved_version(client, election, samarinda, officer):
    receipt = _receipt(election, samarinda, officer)
    incident = _incident(samarinda, officer)
    receipt_correct(receipt=receipt, by=officer, now=NOW,
                    data={"quantity_received": 11, "received_at": NOW - dt.timedelta(hours=1)})
    incident_edit(incident=incident, by=officer, now=NOW, description="Versi ponsel lain")
    client.force_login(officer)

    receipt_page = client.post(f"/logistics/receipts/{receipt.pk}/", {
        "version": "1", "quantity_received": "15", "quantity_damaged": "0", "received_at": "2024-11-20T11:00",
        "note": ""})
    incident_page = client.post(f"/violations/{incident.pk}/edit/", {
        "version": "1", "occurred_at": "2024-11-20T10:00", "category": "money_politics", "origin": "finding",
        "description": "Versi saya"})

    for response, saved, mine in ((receipt_page, ">11<", ">15<"), (incident_page, "Versi ponsel lain", "Versi saya")):
        html = response.content.decode()
        assert response.status_code == 409 and 'id="stale-edit-fields"' in html
        assert saved in html and mine in html
    receipt.refresh_from_db(), incident.refresh_from_db()
    assert (receipt.quantity_received, incident.description) == (11, "Versi ponsel lain")
