"""The one order of finding severities and the one order of certainties.

Apart from the models, so that the command line can offer them (--fail-on) without loading pydantic.
"""

from __future__ import annotations

from typing import Literal

Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")  # least severe first
MOST_SEVERE_FIRST: tuple[Severity, ...] = SEVERITIES[::-1]
SEVERITY_RANK = {s: i for i, s in enumerate(MOST_SEVERE_FIRST)}  # critical 0 ... info 4

Certainty = Literal["documented", "reported", "disputed", "possible"]
# `disputed` (v2): official texts disagree; the rule or finding carries both sides (`dispute`).
RuleCertainty = Literal["documented", "reported", "disputed"]
# Surest first: what is written down beats what is reported beats what is disputed or possible.
CERTAINTIES: tuple[Certainty, ...] = ("documented", "reported", "disputed", "possible")
CERTAINTY_RANK = {
    c: len(CERTAINTIES) - 1 - i for i, c in enumerate(CERTAINTIES)
}  # possible 0 ... documented 3
