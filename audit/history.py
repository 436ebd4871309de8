"""Past runs in SQLite (`history.sqlite3` in the home), and diff(previous, current) -> Changes.

One row per completed audit: when, which pack (id, version, reviewed), the answers, the assessment
JSON, the score, and the ids of the rules and questions that pack had, so a later run can say which
rules are new and which questions to ask again after a model update. Run numbers are the row ids,
1..N, never reused.

The database is opened in WAL mode with a busy timeout, and every write is one `BEGIN IMMEDIATE`
transaction, so two processes recording at once both land. A damaged file is never repaired in
place or dropped: it is renamed `history.sqlite3.damaged-<time>` and a fresh one started, and the
caller gets a one-line notice to show (this module prints nothing).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from audit import __version__
from audit.answers import Answers
from audit.assessment import AnswerChange, Assessment, Changes
from audit.conditions import NOT_ASKED, UNKNOWN
from audit.errors import HistoryError
from audit.frozen_model import FrozenModel
from audit.fsutil import PRIVATE_FILE, ensure_private_dir
from audit.pack import Pack

BUSY_TIMEOUT_MS = 5000
SIDECARS = ("-wal", "-shm", "-journal")  # files SQLite keeps next to the database
DAMAGED_MARK = ".damaged-"
SQLITE_HEADER = b"SQLite format 3\x00"

# Migration N brings the schema from version N-1 to N; the steps run in order, each migration in
# one transaction with the schema_version bump, so a crash leaves the old version or the new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            pack_id TEXT NOT NULL,
            pack_version TEXT NOT NULL,
            pack_reviewed TEXT NOT NULL,
            answers TEXT NOT NULL,
            assessment TEXT NOT NULL,
            score INTEGER NOT NULL,
            band TEXT NOT NULL,
            findings TEXT NOT NULL,
            rules_seen TEXT NOT NULL,
            questions_seen TEXT NOT NULL
        )""",
        "CREATE INDEX runs_pack ON runs (pack_id, id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_COLUMNS = (
    "id, at, tool_version, pack_id, pack_version, pack_reviewed, answers, assessment, score, band, "
    "findings, rules_seen, questions_seen"
)


class Run(FrozenModel):
    """One recorded run, as read back from the database (every row is validated on the way out)."""

    id: int = Field(ge=0)  # 1..N once recorded; 0 for a run not saved yet (make_run)
    at: datetime
    tool_version: str
    pack_id: str
    pack_version: str
    pack_reviewed: date
    answers: dict[str, str]
    assessment_json: str = Field(repr=False)
    score: int = Field(ge=0, le=100)
    band: str
    findings: tuple[str, ...]
    rules_seen: tuple[str, ...]
    questions_seen: tuple[str, ...]

    def assessment(self) -> Assessment:
        """The full assessment stored with this run."""
        try:
            return Assessment.model_validate_json(self.assessment_json)
        except ValidationError as e:
            raise HistoryError(
                f"run {self.id}: its stored assessment no longer reads ({e.error_count()} problem(s)); "
                "use 'wa-audit forget' to start over"
            ) from e

    def answer(self, question: str) -> str:
        return self.answers.get(question, UNKNOWN)


def now_utc() -> datetime:
    """Whole seconds in UTC: the precision runs are shown with."""
    return datetime.now(UTC).replace(microsecond=0)


