"""Where wa-audit keeps a person's files: one private folder (the data dir, or --home)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from audit.files import NEW_FILE, temp_target

APP_NAME = "wa-audit"


def default_home() -> Path:
    """--home, else $WA_AUDIT_HOME, else the platform's user data dir."""
    env = os.environ.get("WA_AUDIT_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs  # lazily: only when no folder is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Home:
    """The files of one person's wa-audit home."""

    root: Path

    @property
    def answers(self) -> Path:
        return self.root / "answers.yaml"

    @property
    def draft(self) -> Path:
        return self.root / "draft.yaml"

    @property
    def history(self) -> Path:
        return self.root / "history.sqlite3"

    @property
    def reports(self) -> Path:
        return self.root / "reports"


# The names of the reports wa-audit files in `reports/`: `report-<UTC time>[-<n>].<format>`. Only
# files named so (and their temp files) are wa-audit's: `forget` deletes those and nothing else.
REPORT_NAME = re.compile(r"report-\d{8}-\d{6}(?:-\d+)?\.(?:html|md|json|txt)")


def report_names(now: datetime, suffix: str) -> Iterator[str]:
    """Candidate names for a report filed at `now`: the time, then the time and 2, 3, ..."""
    stem = f"report-{now:%Y%m%d-%H%M%S}"
    yield f"{stem}{suffix}"
    for n in range(2, 10_000):
        yield f"{stem}-{n}{suffix}"


def is_report_name(name: str) -> bool:
    """True for a file in `reports/` that wa-audit wrote (a report or a temp file of one)."""
    target = temp_target(name)
    return bool(REPORT_NAME.fullmatch(name) or target == NEW_FILE or REPORT_NAME.fullmatch(target or ""))
