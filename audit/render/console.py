"""The one way wa-audit makes a rich Console: into a buffer, pure, and blind to markup.

Pack text is untrusted (`--rules DIR`): with markup off, "[bold red]" in a title prints as written.
The console reads nothing from the environment (COLUMNS, NO_COLOR, TERM): callers decide width
and colour, so renders are deterministic.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


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
