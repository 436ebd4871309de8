"""Record a run (every completed audit) and change answers with `wa-audit set`.

Split in two steps, prepare (reads only, the report is final) and commit (saves the answers and
records the run), so a caller can write the report first: a bad -o then stops the command before
it changes anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from audit.app.reports import check_applies, is_stale
from audit.app.runs import has_history, open_history, runs_of
from audit.app.settings import Settings
from audit.collect.answers_file import parse_assignments, read_answers, save_answers
from audit.errors import AnswersError
from audit.evaluate.engine import evaluate
from audit.evaluate.scoring import effective_answers, implied
from audit.history.diff import diff
from audit.history.runs import Run, make_run, trend_of
from audit.lang import _
from audit.model.answers import Answers
from audit.model.assessment import Assessment, Report, changed_since_checked, make_report
from audit.model.pack import Pack


@dataclass(frozen=True)
class Recorded:
    """A run just recorded: its report (with changes since the previous run) and its number."""

    report: Report
    run: Run


@dataclass(frozen=True)
class Pending:
    """A run ready to record: its report is final, nothing is written yet.

    (See the module docstring for why it is a step of its own.)
    """

    settings: Settings
    pack: Pack
    answers: Answers
    assessment: Assessment
    report: Report
    save_answers: bool = False


def prepare_run(settings: Settings, pack: Pack, answers: Answers, *, save_answers: bool = False) -> Pending:
    """Evaluate `answers` and build the report with what changed since the last run (reads only)."""
    now = settings.clock()
    assessment = evaluate(pack, answers)
    past = runs_of(settings, pack)
    current = make_run(at=now, pack=pack, answers=answers, assessment=assessment)
    # A new run: compared with the latest recorded one even when the answers are the same.
    changes = diff(past[-1], current) if past else None
    report = make_report(
        assessment,
        generated_at=now,
        changes=changes,
        stale_model=is_stale(pack, now),
        trend=trend_of([*past, current]),
        policy_changes=changed_since_checked(pack, assessment.findings),
    )
    return Pending(settings, pack, answers, assessment, report, save_answers)


def commit_run(pending: Pending) -> Recorded:
    """Save the answers (when asked to) and record the run."""
    settings, pack = pending.settings, pending.pack
    now = pending.report.generated_at
    with open_history(settings) as history:
        # A history that cannot take the run stops here, before the answers change.
        history.check_writable()
        if pending.save_answers:
            save_answers(
                settings.home.answers, pending.answers, pack_version=pack.meta.version, answered_at=now
            )
        run = history.save(at=now, pack=pack, answers=pending.answers, assessment=pending.assessment)
    return Recorded(report=pending.report, run=run)


def check_can_record(settings: Settings) -> None:
    """HistoryError or OutputError (one line, with the fix) unless the home can take a new run.

    Asked before a command shows or asks anything, so a read-only home or a history owned by
    someone else stops it at once, with nothing changed.
    """
    from audit.files import check_writable_dir

    check_writable_dir(settings.home.root)
    if has_history(settings.home):
        with open_history(settings) as history:
            history.check_writable()


def prepare_set(settings: Settings, pack: Pack, assignments: Sequence[str]) -> Pending:
    """`wa-audit set q=v ...`: the saved answers with these changes, ready to save and record."""
    changes = parse_assignments(pack, list(assignments))
    path = settings.home.answers
    # On a new home the changes are the answers: every other question is "I don't know", which
    # the report treats as possible, never as safe. That is a complete report, not a guess.
    saved = read_answers(pack, path) if path.exists() else Answers(pack=pack.meta.id)
    answers = saved.with_values(changes)
    check_applies(pack, answers, changes, then=_("nothing recorded"))
    answers = _settle_implied(pack, answers, changes)
    answers = answers.model_copy(update={"pack_version": pack.meta.version})
    return prepare_run(settings, pack, answers, save_answers=True)


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
                _(
                    "{question}: '{value}' contradicts {other}: {other_value}, which sets it to "
                    "{implied}; change {other} too or leave {question} out; nothing recorded"
                ).format(
                    question=q.id,
                    value=answers.values[q.id],
                    other=by[0],
                    other_value=by[1],
                    implied=effective[q.id],
                )
            )

        dropped.append(q.id)
    if not dropped:
        return answers
    return answers.model_copy(
        update={"values": {k: v for k, v in answers.values.items() if k not in dropped}}
    )
