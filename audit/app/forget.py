"""`wa-audit forget`: delete every file wa-audit wrote in the home, and only those."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audit.errors import HistoryError
from audit.files import temp_target
from audit.history.sqlite_file import DAMAGED_MARK, SIDECARS
from audit.lang import ngettext
from audit.paths import Home, is_report_name


def _ours(home: Home) -> list[Path]:
    """Every file wa-audit wrote in `home` (and the reports folder, when it holds only those).

    Known by name only: the answers, draft and history files (with SQLite's side files, damaged
    copies and interrupted writes) and, in `reports/`, the names only wa-audit gives
    (`report-<time>[-n].html`, paths.REPORT_NAME). Anything else is the person's and stays.
    """
    root = home.root
    if not root.is_dir():
        return []
    names = {home.answers.name, home.draft.name, home.history.name}
    names |= {home.history.name + s for s in SIDECARS}
    found: list[Path] = []
    for entry in sorted(root.iterdir()):
        name = entry.name
        if (
            name in names
            or name.startswith(home.history.name + DAMAGED_MARK)
            # An interrupted write may leave a temp file behind, and it holds the person's answers too.
            or temp_target(name) in {home.answers.name, home.draft.name}
        ) and (entry.is_file() or entry.is_symlink()):
            found.append(entry)
    reports = home.reports
    if reports.is_dir() and not reports.is_symlink():
        entries = sorted(reports.iterdir())
        filed = [p for p in entries if is_report_name(p.name) and (p.is_file() or p.is_symlink())]
        found.extend(filed)
        if len(filed) == len(entries):
            found.append(reports)  # emptied by the files above: the folder goes too
    return found


def not_ours(home: Home) -> list[Path]:
    """What `forget` leaves: files and folders in the home (and `reports/`) wa-audit did not write."""
    if not home.root.is_dir():
        return []
    ours = set(_ours(home))
    inside = sorted(home.reports.iterdir()) if home.reports.is_dir() and not home.reports.is_symlink() else []
    return [
        p
        for p in [*sorted(home.root.iterdir()), *inside]
        if p not in ours and not (p == home.reports and inside)
    ]


def stored_files(home: Home) -> list[Path]:
    """The files `forget` would delete (folders left out), for the confirmation prompt."""
    return [p for p in _ours(home) if p.is_symlink() or not p.is_dir()]


@dataclass(frozen=True)
class Forgotten:
    deleted: tuple[Path, ...]
    kept: tuple[Path, ...] = ()  # files in the home that wa-audit did not write, left alone
    removed_home: bool = False


def forget(home: Home) -> Forgotten:
    """Delete every answer, draft, report and history file of ours (only those); the home too if empty."""
    deleted: list[Path] = []
    for path in _ours(home):
        try:
            if path.is_dir() and not path.is_symlink():
                path.rmdir()  # only ever empty here: its files went first
            else:
                path.unlink()
                deleted.append(path)
        except FileNotFoundError:
            continue
        except OSError as e:
            # Translators: the English keeps "file(s)" for every count.
            cannot = ngettext(
                "{path}: cannot delete ({reason}); {count} file(s) deleted so far, delete the rest by hand",
                "{path}: cannot delete ({reason}); {count} file(s) deleted so far, delete the rest by hand",
                len(deleted),
            )
            raise HistoryError(cannot.format(path=path, reason=e.strerror, count=len(deleted))) from e

    kept: tuple[Path, ...] = ()
    removed = False
    if home.root.is_dir():
        kept = tuple(not_ours(home))
        if not any(home.root.iterdir()):
            home.root.rmdir()
            removed = True
    return Forgotten(deleted=tuple(deleted), kept=kept, removed_home=removed)
