"""The apps depend one way, from the top down:

    core, audit  ←  partnerships  ←  membership  ←  meetings  ←  strategy  ←  publishing
                 ←  alerts, api, transparency  ←  icp_portal (settings, URLs, demo, health)

A module may import its own app, any app below it, and Django or a library; never an app above
it (docs/architecture.md). A lower app that needs a higher one to react announces a domain event
(core.events) and the higher app listens; a lower app's template that shows a higher app's
part loads that app's template tags. This test reads every module's imports, including those
inside functions, and names each back-edge it finds.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The rank of each app: an app may import apps of a lower rank, never one of a higher rank.
# Apps of the same rank do not import one another.
LAYERS = {
    "core": 0,
    "audit": 0,
    "partnerships": 1,
    "membership": 2,
    "meetings": 3,
    "strategy": 4,
    "publishing": 5,
    "alerts": 6,
    "api": 6,
    "transparency": 6,
    "icp_portal": 7,
}


def _modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            yield app, path


def _imported(tree: ast.AST, module: str, is_package: bool):
    """Every absolute module name `tree` imports, with its line, relative imports resolved."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".")
                base = parts if is_package else parts[:-1]
                base = base[: len(base) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            yield name, node.lineno


def back_edges(modules=None) -> list[str]:
    found = []
    for app, path in modules if modules is not None else _modules():
        relative = path.relative_to(ROOT)
        module = ".".join(relative.with_suffix("").parts)
        is_package = path.name == "__init__.py"
        if is_package:
            module = module.rpartition(".")[0]
        tree = ast.parse(path.read_text(), filename=str(path))
        for name, line in _imported(tree, module, is_package):
            target = name.split(".")[0]
            if target == app or target not in LAYERS:
                continue
            if LAYERS[target] >= LAYERS[app]:
                found.append(f"{relative}:{line} ({app}) imports {name} ({target}), which is not below it")
    return found


def test_no_app_imports_an_app_above_it():
    edges = back_edges()
    assert not edges, "Back-edges in the app layering (docs/architecture.md):\n" + "\n".join(edges)


def test_a_back_edge_is_found_wherever_the_import_is(tmp_path):
    """The walk sees an import inside a function and a relative import, and names the module."""
    package = tmp_path / "meetings"
    package.mkdir()
    views = package / "views.py"
    views.write_text("def pdf(request):\n    from publishing.pdf import build\n    return build()\n")
    own = package / "own.py"
    own.write_text("from . import views\nfrom partnerships.models import Partnership\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        edges = back_edges([("meetings", views), ("meetings", own)])
    finally:
        ROOT = saved
    assert edges == ["meetings/views.py:2 (meetings) imports publishing.pdf (publishing), which is not below it"]
