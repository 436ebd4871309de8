"""Two runs at once (two terminals, one home) lose no history row and corrupt nothing.

Two processes each run `wa-audit set ...` RUNS times against the same home, started together.
Every run must land in the history, numbered without gaps, the database must pass SQLite's
integrity check, and the saved answers must still be a valid answers file.

Started together means: each worker imports and warms up everything a `set` needs (one read-only
`report` on the same home), says `ready`, and waits; the test sends `go` once both are ready
(tests/sync.py). Workers speak to the test on a channel of their own (their original stdout);
what `main` prints goes to /dev/null, so no report text can be read as a worker's answer.

Under load: a `set` waits up to history.BUSY_TIMEOUT_MS (5 s) for the other writer; measured with
8 writers, two CPU hogs and an fsync-heavy disk load, the longest open-and-record took 1.7 s. A
run that did wait longer is not lost silently: `set` exits 2 with "the history is busy ...; try
again" (tests/test_error_paths.py holds that).
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from audit.app.cli import main
from audit.files import temp_prefix
from tests.conftest import EXAMPLES, ROOT
from tests.sync import release_together

RUNS = int(os.environ.get("WA_AUDIT_CONCURRENT_RUNS", "20"))

WORKER = textwrap.dedent(
    """
    import json, os, sys

    # The test reads this process's answers on the original stdout; main() prints to /dev/null.
    to_test = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    from audit.app.cli import main

    home, value, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    # Warm up (imports, the pack cache) without writing anything, so both start at full speed.
    warm = main(["--home", home, "report", "--format", "json"])
    print("ready" if warm == 0 else f"warm-up failed {warm}", file=to_test)
    sys.stdin.readline()  # go
    codes = [main(["--home", home, "set", f"two_step={value}", "--format", "json"]) for _ in range(runs)]
    print(json.dumps(codes), file=to_test)
    """
)


@pytest.mark.slow
def test_two_processes_recording_at_once_lose_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    assert main(["--home", str(home), "audit", "--answers", str(EXAMPLES / "eea-nothing-linked.yaml")]) == 0
    capsys.readouterr()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(home), value, str(RUNS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            bufsize=0,
        )
        for value in ("on", "off")
    ]
    try:
        release_together(workers)
        results = [w.communicate(timeout=300) for w in workers]
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
                w.wait()
    for w, (out, err) in zip(workers, results, strict=True):
        assert w.returncode == 0, err.decode(errors="replace")
        codes = json.loads(out)
        assert len(codes) == RUNS
        assert codes == [0] * RUNS, f"exit codes {codes}:\n{err.decode(errors='replace')}"

    db = home / "history.sqlite3"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT id, answers FROM runs ORDER BY id").fetchall()
    conn.close()
    ids = [row[0] for row in rows]
    assert ids == list(range(1, 2 * RUNS + 2)), "every run is recorded, numbered without gaps"
    values = [json.loads(row[1])["two_step"] for row in rows[1:]]
    assert values.count("on") == values.count("off") == RUNS
    switches = sum(a != b for a, b in itertools.pairwise(values))
    assert switches > 1, "the two processes ran one after the other, not at once; nothing was tested"

    assert main(["--home", str(home), "history", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["run"] for r in listed["runs"]] == ids

    # The answers file is one writer's complete version, and still reads.
    assert main(["--home", str(home), "report", "--format", "json"]) == 0
    answers_text = (home / "answers.yaml").read_text()
    assert "two_step: 'on'" in answers_text or "two_step: 'off'" in answers_text
    assert not [p for p in home.iterdir() if p.name.startswith(temp_prefix(home / "answers.yaml"))]
