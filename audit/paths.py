"""Where wa-audit keeps a person's files: one private folder (the data dir, or --home)."""

from __future__ import annotations

import os
from pathlib import Path

from audit.records import frozen

APP_NAME = "wa-audit"


def default_home() -> Path:
    """--home, else $WA_AUDIT_HOME, else the platform's user data dir."""
    env = os.environ.get("WA_AUDIT_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir  # lazily: only when no home is given

    return Path(user_data_dir(APP_NAME, appauthor=False))


@frozen
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
