"""The national data set, written with set-based SQL (the build is not what the bench measures).

Everything is deterministic: a regency-day's fate (on time, late, missed,
excused) follows from a hash of its code and date, so two runs build the same
rows. Regions come from `regions_import` (measured separately).
"""

import datetime as dt
import secrets

from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from accounts.services import roles_ensure
from logistics.constants import ExpectedRule
from logistics.models import LogisticsItem

TPS_TOTAL = 435_000
VOTERS_TOTAL = 203_000_000
VOTERS_PER_TPS = VOTERS_TOTAL // TPS_TOTAL  # 466; the remainder goes one voter each to the first TPS
INCIDENTS = 20_000
RECEIPT_BATCHES = 2
REPORT_DAYS = 60

# Per 100 regency-days, by hash: on time below 85, late below 92, missed below 97, else excused.
ON_TIME_BELOW, LATE_BELOW, MISSED_BELOW = 85, 92, 97


def _run(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _scalar(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _history_copy(model, where_sql, params=()):
    """Insert a '+' history version for each row of `model` matching `where_sql` (as services would)."""
    history = model.history.model
    source_columns = {field.column for field in model._meta.concrete_fields}
    columns = [
        field.column for field in history._meta.concrete_fields
        if field.column in source_columns and field.column != "id"
    ]
    names = ", ".join(columns)
    return _run(
        f"INSERT INTO {history._meta.db_table} (id, {names}, history_date, history_type, history_change_reason) "
        f"SELECT id, {names}, now(), '+', NULL FROM {model._meta.db_table} WHERE {where_sql}",
        params,
    )


def build_tps():
    villages = _scalar("SELECT count(*) FROM regions_village")
    base, extra = divmod(TPS_TOTAL, villages)
    remainder = VOTERS_TOTAL - VOTERS_PER_TPS * TPS_TOTAL
    # Voters vary by up to 149 around the mean in pairs that cancel, so the total is exact.
    return _run(
        """
        INSERT INTO regions_pollingstation (village_id, regency_id, number, voters, location, vulnerabilities)
        SELECT code, regency_id, n,
               %(mean)s + (k <= %(remainder)s)::int
                 + CASE WHEN k %% 2 = 1 THEN ((k + 1) / 2) %% 150 ELSE -(((k + 1) / 2) %% 150) END,
               'regular', '[]'::jsonb
        FROM (
            SELECT v.code, v.regency_id, n, row_number() OVER (ORDER BY v.code, n) AS k
            FROM (SELECT code, regency_id, row_number() OVER (ORDER BY md5(code)) AS rn FROM regions_village) v
            CROSS JOIN LATERAL generate_series(1, %(base)s + (v.rn <= %(extra)s)::int) AS n
        ) numbered
        """,
        {"mean": VOTERS_PER_TPS, "remainder": remainder, "base": base, "extra": extra},
    )


def build_users():
    """One officer per regency (`desk-<code>`), one secretariat per province (`sekretariat-<code>`)."""
    groups = roles_ensure()
    _run(
        """
        INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                               is_active, date_joined)
        SELECT '!bench', false, 'desk-' || code, '', '', 'desk-' || code || '@bench.invalid', false, true, now()
        FROM regions_regency
        UNION ALL
        SELECT '!bench', false, 'sekretariat-' || code, '', '', 'sekretariat-' || code || '@bench.invalid',
               false, true, now()
        FROM regions_province
        """
    )
    _run(
        "INSERT INTO accounts_deskprofile (user_id, regency_id, province_id, phone, full_name, position, nip) "
        "SELECT id, substr(username, 6), NULL, '', '', '', '' FROM auth_user WHERE username LIKE 'desk-%%' "
        "UNION ALL SELECT id, NULL, substr(username, 13), '', '', '', '' FROM auth_user "
        "WHERE username LIKE 'sekretariat-%%'"
    )
    _run(
        "INSERT INTO auth_user_groups (user_id, group_id) "
        "SELECT id, CASE WHEN username LIKE 'desk-%%' THEN %s ELSE %s END FROM auth_user",
        [groups[Role.OFFICER].pk, groups[Role.SECRETARIAT].pk],
    )


def tokens_for(usernames):
    """{username: API token} for the given users, created now."""
    tokens = {}
    with connection.cursor() as cursor:
        for username in usernames:
            key = secrets.token_hex(20)
            cursor.execute(
                "INSERT INTO authtoken_token (key, created, user_id) "
                "SELECT %s, now(), id FROM auth_user WHERE username = %s",
                [key, username],
            )
            tokens[username] = key
    return tokens


def build_elections(today):
    """One active election per province, the governor's and every regency's contest, 2-4 pairs each."""
    voting_day = today + dt.timedelta(days=7)
    _run(
        """
        INSERT INTO elections_election (name, province_id, voting_day, quiet_period_start, quiet_period_end,
                                        reporting_start, reporting_end, daily_cutoff, logistics_deadline,
                                        is_active)
        SELECT 'Pilkada ' || name, code, %(voting)s, %(quiet_start)s, %(quiet_end)s, %(start)s, %(end)s,
               time '20:00', (%(voting)s::date + time '00:00') AT TIME ZONE time_zone, true
        FROM regions_province
        """,
        {
            "voting": voting_day, "quiet_start": voting_day - dt.timedelta(days=3),
            "quiet_end": voting_day - dt.timedelta(days=1), "start": today - dt.timedelta(days=REPORT_DAYS),
            "end": voting_day + dt.timedelta(days=19),
        },
    )
    _run(
        "INSERT INTO elections_contest (election_id, kind, regency_id) "
        "SELECT id, 'governor', NULL FROM elections_election "
        "UNION ALL SELECT e.id, 'local', r.code FROM regions_regency r "
        "JOIN elections_election e ON e.province_id = r.province_id"
    )
    _run(
        "INSERT INTO elections_candidatepair (contest_id, number, names) "
        "SELECT c.id, n, 'Pasangan ' || n || ' ' || coalesce(c.regency_id, 'gubernur') "
        "FROM elections_contest c CROSS JOIN LATERAL generate_series(1, 2 + abs(hashtext(c.id::text)) %% 3) n"
    )


def add_report_days(first, last):
    """Reports, excuses and their history for every regency and day from `first` to `last`."""
    span = {"first": first, "last": last, "on_time": ON_TIME_BELOW, "late": LATE_BELOW, "missed": MISSED_BELOW}
    days = """
        FROM regions_regency r
        JOIN elections_election e ON e.province_id = r.province_id AND e.is_active
        JOIN regions_province p ON p.code = r.province_id
        CROSS JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS g
        CROSS JOIN LATERAL (SELECT g::date AS d, abs(hashtext(r.code || g::date::text)) %% 100 AS h) x
    """
    before = _scalar("SELECT coalesce(max(id), 0) FROM reports_dailyreport")
    reports = _run(
        f"""
        INSERT INTO reports_dailyreport (election_id, regency_id, report_date, situation, summary, sources,
                                         district_notes, submitted_by_id, submitted_at, is_late, review_comment,
                                         version)
        SELECT e.id, r.code, x.d,
               CASE WHEN x.h %% 13 = 0 THEN 'alert' WHEN x.h %% 31 = 0 THEN 'disrupted' ELSE 'conducive' END,
               'Situasi aman dan kondusif; tidak ada kejadian menonjol di ' || r.name || '.',
               '["kpu", "police"]'::jsonb, '{{}}'::jsonb, u.id,
               CASE WHEN x.h < %(on_time)s THEN (x.d + time '17:00') AT TIME ZONE p.time_zone
                    ELSE (x.d + 1 + time '09:30') AT TIME ZONE p.time_zone END,
               x.h >= %(on_time)s, '', 1
        {days}
        JOIN auth_user u ON u.username = 'desk-' || r.code
        WHERE x.h < %(late)s
        """,
        span,
    )
    excused = _run(
        f"""
        INSERT INTO reports_excusedday (election_id, regency_id, date, reason, excused_by_id, excused_at)
        SELECT e.id, r.code, x.d, 'Gangguan jaringan di ' || r.name, u.id,
               (x.d + 1 + time '10:00') AT TIME ZONE p.time_zone
        {days}
        JOIN auth_user u ON u.username = 'sekretariat-' || r.province_id
        WHERE x.h >= %(missed)s
        """,
        span,
    )
    from reports.models import DailyReport

    _history_copy(DailyReport, "id > %s", [before])
    return reports, excused


def build_incidents(start, end):
    """INCIDENTS incidents spread over the regencies and the window, in every workflow state."""
    from violations.models import ViolationIncident

    minutes = int((end - start).total_seconds() // 60)
    _run(
        """
        WITH regs AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS n FROM regions_regency),
        total AS (SELECT count(*) AS n FROM regions_regency),
        rows AS (
            SELECT i, regs.code, %(start)s::timestamptz + ((i * 7919) %% %(minutes)s) * interval '1 minute' AS at,
                   (ARRAY['recorded','recorded','recorded','recorded','recorded','recorded','recorded','recorded',
                          'forwarded','forwarded','forwarded','forwarded','under_review','under_review',
                          'under_review','concluded','concluded','concluded','withdrawn','withdrawn'])[i %% 20 + 1]
                       AS status
            FROM generate_series(1, %(count)s) AS i
            CROSS JOIN total JOIN regs ON regs.n = i %% total.n
        )
        INSERT INTO violations_violationincident (election_id, regency_id, occurred_at, category, origin,
            description, status, outcome, forwarded_to, reference, reported_by_id, reported_at, version)
        SELECT e.id, rows.code, rows.at,
               (ARRAY['money_politics','neutrality','campaign_outside_schedule','black_campaign','sara',
                      'misuse_of_facilities','campaign_finance','intimidation','official_misconduct','other'])
                   [i %% 10 + 1],
               CASE WHEN i %% 3 = 0 THEN 'public_report' ELSE 'finding' END,
               'Dugaan pelanggaran nomor ' || i || ' di ' || rows.code,
               rows.status,
               CASE WHEN rows.status = 'concluded' THEN 'administrative' ELSE '' END,
               CASE WHEN rows.status IN ('forwarded','under_review','concluded') THEN 'bawaslu' ELSE '' END,
               CASE WHEN rows.status IN ('forwarded','under_review','concluded') THEN 'REG-' || i ELSE '' END,
               u.id, rows.at + interval '2 hours', 1
        FROM rows
        JOIN regions_regency r ON r.code = rows.code
        JOIN elections_election e ON e.province_id = r.province_id AND e.is_active
        JOIN regions_province p ON p.code = r.province_id
        JOIN auth_user u ON u.username = 'desk-' || rows.code
        """,
        {"start": start, "minutes": minutes, "count": INCIDENTS},
    )
    _history_copy(ViolationIncident, "true")


def build_receipts(today):
    """Two deliveries of every catalogue item per regency; about one regency in seven falls short."""
    from logistics.models import LogisticsReceipt

    items = list(LogisticsItem.objects.all())
    assert all(item.spare_per_mille == 25 for item in items if item.rule == ExpectedRule.BALLOTS_WITH_SPARE)
    received = dt.datetime.combine(today - dt.timedelta(days=5), dt.time(3, 0), tzinfo=dt.UTC)
    rows = _run(
        """
        WITH tps AS (
            SELECT regency_id, count(*) AS n, sum((voters * 1025 + 999) / 1000) AS ballots
            FROM regions_pollingstation GROUP BY regency_id
        ),
        expected AS (
            SELECT tps.regency_id, i.id AS item_id,
                   CASE WHEN i.rule = %(ballots)s THEN tps.ballots ELSE tps.n * i.per_tps END AS quantity,
                   abs(hashtext(tps.regency_id || i.code)) %% 100 AS h
            FROM tps CROSS JOIN logistics_logisticsitem i
        )
        INSERT INTO logistics_logisticsreceipt (election_id, regency_id, item_id, quantity_received,
            quantity_damaged, received_at, note, over_expected_confirmed, confirmed_by_id, created_at, version)
        SELECT e.id, x.regency_id, x.item_id,
               CASE WHEN b = 1 THEN x.quantity * 6 / 10
                    ELSE x.quantity - x.quantity * 6 / 10 - CASE WHEN x.h < 3 THEN x.quantity / 20 ELSE 0 END END,
               CASE WHEN x.h < 3 THEN x.quantity / 20 ELSE 0 END,
               %(received)s::timestamptz + b * interval '1 day', '', false, u.id,
               %(received)s::timestamptz + b * interval '1 day' + interval '1 hour', 1
        FROM expected x
        JOIN regions_regency r ON r.code = x.regency_id
        JOIN elections_election e ON e.province_id = r.province_id AND e.is_active
        JOIN regions_province p ON p.code = r.province_id
        JOIN auth_user u ON u.username = 'desk-' || x.regency_id
        CROSS JOIN generate_series(1, %(batches)s) AS b
        """,
        {"ballots": ExpectedRule.BALLOTS_WITH_SPARE, "received": received, "batches": RECEIPT_BATCHES},
    )
    _history_copy(LogisticsReceipt, "true")
    return rows


def build_deliveries(today):
    """Onward distribution: most districts, more than half the villages, about 40% of the TPS reached."""
    reached = today - dt.timedelta(days=2)
    common = "SELECT e.id, {regency}, %(reached)s::date, u.id, now(), {key} FROM {table} t " \
             "JOIN regions_regency r ON r.code = {regency} " \
             "JOIN elections_election e ON e.province_id = r.province_id AND e.is_active " \
             "JOIN auth_user u ON u.username = 'desk-' || r.code WHERE abs(hashtext({hashed})) %% 100 < {share}"
    for table, target, key, regency, hashed, share in [
        ("regions_district", "logistics_districtdelivery", "district_id", "t.regency_id", "t.code", 80),
        ("regions_village", "logistics_villagedelivery", "village_id", "t.regency_id", "t.code", 60),
        ("regions_pollingstation", "logistics_tpsdelivery", "polling_station_id", "t.regency_id", "t.id::text", 40),
    ]:
        source_key = "t.id" if table == "regions_pollingstation" else "t.code"
        _run(
            f"INSERT INTO {target} (election_id, regency_id, reached_on, recorded_by_id, recorded_at, {key}) "
            + common.format(regency=regency, key=source_key, table=table, hashed=hashed, share=share),
            {"reached": reached},
        )


def analyze():
    """VACUUM ANALYZE: the steady state autovacuum reaches (statistics, visibility map for index-only scans)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def build_all(today, log=print):
    """Everything below the regions, as of `today` (UTC date); returns the report window's first and last day."""
    first = today - dt.timedelta(days=REPORT_DAYS)
    last = today - dt.timedelta(days=1)
    start = dt.datetime.combine(first, dt.time(0, 0), tzinfo=dt.UTC)
    for step, args in (
        (build_tps, ()), (build_users, ()), (build_elections, (today,)), (add_report_days, (first, last)),
        (build_incidents, (start, timezone.now() - dt.timedelta(hours=3))), (build_receipts, (today,)),
        (build_deliveries, (today,)), (analyze, ()),
    ):
        step(*args)
        log(f"  {step.__name__} done")
    return first, last
