"""Every render says which purpose of a flow is less sure than the flow.

Someone outside Europe, linked to Accounts Center and using Meta AI (examples/linked-everything.yaml):
their Meta AI chats go to Meta for AI features (documented, F12) and for ads only as the press
reports it (F21); their phone number goes to Meta for ads only as a disputed purpose (F1ads). A
purpose as sure as its flow carries no mark. Read from what a person sees: the terminal text, the
Markdown table and the HTML table.
"""

from __future__ import annotations

import re

import pytest
from test_render_html import NS, parse, text_of
from test_render_html import render as render_html
from test_render_markdown import render as render_markdown
from test_render_terminal import render as render_terminal

from audit.model.assessment import Report
from audit.model.pack import Pack

PERSONA = "linked-everything"
META_AI = "What you ask Meta AI"
NUMBER = "Your phone number"


def _terminal_rows(report: Report, pack: Pack) -> dict[str, str]:
    """Under Meta companies: data label -> the purposes line (joined over its wrapped lines)."""
    text = render_terminal(report, pack)
    block = text.split("Facebook, Instagram and other Meta companies", 1)[1].split("\n├── ", 1)[0]
    rows: dict[str, str] = {}
    label = ""
    for line in block.splitlines():
        body = re.sub(r"^[│├└─ ]+", "", line)
        if " [" in body and body.endswith("]"):
            label = body.rsplit(" [", 1)[0]
            rows[label] = ""
        elif label:
            rows[label] = " ".join(x for x in (rows[label], body.removeprefix("for: ")) if x)
    return rows


def _markdown_rows(report: Report, pack: Pack) -> dict[str, str]:
    text = render_markdown(report, pack)
    section = text.split("### Facebook, Instagram and other Meta companies", 1)[1].split("\n### ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in {"Your data", "---"}:
            rows[cells[0]] = cells[1]
    return rows


def _html_rows(report: Report, pack: Pack) -> dict[str, str]:
    root = parse(render_html(report, pack))
    table = next(t for t in root.iter(f"{NS}table") if "flows" in (t.get("class") or "").split())
    body = next(b for b in table.iter(f"{NS}tbody") if "Meta companies" in text_of(next(b.iter(f"{NS}th"))))
    rows = {}
    for tr in body.iter(f"{NS}tr"):
        cells = [text_of(td) for td in tr.iter(f"{NS}td")]
        if cells:
            rows[cells[0]] = cells[1]
    return rows


@pytest.mark.parametrize(
    "rows_of", [_terminal_rows, _markdown_rows, _html_rows], ids=["terminal", "markdown", "html"]
)
def test_a_reported_or_disputed_purpose_is_marked_as_such(
    rows_of: object, reports: dict[str, Report], pack: Pack
) -> None:
    rows = rows_of(reports[PERSONA], pack)  # type: ignore[operator]
    assert "Ads (reported)" in rows[META_AI], rows[META_AI]
    assert "Personalising content and suggestions (reported)" in rows[META_AI], rows[META_AI]
    assert re.search(r"AI features(?! \()", rows[META_AI]), rows[META_AI]  # documented, as its flow
    assert "Ads (disputed)" in rows[NUMBER], rows[NUMBER]
    assert "Running WhatsApp," in rows[NUMBER]  # documented, as its flow: no mark
    # A flow whose every purpose is as sure as it carries no mark at all.
    assert "(" not in rows["Your combined Meta profile"], rows["Your combined Meta profile"]
