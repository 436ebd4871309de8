"""The `wa-audit` command line: parse, dispatch to `app`, write output, map errors to exit codes.

Exit codes: 0 done; 1 a finding at or above --fail-on; 2 a usage or input error; 70 an internal
error (a bug); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from audit import __version__
from audit.errors import AuditError, UserError, one_line
from audit.severity import SEVERITIES

if TYPE_CHECKING:  # the use cases import yaml and more; --version and --help must not pay for it
    from audit import app, interview

EPILOG = """\
exit codes:
  0    done
  1    a finding at or above --fail-on
  2    a usage or input error (the message says what to fix)
  70   an internal error: a bug (rerun with --debug and report it)
  130  interrupted (answers given so far are kept)

privacy: wa-audit never asks for your phone number or messages and never uses the network.
read the model without answering anything: wa-audit rules show
"""

GLOBAL_DEFAULTS: dict[str, object] = {"home": None, "rules": None, "no_color": False, "debug": False}
FORMATS = ("terminal", "html", "json", "markdown", "plan")


def _columns() -> int:
    """shutil.get_terminal_size((80, 24)).columns, without importing shutil (and the modules it loads)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Help(argparse.HelpFormatter):
    """argparse's help layout at the width argparse picks, found without importing shutil."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        width = _columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)


class _RawHelp(_Help, argparse.RawDescriptionHelpFormatter):
    """The same, keeping the description's and epilog's own line breaks."""


class _Parser(argparse.ArgumentParser):
    """argparse with our one-line errors (the usage block is one `--help` away)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"wa-audit: {one_line(message)}; see '{self.prog} --help'\n")


