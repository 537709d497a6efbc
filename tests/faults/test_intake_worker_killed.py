"""A Celery worker killed (SIGKILL) while applying a field message: nothing of it stays (no report, no reply),
the message waits, and the next run applies it and sends its one reply.

The test holds the outbox table locked so the job stops after writing the daily report and before
writing the reply, in the same transaction; the worker dies there.
"""

import datetime as dt
import os
import signal

import psycopg2
import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from contacts.services import contact_create
from intake.constants import State
from intake.models import InboundMessage, OutboundMessage
from intake.providers import IncomingEvent
from intake.services import webhook_store
from reports.models import DailyReport
from tests import factories

from .services import WORKER, RedisServer, app_env, celery, wait_until

pytestmark = pytest.mark.fault


def backend_waiting_for_the_outbox():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = 'intake_outboundmessage' AND NOT l.granted"
        )
        row = cursor.fetchone()
        return row[0] if row else None


def session_alive(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def test_worker_killed_mid_apply_leaves_the_message_waiting_and_the_next_run_applies_it_once(
        database_url, tmp_path):
    kaltim = factories.province_make()
    samarinda = factories.regency_make("64.72", "Kota Samarinda")
    officer = factories.officer_make(samarinda)
    factories.election_make(kaltim, voting_day=timezone.localdate() + dt.timedelta(days=5), regencies=[samarinda])
    contact_create(regency=samarinda, by=officer, now=timezone.now(),
                   data={"phone": "+6281100000001", "name": "Petugas", "role": "officer", "user": officer})
    arrived = timezone.now() - dt.timedelta(minutes=2)
    [pk] = webhook_store(events=[IncomingEvent(
        channel="sms", provider_id="Ey6ECgOkVVFjz3CL48B8C", sender="081100000001", sent_at=None,
        text="LAPOR WASPADA Massa berkumpul di depan kantor KPU", media_id="", raw={})], statuses=[], now=arrived)

    redis = RedisServer(tmp_path)
    redis.start()
    env = app_env(database_url=database_url, redis_url=redis.url)
    client = Celery("fault-test", broker=redis.url, backend=redis.url)
    lock = psycopg2.connect(database_url)
    try:
        lock.cursor().execute("LOCK TABLE intake_outboundmessage IN ACCESS EXCLUSIVE MODE")
        with celery(env, tmp_path / "killed-worker.log", *WORKER) as worker:
            client.send_task("intake_apply", args=[pk])
            wait_until(lambda: backend_waiting_for_the_outbox() is not None, timeout=90, what="the job")
            pid = backend_waiting_for_the_outbox()
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        lock.rollback()
        wait_until(lambda: not session_alive(pid), timeout=60, what="the killed job's database session to end")
    finally:
        lock.close()

    # The claim, the report and the reply died with the worker's transaction.
    assert InboundMessage.objects.get(pk=pk).state == State.RECEIVED
    assert not DailyReport.objects.exists() and not OutboundMessage.objects.exists()

    try:
        with celery(env, tmp_path / "worker.log", *WORKER):
            swept = client.send_task("intake_sweep").get(timeout=120)
            wait_until(lambda: OutboundMessage.objects.filter(state="sent").exists(), timeout=90, what="the reply")
            again = client.send_task("intake_sweep").get(timeout=120)
    finally:
        redis.stop()

    assert swept["applied"] == 1 and again == {"applied": 0, "sent": 0}
    report = DailyReport.objects.get()
    assert (report.situation, report.submitted_by) == ("alert", officer)
    outbound = OutboundMessage.objects.get()
    assert outbound.attempts == 1 and outbound.text.startswith("Laporan Kota Samarinda")
    assert "[sms -> 081100000001] Laporan Kota Samarinda" in (tmp_path / "worker.log").read_text()
