"""The bench checks its own data before it reports a timing: counts match what was meant to be built."""

import csv
from collections import Counter

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum

from elections.models import Contest, Election
from logistics.models import LogisticsItem, LogisticsReceipt
from regions.constants import level_of
from regions.models import District, PollingStation, Province, Regency, Village
from reports.models import DailyReport, ExcusedDay
from violations.models import ViolationIncident

from . import data

KALTIM = "64"


def regions(path, imported):
    """Every row of the file is in the database at its level, and COPY saw the same rows."""
    with open(path, encoding="utf-8", newline="") as stream:
        in_file = Counter(level_of(row[0].strip()) for row in list(csv.reader(stream))[1:] if row)
    in_db = {
        "province": Province.objects.count(), "regency": Regency.objects.count(),
        "district": District.objects.count(), "village": Village.objects.count(),
    }
    problems = [
        f"{level}: {in_file[level]} in the file, {count} imported" for level, count in in_db.items()
        if in_file[level] != count
    ]
    if imported["rows"] != sum(in_file.values()) or imported["copied_rows"] != sum(in_file.values()):
        problems.append(f"import created {imported['rows']}, COPY {imported['copied_rows']}, "
                        f"file {sum(in_file.values())} rows")
    return problems


def sizes():
    return {
        "provinces": Province.objects.count(), "regencies": Regency.objects.count(),
        "districts": District.objects.count(), "villages": Village.objects.count(),
        "tps": PollingStation.objects.count(),
        "voters": PollingStation.objects.aggregate(total=Sum("voters"))["total"],
        "active_elections": Election.objects.filter(is_active=True).count(),
        "contests": Contest.objects.count(),
        "daily_reports": DailyReport.objects.count(), "excused_days": ExcusedDay.objects.count(),
        "report_days": data.REPORT_DAYS,
        "incidents": ViolationIncident.objects.count(), "receipts": LogisticsReceipt.objects.count(),
        "users": get_user_model().objects.count(),
    }


def built(found, *, days):
    regencies, provinces = found["regencies"], found["provinces"]
    missed = _missed_without_excuse(days)
    wanted = {
        "tps": data.TPS_TOTAL, "voters": data.VOTERS_TOTAL, "active_elections": provinces,
        "contests": provinces + regencies, "incidents": data.INCIDENTS,
        "receipts": regencies * LogisticsItem.objects.count() * data.RECEIPT_BATCHES,
    }
    problems = [f"{key}: {found[key]} built, {value} meant" for key, value in wanted.items() if found[key] != value]
    # Every regency-day is exactly one of: reported (on time or late), excused, missed.
    if found["daily_reports"] + found["excused_days"] + missed != regencies * days:
        problems.append(
            f"reports {found['daily_reports']} + excused {found['excused_days']} + missed {missed} "
            f"!= {regencies} regencies x {days} days"
        )
    per_regency = DailyReport.objects.values("regency").annotate(n=Count("pk")).filter(n__gt=days)
    if per_regency.exists():
        problems.append("a regency has more reports than days")
    return problems


def voting_day(results):
    """Three rounds per regency, the TPS of both scales with a status as meant, every set applied as meant."""
    built, applied = results["voting_day"]["built"], results["tps_status_apply"]
    problems = []
    if built["rounds"] != 3 * built["regencies"] or built["regencies_with_three_rounds"] != built["regencies"]:
        problems.append(f"voting day: {built['rounds']} rounds for {built['regencies']} regencies "
                        f"({built['regencies_with_three_rounds']} with three)")
    for name, scale in built["scales"].items():
        if scale["tps_with_status"] != scale["tps_meant"]:
            problems.append(f"voting day at {name}: {scale['tps_with_status']} TPS with a status, "
                            f"{scale['tps_meant']} meant (of {scale['tps']})")
    meant = {"opened": applied["statuses"], "closed": applied["statuses"], "counted": applied["statuses"], "stale": 0}
    problems += [f"TPS statuses, {name}: {p['changed']} changed, {meant[name]} meant"
                 for name, p in applied["passes"].items() if p["changed"] != meant[name]]
    if applied["stored_as_meant"] != applied["statuses"]:
        problems.append(f"TPS statuses: {applied['stored_as_meant']} of {applied['statuses']} stored as applied")
    return problems


def _missed_without_excuse(days):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM regions_regency r JOIN elections_election e ON e.province_id = r.province_id "
            "CROSS JOIN generate_series(e.reporting_start, e.reporting_start + %s - 1, interval '1 day') g "
            "WHERE NOT EXISTS (SELECT 1 FROM reports_dailyreport d WHERE d.regency_id = r.code "
            "AND d.report_date = g::date) AND NOT EXISTS (SELECT 1 FROM reports_excusedday x "
            "WHERE x.regency_id = r.code AND x.date = g::date)",
            [days],
        )
        return cursor.fetchone()[0]


def same_days(what, flagged, expected):
    if flagged == expected:
        return []
    return [f"{what}: {len(flagged)} regency-days flagged, the anti-join finds {len(expected)} "
            f"({len(flagged - expected)} extra, {len(expected - flagged)} not flagged)"]


def scales():
    """Kaltim (10 regencies) and the province with the most regencies, each with its secretariat user."""
    User = get_user_model()
    largest = Province.objects.annotate(n=Count("regencies")).order_by("-n", "code").first()
    out = {}
    for name, code in (("province", KALTIM), ("large", largest.code)):
        regencies = list(Regency.objects.filter(province_id=code).order_by("code").values_list("code", flat=True))
        out[name] = {
            "code": code, "regencies": len(regencies), "regency": regencies[0],
            "user": User.objects.get(username=f"sekretariat-{code}"),
        }
    return out


def intake(result):
    """Every accepted webhook stored once and queued once; every stored message applied, its reply queued once."""
    problems = []
    if result["failed"] or result["bare_failed"]:
        problems.append(f"webhooks failed: {result['failed']}, bare inserts failed: {result['bare_failed']}")
    more = result.get("topped_up", 0)
    if result["accepted"] != result["stored"] or result["stored"] + more != result["queued_apply"]:
        problems.append(f"{result['accepted']} webhooks accepted, {result['stored']} messages stored (and {more} "
                        f"more), {result['queued_apply']} queued to apply")
    if result["bare_accepted"] != result["bare_stored"]:
        problems.append(f"{result['bare_accepted']} bare webhooks accepted but {result['bare_stored']} stored")
    if result["left"] or result["applied"] != result["stored"] + more:
        problems.append(f"{result['stored'] + more} messages stored, {result['applied']} applied, "
                        f"{result['left']} left")
    if result["replies_missing"] or result["replies"] != result["queued_send"]:
        problems.append(f"{result['replies']} replies written, {result['queued_send']} queued to send, "
                        f"{result['replies_missing']} messages with a reply but no outbox row")
    seen = set(result["outcomes"])
    if not ({"tps/applied", "info/applied", "info/unregistered", "unknown/refused"} <= seen
            and seen & {"nil_report/applied", "report/applied"}):
        problems.append(f"the mix did not reach every path: {sorted(result['outcomes'])}")
    return problems
