"""check_compliance as the acceptance check runs it: after seed_demo, through the command."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from compliance.models import Flag
from elections.models import Election
from regions.models import Regency
from tests.compliance.conftest import receipts_cover, report_make
from tests.helpers import wita


@pytest.fixture
def demo(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    capsys.readouterr()
    return Election.objects.get(is_active=True)


def run_json(capsys, *args):
    call_command("check_compliance", "--json", *args)
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_missed_reports_for_exactly_the_seven_silent_regencies(demo, capsys):
    from django.contrib.auth.models import User

    reporters = ["64.72", "64.71", "64.74"]
    for code in reporters:
        officer = User.objects.get(desk_profile__regency_id=code)
        report_make(demo, Regency.objects.get(pk=code), dt.date(2024, 11, 20),
                    submitted_at=wita(2024, 11, 20, 15, 0), by=officer)

    flags = run_json(capsys, "--at", "2024-11-20T20:30:00+08:00")
    nov20 = {f["regency"] for f in flags if f["date"] == "2024-11-20"}
    assert nov20 == set(Regency.objects.values_list("code", flat=True)) - set(reporters)
    assert {f["kind"] for f in flags} == {"missed_daily_report"}
    assert flags[0] == {"regency": "64.01", "kind": "missed_daily_report", "date": "2024-11-01"}

    before = list(Flag.objects.order_by("pk").values())
    assert run_json(capsys, "--at", "2024-11-20T12:30:00Z") == flags  # the same moment in UTC
    assert list(Flag.objects.order_by("pk").values()) == before

    earlier = run_json(capsys, "--at", "2024-11-20T19:59:00+08:00")
    assert not [f for f in earlier if f["date"] == "2024-11-20"]


def test_logistics_unconfirmed_at_the_deadline(demo, capsys):
    from django.contrib.auth.models import User

    samarinda = Regency.objects.get(pk="64.72")
    receipts_cover(demo, samarinda, User.objects.get(username="desk-samarinda"))

    before = run_json(capsys, "--at", "2024-11-26T23:59:00+08:00")
    assert not [f for f in before if f["kind"] == "logistics_unconfirmed"]

    after = run_json(capsys, "--at", "2024-11-27T00:00:01+08:00")
    unconfirmed = {f["regency"] for f in after if f["kind"] == "logistics_unconfirmed"}
    assert unconfirmed == set(Regency.objects.exclude(pk="64.72").values_list("code", flat=True))
    assert {f["date"] for f in after if f["kind"] == "logistics_unconfirmed"} == {"2024-11-27"}


def test_plain_output_and_bad_moment(demo, capsys):
    call_command("check_compliance", "--at", "2024-11-02T21:00:00+08:00")
    out = capsys.readouterr().out
    assert "Open flags raised by 2024-11-02T21:00:00+08:00" in out and "Kabupaten Paser" in out
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("check_compliance", "--at", "yesterday")


def test_a_run_as_of_another_moment_sends_no_mail(demo, capsys, settings):
    from django.core import mail

    from compliance.models import Notice

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_json(capsys, "--at", "2024-11-20T20:30:00+08:00")
    assert mail.outbox == [] and not Notice.objects.exists()
