"""The layers: roles/scope and elections at the bottom, the streams above them, `desk` on top."""

import ast
import pkgutil
from pathlib import Path

import pytest
from django.conf import settings

from desk.demo import HISTORY_SEEDERS
from intake.demo import seed_history as intake_history
from logistics.demo import seed_history as logistics_history
from reports.demo import seed_history as reports_history
from reports.demo import seed_today as reports_today
from violations.demo import seed_history as violations_history
from votingday.demo import seed_history as voting_day_history

STREAMS = {"reports", "logistics", "violations", "compliance"}
ROOT = Path(settings.BASE_DIR)


def imported_packages(app):
    """(module file, top-level package) for every import in every module of an app, migrations included."""
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                # dotted paths handed to import_string / include()
                names = [node.value] if node.value.count(".") >= 1 and " " not in node.value else []
            else:
                continue
            found += [(path.relative_to(ROOT), name.split(".")[0]) for name in names]
    return found


@pytest.mark.parametrize("app", ["accounts", "elections", "regions"])
def test_bottom_apps_import_no_stream_and_not_desk(app):
    above = STREAMS | {"desk"}
    offending = [(str(path), package) for path, package in imported_packages(app) if package in above]
    assert offending == []


def test_the_walk_sees_an_import_from_above():
    """The check above would catch it: desk's own modules do import the streams."""
    assert {package for _path, package in imported_packages("desk")} >= STREAMS


def test_no_app_imports_desk():
    apps = [name for name in settings.INSTALLED_APPS if (ROOT / name).is_dir() and name != "desk"]
    assert len(apps) >= 7
    offending = [(str(path), app) for app in apps for path, package in imported_packages(app) if package == "desk"]
    assert offending == []
    assert "desk" in {m.name for m in pkgutil.iter_modules([str(ROOT)])}


def test_the_demo_seeds_every_streams_history():
    assert HISTORY_SEEDERS == [reports_history, reports_today, logistics_history, violations_history,
                               voting_day_history, intake_history]


def test_contacts_sit_below_the_streams_and_intake_above_them():
    """contacts (the phone book, the channel clients) imports no stream; no stream imports contacts' users above."""
    offending = [(str(path), package) for path, package in imported_packages("contacts")
                 if package in STREAMS | {"intake", "desk"}]
    assert offending == []
    for app in sorted(STREAMS):
        assert [str(path) for path, package in imported_packages(app) if package == "intake"] == []
    assert {package for _path, package in imported_packages("intake")} >= {"reports", "violations", "contacts"}
