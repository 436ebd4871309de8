"""The error hierarchy: every error a person can cause carries a one-line message for them.

The CLI turns `UserError` into that line and exit code 2; anything else is a bug and gets a
short apology (the traceback only with --debug). Warnings are one line too, and travel one way:
to a `Warn` callback (Settings.warn), never back up as a field of what a use case returns.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

# Where a warning goes: one line for the person, who is told and nothing stops (a damaged history
# moved aside, an unreadable draft ignored). Use cases pass Settings.warn down to where it arises.
Warn = Callable[[str], None]


class AuditError(Exception):
    """Base of every error wa-audit raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, where: str = "") -> None:
        """`message` says what is wrong and what to do; `where` (`file:line`), if any, goes before it."""
        super().__init__(f"{where}: {message}" if where else message)
        self.where, self.detail = escape_controls(where), escape_controls(message)
        self.message = f"{self.where}: {self.detail}" if where else self.detail


def escape_controls(text: str) -> str:
    r"""`text` with line breaks and control characters escaped (`\n`, `\x1b`).

    Messages quote file names and file contents; a newline there would break the one-line promise
    and an escape sequence would reach the person's terminal live.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def warn_on_stderr(message: str) -> None:
    """The usual `Warn`: the line on stderr, after "wa-audit: "."""
    print(f"wa-audit: {escape_controls(message)}", file=sys.stderr)


class UserError(AuditError):
    """Bad input or a usage mistake: one line, exit 2."""


class PackError(UserError):
    """The rule pack is missing, malformed or inconsistent."""


class AnswersError(UserError):
    """An answers file, draft or --set value is wrong."""


class HistoryError(UserError):
    """The history database cannot be read or written."""


class OutputError(UserError):
    """A report or answers file cannot be written."""


class NeedsTerminal(UserError):
    """The interview was asked for without a terminal."""


class Interrupted(AuditError):
    """The person pressed Ctrl-C; what they answered was kept."""

    exit_code = 130


def show(value: object, limit: int = 40) -> str:
    """A value from the file, quoted for a one-line message: escaped and shortened."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text.encode("unicode_escape").decode("ascii").replace("'", "\\'")
