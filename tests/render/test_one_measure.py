"""Issue 24's four people in every format: the headline, the plan's order and the conditions agree.

Someone who answers "I don't know" to everything, a quick check, an iPhone in the UK whose two
backups each keep a copy of the chats ("Do both"), and someone in India who shares everything.
Goldens for each format (read by eye), and the same score line in all of them.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable

import pytest
from conftest import changes_since, persona_report

from audit.model.assessment import AnswerChange, Report
from audit.model.pack import Pack
from audit.render import html as html_renderer
from audit.render.base import Format, RenderOptions, renderer_for
from audit.render.report_view import build_view

CASES = ("all-unknown", "quick-unsure", "uk-iphone-backups", "india-shares-everything")
FORMATS = {
    Format.TERMINAL: "txt",
    Format.MARKDOWN: "md",
    Format.HTML: "html",
    Format.PLAN: "plan.txt",
    Format.JSON: "json",
}


def rendered(report: Report, pack: Pack, fmt: Format) -> str:
    text = renderer_for(fmt).render(report, pack, RenderOptions(width=100))
    if fmt is Format.HTML:
        text = text.replace(str(html_renderer.stylesheet()), "/* reports/html/style.css */")
    return text


@pytest.fixture(scope="module")
def cases(pack: Pack) -> dict[str, Report]:
    return {name: persona_report(pack, name) for name in CASES}


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("case", CASES)
def test_golden(
    case: str, fmt: Format, cases: dict[str, Report], pack: Pack, golden: Callable[[str, str], None]
) -> None:
    golden(f"measure-{case}.{FORMATS[fmt]}", rendered(cases[case], pack, fmt))


def flat(text: str) -> str:
    # Markdown escapes and the terminal's panel borders are not words.
    return " ".join(html.unescape(text).replace("\\", "").replace("\u2502", " ").split())


@pytest.mark.parametrize("case", CASES)
def test_every_format_says_the_same_score_line(case: str, cases: dict[str, Report], pack: Pack) -> None:
    view = build_view(cases[case], pack)
    for fmt in (Format.TERMINAL, Format.MARKDOWN, Format.HTML, Format.PLAN, Format.PLAN_MARKDOWN):
        assert flat(view.headline) in flat(rendered(cases[case], pack, fmt)), fmt


def test_the_range_is_calm_and_the_band_names_what_is_known(cases: dict[str, Report], pack: Pack) -> None:
    report = cases["all-unknown"]
    assert report.score.best_case is not None
    assert report.score.best_case < report.score.value
    view = build_view(report, pack)
    assert view.calm
    assert view.headline.startswith(
        f"Your exposure score: between {report.score.best_case} and {report.score.value}"
    )
    assert f"it depends on {len(report.unknowns)} answers you don't know" in view.headline
    assert "Severe" not in view.headline
    # The band is the best case's: what the person knows, not what they do not.
    assert report.score.band == "low"


def test_a_quick_check_says_it_is_partial(cases: dict[str, Report], pack: Pack) -> None:
    report = cases["quick-unsure"]
    data = json.loads(rendered(report, pack, Format.JSON))
    assert data["score"]["partial"] is True
    asked = len(report.answers)
    line = f"Quick check: {asked} of {asked + len(report.not_asked)} questions"
    for fmt in (Format.TERMINAL, Format.MARKDOWN, Format.HTML, Format.PLAN):
        assert line in flat(rendered(report, pack, fmt)), fmt
    view = build_view(report, pack)
    assert view.calm  # never a green band for what was not checked
    # What stays protected lists only what its questions established: nothing read a backup.
    assert all(p.id != "e2ee_messages" for p in report.protections)


def test_both_backups_are_one_step(cases: dict[str, Report]) -> None:
    report = cases["uk-iphone-backups"]
    first = report.recommendations[0]
    assert [(c.question, c.to) for c in first.changes] == [
        ("chat_backup", "on_e2ee"),
        ("icloud_device_backup", "on_without_whatsapp"),
    ]
    assert (first.question, first.to) == ("chat_backup", "on_e2ee")
    assert first.how.startswith("Do both: ")
    assert first.score_after < report.score.value
    assert set(first.resolves) == {"unencrypted_backup", "icloud_device_backup"}
    assert report.score.band != "low"  # two documented high findings


def test_possible_findings_are_conditions_in_json(cases: dict[str, Report]) -> None:
    for f in cases["all-unknown"].findings:
        assert f.certainty == "possible"
        assert f.detail.startswith("If this applies to you")


def test_a_rerun_after_a_quick_check_is_not_called_higher(cases: dict[str, Report], pack: Pack) -> None:
    # The quick check's score counted only its questions: the first full score is not "higher",
    # and the questions it skipped were answered for the first time, not changed.
    changes = changes_since(14, 40, answers={"two_step": AnswerChange(from_="not_asked", to="on")})
    report = cases["india-shares-everything"].model_copy(
        update={"changes": changes.model_copy(update={"after_quick_check": True})}
    )
    view = build_view(report, pack)
    assert view.changes is not None
    assert "higher" not in view.changes.direction
    assert [a.kind for a in view.changes.answers] == ["answered for the first time"]
    text = rendered(report, pack, Format.TERMINAL)
    assert "(higher)" not in text
    assert "first full check" in text
