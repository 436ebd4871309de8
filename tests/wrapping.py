"""A fake catalog for tests: every message 'translated' into ⟦message⟧, so what is marked shows."""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

OPEN, CLOSE = "\u27e6", "\u27e7"
TEMPLATE = Path(__file__).resolve().parent.parent / "audit" / "locale" / "wa_audit.pot"


@cache
def _in_context() -> frozenset[tuple[str, str]]:
    """The (context, message) pairs the catalogs hold: extracted from the code into the template."""
    from babel.messages.pofile import read_po

    with TEMPLATE.open("rb") as f:
        return frozenset((m.context, str(m.id)) for m in read_po(f) if m.context)


class Wrapping(gettext.NullTranslations):
    """Every message, wrapped: `⟦message⟧` (the plural form English would pick).

    A message asked for in a context no catalog has stays as it is, as with a real catalog: a
    context mistyped in the code leaves the person's language for English.
    """

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"{OPEN}{msgid1 if n == 1 else msgid2}{CLOSE}"

    def pgettext(self, context: str, message: str) -> str:
        if (context, message) not in _in_context():
            return message
        return f"{OPEN}{message}{CLOSE}"
