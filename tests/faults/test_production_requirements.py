"""requirements.txt alone runs the web app, a Celery worker and beat on Redis: the environment
`.venv-prod` that `make test` builds from it (and nothing else) is put to work here."""

import datetime as dt
import subprocess

import pytest
import requests
from celery import Celery
from rest_framework.authtoken.models import Token

from compliance.models import Flag

from .services import ROOT, WORKER, RedisServer, app_env, celery, wait_until, web_server

pytestmark = pytest.mark.fault

PROD = ROOT / ".venv-prod"
PYTHON = PROD / "bin" / "python"
# Beat runs the every-5-minutes check first after 5 minutes; a schedule that ran it an hour ago fires at once.
# Django set up first, as in any process of the site (logging configured): the app's configuration is then loaded
# with every error logged where a deployment sees it.
SCHEDULE_RAN_AN_HOUR_AGO = """
import datetime as dt, sys
import django
django.setup()
from celery.beat import PersistentScheduler
from pilkada_desk.celery import app
scheduler = PersistentScheduler(app=app, schedule_filename=sys.argv[1])
scheduler.schedule["every-5-minutes-check-compliance"].last_run_at = app.now() - dt.timedelta(hours=1)
scheduler.sync()
scheduler.close()
"""


@pytest.fixture(scope="module")
def prod_python():
    stamp = PROD / ".installed"
    if not stamp.exists() or stamp.stat().st_mtime < (ROOT / "requirements.txt").stat().st_mtime:
        pytest.fail(".venv-prod is missing or older than requirements.txt: `make test` builds it")
    return str(PYTHON)


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, **kwargs)


def test_pip_check_is_clean(prod_python):
    done = run([prod_python, "-m", "pip", "check"], {})
    assert done.returncode == 0, done.stdout + done.stderr


def test_worker_and_beat_from_requirements_run_check_compliance_on_redis(prod_python, election, database_url,
                                                                          tmp_path):
    redis = RedisServer(tmp_path)
    redis.start()
    # The production settings (DEBUG off), as a deployment starts them.
    env = app_env(database_url=database_url, redis_url=redis.url, debug=False,
                  DJANGO_SETTINGS_MODULE="pilkada_desk.settings")
    schedule = str(tmp_path / "beat-schedule")
    try:
        with celery(env, tmp_path / "worker.log", *WORKER, python=prod_python):
            summary = Celery("probe", broker=redis.url, backend=redis.url).send_task(
                "check_compliance", kwargs={"at": "2024-11-20T20:30:00+08:00"}).get(timeout=120)
            assert summary["missed_flags_raised"] == 2 * 20
            assert Flag.objects.filter(date=dt.date(2024, 11, 20)).count() == 2

            seeded = run([prod_python, "-c", SCHEDULE_RAN_AN_HOUR_AGO, schedule], env)
            assert seeded.returncode == 0 and "Traceback" not in seeded.stderr, seeded.stderr
            beat = ["beat", "--loglevel=INFO", f"--schedule={schedule}"]
            with celery(env, tmp_path / "beat.log", *beat, python=prod_python):
                # received and succeeded, for the test's run and for beat's
                wait_until(lambda: (tmp_path / "worker.log").read_text().count("Task check_compliance[") >= 4,
                           timeout=90, what="the check sent by beat")
    finally:
        redis.stop()
    worker, beat = (tmp_path / "worker.log").read_text(), (tmp_path / "beat.log").read_text()
    # A deployment's first log is clean: no traceback at all, logged or printed.
    assert worker.count("succeeded in") == 2 and "Traceback" not in worker, worker[-3000:]
    assert "Sending due task every-5-minutes-check-compliance" in beat and "Traceback" not in beat, beat[-3000:]


def test_gunicorn_from_requirements_serves_the_api(prod_python, officer, samarinda, database_url, tmp_path):
    token = Token.objects.create(user=officer).key
    env = app_env(database_url=database_url, redis_url="redis://127.0.0.1:9/0", debug=False)
    with web_server(env, tmp_path, python=prod_python) as base:
        response = requests.get(f"{base}/api/v1/regencies/", headers={"Authorization": f"Token {token}"}, timeout=30)
    assert response.status_code == 200 and response.json()["results"][0]["code"] == "64.72"
