"""Atomic writes survive SIGKILL: the file is always the old version or the new one, never partial.

A child process rewrites one file through `audit.files.atomic_write` in a tight loop, alternating
two versions of different sizes; the test kills it at random moments and checks the file each time.
A moment is a seeded number of writes (the child reports each one) and then a seeded fraction of the
write cycle the child measured just before (two cycles at most), so kills land mid-write on a fast
disk and on a loaded machine alike, and both versions are met even when the machine is so busy that
the child does not run between the last write it reported and the kill; the seed makes the sequence
replayable. A kill between the temp file and the rename leaves a
stray `.NAME.*.tmp`; the next write removes it once it is old enough to be clearly abandoned.
"""

from __future__ import annotations

import os
import random
import select
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from audit.files import STALE_TEMP_SECONDS, atomic_write, remove_stale_temps, temp_prefix
from tests.conftest import ROOT
from tests.sync import DEFAULT_TIMEOUT, read_line

OLD = b"old\n" + b"a" * 200_000 + b"\nend-old\n"
NEW = b"new\n" + b"b" * 310_000 + b"\nend-new\n"
KILLS = int(os.environ.get("WA_AUDIT_KILLS", "50"))

CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from audit.files import atomic_write

    target = Path(sys.argv[1])
    old, new = Path(sys.argv[2]).read_bytes(), Path(sys.argv[3]).read_bytes()
    atomic_write(target, new)
    start = time.perf_counter()
    for _ in range(3):
        atomic_write(target, old)
        atomic_write(target, new)
    print("ready", (time.perf_counter() - start) / 3, flush=True)  # seconds per old+new cycle
    while True:
        atomic_write(target, old)
        os.write(1, b"o")  # one byte per finished write: the test counts them
        atomic_write(target, new)
        os.write(1, b"n")
    """
)


def read_bytes(child: subprocess.Popen[bytes], count: int, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Wait until `child` has reported `count` more finished writes (one byte each)."""
    assert child.stdout is not None
    fd = child.stdout.fileno()
    deadline = time.monotonic() + timeout
    while count:
        readable, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        assert readable, f"pid {child.pid} reported no write within {timeout:.0f} s"
        got = os.read(fd, count)
        assert got, f"pid {child.pid} stopped (exit {child.poll()})"
        count -= len(got)


def strays(folder: Path, target: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(temp_prefix(target)))


@pytest.mark.slow
def test_sigkill_never_leaves_a_partial_file(tmp_path: Path) -> None:
    folder = tmp_path / "home"
    folder.mkdir(mode=0o700)
    target = folder / "answers.yaml"
    old_src, new_src = tmp_path / "old.bin", tmp_path / "new.bin"
    old_src.write_bytes(OLD)
    new_src.write_bytes(NEW)
    atomic_write(target, OLD)
    rng = random.Random(20261129)  # noqa: S311 - kill timings, not secrets
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    seen = {OLD: 0, NEW: 0}
    interrupted = 0
    known: set[Path] = set()
    cycles: list[float] = []
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(target), str(old_src), str(new_src)],
            stdout=subprocess.PIPE,
            env=env,
            bufsize=0,
        )
        assert child.stdout is not None
        word, cycle = read_line(child).split()
        assert word == b"ready"
        cycles.append(float(cycle))
        read_bytes(child, rng.randint(1, 4))
        time.sleep(rng.uniform(0, 2 * float(cycle)))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        content = target.read_bytes()
        assert content in seen, f"partial file: {len(content)} bytes"
        seen[content] += 1
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        left = set(strays(folder, target)) - known
        interrupted += bool(left)
        known |= left
        for stray in left:  # what a killed write leaves: private, and only ever a temp file
            assert stat.S_IMODE(stray.stat().st_mode) == 0o600
    # Nothing but the file and the temp files of killed writes.
    assert {p.name for p in folder.iterdir()} - {target.name} == {p.name for p in strays(folder, target)}
    # Kills landed at different points, not always between two complete writes.
    assert seen[OLD], seen
    assert seen[NEW], seen
    print(
        f"old {seen[OLD]}, new {seen[NEW]}, killed mid-write {interrupted} of {KILLS}, "
        f"write cycle {min(cycles) * 1000:.1f}-{max(cycles) * 1000:.1f} ms"
    )


def test_the_next_write_removes_abandoned_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "answers.yaml"
    atomic_write(target, "v1\n")
    abandoned = tmp_path / f"{temp_prefix(target)}dead.tmp"
    recent = tmp_path / f"{temp_prefix(target)}live.tmp"
    other = tmp_path / ".report.html.dead.tmp"
    for p in (abandoned, recent, other):
        p.write_text("partial")
    long_ago = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(abandoned, (long_ago, long_ago))
    os.utime(other, (long_ago, long_ago))

    atomic_write(target, "v2\n")

    assert target.read_text() == "v2\n"
    assert not abandoned.exists(), "a temp file abandoned by a killed writer is cleaned up"
    assert recent.exists(), "a young temp file may belong to a running writer: leave it"
    assert other.exists(), "only temp files of the file being written are touched"
    assert remove_stale_temps(target, older_than=0) == [recent]
