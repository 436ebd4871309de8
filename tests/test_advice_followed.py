"""Every command an error message suggests is run, as written, and must work (or lead one step on).

Each case reaches a message, takes the 'wa-audit ...' commands it quotes, fills the placeholders
the way a person would (FILE: an example answers file, QUESTION=VALUE: region=eea, DIR: the pack
folder given), runs them in the same home, and checks the outcome. `test_every_suggestion_is_followed`
holds the list to the source: a new piece of advice in audit/ without a case here fails.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from audit.app.cli import main
from tests.conftest import DATA, EXAMPLES, ROOT

SUGGESTION = re.compile(r"'(wa-audit(?: [^']*)?)'")
FILL = {"FILE": str(EXAMPLES / "eea-nothing-linked.yaml"), "QUESTION=VALUE": "region=eea", "...": ""}


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class World:
    home: Path
    tmp: Path
    capsys: pytest.CaptureFixture[str]

    def run(self, *argv: str) -> Run:
        self.capsys.readouterr()
        try:
            code = main(["--home", str(self.home), *argv])
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 2
        out, err = self.capsys.readouterr()
        return Run(code, out, err)

    def follow(self, message: str, **fill: str) -> list[tuple[str, Run]]:
        """Run every command `message` suggests, placeholders filled; returns (command, result)."""
        done = []
        for suggested in SUGGESTION.findall(message):
            words = [fill.get(w, FILL.get(w, w)) for w in suggested.split()[1:]]
            done.append((suggested, self.run(*[w for w in words if w])))
        assert done, f"no command suggested in: {message}"
        return done

    def two_runs(self) -> None:
        for value in ("on", "off"):
            assert self.run("set", f"two_step={value}").code == 0


@pytest.fixture
def world(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.delenv("WA_AUDIT_HOME", raising=False)
    return World(home=tmp_path / "home", tmp=tmp_path, capsys=capsys)


def ok(result: Run) -> bool:
    return result.code == 0


Case = Callable[[World], set[str]]  # returns the suggestions it followed
CASES: dict[str, Case] = {}


def case(fn: Case) -> Case:
    CASES[fn.__name__] = fn
    return fn


@case
def no_terminal(w: World) -> set[str]:
    # `wa-audit` without a terminal, on a new home: both ways it offers must work there.
    first = w.run()
    assert first.code == 2
    followed = w.follow(first.err)
    assert [s for s, _ in followed] == [
        "wa-audit --answers FILE",
        "wa-audit example",
        "wa-audit set QUESTION=VALUE ...",
    ]
    for suggested, result in followed:
        assert ok(result), f"{suggested}: {result.err}"
    return {s for s, _ in followed}


@case
def no_terminal_with_saved_answers(w: World) -> set[str]:
    # `wa-audit` without a terminal for someone with saved answers: their report first.
    w.two_runs()
    first = w.run()
    assert first.code == 2
    followed = w.follow(first.err)
    assert [s for s, _ in followed] == [
        "wa-audit report",
        "wa-audit set QUESTION=VALUE ...",
        "wa-audit --answers FILE",
    ]
    for suggested, result in followed:
        assert ok(result), f"{suggested}: {result.err}"
    assert "Your exposure score" in followed[0][1].out
    return {s for s, _ in followed}


@case
def empty_answers_file(w: World) -> set[str]:
    # "see 'wa-audit example' for the format": the examples ship with the command, not a folder.
    empty = w.tmp / "answers.yaml"
    empty.parent.mkdir(exist_ok=True)
    empty.write_text("")
    error = w.run("report", "--answers", str(empty))
    assert error.code == 2
    [(suggested, listed)] = w.follow(error.err)
    assert ok(listed)
    assert "eea-nothing-linked" in listed.out
    copied = w.tmp / "mine.yaml"
    assert ok(w.run("example", "eea-nothing-linked", "-o", str(copied)))
    assert ok(w.run("report", "--answers", str(copied)))
    return {suggested}


@case
def unknown_question(w: World) -> set[str]:
    error = w.run("report", "--answers", FILL["FILE"], "--set", "colour=blue")
    assert error.code == 2
    [(suggested, shown)] = w.follow(error.err)
    assert ok(shown)
    assert "region" in shown.out
    assert "eea" in shown.out  # the ids and values the person needs
    return {suggested}


@case
def no_answers_yet(w: World) -> set[str]:
    error = w.run("report")
    assert error.code == 2
    assert "pass --answers FILE" in error.err
    assert ok(w.run("report", "--answers", FILL["FILE"]))
    [(suggested, interview), (listing, listed)] = w.follow(error.err)
    assert listing == "wa-audit example"
    assert ok(listed)
    # No terminal here: the interview says how to give the answers instead (the case above).
    assert interview.code == 2
    assert "'wa-audit --answers FILE'" in interview.err
    return {suggested, listing}


@case
def no_such_run(w: World) -> set[str]:
    w.two_runs()
    error = w.run("diff", "7")
    assert error.code == 2
    [(suggested, listed)] = w.follow(error.err)
    assert ok(listed)
    assert "Your runs" in listed.out
    saved = w.run("set", "two_step=on")
    assert "'wa-audit history'" in saved.err  # the same advice after every `set`
    return {suggested}


@case
def diff_too_many_numbers(w: World) -> set[str]:
    w.two_runs()
    error = w.run("diff", "1", "2", "3")
    [(suggested, result)] = w.follow(error.err)
    assert ok(result), result.err
    return {suggested}


@case
def diff_without_runs(w: World) -> set[str]:
    error = w.run("diff")
    assert error.code == 2
    followed = dict(w.follow(error.err))
    assert followed["wa-audit"].code == 2  # no terminal: one step on, to the no_terminal advice
    assert ok(followed["wa-audit set QUESTION=VALUE"])
    one = w.run("diff")  # now one run
    assert one.code == 2
    then = dict(w.follow(one.err, **{"QUESTION=VALUE": "two_step=on"}))
    assert ok(then["wa-audit set QUESTION=VALUE"])
    assert ok(w.run("diff"))  # two runs now: 'wa-audit diff' works, as the message said it would
    return {*followed, *then}


@case
def empty_history(w: World) -> set[str]:
    listed = w.run("history")
    assert ok(listed)
    [(suggested, interview)] = w.follow(listed.out)
    assert "'wa-audit --answers FILE'" in interview.err
    return {suggested}


@case
def forget_without_terminal(w: World) -> set[str]:
    w.two_runs()
    error = w.run("forget")
    assert error.code == 2
    [(suggested, result)] = w.follow(error.err)
    assert ok(result)
    assert not w.home.exists()
    return {suggested}


@case
def unreadable_run(w: World) -> set[str]:
    w.two_runs()
    with sqlite3.connect(w.home / "history.sqlite3") as db:
        db.execute("UPDATE runs SET score = 500 WHERE id = 2")
    error = w.run("history")
    assert error.code == 2
    [(suggested, result)] = w.follow(error.err)
    assert result.code == 2  # no terminal to confirm on: it says how (the case above)
    assert "'wa-audit forget --yes'" in result.err
    assert ok(w.run("forget", "--yes"))
    assert ok(w.run("history"))
    return {suggested}


@case
def broken_pack(w: World) -> set[str]:
    pack = shutil.copytree(DATA / "packs" / "mini", w.tmp / "pack")
    flows = pack / "flows.yaml"
    broken = flows.read_text().replace("question: linked", "question: linkd")
    flows.write_text(broken.replace("question: last_seen", "question: last_sen"))  # two problems
    error = w.run("--rules", str(pack), "report", "--answers", FILL["FILE"])
    assert error.code == 2
    assert "more;" in error.err
    [(suggested, checked)] = w.follow(error.err)
    assert checked.code == 2
    assert len(checked.err.splitlines()) > 2  # every problem of *this* pack, one a line
    assert str(pack) in checked.err
    return {suggested}


@case
def stale_translation_template(w: World) -> set[str]:
    pack = shutil.copytree(DATA / "packs" / "mini", w.tmp / "pack")
    assert ok(w.run("rules", "extract", str(pack)))
    questions = pack / "questions.yaml"
    questions.write_text(
        questions.read_text().replace("prompt: Which phone?", "prompt: Which phone is yours?")
    )
    warned = w.run("rules", "check", str(pack))
    assert warned.code == 0  # a warning: the pack still works, in English where a translation lags
    [(suggested, extracted)] = w.follow(warned.err)
    assert ok(extracted)
    assert "pack.pot" not in w.run("rules", "check", str(pack)).err
    return {suggested}


@pytest.mark.parametrize("name", CASES)
def test_advice_works_when_followed(name: str, world: World) -> None:
    CASES[name](world)


def _suggestions_in_source() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "audit").rglob("*.py"):
        for suggested in SUGGESTION.findall(path.read_text()):
            found.add(re.sub(r"\{[^}]*\}", "DIR", suggested))
    return found


def test_every_suggestion_is_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    followed: set[str] = set()
    for name, fn in CASES.items():
        world = World(home=tmp_path / name, tmp=tmp_path / f"{name}-files", capsys=capsys)
        world.tmp.mkdir()
        followed |= {re.sub(r"'?/\S+", "DIR", s) for s in fn(world)}
    assert _suggestions_in_source() - followed == set()
