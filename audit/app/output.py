"""Where a command's text goes: standard output, the pager, or the file -o names, in its format."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from audit.errors import UserError
from audit.lang import _

SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".json": "json", ".md": "markdown", ".txt": "terminal"}


def format_for(args: argparse.Namespace) -> str:
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
            if args.output.suffix:
                problem = _("{path}: the suffix '{suffix}' names no report format").format(
                    path=args.output, suffix=args.output.suffix
                )
            else:
                problem = _("{path}: a name without a suffix names no report format").format(path=args.output)
            raise UserError(
                _("{problem}; end the -o name in .html, .json, .md or .txt, or add --format").format(
                    problem=problem
                )
            )
        return fmt
    return "terminal"


def write(text: str, output: Path | None) -> None:
    if output is None:
        try:  # a reader that left (`| head`) is cli._PipeGuard's: quiet, the exit code stands
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as e:
            from audit.errors import OutputError

            raise OutputError(
                _("standard output: cannot write the report ({reason}); use -o FILE").format(
                    reason=e.strerror
                )
            ) from e
        return
    from audit.files import atomic_write

    atomic_write(output, text)
    print(_("Report written to {path}").format(path=output), file=sys.stderr)


HTML_FORMATS = ("html", "plan-html")
SCREEN_FORMATS = ("terminal", "plan")


def show(text: str, args: argparse.Namespace, after: Callable[[], str] | None = None) -> None:
    """Text for the screen: through the pager when it is longer than the screen, else printed.

    `after()` (the summary) is printed once the pager closes, so it is what stays on screen; it is
    only rendered then (a piped report never needs it).
    """
    if args.output is None and not args.no_pager and sys.stdout.isatty():
        from audit.app import pager

        if text.count("\n") >= shutil.get_terminal_size((80, 24)).lines - 1 and pager.page(text):
            if after is not None:
                write(after(), None)
            return
    write(text, args.output)
