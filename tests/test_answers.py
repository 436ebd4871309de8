from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from audit.collect.answers_file import parse_assignments, read_answers, save_answers
from audit.errors import AnswersError
from audit.model.answers import Answers
from audit.model.pack import Pack


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_a_valid_file_and_missing_questions_are_unknown(tmp_path: Path, mini_pack: Pack) -> None:
    path = write(tmp_path, "schema_version: 1\npack: mini\nanswers:\n  linked: yes\n  last_seen: nobody\n")
    answers = read_answers(mini_pack, path)
    assert answers.values == {"linked": "yes", "last_seen": "nobody"}
    assert answers.get("share") == "unknown"
    assert answers.get("linked") == "yes"


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
        (
            "schema_version: '1'\npack: mini\n",
            r"answers.yaml:1: schema_version: Input should be 1; see 'wa-audit example'",
        ),
        ("schema_version: 1\npack: 5\n", r"answers.yaml:2: pack: Input should be a valid string"),
        (
            "schema_version: 1\npack: mini\nansweredd_at: 'yesterday'\nanswers: []\n",
            r"answers.yaml:4: answers: Input should be a valid dictionary; see .*\(and 1 more problems\)",
        ),
        ("schema_version: 1\npack: mini\nanswered_at: 'yesterday'\n", r"answers.yaml:3: answered_at: Input"),
        ("- a\n- b\n", r"answers.yaml:1: expected"),
        ("", r"^\S+answers.yaml: file is empty; see 'wa-audit example' for the format$"),
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


# --- Where a message points, and what it tells the person to do (mutation testing, issue 18) -------
# Each message names the line of the field it is about: a file whose fields are not in the usual
# order (comments first, `pack` after `schema_version` moved down) must still point at the right line.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# by hand\n\npack: mini\nschema_version: 2\nanswers: {}\n",
            r"^\S+answers.yaml:4: schema_version: 2 was written by a newer wa-audit \(this one reads 1\); "
            r"upgrade wa-audit$",
        ),
        (
            "# by hand\nschema_version: 1\n\npack: other\nanswers: {}\n",
            r"^\S+answers.yaml:4: pack: these answers are for 'other', not 'mini'; "
            r"use answers made for this pack$",
        ),
        (
            "schema_version: 1\npack: mini\nanswers:\n  linked: 'yes'\n\n  last_seen: 3\n",
            r"^\S+answers.yaml:6: answers.last_seen: write the answer as a word, not 3; "
            r"use one of: everyone, nobody, unknown$",
        ),
        (
            # A question the pack does not have cannot list its answers: point at the examples.
            "schema_version: 1\npack: mini\nanswers:\n  colour: 3\n",
            r"^\S+answers.yaml:4: answers.colour: write the answer as a word, not 3; see 'wa-audit example'$",
        ),
        (
            "schema_version: 1\npack: mini\nanswers:\n  linked: 'no'\n  7: 'yes'\n",
            r"^\S+answers.yaml:5: answers.7: 7 is not a question id; use an id such as 'region'$",
        ),
        (
            # Nothing near enough to suggest: say where the ids are listed.
            "schema_version: 1\npack: mini\nanswers:\n  linked: 'no'\n  zzzzzz: 'yes'\n",
            r"^\S+answers.yaml:5: answers.zzzzzz: unknown question 'zzzzzz'; "
            r"'wa-audit rules show' lists them$",
        ),
        (
            "schema_version: 1\npack: mini\nanswers:\n  linked: 'no'\n  platform: pager\n",
            r"^\S+answers.yaml:5: answers.platform: 'pager' is not an answer to 'platform'; "
            r"use one of: android, iphone$",
        ),
        (
            "schema_version: 1\npack: mini\nlinked: 'yes'\nlast_seen: nobody\n",
            r"^\S+answers.yaml:3: 'linked' is an answer; nest the answers under 'answers:', as in these "
            r"three lines: 'schema_version: 1', 'pack: mini', 'answers:', then each answer below, indented "
            r"by two spaces$",
        ),
    ],
)
def test_messages_name_the_line_of_their_field(
    tmp_path: Path, mini_pack: Pack, text: str, expected: str
) -> None:
    with pytest.raises(AnswersError, match=expected):
        read_answers(mini_pack, write(tmp_path, text))


