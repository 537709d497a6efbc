"""bin/backup then bin/restore into a new database gives the same desk: same summary, same rows, same files."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from tests.desk_records import desk_records_make
from violations.models import IncidentEvidence

ROOT = Path(settings.BASE_DIR)


def database_url(name):
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def run(args, url, media, **kwargs):
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media), "DEBUG": "1"}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, **kwargs)


def region_summary(url, media):
    result = run([sys.executable, "manage.py", "region_summary", "--json"], url, media, check=True)
    return json.loads(result.stdout)


def row_counts(url):
    """Rows of every table in the database (desk records, their history, master data, users)."""
    with psycopg2.connect(url.replace("postgres://", "postgresql://", 1)) as conn, conn.cursor() as cursor:
        cursor.execute("select tablename from pg_tables where schemaname = 'public' order by tablename")
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'select count(*) from "{table}"')
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


@pytest.fixture
def restore_database():
    """A new, empty database on the same server, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(database_url("postgres").replace("postgres://", "postgresql://", 1))
    admin.autocommit = True
    admin.cursor().execute(f'create database "{name}"')
    yield database_url(name)
    admin.cursor().execute(f'drop database if exists "{name}" with (force)')
    admin.close()


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_new_database_with_identical_summary_counts_and_files(
    election, samarinda, balikpapan, officer, secretariat, restore_database, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    desk_records_make(election=election, samarinda=samarinda, balikpapan=balikpapan, officer=officer,
                      secretariat=secretariat)
    source = database_url(connection.settings_dict["NAME"])
    backup_dir = tmp_path / "backup"

    made = run(["bin/backup", str(backup_dir)], source, settings.MEDIA_ROOT)
    assert made.returncode == 0, made.stderr
    restored_media = tmp_path / "restored-media"
    restored = run(["bin/restore", str(backup_dir)], restore_database, restored_media)
    assert restored.returncode == 0, restored.stderr

    assert region_summary(restore_database, restored_media) == region_summary(source, settings.MEDIA_ROOT)
    before, after = row_counts(source), row_counts(restore_database)
    assert after == before
    for table in ("reports_dailyreport", "reports_historicaldailyreport", "violations_violationincident",
                  "violations_incidentevidence", "logistics_logisticsreceipt", "compliance_flag", "compliance_notice"):
        assert after[table] > 0, table
    evidence = IncidentEvidence.objects.get()
    assert (restored_media / evidence.file.name).read_bytes() == (settings.MEDIA_ROOT / evidence.file.name).read_bytes()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_already_has_tables(kaltim, restore_database, tmp_path):
    source = database_url(connection.settings_dict["NAME"])
    assert run(["bin/backup", str(tmp_path / "b")], source, tmp_path / "m").returncode == 0
    assert run(["bin/restore", str(tmp_path / "b")], restore_database, tmp_path / "m2").returncode == 0

    again = run(["bin/restore", str(tmp_path / "b")], restore_database, tmp_path / "m2")

    assert again.returncode == 1 and "restore into a new, empty one" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_backup(kaltim, restore_database, tmp_path):
    source = database_url(connection.settings_dict["NAME"])
    assert run(["bin/backup", str(tmp_path / "b")], source, tmp_path / "m").returncode == 0
    with open(tmp_path / "b" / "database.dump", "ab") as dump:
        dump.write(b"x")

    damaged = run(["bin/restore", str(tmp_path / "b")], restore_database, tmp_path / "m2")

    assert damaged.returncode == 1 and "damaged" in damaged.stderr
    assert row_counts(restore_database) == {}
