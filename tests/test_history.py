"""The history database: numbering, privacy, migrations, damage handling, concurrency, and diff()."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from audit.errors import HistoryError
from audit.evaluate.engine import evaluate
from audit.history import sqlite_file
from audit.history.diff import diff
from audit.history.runs import History, Run
from audit.model.answers import Answers
from audit.model.assessment import AnswerChange
from audit.model.pack import Pack
from tests.sync import release_together

T0 = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def _save(h: History, pack: Pack, values: dict[str, str], at: datetime = T0) -> Run:
    answers = Answers(pack=pack.meta.id, values=values)
    return h.save(at=at, pack=pack, answers=answers, assessment=evaluate(pack, answers))


def _run(**over: object) -> Run:
    base: dict[str, object] = {
        "id": 1,
        "at": T0,
        "tool_version": "0",
        "pack_id": "p",
        "pack_version": "2026.1",
        "pack_reviewed": date(2026, 1, 1),
        "answers": {},
        "assessment_json": "{}",
        "score": 50,
        "band": "high",
        "findings": (),
        "rules_seen": (),
        "questions_seen": (),
    }
    return Run.model_validate({**base, **over})


def test_runs_are_numbered_from_one_and_read_back(tmp_path: Path, mini_pack: Pack) -> None:
    path = tmp_path / "home" / "history.sqlite3"
    warned: list[str] = []
    with History.open(path, warn=warned.append) as h:
        assert warned == []
        assert h.latest() is None
        first = _save(h, mini_pack, {"platform": "android", "linked": "yes", "share": "always"})
        second = _save(h, mini_pack, {"platform": "android", "linked": "no"}, T0 + timedelta(days=1))
    assert (first.id, second.id) == (1, 2)
    with History.open(path) as h:
        runs = h.runs()
        assert [r.id for r in runs] == [1, 2]
        assert h.latest() == runs[-1] == second
        assert h.latest("other-pack") is None
        assert h.count() == 2
    got = runs[0]
    assert got.at == T0
    assert got.answers == {"platform": "android", "linked": "yes", "share": "always"}
    assert (got.pack_id, got.pack_version) == ("mini", mini_pack.meta.version)
    assert got.rules_seen == tuple(r.id for r in mini_pack.rules)
    assert got.questions_seen == ("platform", "linked", "share", "last_seen")
    assessment = got.assessment()
    assert got.score == assessment.score.value
    assert got.findings == tuple(f.id for f in assessment.findings)
    assert got.findings, "the linked answers should trigger a finding in the mini pack"
    assert runs[1].findings != got.findings


def test_unknown_run_number_names_the_valid_ones(tmp_path: Path, mini_pack: Pack) -> None:
    with History.open(tmp_path / "history.sqlite3") as h:
        with pytest.raises(HistoryError, match="there are no runs yet"):
            h.get(1)
        _save(h, mini_pack, {})
        _save(h, mini_pack, {})
        with pytest.raises(HistoryError, match=r"no run 7 in the history \(runs are 1\.\.2\)"):
            h.get(7)


def test_file_is_private_and_uses_wal(tmp_path: Path, mini_pack: Pack) -> None:
    home = tmp_path / "new" / "home"
    path = home / "history.sqlite3"
    old = os.umask(0o022)  # the usual umask would make SQLite's own file 0644
    try:
        with History.open(path) as h:
            _save(h, mini_pack, {})
            wal = path.with_name(path.name + "-wal")
            assert wal.exists()
            assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    finally:
        conn.close()
    assert int(version) == sqlite_file.SCHEMA_VERSION == len(sqlite_file.MIGRATIONS)


def test_migrations_run_in_order_and_keep_rows(
    tmp_path: Path, mini_pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    with History.open(path) as h:
        _save(h, mini_pack, {"linked": "no"})
    extra = (
        "ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT ''",
        "UPDATE runs SET note = 'migrated'",
    )
    monkeypatch.setattr(sqlite_file, "MIGRATIONS", (*sqlite_file.MIGRATIONS, extra))
    with History.open(path) as h:
        assert h.schema_version() == 2
        assert [r.answers for r in h.runs()] == [{"linked": "no"}]
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT note FROM runs").fetchall() == [("migrated",)]
    finally:
        conn.close()


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path, mini_pack: Pack) -> None:
    path = tmp_path / "history.sqlite3"
    with History.open(path) as h:
        _save(h, mini_pack, {})
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    with pytest.raises(HistoryError, match=r"newer wa-audit.*upgrade"):
        History.open(path)
    assert path.exists()
    assert not list(tmp_path.glob("*damaged*"))


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path: Path, mini_pack: Pack) -> None:
    path = tmp_path / "history.sqlite3"
    garbage = b"this is not sqlite, but someone's data all the same\n" * 200
    path.write_bytes(garbage)
    when = datetime(2026, 11, 29, 8, 0, 5, tzinfo=UTC)
    warned: list[str] = []
    with History.open(path, now=when, warn=warned.append) as h:
        [warning] = warned
        assert "damaged" in warning
        assert "history.sqlite3.damaged-20261129T080005Z" in warning
        assert "\n" not in warning
        assert h.count() == 0
        _save(h, mini_pack, {})
    moved = tmp_path / "history.sqlite3.damaged-20261129T080005Z"
    assert moved.read_bytes() == garbage  # nothing dropped
    # The same second again: a second copy, not an overwrite.
    path.unlink()
    path.write_bytes(b"x" * 4096)
    with History.open(path, now=when, warn=warned.append):
        assert len(warned) == 2
    assert moved.read_bytes() == garbage
    assert (tmp_path / "history.sqlite3.damaged-20261129T080005Z-2").read_bytes() == b"x" * 4096


def test_a_corrupt_database_fails_its_check_and_is_moved_aside(tmp_path: Path, mini_pack: Pack) -> None:
    path = tmp_path / "history.sqlite3"
    with History.open(path) as h:
        for _ in range(40):  # enough rows for several b-tree pages
            _save(h, mini_pack, {"platform": "iphone", "linked": "yes"})
    size = path.stat().st_size
    page = 4096
    assert size > 4 * page
    with open(path, "r+b") as f:  # scribble over the middle pages, header intact
        f.seek(2 * page)
        f.write(b"\xff" * (size - 3 * page))
    damaged_bytes = path.read_bytes()
    warned: list[str] = []
    with History.open(path, warn=warned.append) as h:
        [warning] = warned
        assert "damaged" in warning
        assert h.count() == 0
    copies = list(tmp_path.glob("history.sqlite3.damaged-*"))
    assert len(copies) == 1
    assert copies[0].read_bytes() == damaged_bytes


def test_diff_is_exact() -> None:
    before = _run(
        id=3,
        score=62,
        findings=("a", "b"),
        answers={"linked": "yes", "share": "always", "gone": "x"},
        rules_seen=("F1", "F2"),
        questions_seen=("linked", "share", "gone"),
    )
    after = _run(
        id=4,
        at=T0 + timedelta(hours=2),
        score=40,
        findings=("b", "c"),
        answers={"linked": "no", "share": "always", "new_q": "y"},
        rules_seen=("F1", "F2", "F9"),
        questions_seen=("linked", "share", "new_q"),
        pack_version="2026.2",
    )
    changes = diff(before, after)
    assert changes.since == T0
    assert (changes.score_before, changes.score_after) == (62, 40)
    assert changes.new_findings == ("c",)
    assert changes.resolved_findings == ("a",)
    assert changes.changed_answers == {
        "linked": AnswerChange(from_="yes", to="no"),
        "new_q": AnswerChange(from_="unknown", to="y"),
        "gone": AnswerChange(from_="x", to="unknown"),
    }
    assert list(changes.changed_answers) == ["linked", "new_q", "gone"]
    assert changes.new_rules == ("F9",)
    same = diff(after, after)
    assert (same.new_findings, same.resolved_findings, same.changed_answers, same.new_rules) == (
        (),
        (),
        {},
        (),
    )


def test_a_row_that_does_not_read_is_an_error_not_a_skip(tmp_path: Path, mini_pack: Pack) -> None:
    path = tmp_path / "history.sqlite3"
    with History.open(path) as h:
        _save(h, mini_pack, {})
        _save(h, mini_pack, {})
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE runs SET answers = '[1, 2]' WHERE id = 2")
    conn.close()
    with History.open(path) as h, pytest.raises(HistoryError, match="run 2: answers"):
        h.runs()


_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from audit.model.answers import Answers
    from audit.evaluate.engine import evaluate
    from audit.clock import now_utc
    from audit.history.runs import History
    from audit.load.read import load_pack

    path, pack_dir, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    pack = load_pack(pack_dir)
    answers = Answers(pack=pack.meta.id, values={"linked": "yes"})
    assessment = evaluate(pack, answers)
    print("ready", flush=True)
    sys.stdin.readline()  # go: both writers start at once (tests/sync.py)
    for _ in range(count):
        # A fresh connection per run, as separate wa-audit commands would do.
        with History.open(path) as h:
            h.save(at=now_utc(), pack=pack, answers=answers, assessment=assessment)
    """
)