class History:
    """An open history database. Use as a context manager, or call close()."""

    def __init__(self, path: Path, conn: sqlite3.Connection, notice: str | None) -> None:
        self.path = path
        self._conn = conn
        self.notice = notice  # set when a damaged file was moved aside on opening

    @classmethod
    def open(cls, path: Path, *, now: datetime | None = None, readonly: bool = False) -> History:
        """Open (creating it 0600 in a 0700 folder) the history at `path`, migrating it if needed.

        `now` stamps the name of a damaged copy; it defaults to the current time. `readonly`
        (history, diff, the reads before a run) opens without writing anything, so a history on
        a read-only disk or owned by someone else can still be read; where there is none (or a
        damaged one was moved aside) it reads as empty.
        """
        if not readonly:
            ensure_private_dir(path.parent)
        notice = None
        exists = _existing_file(path)
        if exists:
            why = _damage(path)
            if why is not None:
                moved = _move_aside(path, now or now_utc(), why)
                notice = (
                    f"{path}: the history was damaged ({why}); moved it to {moved.name} and started a new one"
                )
                exists = False
        if readonly:
            return cls(path, _read_only(path) if exists else _empty(path), notice)
        _create_private(path)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as e:
            raise _access_error(path, e, "open") from e
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses no committed run
            _migrate(conn, path)
        except sqlite3.Error as e:
            conn.close()
            raise _access_error(path, e, "write") from e
        except BaseException:
            conn.close()
            raise
        return cls(path, conn, notice)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise _access_error(self.path, e, "write") from e
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def check_writable(self) -> None:
        """HistoryError (one line, with the fix) unless a run can be recorded now; writes nothing."""
        with self._transaction():
            pass

    def save(self, *, at: datetime, pack: Pack, answers: Answers, assessment: Assessment) -> Run:
        """Record one completed run; returns it with its number."""
        run = make_run(at=at, pack=pack, answers=answers, assessment=assessment)
        row = (
            _iso(run.at),
            run.tool_version,
            run.pack_id,
            run.pack_version,
            run.pack_reviewed.isoformat(),
            json.dumps(run.answers, sort_keys=True),
            run.assessment_json,
            run.score,
            run.band,
            json.dumps(run.findings),
            json.dumps(run.rules_seen),
            json.dumps(run.questions_seen),
        )
        try:
            with self._transaction() as conn:
                cur = conn.execute(
                    f"INSERT INTO runs ({_COLUMNS.partition(', ')[2]}) "  # noqa: S608 - constant columns
                    f"VALUES ({', '.join('?' * len(row))})",
                    row,
                )
                run_id = cur.lastrowid
        except HistoryError:
            raise
        except sqlite3.Error as e:
            raise _access_error(self.path, e, "write") from e
        assert run_id is not None  # noqa: S101 - an INSERT always sets it
        return self.get(run_id)

    def _select(self, where: str = "", params: Sequence[Any] = ()) -> list[Run]:
        try:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM runs {where}",  # noqa: S608 - where is a constant clause
                params,
            ).fetchall()
        except sqlite3.Error as e:
            raise _access_error(self.path, e, "read") from e
        return [_run_from_row(self.path, row) for row in rows]

    def runs(self, pack_id: str | None = None) -> list[Run]:
        """Every run, oldest first (only those of `pack_id` when given)."""
        if pack_id is None:
            return self._select("ORDER BY id")
        return self._select("WHERE pack_id = ? ORDER BY id", (pack_id,))

    def latest(self, pack_id: str | None = None) -> Run | None:
        """The most recent run (of `pack_id` when given), or None."""
        if pack_id is None:
            found = self._select("ORDER BY id DESC LIMIT 1")
        else:
            found = self._select("WHERE pack_id = ? ORDER BY id DESC LIMIT 1", (pack_id,))
        return found[0] if found else None

    def get(self, run_id: int) -> Run:
        """Run number `run_id`; HistoryError naming the valid numbers when there is none."""
        found = self._select("WHERE id = ?", (run_id,))
        if found:
            return found[0]
        ids = [r[0] for r in self._conn.execute("SELECT id FROM runs ORDER BY id").fetchall()]
        known = f"runs are {ids[0]}..{ids[-1]}" if ids else "there are no runs yet"
        raise HistoryError(f"no run {run_id} in the history ({known}); 'wa-audit history' lists them")

    def count(self) -> int:
        row = self._conn.execute("SELECT count(*) FROM runs").fetchone()
        return int(row[0])

    def schema_version(self) -> int:
        return _schema_version(self._conn)


def make_run(*, at: datetime, pack: Pack, answers: Answers, assessment: Assessment, run_id: int = 0) -> Run:
    """The run these answers make, before it is saved (number 0: not recorded yet)."""
    return Run(
        id=run_id,
        at=at.astimezone(UTC).replace(microsecond=0),
        tool_version=__version__,
        pack_id=pack.meta.id,
        pack_version=pack.meta.version,
        pack_reviewed=pack.meta.reviewed,
        answers=dict(answers.values),
        assessment_json=assessment.model_dump_json(),
        score=assessment.score.value,
        band=assessment.score.band,
        findings=tuple(f.id for f in assessment.findings),
        rules_seen=tuple(r.id for r in pack.rules),
        questions_seen=tuple(q.id for q in pack.questions),
    )


def _asked(run: Run) -> Callable[[str], str]:
    """A run's answer per question as its evaluation saw it: `not_asked` where it was not asked.

    A question that did not apply (its `when` was false), that a quick check skipped, or that the
    model did not have yet was not asked, which is not "I don't know" (SHARING_MODEL.md section 6).
    """
    # Only the answers are needed, so plain JSON (the assessment's full reading needs pydantic).
    try:
        effective = json.loads(run.assessment_json).get("answers")  # every asked one, "unknown" too
    except (ValueError, AttributeError):
        effective = None
    if not isinstance(effective, dict):
        return run.answer  # an unreadable old assessment: the saved answers are all there is
    return lambda q: str(effective.get(q, NOT_ASKED))


