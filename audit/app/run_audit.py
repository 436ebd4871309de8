"""The `wa-audit audit` use case: previous answers, the interview, saving, the report.

Precedence of answers: --set > what the person answers > the starting answers (--answers FILE
over the saved answers) > nothing (`unknown`). Without a terminal the interview is not possible:
--answers or --set then give the answers, else `NeedsTerminal`. Every answer is saved at once as
a draft (home.draft), so Ctrl-C, a closed terminal or a kill keeps what was answered; the next run
offers to resume it.

Every run ends in `finish`: the one place that keeps the answers, drops the draft, files the
report and records the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from audit.app import record, reports, runs
from audit.app.settings import Settings
from audit.collect.agenda import Depth, Progress
from audit.collect.answers_file import parse_assignments, read_answers, save_answers
from audit.collect.interview import Interview
from audit.collect.screen import Terminal
from audit.collect.sources import FixedAnswers, Stopped
from audit.errors import AnswersError, Interrupted, NeedsTerminal, UserError, Warn, warn_on_stderr
from audit.files import atomic_write, check_replaceable, ensure_private_dir, interview_lock
from audit.lang import N_, _, ngettext
from audit.load.yamlio import load_yaml
from audit.model.answers import Answers, check_value
from audit.model.assessment import Report
from audit.model.frozen import FrozenModel
from audit.model.pack import Pack
from audit.paths import Home
from audit.render.base import Format

NEEDS_TERMINAL = N_(
    "wa-audit needs a terminal for the interview; give the answers instead: "
    "'wa-audit --answers FILE' (see 'wa-audit example') or 'wa-audit set QUESTION=VALUE ...'"
)
# With answers saved, the report of them is most likely what was wanted: that comes first.
NEEDS_TERMINAL_SAVED = N_(
    "wa-audit needs a terminal for the interview; your saved answers' report is 'wa-audit report'; "
    "to change answers without it: 'wa-audit set QUESTION=VALUE ...' or 'wa-audit --answers FILE'"
)


def needs_terminal(home: Home) -> NeedsTerminal:
    """The no-terminal error, pointing a person who has saved answers to their report first."""
    return NeedsTerminal(_(NEEDS_TERMINAL_SAVED if home.answers.exists() else NEEDS_TERMINAL))


def interrupted_message(saved: int, *, has_answers: bool = False) -> str:
    if saved == 0 and has_answers:
        return _("Stopped; your saved answers are kept as they were. Run wa-audit to continue.")
    if saved == 0:
        return _("Stopped before the first answer; nothing to keep. Run wa-audit to start.")
    return ngettext(
        "Saved {count} answer. Run wa-audit to continue.",
        "Saved {count} answers. Run wa-audit to continue.",
        saved,
    ).format(count=saved)


@dataclass(frozen=True)
class Request:
    """What the command line asked for."""

    depth: Depth | None = None
    answers_file: Path | None = None
    sets: tuple[str, ...] = ()
    interactive: bool = True  # a person at a terminal: stdin, and stdout or stderr, are one
    fmt: Format = Format.TERMINAL


@dataclass(frozen=True)
class Outcome:
    """A finished run: the report, its text in the requested format, and the filed HTML copy."""

    pack: Pack
    answers: Answers
    report: Report
    text: str
    html: Path | None  # None when the report was only shown again (nothing filed)
    saved: bool
    summary: str = ""  # the terminal summary, pointing at `html`: what stays on screen


def run(settings: Settings, request: Request, terminal: Terminal | None = None) -> Outcome:
    """One audit: collect answers (asking when there is a terminal), then `finish`."""
    pack = reports.pack_for(settings)
    home = settings.home
    fixed = parse_assignments(pack, list(request.sets))
    # The answers file layers over the saved answers (--set, over both, is applied by the source).
    if request.answers_file is not None:
        previous = reports.layered(pack, home, request.answers_file)
    else:
        previous = load_saved(pack, home.answers) or Answers(pack=pack.meta.id)
    # Before the first question: an answer fixed for a question the others rule out is a mistake.
    reports.check_applies(pack, previous.with_values(fixed), fixed, then=_("nothing asked or recorded"))

    if request.interactive:
        # One interview at a time per home: a second terminal would overwrite this one's draft.
        with interview_lock(home.root):
            return _interview(pack, settings, request, previous=previous, fixed=fixed, terminal=terminal)
    if request.answers_file is not None or fixed:
        # No interview ran, so an unfinished one stays for the next run on a terminal.
        answers = FixedAnswers(fixed).collect(pack, previous)
        outcome = finish(pack, answers, settings, request.fmt, keep_draft=True)
        _say_draft_kept(pack, settings)
        return outcome
    raise needs_terminal(home)


def _interview(
    pack: Pack,
    settings: Settings,
    request: Request,
    *,
    previous: Answers,
    fixed: Mapping[str, str],
    terminal: Terminal | None,
) -> Outcome:
    """The interactive interview, then `finish` (or `show_again`, which records nothing)."""
    home = settings.home
    record.check_can_record(settings)  # before the first question, not after the last
    draft = load_draft(pack, home.draft, warn=settings.warn)
    term = terminal or Terminal(color=settings.color)
    updated = None
    if previous.values and request.answers_file is None:
        updated = _announce_model_update(term, settings, pack)

    def checkpoint(progress: Progress) -> None:
        save_draft(pack, home.draft, progress.model_copy(update={"saved_at": settings.clock()}))

    source = Interview(
        term, depth=request.depth, fixed=fixed, draft=draft, updated=updated, checkpoint=checkpoint
    )
    try:
        answers = source.collect(pack, previous)
    except Stopped as stop:
        raise _stopped(
            pack, settings, stop, draft_existed=home.draft.exists(), has_answers=home.answers.exists()
        ) from None
    if source.show_only:
        saved = load_saved(pack, home.answers)
        if saved is not None and saved.values == answers.values:
            return show_again(pack, answers, settings, request.fmt)
    return finish(pack, answers, settings, request.fmt)


def show_again(pack: Pack, answers: Answers, settings: Settings, fmt: Format = Format.TERMINAL) -> Outcome:
    """The report of the saved answers ("Just show the report again"), as `wa-audit report` makes it.

    Showing is not a run: nothing is recorded in the history and no new HTML copy is filed (the
    ones in reports/ stay). The person declined the unfinished interview, if any, so it goes.
    """
    check_replaceable(settings.home.draft, _("the draft"))
    outcome = _outcome(pack, answers, reports.build_report(pack, answers, settings), settings, fmt)
    settings.home.draft.unlink(missing_ok=True)
    return outcome


def _outcome(
    pack: Pack, answers: Answers, report: Report, settings: Settings, fmt: Format, *, html: Path | None = None
) -> Outcome:
    """The report as text in `fmt` and as the summary; on screen at the screen's width and colours."""
    plain = replace(settings, color=False, width=80)
    on_screen = fmt in {Format.TERMINAL, Format.PLAN}
    filed = "" if html is None else str(html)
    text = reports.render(report, pack, fmt, settings if on_screen else plain, full_report=filed)
    summary = reports.summary(report, pack, settings, full_report=filed)
    return Outcome(
        pack=pack, answers=answers, report=report, text=text, html=html, saved=False, summary=summary
    )