def _parser() -> argparse.ArgumentParser:
    # Global options are accepted before or after the command. SUPPRESS keeps a subcommand's
    # parser from resetting a value given before the command; the defaults live on `parser`.
    common = _Parser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument(
        "--home",
        type=Path,
        help="folder for answers, history and reports (default: $WA_AUDIT_HOME or your user data folder)",
    )
    common.add_argument(
        "--rules",
        type=Path,
        metavar="DIR",
        help="use the rule pack in DIR (default: the bundled WhatsApp pack)",
    )
    common.add_argument(
        "--no-color", action="store_true", default=argparse.SUPPRESS,
        help="plain text output (also NO_COLOR=1)",
    )
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks for errors"
    )

    parser = _Parser(
        prog="wa-audit",
        parents=[common],
        description="What your WhatsApp choices share with Meta and others, and what to change first.",
        epilog=EPILOG,
        formatter_class=_RawHelp,
    )
    parser.add_argument("--version", action="version", version=f"wa-audit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def output_options(p: Any, *, top: bool = False) -> None:
        # `top`: the top-level copies (see below) default to absent, so a command's own win.
        def default(value: object) -> object:
            return argparse.SUPPRESS if top else value

        p.add_argument(
            "--format",
            choices=FORMATS,
            default=default(None),
            help="report format (default: terminal on screen, else from -o's suffix); 'plan' is the "
            "one page of steps: text, or HTML / Markdown with -o plan.html / plan.md",
        )
        p.add_argument(
            "-o",
            "--output",
            type=Path,
            default=default(None),
            metavar="PATH",
            help="write the report to PATH",
        )
        p.add_argument(
            "--fail-on",
            choices=SEVERITIES,
            default=default(None),
            metavar="SEVERITY",
            help="exit 1 if a finding is at or above SEVERITY: info, low, medium, high or critical",
        )
        p.add_argument(
            "--open",
            action="store_true",
            default=default(False),
            help="open the HTML report in your browser (a local file; says where it is if none opens)",
        )
        p.add_argument(
            "--no-pager",
            action="store_true",
            default=default(False),
            help="print a long report in full instead of showing it in $PAGER (or less)",
        )

    def interview_options(p: Any, *, top: bool = False) -> None:
        suppress = {"default": argparse.SUPPRESS} if top else {}
        depth = p.add_mutually_exclusive_group()
        depth.add_argument(
            "--quick", action="store_true", help="only the Meta connections questions", **suppress
        )
        depth.add_argument("--full", action="store_true", help="every question", **suppress)
        p.add_argument(
            "--answers", type=Path, metavar="FILE", help="start from this answers file", **suppress
        )
        p.add_argument(
            "--set",
            action="append",
            default=argparse.SUPPRESS if top else [],
            metavar="QUESTION=VALUE",
            help="fix one answer without asking it (repeatable)",
        )
        output_options(p, top=top)

    # `wa-audit --answers FILE` is `wa-audit audit --answers FILE`, as the advice says: the
    # interview's options are accepted (and listed) here too; main hands them to `audit`.
    interview_options(
        parser.add_argument_group("the interview's options (wa-audit = wa-audit audit)"), top=True
    )
    audit = sub.add_parser(
        "audit",
        parents=[common],
        help="the interview, then your report (the default)",
        description="Answer questions about your WhatsApp settings, then read your report.",
    )
    interview_options(audit)

    report = sub.add_parser(
        "report",
        parents=[common],
        help="report from saved or given answers, no questions",
        description="Report from an answers file (or your saved answers) without asking.",
    )
    report.add_argument("--answers", type=Path, metavar="FILE", help="answers file (YAML); see examples/")
    report.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="QUESTION=VALUE",
        help="override one answer (repeatable)",
    )
    output_options(report)

    set_ = sub.add_parser(
        "set",
        parents=[common],
        help="change answers without the interview",
        description="Change saved answers, record a run, and show what changed.",
    )
    set_.add_argument("assignments", nargs="+", metavar="QUESTION=VALUE")
    output_options(set_)

    history = sub.add_parser(
        "history",
        parents=[common],
        help="your past runs and the score trend",
        description="List every recorded run (each interview or 'set') with its score, oldest first.",
    )
    history.add_argument("--format", choices=("terminal", "json"), default="terminal")

    diff = sub.add_parser(
        "diff",
        parents=[common],
        help="what changed between two runs",
        description="What changed between two runs: answers, findings and score. "
        "No RUN: the last two; one RUN: that run and the latest.",
    )
    diff.add_argument("runs", nargs="*", type=int, metavar="RUN", help="run numbers (default: the last two)")
    # The changes alone, for a screen or a script; the full report with its changes is 'set' or the interview.
    diff.add_argument("--format", choices=("terminal", "json"), default="terminal")

    forget = sub.add_parser(
        "forget",
        parents=[common],
        help="delete every answer, report and run stored",
        description="Delete the saved answers, the unfinished interview, the filed reports and the "
        "history from the wa-audit folder (--home). Files wa-audit did not write are left alone.",
    )
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    schema = sub.add_parser(
        "schema",
        parents=[common],
        help="print a JSON Schema",
        description="Print the JSON Schema of an answers file, a rule pack or the JSON report.",
    )
    schema.add_argument("kind", choices=("answers", "pack", "report"))

    rules = sub.add_parser(
        "rules",
        parents=[common],
        help="check or read the rule pack",
        description="Check a rule pack for problems, or read the sharing model without answering anything.",
    )
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    check = rules_sub.add_parser(
        "check",
        parents=[common],
        help="validate a rule pack (exit 2 on problems)",
        description="Validate a rule pack and list every problem, one per line (exit 2 on problems).",
    )
    check.add_argument(
        "directory",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="the pack folder (default: the bundled WhatsApp pack)",
    )
    show = rules_sub.add_parser(
        "show",
        parents=[common],
        help="read the model: who gets which data, when, why, and the sources",
        description="The sharing model as a guide, without answering anything.",
    )
    show.add_argument("--format", choices=("terminal", "markdown"), default="terminal")
    return parser


SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".json": "json", ".md": "markdown", ".txt": "terminal"}


