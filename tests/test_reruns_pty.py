"""Reruns in a real pseudo-terminal (pexpect): interview, `set`, a second interview, and what changed.

The journey of issue 7: a first full interview (run 1); one answer changed with `wa-audit set`
(run 2, whose report says what changed); the interview again, accepting every pre-filled answer
(run 3, whose report compares with run 2: the set change is already in, so nothing else changed);
and `wa-audit diff 1 3`, which shows the change the person made since their first interview.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

DOWN, UP, ENTER = "\x1b[B", "\x1b[A", "\r"
PROGRESS = re.compile(r"(\d+) of (?:about )?(\d+) - ")
ARROW = "\u2192"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "WA_AUDIT_HOME"}
    env.update(TERM="xterm-256color", NO_COLOR="1", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    # Nobody answers prompt_toolkit's cursor position request here; waiting costs a second a prompt.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    return env


def spawn(home: Path, *args: str) -> tuple[pexpect.spawn, io.StringIO]:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "audit", "--home", str(home), *args],
        cwd=str(ROOT),
        env=_env(),
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=120,  # per expect: a bound on a hang, not a speed test (a cold start under load is slow)
    )
    seen = io.StringIO()
    child.logfile_read = seen
    return child, seen


def accept_every_answer(child: pexpect.spawn) -> int:
    """Press Enter on every question (the first choice, or the pre-selected saved answer)."""
    asked = 0
    while child.expect([PROGRESS, r"Read the full report\?"]) == 0:
        child.expect("Answer:")
        child.send(ENTER)
        asked += 1
    child.send(DOWN + DOWN + ENTER)  # the summary's offer: "No, done"
    return asked


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return child.exitstatus


def plain(text: str) -> str:
    """Screen output as one line: no escape sequences, panel borders or wrapping."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    return re.sub(r"[\s\u2502]+", " ", text)


def cli_json(home: Path, *args: str) -> object:
    done = subprocess.run(
        [sys.executable, "-m", "audit", "--home", str(home), *args, "--format", "json"],
        cwd=str(ROOT),
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_interview_set_rerun_says_what_changed(tmp_path: Path) -> None:
    home = tmp_path / "home"

    # Run 1: the full interview, first choice everywhere (Android, in Europe, Meta AI used often).
    child, _ = spawn(home)
    child.expect("How much do you want to check?")
    child.send(DOWN + ENTER)
    assert accept_every_answer(child) > 10
    assert finish(child) == 0
    first = yaml.safe_load((home / "answers.yaml").read_text())["answers"]
    assert first["meta_ai"] == "often"

    # Run 2: the person stopped using Meta AI and says so.
    child, seen = spawn(home, "set", "meta_ai=never", "--no-pager")
    assert finish(child) == 0
    shown = plain(seen.getvalue())
    assert "What changed since" in shown
    assert re.search(rf"Score (\d+) {ARROW} (\d+) \(lower\)", shown), shown
    assert re.search(rf"changed: Do you use Meta AI .* {ARROW} ", shown), shown
    assert "resolved: " in shown  # the Meta AI finding
    assert "this is run 2" in shown

    # Run 3: the interview again, reviewing every answer and keeping each pre-selected one.
    child, seen = spawn(home)
    child.expect("What would you like to do?")
    child.send(UP + ENTER)  # from "Pick questions to change" (nothing is unanswered) up to "Review all"
    assert accept_every_answer(child) > 10
    assert finish(child) == 0
    shown = plain(seen.getvalue())
    since = re.search(r"What changed since run 2 \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)", shown)
    assert since, shown
    score = re.search(rf"Score (\d+) {ARROW} (\d+) \(the same\)", shown)
    assert score, shown
    assert "Nothing else changed." in shown
    final = yaml.safe_load((home / "answers.yaml").read_text())["answers"]
    assert final == {**first, "meta_ai": "never"}

    # The history has all three; diff 1 3 is the change made since the first interview.
    history = cli_json(home, "history")
    assert isinstance(history, dict)
    scores = [r["score"]["value"] for r in history["runs"]]
    assert [r["run"] for r in history["runs"]] == [1, 2, 3]
    assert scores[1] == scores[2] == int(score.group(1)) < scores[0]
    changes = cli_json(home, "diff", "1", "3")
    assert isinstance(changes, dict)
    assert changes["changed_answers"] == {"meta_ai": {"from": "often", "to": "never"}}
    assert "meta_ai" in changes["resolved_findings"]
    assert (changes["score_before"], changes["score_after"]) == (scores[0], scores[2])
