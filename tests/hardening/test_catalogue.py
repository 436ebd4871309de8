"""A catalogue of bad inputs: each gets exit 2, one line naming the file and what to do, no change.

Every case builds its bad input in a fresh copy of a lived-in home (saved answers, a draft, a filed
report, recorded runs), runs `audit.app.cli.main`, and checks:
- exit code 2 and nothing on stdout;
- exactly one line on stderr, `wa-audit: ...`, naming the file (and line or field where there is
  one), with what to do after a `;`, and no traceback;
- no file under the test folder (the home, the inputs, the pack) was changed, removed or added.

Drafts are used only by the interactive interview, which a test cannot drive through `main`; the
draft cases call the interview's loader and check the promise made there (ignored with one note,
never lost). The paths that lose nothing run good inputs in the same world: a run without a
terminal leaves the unfinished interview where it is. `rules check` lists every problem of a
pack, one per line, by design; its cases check that format instead.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from audit.load.yamlio import MAX_BYTES
from tests.conftest import EXAMPLES, ROOT
from tests.hardening.support import (
    MINI_ANSWERS,
    MINI_PACK,
    changes,
    copy_tree,
    run_cli,
    seed_home,
    snapshot,
)

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass
class Env:
    """One case's world: `root` holds the seeded `home`, a copy of the mini pack and the inputs."""

    root: Path
    home: Path
    pack: Path

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def answers(self, body: str, name: str = "answers-in.yaml") -> Path:
        return self.write(name, body)

    def report(self, path: Path | str, *extra: str) -> list[str]:
        return ["report", "--answers", str(path), "--format", "json", *extra]

    def mini_report(self) -> list[str]:
        mini = self.write("mini-answers.yaml", MINI_ANSWERS)
        return ["--rules", str(self.pack), "report", "--answers", str(mini), "--format", "json"]


# A case returns (argv, the name the message must start with after "wa-audit: ").
Setup = Callable[[Env], tuple[list[str], str]]


@dataclass(frozen=True)
class Case:
    id: str
    setup: Setup
    expect: tuple[str, ...] = ()  # more fragments the message must contain (line, field, hint)
    skip: str | None = None
    exact: str | None = None  # the whole line after "wa-audit: ", with {file} for the name


CASES: list[Case] = []


def case(
    case_id: str, *expect: str, skip: str | None = None, exact: str | None = None
) -> Callable[[Setup], Setup]:
    def register(fn: Setup) -> Setup:
        CASES.append(Case(case_id, fn, expect, skip, exact))
        return fn

    return register


HEAD = "schema_version: 1\npack: whatsapp\n"
GOOD = HEAD + "answers:\n  region: eea\n"


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(ord("b"), ord("j")):
        lines.append(f"{chr(i)}: &{chr(i)} [{', '.join(['*' + chr(i - 1)] * 9)}]")
    return "\n".join(lines) + "\n"


def sparse(path: Path, size: int) -> Path:
    # A sparse file: reading it would take long and fill memory; refusing it by size is instant.
    with path.open("wb") as f:
        f.truncate(size)
    return path


def fifo(path: Path) -> Path:
    # Root can read any file, but nobody can read a FIFO without a writer: open() would block.
    os.mkfifo(path)
    return path


def symlink_loop(path: Path) -> Path:
    # ELOOP: unreadable for root too.
    path.symlink_to(path.name)
    return path


def on(path: Path, argv: list[str]) -> tuple[list[str], str]:
    return argv, str(path)


# --- the answers file ------------------------------------------------------------------------
@case("answers-empty", "empty", "; see 'wa-audit example'")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers("")
    return on(p, e.report(p))


@case("answers-only-comments", "empty")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers("# nothing here yet\n\n")
    return on(p, e.report(p))


