"""Field messages at national scale: signed WhatsApp webhooks accepted through gunicorn beside a bare insert of
the body, then applied by a Celery worker of two processes on the `intake` queue, as production runs them.

The field: every regency's officer (their account's phone), the lurah/kades of every VILLAGE_STEP-th village and
the camat of every DISTRICT_STEP-th district, and today made voting day (local) so TPS statuses apply. The mix
of messages per hundred: TPS statuses from the villages, INFO notes, NIHIL/LAPOR from the officers, a few
unrecognised texts and a few numbers nobody registered.

Redis: BENCH_REDIS_URL (its database is emptied), else a throwaway redis-server on a free loopback port.
"""

import hashlib
import hmac
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from . import load
from .data import _history_copy, _run
from .views import BARE_WEBHOOK_TABLE

APP_SECRET = "bench-whatsapp-app-secret"
PHONE_NUMBER_ID = "106540352242922"
VILLAGE_STEP = 4
DISTRICT_STEP = 2
# Per hundred messages: below TPS_BELOW a TPS status, then INFO, officer reports, unrecognised text, strangers.
TPS_BELOW, INFO_BELOW, REPORT_BELOW, UNKNOWN_BELOW = 45, 80, 90, 95
STRANGERS = 2000
QUERY_BATCHES = (20, 100)
APPLY_TIMEOUT_SECONDS = 600
# The worker drains at least this many messages: when the webhooks brought fewer, more are stored through the
# webhook's service (their jobs queued the same way), so the rate is not that of a few batches.
APPLY_AT_LEAST = 6000
# Message ids new to the database at every run (a delivery seen before is stored once only).
RUN = f"{int(time.time()):x}"
WORKER_ARGS = ["worker", "-Q", "intake", "--concurrency", str(load.WORKERS), "--loglevel=WARNING",
               "--without-heartbeat", "--without-gossip", "--without-mingle"]


# --- the field ----------------------------------------------------------------------------------------------


def build_contacts():
    """Officers of every regency, village and district contacts (every n-th), with their history versions."""
    from contacts.models import Contact

    _run(
        """
        INSERT INTO contacts_contact (phone, name, role, regency_id, district_id, village_id, user_id, active,
                                      created_at)
        SELECT '+62811' || lpad(row_number() OVER (ORDER BY r.code)::text, 8, '0'), 'Petugas ' || r.name,
               'officer', r.code, NULL, NULL, u.id, true, now()
        FROM regions_regency r JOIN auth_user u ON u.username = 'desk-' || r.code
        UNION ALL
        SELECT '+62812' || lpad(n::text, 8, '0'), 'Kepala ' || name, CASE WHEN n %% 3 = 0 THEN 'lurah' ELSE 'kades' END,
               regency_id, district_id, code, NULL, true, now()
        FROM (SELECT v.code, v.name, v.district_id, d.regency_id, row_number() OVER (ORDER BY v.code) AS n
              FROM regions_village v JOIN regions_district d ON d.code = v.district_id) v
        WHERE n %% %(villages)s = 1 %% %(villages)s
        UNION ALL
        SELECT '+62813' || lpad(n::text, 8, '0'), 'Camat ' || name, 'camat', regency_id, code, NULL, NULL, true, now()
        FROM (SELECT code, name, regency_id, row_number() OVER (ORDER BY code) AS n FROM regions_district) d
        WHERE n %% %(districts)s = 1 %% %(districts)s
        """,
        {"villages": VILLAGE_STEP, "districts": DISTRICT_STEP},
    )
    _history_copy(Contact, "true")
    return Contact.objects.count()


def make_voting_day():
    """Every active election votes today in its own zone (its quiet period the three days before)."""
    return _run(
        """
        UPDATE elections_election e
        SET voting_day = (now() AT TIME ZONE p.time_zone)::date,
            quiet_period_start = (now() AT TIME ZONE p.time_zone)::date - 3,
            quiet_period_end = (now() AT TIME ZONE p.time_zone)::date - 1
        FROM regions_province p WHERE p.code = e.province_id AND e.is_active
        """
    )


