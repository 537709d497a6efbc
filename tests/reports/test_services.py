import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from reports.models import DailyReport, ExcusedDay
from reports.services import ReportExists, day_excuse, report_acknowledge, report_edit, report_submit
from tests import factories
from tests.helpers import wita

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_report_submitted_at_1959_wita_is_on_time(submit):
    report = submit(DAY, at=wita(DAY, 19, 59))
    assert report.is_late is False
    assert report.submitted_at == wita(DAY, 19, 59)


def test_report_submitted_at_2001_wita_is_late(submit):
    assert submit(DAY, at=wita(DAY, 20, 1)).is_late is True


def test_report_submitted_exactly_at_the_cutoff_is_on_time(submit):
    assert submit(DAY, at=wita(DAY, 20, 0)).is_late is False


def test_report_for_yesterday_submitted_today_is_late(submit):
    assert submit(DAY - dt.timedelta(days=1), at=wita(DAY, 8)).is_late is True


def test_report_stores_content_sources_in_catalogue_order_once(submit):
    report = submit(summary="  Kampanye tertib.  ", sources=["police", "district", "police"])
    report.refresh_from_db()
    assert report.summary == "Kampanye tertib."
    assert report.sources == ["district", "police"]


def test_future_date_is_refused_with_todays_local_date(submit):
    with pytest.raises(ValidationError) as error:
        submit(DAY + dt.timedelta(days=1), at=wita(DAY, 10))
    assert "belum tiba" in error.value.message_dict["report_date"][0]
    assert "(20 November 2024)" in error.value.message_dict["report_date"][0]
    assert not DailyReport.objects.exists()


def test_date_outside_reporting_window_is_refused(submit, election):
    before = election.reporting_start - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        submit(before, at=wita(DAY, 10))
    assert "di luar masa pelaporan" in error.value.message_dict["report_date"][0]


def test_every_content_error_is_reported_at_once(submit):
    with pytest.raises(ValidationError) as error:
        submit(situation="calm", summary="   ", sources=["twitter"])
    assert set(error.value.message_dict) == {"situation", "summary", "sources"}
    assert "walaupun tidak ada kejadian menonjol" in error.value.message_dict["summary"][0]
    assert not DailyReport.objects.exists()


def test_second_report_for_the_same_date_names_the_first(submit):
    first = submit()
    with pytest.raises(ReportExists) as error:
        submit(summary="Lagi.")
    assert error.value.existing == first
    message = error.value.message_dict["report_date"][0]
    assert f"#{first.pk}" in message and f"/reports/{first.pk}/" in message
    assert DailyReport.objects.count() == 1


