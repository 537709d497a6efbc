"""The import graph of the first-party packages, read from the code with `ast` (no module is imported).

Counted as an import of package P:
- `import P...` and `from P... import ...`, at module level or inside a function
  (a lazy import is still a dependency), relative imports resolved to their package;
- a string naming a module or a model of P: a dotted path handed to `include()`,
  `importlib.import_module()`, `import_string()` or a setting ("P.urls",
  "P.middleware.X"), or a model label ("P.Model" in a ForeignKey);
- `apps.get_model("P", "Model")` / `get_model("P.Model")`.

Migrations and tests are left out: they are not the running code's structure.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

SKIPPED_FOLDERS = {"migrations", "tests", "__pycache__"}


@dataclass(frozen=True)
class Edge:
    source: str  # the importing package
    target: str  # the imported package
    where: str  # "path/to/module.py:line name"


def first_party_packages(root: Path) -> set[str]:
    """Top-level folders with an __init__.py (the project's own packages), the test suite aside."""
    return {path.parent.name for path in root.glob("*/__init__.py") if path.parent.name != "tests"}


def _modules(root: Path, package: str):
    for path in sorted((root / package).rglob("*.py")):
        if SKIPPED_FOLDERS.isdisjoint(path.relative_to(root).parts[:-1]):
            yield path


def _module_name(root: Path, path: Path) -> list[str]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _names_a_module_or_model(root: Path, dotted: str, packages: set[str]) -> bool:
    """"P.sub.name" names something of P when a prefix is a module file or folder of P, or "P.Model" is a label."""
    parts = dotted.split(".")
    if parts[0] not in packages or len(parts) < 2 or not all(part.isidentifier() for part in parts):
        return False
    if len(parts) == 2 and parts[1][:1].isupper():
        return True  # an app label and a model name: "regions.Regency"
    for end in range(len(parts), 1, -1):
        base = root.joinpath(*parts[:end])
        if base.with_suffix(".py").is_file() or (base / "__init__.py").is_file():
            return True
    return False


def imported_names(root: Path, path: Path, packages: set[str]):
    """(dotted name, line) of everything `path` imports or names, by the rules in the module docstring."""
    tree = ast.parse(path.read_text(), filename=str(path))
    module = _module_name(root, path)
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # `from . import x` in a/b.py is package a; in a/__init__.py it is a itself.
                base = module[: len(module) - node.level + (1 if is_package else 0)]
                yield ".".join(base + ([node.module] if node.module else [])), node.lineno
            elif node.module:
                yield node.module, node.lineno
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "get_model":
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                label = node.args[0].value.split(".")[0]
                if label in packages:
                    yield label, node.lineno
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _names_a_module_or_model(root, node.value, packages):
                yield node.value, node.lineno


def package_edges(root: Path, packages: set[str] | None = None) -> list[Edge]:
    """Every import of one first-party package by another, with where it is written."""
    packages = first_party_packages(root) if packages is None else packages
    edges = []
    for package in sorted(packages):
        for path in _modules(root, package):
            for name, line in imported_names(root, path, packages):
                target = name.split(".")[0]
                if target in packages and target != package:
                    edges.append(Edge(package, target, f"{path.relative_to(root)}:{line} {name}"))
    return edges


def cycles(edges: list[Edge]) -> list[list[str]]:
    """The strongly connected groups of more than one package (Tarjan): each is at least one cycle."""
    graph = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def layer_of(layers: list[list[str]]) -> dict[str, int]:
    return {package: level for level, members in enumerate(layers) for package in members}


def against_the_order(edges: list[Edge], layers: list[list[str]]) -> list[str]:
    """Imports of a package in the same layer or a higher one: a package imports only lower layers."""
    level = layer_of(layers)
    return [
        f"{edge.source} (layer {level[edge.source]}) imports {edge.target} (layer {level[edge.target]}): {edge.where}"
        for edge in edges
        if edge.source in level and edge.target in level and level[edge.target] >= level[edge.source]
    ]
