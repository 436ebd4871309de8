"""The layout shows the pipeline: each stage imports only earlier ones, no cycle, small modules.

The import graph is read from the source with `ast`, so a lazy (function-level) import counts
like a top-level one: a cycle hidden inside a function is still a cycle in the design. Imports
under `if TYPE_CHECKING:` are left out: they never run, they only name types.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

AUDIT = ROOT / "audit"

MAX_LINES = 400
MAX_TOP_LEVEL = 8

# The pipeline's stages in order (docs/ARCHITECTURE.md). The top-level modules (`audit`, `errors`,
# `files`, `paths`, `clock`, `lang`) are the base every stage may use. The interview (collect) asks
# only questions that apply, which is evaluation: so `evaluate` comes before `collect`.
STAGES = ("model", "load", "evaluate", "collect", "history", "render", "app")
# Libraries a stage must not import (anywhere, lazily included): the model is plain data.
FORBIDDEN = {"model": ("yaml", "jinja2", "rich", "questionary")}


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
                # `from audit.x import m` imports the module audit.x.m; `from audit.x import y` audit.x.
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
    assert {"audit.evaluate.engine", "audit.evaluate.advice", "audit.app.cli"} <= set(
        graph
    )  # audit's graph, not an empty one
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


def test_modules_stay_under_400_lines_and_few_at_the_top() -> None:
    files = module_files()
    lines = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in files.items()}
    too_long = {name: n for name, n in lines.items() if n > MAX_LINES}
    assert too_long == {}, "split the module by job (docs/ARCHITECTURE.md)"
    top = [p.name for p in AUDIT.iterdir() if p.suffix == ".py"]
    assert 0 < len(top) <= MAX_TOP_LEVEL, top


def stage_of(module: str) -> int:
    """-1 for the base (`audit` and its top-level modules), else the index of its stage package."""
    parts = module.split(".")
    if len(parts) <= 2 and (len(parts) == 1 or parts[1] not in STAGES):
        return -1
    return STAGES.index(parts[1])


def test_every_module_is_in_a_stage_or_the_base() -> None:
    packages = {p.name for p in AUDIT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(STAGES), "a new package is a new stage: add it to STAGES and ARCHITECTURE.md"
    base = sorted(m for m in import_graph() if stage_of(m) == -1)
    assert base == [
        "audit",
        "audit.__main__",
        "audit.clock",
        "audit.errors",
        "audit.files",
        "audit.lang",
        "audit.paths",
    ]


def test_every_stage_imports_only_earlier_stages() -> None:
    graph = import_graph()
    later = sorted(
        f"{a} ({STAGES[stage_of(a)]}) imports {b} ({STAGES[stage_of(b)]})"
        for a, deps in graph.items()
        for b in deps
        if stage_of(b) > stage_of(a) and a != "audit.__main__"
    )
    assert later == []
    base_imports = sorted(
        f"{a} imports {b}"
        for a, deps in graph.items()
        if stage_of(a) == -1 and a != "audit.__main__"
        for b in deps
        if stage_of(b) != -1
    )
    assert base_imports == []


def libraries_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_the_model_stage_imports_no_format_or_screen_library() -> None:
    for name, path in module_files().items():
        if stage_of(name) >= 0 and STAGES[stage_of(name)] in FORBIDDEN:
            banned = set(FORBIDDEN[STAGES[stage_of(name)]]) & libraries_of(path)
            assert banned == set(), f"{name} imports {banned}"


def test_the_stage_test_sees_a_backward_import(tmp_path: Path) -> None:
    # The rule the test checks, on made-up names: a load module importing the interview is caught.
    graph = {"audit.load.read": {"audit.collect.interview"}, "audit.collect.interview": {"audit.model.pack"}}
    later = [a for a, deps in graph.items() for b in deps if stage_of(b) > stage_of(a)]
    assert later == ["audit.load.read"]
    assert stage_of("audit.errors") == -1
    assert stage_of("audit.model") == 0


def test_every_format_has_a_renderer_and_a_file_suffix() -> None:
    from audit.render.base import FILE_SUFFIX, Format, renderer_for

    for fmt in Format:
        assert callable(renderer_for(fmt).render), fmt
        assert FILE_SUFFIX[fmt].startswith("."), fmt
