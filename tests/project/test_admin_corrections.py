"""Admins correct desk records in the Django admin, through the services: the desk's rules, the version
check and the history (who, when, why) apply; keys never change; nobody else gets in."""

import datetime as dt

import pytest
import time_machine
from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from compliance.models import Flag, Resolution
from logistics.models import LogisticsReceipt
from logistics.services import receipt_correct
from reports.models import DailyReport, ExcusedDay
from reports.services import day_excuse_withdraw, report_edit
from tests.desk_records import NOW, desk_records_make
from violations.models import ViolationIncident
from violations.services import incident_edit, incident_move

LATER = NOW + dt.timedelta(hours=1)
REASON = "Salah ketik saat rekap"

# Per record: a valid correction of a content field, and invalid values each refused on their field.
CASES = {
    "report": (DailyReport, {"summary": "Aman; dikoreksi admin."}, [
        ({"summary": "x" * 5001}, "summary"),
        ({"summary": "   "}, "summary"),
        ({"sources": ["radio"]}, "sources"),
    ]),
    "receipt": (LogisticsReceipt, {"quantity_received": "9"}, [
        ({"quantity_received": "-1"}, "quantity_received"),
        ({"received_at": "2020-01-01T10:00"}, "received_at"),
        ({"note": "n" * 1001}, "note"),
    ]),
    "incident": (ViolationIncident, {"description": "Amplop berisi uang dibagikan; dikoreksi admin."}, [
        ({"description": "d" * 5001}, "description"),
        ({"occurred_at": "2020-01-01T10:00"}, "occurred_at"),
        ({"category": "unknown"}, "category"),
    ]),
}
# What an admin may correct on each; everything else is a key.
CONTENT = {
    "report": ("situation", "summary", "sources", "district_notes"),
    "receipt": ("quantity_received", "quantity_damaged", "received_at", "note", "over_expected_confirmed"),
    "incident": ("district", "village", "tps", "occurred_at", "category", "candidate_pair", "origin",
                 "description"),
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def at_desk_time():
    """An hour after the records were written, in the election's calendar."""
    with time_machine.travel(LATER, tick=False):
        yield


@pytest.fixture
def desk_records(election, samarinda, balikpapan, officer, secretariat):
    desk_records_make(election=election, samarinda=samarinda, balikpapan=balikpapan, officer=officer,
                      secretariat=secretariat)


@pytest.fixture
def viewer(db):
    """Staff who may only view desk records in the admin."""
    user = User.objects.create_user("pembaca", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(
        codename__startswith="view_", content_type__app_label__in=["reports", "logistics", "violations", "compliance"]
    ))
    return user


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def form_data(client, url):
    """The change form as the admin's browser posts it when nothing is typed."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, dt.datetime):
            # Shown in the admin's zone, as the page shows it.
            value = value.strftime("%Y-%m-%dT%H:%M")
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def saved(model):
    obj = model.objects.get()
    return obj, obj.version, obj.history.count()


def form_errors(response):
    form = response.context["adminform"].form
    return form.errors


# Corrections through the change form


@pytest.mark.django_db
@pytest.mark.parametrize("kind", CASES)
def test_admin_corrects_the_content_with_a_reason_kept_in_the_history(client, admin_user, desk_records, kind):
    model, change, _ = CASES[kind]
    obj, version, versions = saved(model)
    client.force_login(admin_user)
    url = change_url(obj)

    response = client.post(url, {**form_data(client, url), **change, "reason": f"  {REASON} "})

    assert response.status_code == 302, form_errors(response)
    obj.refresh_from_db()
    field, value = next(iter(change.items()))
    assert str(getattr(obj, field)) == value
    assert obj.version == version + 1
    latest = obj.history.order_by("-history_date", "-history_id").first()
    assert obj.history.count() == versions + 1
    assert (latest.history_user, latest.history_change_reason, latest.history_type) == (admin_user, REASON, "~")
    assert latest.history_date == LATER
    history = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history",
                                 args=[obj.pk])).content.decode()
    assert REASON in history and admin_user.username in history


@pytest.mark.django_db
@pytest.mark.parametrize("kind", CASES)
def test_an_invalid_correction_is_refused_on_its_field_and_stores_nothing(client, admin_user, desk_records, kind):
    model, _, invalid = CASES[kind]
    obj, version, versions = saved(model)
    client.force_login(admin_user)
    url = change_url(obj)
    base = form_data(client, url)

    for values, field in invalid:
        response = client.post(url, {**base, **values, "reason": REASON})

        assert response.status_code == 200, values
        assert field in form_errors(response), (values, form_errors(response))
        assert saved(model) == (obj, version, versions)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", CASES)
def test_a_correction_needs_a_short_reason(client, admin_user, desk_records, kind):
    model, change, _ = CASES[kind]
    obj, version, versions = saved(model)
    client.force_login(admin_user)
    url = change_url(obj)
    base = form_data(client, url)

    for reason, message in (("", "Tuliskan alasan koreksi"), ("   ", "Tuliskan alasan koreksi"),
                            ("r" * 101, "100")):
        response = client.post(url, {**base, **change, "reason": reason})

        assert response.status_code == 200
        assert message in " ".join(form_errors(response)["reason"])
        assert saved(model) == (obj, version, versions)
    assert "Alasan koreksi" in client.get(url).content.decode()


def officer_edits(model, officer):
    """The regency's officer saves a newer version meanwhile."""
    obj = model.objects.get()
    if model is DailyReport:
        report_edit(report=obj, by=officer, now=LATER, data={"summary": "Versi petugas."})
    elif model is LogisticsReceipt:
        receipt_correct(receipt=obj, by=officer, now=LATER, data={
            "quantity_received": 7, "quantity_damaged": 1, "received_at": obj.received_at, "note": "Versi petugas."})
    else:
        incident_edit(incident=obj, by=officer, now=LATER, description="Versi petugas.")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", CASES)
def test_a_correction_of_a_stale_version_is_refused_and_keeps_the_officers_edit(
    client, admin_user, officer, desk_records, kind
):
    model, change, _ = CASES[kind]
    client.force_login(admin_user)
    url = change_url(model.objects.get())
    opened = form_data(client, url)
    officer_edits(model, officer)
    after_officer = saved(model)
    officers = {field: getattr(after_officer[0], field) for field in change}

    response = client.post(url, {**opened, **change, "reason": REASON})

    assert response.status_code == 200
    message = " ".join(form_errors(response).get("__all__", []))
    assert "sudah diubah oleh desk-samarinda" in message and "tidak disimpan" in message
    assert saved(model) == after_officer
    obj = model.objects.get()
    assert {field: getattr(obj, field) for field in change} == officers

    reopened = form_data(client, url)
    assert client.post(url, {**reopened, **change, "reason": REASON}).status_code == 302
    assert model.objects.get().version == after_officer[1] + 1


@pytest.mark.django_db
@pytest.mark.parametrize("kind", CASES)
def test_keys_are_shown_but_never_changed(client, admin_user, balikpapan, desk_records, kind):
    model, change, _ = CASES[kind]
    obj = model.objects.get()
    keys = {field.name: getattr(obj, field.name) for field in model._meta.fields
            if field.name not in {"version", *CONTENT[kind]}}
    client.force_login(admin_user)
    url = change_url(obj)
    page = client.get(url).content.decode()
    assert 'name="regency"' not in page and 'name="election"' not in page and "Kota Samarinda" in page

    forged = {"regency": balikpapan.pk, "election": 999, "report_date": "2024-11-02", "submitted_by": admin_user.pk,
              "is_late": "on", "status": "withdrawn", "reported_by": admin_user.pk, "confirmed_by": admin_user.pk,
              "item": 1, "created_at": "2024-11-02T10:00", "reported_at": "2024-11-02T10:00"}
    response = client.post(url, {**form_data(client, url), **forged, **change, "reason": REASON})

    assert response.status_code == 302, form_errors(response)
    obj = model.objects.get()
    assert {name: getattr(obj, name) for name in keys} == keys


@pytest.mark.django_db
def test_report_correction_changes_district_notes_and_sources(client, admin_user, desk_records):
    report = DailyReport.objects.get()
    client.force_login(admin_user)
    url = change_url(report)
    data = form_data(client, url)
    assert 'name="note_64.72.01"' in client.get(url).content.decode()

    response = client.post(url, {**data, "note_64.72.01": "Logistik tiba di PPK.", "sources": ["kpu", "police"],
                                 "situation": "alert", "reason": REASON})

    assert response.status_code == 302, form_errors(response)
    report.refresh_from_db()
    assert report.district_notes == {"64.72.01": "Logistik tiba di PPK."}
    assert (report.sources, report.situation) == (["kpu", "police"], "alert")


@pytest.mark.django_db
def test_a_closed_incident_is_not_corrected(client, admin_user, officer, desk_records):
    incident = ViolationIncident.objects.get()
    incident_move(incident=incident, to_status="withdrawn", by=officer, now=LATER, note="Keliru")
    before = saved(ViolationIncident)
    client.force_login(admin_user)
    url = change_url(incident)

    response = client.post(url, {**form_data(client, url), "description": "Diubah.", "reason": REASON})

    assert response.status_code == 200
    assert "tidak dapat diubah lagi" in " ".join(form_errors(response)["__all__"])
    assert saved(ViolationIncident) == before


@pytest.mark.django_db
def test_receipt_correction_above_twice_the_expected_needs_the_confirmation_and_a_note(
    client, admin_user, desk_records
):
    receipt = LogisticsReceipt.objects.get()
    client.force_login(admin_user)
    url = change_url(receipt)
    data = {**form_data(client, url), "quantity_received": "100000", "note": "", "reason": REASON}

    response = client.post(url, data)

    assert {"confirm_over_expected", "note"} <= set(form_errors(response))
    assert LogisticsReceipt.objects.get().quantity_received == 8
    response = client.post(url, {**data, "confirm_over_expected": "on", "note": "Kiriman ganda dari KPU."})
    assert response.status_code == 302, form_errors(response)
    receipt.refresh_from_db()
    assert (receipt.quantity_received, receipt.over_expected_confirmed) == (100000, True)


# Who may correct


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer", "secretariat"])
@pytest.mark.parametrize("kind", CASES)
def test_officers_and_secretariat_get_no_admin_page_and_store_nothing(client, request, desk_records, who, kind):
    model, change, _ = CASES[kind]
    before = saved(model)
    client.force_login(request.getfixturevalue(who))
    url = change_url(model.objects.get())

    for response in (client.get(url), client.post(url, {**change, "reason": REASON, "version": before[1]})):
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert saved(model) == before


@pytest.mark.django_db
@pytest.mark.parametrize("kind", CASES)
def test_staff_who_may_only_view_see_the_record_read_only(client, viewer, desk_records, kind):
    model, change, _ = CASES[kind]
    before = saved(model)
    client.force_login(viewer)
    url = change_url(model.objects.get())

    page = client.get(url)
    assert page.status_code == 200 and 'name="reason"' not in page.content.decode()
    assert client.post(url, {**change, "reason": REASON, "version": before[1]}).status_code == 403
    assert saved(model) == before


@pytest.mark.django_db
def test_services_let_an_admin_through_only_as_a_correction_with_a_reason(admin_user, officer, desk_records):
    report, receipt, incident = (model.objects.get() for model in (DailyReport, LogisticsReceipt, ViolationIncident))
    receipt_data = {"quantity_received": 9, "quantity_damaged": 0, "received_at": receipt.received_at, "note": ""}
    # The desk's own path stays the officer's.
    with pytest.raises(PermissionDenied):
        report_edit(report=report, by=admin_user, now=LATER, data={"summary": "x"})
    with pytest.raises(PermissionDenied):
        receipt_correct(receipt=receipt, by=admin_user, now=LATER, data=receipt_data)
    with pytest.raises(PermissionDenied):
        incident_edit(incident=incident, by=admin_user, now=LATER, description="x")
    # A reason does not make an officer an admin.
    with pytest.raises(PermissionDenied):
        report_edit(report=report, by=officer, now=LATER, data={"summary": "x"}, reason=REASON)
    with pytest.raises(PermissionDenied):
        receipt_correct(receipt=receipt, by=officer, now=LATER, data=receipt_data, reason=REASON)
    with pytest.raises(PermissionDenied):
        incident_edit(incident=incident, by=officer, now=LATER, description="x", reason=REASON)

    report_edit(report=report, by=admin_user, now=LATER, data={"summary": "Dikoreksi."}, reason=REASON)
    assert report.history.first().history_change_reason == REASON


# Flags and excuses: admin actions that ask why


def open_flag():
    return Flag.objects.open().order_by("date", "regency_id").first()


@pytest.mark.django_db
def test_admin_closes_an_open_flag_with_a_note(client, admin_user, desk_records):
    flag = open_flag()
    client.force_login(admin_user)
    url = changelist_url(Flag)
    selected = {"action": "close", "_selected_action": [flag.pk]}

    page = client.post(url, {**selected, "index": 0, "select_across": 0})
    assert page.status_code == 200 and 'name="note"' in page.content.decode() and str(flag) in page.content.decode()
    missing = client.post(url, {**selected, "note": "", "apply": "Tutup tanda"})
    assert missing.status_code == 200 and "Tulis alasan menutup tanda ini." in missing.content.decode()
    assert Flag.objects.get(pk=flag.pk).is_open

    done = client.post(url, {**selected, "note": "Petugas melapor lewat telepon.", "apply": "Tutup tanda"},
                       follow=True)

    assert "1 tanda ditutup" in done.content.decode()
    flag.refresh_from_db()
    assert (flag.resolution, flag.resolved_by, flag.note, flag.resolved_at) == (
        Resolution.DISMISSED, admin_user, "Petugas melapor lewat telepon.", LATER)
    entry = LogEntry.objects.get(object_id=str(flag.pk))
    assert entry.user == admin_user and "Petugas melapor lewat telepon." in entry.get_change_message()
    history = client.get(reverse("admin:compliance_flag_history", args=[flag.pk])).content.decode()
    assert "Petugas melapor lewat telepon." in history
    # A flag already closed stays as it was.
    again = client.post(url, {**selected, "note": "Lagi.", "apply": "Tutup tanda"}, follow=True)
    assert "0 tanda ditutup" in again.content.decode()
    assert Flag.objects.get(pk=flag.pk).note == "Petugas melapor lewat telepon."


@pytest.mark.django_db
def test_admin_withdraws_a_mistaken_excuse_with_a_reason(client, admin_user, desk_records):
    excuse = ExcusedDay.objects.get()
    client.force_login(admin_user)
    url = changelist_url(ExcusedDay)
    selected = {"action": "withdraw", "_selected_action": [excuse.pk]}

    page = client.post(url, {**selected, "index": 0, "select_across": 0})
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    missing = client.post(url, {**selected, "reason": " ", "apply": "Cabut"})
    assert missing.status_code == 200 and "Tuliskan alasan pencabutan" in missing.content.decode()
    assert ExcusedDay.objects.exists()

    done = client.post(url, {**selected, "reason": "Salah tanggal", "apply": "Cabut"}, follow=True)

    assert "1 pengecualian dicabut" in done.content.decode()
    assert not ExcusedDay.objects.exists()
    record = ExcusedDay.history.filter(history_type="-").get()
    assert (record.history_user, record.history_change_reason, record.history_date, record.reason) == (
        admin_user, "Salah tanggal", LATER, "Jaringan putus.")
    history = client.get(reverse("admin:reports_excusedday_history", args=[excuse.pk])).content.decode()
    assert "Salah tanggal" in history and admin_user.username in history


@pytest.mark.django_db
def test_the_service_lets_an_admin_withdraw_an_excuse(admin_user, desk_records):
    day_excuse_withdraw(excuse=ExcusedDay.objects.get(), by=admin_user, reason="Keliru", now=LATER)
    assert not ExcusedDay.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model, action, field", [(Flag, "close", "note"), (ExcusedDay, "withdraw", "reason")])
def test_flag_closing_and_excuse_withdrawal_are_refused_to_others(client, request, viewer, desk_records,
                                                                  model, action, field):
    obj = open_flag() if model is Flag else ExcusedDay.objects.get()
    data = {"action": action, "_selected_action": [obj.pk], field: "Coba", "apply": "x"}
    for who in ("officer", "secretariat"):
        client.force_login(request.getfixturevalue(who))
        response = client.post(changelist_url(model), data)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(viewer)
    assert f'value="{action}"' not in client.get(changelist_url(model)).content.decode()
    client.post(changelist_url(model), data)

    assert model.objects.filter(pk=obj.pk).exists()
    if model is Flag:
        assert Flag.objects.get(pk=obj.pk).is_open


@pytest.mark.django_db
@pytest.mark.parametrize("model", [DailyReport, ExcusedDay, LogisticsReceipt, ViolationIncident])
def test_a_past_version_is_shown_read_only_and_never_reverted_to(client, admin_user, desk_records, model):
    """simple-history's page of a past version would save it around the services: it shows, it never saves."""
    obj = model.objects.get()
    before = obj.history.count(), {field.attname: getattr(obj, field.attname) for field in model._meta.fields}
    past = obj.history.order_by("history_id").first()
    info = model._meta.app_label, model._meta.model_name
    url = reverse(f"admin:{info[0]}_{info[1]}_simple_history", args=[obj.pk, past.history_id])
    client.force_login(admin_user)

    page = client.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    form = html[html.index('<div id="content-main">'):]
    assert "<textarea" not in form and "<select" not in form and 'type="submit"' not in form
    forged = {"summary": "Ditimpa", "situation": "disrupted", "quantity_received": "1", "description": "Ditimpa",
              "reason": "Ditimpa", "version": getattr(obj, "version", 1), "_save": "Kembalikan"}
    assert client.post(url, forged).status_code == 403
    obj = model.objects.get()
    assert (obj.history.count(), {field.attname: getattr(obj, field.attname) for field in model._meta.fields}) \
        == before
