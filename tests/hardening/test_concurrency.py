"""Two runs at once (two terminals, one home) lose no history row and corrupt nothing.

Two processes each run `wa-audit set ...` RUNS times against the same home, started together.
Every run must land in the history, numbered without gaps, the database must pass SQLite's
integrity check, and the saved answers must still be a valid answers file.
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

from audit.cli import main
from audit.fsutil import temp_prefix
from tests.conftest import EXAMPLES, ROOT

RUNS = int(os.environ.get("WA_AUDIT_CONCURRENT_RUNS", "20"))

WORKER = textwrap.dedent(
    """
    import sys
    from audit.cli import main

    home, value, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    codes = []
    sys.stdin.readline()  # start together
    for i in range(runs):
        codes.append(main(["--home", home, "set", f"two_step={value}", "--format", "json"]))
    print(" ".join(map(str, codes)), file=sys.stderr)
    sys.exit(0 if all(c in (0, 1) for c in codes) else 3)
    """
)


@pytest.mark.slow
def test_two_processes_recording_at_once_lose_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    assert main(["--home", str(home), "audit", "--answers", str(EXAMPLES / "eea-nothing-linked.yaml")]) in (
        0,
        1,
    )
    capsys.readouterr()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(home), value, str(RUNS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for value in ("on", "off")
    ]
    for w in workers:  # both are importing by now; release them as close together as we can
        assert w.stdin is not None
        w.stdin.write("go\n")
        w.stdin.flush()
    results = [w.communicate(timeout=300) for w in workers]
    for w, (_, err) in zip(workers, results, strict=True):
        assert w.returncode == 0, err

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
    assert main(["--home", str(home), "report", "--format", "json"]) in (0, 1)
    answers_text = (home / "answers.yaml").read_text()
    assert "two_step: 'on'" in answers_text or "two_step: 'off'" in answers_text
    assert not [p for p in home.iterdir() if p.name.startswith(temp_prefix(home / "answers.yaml"))]