def _format_for(args: argparse.Namespace) -> str:
    if args.format == "plan" and args.output is not None:
        # The plan in the medium -o names: a page to print, a note to keep, else text.
        return {".html": "plan-html", ".htm": "plan-html", ".md": "plan-markdown"}.get(
            args.output.suffix.lower(), "plan"
        )
    if args.format:
        return str(args.format)
    if args.output is not None:
        fmt = SUFFIX_FORMATS.get(args.output.suffix.lower())
        if fmt is None:
            # Not the terminal text under a name that promises something else (report.pdf, answers.yaml).
            suffix = f"the suffix '{args.output.suffix}'" if args.output.suffix else "a name without a suffix"
            raise UserError(
                f"{args.output}: {suffix} names no report format; "
                "end the -o name in .html, .json, .md or .txt, or add --format"
            )
        return fmt
    return "terminal"


def _write(text: str, output: Path | None) -> None:
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader left (`| head`): not a failure. Point stdout at /dev/null so Python's
            # exit-time flush stays quiet; the command's own exit code stands.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError as e:
            from audit.errors import OutputError

            raise OutputError(
                f"standard output: cannot write the report ({e.strerror}); use -o FILE"
            ) from e
        return
    from audit.fsutil import atomic_write

    atomic_write(output, text)
    print(f"Report written to {output}", file=sys.stderr)


def _settings(args: argparse.Namespace) -> app.Settings:
    from audit import app
    from audit.paths import Home, default_home

    on_screen = sys.stdout.isatty() and getattr(args, "output", None) is None
    # A dumb terminal shows escape codes as text: no colour there either.
    plain = args.no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb"
    return app.Settings(
        home=Home(args.home if args.home is not None else default_home()),
        rules=args.rules,
        color=on_screen and not plain,
        # The screen's own width, down to 20 columns: wider text would wrap mid-word.
        width=min(100, max(20, _terminal_width())) if on_screen else 80,
    )


HTML_FORMATS = ("html", "plan-html")
SCREEN_FORMATS = ("terminal", "plan")


def _show(text: str, args: argparse.Namespace, after: str = "") -> None:
    """Text for the screen: through the pager when it is longer than the screen, else printed.

    `after` (the summary) is printed once the pager closes, so it is what stays on screen.
    """
    if args.output is None and not args.no_pager and sys.stdout.isatty():
        from audit import pager

        if text.count("\n") >= pager.screen_rows() - 1 and pager.page(text):
            if after:
                _write(after, None)
            return
    _write(text, args.output)


def _cmd_report(args: argparse.Namespace, settings: app.Settings) -> int:
    from audit import app
    from audit.render.base import Format

    fmt = Format(_format_for(args))
    # HTML on a terminal would be 80 KB of markup: it goes to a file in the reports folder.
    filed = args.output is None and fmt.value in HTML_FORMATS and sys.stdout.isatty()
    if args.open and fmt.value not in HTML_FORMATS:
        raise UserError("--open needs an HTML report: add --format html (or -o report.html)")
    if args.open and args.output is None and not filed:
        raise UserError("--open needs the HTML report in a file: add -o report.html")
    if fmt.value not in SCREEN_FORMATS or args.output is not None:
        settings = replace(settings, color=False, width=80)
    pack = app.pack_for(settings)
    answers = app.gather_answers(pack, settings, args.answers, args.set)
    report = app.build_report(pack, answers, settings)
    text = app.render(report, pack, fmt, settings)
    output = args.output
    if filed:
        output = app.file_report(settings, fmt, text)
        print(f"Report written to {output}", file=sys.stderr)
    elif output is not None:
        _write(text, output)
    elif fmt is Format.TERMINAL:
        _show(text, args, after=app.summary(report, pack, settings))
    else:
        _show(text, args)
    if args.open and output is not None:
        _open_in_browser(output)
    return 1 if app.fails(report, args.fail_on) else 0


