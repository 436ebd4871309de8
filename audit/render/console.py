"""The one way wa-audit makes a rich Console: into a buffer, pure, and blind to markup.

Pack text is untrusted (`--rules DIR`): with markup off, "[bold red]" in a title prints as written.
The console reads nothing from the environment (COLUMNS, NO_COLOR, TERM): callers decide width
and colour, so renders are deterministic.
"""

from __future__ import annotations

import io
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import Console, RenderableType
    from rich.table import Table

    from audit.render.base import RenderOptions


@cache
def count_cells_as_terminals_do() -> None:
    """Give each spacing vowel sign (Unicode category Mc: the ा of हाँ) the cell terminals give it.

    rich counts those signs as zero cells; terminals count one (glibc's wcwidth, which tmux, VTE and
    xterm use), so Hindi lines overflowed their panels by a cell per sign. rich has no setting for
    it: its own measure stays, with one cell for a spacing mark that joins nothing (class 0).
    """
    import unicodedata

    from rich import cells

    measured = cells.get_character_cell_size

    @lru_cache(maxsize=4096)
    def terminal_cells(character: str, unicode_version: str = "auto") -> int:
        if unicodedata.category(character) == "Mc" and not unicodedata.combining(character):
            return 1
        return measured(character, unicode_version)

    cells.get_character_cell_size = terminal_cells
    cells.cached_cell_len.cache_clear()


def buffer_console(buf: io.StringIO, *, width: int, color: bool) -> Console:
    """A Console writing into `buf`, `width` columns, ANSI colour only when `color`."""
    from rich.console import Console

    count_cells_as_terminals_do()
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
    return trimmed(buf.getvalue())


def trimmed(text: str) -> str:
    """`text` without the spaces rich pads each line with: invisible noise in files and goldens."""
    return "\n".join(line.rstrip() for line in text.split("\n"))


def hanging(
    rows: Iterable[tuple[RenderableType, RenderableType]],
    *,
    indent: int = 0,
    gap: int = 1,
    style: str = "",
    fold: bool = False,
) -> Table:
    """Marker and text side by side, so wrapped lines stay under the text (a hanging indent).

    `gap` spaces between them; with `fold`, a word wider than its column is broken, not cut.
    """
    from rich.table import Table

    grid = Table.grid(padding=(0, gap, 0, 0))
    grid.add_column(no_wrap=True, style=style)
    grid.add_column(overflow="fold" if fold else "ellipsis", style=style)
    for marker, text in rows:
        grid.add_row(" " * indent + marker if isinstance(marker, str) else marker, text)
    return grid