def senders():
    """{"officers": [phone], "villages": [(phone, highest TPS number)], "districts": [phone]} without the '+'."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT substr(phone, 2) FROM contacts_contact WHERE role = 'officer' ORDER BY phone")
        officers = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT substr(c.phone, 2), (SELECT max(number) FROM regions_pollingstation s "
            "WHERE s.village_id = c.village_id) FROM contacts_contact c WHERE c.village_id IS NOT NULL ORDER BY c.phone"
        )
        villages = [(phone, top) for phone, top in cursor.fetchall() if top]
        cursor.execute("SELECT substr(phone, 2) FROM contacts_contact WHERE role = 'camat' ORDER BY phone")
        districts = [row[0] for row in cursor.fetchall()]
    return {"officers": officers, "villages": villages, "districts": districts}


TPS_WORDS = ("BUKA", "TUTUP", "SELESAI", "MASALAH")
SITUATIONS = ("AMAN", "AMAN", "AMAN", "WASPADA", "RAWAN")


def field_texts(field, seed):
    """An endless, deterministic stream of (sender without '+', text) in the voting-day mix."""
    rng = random.Random(seed)
    anyone = field["districts"] + [phone for phone, _top in field["villages"]]
    while True:
        roll = rng.randrange(100)
        if roll < TPS_BELOW:
            phone, top = rng.choice(field["villages"])
            note = " Antrean panjang, logistik kurang." if rng.random() < 0.2 else ""
            yield phone, f"TPS {rng.randint(1, top)} {rng.choice(TPS_WORDS)}{note}"
        elif roll < INFO_BELOW:
            yield rng.choice(anyone), f"INFO Pencoblosan tertib, warga antre sejak pagi ({rng.randrange(999)})."
        elif roll < REPORT_BELOW:
            officer = rng.choice(field["officers"])
            yield officer, ("NIHIL Tidak ada kejadian menonjol" if rng.random() < 0.5
                            else f"LAPOR {rng.choice(SITUATIONS)} Pencoblosan berjalan, tidak ada gangguan berarti.")
        elif roll < UNKNOWN_BELOW:
            yield rng.choice(anyone), "Selamat pagi pak, mohon petunjuk"
        else:
            yield f"62819{rng.randrange(STRANGERS):08d}", "INFO ada pembagian amplop di dekat TPS"


def whatsapp_payload(phone, text, message_id, at):
    """One message in the Cloud API's notification shape."""
    return {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Pengirim"}, "wa_id": phone}],
            "messages": [{"from": phone, "id": message_id, "timestamp": str(int(at.timestamp())), "type": "text",
                          "text": {"body": text}}],
        },
        "field": "messages",
    }]}]}


def signed_requests(field, client):
    """(headers, body) of signed webhook deliveries for one client thread, each message id new."""
    for number, (phone, text) in enumerate(field_texts(field, seed=client)):
        body = json.dumps(whatsapp_payload(phone, text, f"wamid.BENCH{RUN}{client:03d}{number:09d}",
                                           timezone.now())).encode()
        signature = hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        yield {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={signature}"}, body


# --- Redis --------------------------------------------------------------------------------------------------


@contextmanager
def redis_for_bench(log_path):
    """A Redis URL whose database is the bench's alone: BENCH_REDIS_URL (emptied) or a throwaway server."""
    import redis

    url = os.environ.get("BENCH_REDIS_URL")
    process = None
    if not url:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        port = load.free_port()
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", load.HOST, "--save", "", "--appendonly", "no"],
            stdout=open(log_path, "w"), stderr=subprocess.STDOUT,  # noqa: SIM115 - the child owns it
        )
        url = f"redis://{load.HOST}:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client.flushdb()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url, client
    finally:
        client.flushdb()
        client.close()
        if process is not None:
            process.terminate()
            process.wait(timeout=30)


def _queued(client, queue):
    return client.llen(queue)


# --- acceptance: the webhook vs a bare insert of the body -------------------------------------------------------