@case("answers-not-yaml", ":4:", "not valid YAML", "fix the syntax")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers: [region, \n")
    return on(p, e.report(p))


@case("answers-bad-indent", ":5:", "not valid YAML")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  region: eea\n   platform: iphone\n")
    return on(p, e.report(p))


@case("answers-a-plain-word", ":1:", "schema_version")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers("hello\n")
    return on(p, e.report(p))


@case("answers-a-list", ":1:")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers("- region: eea\n")
    return on(p, e.report(p))


@case("answers-binary", "binary")
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("answers-in.yaml", bytes(range(256)) * 4)
    return on(p, e.report(p))


@case("answers-not-utf8", ":4:", "not UTF-8", "save")
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("answers-in.yaml", HEAD.encode() + b"answers:\n  region: caf\xe9\n")
    return on(p, e.report(p))


UTF16 = '{file}: is saved as UTF-16 (Notepad\'s "Unicode"), not UTF-8; save it as UTF-8'


@case("answers-utf16", exact=UTF16)
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("answers-in.yaml", GOOD.encode("utf-16"))
    return on(p, e.report(p))


@case("answers-utf16-without-bom", exact=UTF16)
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("answers-in.yaml", GOOD.encode("utf-16-le"))
    return on(p, e.report(p))


@case("answers-utf16-big-endian", exact=UTF16)
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("answers-in.yaml", GOOD.encode("utf-16-be"))
    return on(p, e.report(p))


@case(
    "answers-indented-with-tabs",
    exact="{file}:4: YAML indents with spaces, not tabs; replace the tabs on line 4 with spaces",
)
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n\tregion: eea\n")
    return on(p, e.report(p))


@case(
    "answers-indented-with-a-tab-after-spaces",
    exact="{file}:5: YAML indents with spaces, not tabs; replace the tabs on line 5 with spaces",
)
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  region: eea\n  \tplatform: iphone\n")
    return on(p, e.report(p))


@case(
    "answers-a-json-report",
    exact="{file}: this is a report, not an answers file; give the answers file it was made from "
    "(see 'wa-audit example')",
)
def _(e: Env) -> tuple[list[str], str]:
    good = e.answers(GOOD, name="good.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "audit", "--home", str(e.root / "other-home"), *e.report(good)],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    p = e.write("report.json", result.stdout)
    return on(p, e.report(p))


FLAT = (
    "{file}:%d: 'region' is an answer; nest the answers under 'answers:', as in these three lines: "
    "'schema_version: 1', 'pack: whatsapp', 'answers:', then each answer below, indented by two spaces"
)


@case("answers-flat", exact=FLAT % 1)
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers("region: eea\nplatform: android\n")
    return on(p, e.report(p))


@case("answers-flat-under-the-header", exact=FLAT % 3)
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "region: eea\nplatform: android\n")
    return on(p, e.report(p))


@case("answers-a-directory", "folder")
def _(e: Env) -> tuple[list[str], str]:
    p = e.root / "answers-dir"
    p.mkdir()
    return on(p, e.report(p))


@case("answers-missing", "no such file", "check the path")
def _(e: Env) -> tuple[list[str], str]:
    p = e.root / "nowhere.yaml"
    return on(p, e.report(p))


@case("answers-missing-folder", "no such file")
def _(e: Env) -> tuple[list[str], str]:
    p = e.root / "no" / "such" / "answers.yaml"
    return on(p, e.report(p))


@case(
    "answers-unreadable-chmod",
    "permission denied",
    "readable",
    skip="runs as root: permissions do not stop root (the FIFO and link-loop cases cover it)"
    if IS_ROOT
    else None,
)
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(GOOD)
    p.chmod(0)
    return on(p, e.report(p))


@case("answers-unreadable-fifo", "not a regular file")
def _(e: Env) -> tuple[list[str], str]:
    p = fifo(e.root / "answers-fifo.yaml")
    return on(p, e.report(p))


@case("answers-unreadable-link-loop", "cannot open")
def _(e: Env) -> tuple[list[str], str]:
    p = symlink_loop(e.root / "loop.yaml")
    return on(p, e.report(p))


@case("answers-a-device", "not a regular file")
def _(e: Env) -> tuple[list[str], str]:
    # /dev/zero reports size 0 and never ends: only the regular-file check stops it.
    p = e.root / "zero.yaml"
    p.symlink_to("/dev/zero")
    return on(p, e.report(p))


@case("answers-too-large", "too large", "1 MiB")
def _(e: Env) -> tuple[list[str], str]:
    p = sparse(e.root / "huge.yaml", 4 * 1024 * 1024 * 1024)
    return on(p, e.report(p))


@case("answers-just-over-limit", "too large")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(GOOD + "#" * (MAX_BYTES - len(GOOD)) + "\n")
    return on(p, e.report(p))


@case("answers-alias-bomb", ":2:", "aliases")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(alias_bomb())
    return on(p, e.report(p))


@case("answers-alias", ":5:", "aliases")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  region: &r eea\n  platform: *r\n")
    return on(p, e.report(p))


@case("answers-merge-key", ":4:", "merge")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  <<: {region: eea}\n")
    return on(p, e.report(p))


@case("answers-duplicate-top-key", ":3:", "duplicate key 'pack'", "keep only one")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "pack: whatsapp\nanswers: {}\n")
    return on(p, e.report(p))


@case("answers-duplicate-answer", ":5:", "duplicate key 'region'")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  region: eea\n  region: uk\n")
    return on(p, e.report(p))


@case("answers-python-tag", ":4:", "tag")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  region: !!python/object/apply:os.system [echo hi]\n")
    return on(p, e.report(p))


@case("answers-two-documents", "not valid YAML")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(GOOD + "---\n" + GOOD)
    return on(p, e.report(p))


@case("answers-nested-too-deep", ":4:", "nested")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  region: " + "[" * 900 + "]" * 900 + "\n")
    return on(p, e.report(p))


@case("answers-block-nested-too-deep", "nested")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers("- " * 900 + "x\n")
    return on(p, e.report(p))


@case("answers-escape-sequence", ":4:", "control character U+001B")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + 'answers:\n  region: "\\e[31meea"\n')
    return on(p, e.report(p))


@case("answers-raw-control-character", ":4:", "U+0001")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  region: e\x01a\n")
    return on(p, e.report(p))


@case("answers-answers-is-a-list", "answers")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  - region\n  - eea\n")
    return on(p, e.report(p))


@case("answers-value-a-number", ":4:", "answers.region", "word")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  region: 5\n")
    return on(p, e.report(p))


@case("answers-value-empty", ":4:", "answers.region")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  region:\n")
    return on(p, e.report(p))


@case("answers-value-a-mapping", ":4:", "answers.region")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  region: {is: eea}\n")
    return on(p, e.report(p))


