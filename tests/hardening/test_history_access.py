"""A history wa-audit may not write is not "damaged": one line with the fix, reads still work.

The suite runs as root here, and root ignores file permissions, so these tests make the problems
real instead of pretending:
- a read-only disk: the home is bind-mounted read-only in a private mount namespace
  (`unshare -rm`, no privileges needed beyond user namespaces), and wa-audit runs inside it;
- another user's files: wa-audit runs as `nobody` (setpriv, when the suite runs as root) on a home
  that is theirs, holding a history that belongs to root. The checkout, its venv and its Python
  may sit where nobody cannot enter (a clone in `mktemp -d`, a pyenv under /root), so nobody runs a
  copy of wa-audit and its run-time dependencies, in a folder everyone may enter, with this Python
  or the system's of the same version.
Each test checks what the catalogue checks for bad input: exit 2, one `wa-audit: PATH: ...; what to
do` line, and no file changed, renamed or added; and that the read-only commands still read.
Where neither tool works (no user namespaces, not root), the tests are skipped and say why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import EXAMPLES, ROOT
from tests.hardening.support import changes, snapshot

pytestmark = pytest.mark.slow  # a wa-audit process per check, some in a namespace

NOBODY = 65534


def _env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WA_AUDIT_HOME", "NO_COLOR")}
    env.update(WA_AUDIT_CACHE=str(cache), PYTHONDONTWRITEBYTECODE="1", COLUMNS="80")
    return env


def _can(argv: list[str]) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, timeout=120, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="module")
def world() -> Iterator[Path]:
    """A folder everyone may enter (pytest's own tmp folder is root's alone)."""
    top = Path(tempfile.mkdtemp(prefix="wa-audit-access-"))
    os.chmod(top, 0o711)  # noqa: S103 - others may pass through to the homes, not list them
    yield top
    shutil.rmtree(top, ignore_errors=True)


def seed(home: Path, cache: Path) -> None:
    home.mkdir(mode=0o700)
    shutil.copy(EXAMPLES / "eea-nothing-linked.yaml", home / "answers.yaml")
    for value in ("on", "off"):
        result = subprocess.run(
            [sys.executable, "-m", "audit", "--home", str(home), "set", f"two_step={value}"],
            cwd=ROOT,
            env=_env(cache),
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr


def one_line(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("wa-audit: "), line
    assert re.search(r"; \S", line), f"say what to do: {line}"
    for fragment in fragments:
        assert fragment in line, f"missing {fragment!r}: {line}"
    return line


# --- a read-only disk --------------------------------------------------------------------------
READ_ONLY_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'


@pytest.fixture(scope="module")
def read_only_home(world: Path) -> Path:
    probe = ["unshare", "-rm", "sh", "-c", READ_ONLY_MOUNT, "sh", str(world), "true"]
    if not shutil.which("unshare") or not _can(probe):
        pytest.skip("no private mount namespace here (unshare -rm): cannot make a read-only disk")
    home = world / "ro-home"
    seed(home, world / "cache-ro")
    return home


def on_read_only_disk(home: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", READ_ONLY_MOUNT, "sh", str(home),
         sys.executable, "-m", "audit", "--home", str(home), *args],
        cwd=ROOT,
        env=_env(cache),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "shows"),
    [
        (["history"], "Your runs"),
        (["history", "--format", "json"], '"run": 2'),
        (["diff"], "Run 1"),
        (["report", "--format", "json"], '"schema_version": 1'),
    ],
    ids=["history", "history-json", "diff", "report"],
)
def test_reading_works_on_a_read_only_disk(
    args: list[str], shows: str, read_only_home: Path, world: Path
) -> None:
    before = snapshot(read_only_home)
    result = on_read_only_disk(read_only_home, world / "cache-ro", *args)
    assert result.returncode == 0, result.stderr
    assert shows in result.stdout
    assert result.stderr == ""
    assert changes(before, snapshot(read_only_home)) == []


def test_changing_on_a_read_only_disk_is_one_line_and_no_damage(read_only_home: Path, world: Path) -> None:
    before = snapshot(read_only_home)
    result = on_read_only_disk(read_only_home, world / "cache-ro", "set", "two_step=on")
    one_line(result, str(read_only_home), "Read-only file system", "use another --home")
    assert "damaged" not in result.stderr
    assert changes(before, snapshot(read_only_home)) == []


# --- another user's history --------------------------------------------------------------------
def copy_runtime(folder: Path) -> None:
    """Copy what `python -m audit` needs into `folder`, for PYTHONPATH, away from the checkout.

    That is wa-audit (package, rule packs, templates) and every run-time dependency it declares.
    """
    for name in ("audit", "rules", "reports"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    seen: set[str] = set()
    todo = [Requirement(r) for r in metadata.requires("wa-audit") or []]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen or (req.marker is not None and not req.marker.evaluate({"extra": ""})):
            continue
        seen.add(name)
        dist = metadata.distribution(name)
        for file in dist.files or []:
            source = Path(str(dist.locate_file(file)))
            if file.parts[0] == ".." or "__pycache__" in file.parts or not source.is_file():
                continue  # scripts outside site-packages, bytecode
            (folder / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, folder / file)
        todo += [Requirement(r) for r in dist.requires or []]


DROP = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@pytest.fixture(scope="module")
def as_nobody(world: Path) -> list[str]:
    """The command that runs the copied wa-audit as nobody, up to its arguments."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run wa-audit as another user")
    runtime = world / "runtime"
    copy_runtime(runtime)
    cache = world / "cache-nobody"
    cache.mkdir()
    os.chown(cache, NOBODY, NOBODY)
    # -S: no site-packages (no .pth pointing back at the checkout), only the copy on PYTHONPATH.
    # Its compiled modules (pydantic-core) need a Python of the same version.
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    pythons = [sys._base_executable, shutil.which(version, path="/usr/local/bin:/usr/bin:/bin")]
    for python in filter(None, pythons):
        command = [*DROP, "env", f"PYTHONPATH={runtime}", python, "-S", "-m", "audit"]
        if _can([*command, "--version"]):
            return command
    pytest.skip(f"nobody cannot run a {version} here (tried {', '.join(filter(None, pythons))})")


