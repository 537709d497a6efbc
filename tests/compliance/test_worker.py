"""The scheduled task run by a real Celery worker: on Redis with PostgreSQL, and on the embedded default."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from compliance.models import Flag
from pilkada_desk.celery import app

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.worker


EMBEDDED_UNSET = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def embedded_env(tmp_path):
    """The environment of `make run`: no database or broker URL, everything under VAR_DIR."""
    env = {k: v for k, v in os.environ.items() if k not in EMBEDDED_UNSET}
    env.update({"DEBUG": "1", "VAR_DIR": str(tmp_path)})
    return env


def start_worker(env, queue, tmp_path):
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed by the caller's process teardown
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pilkada_desk", "worker", "--pool=solo", "--loglevel=INFO",
         *(["-Q", queue] if queue else []), "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    return process, log


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.django_db(transaction=True)
def test_real_worker_on_redis_raises_flags_in_postgresql(election, tmp_path):
    database = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex[:8]}"
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    url = f"postgres://{database['USER']}@{host}/{database['NAME']}"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"DATABASE_URL": url, "DEBUG": "1"})
    process, log = start_worker(env, queue, tmp_path)
    try:
        result = app.send_task("check_compliance", kwargs={"at": "2024-11-20T20:30:00+08:00"}, queue=queue)
        summary = result.get(timeout=90)
    finally:
        stop(process)
        log.close()
    assert summary["missed_flags_raised"] == 2 * 20
    assert Flag.objects.filter(date=dt.date(2024, 11, 20)).count() == 2


def test_embedded_default_runs_the_task_on_the_filesystem_broker(tmp_path):
    base = embedded_env(tmp_path)
    for command in (["migrate", "--no-input", "-v0"], ["seed_demo"]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=base, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    # As under `make run`: one worker on every queue (check_compliance travels on its own).
    process, log = start_worker(base, None, tmp_path)
    try:
        sent = subprocess.run(
            [sys.executable, "-m", "celery", "-A", "pilkada_desk", "call", "check_compliance",
             "--kwargs", '{"at": "2024-11-20T20:30:00+08:00"}'],
            cwd=ROOT, env=base, capture_output=True, text=True, timeout=60,
        )
        assert sent.returncode == 0, sent.stderr
        deadline = time.monotonic() + 90
        count = 0
        while time.monotonic() < deadline and count == 0:
            time.sleep(1)
            with sqlite3.connect(tmp_path / "db.sqlite3") as db:
                count = db.execute(
                    "select count(*) from compliance_flag where date = '2024-11-20'").fetchone()[0]
    finally:
        stop(process)
        log.close()
    assert count == 10, (tmp_path / "worker.log").read_text()[-3000:]
    # The broker keeps all its files under VAR_DIR, none in the working directory.
    assert (tmp_path / "celery" / "control").is_dir() and not (ROOT / "control").exists()