def test_the_unique_constraint_holds_without_the_service(submit, officer):
    first = submit()
    duplicate = DailyReport(
        election=first.election, regency=first.regency, report_date=first.report_date, situation="alert",
        summary="x", submitted_by=officer, submitted_at=first.submitted_at, is_late=False,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_empty_summary_is_refused_by_the_database(submit):
    report = submit()
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyReport.objects.filter(pk=report.pk).update(summary="")


def test_officer_cannot_submit_for_another_regency(submit, balikpapan):
    with pytest.raises(PermissionDenied):
        submit(regency=balikpapan)
    assert not DailyReport.objects.exists()


def test_secretariat_cannot_submit(submit, secretariat):
    with pytest.raises(PermissionDenied):
        submit(by=secretariat)


def test_report_needs_an_election_of_the_regencys_province(officer, samarinda, other_province_regency):
    other = factories.election_make(other_province_regency.province, name="Pilkada Kaltara")
    data = {"report_date": DAY, "situation": "conducive", "summary": "Aman."}
    with pytest.raises(ValidationError) as error:
        report_submit(election=other, regency=samarinda, by=officer, data=data, now=wita(DAY, 10))
    assert "election" in error.value.message_dict


def test_district_notes_only_for_the_regencys_districts(submit):
    report = submit(district_notes={"64.72.01": " Rapat PPK lancar. ", "64.72.02": ""})
    assert report.district_notes == {"64.72.01": "Rapat PPK lancar."}
    with pytest.raises(ValidationError) as error:
        submit(DAY - dt.timedelta(days=1), district_notes={"64.71.01": "Balikpapan"})
    assert "64.71.01" in error.value.message_dict["district_notes"][0]


def test_edit_keeps_submitted_at_and_on_time_and_adds_a_version(submit, officer):
    report = submit(at=wita(DAY, 19, 0))
    report_edit(report=report, by=officer, data={"summary": "Diperbarui malam."}, now=wita(DAY, 23, 0))
    report.refresh_from_db()
    assert report.summary == "Diperbarui malam."
    assert report.submitted_at == wita(DAY, 19, 0) and report.is_late is False
    versions = list(report.history.order_by("-history_date"))
    assert [v.summary for v in versions] == ["Diperbarui malam.", "Aman terkendali."]
    assert versions[0].history_user == officer and versions[0].history_date == wita(DAY, 23, 0)


def test_edit_without_change_stores_no_version(submit, officer):
    report = submit()
    report_edit(report=report, by=officer, data={"summary": "Aman terkendali. ", "sources": ["kpu"]}, now=wita(DAY, 21))
    assert report.history.count() == 1


def test_edit_with_bad_content_changes_nothing(submit, officer):
    report = submit()
    with pytest.raises(ValidationError):
        report_edit(report=report, by=officer, data={"summary": "", "situation": "alert"}, now=wita(DAY, 21))
    report.refresh_from_db()
    assert report.situation == "conducive" and report.history.count() == 1


def test_only_the_regencys_officer_edits(submit, other_officer, secretariat):
    report = submit()
    for user in (other_officer, secretariat):
        with pytest.raises(PermissionDenied):
            report_edit(report=report, by=user, data={"summary": "x"}, now=wita(DAY, 21))


def test_acknowledge_records_the_comment_without_a_new_version(submit, secretariat):
    report = submit()
    report_acknowledge(report=report, by=secretariat, comment=" Pantau terus. ", now=wita(DAY + dt.timedelta(1), 9))
    report.refresh_from_db()
    assert report.acknowledged_by == secretariat and report.review_comment == "Pantau terus."
    assert report.acknowledged_at == wita(DAY + dt.timedelta(1), 9)
    assert report.history.count() == 1


def test_officer_cannot_acknowledge(submit, officer):
    with pytest.raises(PermissionDenied):
        report_acknowledge(report=submit(), by=officer, comment="", now=wita(DAY, 21))


def test_secretariat_of_another_province_cannot_acknowledge(submit, other_province_regency):
    outsider = factories.secretariat_make(other_province_regency.province, username="sekretariat-kaltara")
    with pytest.raises(PermissionDenied):
        report_acknowledge(report=submit(), by=outsider, comment="", now=wita(DAY, 21))


def test_secretariat_excuses_a_regency_day(election, samarinda, secretariat):
    excuse = day_excuse(election=election, regency=samarinda, date=DAY, reason="Jaringan putus.", by=secretariat,
                        now=wita(DAY, 21))
    assert (excuse.excused_by, excuse.reason, excuse.excused_at) == (secretariat, "Jaringan putus.", wita(DAY, 21))


def test_excuse_needs_a_reason_and_a_window_date(election, samarinda, secretariat):
    with pytest.raises(ValidationError) as error:
        day_excuse(election=election, regency=samarinda, date=dt.date(2024, 10, 1), reason=" ", by=secretariat,
                   now=wita(DAY, 21))
    assert set(error.value.message_dict) == {"date", "reason"}
    assert not ExcusedDay.objects.exists()


def test_a_day_is_excused_once(election, samarinda, secretariat):
    day_excuse(election=election, regency=samarinda, date=DAY, reason="Banjir.", by=secretariat, now=wita(DAY, 21))
    with pytest.raises(ValidationError) as error:
        day_excuse(election=election, regency=samarinda, date=DAY, reason="Lagi.", by=secretariat, now=wita(DAY, 22))
    assert "Banjir." in error.value.message_dict["date"][0]
    assert ExcusedDay.objects.count() == 1


def test_an_on_time_day_cannot_be_excused_but_a_late_one_can(submit, election, samarinda, secretariat):
    submit(DAY, at=wita(DAY, 19))
    with pytest.raises(ValidationError):
        day_excuse(election=election, regency=samarinda, date=DAY, reason="x", by=secretariat, now=wita(DAY, 21))
    late_day = DAY - dt.timedelta(days=1)
    submit(late_day, at=wita(DAY, 9))
    day_excuse(election=election, regency=samarinda, date=late_day, reason="Listrik padam.", by=secretariat,
               now=wita(DAY, 21))


def test_only_the_secretariat_excuses(election, samarinda, officer, admin_user):
    for user in (officer, admin_user):
        with pytest.raises(PermissionDenied):
            day_excuse(election=election, regency=samarinda, date=DAY, reason="x", by=user, now=wita(DAY, 21))


def test_a_second_report_is_refused_by_the_constraint_and_names_the_first(submit, monkeypatch):
    """No look-up before the insert, so a race and a plain repeat take one path: the constraint, then the name."""
    import reports.services as services

    first = submit()
    real = services._existing_report
    calls = []

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(services, "_existing_report", counted)
    with pytest.raises(ReportExists) as error:
        submit(summary="Balapan.")
    assert error.value.existing == first and len(calls) == 1
    assert DailyReport.objects.count() == 1


@pytest.mark.parametrize("day", [DAY + dt.timedelta(days=1), dt.date(2025, 3, 1)])  # tomorrow; after the window
def test_a_report_and_an_excuse_refuse_a_day_not_yet_reached_by_one_rule(submit, election, samarinda, secretariat,
                                                                          day):
    """Both say "not yet" for a future day, also one past the window's end (the excuse said "outside" there)."""
    with pytest.raises(ValidationError) as report_error:
        submit(day, at=wita(DAY, 10))
    with pytest.raises(ValidationError) as excuse_error:
        day_excuse(election=election, regency=samarinda, date=day, reason="Jaringan", by=secretariat,
                   now=wita(DAY, 10))
    assert "belum tiba" in report_error.value.message_dict["report_date"][0]
    assert "belum tiba" in excuse_error.value.message_dict["date"][0]