def finish(
    pack: Pack,
    answers: Answers,
    settings: Settings,
    fmt: Format = Format.TERMINAL,
    *,
    keep_draft: bool = False,
) -> Outcome:
    """Keep the answers (when changed), drop the draft, build the report and file an HTML copy.

    The draft goes only when the interview that wrote it has ended here (`keep_draft` is False).
    """
    home = settings.home
    now = settings.clock()
    saved = load_saved(pack, home.answers)
    changed = saved is None or saved.values != answers.values
    # Everything that reads or can fail comes first (the history, rendering, a folder where the
    # draft belongs), so a failure leaves the answers, the draft and the history as they were.
    check_replaceable(home.draft, _("the draft"))
    # A completed audit is a run: recorded in the history, reported with what changed since the last.
    pending = record.prepare_run(settings, pack, answers)
    page = reports.render(pending.report, pack, Format.HTML, replace(settings, color=False, width=80))
    outcome = _outcome(
        pack, answers, pending.report, settings, fmt, html=reports.file_report(settings, Format.HTML, page)
    )
    if changed:
        save_answers(home.answers, answers, pack_version=pack.meta.version, answered_at=now)
    if not keep_draft:
        home.draft.unlink(missing_ok=True)
    record.commit_run(pending)
    return replace(outcome, saved=changed)


