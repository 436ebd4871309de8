"""The one order of finding severities (the pack's `severity` values), least severe first.

Apart from the models, so that the command line can offer them (--fail-on) without loading pydantic.
"""

from __future__ import annotations

from typing import Literal

Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")
MOST_SEVERE_FIRST: tuple[Severity, ...] = SEVERITIES[::-1]
