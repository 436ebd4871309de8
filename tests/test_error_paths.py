"""Paths a person can hit that are not bad input, each run as a person would.

A full or read-only disk, a busy history, a bug, Ctrl-C or Ctrl-D outside the interview, `report
--set` with nothing saved, and `diff`'s short lines. Each runs the command line (audit.app.cli.main, or
a real process in a terminal) and checks what the person sees (exit code, one line on stderr) and
what is left on disk.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest

from audit.history import sqlite_file
from tests.conftest import DATA, EXAMPLES, ROOT
from tests.hardening.support import changes, run_cli, seed_home, snapshot

EXAMPLE = str(EXAMPLES / "linked-everything.yaml")
ENOSPC = os.strerror(errno.ENOSPC)
EROFS = os.strerror(errno.EROFS)


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{err}"
    assert lines[0].startswith("wa-audit: "), lines[0]
    assert "Traceback" not in err
    return lines[0]


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*.tmp"))


def runs_in(home: Path) -> list[int]:
    conn = sqlite3.connect(home / "history.sqlite3")
    try:
        return [row[0] for row in conn.execute("SELECT id FROM runs ORDER BY id")]
    finally:
        conn.close()


# --- a full disk, at the write seam --------------------------------------------------------------
class _FillsUp:
    """A file that takes `room` bytes and then fails as a full disk does."""

    def __init__(self, f: Any, room: int) -> None:
        self._f = f
        self._room = room

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            self._f.write(data[: self._room])
            self._room = 0
            raise OSError(errno.ENOSPC, ENOSPC)
        self._room -= len(data)
        return int(self._f.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._f, name)

    def __enter__(self) -> _FillsUp:
        return self

    def __exit__(self, *exc: object) -> None:
        self._f.close()


@pytest.fixture
def full_disk(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the home is seeded, every temp file atomic_write opens fills up after 100 bytes."""
    real = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        f = real(fd, *args, **kwargs)
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
                return _FillsUp(f, 100)
        return f

    monkeypatch.setattr(os, "fdopen", fdopen)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("WA_AUDIT_HOME", raising=False)
    return seed_home(tmp_path / "home")