@case("answers-value-true", ":4:", "answers.ad_chats")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  ad_chats: true\n")
    return on(p, e.report(p))


@case("answers-key-a-number", ":4:", "answers")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  12: eea\n")
    return on(p, e.report(p))


@case("answers-key-with-newline", "unknown question")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + 'answers:\n  "reg\\nion": eea\n')
    return on(p, e.report(p))


@case("answers-unknown-question", ":4:", "answers.regoin", "did you mean 'region'")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  regoin: eea\n")
    return on(p, e.report(p))


@case("answers-unknown-value", ":4:", "answers.region", "did you mean 'eea'", "use one of")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  region: eeaa\n")
    return on(p, e.report(p))


@case("answers-unknown-not-allowed", ":4:", "answers.platform", "use one of")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answers:\n  platform: unknown\n")
    return on(p, e.report(p))


@case("answers-unknown-field", ":3:", "answerz", "unknown field")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answerz:\n  region: eea\n")
    return on(p, e.report(p))


@case("answers-schema-version-2", ":1:", "schema_version")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers("schema_version: 2\npack: whatsapp\nanswers: {}\n")
    return on(p, e.report(p))


@case("answers-schema-version-a-word", ":1:", "schema_version")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers("schema_version: one\npack: whatsapp\nanswers: {}\n")
    return on(p, e.report(p))


@case("answers-schema-version-missing", "schema_version", "missing")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers("pack: whatsapp\nanswers: {}\n")
    return on(p, e.report(p))


@case("answers-other-pack", ":2:", "pack", "'signal'")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers("schema_version: 1\npack: signal\nanswers: {}\n")
    return on(p, e.report(p))


@case("answers-bad-date", ":3:", "answered_at")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answered_at: yesterday\nanswers: {}\n")
    return on(p, e.report(p))


@case("answers-impossible-date", ":3:", "bad value")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(HEAD + "answered_at: 2026-02-30\nanswers: {}\n")
    return on(p, e.report(p))


@case("answers-newline-in-file-name", "empty")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers("", name="two\nlines.yaml")
    return e.report(p), str(p).replace("\n", "\\n")


@case("answers-for-another-pack-under-rules", ":2:", "pack", "'whatsapp'")
def _(e: Env) -> tuple[list[str], str]:
    p = e.answers(GOOD)
    return on(p, ["--rules", str(e.pack), *e.report(p)])


# --- a rule pack given with --rules ------------------------------------------------------------
@case("pack-folder-missing", "no such rule pack folder", "--rules")
def _(e: Env) -> tuple[list[str], str]:
    e.write("mini-answers.yaml", MINI_ANSWERS)
    p = e.root / "no-pack"
    return on(p, ["--rules", str(p), "report", "--answers", str(e.root / "mini-answers.yaml")])


@case("pack-folder-is-a-file", "rule pack folder")
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("pack-file", "id: mini\n")
    return on(p, ["--rules", str(p), "report", "--answers", str(e.write("mini-answers.yaml", MINI_ANSWERS))])


@case(
    "pack-the-folder-around-it",
    exact="{file}/pack.yaml: missing; {file} is the folder around a pack: give the pack folder {file}/pack",
)
def _(e: Env) -> tuple[list[str], str]:
    # --rules rules/ for --rules rules/whatsapp: the folder holds the pack, it is not one.
    answers = e.write("mini-answers.yaml", MINI_ANSWERS)
    return ["--rules", str(e.root), "report", "--answers", str(answers)], str(e.root)


@case("pack-file-missing", "missing", "questions.yaml")
def _(e: Env) -> tuple[list[str], str]:
    (e.pack / "questions.yaml").unlink()
    return e.mini_report(), str(e.pack / "questions.yaml")


@case("pack-file-empty", "empty", "PACK_FORMAT")
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("pack/flows.yaml", "")
    return on(p, e.mini_report())


@case("pack-not-yaml", "not valid YAML")
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("pack/questions.yaml", "questions:\n  - id: platform\n    values: [a, b\n")
    return on(p, e.mini_report())


@case("pack-binary", "binary")
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("pack/findings.yaml", b"\x7fELF\x02\x01\x01\x00" + bytes(64))
    return on(p, e.mini_report())


@case("pack-not-utf8", ":3:", "not UTF-8")
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("pack/sources.yaml", b"sources:\n  - id: S1\n    title: Pol\xedtica\n")
    return on(p, e.mini_report())


@case("pack-file-is-a-directory", "folder")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "vocabulary.yaml"
    p.unlink()
    p.mkdir()
    return on(p, e.mini_report())


@case("pack-file-fifo", "not a regular file")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    p.unlink()
    return on(fifo(p), e.mini_report())


@case(
    "pack-unreadable-chmod",
    "permission denied",
    skip="runs as root: permissions do not stop root (the FIFO case covers it)" if IS_ROOT else None,
)
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    p.chmod(0)
    return on(p, e.mini_report())


@case("pack-too-large", "too large")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "questions.yaml"
    p.unlink()
    return on(sparse(p, 64 * 1024 * 1024), e.mini_report())


@case("pack-alias-bomb", "aliases")
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("pack/sources.yaml", alias_bomb())
    return on(p, e.mini_report())


