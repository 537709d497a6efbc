"""The compliance rules, one step of the job at a time, with the moment passed in."""

import datetime as dt

import pytest
from django.core import mail
from django.db.models import Max

from compliance.models import Flag, FlagKind, Notice, Resolution
from compliance.notices import notices_send
from compliance.run import check_compliance
from reports.models import ExcusedDay
from tests import factories
from tests.compliance.conftest import receipts_cover, report_make
from tests.helpers import run_at_once, wita

NOV20 = dt.date(2024, 11, 20)


def open_flags(kind=FlagKind.MISSED_DAILY_REPORT, day=NOV20):
    return set(Flag.objects.open().filter(kind=kind, date=day).values_list("regency_id", flat=True))


@pytest.mark.django_db
def test_missed_report_is_flagged_at_the_cutoff_not_before(election, officer, samarinda):
    report_make(election, samarinda, NOV20, submitted_at=wita(2024, 11, 20, 9, 0), by=officer)

    check_compliance(now=wita(2024, 11, 20, 19, 59))
    assert open_flags() == set()

    check_compliance(now=wita(2024, 11, 20, 20, 0, 1))
    assert open_flags() == {"64.71"}
    flag = Flag.objects.get(regency_id="64.71", date=NOV20)
    assert flag.raised_at == wita(2024, 11, 20, 20, 0)  # the deadline, not when the job noticed


@pytest.mark.django_db
def test_a_regency_that_never_reported_is_flagged_for_every_past_day(election, samarinda, balikpapan):
    check_compliance(now=wita(2024, 11, 5, 21, 0))
    days = sorted(Flag.objects.filter(regency=balikpapan).values_list("date", flat=True))
    assert days == [dt.date(2024, 11, d) for d in range(1, 6)]


@pytest.mark.django_db
def test_same_moment_in_utc_gives_the_same_answer_and_a_second_run_changes_nothing(election):
    check_compliance(now=dt.datetime(2024, 11, 20, 12, 30, tzinfo=dt.UTC))
    before = list(Flag.objects.order_by("pk").values())

    summary = check_compliance(now=wita(2024, 11, 20, 20, 30))

    assert list(Flag.objects.order_by("pk").values()) == before
    assert summary["missed_flags_raised"] == 0 and summary["missed_flags_resolved"] == 0


@pytest.mark.django_db
def test_no_flags_outside_the_reporting_window(election):
    check_compliance(now=wita(2024, 10, 31, 23, 0))
    assert not Flag.objects.exists()
    check_compliance(now=wita(2024, 12, 30, 23, 0))
    assert Flag.objects.aggregate(last=Max("date"))["last"] == dt.date(2024, 12, 16)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "utc_deadline_hour"), [("Asia/Jakarta", 13), ("Asia/Makassar", 12), ("Asia/Jayapura", 11)]
)
def test_deadline_follows_the_elections_zone(zone, utc_deadline_hour):
    province = factories.province_make("91", "Papua", time_zone=zone)
    factories.regency_make("91.71", "Kota Jayapura", districts=1, villages=1, tps=1)
    factories.election_make(province, time_zone=zone)

    check_compliance(now=dt.datetime(2024, 11, 20, utc_deadline_hour - 1, 59, tzinfo=dt.UTC))
    assert open_flags() == set()
    check_compliance(now=dt.datetime(2024, 11, 20, utc_deadline_hour, 0, 1, tzinfo=dt.UTC))
    assert open_flags() == {"91.71"}


@pytest.mark.django_db
def test_late_report_resolves_the_flag_at_its_submission_time(election, officer, samarinda):
    check_compliance(now=wita(2024, 11, 20, 20, 30))
    flag = Flag.objects.get(regency=samarinda, date=NOV20)

    report = report_make(election, samarinda, NOV20, submitted_at=wita(2024, 11, 20, 21, 15), by=officer)
    check_compliance(now=wita(2024, 11, 20, 21, 20))

    flag.refresh_from_db()
    assert report.is_late
    assert flag.raised_at == wita(2024, 11, 20, 20, 0)
    assert flag.resolved_at == wita(2024, 11, 20, 21, 15)
    assert flag.resolution == Resolution.LATE_REPORT