@pytest.mark.usefixtures("full_disk")
def test_a_report_on_a_full_disk_is_one_line_and_keeps_the_old_file(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.html"
    target.write_text("the report of last week\n")
    result = run_cli(capsys, ["--home", str(home), "report", "--answers", EXAMPLE, "-o", str(target)])
    assert result.code == 2
    assert one_line(result.err) == f"wa-audit: {target}: cannot write ({ENOSPC}); choose another path"
    assert target.read_text() == "the report of last week\n", "the old file is whole"
    assert temp_files(out) == [], "no half-written temp file is left behind"


@pytest.mark.usefixtures("full_disk")
def test_set_on_a_full_disk_changes_nothing(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(home)
    runs = runs_in(home)
    result = run_cli(capsys, ["--home", str(home), "set", "two_step=on", "--format", "json"])
    assert result.code == 2
    line = one_line(result.err)
    assert line.startswith(f"wa-audit: {home / 'answers.yaml'}: cannot write ({ENOSPC})"), line
    assert changes(before, snapshot(home)) == []
    assert runs_in(home) == runs, "no run recorded for answers that were not saved"


# --- a real small disk: full, then read-only ------------------------------------------------------
@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB tmpfs (root only); skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the injected full disk above runs everywhere")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> None:
    with open(folder / "filler", "wb", buffering=0) as f, contextlib.suppress(OSError):
        while True:
            f.write(b"\0" * 4096)


def test_a_real_full_then_read_only_disk(tiny_disk: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = seed_home(tiny_disk / "home", history_runs=1)
    report = tiny_disk / "report.html"
    _fill(tiny_disk)
    before = snapshot(tiny_disk)

    result = run_cli(capsys, ["--home", str(home), "report", "--answers", EXAMPLE, "-o", str(report)])
    assert result.code == 2
    # The report reads the history for its trend: where the full disk stops that, one line says
    # so and the report goes on without it, to meet the full disk itself.
    *note, error = result.err.splitlines()
    assert error == f"wa-audit: {report}: cannot write ({ENOSPC}); choose another path"
    assert len(note) <= 1
    assert all(line.endswith("this report shows no trend or changes") for line in note), note
    result = run_cli(capsys, ["--home", str(home), "set", "two_step=on", "--format", "json"])
    assert result.code == 2
    line = one_line(result.err)  # the answers file or SQLite, whichever meets the full disk first
    assert ENOSPC in line or "free space" in line, line
    assert changes(before, snapshot(tiny_disk)) == []

    (tiny_disk / "filler").unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    before = snapshot(tiny_disk)
    result = run_cli(capsys, ["--home", str(home), "report", "--answers", EXAMPLE, "-o", str(report)])
    assert result.code == 2
    assert one_line(result.err) == f"wa-audit: {report}: cannot write here ({EROFS}); choose another path"
    result = run_cli(capsys, ["--home", str(home), "set", "two_step=on", "--format", "json"])
    assert result.code == 2
    assert EROFS in one_line(result.err)
    assert changes(before, snapshot(tiny_disk)) == []


# --- a busy history is not a damaged one ----------------------------------------------------------
@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 200)  # the wait before "busy"; 5 s for real


@pytest.mark.usefixtures("short_busy_timeout")
def test_a_history_another_process_is_writing_is_busy_not_damaged(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = runs_in(home)
    db = home / "history.sqlite3"
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another wa-audit in the middle of recording a run
        listed = run_cli(capsys, ["--home", str(home), "history", "--format", "json"])
        assert listed.code == 0, "reading while another process writes works"
        assert listed.err == ""
        result = run_cli(capsys, ["--home", str(home), "set", "two_step=on", "--format", "json"])
        assert result.code == 2
        line = one_line(result.err)
        assert line.startswith(f"wa-audit: {db}: ")
        assert "busy" in line
        assert line.endswith("try again")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert not [p for p in home.iterdir() if ".damaged-" in p.name], "busy is not damage"
    assert runs_in(home) == runs
    retry = run_cli(capsys, ["--home", str(home), "set", "two_step=on", "--format", "json"])
    assert retry.code == 0, retry.err
    assert runs_in(home) == [*runs, runs[-1] + 1]


@pytest.mark.usefixtures("short_busy_timeout")
def test_a_history_held_exclusively_is_busy_not_damaged(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = runs_in(home)
    db = home / "history.sqlite3"
    holder = sqlite3.connect(db, isolation_level=None)  # e.g. a database browser left open
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("COMMIT")  # the exclusive lock stays with the connection
        for argv in (["history"], ["diff"], ["set", "two_step=on", "--format", "json"]):
            result = run_cli(capsys, ["--home", str(home), *argv])
            assert result.code == 2, (argv, result.err)
            line = one_line(result.err)
            assert line.startswith(f"wa-audit: {db}: "), line
            assert "locked" in line or "busy" in line, line
            assert line.endswith("try again"), line
    finally:
        holder.close()
    assert not [p for p in home.iterdir() if ".damaged-" in p.name], "busy is not damage"
    listed = run_cli(capsys, ["--home", str(home), "history", "--format", "json"])
    assert listed.code == 0
    assert listed.err == ""
    assert runs_in(home) == runs


# --- a bug: exit 70, one line, nothing changed ----------------------------------------------------
def test_an_internal_error_is_one_line_exit_70_and_changes_nothing(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit.app import reports

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("a bug in a renderer")

    monkeypatch.setattr(reports, "render", broken)
    before = snapshot(home)
    for argv in (["report", "--answers", EXAMPLE], ["set", "two_step=on"]):
        result = run_cli(capsys, ["--home", str(home), *argv])
        assert result.code == 70
        assert result.out == ""
        assert one_line(result.err) == (
            "wa-audit: internal error: RuntimeError: a bug in a renderer (rerun with --debug and report it)"
        )
    assert changes(before, snapshot(home)) == []
    with pytest.raises(RuntimeError, match="a bug in a renderer"):  # --debug shows the traceback
        run_cli(capsys, ["--home", str(home), "--debug", "report", "--answers", EXAMPLE])


# --- Ctrl-C and Ctrl-D outside the interview ----------------------------------------------------
def test_ctrl_c_while_recording_is_exit_130(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit.app import record

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(record, "commit_run", interrupted)
    result = run_cli(capsys, ["--home", str(home), "set", "two_step=on", "--format", "json"])
    assert result.code == 130
    assert result.err.strip().splitlines() == ["wa-audit: interrupted"]


def _interrupt_by_default() -> None:
    # A suite started in the background by a script (`make test &`, nohup) inherits SIGINT ignored,
    # and an ignored signal stays ignored across exec: the Ctrl-C pressed below would never arrive.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _forget_prompt(home: Path) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k != "WA_AUDIT_HOME"}
    env.update(TERM="xterm-256color", NO_COLOR="1", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "audit", "--home", str(home), "forget"],
        cwd=str(ROOT),
        env=env,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=60,
        preexec_fn=_interrupt_by_default,
    )
    child.expect(r"\[y/N\]")
    return child


READ_SYSCALLS = {"0", "63"}  # read(2) on x86_64 and aarch64, as /proc/PID/syscall numbers it


def _wait_until_reading_stdin(pid: int, timeout: float = 60) -> None:
    """Until `pid` is blocked in read(0, ...) (Linux); elsewhere, a moment."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            fields = Path(f"/proc/{pid}/syscall").read_text().split()
        except OSError:
            time.sleep(1)
            return
        if fields[:2] in ([n, "0x0"] for n in READ_SYSCALLS):
            return
        time.sleep(0.05)
    raise AssertionError(f"pid {pid} never waited for input within {timeout} s")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("key", "code", "said"),
    [("ctrl-c", 130, "wa-audit: interrupted"), ("ctrl-d", 0, "Nothing deleted.")],
)
def test_ctrl_c_or_ctrl_d_at_the_forget_prompt_deletes_nothing(
    home: Path, key: str, code: int, said: str
) -> None:
    before = snapshot(home)
    child = _forget_prompt(home)
    if key == "ctrl-c":
        # A SIGINT that lands after input() printed its prompt but before it reads is only seen
        # at the next read (CPython checks signals when the read is interrupted), and a second one
        # pressed while the first is handled is another story: press once, when it is reading.
        _wait_until_reading_stdin(child.pid)
        child.sendintr()
    else:
        child.sendeof()  # the tty's line discipline keeps a Ctrl-D until it is read
    child.expect(pexpect.EOF, timeout=120)
    child.close()
    assert child.exitstatus == code, child.before
    assert said in (child.before or "")
    assert "internal error" not in (child.before or "")
    assert changes(before, snapshot(home)) == []


# --- report --set with nothing saved ------------------------------------------------------------
def test_report_set_with_no_saved_answers_reports_the_rest_as_unknown_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    home = tmp_path / "home"  # a first run: no folder yet
    result = run_cli(capsys, ["--home", str(home), "report", "--set", "two_step=on", "--format", "json"])
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["answers"]["two_step"] == "on"
    others = {q for q, a in report["answers"].items() if q != "two_step"}
    assert others
    assert all(report["answers"][q] == "unknown" for q in others)
    assert {u["question"] for u in report["unknowns"]} == others, "each one not answered is listed to check"
    assert not home.exists(), "report only reads: nothing saved, no history started"


# --- diff: the model changed, or nothing did -------------------------------------------------------
def test_diff_says_nothing_changed(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(2):
        assert run_cli(capsys, ["--home", str(home), "set", "two_step=on", "--format", "json"]).code == 0
    result = run_cli(capsys, ["--home", str(home), "diff"])
    assert result.code == 0, result.err
    lines = [line.strip() for line in result.out.splitlines() if line.strip()]
    assert lines[-1] == "Nothing changed."
    assert not any(line.startswith("Model:") for line in lines)


def test_diff_names_a_model_update(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    pack = tmp_path / "pack"
    shutil.copytree(DATA / "packs" / "mini", pack)
    answers = tmp_path / "mine.yaml"
    answers.write_text("schema_version: 1\npack: mini\nanswers:\n  platform: android\n  linked: 'no'\n")
    home = tmp_path / "home"
    base = ["--home", str(home), "--rules", str(pack)]
    first = run_cli(capsys, [*base, "audit", "--answers", str(answers), "--format", "json"])
    assert first.code == 0, first.err
    meta = pack / "pack.yaml"
    meta.write_text(meta.read_text().replace('version: "2026.1"', 'version: "2026.2"'))
    second = run_cli(capsys, [*base, "set", "linked=no", "--format", "json"])
    assert second.code == 0, second.err
    result = run_cli(capsys, [*base, "diff"])
    assert result.code == 0, result.err
    lines = [line.strip() for line in result.out.splitlines()]
    assert "Model: 2026.1 -> 2026.2" in lines
    assert "Nothing changed." in lines, "same answers, same findings: only the model moved"
