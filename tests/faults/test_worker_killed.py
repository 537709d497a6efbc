"""A Celery worker killed (SIGKILL) in the middle of check_compliance leaves consistent data,
and the next run completes the work: every flag and every notice exactly once.

The job commits the missed-report flags first, then queues the notices in a
transaction of their own. The test holds the outbox table locked so the job
stops right there, kills the worker, and checks what a crash at that moment
leaves behind: the flags, whole; no notice, and no half-written one.
"""

import datetime as dt
import os
import signal
from collections import Counter

import psycopg2
import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from compliance.models import Flag, FlagKind, Notice, NoticeKind
from compliance.notices import FLAG_NOTICE_WINDOW
from tests import factories

from .services import WORKER, RedisServer, app_env, celery, wait_until

pytestmark = pytest.mark.fault


def backend_waiting_for_the_outbox():
    """The pid of the database session blocked on the outbox table's lock, if one is."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = 'compliance_notice' AND NOT l.granted"
        )
        row = cursor.fetchone()
        return row[0] if row else None


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


def flag_notice_key(flag):
    return f"flag:{flag.regency_id}:{flag.kind}:{flag.date}"


def test_worker_killed_mid_check_keeps_its_flags_and_the_next_run_queues_each_notice_once(
        election, database_url, tmp_path):
    redis = RedisServer(tmp_path)
    redis.start()
    env = app_env(database_url=database_url, redis_url=redis.url,
                  EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    client = Celery("fault-test", broker=redis.url, backend=redis.url)
    lock = psycopg2.connect(database_url)
    try:
        # Hold the outbox: the job stops when it looks for notices already queued.
        lock.cursor().execute("LOCK TABLE compliance_notice IN ACCESS EXCLUSIVE MODE")
        with celery(env, tmp_path / "killed-worker.log", *WORKER) as worker:
            client.send_task("check_compliance")
            wait_until(lambda: backend_waiting_for_the_outbox() is not None, timeout=90, what="the job")
            pid = backend_waiting_for_the_outbox()
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        lock.rollback()
        wait_until(lambda: not session_alive(pid), timeout=60, what="the killed job's database session to end")
    finally:
        lock.close()

    days = list(election.reporting_dates(until=election.last_due_date(timezone.now())))
    assert days, "the election should have days past their deadline"
    # The flags were committed before the kill, each once; the notices' transaction died with the worker.
    flags = list(Flag.objects.filter(kind=FlagKind.MISSED_DAILY_REPORT))
    assert Counter((flag.regency_id, flag.date) for flag in flags) == {
        (code, day): 1 for code in ("64.71", "64.72") for day in days
    }, (tmp_path / "killed-worker.log").read_text()[-4000:]
    assert not Notice.objects.exists()

    try:
        with celery(env, tmp_path / "worker.log", *WORKER):
            summary = client.send_task("check_compliance").get(timeout=120)
            again = client.send_task("check_compliance").get(timeout=120)
    finally:
        redis.stop()

    # The next run raises nothing new and queues what the killed one could not: a notice for each
    # flag of the last day (older ones are history), the secretariat's digest, each exactly once.
    assert summary["missed_flags_raised"] == 0, summary
    assert Flag.objects.count() == len(flags)
    now = timezone.now()
    news = {flag_notice_key(flag) for flag in flags if flag.raised_at > now - FLAG_NOTICE_WINDOW}
    assert news, "the last deadline lies within a day"
    queued = Counter(Notice.objects.values_list("kind", flat=True))
    assert set(Notice.objects.filter(kind=NoticeKind.FLAG_RAISED).values_list("key", flat=True)) == news
    assert queued[NoticeKind.FLAG_RAISED] == len(news)
    assert summary["notices_queued"] == Notice.objects.count() == sum(queued.values())
    # Every notice sent once; a third run finds nothing left to do.
    assert not Notice.objects.filter(sent_at__isnull=True).exists()
    assert set(Notice.objects.values_list("attempts", flat=True)) == {1}
    assert again["missed_flags_raised"] == again["notices_queued"] == 0, again
