"""`wa-audit example`: the bundled answers files listed, printed and copied (they ship in the wheel)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from audit.app.cli import main
from audit.load.resources import examples_dir
from tests.conftest import EXAMPLES

NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_examples_are_the_checkout_s(tmp_path: Path) -> None:
    assert sorted(p.stem for p in examples_dir().glob("*.yaml")) == NAMES
    assert len(NAMES) >= 5


def test_no_name_lists_every_example_with_what_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "example")
    assert code == 0
    for name in NAMES:
        assert f"\n{name}\n    " in out
    assert "Someone in the EU who never linked anything and keeps things private." in out
    assert "wa-audit example NAME -o FILE" in out


@pytest.mark.parametrize("name", NAMES)
def test_a_name_prints_that_file(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, _ = run(capsys, "example", name)
    assert code == 0
    assert out == (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")


def test_o_copies_it_private_and_never_over_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "mine.yaml"
    code, out, err = run(capsys, "example", "linked-everything", "-o", str(target))
    assert code == 0, err
    assert out == ""
    assert target.read_text(encoding="utf-8") == (EXAMPLES / "linked-everything.yaml").read_text(
        encoding="utf-8"
    )
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"]  # no temp file left
    target.write_text("my own answers\n")
    code, _, err = run(capsys, "example", "all-unknown", "-o", str(target))
    assert code == 2
    assert err == f"wa-audit: {target}: already exists; give a new file name (an example replaces no file)\n"
    assert target.read_text() == "my own answers\n"


def test_an_unknown_name_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "example", "nobody")
    assert (code, out) == (2, "")
    assert err == "wa-audit: nobody: no such example; 'wa-audit example' lists them\n"
