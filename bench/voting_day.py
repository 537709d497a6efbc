"""Voting day at national scale: TPS statuses applied as sets, and the situation room at both scales.

For the measurement every active election's voting day becomes today (in
its zone) and is put back afterwards. Before the room is opened, every
regency gets its three round reports (three problem TPS in the opening
round) and most TPS a field status, written with set-based SQL like the rest
of the bench data (`bench.data`).
"""

import datetime as dt
import time
from collections import defaultdict
from contextlib import contextmanager

from django.db import connection

from elections.models import Election
from regions.models import PollingStation
from votingday.models import TpsStatus, VotingProblem, VotingRound
from votingday.services import tps_status_record, tps_statuses_record

from . import data, measure

# The set-based path: this many TPS statuses, offered in sets of APPLY_BATCH (per election).
APPLY_TPS = 50_000
APPLY_BATCH = 5_000
# The one-at-a-time path (what a single field message takes), for comparison.
SINGLE_TPS = 500
PROBLEMS_PER_REGENCY = 3
ROOM_PATHS = {"room": lambda scale: "/voting-day/", "panel": lambda scale: "/voting-day/panel/"}
# Per 100 TPS, by hash: no status below 7, problem below 8, open below 11, closed below 16, else counted;
# each state from its local time, spread over that many minutes.
FIELD_STATES = [(7, 8, "problem", "08:00", 300), (8, 11, "open", "07:00", 55), (11, 16, "closed", "13:00", 40),
                (16, 100, "counted", "15:30", 300)]


@contextmanager
def voting_day_today():
    """Every active election's voting day is today in its zone (quiet period the three days before), then back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, voting_day, quiet_period_start, quiet_period_end FROM elections_election "
                       "WHERE is_active")
        saved = cursor.fetchall()
        cursor.execute(
            "UPDATE elections_election e SET voting_day = x.today, quiet_period_start = x.today - 3, "
            "quiet_period_end = x.today - 1, reporting_end = greatest(e.reporting_end, x.today) "
            "FROM (SELECT e2.id, (now() AT TIME ZONE p.time_zone)::date AS today FROM elections_election e2 "
            "JOIN regions_province p ON p.code = e2.province_id) x WHERE x.id = e.id AND e.is_active"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE elections_election SET voting_day = %s, quiet_period_start = %s, quiet_period_end = %s "
                "WHERE id = %s", [(day, start, end, pk) for pk, day, start, end in saved])


def build_rounds():
    """Every regency's three round reports (on time or up to 15 minutes late), problems and their history."""
    before_round = data._scalar("SELECT coalesce(max(id), 0) FROM votingday_votinground")
    before_problem = data._scalar("SELECT coalesce(max(id), 0) FROM votingday_votingproblem")
    data._run(
        """
        WITH tps AS (SELECT regency_id, count(*) AS n FROM regions_pollingstation GROUP BY regency_id),
        due AS (
            SELECT e.id AS election_id, r.code, e.voting_day, p.time_zone, coalesce(tps.n, 0) AS total,
                   abs(hashtext(r.code)) %% 100 AS h, k.round, k.step,
                   ((e.voting_day + k.due) AT TIME ZONE p.time_zone)
                       + ((abs(hashtext(r.code || k.round)) %% 50) - 35) * interval '1 minute' AS at,
                   (e.voting_day + k.due) AT TIME ZONE p.time_zone AS deadline
            FROM regions_regency r
            JOIN elections_election e ON e.province_id = r.province_id AND e.is_active
            JOIN regions_province p ON p.code = r.province_id
            LEFT JOIN tps ON tps.regency_id = r.code
            CROSS JOIN LATERAL (VALUES ('opening', e.opening_round_due, 1), ('closing', e.closing_round_due, 2),
                                       ('counting', e.counting_round_due, 3)) AS k(round, due, step)
        )
        INSERT INTO votingday_votinground (election_id, regency_id, round, day, tps_total, tps_opened, tps_closed,
                                           tps_counted, turnout_percent, summary, order_confirmed, submitted_by_id,
                                           submitted_at, is_late)
        SELECT election_id, code, round, voting_day, total, total,
               CASE WHEN step >= 2 THEN greatest(total - h %% 3, 0) ELSE 0 END,
               CASE WHEN step = 3 THEN greatest(total - h %% 3 - h %% 4, 0) ELSE 0 END,
               CASE WHEN step = 3 THEN (62 + (h %% 140) / 10.0)::numeric(4, 1) END,
               'Pemungutan suara berjalan lancar di sebagian besar TPS.', false, u.id, at, at > deadline
        FROM due JOIN auth_user u ON u.username = 'desk-' || code
        """
    )
    data._run(
        """
        INSERT INTO votingday_votingproblem (voting_round_id, tps_id, kind, note)
        SELECT vr.id, t.id,
               (ARRAY['late_opening','logistics_shortage','disturbance','weather','other'])[t.k %% 5 + 1],
               'Dilaporkan pada tahap pembukaan, TPS ' || t.number
        FROM votingday_votinground vr
        CROSS JOIN LATERAL (
            SELECT id, number, row_number() OVER (ORDER BY id) AS k FROM regions_pollingstation ps
            WHERE ps.regency_id = vr.regency_id ORDER BY id LIMIT %s
        ) t
        WHERE vr.round = 'opening' AND vr.id > %s
        """,
        [PROBLEMS_PER_REGENCY, before_round],
    )
    data._history_copy(VotingRound, "id > %s", [before_round])
    data._history_copy(VotingProblem, "id > %s", [before_problem])


