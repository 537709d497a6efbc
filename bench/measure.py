"""Each measurement beside its floor: the import vs COPY, compliance vs one anti-join, pages by the test client."""

import datetime as dt
import statistics
import time

from django.db import connection, transaction
from django.test import Client
from django.urls import Resolver404, resolve

from compliance.models import Flag, FlagKind
from compliance.run import flags_check
from elections.models import Election
from regions.importing import regions_import

PAGE_RUNS = 20
REPEATS = 3
BARE_REGION_TABLE = "bench_bare_region"


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def _ratio(ours, floor):
    return round(ours / floor, 2) if floor else None


def import_vs_copy(path):
    """`regions_import` of the file into the empty region tables, then COPY of the same file into a bare table."""
    with open(path, encoding="utf-8", newline="") as stream:
        seconds, result = _timed(regions_import, stream)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {BARE_REGION_TABLE} (code varchar(13) PRIMARY KEY, name varchar(100) NOT NULL)")
        with open(path, encoding="utf-8", newline="") as stream:
            copy_seconds, _ = _timed(
                cursor.copy_expert, f"COPY {BARE_REGION_TABLE} (code, name) FROM STDIN WITH (FORMAT csv, HEADER)",
                stream,
            )
        cursor.execute(f"SELECT count(*) FROM {BARE_REGION_TABLE}")
        copied = cursor.fetchone()[0]
    created = sum(counter["created"] for counter in result.counts.values())
    return {
        "seconds": round(seconds, 3), "copy_seconds": round(copy_seconds, 3), "ratio": _ratio(seconds, copy_seconds),
        "rows": created, "copied_rows": copied,
    }


MISSING_SQL = """
    SELECT r.code, d::date
    FROM elections_election e
    JOIN regions_regency r ON r.province_id = e.province_id
    CROSS JOIN LATERAL generate_series(e.reporting_start, LEAST(e.reporting_end, %(last)s), interval '1 day') AS d
    WHERE e.is_active
      AND NOT EXISTS (SELECT 1 FROM reports_dailyreport dr WHERE dr.election_id = e.id AND dr.regency_id = r.code
                      AND dr.report_date = d::date AND NOT dr.is_late)
      AND NOT EXISTS (SELECT 1 FROM reports_excusedday x WHERE x.election_id = e.id AND x.regency_id = r.code
                      AND x.date = d::date)
"""


def missing_by_sql(last):
    """The regency-days without an on-time report or an excuse, as one hand-written anti-join."""
    with connection.cursor() as cursor:
        cursor.execute(MISSING_SQL, {"last": last})
        return {(code, day) for code, day in cursor.fetchall()}


def _flagged_days():
    return set(Flag.objects.filter(kind=FlagKind.MISSED_DAILY_REPORT).values_list("regency_id", "date"))


def compliance_vs_sql(*, first, last, now, repeats=REPEATS):
    """Fresh runs of flags_check for the window first..last (flags cleared before each) vs the anti-join.

    Returns the measurement, the last run's flagged days and the anti-join's rows (to be compared).
    """
    Election.objects.filter(is_active=True).update(reporting_start=first)
    missing_by_sql(last)  # warm the cache for both sides alike
    ours, floor = [], []
    for _ in range(repeats):
        Flag.objects.all().delete()
        seconds, _summary = _timed(flags_check, now=now)
        ours.append(seconds)
        sql_seconds, expected = _timed(missing_by_sql, last)
        floor.append(sql_seconds)
    flagged = _flagged_days()
    result = _pair(ours, floor)
    result["regency_days"] = len(expected)
    return result, flagged, expected


def compliance_rerun(*, last, now, repeats=REPEATS):
    """flags_check again as of the same moment: nothing to raise or resolve."""
    before = Flag.objects.count()
    ours, floor = [], []
    for _ in range(repeats):
        seconds, summary = _timed(flags_check, now=now)
        ours.append(seconds)
        floor.append(_timed(missing_by_sql, last)[0])
    changed = Flag.objects.count() != before or summary.get("missed_flags_raised") or summary.get(
        "missed_flags_resolved")
    return _pair(ours, floor), not changed


def _pair(ours, floor):
    seconds, sql_seconds = statistics.median(ours), statistics.median(floor)
    return {"seconds": round(seconds, 4), "sql_seconds": round(sql_seconds, 4), "ratio": _ratio(seconds, sql_seconds)}


def route_missing(path):
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return True
    return False


def page_timing(user, path, runs=PAGE_RUNS):
    """Median server time in ms over `runs` GETs through the test client, and the query count of one."""
    client = Client()
    client.force_login(user)
    for _ in range(2):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} as {user.username}: HTTP {response.status_code}")
    queries = []
    with connection.execute_wrapper(lambda execute, sql, params, many, context: (
        queries.append(sql), execute(sql, params, many, context))[1]):
        client.get(path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1), len(queries)


def pages(*, scales, paths):
    """{page: {province_ms, large_ms, province_queries, large_queries}} or None with a reason when not built."""
    out = {}
    for name, make_path in paths.items():
        sample = make_path(scales["province"])
        if route_missing(sample):
            out[name] = None
            out[f"{name}_reason"] = f"{sample.split('?')[0]} is not served by this version of the project"
            continue
        row = {}
        for scale, target in scales.items():
            ms, queries = page_timing(target["user"], make_path(target))
            row[f"{scale}_ms"] = ms
            row[f"{scale}_queries"] = queries
        out[name] = row
    return out


def reference_now(last):
    """A moment after the cutoff of `last` in every Indonesian zone, and still `last` in each (21:30 WIB)."""
    return dt.datetime.combine(last, dt.time(14, 30), tzinfo=dt.UTC)


def national_dashboard(*, one_province):
    """The national desk's `/` over every active election, and again with only `one_province`'s active (in a
    transaction rolled back): median ms and the query count of one, to show the count does not grow."""
    from accounts.roles import Role
    from accounts.services import user_create_for_role

    user = user_create_for_role(username="bench-nasional", password="bench-nasional-12345", role=Role.NATIONAL)
    provinces = Election.objects.active().values("province").distinct().count()
    ms, queries = page_timing(user, "/")
    with transaction.atomic():
        Election.objects.active().exclude(province_id=one_province).update(is_active=False)
        one_ms, one_queries = page_timing(user, "/")
        transaction.set_rollback(True)
    return {"provinces": provinces, "national_ms": ms, "national_queries": queries,
            "one_province_ms": one_ms, "one_province_queries": one_queries}
