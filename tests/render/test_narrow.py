"""Narrow screens: every layout fits 40 columns without breaking a word across lines.

A word broken by wrapping ("Switzer" / "land") shows up as two lines whose end and start join
into a word the same text has whole at a width where nothing wraps. Tokens too long for the
line (web addresses) must fold and are left out.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import pytest
from conftest import PERSONAS, two_runs
from rich.cells import cell_len

from audit.history.diff import Compared, diff
from audit.model.assessment import Report
from audit.model.pack import Pack
from audit.render import history_views, summary
from audit.render.base import Format, RenderOptions, renderer_for

NARROW = 40
WIDE = 2000
EDGE = "\u2502\u2503\u2551|\u256d\u256e\u2570\u256f\u2500\u2501 "


def broken_words(narrow: str, wide: str, width: int = NARROW) -> list[str]:
    """Line pairs in `narrow` that split a word `wide` has whole."""
    words = set(re.findall(r"[A-Za-z]+", wide))
    lines = [line.strip(EDGE) for line in narrow.splitlines()]
    found = []
    for a, b in itertools.pairwise(lines):
        end = re.search(r"(\S*?)([A-Za-z]+)$", a)
        start = re.match(r"([A-Za-z]+)", b)
        if end is None or start is None:
            continue
        if len(end.group(0)) >= width - 10:
            continue  # a token longer than a line (an address) has to fold
        if end.group(2) + start.group(1) in words:
            found.append(f"{a[-24:]!r} / {b[:24]!r}")
    return found


def test_the_check_finds_a_broken_word() -> None:
    assert broken_words("Your region: EEA, UK or Switzer\nland", "EEA, UK or Switzerland") != []
    assert broken_words("Your region: EEA, UK or\nSwitzerland", "EEA, UK or Switzerland") == []


Render = Callable[[int], str]


def _report_renders(reports: dict[str, Report], pack: Pack) -> dict[str, Render]:
    out: dict[str, Render] = {}
    for name in (*PERSONAS, "quick-unsure"):
        report = reports[name]
        for fmt in (Format.TERMINAL, Format.PLAN):
            out[f"{fmt.value}-{name}"] = lambda w, r=report, f=fmt: renderer_for(f).render(
                r, pack, RenderOptions(width=w)
            )
        out[f"summary-{name}"] = lambda w, r=report: summary.summary(
            r, pack, RenderOptions(width=w, full_report="/home/someone/reports/report.html")
        )
    return out


@pytest.mark.parametrize(
    "case",
    [
        *(f"{k}-{p}" for k in ("terminal", "plan", "summary") for p in (*PERSONAS, "quick-unsure")),
        "history",
        "diff",
    ],
)
def test_forty_columns_fit_and_keep_words_whole(case: str, reports: dict[str, Report], pack: Pack) -> None:
    if case in {"history", "diff"}:
        first, second = two_runs(pack)
        compared = Compared(previous=first, current=second, changes=diff(first, second))

        def render(width: int) -> str:
            if case == "history":
                return history_views.history_text([first, second], width=width)
            return history_views.changes_text(compared, pack=pack, width=width)
    else:
        render = _report_renders(reports, pack)[case]
    narrow, wide = render(NARROW), render(WIDE)
    assert [line for line in narrow.splitlines() if cell_len(line) > NARROW] == []
    assert broken_words(narrow, wide) == []
    assert narrow.count("\u2026") == wide.count("\u2026")  # nor cut short with an ellipsis


@pytest.mark.parametrize("persona", [*PERSONAS, "quick-unsure"])
def test_the_score_bar_and_the_panel_title_stay_whole(
    persona: str, reports: dict[str, Report], pack: Pack
) -> None:
    report = reports[persona]
    text = summary.summary(report, pack, RenderOptions(width=NARROW))
    lines = [line.strip(EDGE) for line in text.splitlines()]
    bars = [line for line in lines if "\u2588" in line or "\u2591" in line]
    # One line: the bar, then the score, as at 80 columns (a folded bar reads as two bars).
    assert len(bars) == 1
    assert re.fullmatch(rf"[\u2588\u2591]{{{NARROW - 8}}} {report.score.value}", bars[0])
    # The long title moves inside the box; the border still says whose box it is.
    top = text.splitlines()[0]
    assert top.startswith("\u256d")
    assert " wa-audit " in top
    assert lines[1].startswith("wa-audit \u00b7 ")


def test_the_panel_s_subtitle_stays_on_its_border_while_it_fits(
    reports: dict[str, Report], pack: Pack
) -> None:
    """Its border takes the subtitle with a space and a corner each side; one column less, it goes inside."""
    report = reports["linked-everything"]
    bottom = summary.summary(report, pack, RenderOptions(width=120)).splitlines()[-1]
    subtitle = bottom.strip(EDGE)
    fits = cell_len(subtitle) + 6
    assert (
        summary.summary(report, pack, RenderOptions(width=fits)).splitlines()[-1]
        == f"\u2570\u2500 {subtitle} \u2500\u256f"
    )
    inside = summary.summary(report, pack, RenderOptions(width=fits - 1)).splitlines()
    assert subtitle not in inside[-1]
    assert subtitle in " ".join(line.strip(EDGE) for line in inside)
