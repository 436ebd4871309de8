"""Start-up stays cheap: the fast paths never import the interview or template libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

PROBE = """
import contextlib, io, json, sys
from audit.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        main(sys.argv[2:])
    except SystemExit:
        pass
with open(sys.argv[1], "w") as f:
    json.dump(sorted(sys.modules), f)
"""


def modules_after(tmp_path: Path, *argv: str) -> set[str]:
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *argv],
        check=True,
        cwd=ROOT,
        env={"WA_AUDIT_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
    )
    return set(json.loads(out.read_text()))


@pytest.mark.parametrize(
    "argv",
    [
        ("--version",),
        ("--help",),
        ("report", "--help"),
        ("report", "--answers", str(EXAMPLES / "linked-everything.yaml"), "--format", "json"),
    ],
)
def test_fast_paths_import_neither_questionary_nor_jinja2(tmp_path: Path, argv: tuple[str, ...]) -> None:
    loaded = modules_after(tmp_path, *argv)
    assert "audit.cli" in loaded
    assert not {m for m in loaded if m.split(".")[0] in {"questionary", "prompt_toolkit", "jinja2"}}


@pytest.mark.parametrize("argv", [("--version",), ("--help",)])
def test_version_and_help_import_no_third_party_library(tmp_path: Path, argv: tuple[str, ...]) -> None:
    loaded = {m.split(".")[0] for m in modules_after(tmp_path, *argv)}
    assert not loaded & {"pydantic", "rich", "yaml", "platformdirs", "questionary", "jinja2"}


def test_import_audit_cli_is_light() -> None:
    heavy = ("questionary", "jinja2", "pydantic", "rich")
    code = f"import sys, audit.cli; print(sorted(m for m in sys.modules if m.startswith({heavy!r})))"
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
