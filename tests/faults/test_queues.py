"""The compliance job, the notices and the field-message intake travel on queues of their own: a worker of
one queue never takes another's work, so a burst on one cannot hold the flags back."""

import subprocess
import sys

import pytest
import redis

from .services import ROOT, WORKER, RedisServer, app_env, celery, wait_until

pytestmark = pytest.mark.fault


def call(env, task):
    done = subprocess.run([sys.executable, "-m", "celery", "-A", "pilkada_desk", "call", task], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_each_kind_of_work_waits_in_its_own_queue(database_url, tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        env = app_env(database_url=database_url, redis_url=server.url,
                      EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
        broker = redis.Redis.from_url(server.url)
        call(env, "check_compliance")
        call(env, "send_notices")
        assert (broker.llen("compliance"), broker.llen("notices"), broker.llen("celery")) == (1, 1, 0)

        # A notices worker takes the notices and leaves the compliance run alone ...
        with celery(env, tmp_path / "notices.log", *WORKER, "-Q", "notices"):
            wait_until(lambda: broker.llen("notices") == 0, what="the notices worker")
        assert broker.llen("compliance") == 1
        # ... which a compliance worker takes.
        with celery(env, tmp_path / "compliance.log", *WORKER, "-Q", "compliance"):
            wait_until(lambda: broker.llen("compliance") == 0, what="the compliance worker")
        log = (tmp_path / "compliance.log").read_text()
        assert "check_compliance" in log and "succeeded" in log, log[-2000:]
    finally:
        server.stop()
