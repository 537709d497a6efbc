"""The production configuration: deploy checks, compose file, embedded default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(args, env_extra, **kwargs):
    unset = {"DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_extra)
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, **kwargs)


def test_check_deploy_is_clean_with_production_settings():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {"SECRET_KEY": "x" * 30 + "-production-only-" + "y" * 30, "ALLOWED_HOSTS": "desk.example.go.id",
         "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/pilkada_desk"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = run([sys.executable, "manage.py", "check"], {"SECRET_KEY": ""})
    assert result.returncode != 0 and "SECRET_KEY is required" in result.stderr


def test_docker_compose_is_valid_and_runs_more_than_one_web_and_a_worker_per_queue():
    import yaml

    from pilkada_desk.celery import app

    result = run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "docker-compose.yml"], {})
    assert result.returncode == 0, result.stdout + result.stderr
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["web"]["image"] == services["worker"]["image"] == services["beat"]["image"]
    assert services["web"]["deploy"]["replicas"] >= 2 and services["beat"]["deploy"]["replicas"] == 1
    assert "migrate" not in services["web"]["command"] and "migrate" in services["migrate"]["command"]
    # Every queue a task is routed to has a worker that consumes it.
    consumed = set()
    for service in services.values():
        command = service.get("command", "")
        if "celery" in command and " worker" in command:
            consumed |= set(command.split("-Q ")[1].split()[0].split(","))
    routed = {route["queue"] for route in app.conf.task_routes.values()} | {app.conf.task_default_queue}
    assert routed <= consumed, routed - consumed
    environment = services["web"].get("environment", {})
    assert environment["MEDIA_STORAGE"] == "s3" and "DATABASE_REPLICA_URL" in environment


@pytest.mark.worker
def test_embedded_default_migrates_and_seeds_sqlite(tmp_path):
    env = {"DEBUG": "1", "VAR_DIR": str(tmp_path)}
    for command in (["migrate", "--no-input", "-v0"], ["seed_demo", "--live"],
                    ["region_summary", "--province", "64", "--json"]):
        result = run([sys.executable, "manage.py", *command], env)
        assert result.returncode == 0, result.stderr
    assert '"tps": 6274' in result.stdout
    # The live demo's second province, for the national desk.
    assert '"provinces": 2' in run([sys.executable, "manage.py", "region_summary", "--json"], env).stdout
    assert (tmp_path / "db.sqlite3").exists()
