"""A fake catalog for tests: every message 'translated' into ⟦message⟧, so what is marked shows."""

from __future__ import annotations

import gettext

OPEN, CLOSE = "\u27e6", "\u27e7"


class Wrapping(gettext.NullTranslations):
    """Every message, wrapped: `⟦message⟧` (the plural form English would pick)."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"{OPEN}{msgid1 if n == 1 else msgid2}{CLOSE}"

    def pgettext(self, context: str, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"
