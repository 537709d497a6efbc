"""Submission throughput: gunicorn on a free loopback port, 16 client threads for a bounded time.

Traffic goes to 127.0.0.1 only; each client loop stops at the deadline or
after MAX_REQUESTS_PER_CLIENT, whichever comes first.
"""

import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
WORKERS = 2
CLIENTS = 16
SECONDS = 20
MAX_REQUESTS_PER_CLIENT = 5000


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with the bench settings, started and stopped by this process only."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        self.log_path = log_path
        self.process = None

    def __enter__(self):
        binary = Path(sys.executable).with_name("gunicorn")
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            [str(binary), "pilkada_desk.wsgi:application", "--workers", str(WORKERS), "--bind",
             f"{HOST}:{self.port}", "--access-logfile", "-", "--log-level", "warning"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = request("GET", self.port, "/accounts/login/")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer on port {self.port}; see {self.log_path}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def request(method, port, path, body=None, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def hammer(port, path, clients, seconds=SECONDS):
    """Run one thread per client; each posts the JSON bodies its iterator gives until time runs out.

    `clients` is a list of (headers, iterator of JSON bodies). Returns (requests per second of
    successful posts, their count, the failed count, the ids of the created rows).
    """
    rps, count, failed, answers = post_all(port, path, [_as_json(headers, bodies) for headers, bodies in clients],
                                           seconds, expect=201)
    return rps, count, failed, [json.loads(content)["id"] for content in answers]


def _as_json(headers, bodies):
    for body in bodies:
        yield headers, json.dumps(body)


def post_all(port, path, clients, seconds=SECONDS, *, expect):
    """One thread per client posting the (headers, body) its iterator gives until time runs out.

    Returns (answers with status `expect` per second, their count, the other answers' count, their bodies).
    """
    answers, failures = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(requests):
        mine, failed = [], 0
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                break
            headers, body = next(requests)
            status, content = request("POST", port, path, body, headers)
            if status == expect:
                mine.append(content)
            else:
                failed += 1
        with lock:
            answers.extend(mine)
            failures.append(failed)

    threads = [threading.Thread(target=client, args=(requests,)) for requests in clients]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    return len(answers) / elapsed, len(answers), sum(failures), answers


def report_bodies(regency, last_day):
    """Reports for `regency`, one date after another going back from `last_day`."""
    day = last_day
    while True:
        yield {
            "regency": regency, "report_date": day.isoformat(), "situation": "conducive",
            "summary": "Situasi aman dan kondusif; tidak ada kejadian menonjol.", "sources": ["kpu", "police"],
        }
        day -= dt.timedelta(days=1)
