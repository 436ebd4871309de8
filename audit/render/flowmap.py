"""The data-flow picture's geometry: data categories on the left, recipients on the right.

Pure layout, no SVG text: `layout()` returns boxes and edge paths in SVG user units, and the HTML
template draws them (so every label is escaped by the one template engine). `trend_chart()` does
the same for the small score-trend line chart.

Order matters for legibility: recipients keep the pack's order, and each data category sits at
the mean position of its recipients (one barycentre pass), so most edges run roughly level and
few of them cross. Ports along a box's side are sorted by the far end's height for the same
reason.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from audit.render.words import certainty_name

WIDTH = 600
BOX_WIDTH = 190
LINE_HEIGHT = 16
BOX_PAD = 8
GAP = 10
TOP = 34  # room for the column headings
WRAP = 23  # characters per label line; about what fits in BOX_WIDTH at 13px
TIERS = ("few", "some", "many")
STROKE_WIDTH = {"few": 1.5, "some": 2.5, "many": 3.5}


@dataclass(frozen=True)
class Box:
    id: str
    lines: tuple[str, ...]
    x: float
    y: float
    width: float
    height: float
    tier: str  # recipients: how widely they spread data (one of TIERS); data boxes: ""

    @property
    def text_x(self) -> float:
        return self.x + BOX_PAD

    @property
    def text_y(self) -> float:
        # Baseline of the first line, so the block of lines is centred in the box.
        block = len(self.lines) * LINE_HEIGHT
        return round(self.y + (self.height - block) / 2 + LINE_HEIGHT - 4, 1)


@dataclass(frozen=True)
class Edge:
    data: str
    recipient: str
    certainty: str
    tier: str
    width: float
    path: str
    title: str


@dataclass(frozen=True)
class FlowMap:
    width: int
    height: int
    data: tuple[Box, ...]
    recipients: tuple[Box, ...]
    edges: tuple[Edge, ...]


@dataclass(frozen=True)
class Node:
    """Input: one box to place (an id, its label and, for recipients, its reach tier)."""

    id: str
    label: str
    tier: str = ""


@dataclass(frozen=True)
class Link:
    """Input: one flow (data -> recipient) and how certain it is (one of model.severity.CERTAINTIES)."""

    data: str
    recipient: str
    certainty: str


def _wrap(label: str) -> tuple[str, ...]:
    return tuple(textwrap.wrap(label, WRAP, break_long_words=True)) or ("",)


def _column(nodes: Sequence[Node], x: float, ports: dict[str, int]) -> tuple[list[Box], float]:
    boxes = []
    y = float(TOP)
    for n in nodes:
        lines = _wrap(n.label)
        # Tall enough for its lines and for its edges to leave at distinct heights.
        height = max(len(lines) * LINE_HEIGHT + 2 * BOX_PAD, ports.get(n.id, 1) * 7 + 2 * BOX_PAD)
        boxes.append(Box(n.id, lines, x, y, BOX_WIDTH, float(height), n.tier))
        y += height + GAP
    return boxes, y - GAP


def _shift(boxes: list[Box], dy: float) -> list[Box]:
    return [Box(b.id, b.lines, b.x, b.y + dy, b.width, b.height, b.tier) for b in boxes]


def layout(data: Sequence[Node], recipients: Sequence[Node], links: Sequence[Link]) -> FlowMap:
    """Place the boxes of the data and recipients that take part in `links`, and route the edges."""
    used_data = {lk.data for lk in links}
    used_recipients = {lk.recipient for lk in links}
    rights = [r for r in recipients if r.id in used_recipients]
    r_index = {r.id: i for i, r in enumerate(rights)}
    lefts = [d for d in data if d.id in used_data]
    d_order = {d.id: i for i, d in enumerate(lefts)}

    def barycentre(d: Node) -> tuple[float, int]:
        idx = [r_index[lk.recipient] for lk in links if lk.data == d.id and lk.recipient in r_index]
        return (sum(idx) / len(idx) if idx else 0.0, d_order[d.id])

    lefts.sort(key=barycentre)
    ports: dict[str, int] = {}
    for lk in links:
        ports[lk.data] = ports.get(lk.data, 0) + 1
        ports[lk.recipient] = ports.get(lk.recipient, 0) + 1
    left_boxes, left_end = _column(lefts, 0.0, ports)
    right_boxes, right_end = _column(rights, float(WIDTH - BOX_WIDTH), ports)
    # Centre the shorter column against the taller one.
    if left_end < right_end:
        left_boxes = _shift(left_boxes, round((right_end - left_end) / 2, 1))
    else:
        right_boxes = _shift(right_boxes, round((left_end - right_end) / 2, 1))
    height = int(max(left_end, right_end) + BOX_PAD)

    by_id = {("d", b.id): b for b in left_boxes} | {("r", b.id): b for b in right_boxes}
    labels = {("d", n.id): n.label for n in lefts} | {("r", n.id): n.label for n in rights}
    tiers = {r.id: r.tier for r in rights}
    valid = [lk for lk in links if ("d", lk.data) in by_id and ("r", lk.recipient) in by_id]

    def centre(key: tuple[str, str]) -> float:
        b = by_id[key]
        return b.y + b.height / 2

    def port_y(key: tuple[str, str], other: tuple[str, str], siblings: list[tuple[str, str]]) -> float:
        b = by_id[key]
        order = sorted(siblings, key=lambda o: (centre(o), o[1]))
        i = order.index(other)
        return b.y + b.height * (i + 1) / (len(order) + 1)

    out_of: dict[str, list[tuple[str, str]]] = {}
    into: dict[str, list[tuple[str, str]]] = {}
    for lk in valid:
        out_of.setdefault(lk.data, []).append(("r", lk.recipient))
        into.setdefault(lk.recipient, []).append(("d", lk.data))

    edges = []
    x1 = float(BOX_WIDTH)
    x2 = float(WIDTH - BOX_WIDTH)
    mid = (x1 + x2) / 2
    for lk in valid:
        dk, rk = ("d", lk.data), ("r", lk.recipient)
        y1 = round(port_y(dk, rk, out_of[lk.data]), 1)
        y2 = round(port_y(rk, dk, into[lk.recipient]), 1)
        tier = tiers[lk.recipient]
        edges.append(
            Edge(
                data=lk.data,
                recipient=lk.recipient,
                certainty=lk.certainty,
                tier=tier,
                width=STROKE_WIDTH[tier],
                path=f"M {x1:g} {y1:g} C {mid:g} {y1:g}, {mid:g} {y2:g}, {x2:g} {y2:g}",
                title=f"{labels[dk]} \u2192 {labels[rk]} ({certainty_name(lk.certainty)})",
            )
        )
    return FlowMap(
        width=WIDTH,
        height=height,
        data=tuple(left_boxes),
        recipients=tuple(right_boxes),
        edges=tuple(edges),
    )


# --- score trend ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrendDot:
    x: float
    y: float
    score: int
    label: str


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    points: str  # for <polyline points="...">
    dots: tuple[TrendDot, ...]
    grid: tuple[tuple[int, float], ...]  # (score, y) for the 0/25/50/75/100 lines
    left: float
    right: float


def trend_chart(scores: Sequence[tuple[str, int]], width: int = 360, height: int = 160) -> TrendChart:
    """Score (0-100) over runs, evenly spaced left to right; y grows downwards in SVG."""
    left, right, top, bottom = 34.0, width - 12.0, 10.0, height - 24.0

    def y_of(score: int) -> float:
        return round(bottom - (bottom - top) * max(0, min(100, score)) / 100, 1)

    n = len(scores)
    step = (right - left) / (n - 1) if n > 1 else 0.0
    dots = tuple(
        TrendDot(x=round(left + i * step, 1), y=y_of(s), score=s, label=label)
        for i, (label, s) in enumerate(scores)
    )
    return TrendChart(
        width=width,
        height=height,
        points=" ".join(f"{d.x:g},{d.y:g}" for d in dots),
        dots=dots,
        grid=tuple((s, y_of(s)) for s in (0, 25, 50, 75, 100)),
        left=left,
        right=right,
    )
