"""The layering of docs/architecture.md, checked on the source: every import of every module —
function-local ones included — goes downward, so there is no package-level import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import kgreason

ROOT = Path(kgreason.__file__).parent

#: Bottom to top. A package may import its own layer's modules and any layer below it.
LAYERS = ["core", "graph", "reasoning", "proving", "language", "models", "retrieval", "pipeline", "evaluation",
          "server", "cli"]
#: Modules beside the packages, usable from every layer (they import only each other).
SHARED = {"errors", "files", "config", "settings", "_lazy", "plugins", "extras", "progress"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every ``kgreason.*`` module that ``path`` imports, anywhere in the file."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out += [(f"{target}.{a.name}" if not node.module else target, node.lineno)
                    for a in node.names]
    return [(t, line) for t, line in out if t == "kgreason" or t.startswith("kgreason.")]


def _unit(module: str) -> str:
    """The package (or shared module) a module belongs to; "kgreason" for the root."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "kgreason"


def _edges() -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        src = _unit(_module_name(path))
        for target, line in _imports(path):
            dst = _unit(target)
            if dst != src:
                edges.setdefault((src, dst), []).append(f"{path.relative_to(ROOT.parent)}:{line}")
    return edges


def test_no_package_level_import_cycle():
    graph = nx.DiGraph(list(_edges()))
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], f"import cycles between packages: {cycles}"


def test_imports_go_downward():
    rank = {name: i for i, name in enumerate(LAYERS)}
    upward = []
    for (src, dst), where in _edges().items():
        if dst == "kgreason":  # the root's __version__ (its API names are lazy, see below)
            continue
        if src in SHARED:
            assert dst in SHARED, f"shared module {src} imports {dst} ({where[0]})"
            continue
        if src in rank and dst in rank and rank[dst] > rank[src]:
            upward.append(f"{src} → {dst} at {', '.join(where)}")
    assert upward == [], "upward imports:\n" + "\n".join(upward)


def test_core_imports_nothing_else_of_kgreason():
    for (src, dst), where in _edges().items():
        assert src != "core" or dst == "core", f"core imports {dst} at {where}"


def test_the_root_import_stays_light():
    """``kgreason/__init__`` only names the public API lazily."""
    deps = {dst for (src, dst) in _edges() if src == "kgreason"}
    assert deps <= {"_lazy", "errors", "graph", "reasoning", "pipeline"}, deps


def test_the_cli_uses_public_api_only():
    """No private names of the library (or of rdflib) in the CLI: ``from x import _y`` or
    ``obj._y`` on anything but the CLI's own objects."""
    found = []
    for path in sorted((ROOT / "cli").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                found += [f"{path.name}:{node.lineno} imports {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
            elif (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                  and not node.attr.startswith("__")
                  and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
                found.append(f"{path.name}:{node.lineno} reads .{node.attr}")
    assert found == [], found