def accept(*, field, redis_url, var, seconds=load.SECONDS):
    """Signed deliveries per second through gunicorn: the webhook vs a bare view that inserts the body."""
    from intake.models import InboundMessage

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {BARE_WEBHOOK_TABLE} (id bigserial PRIMARY KEY, "
                       "body text NOT NULL, received_at timestamptz NOT NULL)")
    before = InboundMessage.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {BARE_WEBHOOK_TABLE}")
        bare_before = cursor.fetchone()[0]
    connection.close()
    env = {"DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url,
           "WHATSAPP_APP_SECRET": APP_SECRET}
    clients = range(load.CLIENTS)
    with load.Gunicorn(env, var / "bench-intake-gunicorn.log") as server:
        bare_rps, bare_count, bare_failed, _ = load.post_all(
            server.port, "/bench/bare-webhook/", [signed_requests(field, 500 + c) for c in clients], seconds,
            expect=200)
        rps, count, failed, _ = load.post_all(
            server.port, "/intake/whatsapp/", [signed_requests(field, c) for c in clients], seconds, expect=200)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {BARE_WEBHOOK_TABLE}")
        bare_stored = cursor.fetchone()[0] - bare_before
    return {
        "accept_rps": round(rps, 1), "bare_rps": round(bare_rps, 1),
        "ratio": round(rps / bare_rps, 2) if bare_rps else None,
        "accepted": count, "failed": failed, "stored": InboundMessage.objects.count() - before,
        "bare_accepted": bare_count, "bare_failed": bare_failed, "bare_stored": bare_stored,
        "clients": load.CLIENTS, "workers": load.WORKERS, "seconds_each": seconds,
    }


# --- application: a Celery worker of two processes on the intake queue ------------------------------------------