@case("pack-duplicate-key", ":6:", "duplicate key 'allow_unknown'")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "questions.yaml"
    text = p.read_text().replace(
        "allow_unknown: false\n", "allow_unknown: false\n    allow_unknown: true\n", 1
    )
    p.write_text(text)
    return on(p, e.mini_report())


@case("pack-wrong-type-severity", ":4:", "findings.0.severity")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "findings.yaml"
    p.write_text(p.read_text().replace("severity: high", "severity: 7", 1))
    return on(p, e.mini_report())


@case("pack-wrong-type-sensitivity", "data_categories.0.sensitivity")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "vocabulary.yaml"
    p.write_text(p.read_text().replace("sensitivity: 3", "sensitivity: high", 1))
    return on(p, e.mini_report())


@case("pack-rules-not-a-list", "rules")
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("pack/flows.yaml", "rules: F1\n")
    return on(p, e.mini_report())


@case("pack-unknown-field", "unknown field")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    p.write_text(
        p.read_text().replace("    certainty: documented\n", "    certainty: documented\n    eval: x\n", 1)
    )
    return on(p, e.mini_report())


@case("pack-unknown-question", "unknown question 'linkd'", "did you mean 'linked'")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    p.write_text(p.read_text().replace("{question: linked,", "{question: linkd,", 1))
    return on(p, e.mini_report())


@case("pack-unknown-value", "unknown value of 'linked' 'yess'")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    p.write_text(p.read_text().replace('in: ["yes"]', 'in: ["yess"]', 1))
    return on(p, e.mini_report())


@case("pack-reference-loop", "loop", "F2 -> F3 -> F2")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    p.write_text(p.read_text().replace('when: {question: linked, in: ["yes"]}', "when: {rule: F3}", 1))
    return on(p, e.mini_report())


@case("pack-self-reference", "loop")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    p.write_text(p.read_text().replace("when: {question: last_seen, in: [everyone]}", "when: {rule: F4}", 1))
    return on(p, e.mini_report())


@case("pack-impossible-condition-empty-in", ":10:", "rules.1.when")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    p.write_text(p.read_text().replace('in: ["yes"]', "in: []", 1))
    return on(p, e.mini_report())


@case("pack-impossible-condition-contradiction", ":10:", "can never apply", "fix the rule pack")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    never = 'when: {all: [{question: linked, in: ["yes"]}, {question: linked, in: ["no"]}]}'
    p.write_text(p.read_text().replace('when: {question: linked, in: ["yes"]}', never, 1))
    return on(p, e.mini_report())


@case("pack-impossible-condition-not-a-condition", "condition")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    p.write_text(p.read_text().replace('when: {question: linked, in: ["yes"]}', "when: sometimes", 1))
    return on(p, e.mini_report())


@case("pack-condition-nested-too-deep", "nested")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    deep = "{not: " * 40 + '{question: linked, in: ["yes"]}' + "}" * 40
    p.write_text(p.read_text().replace('{question: linked, in: ["yes"]}', deep, 1))
    return on(p, e.mini_report())


@case("pack-too-many-questions", "questions.yaml:1:", "at most 200")
def _(e: Env) -> tuple[list[str], str]:
    lines = ["questions:"]
    lines += [
        f"  - {{id: q{i}, section: core, prompt: P, values: [{{id: a, label: A}}, {{id: b, label: B}}]}}"
        for i in range(201)
    ]
    p = e.write("pack/questions.yaml", "\n".join(lines) + "\n")
    return on(p, e.mini_report())


@case("pack-too-many-values", "values", "at most 20")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "questions.yaml"
    last = "      - {id: nobody, label: Nobody}\n"
    more = "".join(f"      - {{id: v{i}, label: V}}\n" for i in range(20))
    p.write_text(p.read_text().replace(last, last + more, 1))
    return on(p, e.mini_report())


@case("pack-condition-too-wide", "any", "at most 100")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    wide = "{any: [" + ", ".join(['{question: linked, in: ["yes"]}'] * 101) + "]}"
    p.write_text(p.read_text().replace('when: {question: linked, in: ["yes"]}', f"when: {wide}", 1))
    return on(p, e.mini_report())


@case("pack-bad-version", "version")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "pack.yaml"
    p.write_text(p.read_text().replace('version: "2026.1"', "version: latest", 1))
    return on(p, e.mini_report())


@case("pack-escape-in-title", "control character U+001B")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "flows.yaml"
    p.write_text(
        p.read_text().replace("title: The service has your number", 'title: "\\e[2J\\e[31mOwned"', 1)
    )
    return on(p, e.mini_report())


@case("pack-bidi-override-in-label", "control character U+202E")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "questions.yaml"
    p.write_text(p.read_text().replace("label: Android", 'label: "Andr\\u202eoid"', 1))
    return on(p, e.mini_report())


# --- the command line ------------------------------------------------------------------------
def example_report(e: Env, *extra: str) -> list[str]:
    return ["report", "--answers", str(e.home / "answers.yaml"), *extra]


@case("set-option-no-equals", "region", "question=value")
def _(e: Env) -> tuple[list[str], str]:
    return example_report(e, "--set", "region"), "--set"


@case("set-option-no-question", "question=value")
def _(e: Env) -> tuple[list[str], str]:
    return example_report(e, "--set", "=eea"), "--set"


