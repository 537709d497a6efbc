"""Where things live: reads do not reach into writes; QuerySets sit in each app's querysets.py."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["accounts", "regions", "elections", "reports", "logistics", "violations", "compliance", "desk"]


def imports_of(path):
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            found |= {module} | {f"{module}.{alias.name}".replace("..", ".") for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_compliance_reads_do_not_import_the_compliance_job():
    imported = imports_of(ROOT / "compliance" / "selectors.py")
    assert not {name for name in imported if "services" in name}


def test_querysets_are_defined_in_querysets_modules_only():
    misplaced = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if path.name == "querysets.py" or "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ClassDef) and node.name.endswith("QuerySet") and path.name != "scope.py":
                    misplaced.append(f"{path.relative_to(ROOT)}:{node.name}")
    assert misplaced == []


def test_the_counted_day_states_are_defined_once_by_the_reports_app():
    """The ranking, the digest and the brief count the same states: one definition, in reports.constants."""
    defined = [
        str(path.relative_to(ROOT))
        for app in APPS for path in sorted((ROOT / app).rglob("*.py")) if "migrations" not in path.parts
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "COUNTED_STATES" for t in node.targets)
    ]
    assert defined == ["reports/constants.py"]


def test_the_streams_and_the_bottom_do_not_ask_who_is_secretariat_or_admin_themselves():
    """"Secretariat or admin" is the scope's question (Scope.oversees), asked nowhere else in two parts."""
    asking = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS for path in sorted((ROOT / app).rglob("*")) if path.suffix in (".py", ".html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "is_secretariat or" in line and "is_admin" in line and path.name != "scope.py"
    ]
    assert asking == []
