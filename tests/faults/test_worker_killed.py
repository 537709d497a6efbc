"""A Celery worker killed (SIGKILL) in the middle of check_compliance leaves consistent data,
and the next run does the whole work, each flag and notice exactly once."""

import datetime as dt
import os
import signal

import psycopg2
import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from compliance.models import Flag, Notice
from tests import factories

from .services import WORKER, RedisServer, app_env, celery, wait_until

pytestmark = pytest.mark.fault


def backend_waiting_for_a_lock():
    """The pid of the database session blocked on a lock, and whether it holds uncommitted flag inserts."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.pid, EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            "  WHERE l.pid = a.pid AND c.relname = 'compliance_flag' AND l.mode = 'RowExclusiveLock')"
            " FROM pg_stat_activity a WHERE a.datname = current_database() AND a.wait_event_type = 'Lock'"
        )
        return cursor.fetchone()


def session_alive(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


@pytest.fixture
def election(database_url):
    kaltim = factories.province_make()
    regencies = [factories.regency_make("64.72", "Kota Samarinda"), factories.regency_make("64.71", "Kota Balikpapan")]
    for regency in regencies:
        factories.officer_make(regency)
    factories.secretariat_make(kaltim)
    return factories.election_make(kaltim, voting_day=timezone.localdate() + dt.timedelta(days=5),
                                   regencies=regencies)


def test_worker_killed_mid_check_leaves_nothing_half_done_and_the_next_run_completes(
        election, database_url, tmp_path):
    redis = RedisServer(tmp_path)
    redis.start()
    env = app_env(database_url=database_url, redis_url=redis.url,
                  EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    client = Celery("fault-test", broker=redis.url, backend=redis.url)
    # Hold the outbox table: the job stops there, its flags inserted but not committed.
    lock = psycopg2.connect(database_url)
    try:
        lock.cursor().execute("LOCK TABLE compliance_notice IN ACCESS EXCLUSIVE MODE")
        with celery(env, tmp_path / "killed-worker.log", *WORKER) as worker:
            client.send_task("check_compliance")
            wait_until(lambda: backend_waiting_for_a_lock() is not None, timeout=90, what="the job")
            pid, flags_written = backend_waiting_for_a_lock()
            assert flags_written, "the job should be stopped after inserting its flags"
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        lock.rollback()
        wait_until(lambda: not session_alive(pid), timeout=60, what="the killed job's database session to end")
    finally:
        lock.close()

    # Nothing half-done: no flag without its notices, no notice claimed by the dead worker.
    assert not Flag.objects.exists() and not Notice.objects.exists(), (tmp_path / "killed-worker.log").read_text()

    try:
        with celery(env, tmp_path / "worker.log", *WORKER):
            summary = client.send_task("check_compliance").get(timeout=120)
    finally:
        redis.stop()

    days = list(election.reporting_dates(until=election.last_due_date(timezone.now())))
    assert summary["missed_flags_raised"] == Flag.objects.count() == 2 * len(days) > 0, (summary, days)
    assert Notice.objects.count() == summary["notices_queued"] > 0
    assert not Notice.objects.filter(sent_at__isnull=True).exists()
    assert set(Notice.objects.values_list("attempts", flat=True)) == {1}