def _open_in_browser(path: Path) -> None:
    import webbrowser

    # Only a local file we just wrote, as a file:// URI; never a URL from anywhere else.
    try:
        opened = webbrowser.open(path.resolve().as_uri())
    except webbrowser.Error:
        opened = False
    if not opened:
        where = path.resolve()
        print(f"No browser opened; the report is at {where} (open it in a browser).", file=sys.stderr)


def _cmd_rules(args: argparse.Namespace, settings: app.Settings) -> int:
    from audit import app

    if args.rules_command == "check":
        target, problems = app.check_rules(args.directory or settings.rules)
        for problem in problems:
            print(problem, file=sys.stderr)
        errors = [p for p in problems if p.level == "error"]  # warnings are printed, nothing more
        if errors:
            print(f"wa-audit: {len(errors)} problem(s) in {target}", file=sys.stderr)
            return 2
        print(f"{target}: ok" + (f" ({len(problems)} warning(s))" if problems else ""))
        return 0
    from audit.render import model_guide

    if args.format == "markdown":
        text = model_guide.markdown(app.pack_for(settings))
    else:
        text = model_guide.terminal(app.pack_for(settings), width=settings.width, color=settings.color)
    _write(text, None)
    return 0


def _cmd_audit(args: argparse.Namespace, settings: app.Settings) -> int:
    from audit import app, interview
    from audit.render.base import Format

    request = interview.Request(
        depth="quick" if args.quick else "full" if args.full else None,
        answers_file=args.answers,
        sets=tuple(args.set),
        interactive=sys.stdin.isatty() and sys.stdout.isatty(),
        fmt=Format(_format_for(args)),
    )
    outcome = interview.run(settings, request)
    if request.interactive and args.output is None and request.fmt is Format.TERMINAL:
        # The summary is what stays on screen; the full report is one choice away.
        _write(outcome.summary, None)
        if outcome.html is None:
            print(_NOTHING_RECORDED.format(settings.home.reports), file=sys.stderr)
        if args.open and outcome.html is not None:
            _open_in_browser(outcome.html)
        elif not args.no_pager:
            _offer_full_report(outcome, settings, args)
        else:
            _write(outcome.text, None)
        return 1 if app.fails(outcome.report, args.fail_on) else 0
    _write(outcome.text, args.output)
    if outcome.html is None:
        print(_NOTHING_RECORDED.format(settings.home.reports), file=sys.stderr)
    else:
        print(f"This report is also saved as a web page:\n  {outcome.html}", file=sys.stderr)
    if args.open and outcome.html is not None:  # the HTML copy the audit writes; -o may be another format
        _open_in_browser(outcome.html)
    return 1 if app.fails(outcome.report, args.fail_on) else 0


# "Just show the report again": no run recorded, no HTML copy filed.
_NOTHING_RECORDED = "Nothing was recorded; your earlier reports are in {}"


def _offer_full_report(outcome: interview.Outcome, settings: app.Settings, args: argparse.Namespace) -> None:
    """After the summary: the full report in the pager, the web page, or nothing more."""
    from audit import pager
    from audit.questionnaire import Terminal

    term = Terminal(color=settings.color)
    try:
        choice = term.choose(
            "Read the full report?",
            [
                ("page", "Yes, here (q to come back)"),
                *([("open", "Yes, as a web page in my browser")] if outcome.html is not None else []),
                ("done", "No, done"),
            ],
        )
    except (KeyboardInterrupt, EOFError):
        return  # everything is saved already; leaving here is not an interruption
    if choice == "page" and not pager.page(outcome.text):
        _write(outcome.text, None)  # no pager: print it all; it ends with the summary
    elif choice == "open" and outcome.html is not None:
        _open_in_browser(outcome.html)


def _notify(notices: Sequence[str]) -> None:
    for notice in notices:  # e.g. a damaged history moved aside: never silent
        print(f"wa-audit: {notice}", file=sys.stderr)


