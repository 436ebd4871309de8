"""Helpers shared by the hardening tests: run the CLI in-process, snapshot a folder, build homes."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from audit.app.cli import main
from tests.conftest import DATA, EXAMPLES

MINI_PACK = DATA / "packs" / "mini"
MINI_ANSWERS = "schema_version: 1\npack: mini\nanswers:\n  platform: android\n  linked: 'yes'\n"
# Sidecar files SQLite may create and remove next to the database; they are not ours to compare.
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], argv: Sequence[str]) -> Result:
    """audit.app.cli.main in-process; argparse's SystemExit counts as an exit code like any other."""
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 2
    out, err = capsys.readouterr()
    return Result(code, out, err)


Entry = tuple[int, int, int, str | None]  # (type and mode, size, mtime_ns, sha256 or None)


def snapshot(root: Path) -> dict[str, Entry]:
    """Every file and link under `root` with its mode, size, mtime and (when small) content hash.

    Folders are listed for their entries only: their own mtime changes when a probe file comes
    and goes, which touches nothing of the person's. FIFOs and devices are never opened.
    """
    found: dict[str, Entry] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath, name)
            st = os.lstat(path)
            rel = str(path.relative_to(root))
            if stat.S_ISDIR(st.st_mode):
                found[rel] = (st.st_mode, 0, 0, None)
                continue
            digest = None
            if stat.S_ISREG(st.st_mode) and st.st_size <= 8 * 1024 * 1024 and st.st_blocks > 0:
                try:
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError:
                    digest = None  # unreadable by design (chmod 000 as a normal user)
            found[rel] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return found


def changes(before: dict[str, Entry], after: dict[str, Entry]) -> list[str]:
    """What differs between two snapshots, SQLite's transient sidecars aside."""
    out: list[str] = []
    for rel, entry in before.items():
        if rel not in after:
            out.append(f"removed {rel}")
        elif after[rel] != entry:
            out.append(f"changed {rel}: {entry} -> {after[rel]}")
    for rel in after.keys() - before.keys():
        if not rel.endswith(SQLITE_SIDECARS):
            out.append(f"added {rel}")
    return out


def seed_home(home: Path, *, history_runs: int = 2) -> Path:
    """A lived-in home: saved answers, a filed report, a draft and (via `set`) recorded runs."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.copyfile(EXAMPLES / "eea-nothing-linked.yaml", home / "answers.yaml")
    reports = home / "reports"
    reports.mkdir(mode=0o700, exist_ok=True)
    (reports / "report-20260101-090000.html").write_text("<!doctype html><title>old</title>\n")
    (home / "draft.yaml").write_text(
        "schema_version: 1\npack: whatsapp\npack_version: '2026.11'\n"
        "progress: {values: {region: eea}, asked: [region]}\n"
    )
    for i in range(history_runs):
        code = main(["--home", str(home), "set", f"two_step={'off' if i % 2 else 'on'}", "--format", "json"])
        assert code == 0, f"seeding the history failed with {code}"
    return home


def copy_tree(src: Path, dst: Path) -> Path:
    """A copy that keeps mtimes, so snapshots of a copied home are stable."""
    shutil.copytree(src, dst, copy_function=shutil.copy2)
    return dst
