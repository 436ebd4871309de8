"""The Markdown report: golden renders, escaping that keeps pack text plain, the same content."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import PERSONAS, changes_since
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from audit.evaluate.engine import evaluate
from audit.load.read import load_pack
from audit.model import labels
from audit.model.answers import Answers
from audit.model.assessment import AnswerChange, Report, make_report
from audit.model.pack import Pack
from audit.render.base import RenderOptions
from audit.render.markdown import MarkdownRenderer, MdSafe, environment, md_block, md_escape, md_url
from audit.render.report_view import build_view

OPTIONS = RenderOptions()
MD = MarkdownIt("commonmark").enable("table")


def render(report: Report, pack: Pack) -> str:
    return MarkdownRenderer().render(report, pack, OPTIONS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_golden(
    persona: str, reports: dict[str, Report], pack: Pack, golden: Callable[[str, str], None]
) -> None:
    golden(f"markdown-{persona}.md", render(reports[persona], pack))


# Text as a pack might hold it: printable characters, Markdown's favourites over-represented.
pack_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\\`*_{}[]()<>#+-=.!|~&;:/ 0123456789")),
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    ),
    max_size=40,
)


def as_html(text: str) -> str:
    """What markdown-it prints for plain text (it escapes these four, not the apostrophe)."""
    return html.escape(labels.clean_line(text), quote=False).replace('"', "&quot;")


@settings(deadline=None)  # a loaded machine is not a failure; speed is benches/' job
@given(pack_text)
@example("&copy; &#169; &#x41; AT&T")  # entities: random text rarely spells one
def test_escaped_text_renders_as_itself_inline(text: str) -> None:
    expected = as_html(text)
    assert MD.renderInline(md_escape(text)) == expected


# What opens a block at the start of a line: random text rarely begins with "1. ", so draw it.
BLOCK_OPENERS = [
    "1. ", "12) ", "1) ", "999999999. ", "# ", "###### ", "> ", "- ", "+ ", "* ", "= ", "---", "  1. ",
]  # fmt: skip
block_text = st.one_of(pack_text, st.tuples(st.sampled_from(BLOCK_OPENERS), pack_text).map("".join))


@settings(deadline=None)  # a loaded machine is not a failure; speed is benches/' job
@given(block_text.filter(lambda t: labels.clean_line(t) != ""))
@example("1. x")
@example("12) y")
@example("# y")
@example("> y")
@example("- y")
@example("+ y")
@example("1.")
@example("  3) indented")
def test_escaped_text_renders_as_one_paragraph_at_line_start(text: str) -> None:
    expected = as_html(text)
    assert MD.render(md_block(text)) == f"<p>{expected}</p>\n"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a_(b)", "https://example.org/a_%28b%29"),
        ("https://example.org/x y", "https://example.org/x%20y"),
        ("http://example.org/", ""),
        ("javascript:alert(1)", ""),
        (None, ""),
    ],
)
def test_only_https_urls_become_link_targets(url: str | None, expected: str) -> None:
    assert md_url(url) == expected


def test_sections_match_the_terminal_report(reports: dict[str, Report], pack: Pack) -> None:
    report = reports["quick-unsure"]
    text = render(report, pack)
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    view = build_view(report, pack)
    first = ["Your exposure score", *(["Find out first"] if view.find_out_first else []), "Not checked"]
    assert headings[: len(first) + 1] == [*first, "If you do one thing today"]
    assert view.headline in text  # the score line, a range and the quick check's share in it
    assert headings[len(first) + 1 :] == [
        "What your answers mean",
        "Who gets what",
        "What stays protected",
        "Rights you can use",
        "More changes, best first",
        "What to check",
    ]
    flat = " ".join(text.split())
    assert (
        f"You answered \u201cI don't know\u201d to {len(report.unknowns)} of {len(report.answers)} questions"
        in flat
    )
    assert f"The quick check did not ask {len(report.not_asked)} questions" in flat


def test_every_finding_source_and_flow_appears(reports: dict[str, Report], pack: Pack) -> None:
    report = reports["linked-everything"]
    tokens = MD.parse(render(report, pack))
    rendered = MD.renderer.render(tokens, MD.options, {})
    for f in report.findings:
        assert html.escape(f.title, quote=False) in rendered
        for s in f.sources:
            assert f'href="{s.url}"' in rendered
    rows = [t for t in tokens if t.type == "tr_open"]
    headers = [t for t in tokens if t.type == "thead_open"]
    assert len(rows) - len(headers) == len(report.flows)


def test_changes_section(reports: dict[str, Report], pack: Pack) -> None:
    base = reports["eea-nothing-linked"]
    changes = changes_since(
        40,
        base.score.value,
        resolved=("accounts_center_linked",),
        answers={"accounts_center": AnswerChange(from_="linked", to="previously_linked")},
    )
    text = render(base.model_copy(update={"changes": changes}), pack)
    assert "## What changed since 2026-10-01 09:30 UTC" in text
    assert f"Score 40 → {base.score.value} (lower)." in text
    assert f"- **Resolved:** {pack.finding_by_id['accounts_center_linked'].title}" in text
    assert "Yes, it is added → It was added once, but I removed it" in text


def test_hostile_pack_text_stays_text(hostile_pack_dir: Path) -> None:
    hostile = load_pack(hostile_pack_dir)
    answers = Answers(pack="mini", values={"platform": "android", "linked": "yes", "share": "always"})
    report = make_report(evaluate(hostile, answers), generated_at=datetime(2026, 1, 2, tzinfo=UTC))
    text = render(report, hostile)
    rendered = MD.render(text)
    # No raw HTML from the pack, no link to the pack's fake URL, no heading or list from a detail.
    assert "<script>" not in rendered
    assert "<img" not in rendered
    assert 'href="https://evil.example' not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<h1>Heading</h1>" not in rendered
    assert "<p># Heading - item &lt;img src=https://evil.example/x.png&gt;</p>" in rendered


def test_habit_note_is_a_separate_word(reports: dict[str, Report], pack: Pack) -> None:
    text = MarkdownRenderer().render(reports["linked-everything"], pack, RenderOptions())
    assert "(a change of habit)" in text
    assert not re.search(r"\S\(a change of habit\)", text)


@pytest.mark.parametrize("persona", ["linked-everything", "iphone-icloud-backup"])
def test_each_further_change_is_its_own_list_item(
    persona: str, reports: dict[str, Report], pack: Pack
) -> None:
    # A change whose line ended in "Fixes: ..." once ran into the next item ("...use it3. Go to").
    report = reports[persona]
    assert len(report.recommendations) > 2
    tokens = MD.parse(render(report, pack))
    start = next(
        i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "More changes, best first"
    )
    items = 0
    for t in tokens[start + 2 :]:
        if t.type == "heading_open":
            break
        items += t.type == "list_item_open" and t.level == 1
    assert items == len(report.recommendations) - 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "[]"), ("*x*", r"[\*x\*]"), (MdSafe("*x*"), "[*x*]"), (3, "[3]")],
)
def test_every_template_value_is_escaped_and_none_prints_nothing(value: object, expected: str) -> None:
    # The report template's `finalize`: an absent value (a source with no date, say) prints as
    # nothing, not "None"; text is escaped unless it was built as Markdown on purpose.
    assert environment().from_string("[{{ value }}]").render(value=value) == expected


def test_a_protection_holding_in_part_says_so_after_a_space(reports: dict[str, Report], pack: Pack) -> None:
    # "end-to-end encrypted(holds only in part for you)": the note lost its space.
    report = reports["linked-everything"]
    partly = [p.title for p in report.protections if p.holds == "partly"]
    assert partly, "the example needs a protection that holds only in part"
    text = MarkdownRenderer().render(report, pack, RenderOptions())
    for title in partly:
        assert f"{md_escape(title)} (holds only in part for you)" in text
    assert not re.search(r"\S\(holds only in part", text)


def test_runs_of_the_same_day_are_told_apart_by_time(reports: dict[str, Report], pack: Pack) -> None:
    from audit.model.assessment import TrendPoint

    same_day = (datetime(2026, 12, 1, 9, 30, tzinfo=UTC), datetime(2026, 12, 1, 17, 5, tzinfo=UTC))
    points = tuple(TrendPoint(at=at, score=s) for at, s in zip(same_day, (70, 60), strict=True))
    report = reports["linked-everything"].model_copy(update={"trend": points})
    text = MarkdownRenderer().render(report, pack, RenderOptions())
    assert "Score trend: 2026-12-01 09:30: 70; 2026-12-01 17:05: 60." in text
    days = (datetime(2026, 11, 30, 9, 30, tzinfo=UTC), same_day[1])
    points = tuple(TrendPoint(at=at, score=s) for at, s in zip(days, (70, 60), strict=True))
    text = MarkdownRenderer().render(report.model_copy(update={"trend": points}), pack, RenderOptions())
    assert "Score trend: 2026-11-30: 70; 2026-12-01: 60." in text  # a day each: the day says it