def nobodys_home(world: Path, name: str, history_mode: int) -> Path:
    """A home that belongs to nobody, whose history belongs to root (`sudo wa-audit` once)."""
    home = world / name
    seed(home, world / f"cache-{name}")
    for path in [home, *home.rglob("*")]:
        if path.name != "history.sqlite3":
            os.chown(path, NOBODY, NOBODY)
    os.chmod(home / "history.sqlite3", history_mode)
    return home


def nobody(command: list[str], world: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, "--home", str(home), *args],
        cwd=world,
        env=_env(world / "cache-nobody"),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def test_a_history_you_cannot_write_is_read_not_renamed(as_nobody: list[str], world: Path) -> None:
    home = nobodys_home(world, "not-mine-0644", 0o644)
    before = snapshot(home)
    listed = nobody(as_nobody, world, home, "history", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert '"run": 2' in listed.stdout
    assert nobody(as_nobody, world, home, "diff").returncode == 0
    result = nobody(as_nobody, world, home, "set", "two_step=on")
    line = one_line(result, str(home / "history.sqlite3"), "cannot write the history", "chown")
    assert "damaged" not in line
    assert changes(before, snapshot(home)) == [], "not renamed, and the answers did not change either"


def test_a_history_you_cannot_read_is_one_line(as_nobody: list[str], world: Path) -> None:
    home = nobodys_home(world, "not-mine-0600", 0o600)
    before = snapshot(home)
    for args in (["history"], ["diff"], ["set", "two_step=on"]):
        result = nobody(as_nobody, world, home, *args)
        line = one_line(result, str(home / "history.sqlite3"), "cannot read the history", "chown")
        assert "damaged" not in line
    assert changes(before, snapshot(home)) == []


def test_a_damaged_history_you_cannot_write_stays_where_it_is(as_nobody: list[str], world: Path) -> None:
    home = nobodys_home(world, "damaged-not-mine", 0o644)
    (home / "history.sqlite3").write_bytes(b"not a database\n")
    before = snapshot(home)
    result = nobody(as_nobody, world, home, "set", "two_step=on")
    one_line(result, "damaged", "cannot change it", "move it away")
    assert changes(before, snapshot(home)) == []
