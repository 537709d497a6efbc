"""Throwaway services for the fault tests: a redis-server, a PostgreSQL cluster and the web app
under gunicorn, each on a free port of its own (the machine's shared servers are never touched)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
TEST_SECRET_KEY = "fault-tests-" + "k" * 50


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, *, timeout=30, what="the service"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not come up within {timeout} s")


def port_answers(port):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def stop(process, *, timeout=20):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class RedisServer:
    """`redis-server` on its own port, in memory only; start() again brings it back on the same port."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: port_answers(self.port), what="redis-server")

    def stop(self):
        if self.process is not None:
            stop(self.process)
            self.process = None
        wait_until(lambda: not port_answers(self.port), what="redis-server shutdown")


def app_env(*, database_url, redis_url, debug=True, **extra):
    """The environment of a deployed process: its own DATABASE_URL and REDIS_URL."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_BROKER_URL"}}
    env.update({"DATABASE_URL": database_url, "REDIS_URL": redis_url, "DEBUG": "1" if debug else "0",
                "CONN_MAX_AGE": "60"})
    if not debug:
        env.update({"SECRET_KEY": TEST_SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"})
    env.update(extra)
    return env


@contextmanager
def web_server(env, tmp_path, *, python=sys.executable):
    """The site under gunicorn (one worker) on a free port; yields its base URL."""
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [python, "-m", "gunicorn", "pilkada_desk.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: process.poll() is None and port_answers(port), timeout=60, what="gunicorn")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
        log.close()
        if process.returncode not in (0, -signal.SIGTERM):
            print((tmp_path / "gunicorn.log").read_text()[-4000:])


def web_login(base, username, password, session=None):
    """Sign in through the login form; returns the session and the final response."""
    session = session or requests.Session()
    session.get(f"{base}/accounts/login/", timeout=30)
    response = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}/accounts/login/"}, timeout=30,
    )
    return session, response
