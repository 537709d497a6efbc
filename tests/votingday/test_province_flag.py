"""The province KPU's own recapitulation overdue: a `recap_overdue` flag with no regency, raised by the job and read
by the secretariat of that province, the national desk and the admin, never by a regency's officer."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from compliance.models import Flag, FlagKind, Notice, Resolution
from compliance.run import check_compliance, flags_check
from desk.rakor.brief import rakor_brief
from tests import factories
from tests.helpers import run_together
from votingday.models import RecapProgress
from votingday.selectors import recap_levels_overdue

from .conftest import wita

pytestmark = pytest.mark.django_db
END = wita(2024, 12, 10, 0, 0)  # the midnight after the province window's last day (9 December)


def province_flags():
    return Flag.objects.filter(kind=FlagKind.RECAP_OVERDUE, regency__isnull=True)


def province_flag(election, **more):
    return Flag.objects.create(election=election, regency=None, kind=FlagKind.RECAP_OVERDUE, subject="province",
                               date=dt.date(2024, 12, 9), raised_at=END, **more)


def province_done(election, governor, by, finished=dt.date(2024, 12, 9)):
    return RecapProgress.objects.create(
        election=election, contest=governor, level="province", region="64", regency=None, status="done",
        started_on=dt.date(2024, 11, 30), finished_on=finished, updated_by=by, updated_at=wita(2024, 12, 9, 12))


def test_province_flag_just_before_at_and_after_the_windows_end(election, governor):
    flags_check(now=END - dt.timedelta(seconds=1))
    assert not province_flags().exists()
    flags_check(now=END)
    flag = province_flags().get()
    assert (flag.election, flag.subject, flag.date, flag.raised_at, flag.is_open) == (
        election, "province", dt.date(2024, 12, 9), END, True)
    flags_check(now=END + dt.timedelta(hours=1))  # twice changes nothing
    assert province_flags().count() == 1


def test_province_done_in_time_raises_nothing_and_done_late_resolves_the_flag(election, governor, secretariat):
    record = province_done(election, governor, secretariat)
    flags_check(now=END)
    assert not province_flags().exists()
    record.status, record.finished_on = "in_progress", None
    record.save()
    flags_check(now=END)
    later = wita(2024, 12, 11, 8)
    RecapProgress.objects.filter(pk=record.pk).update(status="done", finished_on=dt.date(2024, 12, 10))
    flags_check(now=later)
    flag = province_flags().get()
    assert (flag.resolution, flag.resolved_at) == (Resolution.RECAP_DONE, later)


def test_an_election_without_a_governors_race_has_no_province_level(election, governor):
    governor.delete()
    assert [item for item in recap_levels_overdue(elections=[election], now=END) if item.regency is None] == []


def test_the_database_allows_no_regency_only_for_the_province_recapitulation(election, samarinda):
    province_flag(election)
    with pytest.raises(IntegrityError), transaction.atomic():
        province_flag(election)  # one per election, kind, date and subject
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(election=election, regency=None, kind=FlagKind.RECAP_OVERDUE, subject="regency",
                            date=dt.date(2024, 12, 6), raised_at=END)
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(election=election, regency=None, kind=FlagKind.MISSED_DAILY_REPORT,
                            date=dt.date(2024, 11, 20), raised_at=END)
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(election=election, regency=samarinda, kind=FlagKind.RECAP_OVERDUE, subject="province",
                            date=dt.date(2024, 12, 9), raised_at=END)


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_raise_the_province_flag_once(election, governor):
    errors = run_together(lambda: flags_check(now=END))
    assert errors == []
    assert province_flags().count() == 1


def test_who_reads_the_province_flag(election, samarinda, balikpapan, officer, secretariat, national, admin_user,
                                    other_province_regency):
    flag = province_flag(election)
    own, other = (Flag.objects.create(election=election, regency=regency, kind=FlagKind.RECAP_OVERDUE,
                                      subject="regency", date=dt.date(2024, 12, 6), raised_at=END)
                  for regency in (samarinda, balikpapan))
    other_secretariat = factories.secretariat_make(other_province_regency.province, username="sekretariat-kaltara")
    seen = {user.username: set(Flag.objects.for_user(user)) for user in
            (officer, secretariat, national, admin_user, other_secretariat)}
    assert seen == {officer.username: {own}, secretariat.username: {flag, own, other},
                    national.username: {flag, own, other}, admin_user.username: {flag, own, other},
                    other_secretariat.username: set()}


def test_flags_api_gives_no_regency_and_the_province(api, election, officer, secretariat):
    province_flag(election)
    rows = api.as_user(secretariat).get("/api/v1/flags/?kind=recap_overdue").json()["results"]
    assert [(row["regency"], row["province"], row["subject"]) for row in rows] == [(None, "64", "province")]
    assert api.as_user(officer).get("/api/v1/flags/?kind=recap_overdue").json()["results"] == []


def test_flags_page_names_the_province_and_the_secretariat_closes_it(client, election, officer, secretariat):
    flag = province_flag(election)
    client.force_login(secretariat)
    page = client.get("/compliance/flags/").content.decode()
    assert 'data-place="64"' in page and "Kalimantan Timur · 9 Desember 2024" in page
    response = client.post(f"/compliance/flags/{flag.pk}/dismiss/", {"note": "KPU provinsi menunda pleno"}, follow=True)
    assert "Kalimantan Timur" in response.content.decode()
    flag.refresh_from_db()
    assert flag.resolution == Resolution.DISMISSED
    client.force_login(officer)
    assert 'data-place="64"' not in client.get("/compliance/flags/?show=all").content.decode()
    assert client.post(f"/compliance/flags/{flag.pk}/dismiss/", {"note": "x"}).status_code == 404


def test_the_flag_notice_goes_to_the_secretariat_only(election, governor, officer, secretariat, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    check_compliance(now=END + dt.timedelta(minutes=5))
    notice = Notice.objects.get(key="flag:64:recap_overdue:2024-12-09:province")
    assert notice.recipients == [secretariat.email]
    assert "Kalimantan Timur" in notice.subject and "None" not in notice.subject + notice.body


def test_secretariat_dashboard_counts_the_province_flag(client, election, secretariat, frozen):
    province_flag(election)
    client.force_login(secretariat)
    page = client.get("/").content.decode()
    assert '<span class="badge text-bg-danger" data-flag-count="recap_overdue">1</span>' in page
    assert 'data-flag-count="province">(1 tingkat provinsi)' in page


def test_national_table_counts_the_province_flag(client, election, national, frozen):
    province_flag(election)
    client.force_login(national)
    response = client.get("/")
    assert [row.open_flags for row in response.context["rows"]] == [1]


def test_brief_lists_the_province_flag(election, secretariat):
    province_flag(election)
    brief = rakor_brief(election=election, date=dt.date(2024, 12, 10), now=wita(2024, 12, 10, 9))
    assert [flag.subject for flag in brief["province_flags"]] == ["province"]
    assert brief["open_flag_count"] == 1


def export_rows(client):
    text = b"".join(client.get("/exports/flags.csv").streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_flag_export_names_the_province(client, election, secretariat, officer):
    province_flag(election)
    client.force_login(secretariat)
    rows = export_rows(client)
    assert [row[1:3] for row in rows[1:]] == [["64", "Kalimantan Timur"]]
    client.force_login(officer)
    rows = export_rows(client)
    assert rows[1:] == []


def test_command_lists_the_province_flag(election, governor, capsys):
    call_command("check_compliance", "--at", "2024-12-10T00:00:00+08:00")
    out = capsys.readouterr().out
    assert "2024-12-09  64  Kalimantan Timur" in out