def _cmd_set(args: argparse.Namespace, settings: app.Settings) -> int:
    from audit import app, reruns
    from audit.render.base import Format

    fmt = Format(_format_for(args))
    if fmt is not Format.TERMINAL:
        settings = replace(settings, color=False, width=80)
    pack = app.pack_for(settings)
    pending = reruns.prepare_set(settings, pack, args.assignments)
    reruns.check_can_record(settings)  # a home that cannot take the run stops `set` before the report
    _notify(pending.notices)
    # The report first: a bad -o stops here, before the answers or the history change.
    text = app.render(pending.report, pack, fmt, settings)
    if args.output is None and fmt is Format.TERMINAL:
        _show(text, args, after=app.summary(pending.report, pack, settings))
    else:
        _write(text, args.output)
    recorded = reruns.commit_run(pending)
    print(f"Answers saved; this is run {recorded.run.id} ('wa-audit history' lists them).", file=sys.stderr)
    return 1 if app.fails(recorded.report, args.fail_on) else 0


def _cmd_history(args: argparse.Namespace, settings: app.Settings) -> int:
    from audit import reruns

    listed = reruns.list_runs(settings)
    _notify(listed.notices)
    if args.format == "json":
        _write(reruns.history_json(listed.runs), None)
    else:
        _write(reruns.history_text(listed.runs, width=settings.width, color=settings.color), None)
    return 0


def _cmd_diff(args: argparse.Namespace, settings: app.Settings) -> int:
    from audit import app, reruns

    compared = reruns.diff_runs(settings, args.runs)
    _notify(compared.notices)
    if args.format == "json":
        _write(reruns.diff_json(compared), None)
    else:
        text = reruns.changes_text(
            compared, pack=app.pack_for(settings), width=settings.width, color=settings.color
        )
        _write(text, None)
    return 0


def _cmd_forget(args: argparse.Namespace, settings: app.Settings) -> int:
    from audit import reruns

    home = settings.home
    stored = reruns.stored_files(home)
    others = reruns.not_ours(home)
    if not stored:
        print(f"Nothing to forget: wa-audit keeps no files in {home.root}.")
        _note_kept(home.root, others)
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError("forget: no terminal to confirm on; use 'wa-audit forget --yes'")
        # Name every file before asking: the person decides on what they see.
        print(f"These {len(stored)} file(s) in {home.root} were written by wa-audit:")
        for path in stored:
            print(f"  {path}")
        _note_kept(home.root, others)
        try:
            reply = input("Delete them? [y/N] ")
        except EOFError:  # Ctrl-D: no answer is a no, not an internal error
            print()
            reply = ""
        if reply.strip().lower() not in ("y", "yes"):
            print("Nothing deleted.")
            return 0
    done = reruns.forget(home)
    for path in done.deleted:
        print(f"deleted {path}")
    if done.removed_home:
        print(f"removed the empty folder {home.root}")
    elif args.yes:
        _note_kept(home.root, done.kept)
    return 0


def _note_kept(root: Path, kept: Sequence[Path]) -> None:
    if kept:
        names = ", ".join(str(p.relative_to(root)) for p in kept[:5]) + (", ..." if len(kept) > 5 else "")
        print(f"Left alone: {len(kept)} file(s) in {root} that are not wa-audit's own ({names}).")


