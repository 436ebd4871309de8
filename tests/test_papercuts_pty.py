"""The interview's small things (issue 17), in a real pseudo-terminal (pexpect), 80x24.

Going back from the pick list, Ctrl-C there, "Just show the report again", a counter whose total
does not change without saying "about", choices that cannot apply to the person's region, hints
that are not menu paths, and two interviews in two terminals.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pexpect
import pytest
import yaml

from tests.conftest import EXAMPLES
from tests.test_pty import CTRL_C, DONE, DOWN, ENTER, OFFER, UP, finish, saved_answers, spawn

pytestmark = pytest.mark.slow

LEFT, ESC = "\x1b[D", "\x1b"
COUNTER = re.compile(r"(\d+) of (about )?(\d+) - ")


def seeded(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    shutil.copy(EXAMPLES / "linked-everything.yaml", home / "answers.yaml")
    return home


def plain(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    return re.sub(r"\s+", " ", text)


def test_the_pick_list_goes_back_and_ctrl_c_there_keeps_the_saved_answers(tmp_path: Path) -> None:
    home = seeded(tmp_path)
    before = (home / "answers.yaml").read_bytes()
    child, _ = spawn(home)
    # Every question is answered, so the pointer starts on "Pick questions to change".
    for leave in (LEFT, ESC, UP + ENTER):  # the left arrow, Esc, and Enter on "Back" (UP wraps to it)
        child.expect("What would you like to do?")
        child.send(ENTER)
        child.expect("Which answers to change?")
        child.expect(r"Esc: back\)")
        child.send(leave)
    child.expect("What would you like to do?")
    child.send(CTRL_C)
    child.expect(r"Stopped; your saved answers are kept as they were\. Run wa-audit to continue\.")
    assert finish(child) == 130
    assert (home / "answers.yaml").read_bytes() == before
    assert not (home / "draft.yaml").exists()


def test_just_show_the_report_again_records_nothing(tmp_path: Path) -> None:
    home = seeded(tmp_path)
    child, seen = spawn(home, "set", "two_step=on", "--no-pager")  # run 1
    assert finish(child) == 0
    child, seen = spawn(home)
    child.expect("What would you like to do?")
    child.send(DOWN + ENTER)  # from "Pick questions to change" down to "Just show the report again"
    child.expect("Nothing was recorded")
    child.expect(OFFER)
    child.expect("No, done")
    offered = plain(child.before)
    child.send(DOWN + ENTER)  # "No, done" is the second choice: no web page was filed to open
    assert finish(child) == 0
    assert "web page" not in offered
    shown = plain(seen.getvalue())
    assert "What changed since" not in shown
    assert not (home / "reports").exists()  # no HTML copy filed
    with sqlite3.connect(home / "history.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (1,)


def test_the_counter_says_about_until_the_total_is_known_and_india_is_not_offered_brazil(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    child, seen = spawn(home)
    child.expect("How much do you want to check?")
    child.send(DOWN + ENTER)  # full
    counters: list[tuple[int, bool, int]] = []
    payments = ""
    while child.expect([COUNTER, OFFER]) == 0:
        number, about, total = child.match.group(1), child.match.group(2), child.match.group(3)
        counters.append((int(number), bool(about), int(total)))
        child.expect("Answer:")
        prompt = child.before
        if "Where do you live?" in prompt:
            child.send(DOWN + DOWN + ENTER)  # In India
            continue
        if "send or receive money" in prompt:
            child.expect("I don't know")
            payments = plain(child.before)
        child.send(ENTER)
    child.send(DONE)
    assert finish(child) == 0
    # Phone and region decide which questions follow: the first counters are estimates.
    assert counters[0][1]
    assert counters[0][0] == 1
    final = counters[-1][2]
    assert counters[-1] == (final, False, final)
    exact = [c for c in counters if not c[1]]
    assert exact, counters
    # A total shown without "about" is the total: it never changes afterwards.
    assert {total for _, _, total in exact} == {final}
    assert counters.index(exact[0]) == len(counters) - len(exact)  # once exact, it stays exact
    assert saved_answers(home)["region"] == "india"
    assert "Yes, with UPI in India" in payments
    assert "Brazil" not in payments
    # A description of what to look for is not a menu path: no "menu names vary" after it.
    text = plain(seen.getvalue())
    assert "round arrow icon in the chat or on the business profile" in text
    assert "business profile (menu names vary by version)" not in text
    assert "(menu names vary by version)" in text  # still said after the menu paths


def test_a_second_interview_in_the_same_home_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first, _ = spawn(home)
    first.expect("How much do you want to check?")
    first.send(DOWN + ENTER)
    first.expect(COUNTER)
    first.expect("Answer:")
    first.send(ENTER)  # one answer: the draft is saved
    first.expect(COUNTER)
    first.expect("Answer:")
    draft = yaml.safe_load((home / "draft.yaml").read_text())
    assert draft["progress"]["asked"] == ["platform"]

    second, seen = spawn(home)
    second.expect(pexpect.EOF)
    assert finish(second) == 2
    assert "another wa-audit interview is running (in another terminal)" in plain(seen.getvalue())
    assert yaml.safe_load((home / "draft.yaml").read_text()) == draft

    first.send(CTRL_C)
    first.expect(r"Saved 1 answer\.")
    assert finish(first) == 130
    # Once the first one has stopped, the next interview offers to continue it.
    third, _ = spawn(home)
    third.expect("after 1 answer")
    third.expect("Continue where you left off?")
    third.send(CTRL_C)
    assert finish(third) == 130
