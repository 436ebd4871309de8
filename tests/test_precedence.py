"""Precedence of answers, as the README states it: --set over --answers FILE over saved answers.

Each command that takes answers gets the same three layers: saved answers (linked-everything,
every question answered), a file with two answers, and one --set. Each layer changes only the
answers it names: one answer in a file never turns the other 21 into "I don't know".
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from audit.app.cli import main
from tests.conftest import EXAMPLES, edit_pack_file

SAVED = yaml.safe_load((EXAMPLES / "linked-everything.yaml").read_text())["answers"]
FILE = "schema_version: 1\npack: whatsapp\nanswers:\n  region: uk\n  two_step: 'off'\n"
# The file says region uk and two_step off; --set says two_step on, and wins.
EXPECTED = {**SAVED, "region": "uk", "two_step": "on"}
del EXPECTED["payments"]  # asked only in India and Brazil: not in the report's answers for the UK
del EXPECTED["message_summaries"]  # asked only outside Europe, India and Brazil (v3)

COMMANDS = {
    "audit": ["audit", "--answers", "{file}", "--set", "two_step=on"],
    "report": ["report", "--answers", "{file}", "--set", "two_step=on"],
    "wa-audit alone": ["--answers", "{file}", "--set", "two_step=on"],
}


@pytest.fixture
def saved_home(home: Path) -> Path:
    home.mkdir(mode=0o700)
    shutil.copy(EXAMPLES / "linked-everything.yaml", home / "answers.yaml")
    return home


def report_answers(out: str) -> dict[str, str]:
    answers = json.loads(out)["answers"]
    return {q: v for q, v in answers.items() if v != "not_asked"}


@pytest.mark.parametrize("command", COMMANDS)
def test_set_over_file_over_saved(
    command: str, saved_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partial = tmp_path / "partial.yaml"
    partial.write_text(FILE)
    argv = [a.format(file=partial) for a in COMMANDS[command]]
    code = main([*argv, "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert report_answers(out) == EXPECTED


def test_audit_saves_the_layered_answers(saved_home: Path, tmp_path: Path) -> None:
    partial = tmp_path / "partial.yaml"
    partial.write_text(FILE)
    assert main(["audit", "--answers", str(partial), "--set", "two_step=on", "--format", "json"]) == 0
    saved = yaml.safe_load((saved_home / "answers.yaml").read_text())["answers"]
    assert {q: v for q, v in saved.items() if q not in {"payments", "message_summaries"}} == EXPECTED


def test_set_over_saved(saved_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["set", "region=uk", "two_step=on", "--format", "json"]) == 0
    assert report_answers(capsys.readouterr().out) == EXPECTED


def test_report_without_saved_answers_uses_the_file(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partial = tmp_path / "partial.yaml"
    partial.write_text(FILE)
    assert main(["report", "--answers", str(partial), "--format", "json"]) == 0
    answers = report_answers(capsys.readouterr().out)
    assert answers["region"] == "uk"
    assert answers["two_step"] == "off"
    assert answers["accounts_center"] == "unknown"


def test_saved_answers_of_another_pack_are_not_layered(
    saved_home: Path, tmp_path: Path, mini_pack_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mini = tmp_path / "mini.yaml"
    mini.write_text("schema_version: 1\npack: mini\nanswers:\n  platform: android\n")
    code = main(["--rules", str(mini_pack_dir), "report", "--answers", str(mini), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["answers"]["platform"] == "android"


def test_set_alone_needs_no_saved_answers_and_no_file(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--set", "region=uk", "--format", "json"]) == 0
    answers = json.loads(capsys.readouterr().out)["answers"]
    assert answers["region"] == "uk"
    assert {answers[q] for q in ("two_step", "accounts_center", "status_to_facebook")} == {"unknown"}


@pytest.mark.parametrize(
    "case",
    [
        (
            "schema_version: 1\npack: whatsapp\nanswers:\n  region: mars\n",
            ":4",
            "answers.region: 'mars' is not an answer to 'region'",
        ),
        ("- region\n- uk\n", ":1", "expected 'schema_version', 'pack' and 'answers' fields"),
        ("\x00\x01", "", "is a binary file, not an answers file; give the path of a YAML text file"),
    ],
    ids=["a-wrong-answer", "not-a-mapping", "not-text"],
)
def test_broken_saved_answers_beneath_a_file_are_named_not_skipped(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: tuple[str, str, str]
) -> None:
    """Only the saved answers of another pack are passed over; this pack's broken ones are reported."""
    saved, line, problem = case
    home.mkdir(mode=0o700)
    (home / "answers.yaml").write_text(saved)
    partial = tmp_path / "partial.yaml"
    partial.write_text(FILE)
    assert main(["report", "--answers", str(partial), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"wa-audit: {home / 'answers.yaml'}{line}: {problem}"), err
    assert len(err.splitlines()) == 1


def test_a_set_answer_ruled_out_by_two_answers_names_both(
    home: Path, tmp_path: Path, mini_pack_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_pack_file(
        mini_pack_dir / "questions.yaml",
        "    prompt: Who sees your last seen?\n",
        "    prompt: Who sees your last seen?\n"
        '    when: {all: [{question: platform, in: [iphone]}, {question: linked, in: ["yes"]}]}\n',
    )
    mini = tmp_path / "mini.yaml"
    mini.write_text("schema_version: 1\npack: mini\nanswers:\n  platform: android\n  linked: 'no'\n")
    argv = ["--rules", str(mini_pack_dir), "report", "--answers", str(mini), "--set", "last_seen=nobody"]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "wa-audit: last_seen: does not apply to your answers (it is asked only when platform is iphone "
        "and linked is yes; platform is android, linked is no); no report made\n"
    )
