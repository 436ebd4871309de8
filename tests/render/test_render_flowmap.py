"""The data-flow picture's layout and the trend chart: pure geometry, checked as geometry."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from audit.model.severity import CERTAINTIES
from audit.render.flowmap import BOX_WIDTH, WIDTH, WRAP, Box, Link, Node, layout, trend_chart

DATA = [Node(f"d{i}", f"Data category number {i} with a label long enough to wrap") for i in range(8)]
RECIPIENTS = [Node(f"r{i}", f"Recipient {i}", ("few", "some", "many")[i % 3]) for i in range(6)]

links_strategy = st.lists(
    st.builds(
        Link,
        data=st.sampled_from([d.id for d in DATA]),
        recipient=st.sampled_from([r.id for r in RECIPIENTS]),
        certainty=st.sampled_from(CERTAINTIES),
    ),
    max_size=30,
    unique_by=lambda lk: (lk.data, lk.recipient),
)


def _overlap(a: Box, b: Box) -> bool:
    return a.y < b.y + b.height and b.y < a.y + a.height


def _ends(path: str) -> tuple[float, float, float, float]:
    nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    return nums[0], nums[1], nums[-2], nums[-1]


@settings(deadline=None)  # a loaded machine is not a failure; speed is benches/' job
@given(links_strategy)
def test_layout_geometry(links: list[Link]) -> None:
    m = layout(DATA, RECIPIENTS, links)
    assert len(m.edges) == len(links)
    assert {b.id for b in m.data} == {lk.data for lk in links}
    assert {b.id for b in m.recipients} == {lk.recipient for lk in links}
    for column in (m.data, m.recipients):
        for i, a in enumerate(column):
            assert a.y >= 0
            assert a.y + a.height <= m.height
            assert all(not _overlap(a, b) for b in column[i + 1 :])
    boxes = {("d", b.id): b for b in m.data} | {("r", b.id): b for b in m.recipients}
    for e in m.edges:
        x1, y1, x2, y2 = _ends(e.path)
        d, r = boxes[("d", e.data)], boxes[("r", e.recipient)]
        # From the right side of the data box to the left side of the recipient box, inside each.
        assert x1 == d.x + d.width == BOX_WIDTH
        assert x2 == r.x == WIDTH - BOX_WIDTH
        assert d.y < y1 < d.y + d.height
        assert r.y < y2 < r.y + r.height
        assert e.tier == r.tier
    assert [e.certainty for e in m.edges] == [lk.certainty for lk in links]


@settings(deadline=None)  # a loaded machine is not a failure; speed is benches/' job
@given(links_strategy)
def test_ports_on_a_box_are_distinct(links: list[Link]) -> None:
    m = layout(DATA, RECIPIENTS, links)
    starts: dict[str, list[float]] = {}
    for e in m.edges:
        starts.setdefault(e.data, []).append(_ends(e.path)[1])
    for ys in starts.values():
        assert len(set(ys)) == len(ys)


def test_unknown_ids_and_no_links() -> None:
    assert layout(DATA, RECIPIENTS, []).edges == ()
    m = layout(DATA, RECIPIENTS, [Link("nope", "r0", "documented"), Link("d0", "r0", "documented")])
    assert [(e.data, e.recipient) for e in m.edges] == [("d0", "r0")]


def test_data_sit_near_their_recipients() -> None:
    # d0 goes to the last recipient, d1 to the first: the barycentre puts d1 above d0.
    m = layout(DATA[:2], RECIPIENTS, [Link("d0", "r5", "documented"), Link("d1", "r0", "documented")])
    assert [b.id for b in m.data] == ["d1", "d0"]


def test_long_labels_wrap_into_taller_boxes() -> None:
    m = layout(
        [Node("a", "short"), Node("b", "x " * 40)],
        RECIPIENTS[:1],
        [Link("a", "r0", "reported"), Link("b", "r0", "reported")],
    )
    short, long_ = sorted(m.data, key=lambda b: len(b.lines))
    assert len(long_.lines) > 1
    assert long_.height > short.height
    assert all(len(line) <= 30 for line in long_.lines)


def test_trend_chart_maps_scores_to_height() -> None:
    chart = trend_chart([("a", 0), ("b", 50), ("c", 100)])
    ys = [d.y for d in chart.dots]
    assert ys[0] > ys[1] > ys[2]  # SVG y grows downwards
    xs = [d.x for d in chart.dots]
    assert xs == sorted(xs)
    assert xs[0] == chart.left
    assert xs[-1] == chart.right
    assert chart.points.count(",") == 3
    assert all(0 <= d.y <= chart.height for d in chart.dots)


def test_a_trend_of_two_runs_spans_the_chart() -> None:
    """The report draws a trend from two runs on: the first at the left edge, the second at the right."""
    chart = trend_chart([("a", 40), ("b", 40)])
    assert [d.x for d in chart.dots] == [chart.left, chart.right]
    assert chart.dots[0].y == chart.dots[1].y


def test_a_word_longer_than_a_box_is_broken_to_fit() -> None:
    long = Node("d", "Advertisingidentifiersacrossapps")
    m = layout([long], RECIPIENTS[:1], [Link(data="d", recipient="r0", certainty="documented")])
    lines = m.data[0].lines
    assert "".join(lines) == long.label
    assert len(lines) > 1
    assert max(map(len, lines)) <= WRAP
