"""Fuzzing: whatever answers file or rule pack comes in, the CLI ends with a report or one line.

Hypothesis generates answers files (valid and broken: YAML-ish noise, bytes, mappings with real
and made-up question ids and values of every type) and mutations of the mini pack (keys deleted,
values replaced with the wrong type, ids swapped for random ones, lists emptied or doubled). Each
goes through `audit.app.cli.main`; the only acceptable endings are exit 0/1 with a report on stdout,
or exit 2 with one `wa-audit: ` line. Exit 70 (an internal error) is a bug.

The number of examples comes from WA_AUDIT_FUZZ_EXAMPLES (default 300 per test, for CI):
    WA_AUDIT_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/hardening/test_fuzz.py
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from audit.load.read import load_pack
from audit.load.resources import default_pack_dir
from audit.load.yamlio import load_yaml
from audit.model.pack import Pack
from tests.conftest import EXAMPLES
from tests.hardening.support import MINI_ANSWERS, MINI_PACK, Result, run_cli

FUZZ_EXAMPLES = int(os.environ.get("WA_AUDIT_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# --set values mostly produce full reports (slow, and one code path): a third as many.
FUZZ_SET = settings(FUZZ, max_examples=max(1, FUZZ_EXAMPLES // 3))


def assert_clean_ending(result: Result, *, report_expected: bool = True) -> None:
    """Exit 0 with output, or exit 2 with one line; never an internal error or a traceback."""
    assert result.code != 70, result.err
    assert "Traceback" not in result.err
    assert "internal error" not in result.err, result.err
    assert result.code in (0, 2), result  # no --fail-on: 1 is never right
    event(f"exit {result.code}")  # --hypothesis-show-statistics: how often each ending was reached
    if result.code == 2:
        lines = result.err.splitlines()
        assert len(lines) == 1, result.err
        assert lines[0].startswith("wa-audit: "), result.err
        assert result.out == ""
    elif report_expected:
        assert result.out.strip(), "a successful run prints its report"


# --- answers files ---------------------------------------------------------------------------
def pack_words(pack: Pack) -> tuple[list[str], list[str]]:
    questions = [q.id for q in pack.questions]
    values = sorted({v for q in pack.questions for v in q.value_ids} | {"unknown"})
    return questions, values


YAMLISH = st.lists(
    st.sampled_from(
        [
            "schema_version: 1\n", "pack: whatsapp\n", "answers:\n", "  region: eea\n", "  ", "- ", ": ",
            "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!!python/name:os.system ", "<<: ", "'", '"',
            "\\x", "\\e", "#", "\n", "---\n", "...\n", "~", "null", "yes", "on", "1e999", "0x1F",
            "2026-02-30", "\t", "\u00e9", "\ufeff", "\u202e", "%YAML 1.1\n", "? ", "|\n", ">\n",
        ]
    )
    | st.text(max_size=8),
    max_size=40,
).map("".join)  # fmt: skip

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.dates()
)


def valid_documents(pack: Pack) -> st.SearchStrategy[dict[str, Any]]:
    """Answers files the pack accepts: real questions, each with one of its own values."""
    answers = st.fixed_dictionaries(
        {},
        optional={
            q.id: st.sampled_from([*q.value_ids, *(["unknown"] if q.allow_unknown else [])])
            for q in pack.questions
        },
    )
    return st.fixed_dictionaries(
        {"schema_version": st.just(1), "pack": st.just(pack.meta.id), "answers": answers}
    )


def answers_documents(pack: Pack) -> st.SearchStrategy[Any]:
    """Valid documents, valid ones with one thing broken, and mappings of anything."""
    questions, values = pack_words(pack)
    answer_value = st.sampled_from(values) | SCALARS | st.lists(st.sampled_from(values), max_size=3)
    answers = st.dictionaries(st.sampled_from(questions) | st.text(max_size=12), answer_value, max_size=12)
    wrong = SCALARS | st.lists(SCALARS, max_size=3)
    anything = st.fixed_dictionaries(
        {},
        optional={
            "schema_version": st.sampled_from([1, 1, 1, 2, 0, "1"]) | wrong,
            "pack": st.sampled_from(["whatsapp", "whatsapp", "mini"]) | wrong,
            "answers": answers | wrong,
            "answered_at": st.datetimes() | wrong,
            "pack_version": st.just("2026.11") | wrong,
            "extra": wrong,
        },
    ) | st.lists(SCALARS, max_size=3)

    @st.composite
    def one_thing_broken(draw: st.DrawFn) -> dict[str, Any]:
        doc = draw(valid_documents(pack))
        where = draw(st.sampled_from(["answers", "top"]))
        target = doc["answers"] if where == "answers" else doc
        key = draw(st.sampled_from([*target, "extra"]) if target else st.just("extra"))
        target[key] = draw(answer_value | wrong)
        return doc

    return st.one_of(valid_documents(pack), one_thing_broken(), anything)


def answers_files(pack: Pack) -> st.SearchStrategy[bytes]:
    as_yaml = answers_documents(pack).map(
        lambda d: yaml.safe_dump(d, allow_unicode=True, default_flow_style=None)
    )
    return st.one_of(
        as_yaml.map(lambda s: s.encode("utf-8")),
        YAMLISH.map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.binary(max_size=200),
        as_yaml.map(lambda s: s.encode("latin-1", "replace")),
    )


BUNDLED = load_pack(default_pack_dir())
QUESTIONS, _VALUES = pack_words(BUNDLED)
SET_WORD = st.sampled_from(QUESTIONS) | st.sampled_from(_VALUES) | st.text(max_size=10)
SET_VALID = st.sampled_from(BUNDLED.questions).flatmap(
    lambda q: st.sampled_from([f"{q.id}={v}" for v in (*q.value_ids, "unknown")])
)
SET_ITEM = SET_VALID | st.builds(
    lambda q, sep, v: f"{q}{sep}{v}", SET_WORD, st.sampled_from(["=", "", "==", " = "]), SET_WORD
)


@pytest.mark.slow
@FUZZ
@given(content=answers_files(BUNDLED), fmt=st.sampled_from(["json", "terminal", "markdown", "html"]))
def test_any_answers_file_ends_in_a_report_or_one_line(
    capsys: pytest.CaptureFixture[str], content: bytes, fmt: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.yaml"
        path.write_bytes(content)
        result = run_cli(capsys, ["--home", f"{tmp}/home", "report", "--answers", str(path), "--format", fmt])
    assert_clean_ending(result)


@pytest.mark.slow
@FUZZ_SET
@given(items=st.lists(SET_ITEM, min_size=1, max_size=3))
def test_any_set_option_ends_in_a_report_or_one_line(
    capsys: pytest.CaptureFixture[str], items: list[str]
) -> None:
    argv = ["report", "--answers", str(EXAMPLES / "quick-unsure.yaml"), "--format", "json"]
    for i in items:
        argv += ["--set", i]
    with tempfile.TemporaryDirectory() as tmp:
        result = run_cli(capsys, ["--home", f"{tmp}/home", *argv])
    assert_clean_ending(result)


# --- rule packs ------------------------------------------------------------------------------
def _load_mini() -> dict[str, Any]:
    return {p.name: load_yaml(p, what="a rule pack file").data for p in sorted(MINI_PACK.glob("*.yaml"))}


MINI = _load_mini()
Loc = tuple[str | int, ...]


def _paths(node: Any, loc: Loc = ()) -> list[Loc]:
    out: list[Loc] = [loc]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*loc, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*loc, i))
    return out


def _replace(node: Any, loc: Loc, fn: Callable[[Any], Any]) -> Any:
    """A copy of `node` with the value at `loc` replaced by fn(value); fn may return DELETE."""
    if not loc:
        return fn(node)
    head, rest = loc[0], loc[1:]
    if isinstance(node, dict):
        copy = dict(node)
        new = _replace(copy[head], rest, fn)
        if new is DELETE:
            del copy[head]
        else:
            copy[head] = new
        return copy
    items = list(node)
    new = _replace(items[head], rest, fn)  # type: ignore[index]
    if new is DELETE:
        del items[head]  # type: ignore[arg-type]
    else:
        items[head] = new  # type: ignore[index]
    return items


DELETE = object()
IDS = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True) | st.sampled_from(
    ["F1", "F2", "F3", "F4", "S1", "S2", "linked", "share", "yes", "no", "always", "unknown", "core"]
)


PROSE_KEYS = frozenset(
    {"title", "label", "detail", "risk", "prompt", "help", "how", "note", "quote", "intro"}
)
PROSE = st.lists(
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=12)
    | st.sampled_from(
        ["[bold]", "[/]", "<b>", "</td>", "{{ x }}", "{%", "*", "_", "`", "|", "#", "\\", "&amp;"]
    ),
    min_size=1,
    max_size=6,
).map("".join)


@st.composite
def mutated_packs(draw: st.DrawFn) -> dict[str, Any]:
    pack = dict(MINI)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        name = draw(st.sampled_from(sorted(pack)))
        op = draw(st.sampled_from(["delete", "wrong_type", "random_id", "empty", "double", "text", "prose"]))
        prose = [loc for loc in _paths(pack[name]) if loc and loc[-1] in PROSE_KEYS]
        if op == "prose" and prose:
            # Keeps the pack valid, so the text reaches every renderer.
            loc = draw(st.sampled_from(prose))
            text = draw(PROSE)
            pack[name] = _replace(pack[name], loc, lambda _v, t=text: t)
            continue
        loc = draw(st.sampled_from(_paths(pack[name])))
        if op == "delete" and loc:
            fn: Callable[[Any], Any] = lambda _v: DELETE  # noqa: E731 - one-line strategy glue
        elif op == "wrong_type":
            other = draw(SCALARS | st.lists(SCALARS, max_size=2) | st.dictionaries(IDS, SCALARS, max_size=2))
            fn = lambda _v, o=other: o  # noqa: E731
        elif op == "random_id":
            new_id = draw(IDS)
            fn = lambda _v, n=new_id: n  # noqa: E731
        elif op == "empty":
            fn = lambda v: type(v)() if isinstance(v, list | dict | str) else None  # noqa: E731
        elif op == "double":
            fn = lambda v: v + v if isinstance(v, list | str) else [v, v]  # noqa: E731
        else:
            text = draw(st.text(max_size=30))
            fn = lambda _v, t=text: t  # noqa: E731
        pack[name] = _replace(pack[name], loc, fn) if loc or op != "delete" else None
    return pack


def _write_pack(pack: dict[str, Any], folder: Path) -> None:
    folder.mkdir()
    for name, data in pack.items():
        text = "" if data is None else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.slow
@FUZZ
@given(pack=mutated_packs(), fmt=st.sampled_from(["json", "terminal", "markdown", "html"]))
def test_any_mutated_pack_is_reported_or_refused_clearly(
    capsys: pytest.CaptureFixture[str], pack: dict[str, Any], fmt: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pack"
        _write_pack(pack, folder)
        answers = Path(tmp) / "answers.yaml"
        answers.write_text(MINI_ANSWERS)
        home = f"{tmp}/home"
        checked = run_cli(capsys, ["--home", home, "rules", "check", str(folder)])
        reported = run_cli(
            capsys,
            [
                "--home",
                home,
                "--rules",
                str(folder),
                "report",
                "--answers",
                str(answers),
                "--format",
                fmt,
            ],
        )
    # `rules check` lists every problem, one `file:line: message` per line, then a summary.
    assert checked.code in (0, 2), checked
    event(f"rules check exit {checked.code}")
    assert "Traceback" not in checked.err
    assert "internal error" not in checked.err
    if checked.code == 2:
        *problems, summary = checked.err.splitlines()
        assert summary.startswith("wa-audit: "), checked.err
        assert all(str(folder) in p for p in problems), checked.err
    assert_clean_ending(reported)
    if checked.code == 2:
        assert reported.code == 2, "a pack `rules check` refuses must not be used for a report"
