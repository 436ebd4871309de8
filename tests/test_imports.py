"""Start-up stays cheap: each path imports only the libraries it needs (questionary, jinja2, rich).

Each check runs in a fresh interpreter and reads `sys.modules` after the command: what a path
imports is what it costs (benches/run.py measures the time; these hold the line in CI).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

PROBE = """
import contextlib, io, json, sys
from {module} import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        main(sys.argv[2:])
    except SystemExit:
        pass
with open(sys.argv[1], "w") as f:
    json.dump(sorted(sys.modules), f)
"""


def modules_after(tmp_path: Path, *argv: str, module: str = "audit.app.cli") -> set[str]:
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module), str(out), *argv],
        check=True,
        cwd=ROOT,
        env={
            "WA_AUDIT_HOME": str(tmp_path / "home"),
            # The suite's cache folder (conftest), warm after the first test: the usual case.
            "WA_AUDIT_CACHE": os.environ.get("WA_AUDIT_CACHE", str(tmp_path / "cache")),
            "PATH": "/usr/bin:/bin",
        },
    )
    return set(json.loads(out.read_text()))


def top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


INTERVIEW_AND_TEMPLATES = {"questionary", "prompt_toolkit", "jinja2", "markupsafe"}
EXAMPLE = str(EXAMPLES / "linked-everything.yaml")


@pytest.mark.parametrize(
    "argv",
    [
        ("--version",),
        ("--help",),
        ("report", "--help"),
        ("report", "--answers", EXAMPLE, "--format", "json"),
        ("history", "--format", "json"),
        ("diff", "--format", "json"),
        ("rules", "check"),
        ("rules", "show", "--format", "markdown"),
        ("rules", "drift", "--format", "json"),
        ("schema", "report"),
    ],
)
def test_fast_paths_import_neither_questionary_nor_jinja2(tmp_path: Path, argv: tuple[str, ...]) -> None:
    loaded = modules_after(tmp_path, *argv)
    assert "audit.app.cli" in loaded
    assert not top_level(loaded) & INTERVIEW_AND_TEMPLATES


@pytest.mark.parametrize(
    "argv",
    [
        ("report", "--answers", EXAMPLE, "--format", "json"),
        ("report", "--answers", EXAMPLE, "--format", "html", "-o", "report.html"),
        ("report", "--answers", EXAMPLE, "--format", "markdown"),
        ("history", "--format", "json"),
        ("rules", "check"),
        ("rules", "drift"),
    ],
)
def test_reports_and_scripts_do_not_import_rich(tmp_path: Path, argv: tuple[str, ...]) -> None:
    argv = tuple(str(tmp_path / a) if a == "report.html" else a for a in argv)
    loaded = top_level(modules_after(tmp_path, *argv))
    assert "rich" not in loaded
    assert not loaded & {"questionary", "prompt_toolkit"}


def test_the_html_report_imports_no_interview_library(tmp_path: Path) -> None:
    html = str(tmp_path / "r.html")
    loaded = top_level(modules_after(tmp_path, "report", "--answers", EXAMPLE, "-o", html))
    assert "jinja2" in loaded
    assert not loaded & {"questionary", "prompt_toolkit", "rich"}


def test_the_console_script_answers_version_before_argparse() -> None:
    def loaded_by(statement: str) -> tuple[str, set[str]]:
        # No json or contextlib in this probe: they would import `re` themselves.
        code = f"import sys; {statement}; sys.stderr.write(repr(sorted(sys.modules)))"
        done = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
        )
        return done.stdout, set(ast.literal_eval(done.stderr))

    _, interpreter = loaded_by("pass")
    out, loaded = loaded_by("from audit.app.launcher import main; main(['--version'])")
    assert out.startswith("wa-audit ")
    assert loaded - interpreter <= {"audit", "audit.app", "audit.app.launcher", "__future__"}


def test_the_console_script_is_the_launcher() -> None:
    # benches/run.py times the installed console script; it must be the light entry point.
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"wa-audit": "audit.app.launcher:main"}


@pytest.mark.parametrize("argv", [["--version"], ["--version", "--debug"], ["--no-color", "--version"]])
def test_the_launcher_prints_what_argparse_prints(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from audit.app import cli, launcher

    with pytest.raises(SystemExit) as by_argparse:
        cli.main(argv)
    expected = capsys.readouterr()
    try:
        code = launcher.main(argv)
    except SystemExit as e:
        code = e.code
    assert (code, capsys.readouterr()) == (by_argparse.value.code, expected)
    assert expected.out.startswith("wa-audit ")


@pytest.mark.parametrize("argv", [("--version",), ("--help",)])
def test_version_and_help_import_no_third_party_library(tmp_path: Path, argv: tuple[str, ...]) -> None:
    loaded = {m.split(".")[0] for m in modules_after(tmp_path, *argv)}
    assert not loaded & {"pydantic", "rich", "yaml", "platformdirs", "questionary", "jinja2"}


def test_import_audit_cli_is_light() -> None:
    heavy = ("questionary", "jinja2", "pydantic", "rich")
    code = f"import sys, audit.app.cli; print(sorted(m for m in sys.modules if m.startswith({heavy!r})))"
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


# --- the interview -------------------------------------------------------------------------------
INTERVIEW_PROBE = """
import json, os, sys
from audit.history import runs as history
from audit.collect import screen as terminal_io
from audit.app.cli import main

rows = []
read_row = history._run_from_row
history._run_from_row = lambda *a: rows.append(1) or read_row(*a)

def choose(self, message, choices, **kwargs):
    with open(sys.argv[1], "w") as f:
        json.dump({"modules": sorted(sys.modules), "rows_read": len(rows)}, f)
    os._exit(0)

terminal_io.Terminal.choose = choose
main([])
"""


@pytest.mark.slow
@pytest.mark.parametrize("rerun", [False, True], ids=["first-interview", "rerun-with-history"])
def test_the_interview_asks_before_loading_report_libraries(tmp_path: Path, rerun: bool) -> None:
    import pexpect

    env = {
        "WA_AUDIT_HOME": str(tmp_path / "home"),
        "WA_AUDIT_CACHE": os.environ.get("WA_AUDIT_CACHE", str(tmp_path / "cache")),
        "PATH": "/usr/bin:/bin",
        "TERM": "xterm",
    }
    if rerun:  # saved answers and a recorded run: the interview reads the last run before asking
        subprocess.run(
            [sys.executable, "-m", "audit", "audit", "--answers", EXAMPLE],
            check=True,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
        )
        assert (tmp_path / "home" / "history.sqlite3").exists()
    out = tmp_path / "modules.json"
    child = pexpect.spawn(
        sys.executable,
        ["-c", INTERVIEW_PROBE, str(out)],
        cwd=str(ROOT),
        env=env,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=60,
    )
    child.expect(pexpect.EOF)
    child.close()
    seen = json.loads(out.read_text())
    loaded = top_level(set(seen["modules"]))
    assert "audit" in loaded
    assert bool(seen["rows_read"]) == rerun  # a rerun reads its last run before the first question
    assert not loaded & {"jinja2", "rich"}
