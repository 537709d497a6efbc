"""Never lose a message, never apply one twice: concurrent deliveries, concurrent workers, Redis down,
a worker that dies half-way. Real transactions on PostgreSQL (committed rows, one connection per thread)."""

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from intake import services
from intake.constants import State
from intake.models import InboundMessage, OutboundMessage
from intake.services import intake_sweep, message_apply
from pilkada_desk.celery import app as celery_app
from reports.models import DailyReport

from .conftest import LURAH_PHONE, NOW, OFFICER_PHONE, wa_post, wa_text

pytestmark = pytest.mark.django_db(transaction=True)


def together(count, work):
    """Run `work(i)` in `count` threads released at the same moment; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count
    errors = []

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return results


@pytest.fixture
def broker_down():
    """The broker URL points at a port where nothing listens (Redis down)."""
    conf = celery_app.conf
    saved = conf.broker_url
    conf.broker_url = "redis://127.0.0.1:9/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    services._broker_failed_at = None
    yield
    conf.broker_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    services._broker_failed_at = None


@pytest.fixture
def ticking():
    """The election's reporting window, with the clock running (the broker client measures its timeouts)."""
    with time_machine.travel(NOW, tick=True):
        yield


def test_the_same_event_delivered_concurrently_is_stored_once(channels, contacts, broker_down):
    payload = wa_text(LURAH_PHONE, "INFO dua kali sekaligus", message_id="wamid.RACE")
    statuses = together(4, lambda _i: wa_post(Client(), payload).status_code)
    assert statuses == [200, 200, 200, 200]
    assert InboundMessage.objects.filter(provider_id="wamid.RACE").count() == 1


def test_two_workers_applying_the_same_message_apply_it_once(channels, contacts, broker_down, ticking):
    wa_post(Client(), wa_text(OFFICER_PHONE, "LAPOR AMAN Semua tertib", message_id="wamid.TWICE"))
    message = InboundMessage.objects.get()
    results = together(2, lambda _i: message_apply(message_id=message.pk, now=timezone.now()))
    assert sorted(result is None for result in results) == [False, True]
    assert DailyReport.objects.count() == 1
    assert OutboundMessage.objects.count() == 1


def test_with_redis_down_the_webhook_answers_and_the_sweep_applies_later(
    channels, contacts, broker_down, caplog, ticking
):
    response = wa_post(Client(), wa_text(OFFICER_PHONE, "NIHIL"))
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert message.state == State.RECEIVED and "not queued" in caplog.text
    assert not DailyReport.objects.exists()
    # Having found the broker down, the next webhooks do not wait for it again.
    started = time.monotonic()
    assert wa_post(Client(), wa_text(LURAH_PHONE, "INFO sesudahnya")).status_code == 200
    assert time.monotonic() - started < 1.5

    # Beat's sweep (it runs in the worker, which reads the database, not Redis) applies it and replies.
    later = timezone.now() + dt.timedelta(minutes=1)
    assert intake_sweep(now=later)["applied"] == 2
    assert DailyReport.objects.count() == 1
    intake_sweep(now=later + dt.timedelta(minutes=1))
    assert set(OutboundMessage.objects.values_list("state", flat=True)) == {"sent"}
    assert len(channels.sent()) == 2
    # ... and once only.
    assert intake_sweep(now=later + dt.timedelta(minutes=5)) == {"applied": 0, "sent": 0}
    assert len(channels.sent()) == 2


def test_a_worker_killed_half_way_leaves_the_message_for_the_next_run(channels, contacts, broker_down, ticking):
    wa_post(Client(), wa_text(OFFICER_PHONE, "LAPOR WASPADA Massa di depan kantor bupati"))
    message = InboundMessage.objects.get()

    def die_after_claiming(_i):
        # What a killed worker leaves: a transaction that claimed the message, then its connection gone.
        transaction.set_autocommit(False)
        claimed = InboundMessage.objects.filter(pk=message.pk, state=State.RECEIVED).update(state=State.DONE)
        connection.connection.close()  # the server rolls the transaction back
        connection.connection = None
        connection.needs_rollback = False
        connection.in_atomic_block = False
        return claimed

    assert together(1, die_after_claiming) == [1]
    message.refresh_from_db()
    assert message.state == State.RECEIVED
    assert intake_sweep(now=timezone.now() + dt.timedelta(minutes=1))["applied"] == 1
    assert DailyReport.objects.get().situation == "alert"
    assert OutboundMessage.objects.count() == 1
