"""Throwaway services for the fault tests: a redis-server, a PostgreSQL cluster and the web app
under gunicorn, each on a free port of its own (the machine's shared servers are never touched)."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
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


WORKER = ["worker", "--pool=solo", "--loglevel=INFO", "--without-heartbeat", "--without-gossip", "--without-mingle"]


@contextmanager
def celery(env, log_path, *args, python=sys.executable):
    """`celery -A pilkada_desk ARGS` (a worker: WORKER) logging to log_path; stopped on the way out."""
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen([python, "-m", "celery", "-A", "pilkada_desk", *args], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        stop(process)
        log.close()


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


class PostgresCluster:
    """A PostgreSQL cluster of its own (initdb + pg_ctl) in a temporary folder, on a free port.

    As root the server runs as the `postgres` user, which must own its folder.
    """

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major_version)
        if not found:
            raise AssertionError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
        self.bin = Path(found[-1]).parent
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="pilkada-pg-", dir="/tmp"))
        self.data = self.dir / "data"
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args):
        done = subprocess.run([*self.as_user, *args], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    def create(self):
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        self.start()

    def start(self):
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w",
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self):
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self):
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


def _major_version(path):
    return int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0


def manage(env, *args, python=sys.executable, timeout=300):
    done = subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


class S3Server:
    """moto's server mode: the S3 protocol over HTTP on a free port, in memory.

    No S3 server is packaged for these machines (MinIO is not in Debian); moto speaks the same REST API
    that django-storages' boto3 client speaks to AWS or MinIO, signatures included.
    """

    access_key, secret_key = "desk-test-key", "desk-test-secret"

    def __init__(self, tmp_path):
        self.port = free_port()
        self.log_path = tmp_path / "moto.log"
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        log = open(self.log_path, "w")  # noqa: SIM115 - the process writes to it until stop()
        self.process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=log, stderr=subprocess.STDOUT)
        wait_until(lambda: port_answers(self.port), what="moto's S3 server")

    def stop(self):
        if self.process is not None:
            stop(self.process)
            self.process = None

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.url, aws_access_key_id=self.access_key,
                            aws_secret_access_key=self.secret_key, region_name="us-east-1")

    def env(self, bucket):
        """The settings of a web process that keeps its files in `bucket`."""
        return {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": bucket, "AWS_S3_ENDPOINT_URL": self.url,
                "AWS_ACCESS_KEY_ID": self.access_key, "AWS_SECRET_ACCESS_KEY": self.secret_key,
                "AWS_S3_REGION_NAME": "us-east-1"}


class StandbyCluster(PostgresCluster):
    """A streaming replica of `primary`, copied with pg_basebackup (-R: it follows the primary on start)."""

    def __init__(self, primary):
        super().__init__()
        self.primary = primary

    def create(self):
        self._run(str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres",
                  "-D", str(self.data), "-R", "-X", "stream", "--checkpoint=fast", "--no-sync")
        self.start()