@case("set-option-no-value", "question=value")
def _(e: Env) -> tuple[list[str], str]:
    return example_report(e, "--set", "region="), "--set"


@case("set-option-unknown-question", "did you mean 'region'")
def _(e: Env) -> tuple[list[str], str]:
    return example_report(e, "--set", "regoin=eea"), "--set"


@case("set-option-unknown-value", "'mars' is not an answer to 'region'", "use one of")
def _(e: Env) -> tuple[list[str], str]:
    return example_report(e, "--set", "region=mars"), "--set"


@case("set-command-bad-syntax", "question=value")
def _(e: Env) -> tuple[list[str], str]:
    return ["set", "region"], "--set"


@case(
    "set-command-question-that-does-not-apply",
    exact="payments: does not apply to your answers (it is asked only when region is india or brazil "
    "or unknown; yours is eea); nothing recorded",
)
def _(e: Env) -> tuple[list[str], str]:
    # The saved answers say Europe; WhatsApp payments exist in India and Brazil only.
    return ["set", "payments=brazil"], "payments"


@case(
    "set-option-report-question-that-does-not-apply",
    exact="payments: does not apply to your answers (it is asked only when region is india or brazil "
    "or unknown; yours is eea); no report made",
)
def _(e: Env) -> tuple[list[str], str]:
    # `report --set` refuses what `set` refuses (issue 14): the answers file says Europe.
    return example_report(e, "--set", "payments=brazil"), "payments"


@case(
    "set-option-audit-question-that-does-not-apply",
    exact="payments: does not apply to your answers (it is asked only when region is india or brazil "
    "or unknown; yours is eea); nothing asked or recorded",
)
def _(e: Env) -> tuple[list[str], str]:
    # `audit --set` too, before the first question (here without a terminal: nothing is asked).
    return ["audit", "--set", "payments=brazil"], "payments"


@case("set-command-unknown-question", "did you mean 'two_step'")
def _(e: Env) -> tuple[list[str], str]:
    return ["set", "two_stepp=on"], "--set"


@case("output-folder-missing", "cannot write", "choose another")
def _(e: Env) -> tuple[list[str], str]:
    p = e.root / "no" / "such" / "report.html"
    return on(p, example_report(e, "-o", str(p)))


@case("output-is-a-directory", "folder")
def _(e: Env) -> tuple[list[str], str]:
    p = e.root / "out-dir"
    p.mkdir()
    return on(p, example_report(e, "-o", str(p)))


@case("output-under-a-file", "cannot write")
def _(e: Env) -> tuple[list[str], str]:
    parent = e.write("not-a-folder", "x\n")
    p = parent / "report.json"
    return on(p, example_report(e, "-o", str(p)))


@case("output-in-proc", "cannot write")
def _(e: Env) -> tuple[list[str], str]:
    # Even root cannot create files in /proc.
    p = Path("/proc/wa-audit-report.json")
    return on(p, example_report(e, "-o", str(p)))


@case("output-unwritable-after-set", "cannot write")
def _(e: Env) -> tuple[list[str], str]:
    # `set` saves answers and records a run: a bad -o must stop it before it changes anything.
    p = e.root / "missing" / "report.json"
    return on(p, ["set", "two_step=off", "-o", str(p)])


@case("output-unwritable-after-audit", "cannot write")
def _(e: Env) -> tuple[list[str], str]:
    p = e.root / "missing" / "report.md"
    answers = e.answers(GOOD)
    return on(p, ["audit", "--answers", str(answers), "-o", str(p)])


@case("output-is-the-saved-answers", "answers.yaml, which wa-audit reads", "elsewhere")
def _(e: Env) -> tuple[list[str], str]:
    p = e.home / "answers.yaml"
    return on(p, example_report(e, "-o", str(p)))


@case("output-is-the-history", "history.sqlite3, which wa-audit reads")
def _(e: Env) -> tuple[list[str], str]:
    p = e.home / "history.sqlite3"
    return on(p, example_report(e, "--format", "json", "-o", str(p)))


@case("output-is-the-answers-file-given", "mine.yaml, which wa-audit reads", "elsewhere")
def _(e: Env) -> tuple[list[str], str]:
    # The issue's `report --answers mine.yaml -o mine.yaml`, with --format so the suffix is no excuse.
    p = e.answers(GOOD, "mine.yaml")
    return on(p, e.report(p, "-o", str(p)))


@case("output-links-to-the-answers-file-given", "which wa-audit reads")
def _(e: Env) -> tuple[list[str], str]:
    given = e.answers(GOOD, "mine.yaml")
    link = e.root / "report.json"
    link.symlink_to(given)
    return on(link, e.report(given, "-o", str(link)))


@case("output-links-to-the-saved-answers", "answers.yaml, which wa-audit reads")
def _(e: Env) -> tuple[list[str], str]:
    link = e.root / "latest.json"
    link.symlink_to(e.home / "answers.yaml")
    return on(link, ["report", "--format", "json", "-o", str(link)])


@case("output-through-a-linked-folder-to-the-history", "history.sqlite3, which wa-audit reads")
def _(e: Env) -> tuple[list[str], str]:
    (e.root / "data").symlink_to(e.home)
    p = e.root / "data" / ".." / "home" / "history.sqlite3"
    return on(p, ["report", "--format", "json", "-o", str(p)])


