"""Redis carries only the jobs: with it down, the desk signs in, records and reads as usual,
the lockout still counts, and notices wait in the outbox until the broker is back."""

import datetime as dt
import subprocess
import sys

import pytest
import requests
from django.utils import timezone

from compliance.models import Notice, NoticeKind
from logistics.models import LogisticsReceipt
from reports.models import DailyReport
from tests import factories
from tests.factories import PASSWORD
from violations.models import ViolationIncident

from .services import ROOT, WORKER, RedisServer, app_env, celery, wait_until, web_login, web_server

pytestmark = pytest.mark.fault


@pytest.fixture
def desk(real_passwords, database_url):
    """An election around today, Samarinda's officer and the secretariat."""
    kaltim = factories.province_make()
    samarinda = factories.regency_make("64.72", "Kota Samarinda")
    today = timezone.localdate()
    election = factories.election_make(kaltim, voting_day=today + dt.timedelta(days=5), regencies=[samarinda])
    return {
        "election": election, "samarinda": samarinda, "officer": factories.officer_make(samarinda),
        "secretariat": factories.secretariat_make(kaltim),
    }


def test_desk_works_with_redis_down_and_notices_go_out_when_it_is_back(desk, database_url, tmp_path):
    redis = RedisServer(tmp_path)
    redis.start()
    redis.stop()  # the URL now points at nothing
    waiting = Notice.objects.create(
        key="flag:64.72:missed_daily_report:test", kind=NoticeKind.FLAG_RAISED, recipients=["sekretariat@example.org"],
        subject="Tanda kepatuhan", body="Kota Samarinda belum melapor.", created_at=timezone.now(),
    )
    env = app_env(database_url=database_url, redis_url=redis.url)
    officer, secretariat = desk["officer"], desk["secretariat"]

    with web_server(env, tmp_path) as base:
        # The officer signs in on the web and gets an API token.
        _, signed_in = web_login(base, officer.username, PASSWORD)
        assert signed_in.status_code == 200 and signed_in.url == f"{base}/", signed_in.text[:500]
        token = requests.post(f"{base}/api/v1/token/", json={"username": officer.username, "password": PASSWORD},
                              timeout=30)
        assert token.status_code == 200, token.text
        api = requests.Session()
        api.headers["Authorization"] = f"Token {token.json()['token']}"

        # ... and records a daily report, a logistics receipt and an incident.
        now = timezone.localtime()
        report = api.post(f"{base}/api/v1/daily-reports/", json={
            "regency": "64.72", "report_date": now.date().isoformat(), "situation": "conducive",
            "summary": "Tidak ada kejadian menonjol.", "sources": ["police"]}, timeout=30)
        assert report.status_code == 201, report.text
        receipt = api.post(f"{base}/api/v1/logistics/receipts/", json={
            "regency": "64.72", "item": "ink", "quantity_received": 4, "quantity_damaged": 0,
            "received_at": (now - dt.timedelta(hours=1)).isoformat(), "note": ""}, timeout=30)
        assert receipt.status_code == 201, receipt.text
        pair = desk["election"].contests.get(kind="governor").candidate_pairs.get(number=1)
        incident = api.post(f"{base}/api/v1/violations/", json={
            "regency": "64.72", "occurred_at": (now - dt.timedelta(hours=2)).isoformat(),
            "category": "money_politics", "candidate_pair": pair.pk, "origin": "finding",
            "description": "Amplop dibagikan di dekat pasar."}, timeout=30)
        assert incident.status_code == 201, incident.text

        # The secretariat reads the dashboard.
        session, home = web_login(base, secretariat.username, PASSWORD)
        assert home.status_code == 200 and "Kota Samarinda" in home.text

        # The lockout still counts: ten wrong passwords, then even the right one is refused.
        wrong = [requests.post(f"{base}/api/v1/token/", json={"username": officer.username, "password": "salah"},
                               timeout=30).status_code for _ in range(10)]
        assert wrong == [400] * 9 + [429]
        _, refused = web_login(base, officer.username, PASSWORD)
        assert refused.status_code == 429 and "Terlalu banyak percobaan" in refused.text

    assert DailyReport.objects.filter(regency_id="64.72").count() == 1
    assert LogisticsReceipt.objects.filter(regency_id="64.72").count() == 1
    assert ViolationIncident.objects.filter(regency_id="64.72").count() == 1
    waiting.refresh_from_db()
    assert waiting.sent_at is None and waiting.attempts == 0

    # The broker is back: the next scheduled run sends what waited in the outbox.
    redis.start()
    worker_env = {**env, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    try:
        with celery(worker_env, tmp_path / "worker.log", *WORKER):
            sent = subprocess.run([sys.executable, "-m", "celery", "-A", "pilkada_desk", "call", "check_compliance"],
                                  cwd=ROOT, env=worker_env, capture_output=True, text=True, timeout=60)
            assert sent.returncode == 0, sent.stderr
            wait_until(lambda: Notice.objects.filter(pk=waiting.pk, sent_at__isnull=False).exists(), timeout=90,
                       what="the waiting notice")
    finally:
        redis.stop()
    assert Notice.objects.get(pk=waiting.pk).attempts == 1