@pytest.mark.django_db
def test_excused_day_is_not_flagged_and_an_excuse_resolves_an_open_flag(election, secretariat, samarinda, balikpapan):
    ExcusedDay.objects.create(election=election, regency=samarinda, date=NOV20, reason="Jaringan putus",
                              excused_by=secretariat, excused_at=wita(2024, 11, 20, 18, 0))
    check_compliance(now=wita(2024, 11, 20, 20, 30))
    assert open_flags() == {"64.71"}

    ExcusedDay.objects.create(election=election, regency=balikpapan, date=NOV20, reason="Banjir",
                              excused_by=secretariat, excused_at=wita(2024, 11, 20, 22, 0))
    check_compliance(now=wita(2024, 11, 20, 22, 5))

    flag = Flag.objects.get(regency=balikpapan, date=NOV20)
    assert (flag.resolution, flag.resolved_by, flag.resolved_at) == (
        Resolution.EXCUSED, secretariat, wita(2024, 11, 20, 22, 0))


@pytest.mark.django_db
def test_logistics_flag_at_the_deadline_for_regencies_without_complete_receipts(election, officer, samarinda):
    receipts_cover(election, samarinda, officer)

    check_compliance(now=wita(2024, 11, 26, 23, 59))
    assert open_flags(FlagKind.LOGISTICS_UNCONFIRMED, dt.date(2024, 11, 27)) == set()

    check_compliance(now=wita(2024, 11, 27, 0, 0, 1))
    assert open_flags(FlagKind.LOGISTICS_UNCONFIRMED, dt.date(2024, 11, 27)) == {"64.71"}
    assert Flag.objects.get(kind=FlagKind.LOGISTICS_UNCONFIRMED).raised_at == wita(2024, 11, 27, 0, 0)


@pytest.mark.django_db
def test_one_unit_short_keeps_the_flag_until_receipts_cover_every_item(election, officer, other_officer,
                                                                         samarinda, balikpapan):
    receipts_cover(election, samarinda, officer)
    receipts_cover(election, balikpapan, other_officer, short_item="ink")
    check_compliance(now=wita(2024, 11, 27, 0, 5))
    assert open_flags(FlagKind.LOGISTICS_UNCONFIRMED, dt.date(2024, 11, 27)) == {"64.71"}

    from logistics.models import LogisticsItem, LogisticsReceipt

    LogisticsReceipt.objects.create(
        election=election, regency=balikpapan, item=LogisticsItem.objects.get(code="ink"), quantity_received=1,
        received_at=wita(2024, 11, 27, 9, 0), confirmed_by=other_officer, created_at=wita(2024, 11, 27, 9, 1),
    )
    check_compliance(now=wita(2024, 11, 27, 9, 5))

    flag = Flag.objects.get(kind=FlagKind.LOGISTICS_UNCONFIRMED)
    assert (flag.resolution, flag.resolved_at) == (Resolution.RECEIPTS, wita(2024, 11, 27, 9, 1))


