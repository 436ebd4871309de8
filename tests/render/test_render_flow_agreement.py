"""The HTML flow picture says what the table beside it says: same flows, same certainty, same reach.

Checked on the rendered page, not on `flowmap.layout()`: what the HTML renderer passes to the
layout and what the template draws is what a person sees. Each recipient box's tier (its class and
the width of the lines into it) must be the tier the table names for that recipient, and both must
be the one the pack's `reach` gives (words.reach_tier).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from conftest import PERSONAS
from test_render_html import NS, SVG, parse, render, text_of

from audit.evaluate.engine import evaluate
from audit.model import labels
from audit.model.answers import Answers
from audit.model.assessment import Report, make_report
from audit.model.pack import Pack
from audit.render import words
from audit.render.flowmap import STROKE_WIDTH, TIERS

WORD_TIER = {words.REACH_WORDS[t]: t for t in TIERS}
WORD_CERTAINTY = {w: c for c, w in words.CERTAINTY_WORDS.items()}
TABLE_GROUP = re.compile(r"^(?P<label>.+) \((?P<word>reaches \w+) people\)$")
EDGE_TITLE = re.compile(r"^(?P<data>.+) \u2192 (?P<recipient>.+) \((?P<certainty>\w+)\)$")


def _all_unknown(pack: Pack) -> Report:
    """Nothing answered: every rule only possibly holds, so nearly every recipient appears."""
    assessment = evaluate(pack, Answers(pack=pack.meta.id, values={}))
    return make_report(assessment, generated_at=datetime(2026, 11, 29, 12, 0, tzinfo=UTC))


def _tier_of(classes: str) -> str:
    found = [c[2:] for c in classes.split() if c.startswith("t-")]
    assert len(found) == 1, classes
    return found[0]


def picture(page: str) -> tuple[dict[str, str], set[tuple[str, str, str]], list[tuple[str, str, float]]]:
    """(recipient label -> tier of its box, {(data, recipient, certainty)}, [(recipient, tier, width)])."""
    root = parse(page)
    figure = next(f for f in root.iter(f"{NS}figure") if f.get("class") == "flowmap")
    svg = figure.find(f"{SVG}svg")
    assert svg is not None
    boxes: dict[str, str] = {}
    for g in svg.iter(f"{SVG}g"):
        classes = g.get("class") or ""
        if "recipient-node" in classes.split():
            label = " ".join(text_of(t) for t in g.iter(f"{SVG}tspan"))
            assert label not in boxes, f"two boxes for {label}"
            boxes[label] = _tier_of(classes)
    flows: set[tuple[str, str, str]] = set()
    edges: list[tuple[str, str, float]] = []
    for path in svg.iter(f"{SVG}path"):
        classes = path.get("class") or ""
        if "edge" not in classes.split():
            continue
        title = path.find(f"{SVG}title")
        assert title is not None
        m = EDGE_TITLE.match(text_of(title))
        assert m is not None, text_of(title)
        flows.add((m["data"], m["recipient"], m["certainty"]))
        edges.append((m["recipient"], _tier_of(classes), float(path.get("stroke-width") or "nan")))
    return boxes, flows, edges


def table(page: str) -> tuple[dict[str, str], set[tuple[str, str, str]]]:
    """(recipient label -> tier its heading names, {(data, recipient, certainty)}) from the table."""
    root = parse(page)
    tbl = next(t for t in root.iter(f"{NS}table") if t.get("class") == "flows")
    tiers: dict[str, str] = {}
    flows: set[tuple[str, str, str]] = set()
    for body in tbl.iter(f"{NS}tbody"):
        rows = list(body)
        m = TABLE_GROUP.match(text_of(rows[0]))
        assert m is not None, text_of(rows[0])
        recipient = m["label"]
        tiers[recipient] = WORD_TIER[m["word"]]
        for row in rows[1:]:
            cells = [text_of(td) for td in row]
            flows.add((cells[0], recipient, WORD_CERTAINTY[cells[-1]]))
    return tiers, flows


def _cases(reports: dict[str, Report], pack: Pack) -> dict[str, Report]:
    return {**reports, "all-unknown": _all_unknown(pack)}


@pytest.mark.parametrize("case", [*PERSONAS, "quick-unsure", "all-unknown"])
def test_the_picture_and_the_table_agree(case: str, reports: dict[str, Report], pack: Pack) -> None:
    report = _cases(reports, pack)[case]
    page = render(report, pack)
    boxes, drawn, edges = picture(page)
    tiers, listed = table(page)
    assert drawn == listed, "the picture draws the flows the table lists, with the same certainty"
    assert len(edges) == len(report.flows)
    assert boxes == tiers, "each recipient's box has the reach its table heading names"
    for recipient, tier, width in edges:
        assert tier == boxes[recipient], f"a line into {recipient} has another tier than its box"
        assert width == STROKE_WIDTH[tier], "line width shows the recipient's reach, as the legend says"


@pytest.mark.parametrize("case", ["linked-everything", "all-unknown"])
def test_reach_tiers_are_the_packs(case: str, reports: dict[str, Report], pack: Pack) -> None:
    page = render(_cases(reports, pack)[case], pack)
    boxes, _, _ = picture(page)
    expected = {labels.clean_line(r.label): words.reach_tier(r.reach) for r in pack.vocabulary.recipients}
    assert boxes, "the case draws recipients"
    assert {label: expected[label] for label in boxes} == boxes
    # More than one tier is drawn: a renderer that draws every box alike cannot pass.
    assert len(set(boxes.values())) > 1, boxes


@pytest.mark.parametrize(("reach", "tier"), [(1, "few"), (2, "few"), (3, "some"), (4, "many"), (5, "many")])
def test_reach_tier_bounds(reach: int, tier: str) -> None:
    assert words.reach_tier(reach) == tier