def _cmd_schema(args: argparse.Namespace, settings: app.Settings) -> int:
    import json

    from audit.answers import AnswersFile
    from audit.assessment import Report
    from audit.pack import Pack
    # The report is what wa-audit writes (serialisation, keys by alias: "from"); the others are read.
    if args.kind == "answers":
        body = AnswersFile.model_json_schema()
    elif args.kind == "pack":
        body = Pack.model_json_schema()
    else:
        body = Report.model_json_schema(mode="serialization")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **body}
    _write(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", None)
    return 0


_COMMANDS: dict[str, Callable[[argparse.Namespace, app.Settings], int]] = {
    "audit": _cmd_audit,
    "report": _cmd_report,
    "set": _cmd_set,
    "history": _cmd_history,
    "diff": _cmd_diff,
    "forget": _cmd_forget,
    "schema": _cmd_schema,
    "rules": _cmd_rules,
}


def _inputs(args: argparse.Namespace, settings: app.Settings) -> list[Path]:
    """Every file this command reads or keeps: a report written with -o must replace none of them."""
    from audit.history import SIDECARS

    own = settings.home
    files = [own.answers, own.draft, own.history, *(Path(f"{own.history}{s}") for s in SIDECARS)]
    if getattr(args, "answers", None) is not None:
        files.append(args.answers)
    return files


def _pack_dir(settings: app.Settings) -> Path:
    from audit.resources import default_pack_dir

    return settings.rules if settings.rules is not None else default_pack_dir()


def _terminal_width() -> int:
    return _columns()


def _is_utf8(stream: object) -> bool:
    encoding = str(getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8")


class _StderrGuard:
    """sys.stderr that outlives a closed pipe (`wa-audit ... 2>&1 | head -2`).

    A reader that leaves early is not a failure: the command's own exit code stands (a closed
    stderr pipe used to end in an exception and exit 1, the code of --fail-on findings).
    """

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.closed_pipe = False

    def write(self, text: str) -> int:
        if not self.closed_pipe:
            try:
                self.stream.write(text)
                self.stream.flush()
            except BrokenPipeError:
                self._silence()
        return len(text)

    def flush(self) -> None:
        if not self.closed_pipe:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._silence()

    def _silence(self) -> None:
        self.closed_pipe = True
        import contextlib

        with contextlib.suppress(AttributeError, ValueError, OSError):
            # Python's exit-time flush of fd 2 must not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), self.stream.fileno())

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _check_home(home: Path) -> None:
    """A home that is not a folder is said once, by every command, before anything reads it."""
    if home.exists() and not home.is_dir():
        raise UserError(
            f"{home}: the wa-audit home is a file, not a folder; "
            "give a folder with --home (or WA_AUDIT_HOME), it is created if missing"
        )


def _run(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
        _check_home(settings.home.root)
        if getattr(args, "output", None) is not None:
            from audit.fsutil import check_output

            # Before anything is saved or recorded; and a report never replaces an input.
            check_output(args.output, keep=_inputs(args, settings), within=_pack_dir(settings))
            _format_for(args)
        return _COMMANDS[args.command](args, settings)
    except AuditError as e:
        if args.debug:
            raise
        # A message that already names the program ("wa-audit needs a terminal ...") stands alone.
        prefix = "" if e.message.startswith("wa-audit ") else "wa-audit: "
        print(f"{prefix}{e.message}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("\nwa-audit: interrupted", file=sys.stderr)
        return 130
    except Exception as e:
        if args.debug:
            raise
        print(
            f"wa-audit: internal error: {type(e).__name__}: {e} (rerun with --debug and report it)",
            file=sys.stderr,
        )
        return 70


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `wa-audit` and `python -m audit`."""
    if not (_is_utf8(sys.stdout) and _is_utf8(sys.stderr)):
        from audit import ascii_fallback

        ascii_fallback.install()  # box lines, arrows and bars as ASCII, not an exit 70
    parser = _parser()
    given = list(sys.argv[1:] if argv is None else argv)
    args, unknown = parser.parse_known_args(given)
    if args.command is None:
        # No command is the interview (`wa-audit` = `wa-audit audit`, so `wa-audit --quick` works
        # too); the audit command accepts every global option as well.
        args = parser.parse_args(["audit", *given])
    elif unknown:
        args = parser.parse_args(given)  # argparse names what it did not recognise, and exits 2
    # Not parser.set_defaults: parent parsers share action objects, and defaults set there would
    # reset a global option given before the command.
    for name, default in GLOBAL_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    guard = _StderrGuard(sys.stderr)
    sys.stderr = guard
    try:
        return _run(args)
    finally:
        if sys.stderr is guard:
            sys.stderr = guard.stream