def test_a_contradiction_points_at_the_implied_answer(tmp_path: Path, bundled_pack: Pack) -> None:
    text = (
        "schema_version: 1\npack: whatsapp\nanswers:\n  platform: android\n  two_step: 'off'\n"
        "  strict_account: 'on'\n"
    )
    with pytest.raises(AnswersError) as info:
        read_answers(bundled_pack, write(tmp_path, text))
    assert info.value.message == (
        f"{tmp_path / 'answers.yaml'}:5: answers.two_step: 'off' contradicts strict_account: on, which sets "
        "it to on; correct or remove one of the two answers"
    )
    # An implication that allows several answers lists them all.
    several = text.replace("two_step: 'off'", "last_seen: everyone")
    with pytest.raises(
        AnswersError,
        match=r":5: answers.last_seen: 'everyone' contradicts strict_account: on, "
        r"which sets it to contacts or contacts_except or nobody; correct or remove",
    ):
        read_answers(bundled_pack, write(tmp_path, several))
    # Each implied answer that agrees, and each one left unknown, is accepted.
    ok = text.replace("two_step: 'off'", "two_step: 'on'") + "  last_seen: nobody\n"
    assert read_answers(bundled_pack, write(tmp_path, ok)).values["strict_account"] == "on"


@pytest.mark.parametrize(
    ("keys", "is_report"),
    [
        # Two keys only a report has are enough to say so (a report cut short when copied)...
        ({"generated_at": "2026-01-01", "score": 3}, True),
        ({"findings": [], "flows": []}, True),
        # ...one is not: that is an answers file with a stray field, refused as such.
        ({"score": 3}, False),
    ],
)
def test_a_report_is_told_apart_by_two_of_its_own_keys(
    tmp_path: Path, mini_pack: Pack, keys: dict[str, object], is_report: bool
) -> None:
    doc = {"schema_version": 1, "pack": "mini", "answers": {}, **keys}
    with pytest.raises(AnswersError) as info:
        read_answers(mini_pack, write(tmp_path, yaml.safe_dump(doc)))
    report = "this is a report, not an answers file; give the answers file it was made from"
    report += " (see 'wa-audit example')"
    assert (report in info.value.message) is is_report
    assert ("unknown field" in info.value.message) is not is_report


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("=no", r"^--set '=no': not question=value; write it as e.g. --set region=eea$"),
        ("linked=", r"^--set 'linked=': not question=value"),
        ("linked = ", r"^--set 'linked = ': not question=value"),
        # The first "=" splits: the rest is the value, and that value is what is wrong.
        ("linked=no=yes", r"^--set linked: 'no=yes' is not an answer to 'linked'"),
        ("zzzzzz=no", r"^--set zzzzzz: unknown question 'zzzzzz'; 'wa-audit rules show' lists them$"),
    ],
)
def test_parse_assignments_refuses_half_assignments(mini_pack: Pack, item: str, expected: str) -> None:
    with pytest.raises(AnswersError, match=expected):
        parse_assignments(mini_pack, [item])


def test_parse_assignments_accepts_unknown_only_where_the_question_allows_it(mini_pack: Pack) -> None:
    assert parse_assignments(mini_pack, ["linked=unknown", "last_seen=not_asked"]) == {
        "linked": "unknown",
        "last_seen": "not_asked",
    }
    with pytest.raises(AnswersError, match=r"'unknown' is not an answer to 'platform'.*android, iphone$"):
        parse_assignments(mini_pack, ["platform=unknown"])


def test_the_saved_file_keeps_the_pack_version_and_the_order_of_the_answers(
    tmp_path: Path, mini_pack: Pack
) -> None:
    path = tmp_path / "answers.yaml"
    # Not alphabetical: the caller's order (the pack's) is the order a person reads the file in.
    answers = Answers(pack="mini", values={"platform": "iphone", "linked": "no", "last_seen": "nobody"})
    save_answers(path, answers, pack_version="2026.1", answered_at=datetime(2026, 1, 2, tzinfo=UTC))
    text = path.read_text()
    assert text.startswith("# wa-audit answers. Edit with care; 'unknown' means \"I don't know\".\n")
    keys = [line.split(":")[0] for line in text.splitlines()[1:] if not line.startswith(" ")]
    assert keys == ["schema_version", "pack", "pack_version", "answered_at", "answers"]
    again = read_answers(mini_pack, path)
    assert list(again.values) == ["platform", "linked", "last_seen"]
    assert (again.pack, again.pack_version) == ("mini", "2026.1")
    assert yaml.safe_load(text)["answered_at"] == "2026-01-02T00:00:00Z"


def test_a_file_that_is_not_a_mapping_or_not_there_is_named_with_what_to_do(
    tmp_path: Path, mini_pack: Pack
) -> None:
    path = write(tmp_path, "- a\n- b\n")
    with pytest.raises(AnswersError) as info:
        read_answers(mini_pack, path)
    assert info.value.message == (
        f"{path}:1: expected 'schema_version', 'pack' and 'answers' fields; "
        "see 'wa-audit example' for the format"
    )
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(AnswersError) as info:
        read_answers(mini_pack, missing)
    assert info.value.message == f"{missing}: no such file; check the path of an answers file"