def build_statuses():
    """Most TPS of every active election get a field status (the TPS that have one keep it)."""
    states = ", ".join(f"({low}, {high}, '{state}', time '{start}', {spread})"
                       for low, high, state, start, spread in FIELD_STATES)
    return data._run(
        f"""
        INSERT INTO votingday_tpsstatus (election_id, tps_id, regency_id, status, at, source, note)
        SELECT e.id, t.id, t.regency_id, s.status,
               ((e.voting_day + s.start) AT TIME ZONE p.time_zone) + (t.id %% s.spread) * interval '1 minute',
               'bench', CASE WHEN s.status = 'problem' THEN 'Kotak suara rusak; KPPS menunggu pengganti.' ELSE '' END
        FROM regions_pollingstation t
        JOIN regions_regency r ON r.code = t.regency_id
        JOIN elections_election e ON e.province_id = r.province_id AND e.is_active
        JOIN regions_province p ON p.code = r.province_id
        CROSS JOIN LATERAL (SELECT abs(hashtext(t.id::text)) %% 100 AS h) x
        JOIN (VALUES {states}) AS s(low, high, status, start, spread) ON x.h >= s.low AND x.h < s.high
        ON CONFLICT (election_id, tps_id) DO NOTHING
        """
    )


def _apply_targets(count, away_from):
    """{election: [(tps_id, regency)]}: `count` TPS, those outside the provinces `away_from` first (the room's
    provinces keep the statuses `build_statuses` gives them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.id, t.id, t.regency_id FROM regions_pollingstation t "
            "JOIN regions_regency r ON r.code = t.regency_id "
            "JOIN elections_election e ON e.province_id = r.province_id AND e.is_active "
            "ORDER BY r.province_id = ANY(%s), t.id LIMIT %s",
            [list(away_from), count],
        )
        targets = defaultdict(list)
        for election_id, tps_id, regency in cursor.fetchall():
            targets[election_id].append((tps_id, regency))
    elections = Election.objects.in_bulk(list(targets))
    return {elections[pk]: stations for pk, stations in targets.items()}


def _rows(targets, status, hour, spread, batch):
    """The sets to offer: (election, rows) of at most `batch` rows, `status` from `hour` local."""
    sets = []
    for election, stations in targets.items():
        start = dt.datetime.combine(election.voting_day, dt.time(hour, 0), tzinfo=election.zone)
        rows = [(tps_id, regency, status, start + dt.timedelta(minutes=index % spread), "sms", "")
                for index, (tps_id, regency) in enumerate(stations)]
        sets += [(election, rows[i:i + batch]) for i in range(0, len(rows), batch)]
    return sets


def _apply_pass(sets):
    queries = []
    with connection.execute_wrapper(lambda execute, sql, params, many, context: (
            queries.append(sql), execute(sql, params, many, context))[1]):
        start = time.perf_counter()
        changed = sum(tps_statuses_record(election=election, rows=rows) for election, rows in sets)
        seconds = time.perf_counter() - start
    offered = sum(len(rows) for _election, rows in sets)
    return {"offered": offered, "changed": changed, "batch": max(len(rows) for _election, rows in sets),
            "seconds": round(seconds, 3), "per_second": round(offered / seconds),
            "queries_per_set": round(len(queries) / len(sets), 1)}


def apply_passes():
    """(name, status, local hour, spread in minutes, set size) of each pass over the same TPS."""
    return [("opened", "open", 7, 55, APPLY_BATCH), ("closed", "closed", 13, 40, APPLY_BATCH),
            ("counted", "counted", 15, 40, APPLY_BATCH // 5 or 1), ("stale", "open", 7, 55, APPLY_BATCH)]


def tps_status_apply(*, away_from):
    """APPLY_TPS statuses as sets: each TPS opens (new rows), closes, finishes counting (changed rows, in
    smaller sets), then its opening arrives again (older than the stored: nothing changes); then SINGLE_TPS of
    them corrected one at a time from the web (`tps_status_record`, what one field message takes)."""
    targets = _apply_targets(APPLY_TPS, away_from)
    passes = {name: _apply_pass(_rows(targets, status, hour, spread, batch))
              for name, status, hour, spread, batch in apply_passes()}
    offered = sum(p["offered"] for p in passes.values())
    seconds = sum(p["seconds"] for p in passes.values())
    single = [(election, tps_id) for election, stations in targets.items() for tps_id, _regency in stations]
    single = single[:SINGLE_TPS]
    stations = PollingStation.objects.select_related("regency").in_bulk([tps_id for _election, tps_id in single])
    start = time.perf_counter()
    for election, tps_id in single:
        tps_status_record(tps=stations[tps_id], status="counted", note="", source="web",
                          at=dt.datetime.combine(election.voting_day, dt.time(17, 0), tzinfo=election.zone))
    single_seconds = time.perf_counter() - start
    applied_ids = [tps_id for stations_ in targets.values() for tps_id, _regency in stations_]
    stored = {tps_id: (status, source) for tps_id, status, source in
              TpsStatus.objects.filter(tps_id__in=applied_ids).values_list("tps_id", "status", "source")}
    single_ids = {tps_id for _election, tps_id in single}
    as_meant = sum(stored.get(tps_id) == ("counted", "web" if tps_id in single_ids else "sms")
                   for tps_id in applied_ids)
    return {
        "statuses": len(applied_ids), "batch": APPLY_BATCH, "elections": len(targets),
        "per_second": round(offered / seconds), "passes": passes,
        "single_statuses": len(single), "single_per_second": round(len(single) / single_seconds),
        "stored_as_meant": as_meant,
    }


def _built(scales):
    """What the room reads, counted: for the self-check and the report."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n), 0), count(*), count(*) FILTER (WHERE n = 3) "
            "FROM (SELECT regency_id, count(*) AS n FROM votingday_votinground GROUP BY regency_id) x"
        )
        rounds, regencies_with_rounds, regencies_with_three = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM regions_regency r JOIN elections_election e "
                       "ON e.province_id = r.province_id AND e.is_active")
        regencies = cursor.fetchone()[0]
        per_scale = {}
        for name, scale in scales.items():
            # Meant: the TPS the hash gives a status, and those the measurement applied.
            cursor.execute(
                "SELECT count(*), count(s.id), count(*) FILTER (WHERE abs(hashtext(t.id::text)) %% 100 >= %s "
                "OR s.source <> 'bench'), count(*) FILTER (WHERE s.status = 'problem') FROM regions_pollingstation t "
                "LEFT JOIN votingday_tpsstatus s ON s.tps_id = t.id WHERE t.regency_id LIKE %s",
                [FIELD_STATES[0][0], f"{scale['code']}.%"],
            )
            tps, with_status, meant, problem = cursor.fetchone()
            per_scale[name] = {"tps": tps, "tps_with_status": with_status, "tps_meant": meant,
                               "problem_statuses": problem}
    return {"rounds": int(rounds), "regencies": regencies, "regencies_with_rounds": regencies_with_rounds,
            "regencies_with_three_rounds": regencies_with_three, "problems": VotingProblem.objects.count(),
            "statuses": TpsStatus.objects.count(), "scales": per_scale}


