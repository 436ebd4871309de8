"""A fake catalog for tests: every message 'translated' into ⟦message⟧, so what is marked shows."""

from __future__ import annotations

import gettext
import re
from functools import cache
from pathlib import Path

OPEN, CLOSE = "\u27e6", "\u27e7"
# A value put into a message: str.format's {name} or the %(name)s of jinja2's {% trans %}.
PLACEHOLDER = re.compile(r"(\{[^{}]*\}|%\([^)]*\)[sd])")
TEMPLATE = Path(__file__).resolve().parent.parent / "audit" / "locale" / "wa_audit.pot"


@cache
def _in_context() -> frozenset[tuple[str, str]]:
    """The (context, message) pairs the catalogs hold: extracted from the code into the template."""
    from babel.messages.pofile import read_po

    with TEMPLATE.open("rb") as f:
        return frozenset((m.context, str(m.id)) for m in read_po(f) if m.context)


def wrap(message: str, *, values_apart: bool = False) -> str:
    """`⟦message⟧`; with `values_apart`, its placeholders outside, so the values put in are checked too."""
    if not values_apart:
        return f"{OPEN}{message}{CLOSE}"
    return "".join(
        part if PLACEHOLDER.fullmatch(part) else f"{OPEN}{part}{CLOSE}"
        for part in PLACEHOLDER.split(message)
        if part
    )


class Wrapping(gettext.NullTranslations):
    """Every message, wrapped: `⟦message⟧` (the plural form English would pick).

    A message asked for in a context no catalog has stays as it is, as with a real catalog: a
    context mistyped in the code leaves the person's language for English.
    """

    def __init__(self, *, values_apart: bool = False) -> None:
        super().__init__()
        self.values_apart = values_apart

    def gettext(self, message: str) -> str:
        return wrap(message, values_apart=self.values_apart)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return wrap(msgid1 if n == 1 else msgid2, values_apart=self.values_apart)

    def pgettext(self, context: str, message: str) -> str:
        if (context, message) not in _in_context():
            return message
        return wrap(message, values_apart=self.values_apart)
