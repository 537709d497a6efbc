"""The field-message part of `make bench` on a two-regency country: the webhooks through gunicorn, the apply by
a real Celery worker, the self-checks, and the query count per message at two batch sizes."""

import datetime as dt

import pytest
from django.db import connection

from bench import checks, data, intake, load
from intake.models import InboundMessage, OutboundMessage
from pilkada_desk.celery import app as celery_app

from .small import shrink_country
from .test_bench_data import REGIONS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_field(monkeypatch):
    shrink_country(monkeypatch, REGIONS, tps=12, incidents=4, report_days=3)
    monkeypatch.setattr(intake, "VILLAGE_STEP", 1)
    monkeypatch.setattr(intake, "DISTRICT_STEP", 1)
    data.build_all(dt.datetime.now(dt.UTC).date(), log=lambda message: None)
    contacts = intake.build_contacts()
    assert intake.make_voting_day() == 1
    return contacts


def test_contacts_cover_every_officer_village_and_district(small_field):
    field = intake.senders()
    # Two officers, three villages (each with its TPS), two districts.
    assert small_field == 7
    assert len(field["officers"]) == 2 and len(field["districts"]) == 2
    assert sorted(top for _phone, top in field["villages"]) == [4, 4, 4]


def test_queries_per_message_do_not_grow_with_the_batch(small_field):
    queries = intake.queries_per_message(field=intake.senders(), batches=(10, 40))
    assert set(queries) == {10, 40}
    assert queries[40] <= queries[10] < 6
    assert not InboundMessage.objects.filter(state="received").exists()
    # Every message with a reply has exactly one outbox row.
    assert OutboundMessage.objects.count() == InboundMessage.objects.exclude(reply="").count() > 0


@pytest.mark.worker
def test_webhooks_through_gunicorn_then_applied_by_a_celery_worker(small_field, monkeypatch, tmp_path):
    db = connection.settings_dict
    monkeypatch.setenv("DATABASE_URL",
                       f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")
    monkeypatch.delenv("BENCH_REDIS_URL", raising=False)  # a throwaway redis-server
    monkeypatch.setattr(load, "CLIENTS", 2)
    field = intake.senders()
    broker_url = celery_app.conf.broker_url
    with intake.redis_for_bench(tmp_path / "redis.log") as (redis_url, redis_client):
        intake.publish_to(redis_url)
        result = intake.accept(field=field, redis_url=redis_url, var=tmp_path, seconds=2)
        result["topped_up"] = intake.top_up(field=field, count=30)
        result.update(intake.apply(redis_url=redis_url, redis_client=redis_client, var=tmp_path))
    intake.publish_to(broker_url)
    result["queries_per_message"] = {10: 2.0, 40: 1.5}

    assert result["accepted"] > 0 and result["bare_accepted"] > 0
    assert result["accept_rps"] > 0 and result["bare_rps"] > 0 and result["ratio"] > 0
    assert result["apply_rps"] > 0 and result["applied"] == result["stored"] + 30 == result["accepted"] + 30
    # Each reply written once and queued once (a sender over the rate limit gets none).
    with_reply = InboundMessage.objects.exclude(reply="").count()
    assert result["replies"] == result["queued_send"] == with_reply > 0
    problems = checks.intake(result)
    # A few seconds of two clients may not reach every kind of message; everything else must hold.
    assert [problem for problem in problems if not problem.startswith("the mix")] == []
    assert "| WhatsApp webhook POST" in intake.table(result)


def test_the_self_check_names_a_lost_or_doubled_message():
    good = {"failed": 0, "bare_failed": 0, "accepted": 5, "stored": 5, "queued_apply": 5, "bare_accepted": 9,
            "bare_stored": 9, "left": 0, "applied": 5, "replies_missing": 0, "replies": 5, "queued_send": 5,
            "outcomes": {"tps/applied": 1, "info/applied": 1, "info/unregistered": 1, "unknown/refused": 1,
                         "report/applied": 1}}
    assert checks.intake(good) == []
    assert checks.intake({**good, "queued_apply": 6}) == [
        "5 webhooks accepted, 5 messages stored (and 0 more), 6 queued to apply"]
    assert checks.intake({**good, "topped_up": 2, "queued_apply": 7, "applied": 7}) == []
    assert checks.intake({**good, "queued_send": 4})[0].startswith("5 replies written, 4 queued to send")
    assert checks.intake({**good, "left": 1, "applied": 4}) == ["5 messages stored, 4 applied, 1 left"]
