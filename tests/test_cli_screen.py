"""The CLI on a screen: pager for long reports, TERM=dumb, HTML filed instead of dumped, --open."""

from __future__ import annotations

import sys
import webbrowser
from pathlib import Path

import pytest

from audit.app import pager
from audit.app.cli import main
from tests.conftest import EXAMPLES

EXAMPLE = str(EXAMPLES / "linked-everything.yaml")


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Standard output is a 80x24 terminal (capsys still captures what is written to it)."""
    # On the class: capsys swaps in its stream object between fixture setup and the test.
    monkeypatch.setattr(type(sys.stdout), "isatty", lambda self: True)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


@pytest.fixture
def paged(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(pager, "page", lambda text, environ=None: shown.append(text) or True)
    return shown


def report(tmp_path: Path, *extra: str) -> int:
    return main(["--home", str(tmp_path / "home"), "report", "--answers", EXAMPLE, *extra])


@pytest.mark.usefixtures("tty")
def test_a_long_report_on_a_terminal_goes_to_the_pager_and_the_summary_stays(
    tmp_path: Path, paged: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert report(tmp_path) == 0
    assert len(paged) == 1
    assert paged[0].count("\n") > 24
    assert "What your answers mean" in paged[0]
    out = capsys.readouterr().out
    # After the pager: the summary alone, what the screen keeps.
    assert "Your exposure score: 72/100" in out
    assert "Do one thing today" in out
    assert "What your answers mean" not in out
    assert out.count("\n") < 24


@pytest.mark.usefixtures("tty")
def test_no_pager_prints_everything(
    tmp_path: Path, paged: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert report(tmp_path, "--no-pager") == 0
    assert paged == []
    out = capsys.readouterr().out
    assert "What your answers mean" in out
    assert out.count("Your exposure score: 72/100") == 2  # the summary first and last


def test_a_pipe_gets_everything_without_pager(
    tmp_path: Path, paged: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert report(tmp_path) == 0
    assert paged == []
    out = capsys.readouterr().out
    assert "What your answers mean" in out
    assert "\x1b[" not in out


def test_no_pager_installed_means_none(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pager.page("text", {"TERM": "dumb", "PAGER": "less"}) is False  # it cannot page
    monkeypatch.setattr(pager.shutil, "which", lambda name: None)
    assert pager.pager_command({}) is None
    assert pager.pager_command({"PAGER": "most -s"}) is None  # not installed
    assert pager.page("text", {}) is False


def test_pager_is_pager_env_else_less(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pager.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert pager.pager_command({}) == ["/usr/bin/less", "-R"]
    assert pager.pager_command({"PAGER": "more -d"}) == ["more", "-d"]
    assert pager.pager_command({"PAGER": "cat"}) is None


def test_the_pager_gets_the_text(tmp_path: Path) -> None:
    out = tmp_path / "paged.txt"
    script = tmp_path / "fake-pager"
    script.write_text(f"#!/bin/sh\ncat > {out}\n", encoding="utf-8")
    script.chmod(0o700)
    assert pager.page("Your exposure score \u2192 79\n", {"PAGER": str(script), "PATH": "/usr/bin:/bin"})
    assert out.read_text(encoding="utf-8") == "Your exposure score \u2192 79\n"


@pytest.mark.usefixtures("tty")
@pytest.mark.parametrize(("term", "colour"), [("dumb", False), ("xterm-256color", True)])
def test_term_dumb_means_no_colour(
    term: str,
    colour: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TERM", term)
    assert report(tmp_path, "--no-pager") == 0
    assert ("\x1b[" in capsys.readouterr().out) is colour


@pytest.mark.usefixtures("tty")
def test_html_on_a_terminal_goes_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert report(tmp_path, "--format", "html") == 0
    captured = capsys.readouterr()
    assert "<html" not in captured.out
    pages = list((tmp_path / "home" / "reports").glob("report-*.html"))
    assert len(pages) == 1
    assert pages[0].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert pages[0].stat().st_mode & 0o777 == 0o600
    assert f"Report written to {pages[0]}" in captured.err


def test_html_to_a_pipe_is_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert report(tmp_path, "--format", "html") == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")
    assert not (tmp_path / "home" / "reports").exists()


def test_open_says_where_the_file_is_when_no_browser_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)
    monkeypatch.chdir(tmp_path)
    assert report(tmp_path, "-o", "r.html", "--open") == 0
    err = capsys.readouterr().err
    assert f"No browser opened; the report is at {tmp_path / 'r.html'}" in err


@pytest.mark.usefixtures("tty")
def test_open_without_o_on_a_terminal_files_and_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    assert report(tmp_path, "--format", "html", "--open") == 0
    pages = list((tmp_path / "home" / "reports").glob("report-*.html"))
    assert opened == [pages[0].resolve().as_uri()]