def run(scales, log=print):
    """{"tps_status_apply": ..., "voting_day": ...}: the sets applied, then the room at both scales."""
    with voting_day_today():
        log("  voting day is today; applying TPS statuses as sets")
        applied = tps_status_apply(away_from=[scale["code"] for scale in scales.values()])
        build_rounds()
        build_statuses()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE votingday_tpsstatus, votingday_votinground, votingday_votingproblem")
        log("  rounds and statuses built; opening the situation room")
        room = measure.pages(scales=scales, paths=ROOM_PATHS)
        room["built"] = _built(scales)
    return {"tps_status_apply": applied, "voting_day": room}


def table(results):
    """The voting-day lines under the bench's table."""
    room, applied, scales = results["voting_day"], results["tps_status_apply"], results["scales"]
    built = room["built"]["scales"]
    lines = [
        "",
        f"| voting day (median of 20, test client) | Kaltim ({scales['province']['regencies']} regencies, "
        f"{built['province']['tps']:,} TPS) | largest province {scales['large']['province']} "
        f"({scales['large']['regencies']}, {built['large']['tps']:,} TPS) | queries |",
        "|---|---|---|---|",
    ]
    for key, label in (("room", "situation room /voting-day/"), ("panel", "its refresh /voting-day/panel/")):
        row = room[key]
        lines.append(f"| {label} | {row['province_ms']} ms | {row['large_ms']} ms "
                     f"| {row['province_queries']} / {row['large_queries']} |")
    passes = applied["passes"]
    lines += [
        "",
        f"| TPS statuses, {applied['statuses']:,} TPS, each pass | sets of | statuses/s | queries per set |",
        "|---|---|---|---|",
        *[f"| {name} | {p['batch']:,} | {p['per_second']:,} | {p['queries_per_set']} |" for name, p in passes.items()],
        f"| all passes | | {applied['per_second']:,} | |",
        f"| one at a time (tps_status_record), {applied['single_statuses']} | 1 | {applied['single_per_second']:,} | |",
    ]
    return "\n".join(lines)
