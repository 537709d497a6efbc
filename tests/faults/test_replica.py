"""Heavy reads from a streaming replica of our own (initdb, pg_basebackup): the dashboard reads the
replica while it keeps up, the primary right after the same browser wrote, when the replica lags too far
behind, and when it is gone; nothing fails."""

import time

import psycopg2
import pytest

from tests.factories import PASSWORD

from .services import PostgresCluster, StandbyCluster, app_env, free_port, manage, wait_until, web_login, web_server

pytestmark = pytest.mark.fault

MAX_LAG = 6

# The secretariat of Kaltim and an election around today, made on the primary.
MAKE_DESK = """
import datetime as dt
from django.utils import timezone
from tests import factories
kaltim = factories.province_make()
samarinda = factories.regency_make("64.72", "Kota Samarinda")
factories.election_make(kaltim, voting_day=timezone.localdate() + dt.timedelta(days=5), regencies=[samarinda])
factories.secretariat_make(kaltim)
"""


def sql(url, statement):
    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchone() if cursor.description else None
    finally:
        connection.close()


def regency_name(url):
    return sql(url, "SELECT name FROM regions_regency WHERE code = '64.72'")[0]


def rename(url, name):
    sql(url, f"UPDATE regions_regency SET name = '{name}' WHERE code = '64.72'")


@pytest.fixture
def clusters():
    primary = PostgresCluster()
    replica = None
    try:
        primary.create()
        sql(primary.url("postgres"), "CREATE DATABASE pilkada")
        setup = app_env(database_url=primary.url("pilkada"), redis_url=f"redis://127.0.0.1:{free_port()}/0")
        manage(setup, "migrate", "--no-input", "-v0")
        manage(setup, "shell", "-c", MAKE_DESK)
        replica = StandbyCluster(primary)
        replica.create()
        wait_until(lambda: sql(replica.url("pilkada"), "SELECT pg_is_in_recovery()")[0], what="the replica")
        yield primary, replica
    finally:
        if replica is not None:
            replica.destroy()
        primary.destroy()


def forget_writes(session):
    session.cookies.pop("desk_primary_until", None)


def test_dashboard_reads_the_replica_and_falls_back_to_the_primary(clusters, tmp_path):
    primary, replica = clusters
    env = app_env(database_url=primary.url("pilkada"), redis_url=f"redis://127.0.0.1:{free_port()}/0",
                  DATABASE_REPLICA_URL=replica.url("pilkada"), REPLICA_MAX_LAG_SECONDS=str(MAX_LAG))

    with web_server(env, tmp_path) as base:
        session, home = web_login(base, "sekretariat", PASSWORD)
        assert home.status_code == 200 and "Kota Samarinda" in home.text
        assert "desk_primary_until" in session.cookies  # signing in is a write

        # The replica has caught up with one change, then stops replaying: the next change is on the
        # primary only, and the replica is less than MAX_LAG seconds behind.
        rename(primary.url("pilkada"), "Kota Samarinda Satu")
        wait_until(lambda: regency_name(replica.url("pilkada")) == "Kota Samarinda Satu", what="replication")
        sql(replica.url("pilkada"), "SELECT pg_wal_replay_pause()")
        renamed_at = time.monotonic()
        rename(primary.url("pilkada"), "Kota Samarinda Dua")
        time.sleep(1.2)  # past the server's once-a-second check of the replica

        forget_writes(session)
        from_replica = session.get(f"{base}/", timeout=30)
        assert from_replica.status_code == 200
        assert "Kota Samarinda Satu" in from_replica.text and "Kota Samarinda Dua" not in from_replica.text

        # Right after a write of its own, the same browser reads the primary.
        wrote = session.post(f"{base}/i18n/setlang/", data={"language": "id", "next": "/",
                                                           "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                             headers={"Referer": f"{base}/"}, timeout=30)
        assert wrote.status_code == 200 and "Kota Samarinda Dua" in wrote.text

        # A replica too far behind is not read.
        forget_writes(session)
        time.sleep(max(0, MAX_LAG + 1.5 - (time.monotonic() - renamed_at)))
        lagging = session.get(f"{base}/", timeout=30)
        assert lagging.status_code == 200 and "Kota Samarinda Dua" in lagging.text

        # Caught up again: read from the replica again.
        sql(replica.url("pilkada"), "SELECT pg_wal_replay_resume()")
        rename(primary.url("pilkada"), "Kota Samarinda Tiga")
        wait_until(lambda: regency_name(replica.url("pilkada")) == "Kota Samarinda Tiga", what="replication")
        sql(replica.url("pilkada"), "SELECT pg_wal_replay_pause()")
        rename(primary.url("pilkada"), "Kota Samarinda Empat")
        time.sleep(1.2)
        again = session.get(f"{base}/", timeout=30)
        assert "Kota Samarinda Tiga" in again.text and "Kota Samarinda Empat" not in again.text

        # The replica gone: pages keep working, from the primary.
        replica.stop()
        time.sleep(1.2)
        for _ in range(3):
            gone = session.get(f"{base}/", timeout=30)
            assert gone.status_code == 200 and "Kota Samarinda Empat" in gone.text
        assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
