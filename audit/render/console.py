"""The one way wa-audit makes a rich Console: into a buffer, pure, and blind to markup.

Pack text is untrusted (`--rules DIR`): with markup off, "[bold red]" in a title prints as written.
The console reads nothing from the environment (COLUMNS, NO_COLOR, TERM): callers decide width
and colour, so renders are deterministic.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from audit.render.base import RenderOptions


def buffer_console(buf: io.StringIO, *, width: int, color: bool) -> Console:
    """A Console writing into `buf`, `width` columns, ANSI colour only when `color`."""
    from rich.console import Console

    return Console(
        file=buf,
        width=width,
        force_terminal=color,
        force_interactive=False,
        color_system="standard" if color else None,
        no_color=not color,
        markup=False,
        highlight=False,
        emoji=False,
        legacy_windows=False,
        _environ={},
    )


# Styles the terminal formats share: words carry the meaning, colour only repeats it.
SEVERITY_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "bold yellow",
    "low": "cyan",
    "info": "dim",
}
BAND_STYLE = {"low": "green", "moderate": "yellow", "high": "red", "severe": "bold red"}
CERTAINTY_STYLE = {"documented": "", "reported": "yellow", "disputed": "yellow", "possible": "magenta"}


def print_parts(parts: list[RenderableType], options: RenderOptions) -> str:
    """`parts` printed into text, `options.width` wide, trailing spaces trimmed."""
    buf = io.StringIO()
    console = buffer_console(buf, width=options.width, color=options.color)
    for part in parts:
        console.print(part)
    # Trailing spaces are invisible noise in files and golden tests.
    return "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))
