"""The handlers of `wa-audit`'s commands, one function each.

Each runs its use case (`audit.app.settings`) and writes what it returns; `cli` parses the
arguments, dispatches here and maps errors to exit codes. Warnings reach stderr through
`Settings.warn`, on their own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from audit.app.output import HTML_FORMATS, SCREEN_FORMATS, format_for, show, write
from audit.errors import UserError
from audit.lang import N_, _, ngettext

if TYPE_CHECKING:
    from audit.app import run_audit
    from audit.app.settings import Settings


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from audit.app import reports
    from audit.render.base import Format

    fmt = Format(format_for(args))
    # HTML on a terminal would be 80 KB of markup: it goes to a file in the reports folder.
    filed = args.output is None and fmt.value in HTML_FORMATS and sys.stdout.isatty()
    if args.open and fmt.value not in HTML_FORMATS:
        raise UserError(_("--open needs an HTML report: add --format html (or -o report.html)"))
    if args.open and args.output is None and not filed:
        raise UserError(_("--open needs the HTML report in a file: add -o report.html"))
    if fmt.value not in SCREEN_FORMATS or args.output is not None:
        settings = replace(settings, color=False, width=80)
    pack = reports.pack_for(settings)
    answers = reports.gather_answers(pack, settings, args.answers, args.set)
    report = reports.build_report(pack, answers, settings)
    text = reports.render(report, pack, fmt, settings)
    output = args.output
    if args.summary:
        # What stays on screen after an interview, pointing at the full report when there is one.
        if output is not None:
            write(text, output)
        where = "" if output is None else str(output)
        write(reports.summary(report, pack, replace(settings, width=80), full_report=where), None)
    elif filed:
        output = reports.file_report(settings, fmt, text)
        print(_("Report written to {path}").format(path=output), file=sys.stderr)
    elif output is not None:
        write(text, output)
    elif fmt is Format.TERMINAL:
        show(text, args, after=lambda: reports.summary(report, pack, settings))
    else:
        show(text, args)
    if args.open and output is not None:
        _open_in_browser(output)
    return 1 if reports.fails(report, args.fail_on) else 0


def _open_in_browser(path: Path) -> None:
    import webbrowser

    # Only a local file we just wrote, as a file:// URI; never a URL from anywhere else.
    try:
        opened = webbrowser.open(path.resolve().as_uri())
    except webbrowser.Error:
        opened = False
    if not opened:
        where = path.resolve()
        print(
            _("No browser opened; the report is at {path} (open it in a browser).").format(path=where),
            file=sys.stderr,
        )


def cmd_rules(args: argparse.Namespace, settings: Settings) -> int:
    from audit.app import reports

    if args.rules_command == "check":
        target, problems = reports.check_rules(args.directory or settings.rules)
        for problem in problems:
            print(problem, file=sys.stderr)
        errors = [p for p in problems if p.level == "error"]  # warnings are printed, nothing more
        if errors:
            # Translators: the English keeps "problem(s)" for every count.
            in_pack = ngettext("{count} problem(s) in {pack}", "{count} problem(s) in {pack}", len(errors))
            print("wa-audit: " + in_pack.format(count=len(errors), pack=target), file=sys.stderr)
            return 2
        if problems:
            # Translators: the English keeps "warning(s)" for every count.
            ok = ngettext("{pack}: ok ({count} warning(s))", "{pack}: ok ({count} warning(s))", len(problems))
        else:
            ok = _("{pack}: ok")
        print(ok.format(pack=target, count=len(problems)))
        return 0
    if args.rules_command == "extract":
        written = reports.extract_texts(args.directory or settings.rules)
        print(_("{path}: written").format(path=written))
        return 0
    if args.rules_command == "drift":
        from audit.render import drift

        found = reports.drift_of(settings, args.captures, min_versions=args.min_versions)
        if args.format == "json":
            write(found.model_dump_json(indent=2) + "\n", None)
        else:
            write(drift.text(found, width=settings.width), None)
        return 1 if found.drifted else 0
    from audit.render import model_guide

    if args.format == "markdown":
        text = model_guide.markdown(reports.pack_for(settings))
    else:
        text = model_guide.terminal(reports.pack_for(settings), width=settings.width, color=settings.color)
    write(text, None)
    return 0


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from audit.app import reports, run_audit
    from audit.render.base import Format

    # The interview needs a keyboard and a screen; standard output may be a pipe (`wa-audit | cat`):
    # then the questions go to standard error and the report to the pipe.
    on_screen = sys.stdout.isatty()
    request = run_audit.Request(
        depth="quick" if args.quick else "full" if args.full else None,
        answers_file=args.answers,
        sets=tuple(args.set),
        interactive=sys.stdin.isatty() and (on_screen or sys.stderr.isatty()),
        fmt=Format(format_for(args)),
    )
    terminal = None
    if request.interactive and not on_screen:
        from audit.collect.screen import Terminal

        terminal = Terminal(color=settings.color, screen=sys.stderr)
    outcome = run_audit.run(settings, request, terminal)
    if on_screen and request.interactive and args.output is None and request.fmt is Format.TERMINAL:
        # The summary is what stays on screen; the full report is one choice away.
        write(outcome.summary, None)
        if outcome.html is None:
            print(_(_NOTHING_RECORDED).format(folder=settings.home.reports), file=sys.stderr)
        if args.open and outcome.html is not None:
            _open_in_browser(outcome.html)
        elif not args.no_pager:
            _offer_full_report(outcome, settings, args)
        else:
            write(outcome.text, None)
        return 1 if reports.fails(outcome.report, args.fail_on) else 0
    write(outcome.text, args.output)
    if outcome.html is None:
        print(_(_NOTHING_RECORDED).format(folder=settings.home.reports), file=sys.stderr)
    else:
        print(
            _("This report is also saved as a web page:\n  {path}").format(path=outcome.html), file=sys.stderr
        )
    if args.open and outcome.html is not None:  # the HTML copy the audit writes; -o may be another format
        _open_in_browser(outcome.html)
    return 1 if reports.fails(outcome.report, args.fail_on) else 0


# "Just show the report again": no run recorded, no HTML copy filed.
_NOTHING_RECORDED = N_("Nothing was recorded; your earlier reports are in {folder}")


def _offer_full_report(outcome: run_audit.Outcome, settings: Settings, args: argparse.Namespace) -> None:
    """After the summary: the full report in the pager, the web page, or nothing more."""
    from audit.app import pager
    from audit.collect.screen import Terminal

    term = Terminal(color=settings.color)
    try:
        choice = term.choose(
            _("Read the full report?"),
            [
                ("page", _("Yes, here (q to come back)")),
                *([("open", _("Yes, as a web page in my browser"))] if outcome.html is not None else []),
                ("done", _("No, done")),
            ],
        )
    except (KeyboardInterrupt, EOFError):
        return  # everything is saved already; leaving here is not an interruption
    if choice == "page" and not pager.page(outcome.text):
        write(outcome.text, None)  # no pager: print it all; it ends with the summary
    elif choice == "open" and outcome.html is not None:
        _open_in_browser(outcome.html)


def cmd_set(args: argparse.Namespace, settings: Settings) -> int:
    from audit.app import record, reports
    from audit.render.base import Format

    fmt = Format(format_for(args))
    if fmt is not Format.TERMINAL:
        settings = replace(settings, color=False, width=80)
    pack = reports.pack_for(settings)
    pending = record.prepare_set(settings, pack, args.assignments)
    record.check_can_record(settings)  # a home that cannot take the run stops `set` before the report
    # The report first: a bad -o stops here, before the answers or the history change.
    text = reports.render(pending.report, pack, fmt, settings)
    if args.output is None and fmt is Format.TERMINAL:
        show(text, args, after=lambda: reports.summary(pending.report, pack, settings))
    else:
        write(text, args.output)
    recorded = record.commit_run(pending)
    saved = _("Answers saved; this is run {run} ('wa-audit history' lists them).")
    print(saved.format(run=recorded.run.id), file=sys.stderr)
    return 1 if reports.fails(recorded.report, args.fail_on) else 0


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    from audit.app import runs
    from audit.render import history_views

    listed = runs.list_runs(settings)
    if args.format == "json":
        write(history_views.history_json(listed), None)
    else:
        write(history_views.history_text(listed, width=settings.width, color=settings.color), None)
    return 0


def cmd_diff(args: argparse.Namespace, settings: Settings) -> int:
    from audit.app import reports, runs
    from audit.render import history_views

    compared = runs.diff_runs(settings, args.runs)
    if args.format == "json":
        write(history_views.diff_json(compared), None)
    else:
        text = history_views.changes_text(
            compared, pack=reports.pack_for(settings), width=settings.width, color=settings.color
        )
        write(text, None)
    return 0


def cmd_forget(args: argparse.Namespace, settings: Settings) -> int:
    from audit.app import forget

    home = settings.home
    stored = forget.stored_files(home)
    others = forget.not_ours(home)
    if not stored:
        print(_("Nothing to forget: wa-audit keeps no files in {folder}.").format(folder=home.root))
        _note_kept(home.root, others)
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError(_("forget: no terminal to confirm on; use 'wa-audit forget --yes'"))
        # Name every file before asking: the person decides on what they see.
        # Translators: the English keeps "file(s)" for every count.
        these = ngettext(
            "These {count} file(s) in {folder} were written by wa-audit:",
            "These {count} file(s) in {folder} were written by wa-audit:",
            len(stored),
        )
        print(these.format(count=len(stored), folder=home.root))
        for path in stored:
            print(f"  {path}")
        _note_kept(home.root, others)
        try:
            # Translators: y/N are the letters typed in reply; "y" and "yes" (and the words of
            # "Yes" in the catalog below) are accepted.
            reply = input(_("Delete them? [y/N] "))
        except EOFError:  # Ctrl-D: no answer is a no, not an internal error
            print()
            reply = ""
        # Translators: what a person may type to say yes, separated by "|", lower case.
        yes = {"y", "yes", *_("y|yes").split("|")}
        if reply.strip().lower() not in yes:
            print(_("Nothing deleted."))
            return 0
    done = forget.forget(home)
    for path in done.deleted:
        print(_("deleted {path}").format(path=path))
    if done.removed_home:
        print(_("removed the empty folder {folder}").format(folder=home.root))
    elif args.yes:
        _note_kept(home.root, done.kept)
    return 0


def _note_kept(root: Path, kept: Sequence[Path]) -> None:
    if kept:
        names = ", ".join(str(p.relative_to(root)) for p in kept[:5]) + (", ..." if len(kept) > 5 else "")
        # Translators: the English keeps "file(s)" for every count.
        left = ngettext(
            "Left alone: {count} file(s) in {folder} that are not wa-audit's own ({names}).",
            "Left alone: {count} file(s) in {folder} that are not wa-audit's own ({names}).",
            len(kept),
        )
        print(left.format(count=len(kept), folder=root, names=names))


def cmd_example(args: argparse.Namespace, settings: Settings) -> int:
    from audit.app import examples

    if args.name is None:
        if args.copy_to is not None:
            raise UserError(_("-o needs an example to copy: 'wa-audit example' lists them"))
        write(examples.listing(), None)
    elif args.copy_to is not None:
        examples.copy(args.name, args.copy_to)
        print(_("Example {name} copied to {path}").format(name=args.name, path=args.copy_to), file=sys.stderr)

    else:
        write(examples.text_of(args.name), None)
    return 0


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from pydantic.json_schema import JsonSchemaMode

    from audit.model.answers import AnswersFile
    from audit.model.assessment import DiffOut, HistoryOut, Report
    from audit.model.drift import DriftReport
    from audit.model.frozen import FrozenModel
    from audit.model.pack import Pack

    # What wa-audit writes is described as written (keys by alias: "from"), what it reads as read.
    kinds: dict[str, tuple[type[FrozenModel], JsonSchemaMode]] = {
        "answers": (AnswersFile, "validation"),
        "pack": (Pack, "validation"),
        "report": (Report, "serialization"),
        "drift": (DriftReport, "serialization"),
        "history": (HistoryOut, "serialization"),
        "diff": (DiffOut, "serialization"),
    }
    model, mode = kinds[args.kind]
    body = model.model_json_schema(mode=mode)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **body}
    write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", None)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "audit": cmd_audit,
    "report": cmd_report,
    "set": cmd_set,
    "history": cmd_history,
    "diff": cmd_diff,
    "forget": cmd_forget,
    "example": cmd_example,
    "schema": cmd_schema,
    "rules": cmd_rules,
}