@pytest.mark.slow
def test_two_processes_recording_at_once_lose_no_row(tmp_path: Path) -> None:
    path = tmp_path / "home" / "history.sqlite3"  # not created yet: both race to create it too
    pack_dir = Path(__file__).resolve().parent / "data" / "packs" / "mini"
    count = 25
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), str(pack_dir), str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
        )
        for _ in range(2)
    ]
    try:
        release_together(procs)
        errors = [p.communicate(timeout=120)[1].decode(errors="replace") for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    assert [p.returncode for p in procs] == [0, 0], errors
    warned: list[str] = []
    with History.open(path, warn=warned.append) as h:
        assert warned == []
        assert [r.id for r in h.runs()] == list(range(1, 2 * count + 1))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.mkdir(), "is a folder"),
        (os.mkfifo, "not a regular file"),  # opening it would hang
        (lambda p: p.symlink_to(p.name), "cannot open the history"),  # a loop
        (lambda p: p.symlink_to("nowhere"), "a link to nothing"),
    ],
    ids=["folder", "fifo", "link-loop", "dangling-link"],
)
def test_something_else_where_the_history_belongs_is_an_error(
    tmp_path: Path, make: object, expected: str
) -> None:
    path = tmp_path / "history.sqlite3"
    make(path)  # type: ignore[operator]
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(HistoryError) as info:
        History.open(path)
    message = info.value.message
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "; " in message
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing moved aside or created


@pytest.mark.parametrize(
    ("column", "value"),
    [("score", "101"), ("score", "-1"), ("id", "-5"), ("at", "'yesterday'"), ("findings", "'{}'")],
)
def test_a_row_out_of_bounds_does_not_read(tmp_path: Path, mini_pack: Pack, column: str, value: str) -> None:
    path = tmp_path / "history.sqlite3"
    with History.open(path) as h:
        _save(h, mini_pack, {})
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(f"UPDATE runs SET {column} = {value}")  # noqa: S608 - test values
    conn.close()
    with History.open(path) as h, pytest.raises(HistoryError, match=f": {column} does not read"):
        h.runs()
