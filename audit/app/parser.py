"""The `wa-audit` argument parser: every command, option and help text (argparse).

Options accepted both before the command and by a command are declared twice (`TOP` + name) and
made one value by `cli`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, NoReturn

from audit import __version__
from audit.errors import escape_controls
from audit.lang import LANGUAGES, N_, _
from audit.model.severity import SEVERITIES

# Translators: the end of `wa-audit --help`. Keep the layout: the numbers and their column, and the
# command names as they are.
EPILOG = N_("""\
exit codes:
  0    done
  1    a finding at or above --fail-on (rules drift: a quote drifted)
  2    a usage or input error (the message says what to fix)
  70   an internal error: a bug (rerun with --debug and report it)
  130  interrupted (answers given so far are kept)

privacy: wa-audit never asks for your phone number or messages and never uses the network.
read the model without answering anything: wa-audit rules show
""")

GLOBAL_DEFAULTS: dict[str, object] = {
    "home": None,
    "rules": None,
    "lang": None,
    "no_color": False,
    "debug": False,
}
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


class Parser(argparse.ArgumentParser):
    """argparse with our one-line errors (the usage block is one `--help` away)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands: dict[str, Parser] = {}  # on the top parser: "report", "rules show", ...
        self.shared_defaults: dict[str, object] = {}  # on a command's parser: see `_agree`

    def error(self, message: str) -> NoReturn:
        line = _("{message}; see '{command} --help'").format(
            message=escape_controls(message), command=self.prog
        )
        self.exit(2, f"wa-audit: {line}\n")


