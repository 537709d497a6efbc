"""The compliance job raises `missed_voting_round` and `recap_overdue` at the boundaries, once, and resolves them."""

import datetime as dt

import pytest
from django.db.models import Q

from compliance.models import Flag, FlagKind, Resolution
from compliance.run import check_compliance, flags_check
from elections.models import Contest
from regions.models import District
from votingday.models import RecapProgress
from votingday.selectors import recap_levels_overdue, voting_rounds_overdue
from votingday.services import voting_round_submit

from .conftest import counts, wita

pytestmark = pytest.mark.django_db


def round_flags(**more):
    return Flag.objects.filter(kind=FlagKind.MISSED_VOTING_ROUND, **more)


def submit(election, regency, by, round_code, now):
    return voting_round_submit(election=election, regency=regency, by=by, now=now,
                               data={"round": round_code, **counts(8, 8, 8)})


def test_round_flag_just_before_at_and_after_the_due_time(election, samarinda, officer):
    flags_check(now=wita(2024, 11, 27, 9, 59, 59))
    assert not round_flags().exists()
    flags_check(now=wita(2024, 11, 27, 10, 0))  # a round at its due time is on time
    assert not round_flags().exists()
    flags_check(now=wita(2024, 11, 27, 10, 0, 1))
    flags = round_flags().order_by("regency_id")
    assert [(f.regency_id, f.subject, f.date, f.raised_at) for f in flags] == [
        ("64.71", "opening", dt.date(2024, 11, 27), wita(2024, 11, 27, 10, 0)),
        ("64.72", "opening", dt.date(2024, 11, 27), wita(2024, 11, 27, 10, 0)),
    ]
    flags_check(now=wita(2024, 11, 27, 10, 5))  # twice changes nothing
    assert round_flags().count() == 2


def test_on_time_round_raises_nothing_and_late_round_resolves_its_flag(election, samarinda, officer):
    submit(election, samarinda, officer, "opening", wita(2024, 11, 27, 9, 0))
    flags_check(now=wita(2024, 11, 27, 14, 30))
    assert set(round_flags(regency=samarinda).values_list("subject", flat=True)) == {"closing"}
    submit(election, samarinda, officer, "closing", wita(2024, 11, 27, 15, 0))
    flags_check(now=wita(2024, 11, 27, 15, 5))
    flag = round_flags(regency=samarinda).get()
    assert (flag.resolution, flag.resolved_at) == (Resolution.ROUND_IN, wita(2024, 11, 27, 15, 0))


def test_round_late_before_the_job_ran_is_flagged_and_resolved_at_once(election, samarinda, officer):
    submit(election, samarinda, officer, "counting", wita(2024, 11, 27, 21, 30))
    flags_check(now=wita(2024, 11, 27, 22, 0))
    flag = round_flags(regency=samarinda, subject="counting").get()
    assert (flag.raised_at, flag.resolved_at) == (wita(2024, 11, 27, 21, 0), wita(2024, 11, 27, 21, 30))


def test_round_flags_notify_once_each(election, samarinda, officer, secretariat):
    from compliance.models import Notice

    check_compliance(now=wita(2024, 11, 27, 14, 5))
    keys = set(Notice.objects.filter(key__contains="missed_voting_round").values_list("key", flat=True))
    assert "flag:64.72:missed_voting_round:2024-11-27:opening" in keys
    assert "flag:64.72:missed_voting_round:2024-11-27:closing" in keys


def _done_everywhere(election, regency, officer, level, finished):
    contests = Contest.objects.filter(Q(regency__isnull=True) | Q(regency=regency), election=election)
    regions = (list(District.objects.filter(regency=regency).values_list("code", flat=True))
               if level == "district" else [regency.code])
    for contest in contests:
        for code in regions:
            RecapProgress.objects.create(
                election=election, contest=contest, level=level, region=code, regency=regency, status="done",
                started_on=dt.date(2024, 11, 28), finished_on=finished, updated_by=officer,
                updated_at=wita(2024, 12, 3, 12))


def test_recap_overdue_at_the_windows_end_and_resolved_when_done(election, samarinda, balikpapan, officer):
    _done_everywhere(election, samarinda, officer, "district", dt.date(2024, 12, 3))
    end = wita(2024, 12, 4, 0, 0)
    flags_check(now=end - dt.timedelta(seconds=1))
    assert not Flag.objects.filter(kind=FlagKind.RECAP_OVERDUE).exists()
    flags_check(now=end)
    flag = Flag.objects.get(kind=FlagKind.RECAP_OVERDUE)
    assert (flag.regency_id, flag.subject, flag.date, flag.raised_at) == (
        "64.71", "district", dt.date(2024, 12, 3), end)
    other = Flag.objects.get(kind=FlagKind.RECAP_OVERDUE).regency
    _done_everywhere(election, other, officer, "district", dt.date(2024, 12, 4))
    later = wita(2024, 12, 4, 12, 0)
    flags_check(now=later)
    flag.refresh_from_db()
    assert (flag.resolution, flag.resolved_at) == (Resolution.RECAP_DONE, later)


def test_one_district_not_done_keeps_the_regency_overdue(election, samarinda, officer):
    _done_everywhere(election, samarinda, officer, "district", dt.date(2024, 12, 2))
    RecapProgress.objects.filter(region=District.objects.filter(regency=samarinda).first().code,
                                 contest__kind="local").update(status="in_progress", finished_on=None)
    overdue = recap_levels_overdue(elections=[election], now=wita(2024, 12, 4, 0, 0))
    assert {(item.regency, item.subject) for item in overdue} == {("64.72", "district"), ("64.71", "district")}


def test_selectors_answer_in_constant_queries(election, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        voting_rounds_overdue(elections=[election], now=wita(2024, 11, 28, 0, 0))
    with django_assert_max_num_queries(3):
        recap_levels_overdue(elections=[election], now=wita(2024, 12, 10, 0, 0))


def test_round_reminder_an_hour_before_to_those_who_have_not_sent(election, samarinda, officer, other_officer):
    from compliance.models import Notice

    submit(election, samarinda, officer, "closing", wita(2024, 11, 27, 12, 50))
    check_compliance(now=wita(2024, 11, 27, 12, 59))
    assert not Notice.objects.filter(key__contains=":closing").exists()
    check_compliance(now=wita(2024, 11, 27, 13, 0))
    keys = set(Notice.objects.filter(key__endswith=":closing").values_list("key", flat=True))
    assert keys == {f"reminder:{election.pk}:64.71:2024-11-27:closing"}
    check_compliance(now=wita(2024, 11, 27, 13, 30))
    assert Notice.objects.filter(key__endswith=":closing").count() == 1


def test_round_flags_name_their_round_in_the_api_and_the_command(election, samarinda, secretariat, api, capsys):
    from django.core.management import call_command

    flags_check(now=wita(2024, 11, 27, 14, 1))
    flags = api.as_user(secretariat).get("/api/v1/flags/?kind=missed_voting_round&regency=64.72").json()["results"]
    assert sorted(flag["subject"] for flag in flags) == ["closing", "opening"]
    call_command("check_compliance", "--at", "2024-11-27T14:01:00+08:00", "--json")
    lines = [line for line in capsys.readouterr().out.splitlines() if "missed_voting_round" in line and "64.72" in line]
    assert sorted(lines) == [
        '{"regency": "64.72", "kind": "missed_voting_round", "date": "2024-11-27", "subject": "closing"}',
        '{"regency": "64.72", "kind": "missed_voting_round", "date": "2024-11-27", "subject": "opening"}']
    assert round_flags(subject="opening").first().subject_display == "Pembukaan TPS"
