"""The `wa-audit` command line: parse, dispatch to `commands`, map errors to exit codes.

Exit codes: 0 done; 1 a finding at or above --fail-on; 2 a usage or input error; 70 an internal
error (a bug); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audit import lang
from audit.app.argparse_words import argparse_speaking
from audit.app.commands import COMMANDS
from audit.app.output import format_for
from audit.app.parser import GLOBAL_DEFAULTS, SHARED_DEFAULTS, TOP, Parser, build_parser
from audit.errors import AuditError, NeedsTerminal, UserError
from audit.lang import _

if TYPE_CHECKING:  # the use cases import yaml and more; --version and --help must not pay for it
    from audit.app.settings import Settings


def _agree(parser: Parser, args: argparse.Namespace) -> None:
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
            command.error(
                _("{option} does not apply to '{command}'").format(
                    option=max(top.option_strings, key=len), command=name
                )
            )
        option = max(action.option_strings, key=len)
        if action.choices is not None and before not in action.choices:
            # argparse's own sentences (argparse_words.ARGPARSE_WORDS), as it would say them.
            invalid = _("invalid choice: %(value)r (choose from %(choices)s)") % {
                "value": before,
                "choices": ", ".join(map(repr, action.choices)),
            }
            command.error(
                _("argument %(argument_name)s: %(message)s") % {"argument_name": option, "message": invalid}
            )
        if dest == "set":
            setattr(args, dest, [*before, *getattr(args, dest, [])])
        elif hasattr(args, dest) and getattr(args, dest) != before:
            command.error(
                _(
                    "{option} is given twice, as {before} before '{command}' and {after} after it; "
                    "give it once"
                ).format(option=option, before=before, command=name, after=getattr(args, dest))
            )
        else:
            setattr(args, dest, before)
    if getattr(args, "quick", False) and getattr(args, "full", False):
        not_allowed = _("not allowed with argument %s") % "--quick"
        command.error(
            _("argument %(argument_name)s: %(message)s") % {"argument_name": "--full", "message": not_allowed}
        )
    for dest, default in command.shared_defaults.items():
        if not hasattr(args, dest):
            setattr(args, dest, list(default) if isinstance(default, list) else default)


def _settings(args: argparse.Namespace) -> Settings:
    from audit.app.settings import Settings
    from audit.paths import Home, default_home

    on_screen = sys.stdout.isatty() and getattr(args, "output", None) is None
    # A dumb terminal shows escape codes as text: no colour there either.
    plain = args.no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb"
    return Settings(
        home=Home(args.home if args.home is not None else default_home()),
        rules=args.rules,
        color=on_screen and not plain,
        # The screen's own width, down to 20 columns: wider text would wrap mid-word.
        width=min(100, max(20, shutil.get_terminal_size((80, 24)).columns)) if on_screen else 80,
    )


def _inputs(args: argparse.Namespace, settings: Settings) -> list[Path]:
    """Every file this command reads or keeps: a report written with -o must replace none of them."""
    from audit.history.sqlite_file import SIDECARS

    own = settings.home
    files = [own.answers, own.draft, own.history, *(Path(f"{own.history}{s}") for s in SIDECARS)]
    if getattr(args, "answers", None) is not None:
        files.append(args.answers)
    return files


def _pack_dir(settings: Settings) -> Path:
    from audit.load.resources import default_pack_dir

    return settings.rules if settings.rules is not None else default_pack_dir()


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
            _(
                "{path}: the wa-audit home is a file, not a folder; "
                "give a folder with --home (or WA_AUDIT_HOME), it is created if missing"
            ).format(path=home)
        )


def _run(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
        _check_home(settings.home.root)
        if getattr(args, "output", None) is not None:
            from audit.files import check_output

            # Before anything is saved or recorded; and a report never replaces an input.
            check_output(args.output, keep=_inputs(args, settings), within=_pack_dir(settings))
            format_for(args)
        return COMMANDS[args.command](args, settings)
    except AuditError as e:
        if args.debug:
            raise
        # A message that already names the program ("wa-audit needs a terminal ...") stands alone,
        # in every language.
        prefix = "" if isinstance(e, NeedsTerminal) or e.message.startswith("wa-audit ") else "wa-audit: "
        print(f"{prefix}{e.message}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("\nwa-audit: " + _("interrupted"), file=sys.stderr)
        return 130
    except Exception as e:
        if args.debug:
            raise
        print(
            f"wa-audit: internal error: {type(e).__name__}: {e} (rerun with --debug and report it)",
            file=sys.stderr,
        )
        return 70


def _lang_option(given: list[str]) -> str | None:
    """The last `--lang` in the arguments (before or after the command), or None."""
    found = None
    for i, arg in enumerate(given):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(given):
            found = given[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `wa-audit` and `python -m audit`."""
    if not (_is_utf8(sys.stdout) and _is_utf8(sys.stderr)):
        from audit.app import ascii_fallback

        ascii_fallback.install()  # box lines, arrows and bars as ASCII, not an exit 70
    given = list(sys.argv[1:] if argv is None else argv)
    try:
        # Before the parser is built: its help speaks the person's language too.
        lang.use(lang.choose(_lang_option(given)))
    except UserError as e:
        print(f"wa-audit: {e.message}", file=sys.stderr)
        return e.exit_code
    with argparse_speaking():  # argparse's own words (usage:, options, its errors) in that language too
        parser = build_parser()
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