def _say_draft_kept(pack: Pack, settings: Settings) -> None:
    """One line when an unfinished interview waits in the home: it is kept, and how to go on."""
    draft = load_draft(pack, settings.home.draft, warn=settings.warn)
    if draft is None:
        return
    count = len(draft.asked)
    kept = ngettext(
        "an unfinished interview ({count} answer) is kept in {path}; "
        "run 'wa-audit' in a terminal to continue it",
        "an unfinished interview ({count} answers) is kept in {path}; "
        "run 'wa-audit' in a terminal to continue it",
        count,
    )
    settings.warn(kept.format(count=count, path=settings.home.draft))


def _stopped(
    pack: Pack, settings: Settings, stop: Stopped, *, draft_existed: bool, has_answers: bool = False
) -> UserError | Interrupted:
    """Keep the draft (when something was answered) and say so: exit 130, or 2 without input."""
    home = settings.home
    progress = stop.progress
    if progress is not None and progress.asked:
        save_draft(pack, home.draft, progress.model_copy(update={"saved_at": settings.clock()}))
        kept = len(progress.asked)
    elif draft_existed:  # stopped on the "continue?" screen: the old draft is still there
        previous = load_draft(pack, home.draft, warn=settings.warn)
        kept = len(previous.asked) if previous is not None else 0
    else:
        kept = 0
    if stop.eof:
        return needs_terminal(home)
    return Interrupted(interrupted_message(kept, has_answers=has_answers))


def _announce_model_update(term: Terminal, settings: Settings, pack: Pack) -> tuple[str, ...] | None:
    """Say so when the model changed since the last run; the questions the update asks again."""
    update = runs.model_update(pack, runs.last_run(settings, pack))
    if update is None:
        return None
    term.say()
    term.say(term.wrap(update.message))
    return update.questions


# --- the draft and the saved answers on disk ---------------------------------------------------
class DraftFile(FrozenModel):
    """The draft on disk: an unfinished interview."""

    schema_version: Literal[1]
    pack: str
    pack_version: str
    progress: Progress


def load_saved(pack: Pack, path: Path) -> Answers | None:
    """The saved answers, or None. Answers the pack no longer accepts are dropped (asked again)."""
    if not path.exists():
        return None
    try:
        return read_answers(pack, path)
    except AnswersError as strict:
        # A pack update may rename a value; the rest of the answers are still good. Anything
        # worse than a stale value (broken YAML, another pack) is the original error.
        try:
            doc = load_yaml(path, what=_("an answers file"))
        except UserError:
            raise strict from None
        data = doc.data if isinstance(doc.data, dict) else {}
        raw = data.get("answers")
        if data.get("pack") != pack.meta.id or not isinstance(raw, dict):
            raise strict from None
        return Answers(pack=pack.meta.id, values=_valid(pack, raw))


def _valid(pack: Pack, raw: Mapping[Any, Any]) -> dict[str, str]:
    kept: dict[str, str] = {}
    for question, value in raw.items():
        if not isinstance(question, str) or not isinstance(value, str):
            continue
        try:
            check_value(pack, question, value, where=question)
        except AnswersError:
            continue
        kept[question] = value
    return kept


def load_draft(pack: Pack, path: Path, *, warn: Warn = warn_on_stderr) -> Progress | None:
    """The unfinished interview, or None. A draft that cannot be used is ignored (with a note)."""
    if not path.exists():
        return None
    from pydantic import ValidationError

    try:
        doc = load_yaml(path, what=_("a draft"))
        draft = DraftFile.model_validate(doc.data)
    except (UserError, ValidationError):
        warn(_("ignoring the unfinished interview in {path}: it cannot be read").format(path=path))

        return None
    if draft.pack != pack.meta.id:
        return None
    p = draft.progress
    values = _valid(pack, p.values)
    return p.model_copy(
        update={
            "values": values,
            "baseline": _valid(pack, p.baseline),
            "asked": tuple(q for q in p.asked if q in values),
            "picked": tuple(q for q in p.picked if q in pack.question_by_id),
        }
    )


def save_draft(pack: Pack, path: Path, progress: Progress) -> None:
    """Write the draft atomically, 0600, in a 0700 folder."""
    body = DraftFile(schema_version=1, pack=pack.meta.id, pack_version=pack.meta.version, progress=progress)
    header = "# wa-audit: an unfinished interview. Run wa-audit to continue it.\n"
    ensure_private_dir(path.parent)
    import yaml

    text = yaml.safe_dump(body.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
    atomic_write(path, header + text)
