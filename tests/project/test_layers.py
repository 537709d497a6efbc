"""The layers only point down: the import graph of the project's packages, read from the code, against one order.

LAYERS lists the layers, lowest first. A package may import packages of LOWER
layers only: not its own layer (so the streams, side by side, never import
one another) and never a higher one. The graph is derived from the code
(tests/project/layering.py: every module outside migrations and tests, lazy
imports inside functions too, dotted paths in include()/settings and model
labels). docs/architecture.md writes this same order out.
"""

import textwrap
from pathlib import Path

from django.conf import settings

from tests.project.layering import against_the_order, cycles, first_party_packages, layer_of, package_edges

ROOT = Path(settings.BASE_DIR)

LAYERS = [
    # Shared plumbing that knows no app: validators, bulk COPY, version check, history, errors, fields, admin mixins.
    ["core"],
    # Idempotency keys of the API's and the pages' writes (knows only core).
    ["idempotency"],
    # Provinces, regencies, districts, villages, polling stations.
    ["regions"],
    # Users, roles and their scope (which regions a user reads and writes).
    ["accounts"],
    # Elections, their windows, deadlines and time zones, candidate pairs.
    ["elections"],
    # Field contacts and the outbound WhatsApp/SMS clients.
    ["contacts"],
    # The streams, side by side: daily reports, logistics, violations, voting day (rounds, TPS, recap, disputes).
    ["reports", "logistics", "violations", "votingday"],
    # Above the streams: compliance reads them and listens to their signals; intake turns inbound WhatsApp/SMS
    # messages into the streams' records through their services.
    ["compliance", "intake"],
    # The secretariat's desk (dashboard, regency page, Rakor, brief, exports, maps) and the offline pages.
    ["desk", "offline"],
    # The wiring: settings, URLs, Celery, WSGI.
    ["pilkada_desk"],
    # The benchmark: its own settings and URLs on top of the project's.
    ["bench"],
]
# A package declared before it exists (an app being built lands in its place) is listed here and skipped while
# absent.
PLANNED = set()


def present_layers():
    present = first_party_packages(ROOT)
    return [[package for package in layer if package in present] for layer in LAYERS]


def test_every_package_is_declared_once():
    declared = [package for layer in LAYERS for package in layer]
    assert len(declared) == len(set(declared))
    local_apps = {name.split(".")[0] for name in settings.INSTALLED_APPS if (ROOT / name.split(".")[0]).is_dir()}
    assert local_apps - set(declared) == set(), "an app in INSTALLED_APPS is missing from LAYERS"
    assert first_party_packages(ROOT) - set(declared) == set(), "a package of the project is missing from LAYERS"
    assert set(declared) - first_party_packages(ROOT) <= PLANNED, "LAYERS names a package that does not exist"


def test_no_cycle_between_packages():
    edges = package_edges(ROOT)
    assert len({edge.source for edge in edges}) >= 10  # the walk sees the project
    assert cycles(edges) == []


def test_every_import_points_to_a_lower_layer():
    assert against_the_order(package_edges(ROOT), present_layers()) == []


def test_core_imports_no_app():
    assert [edge.where for edge in package_edges(ROOT) if edge.source == "core"] == []


def test_the_wiring_is_only_wiring():
    """pilkada_desk holds settings, URLs, Celery and WSGI (and date formats): nothing an app would import."""
    modules = {path.relative_to(ROOT / "pilkada_desk").as_posix() for path in (ROOT / "pilkada_desk").rglob("*.py")}
    assert {module for module in modules if not module.startswith("formats/")} == {
        "__init__.py", "settings.py", "urls.py", "api_urls.py", "celery.py", "wsgi.py"}


def test_the_walk_reads_lazy_imports_settings_strings_and_model_labels():
    where = {edge.where for edge in package_edges(ROOT)}
    # A string in settings, a model label in a ForeignKey, an import inside ready().
    assert any(w.startswith("pilkada_desk/settings.py") and "accounts.context_processors.desk" in w for w in where)
    assert any(w.startswith("reports/models.py") and w.endswith("regions.Regency") for w in where)
    assert any(w.startswith("compliance/apps.py") and w.endswith("reports.signals") for w in where)


# -- the checker itself fails on what it must catch


def _write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_the_checker_catches_a_cycle_made_of_a_lazy_import_and_a_string(tmp_path):
    _write(tmp_path, {
        "low/__init__.py": "",
        "low/models.py": """\
            def later():
                from high.things import thing  # inside a function: still an import
                return thing
        """,
        "high/__init__.py": "",
        "high/things.py": "from low.models import later\nthing = 1\n",
        "high/urls.py": 'from django.urls import include\nurlpatterns = [include("low.models")]\n',
        "high/migrations/0001_initial.py": "import other  # migrations are not counted\n",
    })
    edges = package_edges(tmp_path)
    assert {(edge.source, edge.target) for edge in edges} == {("low", "high"), ("high", "low")}
    assert cycles(edges) == [["high", "low"]]
    upward = against_the_order(edges, [["low"], ["high"]])
    assert upward == ["low (layer 0) imports high (layer 1): low/models.py:2 high.things"]


def test_the_checker_refuses_imports_within_a_layer_and_resolves_relative_ones(tmp_path):
    _write(tmp_path, {
        "one/__init__.py": "",
        "one/a.py": "from . import b\nfrom .b import x\n",
        "one/b.py": "x = 1\n",
        "two/__init__.py": "",
        "two/views.py": 'FIELD = "one.Model"\nPERMISSION = "one.change_model"\n',
        "three/__init__.py": "",
        "three/x.py": "from django.apps import apps\nModel = apps.get_model('two', 'Thing')\n",
    })
    edges = package_edges(tmp_path)
    # Relative imports stay inside `one`; a permission name is not a module.
    assert {(edge.source, edge.target) for edge in edges} == {("two", "one"), ("three", "two")}
    assert cycles(edges) == []
    assert against_the_order(edges, [["one", "two"], ["three"]]) == [
        "two (layer 0) imports one (layer 0): two/views.py:1 one.Model"]
    assert layer_of([["one", "two"], ["three"]]) == {"one": 0, "two": 0, "three": 1}


def test_docs_architecture_writes_out_this_order():
    import re

    text = (ROOT / "docs" / "architecture.md").read_text()
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|", text, re.MULTILINE)
    assert [re.findall(r"`(\w+)`", packages) for _level, packages in rows] == LAYERS


def test_the_readme_writes_out_this_order():
    import re

    text = (ROOT / "README.md").read_text()
    line = re.search(r"^`core` <.*?`bench`$", text, re.MULTILINE | re.DOTALL).group(0)
    written = [re.findall(r"`(\w+)`", layer) for layer in line.replace("\n", " ").split(" < ")]
    assert written == LAYERS
