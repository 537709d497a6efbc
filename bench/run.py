"""`make bench`: build a national database, measure each path beside its floor, print a table, write var/bench.json.

Environment:
- BENCH_REGIONS: a Kemendagri `code,name` file to import (else one with the
  national counts is generated under var/);
- BENCH_DATABASE_URL: the PostgreSQL database to drop and recreate (default:
  the server of DATABASE_URL, database `pilkada_bench_data`);
- BENCH_REDIS_URL: the Redis database the field messages queue on, emptied (default: a throwaway
  redis-server on a free loopback port).
"""

import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
GROWTH_FACTORS = (1, 2, 4)


def _database_url():
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pilkada_desk")
    if not base.startswith("postgres"):
        base = "postgres://postgres@127.0.0.1:5432/pilkada_desk"
    return urlunsplit(urlsplit(base)._replace(path="/pilkada_bench_data"))


def _recreate_database(url):
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def _machine():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cores": os.cpu_count(), "ram_gib": round(memory / 2**30, 1), "postgresql": version,
        "python": platform.python_version(), "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


STARTED = time.monotonic()


def _log(message):
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def main():
    url = _database_url()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("CONN_MAX_AGE", "60")
    VAR.mkdir(exist_ok=True)
    sys.path.insert(0, str(ROOT))
    _log(f"recreating {urlsplit(url).path.lstrip('/')}")
    _recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    from bench import checks, data, intake, load, measure, report, voting_day
    from bench.regions_file import write_generated

    call_command("migrate", verbosity=0)
    regions_path = os.environ.get("BENCH_REGIONS")
    if regions_path:
        regions_source = f"Kemendagri file {Path(regions_path).name}"
    else:
        regions_path = VAR / "bench-regions.csv"
        write_generated(regions_path)
        regions_source = "generated with the national counts"
    _log(f"migrated; importing regions ({regions_source})")
    results = {"machine": _machine(), "regions_source": regions_source}
    results["cores"] = results["machine"]["cores"]
    results["import"] = measure.import_vs_copy(regions_path)
    problems = checks.regions(regions_path, results["import"])
    _log(f"import {results['import']}")

    today = dt.datetime.now(dt.UTC).date()
    _log("building TPS, users, elections, 60 days of reports, incidents, receipts, deliveries")
    first, last = data.build_all(today, log=_log)
    results["sizes"] = checks.sizes()
    problems += checks.built(results["sizes"], days=data.REPORT_DAYS)
    now = measure.reference_now(last)

    _log("compliance: one day, the whole window, an unchanged second run")
    results["compliance_day"], flagged, expected = measure.compliance_vs_sql(first=last, last=last, now=now)
    problems += checks.same_days("compliance for one day", flagged, expected)
    results["compliance_window"], flagged, expected = measure.compliance_vs_sql(first=first, last=last, now=now)
    problems += checks.same_days("compliance for the window", flagged, expected)
    results["compliance_rerun"], unchanged = measure.compliance_rerun(last=last, now=now)
    if not unchanged:
        problems.append("the second compliance run changed flags")

    _log("pages at province (Kaltim) and largest-province scale")
    scales = checks.scales()
    results["scales"] = {name: {"province": s["code"], "regencies": s["regencies"]} for name, s in scales.items()}
    results.update(measure.pages(scales=scales, paths=report.PAGE_PATHS))

    _log("the national dashboard: every province, and one")
    results["national_dashboard"] = measure.national_dashboard(one_province=scales["province"]["code"])

    _log("growth: compliance and dashboard at 1x, 2x, 4x the days")
    results["growth"] = _growth(data, measure, scales, first=first, last=last, now=now)

    _log("submission throughput through gunicorn")
    results["submit"], submit_problems = _submit(data, load, first=first, days=data.REPORT_DAYS * GROWTH_FACTORS[-1])
    problems += submit_problems

    _log("voting day: TPS statuses applied as sets, the situation room at both scales")
    results.update(voting_day.run(scales, log=_log))
    problems += checks.voting_day(results)

    _log("field messages: signed webhooks through gunicorn, applied by a Celery worker of two processes")
    results["intake"] = intake.measure_all(var=VAR, log=_log)
    problems += checks.intake(results["intake"])
    results["total_seconds"] = round(time.monotonic() - STARTED, 1)

    if problems:
        print("\nThe bench's own checks failed; no timings are reported:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    (VAR / "bench.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    print()
    print(report.table(results))
    print(voting_day.table(results))
    print()
    print(intake.table(results["intake"]))
    print(f"\nwritten to {VAR / 'bench.json'}")
    return 0


def _growth(data, measure, scales, *, first, last, now):
    """The compliance run over 60, 120 and 240 days of reports, and the dashboard at the largest province."""
    from elections.models import Election

    growth = {"factors": list(GROWTH_FACTORS), "days": [], "compliance_seconds": [], "sql_seconds": [],
              "dashboard_ms": []}
    have = data.REPORT_DAYS
    for factor in GROWTH_FACTORS:
        days = data.REPORT_DAYS * factor
        start = last - dt.timedelta(days=days - 1)
        if days > have:
            data.add_report_days(start, last - dt.timedelta(days=have))
            data.analyze()
            have = days
        Election.objects.filter(is_active=True).update(reporting_start=start)
        run, _flagged, _expected = measure.compliance_vs_sql(first=start, last=last, now=now, repeats=1)
        ms, _queries = measure.page_timing(scales["large"]["user"], "/")
        growth["days"].append(days)
        growth["compliance_seconds"].append(run["seconds"])
        growth["sql_seconds"].append(run["sql_seconds"])
        growth["dashboard_ms"].append(ms)
    return growth


def _submit(data, load, *, first, days):
    """Bare insert view vs the daily-report API on one gunicorn; every created report must be stored."""
    from django.db import connection

    from bench.views import BARE_TABLE
    from elections.models import Election
    from regions.models import Regency
    from reports.models import DailyReport

    # Dates before all the generated reports are free: open the window far enough back for them.
    free_until = first - dt.timedelta(days=days)
    Election.objects.filter(is_active=True).update(reporting_start=free_until - dt.timedelta(days=3000))
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {BARE_TABLE} (id bigserial PRIMARY KEY, regency varchar(5) NOT NULL, "
            "report_date date NOT NULL, summary text NOT NULL, created_at timestamptz NOT NULL)"
        )
    codes = list(Regency.objects.order_by("code").values_list("code", flat=True))
    step = max(len(codes) // load.CLIENTS, 1)
    chosen = codes[::step][: load.CLIENTS]
    tokens = data.tokens_for([f"desk-{code}" for code in chosen])
    connection.close()  # the gunicorn workers get their own connections
    problems = []
    with load.Gunicorn({"DATABASE_URL": os.environ["DATABASE_URL"]}, VAR / "bench-gunicorn.log") as server:
        bare_rps, bare_count, bare_failed, _ids = load.hammer(
            server.port, "/bench/bare-insert/",
            [({"Content-Type": "application/json"}, load.report_bodies(code, free_until)) for code in chosen],
        )
        rps, count, failed, ids = load.hammer(
            server.port, "/api/v1/daily-reports/",
            [
                ({"Content-Type": "application/json", "Authorization": f"Token {tokens[f'desk-{code}']}"},
                 load.report_bodies(code, free_until))
                for code in chosen
            ],
        )
    stored = DailyReport.objects.filter(pk__in=ids).count()
    stored_all = DailyReport.objects.filter(report_date__lte=free_until).count()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {BARE_TABLE}")
        bare_stored = cursor.fetchone()[0]
    if failed or bare_failed:
        problems.append(f"submissions failed: {failed} reports, {bare_failed} bare inserts")
    if stored != count or stored_all != count:
        problems.append(f"{count} reports accepted but {stored} ({stored_all} in the range) stored")
    if bare_stored != bare_count:
        problems.append(f"{bare_count} bare inserts accepted but {bare_stored} stored")
    result = {
        "rps": round(rps, 1), "bare_rps": round(bare_rps, 1), "ratio": round(rps / bare_rps, 2) if bare_rps else None,
        "submitted": count, "bare_inserted": bare_count, "clients": load.CLIENTS, "workers": load.WORKERS,
        "seconds_each": load.SECONDS,
    }
    return result, problems


if __name__ == "__main__":
    sys.exit(main())
