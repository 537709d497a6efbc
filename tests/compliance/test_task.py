"""The Celery tasks, called directly: `at` is read as the command reads it; beat schedules both tasks."""

import datetime as dt

import pytest
from django.conf import settings

from compliance import tasks
from compliance.models import Flag
from tests.helpers import wita


def test_a_moment_without_offset_is_read_in_the_desk_zone_by_task_and_command_alike():
    assert tasks.parse_moment("2024-11-20T20:30:00") == wita(2024, 11, 20, 20, 30)
    assert tasks.parse_moment("2024-11-20T12:30:00+00:00") == wita(2024, 11, 20, 20, 30)
    with pytest.raises(ValueError):
        tasks.parse_moment("20/11/2024")


@pytest.mark.django_db
def test_task_as_of_a_local_moment_flags_the_day_whose_cutoff_passed(election, samarinda):
    tasks.check_compliance(at="2024-11-20T20:00:30")  # WITA: 30 seconds after the cutoff
    assert Flag.objects.filter(regency=samarinda, date=dt.date(2024, 11, 20)).exists()


@pytest.mark.django_db
def test_task_just_before_the_local_cutoff_does_not_flag_that_day(election, samarinda):
    tasks.check_compliance(at="2024-11-20T19:59:00")  # read as UTC it would be past 20:00 WITA
    assert not Flag.objects.filter(date=dt.date(2024, 11, 20)).exists()


def test_beat_schedules_the_compliance_check_and_the_notice_retry():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    # The field-message sweep runs beside them, on the intake queue.
    assert scheduled == {"check_compliance", "send_notices", "intake_sweep"}
    assert settings.CELERY_TASK_ROUTES["intake_sweep"] == {"queue": "intake"}
