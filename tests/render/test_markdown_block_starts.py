"""Pack text that starts like Markdown syntax ("1. x", "# y", "> y") stays text in every Markdown output.

A pack given with --rules is untrusted, and even the bundled one may hold a step such as "1. Open
Settings". Every text field of the bundled pack (titles, details, labels, prompts, help, steps,
sources...) is rewritten to start with one block-level opener and carry a unique marker; the
Markdown report (with changes, unknowns, fixes and advice shown) and `rules show --format markdown`
are rendered and parsed with markdown-it, and every marker that appears must still be preceded by
its opener as text: had the opener been read as a list, heading or quote, it would be gone.
"""

from __future__ import annotations

import html
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import changes_since
from markdown_it import MarkdownIt

from audit.collect.answers_file import read_answers
from audit.evaluate.engine import evaluate
from audit.load.read import load_pack
from audit.load.resources import default_pack_dir
from audit.model.answers import Answers
from audit.model.assessment import AnswerChange, make_report
from audit.model.pack import Pack
from audit.render import model_guide
from audit.render.base import RenderOptions
from audit.render.markdown import MarkdownRenderer
from tests.conftest import EXAMPLES

MD = MarkdownIt("commonmark").enable("table")
# Openers of a block in CommonMark: ordered lists (both delimiters), headings, quotes, bullets.
OPENERS = ["1. ", "12) ", "# ", "> ", "- ", "+ ", "* ", "1) ", "3.", "= "]
# Keys whose string values are text for people (ids, URLs, dates and conditions are left alone).
TEXT_KEYS = {
    "title", "intro", "label", "description", "publisher", "quote", "how", "prompt", "help",
    "note", "risk", "conflict", "detail",
}  # fmt: skip
PLATFORM_TEXT_PARENTS = {"where", "steps"}  # android/iphone under these are text (or lists of it)
MARK = re.compile(r"\u00a7(\d+)\u00a7")  # §12§: no Markdown meaning, no case


def _rewrite(node: Any, opener: str, counter: list[int], parent: str = "") -> Any:
    def text() -> str:
        counter[0] += 1
        return f"{opener}\u00a7{counter[0]}\u00a7 text"

    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            # Not only str: PyYAML reads an unquoted `label: Yes` as a boolean, wa-audit as text.
            if not isinstance(value, (dict, list)) and (
                key in TEXT_KEYS or (key in ("android", "iphone") and parent in PLATFORM_TEXT_PARENTS)
            ):
                out[key] = text()
            elif isinstance(value, list) and key in ("android", "iphone") and parent == "steps":
                out[key] = [text() for _ in value]
            else:
                out[key] = _rewrite(value, opener, counter, key)
        return out
    if isinstance(node, list):
        return [_rewrite(item, opener, counter, parent) for item in node]
    return node


def opener_pack(tmp_path: Path, opener: str) -> tuple[Pack, int]:
    """The bundled pack with every text field starting with `opener`; and how many fields there are."""
    target = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), target)
    counter = [0]
    for path in sorted(target.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_rewrite(doc, opener, counter), allow_unicode=True), encoding="utf-8")
    return load_pack(target), counter[0]


def intact(markdown: str, opener: str) -> tuple[set[int], list[str]]:
    """The markers rendered, and the places where the opener before a marker did not survive."""
    rendered = MD.render(markdown)
    as_text = html.escape(opener, quote=False)
    seen: set[int] = set()
    broken = []
    for m in MARK.finditer(rendered):
        seen.add(int(m.group(1)))
        before = rendered[max(0, m.start() - len(as_text)) : m.start()]
        if before != as_text:
            line = rendered[rendered.rfind("\n", 0, m.start()) + 1 : rendered.find("\n", m.end())]
            broken.append(line)
    return seen, broken


def _report_markdown(pack: Pack) -> str:
    answers = read_answers(pack, EXAMPLES / "linked-everything.yaml")
    # A few answers left open, so the "What to check" list (prompts, how to check) is shown too.
    values = {q: v for q, v in answers.values.items() if q not in ("about", "meta_ai", "username")}
    assessment = evaluate(pack, Answers(pack=pack.meta.id, values=values))
    findings = [f.id for f in assessment.findings]
    changes = changes_since(
        assessment.score.value + 5,
        assessment.score.value,
        new=tuple(findings[:2]),
        resolved=tuple(f.id for f in pack.findings if f.id not in findings)[:2],
        answers={"last_seen": AnswerChange(from_="nobody", to="everyone")},
    )
    report = make_report(assessment, generated_at=datetime(2026, 11, 29, 12, 0, tzinfo=UTC), changes=changes)
    for shown in (report.recommendations, report.unknowns, report.findings, report.protections):
        assert shown, "each section the template can show is shown"
    return MarkdownRenderer().render(report, pack, RenderOptions())


@pytest.mark.parametrize("opener", OPENERS)
def test_the_markdown_report_keeps_block_openers_as_text(tmp_path: Path, opener: str) -> None:
    pack, fields = opener_pack(tmp_path, opener)
    seen, broken = intact(_report_markdown(pack), opener)
    assert not broken, f"{opener!r} was read as Markdown in:\n" + "\n".join(broken)
    assert len(seen) >= fields // 4, f"only {len(seen)} of {fields} text fields reached the report"


@pytest.mark.parametrize("opener", OPENERS)
def test_the_model_guide_keeps_block_openers_as_text(tmp_path: Path, opener: str) -> None:
    pack, fields = opener_pack(tmp_path, opener)
    seen, broken = intact(model_guide.markdown(pack), opener)
    assert not broken, f"{opener!r} was read as Markdown in:\n" + "\n".join(broken)
    assert len(seen) >= fields // 4, f"only {len(seen)} of {fields} text fields reached the guide"


def test_the_check_sees_a_broken_opener() -> None:
    # The check itself can fail: an unescaped "1. " at the start of a line becomes a list item.
    seen, broken = intact("1. \u00a71\u00a7 text\n\n1\\. \u00a72\u00a7 text\n", "1. ")
    assert seen == {1, 2}
    assert broken == ["<li>\u00a71\u00a7 text</li>"]
