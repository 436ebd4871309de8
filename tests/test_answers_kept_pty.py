"""A person's answers survive the terminal going away, and a paste is not a row of answers.

In a real pseudo-terminal (pexpect, as tests/test_pty.py): answer three questions, then close the
terminal (pexpect closes the pty, the kernel hangs up: SIGHUP) or kill the process (SIGTERM,
SIGKILL); the next run offers to continue after those three answers. And a block pasted into one
prompt answers at most that prompt: the interview then waits at the next question.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pexpect
import pytest
import yaml

from tests.test_pty import CTRL_C, DOWN, ENTER, PROGRESS, answer_until_done, finish, spawn

pytestmark = pytest.mark.slow


def start_full_interview(home: Path) -> pexpect.spawn:
    child, _ = spawn(home)
    child.expect("How much do you want to check?")
    child.send(DOWN + ENTER)  # full
    return child


def answer(child: pexpect.spawn, count: int) -> None:
    """Answer `count` questions with the highlighted choice, then wait at the next prompt."""
    for n in range(1, count + 2):
        child.expect(PROGRESS)
        assert int(child.match.group(1)) == n
        child.expect("Answer:")
        if n <= count:
            child.send(ENTER)


def drafted(home: Path) -> list[str]:
    draft = yaml.safe_load((home / "draft.yaml").read_text())
    return list(draft["progress"]["asked"])


@pytest.mark.parametrize("how", ["terminal closed", "SIGTERM", "SIGKILL"])
def test_answers_survive_the_end_of_the_process(how: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    child = start_full_interview(home)
    answer(child, 3)
    if how == "terminal closed":
        child.close(force=True)  # the pty goes away: the kernel sends SIGHUP, as a closed window does
        assert child.signalstatus in (signal.SIGHUP, None), child.signalstatus
    else:
        child.kill(signal.SIGTERM if how == "SIGTERM" else signal.SIGKILL)
        child.expect(pexpect.EOF)
        child.close()
    assert drafted(home) == ["platform", "region", "accounts_center"]
    assert (home / "draft.yaml").stat().st_mode & 0o777 == 0o600
    assert not (home / "answers.yaml").exists()

    child, _ = spawn(home)
    child.expect("after 3 answers")
    child.expect("Continue where you left off?")
    child.send(ENTER)
    progress = answer_until_done(child)
    assert finish(child) == 0
    assert progress[0][0] == 4  # it picks up at the fourth question
    assert len(yaml.safe_load((home / "answers.yaml").read_text())["answers"]) == 28
    assert not (home / "draft.yaml").exists()


def test_a_paste_answers_at_most_one_question(tmp_path: Path) -> None:
    home = tmp_path / "home"
    child = start_full_interview(home)
    answer(child, 1)  # waiting at question 2
    # A block of text with line breaks, arriving at once as a paste does in a terminal without
    # bracketed paste (or typed ahead): without the drain each Enter answered one more question.
    child.send("my settings are:\r" + ENTER * 12 + "done\r")
    child.expect(PROGRESS)
    assert int(child.match.group(1)) == 3
    child.expect("Answer:")
    # The interview waits at question 3: nothing more was answered by the paste.
    assert child.expect([PROGRESS, pexpect.TIMEOUT], timeout=3) == 1
    assert drafted(home) == ["platform", "region"]
    child.send(CTRL_C)
    child.expect(r"Saved 2 answers")
    assert finish(child) == 130