@pytest.mark.django_db
def test_queries_stay_constant_whatever_the_number_of_regencies(election, django_assert_max_num_queries):
    check_compliance(now=wita(2024, 11, 3, 21, 0))  # warm up: content types, first flags
    with django_assert_max_num_queries(40) as small:
        check_compliance(now=wita(2024, 11, 28, 21, 0))
    for n in range(1, 9):
        factories.regency_make(f"64.0{n}", f"Kabupaten {n}", districts=1, villages=1, tps=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        check_compliance(now=wita(2024, 12, 10, 21, 0))
    assert Flag.objects.filter(date=dt.date(2024, 12, 10)).count() == 10


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_make_no_duplicate_and_no_error(election):
    errors = run_at_once(lambda: check_compliance(now=wita(2024, 11, 27, 21, 0)))

    assert errors == []
    assert Flag.objects.filter(kind=FlagKind.MISSED_DAILY_REPORT).count() == 2 * 27
    assert Flag.objects.filter(kind=FlagKind.LOGISTICS_UNCONFIRMED).count() == 2


@pytest.mark.django_db
def test_reminder_goes_out_once_an_hour_before_the_cutoff(election, officer, other_officer, samarinda, settings,
                                                          django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report_make(election, samarinda, NOV20, submitted_at=wita(2024, 11, 20, 9, 0), by=officer)

    with django_capture_on_commit_callbacks(execute=True):
        check_compliance(now=wita(2024, 11, 20, 18, 30))
    assert not [m for m in mail.outbox if m.subject.startswith("Pengingat")]

    for minute in (0, 5):
        with django_capture_on_commit_callbacks(execute=True):
            check_compliance(now=wita(2024, 11, 20, 19, minute))

    reminders = [m for m in mail.outbox if m.subject.startswith("Pengingat")]
    assert len(reminders) == 1
    assert reminders[0].to == [other_officer.email]
    assert "Kota Balikpapan" in reminders[0].subject


@pytest.mark.django_db
def test_flag_notice_and_secretariat_digest_go_out_once(election, officer, secretariat, settings,
                                                         django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            check_compliance(now=wita(2024, 11, 20, 20, 2))

    subjects = sorted(m.subject for m in mail.outbox)
    # Only the flags raised in the last day are news: those of 20 November.
    assert len([s for s in subjects if s.startswith("Tanda kepatuhan")]) == 2
    assert len([s for s in subjects if s.startswith("Ringkasan")]) == 1
    digest = next(m for m in mail.outbox if m.subject.startswith("Ringkasan"))
    assert digest.to == [secretariat.email] and "0 laporan tepat waktu" in digest.body


@pytest.mark.django_db
def test_failed_notice_is_retried_and_then_sent_once(election, officer, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notice.objects.create(key="reminder:x", kind="reminder", recipients=["a@example.org"], subject="S", body="B",
                          created_at=wita(2024, 11, 20, 19, 0))
    import compliance.notices as services

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_mail", broken)
    assert notices_send() == 0
    notice = Notice.objects.get()
    assert (notice.attempts, notice.sent_at, notice.claimed_at) == (1, None, None)
    assert "smtp down" in notice.last_error

    monkeypatch.undo()
    assert notices_send() == 1
    assert notices_send() == 0
    assert len(mail.outbox) == 1 and Notice.objects.get().attempts == 2


@pytest.mark.django_db
def test_late_report_the_job_had_not_seen_gets_a_flag_raised_and_resolved(election, officer, samarinda):
    report_make(election, samarinda, NOV20, submitted_at=wita(2024, 11, 20, 22, 0), by=officer)

    check_compliance(now=wita(2024, 11, 21, 8, 0))

    flag = Flag.objects.get(regency=samarinda, date=NOV20)
    assert (flag.raised_at, flag.resolved_at, flag.resolution) == (
        wita(2024, 11, 20, 20, 0), wita(2024, 11, 20, 22, 0), Resolution.LATE_REPORT)


@pytest.mark.django_db
def test_the_digest_reads_the_days_states_an_excused_day_is_not_missing(
    election, officer, secretariat, samarinda, settings, django_capture_on_commit_callbacks,
):
    """Samarinda's 20 November is excused, Balikpapan's missed: the digest counts one missing, and names it.

    Counted as regencies minus on-time minus late, the excused day was mailed as missing (2 beside one name).
    """
    from reports.services import day_excuse

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    day_excuse(election=election, regency=samarinda, date=NOV20, reason="Listrik padam",
               by=secretariat, now=wita(2024, 11, 20, 18, 0))
    with django_capture_on_commit_callbacks(execute=True):
        check_compliance(now=wita(2024, 11, 20, 20, 2))

    digest = next(m for m in mail.outbox if m.subject.startswith("Ringkasan"))
    assert "0 laporan tepat waktu, 0 terlambat, 1 dikecualikan, 1 belum masuk: Kota Balikpapan." in digest.body


@pytest.mark.django_db
def test_notices_go_to_the_accounts_in_the_role_they_act_in(election, officer, secretariat, samarinda):
    """The recipients are accounts' answer: an officer who is also in the admin group acts as admin, not officer."""
    from django.contrib.auth.models import Group

    from accounts.selectors import province_desk_emails

    officers, desk = province_desk_emails(province_code="64")
    assert officers == {"64.72": [officer.email]} and desk == [secretariat.email]
    officer.groups.add(Group.objects.get_or_create(name="admin")[0])
    assert province_desk_emails(province_code="64") == ({}, [secretariat.email])