@case("output-is-the-draft", "draft.yaml, which wa-audit reads")
def _(e: Env) -> tuple[list[str], str]:
    p = e.home / "draft.yaml"
    return on(p, ["set", "two_step=on", "--format", "markdown", "-o", str(p)])


@case("output-is-the-history-journal", "history.sqlite3-wal, which wa-audit reads")
def _(e: Env) -> tuple[list[str], str]:
    p = e.home / "history.sqlite3-wal"
    return on(p, ["report", "--format", "json", "-o", str(p)])


@case("output-is-a-pack-file", "inside the rule pack", "elsewhere")
def _(e: Env) -> tuple[list[str], str]:
    p = e.pack / "questions.yaml"
    return on(p, [*e.mini_report(), "-o", str(p)])


@case("output-new-file-in-the-pack", "inside the rule pack", "elsewhere")
def _(e: Env) -> tuple[list[str], str]:
    # A new .yaml there would be read as part of the pack next time.
    p = e.pack / "report.json"
    return on(p, [*e.mini_report(), "-o", str(p)])


@case("output-suffix-names-no-format", "'.pdf' names no report format", "--format")
def _(e: Env) -> tuple[list[str], str]:
    p = e.root / "r.pdf"
    return on(p, example_report(e, "-o", str(p)))


@case("output-suffix-yaml-names-no-format", "'.yaml' names no report format")
def _(e: Env) -> tuple[list[str], str]:
    p = e.root / "notes.yaml"
    return on(p, ["set", "two_step=on", "-o", str(p)])


@case("output-without-suffix", "without a suffix")
def _(e: Env) -> tuple[list[str], str]:
    p = e.root / "report"
    return on(p, ["audit", "--answers", str(e.answers(GOOD)), "-o", str(p)])


@case("usage-unknown-format", "--format", "pdf")
def _(e: Env) -> tuple[list[str], str]:
    return example_report(e, "--format", "pdf"), "argument --format"


@case("usage-unknown-command", "reprot")
def _(e: Env) -> tuple[list[str], str]:
    return ["reprot"], "argument COMMAND"


@case("usage-unknown-option", "--colour")
def _(e: Env) -> tuple[list[str], str]:
    return example_report(e, "--colour"), "unrecognized arguments"


@case("usage-run-not-a-number", "'last'")
def _(e: Env) -> tuple[list[str], str]:
    return ["diff", "last"], "argument RUN"


# --- the history database --------------------------------------------------------------------
@case("history-run-does-not-exist", "no run 99", "history")
def _(e: Env) -> tuple[list[str], str]:
    return ["diff", "99", "1"], "no run 99"


@case("history-too-many-runs", "at most two")
def _(e: Env) -> tuple[list[str], str]:
    return ["diff", "1", "2", "3"], "diff"


@case("history-newer-schema", "newer wa-audit", "upgrade")
def _(e: Env) -> tuple[list[str], str]:
    p = e.home / "history.sqlite3"
    with sqlite3.connect(p) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()
    return on(p, ["history"])


@case("history-a-directory", "folder")
def _(e: Env) -> tuple[list[str], str]:
    p = e.home / "history.sqlite3"
    for side in ("", "-wal", "-shm"):
        Path(f"{p}{side}").unlink(missing_ok=True)
    p.mkdir()
    return on(p, ["history"])


@case("history-a-fifo", "not a regular file")
def _(e: Env) -> tuple[list[str], str]:
    p = e.home / "history.sqlite3"
    for side in ("", "-wal", "-shm"):
        Path(f"{p}{side}").unlink(missing_ok=True)
    return on(fifo(p), ["history"])


@case("history-link-loop-on-set", "history")
def _(e: Env) -> tuple[list[str], str]:
    # `set` saves the answers and records a run: a history it cannot open must stop both.
    p = e.home / "history.sqlite3"
    for side in ("", "-wal", "-shm"):
        Path(f"{p}{side}").unlink(missing_ok=True)
    return on(symlink_loop(p), ["set", "two_step=off"])


@case("history-a-directory-on-set", "folder")
def _(e: Env) -> tuple[list[str], str]:
    p = e.home / "history.sqlite3"
    for side in ("", "-wal", "-shm"):
        Path(f"{p}{side}").unlink(missing_ok=True)
    p.mkdir()
    return on(p, ["set", "two_step=off"])


@case(
    "history-unreadable-chmod",
    "history",
    skip="runs as root: permissions do not stop root (the FIFO case covers it)" if IS_ROOT else None,
)
def _(e: Env) -> tuple[list[str], str]:
    p = e.home / "history.sqlite3"
    p.chmod(0)
    return on(p, ["history"])


