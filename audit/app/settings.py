"""The use cases the command line calls, one module per job; tests call them directly.

Each takes the one `Settings` and returns plain data; none prints (warnings go to `Settings.warn`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from audit.clock import now_utc
from audit.errors import Warn, warn_on_stderr
from audit.paths import Home


@dataclass(frozen=True)
class Settings:
    """What a use case may know of the environment (filled in by the CLI), warnings' way out too."""

    home: Home
    rules: Path | None = None
    color: bool = False
    width: int = 80
    now: datetime | None = None
    warn: Warn = warn_on_stderr

    def clock(self) -> datetime:
        return self.now if self.now is not None else now_utc()
