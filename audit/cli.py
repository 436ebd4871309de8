"""The `wa-audit` command line: parse, dispatch to `commands`, map errors to exit codes.

Exit codes: 0 done; 1 a finding at or above --fail-on; 2 a usage or input error; 70 an internal
error (a bug); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from audit import __version__
from audit.commands import COMMANDS, format_for
from audit.errors import AuditError, UserError, escape_controls
from audit.severity import SEVERITIES

if TYPE_CHECKING:  # the use cases import yaml and more; --version and --help must not pay for it
    from audit.use_cases import Settings

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
# Options accepted before the command (for `audit`, the default command) and by commands: given
# before the command they land in TOP + name, and `_agree` makes one value of the two.
TOP = "top_"
SHARED_DEFAULTS: dict[str, object] = {
    "quick": False,
    "full": False,
    "answers": None,
    "set": [],
    "format": None,
    "output": None,
    "fail_on": None,
    "open": False,
    "no_pager": False,
}
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
        self.commands: dict[str, _Parser] = {}  # on the top parser: "report", "rules show", ...
        self.shared_defaults: dict[str, object] = {}  # on a command's parser: see `_agree`

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"wa-audit: {escape_controls(message)}; see '{self.prog} --help'\n")


def _parser() -> _Parser:
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
        "--no-color",
        action="store_true",
        default=argparse.SUPPRESS,
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
        # Every copy defaults to absent (SUPPRESS): `_agree` tells what was given, where, and fills in
        # the command's default (COMMAND_DEFAULTS) for what was given nowhere.
        def dest(name: str) -> dict[str, Any]:
            return {"dest": TOP + name if top else name, "default": argparse.SUPPRESS}

        p.add_argument(
            "--format",
            choices=FORMATS,
            help="report format (default: terminal on screen, else from -o's suffix); 'plan' is the "
            "one page of steps: text, or HTML / Markdown with -o plan.html / plan.md",
            **dest("format"),
        )
        p.add_argument(
            "-o", "--output", type=Path, metavar="PATH", help="write the report to PATH", **dest("output")
        )
        p.add_argument(
            "--fail-on",
            choices=SEVERITIES,
            metavar="SEVERITY",
            help="exit 1 if a finding is at or above SEVERITY: info, low, medium, high or critical",
            **dest("fail_on"),
        )
        p.add_argument(
            "--open",
            action="store_true",
            help="open the HTML report in your browser (a local file; says where it is if none opens)",
            **dest("open"),
        )
        p.add_argument(
            "--no-pager",
            action="store_true",
            help="print a long report in full instead of showing it in $PAGER (or less)",
            **dest("no_pager"),
        )

    def answers_options(p: Any, *, top: bool = False, interview: bool = True) -> None:
        def dest(name: str) -> dict[str, Any]:
            return {"dest": TOP + name if top else name, "default": argparse.SUPPRESS}

        if interview:
            depth = p.add_mutually_exclusive_group()
            quick = "only the Meta connections questions"
            depth.add_argument("--quick", action="store_true", help=quick, **dest("quick"))
            depth.add_argument("--full", action="store_true", help="every question", **dest("full"))
        p.add_argument(
            "--answers",
            type=Path,
            metavar="FILE",
            help="start from this answers file" if interview else "answers file (YAML); see examples/",
            **dest("answers"),
        )
        p.add_argument(
            "--set",
            action="append",
            metavar="QUESTION=VALUE",
            help=f"{'fix one answer without asking it' if interview else 'override one answer'} (repeatable)",
            **dest("set"),
        )
        output_options(p, top=top)

    # `wa-audit --answers FILE` is `wa-audit audit --answers FILE`, as the advice says: the
    # interview's options are accepted (and listed) here too; main hands them to `audit`.
    answers_options(
        parser.add_argument_group("the interview's options (wa-audit = wa-audit audit)"), top=True
    )
    audit = sub.add_parser(
        "audit",
        parents=[common],
        help="the interview, then your report (the default)",
        description="Answer questions about your WhatsApp settings, then read your report.",
    )
    answers_options(audit)

    report = sub.add_parser(
        "report",
        parents=[common],
        help="report from saved or given answers, no questions",
        description="Report from an answers file (or your saved answers) without asking.",
    )
    answers_options(report, interview=False)

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

    parser.commands = {
        **{name: p for name, p in sub.choices.items() if name != "rules"},
        **{f"rules {name}": p for name, p in rules_sub.choices.items()},
    }
    for command in parser.commands.values():
        # A command's own default would overwrite a value given before the command (argparse
        # copies the command's namespace over the top one): defaults are filled in by `_agree`.
        for action in command._actions:
            if action.dest in SHARED_DEFAULTS:
                own = action.default is not argparse.SUPPRESS
                command.shared_defaults[action.dest] = action.default if own else SHARED_DEFAULTS[action.dest]
                action.default = argparse.SUPPRESS
    return parser


def _agree(parser: _Parser, args: argparse.Namespace) -> None:
    """One value per option, wherever it was given: `wa-audit -o r.html report` writes r.html.

    Given before and after the command with different values: one line, exit 2. `--set` is
    repeatable, so both places' add up. An option the command does not take is refused.
    """
    name = args.command if args.command != "rules" else f"rules {args.rules_command}"
    command = parser.commands[name]
    takes = {a.dest: a for a in command._actions}
    for dest in SHARED_DEFAULTS:
        if not hasattr(args, TOP + dest):
            continue
        before = getattr(args, TOP + dest)
        delattr(args, TOP + dest)
        action = takes.get(dest)
        if action is None:
            top = next(a for a in parser._actions if a.dest == TOP + dest)
            command.error(f"{max(top.option_strings, key=len)} does not apply to '{name}'")
        option = max(action.option_strings, key=len)
        if action.choices is not None and before not in action.choices:
            choices = ", ".join(map(repr, action.choices))
            command.error(f"argument {option}: invalid choice: {before!r} (choose from {choices})")
        if dest == "set":
            setattr(args, dest, [*before, *getattr(args, dest, [])])
        elif hasattr(args, dest) and getattr(args, dest) != before:
            command.error(
                f"{option} is given twice, as {before} before '{name}' and {getattr(args, dest)} after it; "
                "give it once"
            )
        else:
            setattr(args, dest, before)
    if getattr(args, "quick", False) and getattr(args, "full", False):
        command.error("argument --full: not allowed with argument --quick")
    for dest, default in command.shared_defaults.items():
        if not hasattr(args, dest):
            setattr(args, dest, list(default) if isinstance(default, list) else default)


def _settings(args: argparse.Namespace) -> Settings:
    from audit.paths import Home, default_home
    from audit.use_cases import Settings

    on_screen = sys.stdout.isatty() and getattr(args, "output", None) is None
    # A dumb terminal shows escape codes as text: no colour there either.
    plain = args.no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb"
    return Settings(
        home=Home(args.home if args.home is not None else default_home()),
        rules=args.rules,
        color=on_screen and not plain,
        # The screen's own width, down to 20 columns: wider text would wrap mid-word.
        width=min(100, max(20, _terminal_width())) if on_screen else 80,
    )


def _inputs(args: argparse.Namespace, settings: Settings) -> list[Path]:
    """Every file this command reads or keeps: a report written with -o must replace none of them."""
    from audit.history_file import SIDECARS

    own = settings.home
    files = [own.answers, own.draft, own.history, *(Path(f"{own.history}{s}") for s in SIDECARS)]
    if getattr(args, "answers", None) is not None:
        files.append(args.answers)
    return files


def _pack_dir(settings: Settings) -> Path:
    from audit.resources import default_pack_dir

    return settings.rules if settings.rules is not None else default_pack_dir()


def _terminal_width() -> int:
    return _columns()


def _is_utf8(stream: object) -> bool:
    encoding = str(getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8")


class _PipeGuard:
    """sys.stdout or sys.stderr that outlives a closed pipe (`wa-audit rules check | head -0`).

    A reader that leaves early is not a failure: what is left unwritten goes nowhere and the
    command's own exit code stands (a closed pipe used to end in an exception: exit 1, the code of
    --fail-on findings, on stderr, or 70, an internal error, on stdout).
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
            format_for(args)
        return COMMANDS[args.command](args, settings)
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
    _agree(parser, args)
    # Not parser.set_defaults: parent parsers share action objects, and defaults set there would
    # reset a global option given before the command.
    for name, default in GLOBAL_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    out, err = _PipeGuard(sys.stdout), _PipeGuard(sys.stderr)
    sys.stdout, sys.stderr = out, err
    try:
        return _run(args)
    finally:
        if sys.stdout is out:
            sys.stdout = out.stream
        if sys.stderr is err:
            sys.stderr = err.stream
