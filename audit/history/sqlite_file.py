"""The SQLite file under the history: opened for reading or writing, damage moved aside, migrations.

The database is opened in WAL mode with a busy timeout, and every write is one `BEGIN IMMEDIATE`
transaction, so two processes recording at once both land. A damaged file is never repaired in
place or dropped: it is renamed `history.sqlite3.damaged-<time>`, a fresh one started, and the
person warned (`warn`). SQLite's errors become one line saying what to do (`access_error`).
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from datetime import UTC, datetime
from pathlib import Path

from audit.errors import HistoryError, Warn
from audit.files import PRIVATE_FILE, ensure_private_dir
from audit.lang import _

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


def connect(path: Path, *, now: datetime, readonly: bool, warn: Warn) -> sqlite3.Connection:
    """A connection to the history at `path` (created 0600 in a 0700 folder), migrated if needed.

    `now` stamps the name of a damaged copy. `readonly` (history, diff, the reads before a run)
    opens without writing anything, so a history on a read-only disk or owned by someone else can
    still be read; where there is none (or a damaged one was moved aside) it reads as empty.
    """
    if not readonly:
        ensure_private_dir(path.parent)
    exists = _existing_file(path)
    if exists:
        why = _damage(path)
        if why is not None:
            moved = _move_aside(path, now, why)
            warn(
                _("{path}: the history was damaged ({why}); moved it to {name} and started a new one").format(
                    path=path, why=why, name=moved.name
                )
            )
            exists = False
    if readonly:
        return _read_only(path) if exists else _empty(path)
    _create_private(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as e:
        raise access_error(path, e, "open") from e
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses no committed run
        _migrate(conn, path)
    except sqlite3.Error as e:
        conn.close()
        raise access_error(path, e, "write") from e
    except BaseException:
        conn.close()
        raise
    return conn


def _create_private(path: Path) -> None:
    # SQLite would create the file with the umask's mode (often 0644); create it 0600 first.
    # The -wal and -shm files SQLite makes later copy the database file's mode.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
    except OSError as e:
        if path.exists():
            raise HistoryError(
                _(
                    "{path}: cannot write the history ({reason}); make it writable for you "
                    "(chmod u+w, or chown if another user made it) or use another --home"
                ).format(path=path, reason=e.strerror)
            ) from e
        raise HistoryError(
            _(
                "{path}: cannot create the history ({reason}); make its folder writable for you "
                "or use another --home"
            ).format(path=path, reason=e.strerror)
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
            raise HistoryError(
                _("{path}: a link to nothing; remove it or point it at a file").format(path=path)
            ) from None
        return False
    except OSError as e:
        raise HistoryError(
            _("{path}: cannot open the history ({reason}); remove or fix it").format(
                path=path, reason=e.strerror
            )
        ) from e
    if stat.S_ISDIR(st.st_mode):
        raise HistoryError(
            _("{path}: is a folder, not the history file; move it away or use another --home").format(
                path=path
            )
        )
    if not stat.S_ISREG(st.st_mode):
        raise HistoryError(
            _("{path}: not a regular file, so not the history; move it away or use another --home").format(
                path=path
            )
        )
    return True


# SQLite's own word for damage; anything else (no access, a read-only disk, busy) is not damage.
_DAMAGE_CODES = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_BUSY_CODES = ("SQLITE_BUSY", "SQLITE_LOCKED")


def _code(e: sqlite3.Error) -> str:
    return str(getattr(e, "sqlite_errorname", "") or "")


def access_error(path: Path, e: sqlite3.Error, doing: str) -> HistoryError:
    """One line for an SQLite error that is not damage: what happened and what to do."""
    code = _code(e)
    if code.startswith(_BUSY_CODES):
        return HistoryError(
            _("{path}: the history is busy (another wa-audit is writing); try again").format(path=path)
        )
    if code.startswith(_DAMAGE_CODES):
        return HistoryError(
            _("{path}: the history is damaged ({error}); run the command again to move it aside").format(
                path=path, error=e
            )
        )
    # One sentence per thing done (`doing`): open, read or write.
    cannot = {
        "open": _("{path}: cannot open the history ({error})"),
        "read": _("{path}: cannot read the history ({error})"),
        "write": _("{path}: cannot write the history ({error})"),
    }[doing].format(path=path, error=e)
    if code.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")) or (
        code.startswith("SQLITE_CANTOPEN") and doing != "read"
    ):
        return HistoryError(
            _(
                "{problem}; make it and its folder writable for you "
                "(chmod u+w, or chown if another user made them) or use another --home"
            ).format(problem=cannot)
        )
    # A full disk, an I/O error, a file the person cannot read: nothing about the file itself.
    return HistoryError(
        _(
            "{problem}; check the free space and access of its folder "
            "(chmod u+r) and that the disk is healthy, or use another --home"
        ).format(problem=cannot)
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
        version = schema_version(conn)
    except sqlite3.Error as e:
        raise access_error(path, e, "read") from e
    if version > SCHEMA_VERSION:
        conn.close()
        raise HistoryError(
            _(
                "{path}: written by a newer wa-audit (history schema {version}, this one knows {known}); "
                "upgrade wa-audit"
            ).format(path=path, version=version, known=SCHEMA_VERSION)
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
            _(
                "{path}: cannot read the history ({reason}); make it readable for you "
                "(chmod u+r, or chown if another user made it) or use another --home"
            ).format(path=path, reason=e.strerror)
        ) from e
    if header and header != SQLITE_HEADER:
        return _("not an SQLite database")
    try:
        conn = _connect_read_only(path)
    except sqlite3.Error as e:
        if _code(e).startswith(_DAMAGE_CODES):
            return str(e)
        raise access_error(path, e, "read") from e
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as e:
        if _code(e).startswith(_BUSY_CODES):
            return None  # another process holds it: busy, not damaged
        if _code(e).startswith(_DAMAGE_CODES):
            return str(e)
        raise access_error(path, e, "read") from e
    finally:
        conn.close()
    result = "; ".join(str(r[0]) for r in rows)
    # SQLite's own words after the colon, in English.
    return None if result == "ok" else _("integrity check: {result}").format(result=result[:120])


def _move_aside(path: Path, now: datetime, why: str) -> Path:
    # Only a file the person may change: a damaged history they cannot write stays where it is.
    unchangeable = (
        (
            path,
            _(
                "{path}: the history is damaged ({why}) and you cannot change it; move it away "
                "yourself (or ask whoever owns it) or use another --home"
            ),
        ),
        (
            path.parent,
            _(
                "{path}: the history is damaged ({why}) and you cannot change its folder; move it away "
                "yourself (or ask whoever owns it) or use another --home"
            ),
        ),
    )
    for target_, message in unchangeable:
        if not os.access(target_, os.W_OK):
            raise HistoryError(message.format(path=path, why=why))
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
            _("{path}: the history is damaged and cannot be moved aside ({reason}); move it yourself").format(
                path=path, reason=e.strerror
            )
        ) from e

    return target


def schema_version(conn: sqlite3.Connection) -> int:
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
    if schema_version(conn) == target:
        return  # the common case needs no write lock
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as e:
        raise HistoryError(
            _("{path}: the history is busy ({error}); try again").format(path=path, error=e)
        ) from e
    try:
        # Re-read inside the lock: another process may have migrated while we waited.
        version = schema_version(conn)
        if version > target:
            raise HistoryError(
                _(
                    "{path}: written by a newer wa-audit (history schema {version}, this one knows {known}); "
                    "upgrade wa-audit"
                ).format(path=path, version=version, known=target)
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
