from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from audit.answers import Answers, parse_assignments, read_answers, save_answers
from audit.errors import AnswersError
from audit.pack import Pack


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_a_valid_file_and_missing_questions_are_unknown(tmp_path: Path, mini_pack: Pack) -> None:
    path = write(tmp_path, "schema_version: 1\npack: mini\nanswers:\n  linked: yes\n  last_seen: nobody\n")
    answers = read_answers(mini_pack, path)
    assert answers.values == {"linked": "yes", "last_seen": "nobody"}
    assert answers.get("share") == "unknown"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "schema_version: 1\npack: mini\nanswers:\n  linkd: yes\n",
            r"answers.yaml:4: answers.linkd: unknown question 'linkd' \(did you mean 'linked'\?\)",
        ),
        (
            "schema_version: 1\npack: mini\nanswers:\n  linked: maybe\n",
            r"answers.yaml:4: answers.linked: 'maybe' is not an answer to 'linked'; "
            r"use one of: yes, no, unknown",
        ),
        (
            "schema_version: 1\npack: mini\nanswers:\n  platform: unknown\n",
            r"'unknown' is not an answer to 'platform'.*use one of: android, iphone$",
        ),
        (
            "schema_version: 2\npack: mini\nanswers: {}\n",
            r"answers.yaml:1: schema_version: 2 was written by a newer wa-audit .*; upgrade wa-audit",
        ),
        (
            "schema_version: 1\npack: other\nanswers: {}\n",
            r"answers.yaml:2: pack: these answers are for 'other'",
        ),
        (
            "schema_version: 1\npack: mini\nanswers:\n  linked: 3\n",
            r"answers.yaml:4: answers.linked: write the answer",
        ),
        ("schema_version: 1\npack: mini\nanswrs: {}\n", r"answers.yaml:3: answrs: unknown field"),
        ("pack: mini\n", r"answers.yaml:1: schema_version: required field is missing; add it"),
        ("schema_version: '1'\npack: mini\n", r"answers.yaml:1: schema_version: Input should be 1; see exam"),
        ("schema_version: 1\npack: 5\n", r"answers.yaml:2: pack: Input should be a valid string"),
        (
            "schema_version: 1\npack: mini\nansweredd_at: 'yesterday'\nanswers: []\n",
            r"answers.yaml:4: answers: Input should be a valid dictionary; see .*\(and 1 more problems\)",
        ),
        ("schema_version: 1\npack: mini\nanswered_at: 'yesterday'\n", r"answers.yaml:3: answered_at: Input"),
        ("- a\n- b\n", r"answers.yaml:1: expected"),
        ("", r"answers.yaml: file is empty"),
        ("schema_version: 1\npack: mini\nanswers: [\n", r"answers.yaml:4: not valid YAML"),
    ],
)
def test_bad_files_get_one_line_naming_file_and_line(
    tmp_path: Path, mini_pack: Pack, text: str, expected: str
) -> None:
    with pytest.raises(AnswersError, match=expected) as info:
        read_answers(mini_pack, write(tmp_path, text))
    assert "\n" not in info.value.message


def test_parse_assignments(mini_pack: Pack) -> None:
    assert parse_assignments(mini_pack, ["linked=no", "last_seen = nobody"]) == {
        "linked": "no",
        "last_seen": "nobody",
    }
    with pytest.raises(AnswersError, match="question=value"):
        parse_assignments(mini_pack, ["linked"])
    with pytest.raises(AnswersError, match="did you mean 'linked'"):
        parse_assignments(mini_pack, ["linkd=no"])


def test_save_is_private_and_round_trips(tmp_path: Path, mini_pack: Pack) -> None:
    path = tmp_path / "new" / "answers.yaml"
    answers = Answers(pack="mini", values={"linked": "yes", "last_seen": "nobody"})
    save_answers(path, answers, pack_version="2026.1", answered_at=datetime(2026, 1, 2, tzinfo=UTC))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert read_answers(mini_pack, path).values == answers.values
    # YAML 1.1 (PyYAML, and many editors' tools) reads a bare yes as the boolean true: the file
    # must keep the word, quoted, so that any YAML reader gets the string back.
    text = path.read_text()
    assert "linked: 'yes'" in text
    assert "linked: yes" not in text
    assert yaml.safe_load(text)["answers"]["linked"] == "yes"
