"""Output that cannot encode the report's characters gets plain ASCII, never an exit 70.

Every command runs in a real process with PYTHONIOENCODING=ascii (as a C-locale terminal, a
Latin-1 one or Windows redirection would give it): it must end as it does in UTF-8, with every
byte of stdout and stderr ASCII, box lines, arrows and bars as their stand-ins, and no line
wider than the UTF-8 version's (each stand-in of the report's own characters is one character).
Text with no ASCII letter (CJK, emoji) becomes its code point, so it stays distinguishable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from audit.app.ascii_fallback import stand_in
from tests.conftest import EXAMPLES, ROOT

ANSWERS = str(EXAMPLES / "linked-everything.yaml")

COMMANDS: dict[str, list[str]] = {
    "help": ["--help"],
    "audit help": ["audit", "--help"],
    "version": ["--version"],
    "report": ["report"],
    "report markdown": ["report", "--format", "markdown"],
    "report json": ["report", "--format", "json"],
    "report html to a file": ["report", "-o", "{tmp}/r.html"],
    "audit": ["audit", "--answers", ANSWERS],
    "wa-audit alone": ["--answers", ANSWERS, "--set", "two_step=off"],
    "set": ["set", "two_step=on"],
    "history": ["history"],
    "history json": ["history", "--format", "json"],
    "diff": ["diff"],
    "diff json": ["diff", "--format", "json"],
    "rules show": ["rules", "show"],
    "rules show markdown": ["rules", "show", "--format", "markdown"],
    "rules check": ["rules", "check"],
    "schema": ["schema", "report"],
    "forget": ["forget", "--yes"],
}


def wa_audit(home: Path, args: list[str], encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("WA_AUDIT_HOME", "NO_COLOR")}
    env.update(PYTHONIOENCODING=encoding, COLUMNS="80")
    return subprocess.run(
        [sys.executable, "-m", "audit", "--home", str(home), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def lived_in(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with saved answers and two runs, so history and diff have something to show."""
    home = tmp_path_factory.mktemp("ascii") / "home"
    home.mkdir(mode=0o700)
    shutil.copy(EXAMPLES / "linked-everything.yaml", home / "answers.yaml")
    for value in ("on", "off"):
        assert wa_audit(home, ["set", f"two_step={value}"], "utf-8").returncode == 0
    return home


ON_SCREEN = ("report", "audit", "wa-audit alone", "set", "history", "diff")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_works_on_an_ascii_terminal(command: str, lived_in: Path, tmp_path: Path) -> None:
    home = shutil.copytree(lived_in, tmp_path / "home")
    result = wa_audit(home, [a.format(tmp=tmp_path) for a in COMMANDS[command]], "ascii")
    assert result.returncode == 0, result.stderr.decode("ascii", "replace")
    out, err = result.stdout.decode("ascii"), result.stderr.decode("ascii")  # raises on any other byte
    assert "Traceback" not in err
    if command in ON_SCREEN:  # one character per stand-in: the 80 columns hold
        assert max(map(len, out.splitlines())) <= 80, out
    if command == "report":
        assert out.splitlines()[0].startswith("+---")  # a box, in ASCII
        assert "#" in out  # the score bar
        assert " > " in out  # arrows


@pytest.mark.parametrize("command", ["report", "rules show", "history"])
def test_latin_1_keeps_what_it_can_show(command: str, lived_in: Path, tmp_path: Path) -> None:
    home = shutil.copytree(lived_in, tmp_path / "home")
    result = wa_audit(home, COMMANDS[command], "latin-1")
    assert result.returncode == 0, result.stderr.decode("latin-1")
    result.stdout.decode("latin-1")


def test_stand_ins_of_the_reports_own_characters_are_one_character_each() -> None:
    lines_arrows_marks = "\u2500\u2502\u250c\u2554\u256d\u2192\u2190\u2713\u25d0"
    for ch in lines_arrows_marks + "\u2588\u2591\u2581\u2026\u22ef\u201c\u00e9":
        replacement = stand_in(ch)
        assert len(replacement) == 1, (ch, replacement)
        assert replacement.isascii()
    assert stand_in("\u00e9") == "e"
    assert stand_in("\u2192") == ">"


def test_text_with_no_ascii_letter_stays_distinguishable() -> None:
    # CJK, emoji, Cyrillic: once all "?", now each its code point (issue 14).
    chars = "\u4e2d\u6587\u65e5\U0001f600\U0001f512\u0416\u03a9"
    stand_ins = [stand_in(ch) for ch in chars]
    assert stand_ins[:4] == ["\\u4e2d", "\\u6587", "\\u65e5", "\\U0001f600"]
    assert len(set(stand_ins)) == len(chars)
    assert all(s.isascii() for s in stand_ins)


def test_a_file_name_in_chinese_stays_readable_on_an_ascii_terminal(lived_in: Path, tmp_path: Path) -> None:
    # The one line of an error names the file: "?" for each character named no file at all.
    home = shutil.copytree(lived_in, tmp_path / "home")
    missing = tmp_path / "\u65e5\u8a18\U0001f600.yaml"
    result = wa_audit(home, ["report", "--answers", str(missing)], "ascii")
    err = result.stderr.decode("ascii")
    assert result.returncode == 2, err
    assert "\\u65e5\\u8a18\\U0001f600.yaml" in err
    assert "?" not in err.split(":")[1]
