"""`report --open`: the HTML report written with -o opens in the browser, and nothing else does."""

from __future__ import annotations

import stat
import webbrowser
from pathlib import Path

import pytest
from conftest import ROOT

from audit.app.cli import main

EXAMPLE = str(ROOT / "examples" / "eea-nothing-linked.yaml")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: calls.append(url) or True)
    return calls


def test_open_shows_the_written_file(
    tmp_path: Path, opened: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["--home", str(tmp_path / "home"), "report", "--answers", EXAMPLE, "-o", "r.html", "--open"])
    assert code == 0
    page = tmp_path / "r.html"
    assert opened == [page.as_uri()]
    assert opened[0].startswith("file:///")
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    "extra",
    [
        ["--open"],  # to the screen
        ["--open", "-o", "r.md"],  # not HTML
        ["--open", "--format", "json", "-o", "r.json"],
    ],
)
def test_open_needs_an_html_file(
    extra: list[str],
    tmp_path: Path,
    opened: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["--home", str(tmp_path / "home"), "report", "--answers", EXAMPLE, *extra])
    assert code == 2
    assert opened == []
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--open needs an HTML report" in err
    assert list(tmp_path.glob("r.*")) == []


def test_audit_open_shows_the_html_copy_it_files(tmp_path: Path, opened: list[str]) -> None:
    home = tmp_path / "home"
    code = main(["--home", str(home), "audit", "--answers", EXAMPLE, "--format", "json", "--open"])
    assert code == 0
    pages = sorted((home / "reports").glob("*.html"))
    assert len(pages) == 1
    assert opened == [pages[0].resolve().as_uri()]
