"""Past runs in SQLite (`history.sqlite3` in the home): record a run, read runs back, the trend.

One row per completed audit: when, which pack (id, version, reviewed), the answers, the assessment
JSON, the score, and the ids of the rules and questions that pack had, so a later run can say which
rules are new and which questions to ask again after a model update. Run numbers are the row ids,
1..N, never reused.

Opening the file, moving a damaged one aside and migrating it is history_file's job.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from audit import __version__
from audit.clock import in_utc, now_utc
from audit.errors import HistoryError, Warn, warn_on_stderr
from audit.history import sqlite_file
from audit.history.sqlite_file import access_error, schema_version
from audit.lang import _, ngettext
from audit.model.answers import Answers
from audit.model.assessment import Assessment, TrendPoint
from audit.model.conditions import UNKNOWN
from audit.model.frozen import FrozenModel
from audit.model.pack import Pack

TREND_POINTS = 52  # the most recent runs shown in a trend; older ones stay in `history`


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
            # Translators: the English keeps "problem(s)" for every count.
            unread = ngettext(
                "run {run}: its stored assessment no longer reads ({count} problem(s)); "
                "use 'wa-audit forget' to start over",
                "run {run}: its stored assessment no longer reads ({count} problem(s)); "
                "use 'wa-audit forget' to start over",
                e.error_count(),
            )
            raise HistoryError(unread.format(run=self.id, count=e.error_count())) from e

    def answer(self, question: str) -> str:
        return self.answers.get(question, UNKNOWN)


class History:
    """An open history database. Use as a context manager, or call close()."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn

    @classmethod
    def open(
        cls, path: Path, *, now: datetime | None = None, readonly: bool = False, warn: Warn = warn_on_stderr
    ) -> History:
        """Open the history at `path` (sqlite_file.connect); `now` defaults to the current time.

        `warn` hears of a damaged file moved aside; `readonly` opens without writing anything.
        """
        return cls(path, sqlite_file.connect(path, now=now or now_utc(), readonly=readonly, warn=warn))

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
            raise access_error(self.path, e, "write") from e
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
            raise access_error(self.path, e, "write") from e
        assert run_id is not None  # noqa: S101 - an INSERT always sets it
        return self.get(run_id)

    def _select(self, where: str = "", params: Sequence[Any] = ()) -> list[Run]:
        try:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM runs {where}",  # noqa: S608 - where is a constant clause
                params,
            ).fetchall()
        except sqlite3.Error as e:
            raise access_error(self.path, e, "read") from e
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
        if ids:
            missing = _(
                "no run {run} in the history (runs are {first}..{last}); 'wa-audit history' lists them"
            )
        else:
            missing = _("no run {run} in the history (there are no runs yet); 'wa-audit history' lists them")
        raise HistoryError(
            missing.format(run=run_id, first=ids[0] if ids else "", last=ids[-1] if ids else "")
        )

    def count(self) -> int:
        row = self._conn.execute("SELECT count(*) FROM runs").fetchone()
        return int(row[0])

    def schema_version(self) -> int:
        return schema_version(self._conn)


def trend_of(runs: Sequence[Run]) -> tuple[TrendPoint, ...]:
    """The score trend of `runs` (oldest first), the last TREND_POINTS of them."""
    return tuple(TrendPoint(at=r.at, score=r.score) for r in runs[-TREND_POINTS:])


def make_run(*, at: datetime, pack: Pack, answers: Answers, assessment: Assessment, run_id: int = 0) -> Run:
    """The run these answers make, before it is saved (number 0: not recorded yet)."""
    return Run(
        id=run_id,
        at=in_utc(at),
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


def _iso(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("run times must be timezone-aware")
    return in_utc(at).isoformat()


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
        _("{path}: run {run}: {column} does not read; use 'wa-audit forget' to start over").format(
            path=path, run=raw.get("id"), column=column
        )
    )
