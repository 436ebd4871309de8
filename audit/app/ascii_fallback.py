r"""Plain ASCII stand-ins for the characters a report uses, for output that cannot encode them.

A terminal or pipe that is not UTF-8 (PYTHONIOENCODING=ascii, a Latin-1 terminal, Windows
redirection) would end every report in a UnicodeEncodeError. `install` gives stdout and stderr an
error handler instead: each character the stream cannot encode becomes a stand-in (box lines as
- | +, arrows as >, check marks as v, bars as #), a letter its closest ASCII letter (é -> e), and
any other character its code point (\u4e2d, \U0001f600), so different text stays different.
The stand-ins of the report's own characters (lines, arrows, marks, bars, letters) are one
character, as wide as what they replace, so boxes and tables stay aligned; a code point is wider
than its character, so a line of such text (a pack or file name in Chinese) may pass its box.
Imported only when a stream is not UTF-8.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata

HANDLER = "wa-audit-ascii"

STAND_INS = {
    "\u2192": ">",  # →
    "\u2190": "<",  # ←
    "\u2191": "^",  # ↑
    "\u2193": "v",  # ↓
    "\u2194": "-",  # ↔
    "\u21d2": ">",  # ⇒
    "\u2713": "v",  # ✓
    "\u2714": "v",  # ✔
    "\u2717": "x",  # ✗
    "\u2718": "x",  # ✘
    "\u2022": "*",  # •
    "\u25cf": "*",  # ●
    "\u25cb": "o",  # ○
    "\u25d0": "~",  # ◐ a protection that holds only in part
    "\u25b6": ">",  # ▶
    "\u25ba": ">",  # ►
    "\u00b7": ".",  # ·
    "\u2026": ".",  # …
    "\u22ee": ":",  # ⋮
    "\u22ef": ".",  # ⋯ (WhatsApp's menu button, in the pack's steps)
    "\u2013": "-",  # en dash
    "\u2014": "-",  # —
    "\u2018": "'",  # left single quote
    "\u2019": "'",  # right single quote
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u00ab": "<",  # «
    "\u00bb": ">",  # »
    "\u00d7": "x",  # multiplication sign
    "\u2265": ">",  # ≥
    "\u2264": "<",  # ≤
    "\u2260": "#",  # ≠
    "\u00a0": " ",  # no-break space
    "\u26a0": "!",  # ⚠
    "\u2139": "i",  # information source
    # The sparkline's eighths, lowest to highest, still rising in ASCII.
    "\u2581": "_",
    "\u2582": ".",
    "\u2583": "-",
    "\u2584": "=",
    "\u2585": "+",
    "\u2586": "*",
    "\u2587": "%",
    "\u2588": "#",  # █ also the filled part of a bar
    "\u2591": ".",  # ░ the empty part of a bar
    "\u2592": ":",  # ▒
    "\u2593": "#",  # ▓
}


def stand_in(ch: str) -> str:
    """An ASCII stand-in for `ch`."""
    if ch in STAND_INS:
        return STAND_INS[ch]
    if "\u2500" <= ch <= "\u257f":  # box drawing: lines and the corners and joints between them
        name = unicodedata.name(ch, "")
        horizontal, vertical = "HORIZONTAL" in name, "VERTICAL" in name
        if horizontal and not vertical:
            return "=" if "DOUBLE" in name else "-"
        if vertical and not horizontal:
            return "|"
        return "+"
    if "\u2580" <= ch <= "\u259f":  # other block elements: some part of a bar
        return "#"
    letters = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
    # No ASCII letter (CJK, emoji, Cyrillic): the code point, as Python's backslashreplace writes
    # it, so two characters never look alike ("?" for every one lost the text, file names too).
    return letters[:1] or ch.encode("ascii", "backslashreplace").decode("ascii")


def _handle(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(stand_in(ch) for ch in text), error.end


def install() -> None:
    """Give stdout and stderr the stand-ins for what their encoding cannot show."""
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _handle)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=HANDLER)
