"""A disputed finding shows its two sides apart, each quote under its source (terminal, Markdown).

HTML has its side-by-side table; the terminal and Markdown list each side under its heading.

Someone outside Europe meets the F1 ads dispute: the binding 2021 policy (S1) and WhatsApp's 2016
post (S17) say Meta may use the information for ads; the Accounts Center page (S4) says otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from test_render_html import render as render_html
from test_render_markdown import MD
from test_render_markdown import render as render_markdown
from test_render_terminal import render as render_terminal

from audit.evaluate.engine import evaluate
from audit.load.read import load_pack
from audit.model.answers import Answers
from audit.model.assessment import Report, make_report
from audit.model.pack import Pack
from tests.conftest import edit_pack_file

PERSONA = "linked-everything"
FINDING = "meta_ads_disputed"


def _sides(report: Report) -> dict[str, list[tuple[str, str]]]:
    """Heading -> [(source id, quote)] from the finding itself."""
    f = next(x for x in report.findings if x.id == FINDING)
    assert f.dispute is not None
    return {
        "Says so": [(s.id, s.quote or "") for s in f.dispute.says],
        "Says otherwise": [(s.id, s.quote or "") for s in f.dispute.denies],
    }


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_terminal_shows_each_side_under_its_heading_each_quote_under_its_source(
    reports: dict[str, Report], pack: Pack
) -> None:
    report = reports[PERSONA]
    text = render_terminal(report, pack)
    block = text.split("Sources disagree (S1 is the binding text):\n", 1)[1].split("\nYou answered", 1)[0]
    lines = block.splitlines()
    assert all(len(line) <= 80 for line in lines)
    headings = [i for i, line in enumerate(lines) if line in {"  Says so:", "  Says otherwise:"}]
    assert [lines[i].strip() for i in headings] == ["Says so:", "Says otherwise:"]
    parts = {"Says so": lines[headings[0] + 1 : headings[1]], "Says otherwise": lines[headings[1] + 1 :]}
    for heading, quotes in _sides(report).items():
        side = parts[heading]
        # Each source starts its own line at the same indent, and its quote follows it.
        starts = [i for i, line in enumerate(side) if not line.startswith("     ")]
        assert [side[i].split()[0] for i in starts] == [sid for sid, _ in quotes]
        for k, (sid, quote) in enumerate(quotes):
            entry = side[starts[k] : starts[k + 1] if k + 1 < len(starts) else len(side)]
            assert _words(quote) in _words(" ".join(entry)), (sid, entry)
    assert "S1  WhatsApp, 2021-01-04, binding:" in block


def test_markdown_shows_each_side_as_a_list_of_sources_with_their_quotes(
    reports: dict[str, Report], pack: Pack
) -> None:
    report = reports[PERSONA]
    tokens = MD.parse(render_markdown(report, pack))
    start = next(i for i, t in enumerate(tokens) if t.type == "inline" and "Sources disagree" in t.content)
    assert "S1 is the binding text" in tokens[start].content
    found: dict[str, list[tuple[str, str]]] = {}
    heading = ""
    item: list[str] = []
    for t in tokens[start + 1 :]:
        if t.type == "inline" and t.content.startswith("*Says"):
            heading = t.content.strip("*:")
            found[heading] = []
        elif t.type == "list_item_open":
            item = []
        elif t.type == "inline" and heading:
            item.append(t.content)
        elif t.type == "list_item_close":
            found[heading].append((item[0].split()[0], _words(" ".join(item[1:]))))
        elif t.type == "paragraph_open" and t.level == 0 and len(found) == 2 and not item:
            break
        if t.type == "list_item_close":
            item = []
    expected = _sides(report)
    assert list(found) == list(expected)
    for heading, quotes in expected.items():
        assert [sid for sid, _ in found[heading]] == [sid for sid, _ in quotes]
        for (_, shown), (_, quote) in zip(found[heading], quotes, strict=True):
            assert _words(quote) in shown.replace("\\", "")


def test_html_shows_the_two_sides_side_by_side_each_quote_under_its_source(
    reports: dict[str, Report], pack: Pack
) -> None:
    import html

    from test_render_html import render as render_html

    report = reports[PERSONA]
    page = html.unescape(render_html(report, pack))
    table = page.split("Sources disagree", 1)[1].split("</table>", 1)[0]
    says, denies = table.split("</td>", 2)[:2]
    f = next(x for x in report.findings if x.id == FINDING)
    assert f.dispute is not None
    for cell, side in zip((says, denies), (f.dispute.says, f.dispute.denies), strict=True):
        for s in side:
            # "S4 (WhatsApp, undated; checked 2026-12-02): “quote”"
            dated = f"{'undated; checked ' if s.undated else ''}{s.date.isoformat()}"
            assert _words(f"{s.id} ({s.publisher}, {dated}): \u201c{s.quote}\u201d") in _words(cell)


def test_a_pack_s_free_text_conflict_shows_in_every_format(mini_pack_dir: Path) -> None:
    # A pack may say sources disagree in words (`conflict:`) rather than as two quoted sides.
    edit_pack_file(
        mini_pack_dir / "findings.yaml",
        "    detail: Last seen is public.\n",
        "    detail: Last seen is public.\n    conflict: Two help pages disagree on this.\n",
    )
    pack = load_pack(mini_pack_dir)
    values = {"platform": "android", "linked": "no", "last_seen": "everyone"}
    report = make_report(
        evaluate(pack, Answers(pack="mini", values=values)), generated_at=datetime(2026, 1, 2, tzinfo=UTC)
    )
    said = "Sources disagree: Two help pages disagree on this."
    assert said in _words(render_terminal(report, pack))
    assert f"**Sources disagree:** {said.split(': ', 1)[1]}" in render_markdown(report, pack)
    page = render_html(report, pack)
    assert (
        '<p class="conflict"><strong>Sources disagree:</strong> Two help pages disagree on this.</p>' in page
    )