def diff(previous: Run, current: Run) -> Changes:
    """What changed from `previous` to `current`: score, findings, answers, and rules new since."""
    before, after = set(previous.findings), set(current.findings)
    order = list(dict.fromkeys([*current.questions_seen, *previous.questions_seen]))
    order += sorted((set(previous.answers) | set(current.answers)) - set(order))
    was, now = _asked(previous), _asked(current)
    changed = {q: AnswerChange(from_=was(q), to=now(q)) for q in order if was(q) != now(q)}
    known = set(previous.questions_seen)
    seen = set(previous.rules_seen)
    return Changes(
        since=previous.at,
        score_before=previous.score,
        score_after=current.score,
        new_findings=tuple(f for f in current.findings if f not in before),
        resolved_findings=tuple(f for f in previous.findings if f not in after),
        changed_answers=changed,
        new_rules=tuple(r for r in current.rules_seen if r not in seen),
        new_questions=tuple(q for q in current.questions_seen if known and q not in known),
    )


# --- opening, damage, migrations ---------------------------------------------------------------
def _iso(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("run times must be timezone-aware")
    return at.astimezone(UTC).replace(microsecond=0).isoformat()


def _create_private(path: Path) -> None:
    # SQLite would create the file with the umask's mode (often 0644); create it 0600 first.
    # The -wal and -shm files SQLite makes later copy the database file's mode.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    except OSError as e:
        if path.exists():
            raise HistoryError(
                f"{path}: cannot write the history ({e.strerror}); make it writable for you "
                "(chmod u+w, or chown if another user made it) or use another --home"
            ) from e
        raise HistoryError(
            f"{path}: cannot create the history ({e.strerror}); make its folder writable for you "
            "or use another --home"
        ) from e
    os.close(fd)


def _existing_file(path: Path) -> bool:
    """True when `path` is a regular file; False when there is nothing; HistoryError otherwise.

    A folder, FIFO or broken link where the history belongs is the person's to sort out: moving it
    aside as "damaged" would hide their mistake, and opening a FIFO would hang.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise HistoryError(f"{path}: a link to nothing; remove it or point it at a file") from None
        return False
    except OSError as e:
        raise HistoryError(f"{path}: cannot open the history ({e.strerror}); remove or fix it") from e
    if stat.S_ISDIR(st.st_mode):
        raise HistoryError(f"{path}: is a folder, not the history file; move it away or use another --home")
    if not stat.S_ISREG(st.st_mode):
        raise HistoryError(
            f"{path}: not a regular file, so not the history; move it away or use another --home"
        )
    return True


# SQLite's own word for damage; anything else (no access, a read-only disk, busy) is not damage.
_DAMAGE_CODES = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_BUSY_CODES = ("SQLITE_BUSY", "SQLITE_LOCKED")


def _code(e: sqlite3.Error) -> str:
    return str(getattr(e, "sqlite_errorname", "") or "")


def _access_error(path: Path, e: sqlite3.Error, doing: str) -> HistoryError:
    """One line for an SQLite error that is not damage: what happened and what to do."""
    code = _code(e)
    if code.startswith(_BUSY_CODES):
        return HistoryError(f"{path}: the history is busy (another wa-audit is writing); try again")
    if code.startswith(_DAMAGE_CODES):
        return HistoryError(f"{path}: the history is damaged ({e}); run the command again to move it aside")
    if code.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")) or (
        code.startswith("SQLITE_CANTOPEN") and doing != "read"
    ):
        return HistoryError(
            f"{path}: cannot {doing} the history ({e}); make it and its folder writable for you "
            f"(chmod u+w, or chown if another user made them) or use another --home"
        )
    # A full disk, an I/O error, a file the person cannot read: nothing about the file itself.
    return HistoryError(
        f"{path}: cannot {doing} the history ({e}); check the free space and access of its folder "
        "(chmod u+r) and that the disk is healthy, or use another --home"
    )


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection to read through; where the person cannot write, one that never writes.

    That is mode=ro, or immutable=1 where SQLite cannot even share a lock: a history in WAL mode
    needs its -shm file to be read; on a read-only disk, or in a folder the person cannot write,
    SQLite cannot create it and refuses mode=ro; immutable=1 then reads the file as it is (nobody
    can be writing to it there).
    """
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        # Writable: an ordinary connection (that this module only reads through), because only
        # one that may write removes SQLite's -wal and -shm files again when it closes.
        return sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    from urllib.parse import quote

    uri = f"file:{quote(str(path.absolute()))}"
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error as e:
        if not _code(e).startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY")):
            raise
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)


