"""Child processes in tests: read their lines with a deadline, and release them together.

A test that races two processes must start them at the same moment, not "probably at the same
moment after a sleep": each child prints `ready` once it has imported and warmed up everything it
needs, waits for a line on stdin, and the test sends `go` to all of them only after every one has
said `ready`. Nothing here blocks without a deadline, so a child that hangs fails the test with
what it said so far instead of hanging the suite.

Children must be started with `stdin=PIPE`, `stdout=PIPE` and no text mode or buffering
(`bufsize=0`): lines are read from the pipe's file descriptor, byte by byte, so nothing is held
in a Python buffer that a later `communicate()` would miss.
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from collections.abc import Sequence

READY = b"ready"
GO = b"go\n"
# Generous: on a loaded 2-core machine a cold interpreter importing pydantic takes seconds.
DEFAULT_TIMEOUT = 120.0


def read_line(proc: subprocess.Popen[bytes], timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """The next line `proc` prints on stdout, within `timeout` seconds; AssertionError otherwise."""
    assert proc.stdout is not None, "start the child with stdout=subprocess.PIPE"
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + timeout
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no line from pid {proc.pid} within {timeout:.0f} s (got {line!r})")
        readable, _, _ = select.select([fd], [], [], left)
        if not readable:
            continue
        byte = os.read(fd, 1)
        if not byte:
            code = proc.wait(timeout=10)
            raise AssertionError(f"pid {proc.pid} closed its output (exit {code}) after {line!r}")
        line += byte
    return line


def release_together(procs: Sequence[subprocess.Popen[bytes]], timeout: float = DEFAULT_TIMEOUT) -> None:
    """Wait until every child has printed `ready`, then send each one `go`."""
    for proc in procs:
        line = read_line(proc, timeout)
        assert line.split() == [READY], f"pid {proc.pid} said {line!r} instead of 'ready'"
    for proc in procs:
        assert proc.stdin is not None, "start the child with stdin=subprocess.PIPE"
        proc.stdin.write(GO)
        proc.stdin.flush()