# --- the draft and the saved answers, on a run that would replace them -------------------------
def clear(path: Path) -> Path:
    for side in ("", "-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    return path


@case("draft-a-directory-on-audit", "folder")
def _(e: Env) -> tuple[list[str], str]:
    p = clear(e.home / "draft.yaml")
    p.mkdir()
    return on(p, ["audit", "--answers", str(e.answers(GOOD)), "--format", "json"])


@case("history-a-directory-on-audit", "folder")
def _(e: Env) -> tuple[list[str], str]:
    p = clear(e.home / "history.sqlite3")
    p.mkdir()
    return on(p, ["audit", "--answers", str(e.answers(GOOD)), "--format", "json"])


@case("reports-folder-a-file-on-audit", "not a folder", "--home")
def _(e: Env) -> tuple[list[str], str]:
    p = e.home / "reports"
    for child in p.iterdir():
        child.unlink()
    p.rmdir()
    p.write_text("not a folder\n")
    return on(p, ["audit", "--answers", str(e.answers(GOOD)), "--format", "json"])


@case("home-a-file-on-audit", "--home")
def _(e: Env) -> tuple[list[str], str]:
    p = e.write("home-file", "x\n")
    return on(p, ["--home", str(p), "audit", "--answers", str(e.answers(GOOD)), "--format", "json"])


HOME_A_FILE = (
    "{file}: the wa-audit home is a file, not a folder; give a folder with --home (or WA_AUDIT_HOME), "
    "it is created if missing"
)


def _home_a_file(argv: list[str]) -> Setup:
    def setup(e: Env) -> tuple[list[str], str]:
        p = e.write("home-file", "x\n")
        return on(p, ["--home", str(p), *argv])

    return setup


# Each command said its own thing ("No runs yet", "Nothing to forget"): now each says this, once.
for _name, _argv in (
    ("history", ["history"]),
    ("diff", ["diff"]),
    ("report", ["report"]),
    ("set", ["set", "region=eea"]),
    ("forget", ["forget", "--yes"]),
    ("rules-show", ["rules", "show"]),
    ("schema", ["schema", "answers"]),
):
    case(f"home-a-file-on-{_name}", exact=HOME_A_FILE)(_home_a_file(_argv))


@case("saved-answers-a-directory-on-report", "folder")
def _(e: Env) -> tuple[list[str], str]:
    p = clear(e.home / "answers.yaml")
    p.mkdir()
    return on(p, ["report", "--format", "json"])


@case("saved-answers-broken-on-set", ":2:", "not valid YAML")
def _(e: Env) -> tuple[list[str], str]:
    p = e.home / "answers.yaml"
    p.write_text("{ this is not: yaml\n")
    return on(p, ["set", "two_step=off"])


@case("saved-answers-a-fifo-on-audit", "not a regular file")
def _(e: Env) -> tuple[list[str], str]:
    p = fifo(clear(e.home / "answers.yaml"))
    return on(p, ["audit", "--set", "region=eea", "--format", "json"])


# --- running them ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_home(tmp_path_factory.mktemp("seed") / "home")


@pytest.fixture
def env(tmp_path: Path, seeded_home: Path, monkeypatch: pytest.MonkeyPatch) -> Env:
    monkeypatch.delenv("WA_AUDIT_HOME", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    root = tmp_path / "world"
    root.mkdir()
    home = copy_tree(seeded_home, root / "home")
    pack = copy_tree(MINI_PACK, root / "pack")
    return Env(root=root, home=home, pack=pack)


def test_the_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES), "case ids must be unique"


@pytest.mark.parametrize("c", [pytest.param(c, id=c.id) for c in CASES])
def test_bad_input_gets_one_clear_line_and_changes_nothing(
    c: Case, env: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    if c.skip:
        pytest.skip(c.skip)
    argv, names = c.setup(env)
    before = snapshot(env.root)
    result = run_cli(capsys, ["--home", str(env.home), *argv])
    after = snapshot(env.root)

    assert result.code == 2, result.err
    assert result.out == ""
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, f"expected one line, got:\n{result.err}"
    line = lines[0]
    assert line.startswith("wa-audit: "), line
    assert names in line, f"the message must name {names!r}: {line}"
    for fragment in c.expect:
        assert fragment in line, f"missing {fragment!r}: {line}"
    if c.exact is not None:
        assert line == "wa-audit: " + c.exact.replace("{file}", names)
    assert re.search(r"; \S|e\.g\. |\(did you mean", line), f"say what to do: {line}"
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in line), f"control characters: {line!r}"
    assert changes(before, after) == []


# --- drafts ------------------------------------------------------------------------------------
# Only the interactive interview reads the draft. A draft it cannot use is ignored with one line
# (the interview starts over rather than refusing to run), and is left exactly as it was.
DRAFT_HEAD = "schema_version: 1\npack: whatsapp\npack_version: '2026.11'\n"
DRAFTS: dict[str, Callable[[Path], object]] = {
    "empty": lambda p: p.write_text(""),
    "not-yaml": lambda p: p.write_text(DRAFT_HEAD + "progress: {values: [\n"),
    "binary": lambda p: p.write_bytes(bytes(range(256))),
    "not-utf8": lambda p: p.write_bytes(DRAFT_HEAD.encode() + b"progress: {values: {region: \xe9}}\n"),
    "directory": lambda p: p.mkdir(),
    "fifo": fifo,
    "too-large": lambda p: sparse(p, 2 * MAX_BYTES),
    "alias-bomb": lambda p: p.write_text(alias_bomb()),
    "duplicate-key": lambda p: p.write_text(DRAFT_HEAD + "pack: whatsapp\nprogress: {}\n"),
    "wrong-type": lambda p: p.write_text(DRAFT_HEAD + "progress: 5\n"),
    "schema-version-2": lambda p: p.write_text(DRAFT_HEAD.replace("1", "2", 1) + "progress: {}\n"),
    "unknown-field": lambda p: p.write_text(DRAFT_HEAD + "progress: {}\nsecret: x\n"),
    "nested-too-deep": lambda p: p.write_text(DRAFT_HEAD + "progress: " + "[" * 500 + "]" * 500 + "\n"),
}


@pytest.mark.parametrize("kind", sorted(DRAFTS))
def test_a_bad_draft_is_ignored_with_one_line_and_kept(
    kind: str, tmp_path: Path, bundled_pack: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from audit.app.run_audit import load_draft

    path = tmp_path / "draft.yaml"
    DRAFTS[kind](path)
    before = snapshot(tmp_path)
    assert load_draft(bundled_pack, path) is None
    err = capsys.readouterr().err
    assert snapshot(tmp_path) == before
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"wa-audit: ignoring the unfinished interview in {path}"), err
    assert "Traceback" not in err


# --- paths that lose nothing ------------------------------------------------------------------
# A run given its answers without a terminal ran no interview, so the unfinished one waiting in the
# home (the seeded draft: one answer) is not its to end: it stays byte for byte, and one line says
# so and how to go on. (It used to be deleted silently, with every answer in it.)
KEEPS_THE_DRAFT: dict[str, Callable[[Env], list[str]]] = {
    "answers-file": lambda e: ["--answers", str(e.answers(GOOD)), "--format", "json"],
    "audit-answers-file": lambda e: ["audit", "--answers", str(e.answers(GOOD)), "--format", "json"],
    "audit-set": lambda e: ["audit", "--set", "region=uk", "--format", "json"],
    "set": lambda e: ["set", "region=uk", "--format", "json"],
}


@pytest.mark.parametrize("kind", sorted(KEEPS_THE_DRAFT))
def test_a_run_without_a_terminal_keeps_the_unfinished_interview(
    kind: str, env: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = env.home / "draft.yaml"
    before = draft.read_bytes()
    result = run_cli(capsys, ["--home", str(env.home), *KEEPS_THE_DRAFT[kind](env)])
    assert result.code == 0, result.err
    assert '"schema_version": 1' in result.out
    assert draft.read_bytes() == before
    if kind != "set":  # `set` never touched the draft, and says nothing of it
        said = [line for line in result.err.splitlines() if "unfinished interview" in line]
        assert said == [
            f"wa-audit: an unfinished interview (1 answer) is kept in {draft}; "
            "run 'wa-audit' in a terminal to continue it"
        ], result.err


# --- a damaged history -----------------------------------------------------------------------
# Not an input mistake but damage (a crash, a bad disk, a stray edit): wa-audit keeps every byte
# under a new name, says so in one line, and carries on with a fresh history.
@pytest.mark.parametrize(
    "garbage",
    [b"not a database\n", b"SQLite format 3\x00" + bytes(range(256)) * 8],
    ids=["text", "torn-header"],
)
def test_a_damaged_history_is_kept_aside_byte_for_byte(
    garbage: bytes, env: Env, capsys: pytest.CaptureFixture[str]
) -> None:
    db = env.home / "history.sqlite3"
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    db.write_bytes(garbage)
    result = run_cli(capsys, ["--home", str(env.home), "set", "two_step=off", "--format", "json"])
    assert result.code == 0, result.err
    notices = [line for line in result.err.splitlines() if "damaged" in line]
    assert len(notices) == 1, result.err
    assert notices[0].startswith(f"wa-audit: {db}")
    kept = [p for p in env.home.iterdir() if p.name.startswith("history.sqlite3.damaged-")]
    assert [p.read_bytes() for p in kept] == [garbage]
    assert "Traceback" not in result.err


# --- standard output -------------------------------------------------------------------------
def _cli_process(home: Path, stdout: Any) -> subprocess.CompletedProcess[str]:
    example = str(EXAMPLES / "linked-everything.yaml")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.run(
        [sys.executable, "-m", "audit", "--home", str(home), "report", "--answers", example],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_one_line(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        result = _cli_process(tmp_path / "home", full)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        "wa-audit: standard output: cannot write the report (No space left on device); use -o FILE"
    ]


def test_a_reader_that_leaves_early_is_not_an_error(tmp_path: Path) -> None:
    # `wa-audit report | head -1`: the pipe closes before the report is written.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = _cli_process(tmp_path / "home", write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


# --- controls: the same world, good inputs -----------------------------------------------------
# Without these, a broken fixture could make every case above exit 2 for the wrong reason.
@pytest.mark.parametrize(
    "content",
    [
        GOOD.encode(),
        b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode(),  # Windows Notepad: BOM and CRLF
        (HEAD + "answers:\n  region: 'eea'   # quoted, with a comment\n").encode(),
    ],
    ids=["plain", "bom-crlf", "quoted-commented"],
)
def test_good_inputs_in_the_same_world_work(
    env: Env, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    answers = env.write("answers-in.yaml", content)
    result = run_cli(capsys, ["--home", str(env.home), *env.report(answers)])
    assert result.code == 0, result.err
    assert '"schema_version": 1' in result.out
    mini = run_cli(capsys, ["--home", str(env.home), *env.mini_report()])
    assert mini.code == 0, mini.err
