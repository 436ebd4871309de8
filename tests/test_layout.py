"""The layout shows the pipeline: no import cycle among audit's modules, and small modules.

The import graph is read from the source with `ast`, so a lazy (function-level) import counts
like a top-level one: a cycle hidden inside a function is still a cycle in the design. Imports
under `if TYPE_CHECKING:` are left out: they never run, they only name types.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

AUDIT = ROOT / "audit"

MAX_LINES = 500


def module_files() -> dict[str, Path]:
    found = {}
    for path in sorted(AUDIT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The audit modules `path` imports anywhere in its code (functions included), bar TYPE_CHECKING."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt) and _is_type_checking(child):
                assert isinstance(child, ast.If)
                for stmt in child.orelse:
                    visit_one(stmt)
                continue
            visit_one(child)

    def visit_one(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            assert node.level == 0, f"{path}: relative import; audit uses absolute imports"
            for alias in node.names:
                # `from audit import engine` imports the module audit.engine; `from audit.x import y` audit.x.
                sub = f"{node.module}.{alias.name}"
                if sub in modules:
                    found.add(sub)
                elif node.module in modules:
                    found.add(node.module)
        visit(node)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return found


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    names = set(files)
    return {name: imports_of(path, names) - {name} for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def test_no_import_cycle_among_audit_modules() -> None:
    graph = import_graph()
    assert {"audit.engine", "audit.advice", "audit.cli"} <= set(graph)  # audit's graph, not an empty one
    described = {
        " <-> ".join(component): {m: sorted(graph[m] & set(component)) for m in component}
        for component in cycles(graph)
    }
    assert described == {}


def test_the_cycle_finder_sees_lazy_imports(tmp_path: Path) -> None:
    # A cycle closed only by an import inside a function is found; one under TYPE_CHECKING is not.
    a = tmp_path / "a.py"
    b = tmp_path / "b.py"
    c = tmp_path / "c.py"
    a.write_text("from pkg import b\n")
    b.write_text("def f():\n    from pkg.a import x\n    return x\n")
    c.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n")
    modules = {"pkg.a", "pkg.b", "pkg.c"}
    graph = {
        "pkg.a": imports_of(a, modules),
        "pkg.b": imports_of(b, modules),
        "pkg.c": imports_of(c, modules),
    }
    assert graph == {"pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": set()}
    assert cycles(graph) == [["pkg.a", "pkg.b"]]


def test_modules_stay_under_500_lines() -> None:
    files = module_files()
    lines = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in files.items()}
    too_long = {name: n for name, n in lines.items() if n > MAX_LINES}
    assert too_long == {}, "split the module by job (docs/ARCHITECTURE.md)"


def documented_layers() -> dict[str, int]:
    """docs/ARCHITECTURE.md's table: each module (named under `audit.`) and its layer."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = text.split("## Modules, by layer", 1)[1].split("\n\n")[2]
    layers: dict[str, int] = {}
    layer = -1
    for row in table.splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        if cells[0]:
            layer = int(cells[0].split()[0])
        for name in re.findall(r"`([\w.]+)`", cells[1]):
            layers["audit" if name == "audit" else f"audit.{name}"] = layer
    return layers


def test_every_module_imports_only_its_layer_or_lower() -> None:
    graph = import_graph()
    layers = documented_layers()
    assert {"audit.errors": 0, "audit.engine": 3, "audit.cli": 7}.items() <= layers.items()  # the table read
    assert set(graph) == set(layers), "place the module in a layer of docs/ARCHITECTURE.md's table"
    upward = sorted(
        f"{a} (layer {layers[a]}) imports {b} (layer {layers[b]})"
        for a, deps in graph.items()
        for b in deps
        if layers[b] > layers[a]
    )
    assert upward == []


def test_every_format_has_a_renderer_and_a_file_suffix() -> None:
    from audit.render.base import FILE_SUFFIX, Format, renderer_for

    for fmt in Format:
        assert callable(renderer_for(fmt).render), fmt
        assert FILE_SUFFIX[fmt].startswith("."), fmt
