"""`wa-audit history` and `wa-audit diff` as text for the terminal and as JSON for scripts.

rich is imported only by the text views.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from audit.clock import in_utc
from audit.errors import HistoryError
from audit.history.diff import Compared
from audit.history.runs import TREND_POINTS, Run
from audit.lang import _, ngettext, pgettext
from audit.model.assessment import DiffOut, HistoryOut, RunOut, RunPackOut, RunRef, RunScoreOut
from audit.model.pack import Pack
from audit.render.console import buffer_console, hanging, trimmed
from audit.render.words import band_label, stamp

if TYPE_CHECKING:  # rich is imported only when a text view is asked for
    from rich.console import Console

SPARK = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"  # ▁▂▃▄▅▆▇█


def sparkline(scores: Iterable[int]) -> str:
    """Scores 0-100 as ▁..█ on a fixed scale, so a flat line means the same score, not a small one."""
    return "".join(SPARK[min(len(SPARK) - 1, max(0, s) * len(SPARK) // 101)] for s in scores)


def diff_json(compared: Compared) -> str:
    """What changed between two runs, for scripts: the changes plus which runs they compare."""
    prev, cur = compared.previous, compared.current
    body = DiffOut(
        previous_run=RunRef(run=prev.id, at=in_utc(prev.at)),
        current_run=RunRef(run=cur.id, at=in_utc(cur.at)),
        **dict(compared.changes),
    )
    return body.model_dump_json(indent=2) + "\n"


def history_json(runs: Sequence[Run]) -> str:
    """The runs for scripts: one object per run, oldest first."""
    rows = tuple(
        RunOut(
            run=r.id,
            at=in_utc(r.at),
            pack=RunPackOut(id=r.pack_id, version=r.pack_version, reviewed=r.pack_reviewed),
            score=RunScoreOut(value=r.score, band=r.band),
            findings=r.findings,
        )
        for r in runs
    )
    return HistoryOut(runs=rows).model_dump_json(indent=2) + "\n"


def _console(buf: io.StringIO, width: int, color: bool) -> Console:
    return buffer_console(buf, width=width, color=color)


def _when(at: datetime) -> str:
    return stamp(at)


def history_text(runs: Sequence[Run], *, width: int = 80, color: bool = False) -> str:
    """The runs as a table, with the score trend as a sparkline."""
    if not runs:
        return _("No runs yet. Run 'wa-audit' for the interview; each completed audit is kept here.") + "\n"
    from rich.table import Table

    if width < NARROW:
        return _history_list(runs, width=width, color=color)
    table = Table(title=_("Your runs"), title_justify="left", expand=False)
    # Translators: a column of the table of runs: the run's number.
    table.add_column(pgettext("column", "Run"), justify="right")
    table.add_column(pgettext("column", "Time"))
    # Translators: a column of the table of runs: the model's version.
    table.add_column(pgettext("column", "Model"))
    table.add_column(pgettext("column", "Score"), justify="right")
    # Translators: a column of the table of runs: the score's band (Low, Moderate, High, Severe).
    table.add_column(pgettext("column", "Band"))
    table.add_column(pgettext("column", "Findings"), justify="right")
    for r in runs:
        table.add_row(
            str(r.id), _when(r.at), r.pack_version, str(r.score), band_label(r.band), str(len(r.findings))
        )
    buf = io.StringIO()
    console = _console(buf, width, color)
    console.print(table)
    shown = runs[-TREND_POINTS:]
    trend = _("Score trend: {spark} ({first} -> {last})").format(
        spark=sparkline(r.score for r in shown) + " ", first=shown[0].score, last=shown[-1].score
    )
    console.print(trend)
    if len(runs) >= 2:
        console.print(_("What changed between the last two: wa-audit diff"))
    return trimmed(buf.getvalue())


NARROW = 60  # below this the six-column table cuts its cells; a list reads better


def _history_list(runs: Sequence[Run], *, width: int, color: bool) -> str:
    """The runs one under the other, for narrow screens: every word whole."""
    from rich.text import Text

    buf = io.StringIO()
    console = _console(buf, width, color)
    console.print(Text(_("Your runs"), style="bold"))
    for r in runs:
        console.print(Text(_("Run {run}, {time}").format(run=r.id, time=_when(r.at)), style="bold"))
        n = len(r.findings)
        line = ngettext(
            "score {score} ({band}), {n} finding, model {version}",
            "score {score} ({band}), {n} findings, model {version}",
            n,
        ).format(score=r.score, band=band_label(r.band), n=n, version=r.pack_version)
        console.print(hanging([(" ", line)]))
    shown = runs[-TREND_POINTS:]
    console.print(
        _("Score trend: {spark} ({first} -> {last})").format(
            spark=sparkline(r.score for r in shown), first=shown[0].score, last=shown[-1].score
        )
    )
    if len(runs) >= 2:
        console.print(_("What changed between the last two: wa-audit diff"))
    return trimmed(buf.getvalue())


def _titles(run: Run) -> dict[str, str]:
    try:
        return {f.id: f.title for f in run.assessment().findings}
    except HistoryError:
        return {}  # an unreadable old assessment still leaves the ids to show


def changes_text(compared: Compared, *, pack: Pack, width: int, color: bool = False) -> str:
    """What changed between two runs, for the terminal, in the pack's words."""
    from rich.text import Text

    prev, cur, ch = compared.previous, compared.current, compared.changes
    buf = io.StringIO()
    console = _console(buf, width, color)
    console.print(
        Text(
            _("Run {before} ({before_time}) -> run {after} ({after_time})").format(
                before=prev.id, before_time=_when(prev.at), after=cur.id, after_time=_when(cur.at)
            ),
            style="bold",
        )
    )
    delta = ch.score_after - ch.score_before
    if delta < 0:
        word = _("lower, less exposed")
    elif delta > 0:
        word = _("higher, more exposed")
    else:
        # Translators: the score between two runs did not move.
        word = pgettext("score", "unchanged")
    console.print(
        _("Score: {before} -> {after} ({delta}, {word})").format(
            before=ch.score_before, after=ch.score_after, delta=f"{delta:+d}", word=word
        )
    )
    if prev.pack_version != cur.pack_version:
        console.print(
            _("Model: {before} -> {after}").format(before=prev.pack_version, after=cur.pack_version)
        )
    old_titles, new_titles = _titles(prev), _titles(cur)
    # In the report's words (raw ids only in --format json): findings and rules by their titles,
    # answers by question and label, "no longer asked" and "new question" rather than unknowns.
    from audit.render.changes_view import answer_changes, rule_titles

    answers = [f"{a.kind_word}: {a.text}" for a in answer_changes(ch, pack)]
    rules = list(rule_titles(ch.new_rules, pack))
    sections: list[tuple[str, str, list[str]]] = [
        (_("Resolved findings"), "+", [old_titles.get(f, f) for f in ch.resolved_findings]),
        (_("New findings"), "!", [new_titles.get(f, f) for f in ch.new_findings]),
        (_("Answers"), "-", answers),
        (_("Rules new in the model"), "-", rules),
    ]
    for title, mark, lines in sections:
        if not lines:
            continue
        console.print(
            Text("\n" + _("{title} ({count}):").format(title=title, count=len(lines)), style="bold")
        )
        # Wrapped lines hang under the text, not the mark: each item reads as one.
        console.print(hanging([(mark, line) for line in lines], indent=2))
    if not any(lines for _, _, lines in sections) and delta == 0:
        console.print("\n" + _("Nothing changed."))
    return trimmed(buf.getvalue())