def _read_only(path: Path) -> sqlite3.Connection:
    try:
        conn = _connect_read_only(path)
        version = _schema_version(conn)
    except sqlite3.Error as e:
        raise _access_error(path, e, "read") from e
    if version > SCHEMA_VERSION:
        conn.close()
        raise HistoryError(
            f"{path}: written by a newer wa-audit (history schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade wa-audit"
        )
    if version < len(MIGRATIONS):
        conn.close()
        return _empty(path)  # created but never written to: no runs yet (migrating would write)
    return conn


def _empty(path: Path) -> sqlite3.Connection:
    """An empty history in memory: what a read sees where there is none (nothing is created)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    _migrate(conn, path)
    return conn


def _damage(path: Path) -> str | None:
    """Why the file at `path` is damaged (its header, or PRAGMA integrity_check), or None.

    Only that is damage: a file wa-audit cannot read or open (permissions, a read-only disk, a
    busy lock) is a HistoryError to report, never a reason to move the person's history aside.
    """
    # Read the header ourselves first: a file we cannot read is a permission problem to report,
    # not damage to move aside, and SQLite's own message for it is only "unable to open".
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as e:
        raise HistoryError(
            f"{path}: cannot read the history ({e.strerror}); make it readable for you "
            "(chmod u+r, or chown if another user made it) or use another --home"
        ) from e
    if header and header != SQLITE_HEADER:
        return "not an SQLite database"
    try:
        conn = _connect_read_only(path)
    except sqlite3.Error as e:
        if _code(e).startswith(_DAMAGE_CODES):
            return str(e)
        raise _access_error(path, e, "read") from e
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as e:
        if _code(e).startswith(_BUSY_CODES):
            return None  # another process holds it: busy, not damaged
        if _code(e).startswith(_DAMAGE_CODES):
            return str(e)
        raise _access_error(path, e, "read") from e
    finally:
        conn.close()
    result = "; ".join(str(r[0]) for r in rows)
    return None if result == "ok" else f"integrity check: {result[:120]}"


def _move_aside(path: Path, now: datetime, why: str) -> Path:
    # Only a file the person may change: a damaged history they cannot write stays where it is.
    for what, target_ in (("it", path), ("its folder", path.parent)):
        if not os.access(target_, os.W_OK):
            raise HistoryError(
                f"{path}: the history is damaged ({why}) and you cannot change {what}; move it away "
                "yourself (or ask whoever owns it) or use another --home"
            )
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}{DAMAGED_MARK}{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}{DAMAGED_MARK}{stamp}-{n}")
    try:
        os.replace(path, target)
        for suffix in SIDECARS:
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, target.with_name(target.name + suffix))
    except OSError as e:
        raise HistoryError(
            f"{path}: the history is damaged and cannot be moved aside ({e.strerror}); move it yourself"
        ) from e
    return target


def _schema_version(conn: sqlite3.Connection) -> int:
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
    if not has_meta:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, waiting out another process that holds the file, as busy_timeout would.

    SQLite answers a journal-mode change with SQLITE_BUSY at once, without calling the busy
    handler, while another connection has the new file locked (two first runs creating the
    history together): retry until the busy timeout has passed.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            busy = getattr(e, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not busy or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    target = len(MIGRATIONS)  # read at call time, so a test can add a migration
    if _schema_version(conn) == target:
        return  # the common case needs no write lock
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as e:
        raise HistoryError(f"{path}: the history is busy ({e}); try again") from e
    try:
        # Re-read inside the lock: another process may have migrated while we waited.
        version = _schema_version(conn)
        if version > target:
            raise HistoryError(
                f"{path}: written by a newer wa-audit (history schema {version}, this one knows "
                f"{target}); upgrade wa-audit"
            )
        for steps in MIGRATIONS[version:]:
            for sql in steps:
                conn.execute(sql)
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(target),),
        )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


_JSON_COLUMNS = ("answers", "findings", "rules_seen", "questions_seen")


def _run_from_row(path: Path, row: Sequence[Any]) -> Run:
    """A row as a Run, every column validated; HistoryError naming the first that does not read."""
    names = [c.strip() for c in _COLUMNS.split(",")]
    raw = dict(zip(names, row, strict=True))
    raw["assessment_json"] = raw.pop("assessment")
    for name in _JSON_COLUMNS:
        try:
            raw[name] = json.loads(raw[name])
        except (ValueError, TypeError) as e:
            raise _unreadable(path, raw, name) from e
    try:
        return Run.model_validate(raw)
    except ValidationError as e:
        raise _unreadable(path, raw, str(e.errors()[0]["loc"][0])) from e


def _unreadable(path: Path, raw: dict[str, Any], column: str) -> HistoryError:
    return HistoryError(
        f"{path}: run {raw.get('id')}: {column} does not read; use 'wa-audit forget' to start over"
    )
