"""Where wa-audit keeps a person's files: one private folder (the data dir, or --home)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