@contextmanager
def celery_worker(env, log_path):
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen([sys.executable, "-m", "celery", "-A", "pilkada_desk", *WORKER_ARGS],
                               env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def apply(*, redis_url, redis_client, var):
    """Start the worker on the queue the webhooks filled; messages applied per second, from the first claimed
    until none is left."""
    from django.db.models import Count, Min

    from intake.constants import State
    from intake.models import InboundMessage, OutboundMessage

    ids = list(InboundMessage.objects.filter(state=State.RECEIVED).values_list("pk", flat=True))
    these = InboundMessage.objects.filter(pk__in=ids)
    queued = _queued(redis_client, "intake")
    started = time.monotonic()
    env = {"DATABASE_URL": os.environ["DATABASE_URL"], "REDIS_URL": redis_url, "CELERY_BROKER_URL": redis_url}
    with celery_worker(env, var / "bench-intake-worker.log") as worker:
        deadline = time.monotonic() + APPLY_TIMEOUT_SECONDS
        cpu_at_first = None
        while these.filter(state=State.RECEIVED).exists() and time.monotonic() < deadline and worker.poll() is None:
            if cpu_at_first is None and these.filter(state=State.DONE).exists():
                cpu_at_first = _cpu_now(worker.pid)
            time.sleep(0.1)
        finished = timezone.now()
        wall = time.monotonic() - started
        cpu_at_last = _cpu_now(worker.pid)
    left = these.filter(state=State.RECEIVED).count()
    # From the first claim (its applied_at, the worker's clock: this machine's) to the moment none was left.
    first = these.filter(state=State.DONE).aggregate(first=Min("applied_at"))["first"]
    seconds = (finished - first).total_seconds() if first else 0
    outcomes = {f"{row['kind']}/{row['outcome']}": row["n"]
                for row in these.values("kind", "outcome").annotate(n=Count("pk")).order_by("kind", "outcome")}
    applied = len(ids) - left
    return {
        "apply_rps": round(applied / seconds, 1) if seconds else None, "applied": applied, "left": left,
        "queued_apply": queued, "seconds": round(seconds, 2), "wall_seconds": round(wall, 2),
        "replies": OutboundMessage.objects.filter(inbound__in=ids).count(),
        "queued_send": _queued(redis_client, "notices"),
        "replies_missing": these.exclude(reply="").filter(outbound__isnull=True).count(), "outcomes": outcomes,
        "worker_processes": load.WORKERS,
        # CPU per message of the worker's processes from the first applied to the last: on an otherwise idle
        # machine the throughput is at most about cores x 1000 / it (less PostgreSQL's and Redis's share).
        "worker_cpu_ms_per_message": _per_message_ms(cpu_at_first, cpu_at_last, applied),
    }


def _cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _cpu_now(worker_pid):
    """CPU seconds so far of the worker's processes, by pid."""
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == worker_pid:
                        children.append(int(entry))
            except OSError:
                continue
    seconds = {pid: _cpu_seconds(pid) for pid in [worker_pid, *children]}
    return {pid: value for pid, value in seconds.items() if value is not None}


def _per_message_ms(first, last, count):
    """CPU ms per message of the processes seen at both moments; None when there were none."""
    both = (first or {}).keys() & last.keys()
    if not both or not count:
        return None
    return round(sum(last[pid] - first[pid] for pid in both) * 1000 / count, 2)


# --- queries per message -------------------------------------------------------------------------------------------


def queries_per_message(*, field, batches=QUERY_BATCHES):
    """Queries to apply the mix, per message, at each batch size (stored first, then applied as the worker does)."""
    from intake.providers import whatsapp_events
    from intake.services import webhook_store
    from intake.tasks import intake_apply

    out = {}
    texts = field_texts(field, seed=9000)
    for size in batches:
        events = []
        for number in range(size):
            phone, text = next(texts)
            payload = whatsapp_payload(phone, text, f"wamid.QUERIES{RUN}{size:04d}{number:06d}", timezone.now())
            found, _statuses = whatsapp_events(payload)
            events += found
        ids = webhook_store(events=events, statuses=[], now=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            for pk in ids:
                intake_apply(pk)
        out[size] = round(len(queries) / len(ids), 2)
    return out


def publish_to(redis_url):
    """The jobs this process queues go to `redis_url`, where the webhooks' went (a new connection pool)."""
    from pilkada_desk.celery import app

    app.conf.broker_url = redis_url
    app._pool = None
    app.amqp._producer_pool = None


def top_up(*, field, count):
    """Store `count` more messages of the mix through the webhook's service, their jobs queued as a webhook's."""
    from intake.providers import whatsapp_events
    from intake.services import webhook_store

    texts = field_texts(field, seed=7000)
    for start in range(0, max(count, 0), 100):
        events = []
        for number in range(start, min(start + 100, count)):
            phone, text = next(texts)
            events += whatsapp_events(whatsapp_payload(phone, text, f"wamid.MORE{RUN}{number:07d}", timezone.now()))[0]
        webhook_store(events=events, statuses=[], now=timezone.now())
    return max(count, 0)


def measure_all(*, var, log=print):
    """The `intake` key of bench.json."""
    from intake.models import InboundMessage

    contacts = build_contacts()
    make_voting_day()
    _run("ANALYZE contacts_contact")
    field = senders()
    log(f"  {contacts} contacts; accepting webhooks")
    with redis_for_bench(var / "bench-intake-redis.log") as (redis_url, redis_client):
        publish_to(redis_url)
        result = {"contacts": contacts, **accept(field=field, redis_url=redis_url, var=var)}
        result["topped_up"] = top_up(field=field, count=APPLY_AT_LEAST - result["stored"])
        log(f"  accepted {result['accepted']} ({result['accept_rps']}/s, bare {result['bare_rps']}/s), "
            f"{result['topped_up']} more stored; applying")
        result.update(apply(redis_url=redis_url, redis_client=redis_client, var=var))
        log(f"  applied {result['applied']} ({result['apply_rps']}/s); queries per message")
        result["queries_per_message"] = queries_per_message(field=field)
    result["messages"] = InboundMessage.objects.count()
    return result


def table(result):
    """The lines the bench prints (and the docs paste) for the field messages."""
    queries = " / ".join(f"{q} at {size}" for size, q in result["queries_per_message"].items())
    cpu = f"{result['worker_cpu_ms_per_message']} ms of the worker's CPU"
    return "\n".join([
        "| field messages | ours | floor | ratio |",
        "|---|---|---|---|",
        f"| WhatsApp webhook POST (signed), {result['clients']} clients, {result['workers']} gunicorn workers vs a "
        f"bare insert of the body | {result['accept_rps']} req/s | {result['bare_rps']} req/s | {result['ratio']} |",
        f"| applied by a Celery worker of {result['worker_processes']} processes, {result['applied']} messages "
        f"(CPU per message: {cpu}; queries per message {queries}) | {result['apply_rps']} msg/s | "
        "target 200 msg/s | |",
    ])
