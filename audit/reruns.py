"""Reruns: record a run, change answers with `set`, list the history, diff two runs, forget it all.

These are use cases the CLI calls (like `audit.app`), plus the pure helpers the interview needs
after a model update. Nothing here prints: notices (a damaged history moved aside) come back to the
caller, which shows them. rich is imported only by the text views.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from audit.answers import Answers, parse_assignments, read_answers, save_answers
from audit.app import Settings, is_stale
from audit.assessment import Assessment, Changes, Report, TrendPoint, make_report
from audit.conditions import NOT_ASKED, UNKNOWN
from audit.engine import evaluate
from audit.errors import AnswersError, HistoryError
from audit.history import DAMAGED_MARK, SIDECARS, History, Run, diff, make_run
from audit.pack import Pack
from audit.paths import Home, is_report_name
from audit.scoring import effective_answers, exposure, implied

if TYPE_CHECKING:  # rich is imported only when a text view is asked for
    from rich.console import Console

TREND_POINTS = 52  # the most recent runs shown in a trend; older ones stay in `history`
SPARK = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"  # ▁▂▃▄▅▆▇█


# --- recording ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Recorded:
    """A run just recorded: its report (with changes since the previous run) and its number."""

    report: Report
    run: Run
    notices: tuple[str, ...] = ()


def _open(settings: Settings, *, readonly: bool = False) -> History:
    return History.open(settings.home.history, now=settings.clock(), readonly=readonly)


def _notices(history: History) -> tuple[str, ...]:
    return (history.notice,) if history.notice else ()


def trend_of(runs: Sequence[Run]) -> tuple[TrendPoint, ...]:
    """The score trend of `runs` (oldest first), the last TREND_POINTS of them."""
    return tuple(TrendPoint(at=r.at, score=r.score) for r in runs[-TREND_POINTS:])


@dataclass(frozen=True)
class Pending:
    """A run ready to record: its report is final, nothing is written yet.

    Split from recording so a caller can write the report first: a bad -o then stops the command
    before it changes the saved answers or the history.
    """

    settings: Settings
    pack: Pack
    answers: Answers
    assessment: Assessment
    report: Report
    save_answers: bool = False
    notices: tuple[str, ...] = ()


def _has_history(home: Home) -> bool:
    # lexists: a broken link or a loop where the history belongs must reach History.open's error.
    return os.path.lexists(home.history)


def prepare_run(settings: Settings, pack: Pack, answers: Answers, *, save_answers: bool = False) -> Pending:
    """Evaluate `answers` and build the report with what changed since the last run (reads only)."""
    now = settings.clock()
    assessment = evaluate(pack, answers)
    previous: Run | None = None
    past: list[Run] = []
    notices: tuple[str, ...] = ()
    if _has_history(settings.home):
        with _open(settings, readonly=True) as history:
            past = history.runs(pack.meta.id)
            notices = _notices(history)
        previous = past[-1] if past else None
    current = make_run(at=now, pack=pack, answers=answers, assessment=assessment)
    report = make_report(
        assessment,
        generated_at=now,
        changes=diff(previous, current) if previous is not None else None,
        stale_model=is_stale(pack, now),
        trend=trend_of([*past, current]),
    )
    return Pending(settings, pack, answers, assessment, report, save_answers, notices)


def commit_run(pending: Pending) -> Recorded:
    """Save the answers (when asked to) and record the run."""
    settings, pack = pending.settings, pending.pack
    now = pending.report.generated_at
    with _open(settings) as history:
        # A history that cannot take the run stops here, before the answers change.
        history.check_writable()
        if pending.save_answers:
            save_answers(
                settings.home.answers, pending.answers, pack_version=pack.meta.version, answered_at=now
            )
        run = history.save(at=now, pack=pack, answers=pending.answers, assessment=pending.assessment)
        notices = _notices(history)
    return Recorded(report=pending.report, run=run, notices=(*pending.notices, *notices))


def check_can_record(settings: Settings) -> None:
    """HistoryError or OutputError (one line, with the fix) unless the home can take a new run.

    Asked before a command shows or asks anything, so a read-only home or a history owned by
    someone else stops it at once, with nothing changed.
    """
    from audit.fsutil import check_writable_dir

    check_writable_dir(settings.home.root)
    if _has_history(settings.home):
        with _open(settings) as history:
            history.check_writable()


def record_run(settings: Settings, pack: Pack, answers: Answers) -> Recorded:
    """Evaluate `answers`, record the run, and report it with what changed since the last run.

    Used by every command that completes an audit (the interview, `set`); `report` does not record.
    """
    return commit_run(prepare_run(settings, pack, answers))


def prepare_set(settings: Settings, pack: Pack, assignments: Sequence[str]) -> Pending:
    """`wa-audit set q=v ...`: the saved answers with these changes, ready to save and record."""
    changes = parse_assignments(pack, list(assignments))
    path = settings.home.answers
    # On a new home the changes are the answers: every other question is "I don't know", which
    # the report treats as possible, never as safe. That is a complete report, not a guess.
    saved = read_answers(pack, path) if path.exists() else Answers(pack=pack.meta.id)
    answers = saved.with_values(changes)
    _check_applies(pack, answers, changes)
    answers = _settle_implied(pack, answers, changes)
    answers = answers.model_copy(update={"pack_version": pack.meta.version})
    return prepare_run(settings, pack, answers, save_answers=True)


def _check_applies(pack: Pack, answers: Answers, changes: Mapping[str, str]) -> None:
    """Refuse an answer to a question the other answers rule out (iCloud backup on Android)."""
    from audit.conditions import describe, questions_in

    effective = effective_answers(pack, answers.values)
    for question in changes:
        if effective[question] != NOT_ASKED:
            continue
        when = pack.question_by_id[question].when
        # A question's `when` tests earlier questions only (rules check holds that line).
        deciders = questions_in(when, lambda rule: None)
        yours = ", ".join(
            f"yours is {answers.get(d)}" if len(deciders) == 1 else f"{d} is {answers.get(d)}"
            for d in deciders
        )
        raise AnswersError(
            f"{question}: does not apply to your answers (it is asked only when {describe(when)}; "
            f"{yours}); nothing recorded"
        )


def _settle_implied(pack: Pack, answers: Answers, changes: Mapping[str, str]) -> Answers:
    """Refuse a change that another answer contradicts, and drop saved answers now settled.

    two_step=off with Strict account settings on is refused; turning the setting on drops the
    saved answers it now decides (they are no longer asked).
    """
    effective = effective_answers(pack, answers.values)
    dropped = []
    for q in pack.questions:
        by = implied(pack, q.id, effective)
        if by is None or q.id not in answers.values or answers.values[q.id] == effective[q.id]:
            continue
        if q.id in changes:
            raise AnswersError(
                f"{q.id}: '{answers.values[q.id]}' contradicts {by[0]}: {by[1]}, which sets it to "
                f"{effective[q.id]}; change {by[0]} too or leave {q.id} out; nothing recorded"
            )
        dropped.append(q.id)
    if not dropped:
        return answers
    return answers.model_copy(
        update={"values": {k: v for k, v in answers.values.items() if k not in dropped}}
    )


def set_answers(settings: Settings, pack: Pack, assignments: Sequence[str]) -> Recorded:
    """`wa-audit set q=v ...` in one step: change the saved answers, save them, record a run."""
    return commit_run(prepare_set(settings, pack, assignments))


# --- history and diff --------------------------------------------------------------------------
@dataclass(frozen=True)
class Listed:
    runs: tuple[Run, ...]
    notices: tuple[str, ...] = ()


def list_runs(settings: Settings) -> Listed:
    """Every recorded run, oldest first."""
    if not _has_history(settings.home):
        return Listed(runs=())  # looking must not create a history
    with _open(settings, readonly=True) as history:
        return Listed(runs=tuple(history.runs()), notices=_notices(history))


@dataclass(frozen=True)
class Compared:
    """Two runs and what changed from the first to the second."""

    previous: Run
    current: Run
    changes: Changes
    notices: tuple[str, ...] = ()


NO_RUNS = "no runs yet: 'wa-audit diff' needs two; run 'wa-audit' or 'wa-audit set QUESTION=VALUE'"


def diff_runs(settings: Settings, numbers: Sequence[int]) -> Compared:
    """`wa-audit diff [RUN] [RUN]`: none = the last two; one = that run vs the latest."""
    if len(numbers) > 2:
        raise HistoryError("diff takes at most two run numbers; e.g. 'wa-audit diff 1 2'")
    if not _has_history(settings.home):
        raise HistoryError(NO_RUNS)
    with _open(settings, readonly=True) as history:
        if len(numbers) == 2:
            previous, current = history.get(numbers[0]), history.get(numbers[1])
        else:
            latest = history.latest()
            if latest is None:
                raise HistoryError(NO_RUNS)
            if numbers:
                previous, current = history.get(numbers[0]), latest
            else:
                runs = history.runs()
                if len(runs) < 2:
                    raise HistoryError(
                        "only one run so far: 'wa-audit diff' needs two; "
                        "change an answer with 'wa-audit set QUESTION=VALUE'"
                    )
                previous, current = runs[-2], runs[-1]
        notices = _notices(history)
    return Compared(previous=previous, current=current, changes=diff(previous, current), notices=notices)


def sparkline(scores: Iterable[int]) -> str:
    """Scores 0-100 as ▁..█ on a fixed scale, so a flat line means the same score, not a small one."""
    return "".join(SPARK[min(len(SPARK) - 1, max(0, s) * len(SPARK) // 101)] for s in scores)


def rfc3339(at: datetime) -> str:
    """A time as every JSON output writes it: RFC 3339 in UTC with `Z` (2026-12-01T09:30:00Z)."""
    return at.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def diff_json(compared: Compared) -> str:
    """What changed between two runs, for scripts: the changes plus which runs they compare."""
    body = {
        "previous_run": {"run": compared.previous.id, "at": rfc3339(compared.previous.at)},
        "current_run": {"run": compared.current.id, "at": rfc3339(compared.current.at)},
        **compared.changes.model_dump(mode="json"),
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def history_json(runs: Sequence[Run]) -> str:
    """The runs for scripts: one object per run, oldest first."""
    rows = [
        {
            "run": r.id,
            "at": rfc3339(r.at),
            "pack": {"id": r.pack_id, "version": r.pack_version, "reviewed": r.pack_reviewed.isoformat()},
            "score": {"value": r.score, "band": r.band},
            "findings": list(r.findings),
        }
        for r in runs
    ]
    return json.dumps({"schema_version": 1, "runs": rows}, indent=2) + "\n"


def _console(buf: io.StringIO, width: int, color: bool) -> Console:
    from audit.render.console import buffer_console

    return buffer_console(buf, width=width, color=color)


def _trimmed(text: str) -> str:
    # rich pads table cells to the full width; trailing blanks only get in the way of copying.
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def history_text(runs: Sequence[Run], *, width: int = 80, color: bool = False) -> str:
    """The runs as a table, with the score trend as a sparkline."""
    if not runs:
        return "No runs yet. Run 'wa-audit' for the interview; each completed audit is kept here.\n"
    from rich.table import Table

    from audit.render.words import band_label

    if width < NARROW:
        return _history_list(runs, width=width, color=color)
    table = Table(title="Your runs", title_justify="left", expand=False)
    table.add_column("Run", justify="right")
    table.add_column("Time")
    table.add_column("Model")
    table.add_column("Score", justify="right")
    table.add_column("Band")
    table.add_column("Findings", justify="right")
    for r in runs:
        table.add_row(
            str(r.id), _when(r.at), r.pack_version, str(r.score), band_label(r.band), str(len(r.findings))
        )
    buf = io.StringIO()
    console = _console(buf, width, color)
    console.print(table)
    shown = runs[-TREND_POINTS:]
    trend = f"Score trend: {sparkline(r.score for r in shown)}  ({shown[0].score} -> {shown[-1].score})"
    console.print(trend)
    if len(runs) >= 2:
        console.print("What changed between the last two: wa-audit diff")
    return _trimmed(buf.getvalue())


NARROW = 60  # below this the six-column table cuts its cells; a list reads better


def _history_list(runs: Sequence[Run], *, width: int, color: bool) -> str:
    """The runs one under the other, for narrow screens: every word whole."""
    from rich.table import Table
    from rich.text import Text

    from audit.render.words import band_label

    buf = io.StringIO()
    console = _console(buf, width, color)
    console.print(Text("Your runs", style="bold"))
    for r in runs:
        console.print(Text(f"Run {r.id}, {_when(r.at)}", style="bold"))
        n = len(r.findings)
        grid = Table.grid(padding=(0, 1, 0, 0))  # wrapped lines hang under the text
        grid.add_column(no_wrap=True)
        grid.add_column()
        grid.add_row(
            " ",
            f"score {r.score} ({band_label(r.band)}), {n} finding{'s' if n != 1 else ''}, "
            f"model {r.pack_version}",
        )
        console.print(grid)
    shown = runs[-TREND_POINTS:]
    console.print(f"Score trend: {sparkline(r.score for r in shown)} ({shown[0].score} -> {shown[-1].score})")
    if len(runs) >= 2:
        console.print("What changed between the last two: wa-audit diff")
    return _trimmed(buf.getvalue())


def _titles(run: Run) -> dict[str, str]:
    try:
        return {f.id: f.title for f in run.assessment().findings}
    except HistoryError:
        return {}  # an unreadable old assessment still leaves the ids to show


def changes_text(
    compared: Compared, *, pack: Pack | None = None, width: int = 80, color: bool = False
) -> str:
    """What changed between two runs, for the terminal; `pack` (when given) gives the words."""
    from rich.table import Table
    from rich.text import Text

    prev, cur, ch = compared.previous, compared.current, compared.changes
    buf = io.StringIO()
    console = _console(buf, width, color)
    console.print(Text(f"Run {prev.id} ({_when(prev.at)}) -> run {cur.id} ({_when(cur.at)})", style="bold"))
    delta = ch.score_after - ch.score_before
    word = "lower, less exposed" if delta < 0 else "higher, more exposed" if delta > 0 else "unchanged"
    console.print(f"Score: {ch.score_before} -> {ch.score_after} ({delta:+d}, {word})")
    if prev.pack_version != cur.pack_version:
        console.print(f"Model: {prev.pack_version} -> {cur.pack_version}")
    old_titles, new_titles = _titles(prev), _titles(cur)
    # In the report's words (raw ids only in --format json): findings and rules by their titles,
    # answers by question and label, "no longer asked" and "new question" rather than unknowns.
    if pack is not None:
        from audit.render.report_view import answer_changes, rule_titles

        answers = [f"{a.kind}: {a.text}" for a in answer_changes(ch, pack)]
        rules = list(rule_titles(ch.new_rules, pack))
    else:
        answers = [f"{q}: {c.from_} -> {c.to}" for q, c in ch.changed_answers.items()]
        rules = list(ch.new_rules)
    sections: list[tuple[str, str, list[str]]] = [
        ("Resolved findings", "+", [old_titles.get(f, f) for f in ch.resolved_findings]),
        ("New findings", "!", [new_titles.get(f, f) for f in ch.new_findings]),
        ("Answers", "-", answers),
        ("Rules new in the model", "-", rules),
    ]
    for title, mark, lines in sections:
        if not lines:
            continue
        console.print(Text(f"\n{title} ({len(lines)}):", style="bold"))
        # A grid, so wrapped lines hang under the text, not the mark: each item reads as one.
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for line in lines:
            grid.add_row(f"  {mark}", line)
        console.print(grid)
    if not any(lines for _, _, lines in sections) and delta == 0:
        console.print("\nNothing changed.")
    return _trimmed(buf.getvalue())


# --- model updates -----------------------------------------------------------------------------
def questions_to_ask_after_update(
    pack: Pack, previous_answers: Mapping[str, str], previous_pack_questions: Iterable[str]
) -> tuple[str, ...]:
    """The questions to ask after a model update, in interview order.

    New questions (not in `previous_pack_questions`), and questions whose saved value the pack no
    longer has; a question whose `when` is false given the other answers is left out, as the
    interview would skip it too.
    """
    known = set(previous_pack_questions)
    valid: dict[str, str] = {}
    invalid: set[str] = set()
    for q in pack.questions:
        value = previous_answers.get(q.id)
        if value is None:
            continue
        if value in q.value_ids or (value == UNKNOWN and q.allow_unknown) or value == NOT_ASKED:
            valid[q.id] = value
        else:
            invalid.add(q.id)
    # Which questions the interview would reach, judged with the values that still hold.
    asked = exposure(pack, valid).answers
    return tuple(
        q.id
        for q in pack.questions
        if (q.id not in known or q.id in invalid) and asked.get(q.id) != NOT_ASKED
    )


@dataclass(frozen=True)
class ModelUpdate:
    """The bundled model changed since the last run: what to tell the person and ask again."""

    previous_version: str
    version: str
    reviewed: date
    questions: tuple[str, ...]
    new_rules: tuple[str, ...]

    @property
    def message(self) -> str:
        asks = (
            f"{len(self.questions)} new or changed question(s) to answer"
            if self.questions
            else "no new questions"
        )
        return (
            f"The model was updated on {self.reviewed.isoformat()} "
            f"(version {self.previous_version} -> {self.version}): {asks}."
        )


def model_update(
    pack: Pack, last_run: Run | None, previous_answers: Mapping[str, str] | None = None
) -> ModelUpdate | None:
    """A ModelUpdate when `pack`'s version differs from the last run's, else None (pure).

    `previous_answers` default to the last run's own answers, which keep values the new pack may
    no longer accept (a saved answers file read through the new pack has lost them).
    """
    if last_run is None or last_run.pack_id != pack.meta.id or last_run.pack_version == pack.meta.version:
        return None
    seen = set(last_run.rules_seen)
    answers = last_run.answers if previous_answers is None else previous_answers
    return ModelUpdate(
        previous_version=last_run.pack_version,
        version=pack.meta.version,
        reviewed=pack.meta.reviewed,
        questions=questions_to_ask_after_update(pack, answers, last_run.questions_seen),
        new_rules=tuple(r.id for r in pack.rules if r.id not in seen),
    )


@dataclass(frozen=True)
class LastRun:
    run: Run | None
    notices: tuple[str, ...] = ()


def last_run(settings: Settings, pack: Pack) -> LastRun:
    """The most recent run of `pack` (for the interview's model-update check)."""
    if not _has_history(settings.home):
        return LastRun(run=None)
    with _open(settings, readonly=True) as history:
        return LastRun(run=history.latest(pack.meta.id), notices=_notices(history))


# --- forget ------------------------------------------------------------------------------------
def _temp_of(name: str) -> str | None:
    """The file an atomic_write temp file (".<name>.<random>.tmp") was for, else None."""
    # An interrupted write may leave one behind, and it holds the person's answers too.
    if name.startswith(".") and name.endswith(".tmp"):
        return name[1:-4].rsplit(".", 1)[0]
    return None


def _ours(home: Home) -> list[Path]:
    """Every file wa-audit wrote in `home` (and the reports folder, when it holds only those).

    Known by name only: the answers, draft and history files (with SQLite's side files, damaged
    copies and interrupted writes) and, in `reports/`, the names only wa-audit gives
    (`report-<time>[-n].html`, paths.REPORT_NAME). Anything else is the person's and stays.
    """
    root = home.root
    if not root.is_dir():
        return []
    names = {home.answers.name, home.draft.name, home.history.name}
    names |= {home.history.name + s for s in SIDECARS}
    found: list[Path] = []
    for entry in sorted(root.iterdir()):
        name = entry.name
        if (
            name in names
            or name.startswith(home.history.name + DAMAGED_MARK)
            or _temp_of(name) in {home.answers.name, home.draft.name}
        ) and (entry.is_file() or entry.is_symlink()):
            found.append(entry)
    reports = home.reports
    if reports.is_dir() and not reports.is_symlink():
        entries = sorted(reports.iterdir())
        filed = [p for p in entries if is_report_name(p.name) and (p.is_file() or p.is_symlink())]
        found.extend(filed)
        if len(filed) == len(entries):
            found.append(reports)  # emptied by the files above: the folder goes too
    return found


def not_ours(home: Home) -> list[Path]:
    """What `forget` leaves: files and folders in the home (and `reports/`) wa-audit did not write."""
    if not home.root.is_dir():
        return []
    ours = set(_ours(home))
    inside = sorted(home.reports.iterdir()) if home.reports.is_dir() and not home.reports.is_symlink() else []
    return [
        p
        for p in [*sorted(home.root.iterdir()), *inside]
        if p not in ours and not (p == home.reports and inside)
    ]


def stored_files(home: Home) -> list[Path]:
    """The files `forget` would delete (folders left out), for the confirmation prompt."""
    return [p for p in _ours(home) if p.is_symlink() or not p.is_dir()]


@dataclass(frozen=True)
class Forgotten:
    deleted: tuple[Path, ...]
    kept: tuple[Path, ...] = ()  # files in the home that wa-audit did not write, left alone
    removed_home: bool = False


def forget(home: Home) -> Forgotten:
    """Delete every answer, draft, report and history file of ours (only those); the home too if empty."""
    deleted: list[Path] = []
    for path in _ours(home):
        try:
            if path.is_dir() and not path.is_symlink():
                path.rmdir()  # only ever empty here: its files went first
            else:
                path.unlink()
                deleted.append(path)
        except FileNotFoundError:
            continue
        except OSError as e:
            raise HistoryError(
                f"{path}: cannot delete ({e.strerror}); {len(deleted)} file(s) deleted so far, "
                "delete the rest by hand"
            ) from e
    kept: tuple[Path, ...] = ()
    removed = False
    if home.root.is_dir():
        kept = tuple(not_ours(home))
        if not any(home.root.iterdir()):
            home.root.rmdir()
            removed = True
    return Forgotten(deleted=tuple(deleted), kept=kept, removed_home=removed)