def _at_least_one(text: str) -> int:
    """A count of 1 or more; argparse makes the error a one-line usage error."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(
            _("give a whole number of 1 or more, not '{text}'").format(text=text)
        )
    return int(text)


def _pack_folder(command: argparse.ArgumentParser) -> None:
    """The optional pack folder of `rules check` and `rules extract`."""
    command.add_argument(
        "directory",
        nargs="?",
        type=Path,
        metavar="DIR",
        help=_("the pack folder (default: the bundled WhatsApp pack)"),
    )


def build_parser() -> Parser:
    # Global options are accepted before or after the command. SUPPRESS keeps a subcommand's
    # parser from resetting a value given before the command; the defaults live on `parser`.
    common = Parser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument(
        "--home",
        type=Path,
        help=_("folder for answers, history and reports (default: $WA_AUDIT_HOME or your user data folder)"),
    )
    common.add_argument(
        "--rules",
        type=Path,
        metavar="DIR",
        help=_("use the rule pack in DIR (default: the bundled WhatsApp pack)"),
    )
    common.add_argument(
        "--lang",
        metavar="LANG",
        help=_("the language to speak: {languages} (default: $WA_AUDIT_LANG, else your system's)").format(
            languages=", ".join(LANGUAGES)
        ),
    )
    common.add_argument(
        "--no-color",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("plain text output (also NO_COLOR=1)"),
    )
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=_("show tracebacks for errors")
    )

    parser = Parser(
        prog="wa-audit",
        parents=[common],
        description=_("What your WhatsApp choices share with Meta and others, and what to change first."),
        epilog=_(EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"wa-audit {__version__}",
        help=_("show program's version number and exit"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def output_options(p: Any, *, top: bool = False) -> None:
        # Every copy defaults to absent (SUPPRESS): `_agree` tells what was given, where, and fills in
        # the command's default (COMMAND_DEFAULTS) for what was given nowhere.
        def dest(name: str) -> dict[str, Any]:
            return {"dest": TOP + name if top else name, "default": argparse.SUPPRESS}

        p.add_argument(
            "--format",
            choices=FORMATS,
            help=_(
                "report format (default: terminal on screen, else from -o's suffix); 'plan' is the "
                "one page of steps: text, or HTML / Markdown with -o plan.html / plan.md"
            ),
            **dest("format"),
        )
        p.add_argument(
            "-o", "--output", type=Path, metavar="PATH", help=_("write the report to PATH"), **dest("output")
        )
        p.add_argument(
            "--fail-on",
            choices=SEVERITIES,
            metavar="SEVERITY",
            # Translators: info, low, medium, high and critical are the values --fail-on takes: keep them.
            help=_("exit 1 if a finding is at or above SEVERITY: info, low, medium, high or critical"),
            **dest("fail_on"),
        )
        p.add_argument(
            "--open",
            action="store_true",
            help=_("open the HTML report in your browser (a local file; says where it is if none opens)"),
            **dest("open"),
        )
        p.add_argument(
            "--no-pager",
            action="store_true",
            help=_("print a long report in full instead of showing it in $PAGER (or less)"),
            **dest("no_pager"),
        )

    def answers_options(p: Any, *, top: bool = False, interview: bool = True) -> None:
        def dest(name: str) -> dict[str, Any]:
            return {"dest": TOP + name if top else name, "default": argparse.SUPPRESS}

        if interview:
            depth = p.add_mutually_exclusive_group()
            quick = _("only the Meta connections questions")
            depth.add_argument("--quick", action="store_true", help=quick, **dest("quick"))
            depth.add_argument("--full", action="store_true", help=_("every question"), **dest("full"))
        p.add_argument(
            "--answers",
            type=Path,
            metavar="FILE",
            help=_("start from this answers file")
            if interview
            else _("answers file (YAML); see 'wa-audit example'"),
            **dest("answers"),
        )
        p.add_argument(
            "--set",
            action="append",
            metavar="QUESTION=VALUE",
            help=_("fix one answer without asking it (repeatable)")
            if interview
            else _("override one answer (repeatable)"),
            **dest("set"),
        )
        output_options(p, top=top)

    # `wa-audit --answers FILE` is `wa-audit audit --answers FILE`, as the advice says: the
    # interview's options are accepted (and listed) here too; main hands them to `audit`.
    answers_options(
        parser.add_argument_group(_("the interview's options (wa-audit = wa-audit audit)")), top=True
    )
    audit = sub.add_parser(
        "audit",
        parents=[common],
        help=_("the interview, then your report (the default)"),
        description=_("Answer questions about your WhatsApp settings, then read your report."),
    )
    answers_options(audit)

    report = sub.add_parser(
        "report",
        parents=[common],
        help=_("report from saved or given answers, no questions"),
        description=_("Report from an answers file (or your saved answers) without asking."),
    )
    answers_options(report, interview=False)
    report.add_argument(
        "--summary",
        action="store_true",
        help=_(
            "print only the summary (score, the one thing to do, the top findings); "
            "with -o the full report goes to the file and the summary says where"
        ),
    )

    set_ = sub.add_parser(
        "set",
        parents=[common],
        help=_("change answers without the interview"),
        description=_("Change saved answers, record a run, and show what changed."),
    )
    set_.add_argument("assignments", nargs="+", metavar="QUESTION=VALUE")
    output_options(set_)

    history = sub.add_parser(
        "history",
        parents=[common],
        help=_("your past runs and the score trend"),
        description=_("List every recorded run (each interview or 'set') with its score, oldest first."),
    )
    history.add_argument("--format", choices=("terminal", "json"), default="terminal")

    diff = sub.add_parser(
        "diff",
        parents=[common],
        help=_("what changed between two runs"),
        description=_(
            "What changed between two runs: answers, findings and score. "
            "No RUN: the last two; one RUN: that run and the latest."
        ),
    )
    diff.add_argument(
        "runs", nargs="*", type=int, metavar="RUN", help=_("run numbers (default: the last two)")
    )
    # The changes alone, for a screen or a script; the full report with its changes is 'set' or the interview.
    diff.add_argument("--format", choices=("terminal", "json"), default="terminal")

    forget = sub.add_parser(
        "forget",
        parents=[common],
        help=_("delete every answer, report and run stored"),
        description=_(
            "Delete the saved answers, the unfinished interview, the filed reports and the "
            "history from the wa-audit folder (--home). Files wa-audit did not write are left alone."
        ),
    )
    forget.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))

    example = sub.add_parser(
        "example",
        parents=[common],
        help=_("list the example answers files, print one, or copy one to start from"),
        description=_(
            "The example answers files that come with wa-audit. No NAME: list them; a NAME: "
            "print it; with -o FILE: copy it there (a new file, private to you) to edit and use with "
            "--answers."
        ),
    )
    example.add_argument("name", nargs="?", metavar="NAME", help=_("an example's name (as listed)"))
    example.add_argument(
        "-o", "--output", dest="copy_to", type=Path, metavar="FILE", help=_("copy it to FILE")
    )

    schema = sub.add_parser(
        "schema",
        parents=[common],
        help=_("print a JSON Schema"),
        description=_(
            "Print the JSON Schema of an answers file, a rule pack, the JSON report, or the JSON "
            "of 'rules drift', 'history --format json' or 'diff --format json'."
        ),
    )
    schema.add_argument("kind", choices=("answers", "pack", "report", "drift", "history", "diff"))

    rules = sub.add_parser(
        "rules",
        parents=[common],
        help=_("check, read or re-check the rule pack"),
        description=_(
            "Check a rule pack for problems, read the sharing model without answering anything, "
            "or find the quotes that newer captures of its sources no longer say."
        ),
    )
    rules_sub = rules.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    check = rules_sub.add_parser(
        "check",
        parents=[common],
        help=_("validate a rule pack (exit 2 on problems)"),
        description=_("Validate a rule pack and list every problem, one per line (exit 2 on problems)."),
    )
    _pack_folder(check)
    extract = rules_sub.add_parser(
        "extract",
        parents=[common],
        help=_("write the pack's translation template (i18n/pack.pot)"),
        description=_(
            "Write every text of a rule pack a person reads to DIR/i18n/pack.pot, the template "
            "its translations (i18n/<lang>.po) are made from and updated with (docs/DEVELOPMENT.md)."
        ),
    )
    _pack_folder(extract)
    show = rules_sub.add_parser(
        "show",
        parents=[common],
        help=_("read the model: who gets which data, when, why, and the sources"),
        description=_("The sharing model as a guide, without answering anything."),
    )
    show.add_argument("--format", choices=("terminal", "markdown"), default="terminal")
    drift = rules_sub.add_parser(
        "drift",
        parents=[common],
        help=_("find the quotes a newer capture of their source no longer says (exit 1 on drift)"),
        description=_(
            "Compare the pack's quotes with the newest capture of each source they cite: the "
            "quotes no longer found, each with the closest passage now there, and the new or changed "
            "paragraphs that mention the pack's vocabulary and that no quote covers. Exit 0 when nothing "
            "drifted, 1 when something did. Reads files only: no network."
        ),
    )
    drift.add_argument(
        "--captures",
        type=Path,
        metavar="DIR",
        help=_("a folder of dated captures (<capture-id>-<YYYY-MM-DD>.md) to use instead of the pack's own"),
    )
    drift.add_argument("--format", choices=("text", "json"), default="text")
    drift.add_argument(
        "--min-versions",
        type=_at_least_one,
        default=1,
        metavar="N",
        help=_(
            "count a quote as gone only when the N newest captures all lack it (default 1; more for "
            "documents that flap)"
        ),
    )

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
