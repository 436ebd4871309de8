"""`wa-audit` in a real pseudo-terminal (pexpect), 80x24, as a person would run it.

Three journeys: a full interview; one interrupted with Ctrl-C and resumed; a rerun that changes one
answer. Each uses its own --home, so nothing touches the real data folder.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pexpect
import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow

DOWN, UP, ENTER, SPACE, CTRL_C = "\x1b[B", "\x1b[A", "\r", " ", "\x03"
PROGRESS = re.compile(r"(\d+) of (?:about )?(\d+) - ")
# The interview ends on the summary and this offer; "No, done" is the third choice.
OFFER = r"Read the full report\?"
DONE = DOWN + DOWN + ENTER


def spawn(home: Path, *args: str, **extra: str) -> tuple[pexpect.spawn, io.StringIO]:
    env = {k: v for k, v in os.environ.items() if k not in {"WA_AUDIT_HOME", "PAGER", "LESS"}}
    env.update(TERM="xterm-256color", NO_COLOR="1", LANG="C.UTF-8", LC_ALL="C.UTF-8", **extra)
    # pexpect is not a terminal emulator: nobody answers prompt_toolkit's cursor position
    # request, and waiting for the answer costs a second per prompt.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "audit", "--home", str(home), *args],
        cwd=str(ROOT),
        env=env,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=120,  # per expect: a bound on a hang, not a speed test (a cold start under load is slow)
    )
    seen = io.StringIO()
    child.logfile_read = seen
    return child, seen


def answer_until_done(child: pexpect.spawn, *, stop_at: int | None = None) -> list[tuple[int, int]]:
    """Take the first (or pre-selected) choice of every question; return the progress seen.

    With `stop_at`, press Ctrl-C at that question number instead of answering it.
    """
    progress = []
    while True:
        if child.expect([PROGRESS, OFFER]) == 1:
            child.send(DONE)
            return progress
        number, total = int(child.match.group(1)), int(child.match.group(2))
        progress.append((number, total))
        child.expect("Answer:")
        if number == stop_at:
            child.send(CTRL_C)
            return progress
        child.send(ENTER)


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return child.exitstatus


def saved_answers(home: Path) -> dict[str, str]:
    return yaml.safe_load((home / "answers.yaml").read_text())["answers"]


def test_full_interview(tmp_path: Path) -> None:
    home = tmp_path / "home"
    child, seen = spawn(home)
    child.expect("Nothing leaves this computer")
    child.expect("How much do you want to check?")
    child.send(DOWN + ENTER)  # full
    progress = answer_until_done(child)
    assert finish(child) == 0

    # First choices everywhere: Android (no iCloud question) in Europe (no WhatsApp Pay question, no
    # message summaries, no 2016 opt-out: only the policy outside Europe speaks of it).
    assert progress[0] == (1, 32)
    assert progress[-1] == (28, 28)
    answers = saved_answers(home)
    assert len(answers) == 28
    assert answers["platform"] == "android"
    assert answers["region"] == "eea"
    assert (home / "answers.yaml").stat().st_mode & 0o777 == 0o600
    assert len(list((home / "reports").glob("report-*.html"))) == 1
    text = seen.getvalue()
    assert "Your exposure score" in text
    # NO_COLOR: no foreground or background colours, only plain text and cursor movement.
    assert not re.search(r"\x1b\[[0-9;]*(3[0-7]|4[0-7]|38;|48;|9[0-7])[0-9;]*m", text)


def test_interrupted_then_resumed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    child, _ = spawn(home)
    child.expect("How much do you want to check?")
    child.send(DOWN + ENTER)
    answer_until_done(child, stop_at=4)
    child.expect(r"Saved 3 answers\. Run wa-audit to continue\.")
    assert finish(child) == 130
    assert (home / "draft.yaml").exists()
    assert not (home / "answers.yaml").exists()

    child, _ = spawn(home)
    child.expect("after 3 answers")
    child.expect("Continue where you left off?")
    child.send(ENTER)
    progress = answer_until_done(child)
    assert finish(child) == 0
    assert progress[0][0] == 4  # it picks up at the fourth question
    assert len(saved_answers(home)) == 28
    assert not (home / "draft.yaml").exists()


def test_rerun_changes_one_answer(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    shutil.copy(EXAMPLES / "linked-everything.yaml", home / "answers.yaml")
    before = yaml.safe_load((EXAMPLES / "linked-everything.yaml").read_text())["answers"]

    child, _ = spawn(home)
    child.expect("What would you like to do?")
    child.send(ENTER)  # every question is answered, so the pointer is on "Pick questions to change"
    child.expect("Which answers to change?")
    child.send(DOWN + SPACE + ENTER)  # tick the second, "Where do you live?"
    child.expect("Where do you live?")
    child.expect("Answer:")
    child.send(UP + UP + UP + ENTER)  # from the saved "Somewhere else" up to "In the United Kingdom"
    child.expect(OFFER)
    child.send(DONE)
    assert finish(child) == 0
    # WhatsApp Pay is asked only in India and Brazil, so its old answer no longer applies.
    expected = {**before, "region": "uk"}
    del expected["payments"]
    del expected["message_summaries"]  # and message summaries only outside Europe (v3)
    assert saved_answers(home) == expected


def screen_of(output: str, columns: int = 80, rows: int = 24) -> str:
    """What a real 80x24 terminal shows once `output` has been written to it."""
    import pyte

    screen = pyte.Screen(columns, rows)
    pyte.Stream(screen).feed(output)
    return "\n".join(line.rstrip() for line in screen.display)


def rerun_to_the_offer(home: Path, **env: str) -> tuple[pexpect.spawn, io.StringIO]:
    """A rerun on saved answers that asks one question, keeps its answer, and ends on the offer.

    (Not "Just show the report again": that files no HTML copy, so it offers no web page.)
    """
    home.mkdir(mode=0o700)
    shutil.copy(EXAMPLES / "linked-everything.yaml", home / "answers.yaml")
    child, seen = spawn(home, **env)
    child.expect("What would you like to do?")
    child.send(ENTER)  # "Pick questions to change" (pre-selected: every question is answered)
    child.expect("Which answers to change?")
    child.send(SPACE + ENTER)  # tick the first, the phone
    child.expect("Answer:")
    child.send(ENTER)  # keep the saved answer
    child.expect(OFFER)
    return child, seen


def test_interview_ends_on_the_summary_at_80x24(tmp_path: Path) -> None:
    home = tmp_path / "home"
    child, seen = rerun_to_the_offer(home)
    child.send(DONE)
    assert finish(child) == 0
    final = screen_of(seen.getvalue())
    flat = " ".join(final.split())
    # The score and the one thing to do are what stays on screen, with where the rest is.
    assert "Your exposure score: 72/100 (High)." in flat
    # The most severe fixable finding first (issue 13): leaving Accounts Center.
    assert "Do one thing today: Open Accounts Center from WhatsApp's Settings" in flat
    assert "Findings: 5 high, 10 medium, 12 low, 2 info" in flat
    assert "Full report:" in flat
    assert "No, done" in flat
    assert "What your answers mean" not in seen.getvalue()  # the full report was not printed


def test_the_full_report_opens_in_the_pager(tmp_path: Path) -> None:
    if shutil.which("less") is None:
        pytest.skip("less is not installed")
    home = tmp_path / "home"
    child, seen = rerun_to_the_offer(home, PAGER="less -R")
    child.send(ENTER)  # "Yes, here"
    child.expect("Your exposure score")  # less shows the report's first page
    child.send("G")  # its end: the footer and the summary again
    child.expect("cites its source")
    child.send("q")
    assert finish(child) == 0
    assert "What your answers mean" not in screen_of(seen.getvalue())  # less gave the screen back


def test_quick_check_reports_nothing_from_what_it_did_not_ask(tmp_path: Path) -> None:
    # Issue 13: the quick check saves what it skipped as not asked; those questions give no finding
    # and no advice, and the report says what was not checked and how to check it now.
    home = tmp_path / "home"
    child, seen = spawn(home)
    child.expect("How much do you want to check?")
    child.send(ENTER)  # quick
    progress = answer_until_done(child)
    assert finish(child) == 0
    asked = progress[-1][1]
    answers = saved_answers(home)
    skipped = sorted(q for q, v in answers.items() if v == "not_asked")
    assert skipped, answers
    assert len(answers) - len(skipped) == asked

    text = " ".join(seen.getvalue().split())
    # The summary the interview ends on says what was not checked, and how to check it now.
    assert f"Not checked: The quick check did not ask {len(skipped)} questions" in text
    assert "Answer only new or unanswered questions" in text
    assert "--full" not in text

    result = subprocess.run(
        [sys.executable, "-m", "audit", "--home", str(home), "report", "--format", "json"],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    report = json.loads(result.stdout)
    assert sorted(report["not_asked"]) == skipped
    assert not {u["question"] for u in report["unknowns"]} & set(skipped)
    for finding in report["findings"]:
        assert not set(finding["triggered_by"]) & set(skipped), finding["id"]
        assert finding["certainty"] != "possible" or not set(finding["applies_if"]) & set(skipped)
    assert not {r["question"] for r in report["recommendations"]} & set(skipped)


def test_the_interview_runs_with_its_report_piped(tmp_path: Path) -> None:
    """`wa-audit | cat` from a terminal: the keyboard and stderr are the terminal, so it asks.

    The questions are drawn on standard error and the report goes down the pipe (it used to say
    the interview "needs a terminal").
    """
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in {"WA_AUDIT_HOME", "PAGER", "LESS"}}
    env.update(
        TERM="xterm-256color", NO_COLOR="1", LANG="C.UTF-8", LC_ALL="C.UTF-8", PROMPT_TOOLKIT_NO_CPR="1"
    )
    command = f"'{sys.executable}' -m audit --home '{home}' --quick | cat"
    child = pexpect.spawn(
        "/bin/sh", ["-c", command], cwd=str(ROOT), env=env, dimensions=(24, 80), encoding="utf-8", timeout=30
    )
    seen = io.StringIO()
    child.logfile_read = seen
    asked = 0
    while child.expect([PROGRESS, "Your exposure score"]) == 0:
        asked += 1
        child.expect("Answer:")
        child.send(ENTER)
    assert finish(child) == 0
    assert asked >= 5, seen.getvalue()
    assert "needs a terminal" not in seen.getvalue()
    assert (home / "answers.yaml").exists()
    assert "Read the full report?" not in seen.getvalue()  # the report went down the pipe, whole


def test_hindi_choices_show_each_mark_once(tmp_path: Path) -> None:
    # prompt_toolkit left a copy of a label's last combining mark after it ("मेंं"): screen.closed.
    child, seen = spawn(tmp_path / "home", "--lang", "hi")
    child.expect("\u00bb")  # the depth choice's pointer: the prompt is up
    child.send(ENTER)  # quick
    child.expect("Android")
    child.send(ENTER)  # the phone: Android
    child.expect("कहीं और")  # the region question's choices are written
    child.close(force=True)
    written = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.getvalue())  # the text, without escapes
    assert "भारत में" in written
    doubled = re.findall(r"([\u0900-\u097f])\1", written)
    assert [mark for mark in doubled if unicodedata.category(mark).startswith("M")] == []
