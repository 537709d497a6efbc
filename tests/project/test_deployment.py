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


def test_docker_compose_is_valid_and_has_the_five_services():
    import yaml

    result = run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", "docker-compose.yml"], {})
    assert result.returncode == 0, result.stdout + result.stderr
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert services["web"]["image"] == services["worker"]["image"] == services["beat"]["image"]


@pytest.mark.worker
def test_embedded_default_migrates_and_seeds_sqlite(tmp_path):
    env = {"DEBUG": "1", "VAR_DIR": str(tmp_path)}
    for command in (["migrate", "--no-input", "-v0"], ["seed_demo", "--live"], ["region_summary", "--json"]):
        result = run([sys.executable, "manage.py", *command], env)
        assert result.returncode == 0, result.stderr
    assert '"tps": 6274' in result.stdout
    assert (tmp_path / "db.sqlite3").exists()
