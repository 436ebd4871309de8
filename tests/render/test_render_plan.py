"""The plan (`--format plan`) in three media, and the terminal summary: goldens and content."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import html5lib
import pytest
from conftest import ADVICE_PERSONAS, PERSONAS, ROOT, persona_report
from markdown_it import MarkdownIt

from audit.app.cli import main
from audit.evaluate.engine import evaluate
from audit.load.read import load_pack
from audit.model.answers import Answers
from audit.model.assessment import Report, make_report
from audit.model.pack import Pack
from audit.render import summary
from audit.render.base import Format, RenderOptions, renderer_for
from audit.render.html import CSP
from audit.render.plan import STEPS_IN_FULL, build_plan
from audit.render.view_model import GROUP_CONDITION, ONE_CONDITION, change_groups
from audit.render.words import NOTHING_TO_CHANGE

MEDIA = {Format.PLAN: "txt", Format.PLAN_HTML: "html", Format.PLAN_MARKDOWN: "md"}
NS = "{http://www.w3.org/1999/xhtml}"


def plan(report: Report, pack: Pack, fmt: Format = Format.PLAN) -> str:
    return renderer_for(fmt).render(report, pack, RenderOptions(width=80))


@pytest.mark.parametrize("persona", [*PERSONAS, "all-unknown"])
@pytest.mark.parametrize("fmt", list(MEDIA))
def test_plan_golden(
    persona: str, fmt: Format, reports: dict[str, Report], pack: Pack, golden: Callable[[str, str], None]
) -> None:
    golden(f"plan-{persona}.{MEDIA[fmt]}", plan(reports[persona], pack, fmt))


@pytest.mark.parametrize("persona", PERSONAS)
def test_summary_golden(
    persona: str, reports: dict[str, Report], pack: Pack, golden: Callable[[str, str], None]
) -> None:
    options = RenderOptions(width=80, full_report="/home/you/.local/share/wa-audit/reports/report.html")
    golden(f"summary-{persona}.txt", summary.summary(reports[persona], pack, options))


@pytest.mark.parametrize("fmt", list(MEDIA))
def test_plan_ranks_every_change_with_what_it_resolves(
    fmt: Format, reports: dict[str, Report], pack: Pack
) -> None:
    report = reports["quick-unsure"]
    # The words as a reader sees them: entities decoded, Markdown escapes and wrapping gone.
    text = " ".join(html.unescape(plan(report, pack, fmt)).replace("\\", "").split())
    assert "If you do one thing today" in text
    whole = build_plan(report, pack).steps
    positions = [text.index(" ".join(whole[0].step.how.split())[:40])]
    for s in whole[1:]:  # in rank order: each after the one before (two may open alike)
        positions.append(text.index(" ".join(s.step.how.split())[:40], positions[-1] + 1))
    assert 3 <= len(whole) <= STEPS_IN_FULL < len(report.recommendations)
    # Each step shown whole names the findings its fix resolves, and the person's own phone's menu
    # path; the smaller ones follow, one line each, in rank order.
    assert text.count("Resolves: ") == len(whole)
    for s in whole:
        assert "Resolves: " + " ".join(s.resolves[0].split()) in text
    smaller = text.index("Smaller steps")
    assert smaller > positions[-1]
    assert text.count("If it applies: ") == sum(
        r.from_ == "unknown" for r in report.recommendations[len(whole) :]
    )
    assert "You (or Settings) tab (bottom right)" in text  # iPhone menus for the iPhone persona
    assert "What to find out" in text
    for u in report.unknowns:
        assert " ".join(u.prompt.split()) in text


def test_plan_page_is_self_contained(reports: dict[str, Report], pack: Pack) -> None:
    page = plan(reports["linked-everything"], pack, Format.PLAN_HTML)
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=True)
    root = parser.parse(page)
    assert parser.errors == []
    metas = [m.get("content") for m in root.iter(f"{NS}meta") if m.get("http-equiv")]
    assert metas == [CSP]
    assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] in {"script", "img", "link"}]
    steps = len(reports["linked-everything"].recommendations)
    assert len(list(root.iter(f"{NS}li"))) >= steps


def test_nothing_to_change_says_so(reports: dict[str, Report], pack: Pack) -> None:
    bare = reports["eea-nothing-linked"].model_copy(update={"recommendations": ()})
    for fmt in MEDIA:
        text = plan(bare, pack, fmt)
        assert "Nothing to change today" in text
        assert "Then, best first" not in text
    # The full reports say the same where the one thing would be.
    for fmt in (Format.HTML, Format.TERMINAL, Format.MARKDOWN):
        text = " ".join(renderer_for(fmt).render(bare, pack, RenderOptions(width=200)).split())
        assert NOTHING_TO_CHANGE in text.replace("\u2502", "").replace("  ", " "), fmt


def test_hostile_pack_text_stays_text_in_the_plan(hostile_pack_dir: Path) -> None:
    hostile = load_pack(hostile_pack_dir)
    answers = Answers(pack="mini", values={"platform": "android", "linked": "yes", "share": "always"})
    report = make_report(evaluate(hostile, answers), generated_at=datetime(2026, 1, 2, tzinfo=UTC))
    page = plan(report, hostile, Format.PLAN_HTML)
    assert "<script>" not in page
    rendered = MarkdownIt("commonmark").render(plan(report, hostile, Format.PLAN_MARKDOWN))
    assert "<script>" not in rendered
    assert 'href="https://evil.example' not in rendered
    assert "\x1b" not in plan(report, hostile, Format.PLAN)


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["-o", "plan.html"], "<!DOCTYPE html>"),
        (["-o", "plan.md"], "# Your WhatsApp privacy plan"),
        (["-o", "plan.txt"], "Your WhatsApp privacy plan"),
    ],
)
def test_format_plan_takes_its_medium_from_the_suffix(
    args: list[str], expect: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    example = str(ROOT / "examples" / "linked-everything.yaml")
    code = main(["--home", str(tmp_path / "home"), "report", "--answers", example, "--format", "plan", *args])
    assert code == 0
    text = (tmp_path / args[1]).read_text(encoding="utf-8")
    assert text.startswith(expect)
    assert "Turn off automatic sharing to Facebook" in text
    assert "What your answers mean" not in text  # the plan alone, not the report


def test_format_plan_prints_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    example = str(ROOT / "examples" / "linked-everything.yaml")
    assert main(["--home", str(tmp_path), "report", "--answers", example, "--format", "plan"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Your WhatsApp privacy plan for Android")
    assert "\x1b" not in out


def test_best_case_is_shown_when_the_report_has_it_and_says_what_it_means(
    reports: dict[str, Report], pack: Pack
) -> None:
    report = reports["quick-unsure"]
    best = report.score.value - 20
    with_best = report.model_copy(
        update={"score": report.score.model_copy(update={"best_case": best, "partial": False})}
    )
    shown = summary.summary(with_best, pack, RenderOptions(width=80))
    text = " ".join(shown.replace("\u2502", " ").split())
    line = f"Your exposure score: between {best} and {report.score.value}: it depends on"
    assert line in text
    assert line in " ".join(plan(with_best, pack).split())
    # A fully answered report's best case is its score: nothing rests on "I don't know".
    answered = reports["linked-everything"]
    assert answered.score.best_case == answered.score.value
    assert "between" not in summary.summary(answered, pack, RenderOptions(width=80))


GROUP = "If these apply to you (you answered \u201cI don't know\u201d)"
ONE = "If this applies to you (you answered \u201cI don't know\u201d)"


def reader_text(rendered: str) -> str:
    """What a reader sees: no tags, style, Markdown escapes or line wrapping."""
    import re

    text = re.sub(r"<style>.*?</style>", " ", rendered, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\\", "")
    return " ".join(text.split())


def plan_texts(report: Report, pack: Pack) -> dict[str, str]:
    """Every plan: the three media, and the HTML report up to its findings."""
    from audit.render.html import HtmlRenderer

    page = HtmlRenderer().render(report, pack, RenderOptions(width=80))
    texts = {MEDIA[fmt]: reader_text(plan(report, pack, fmt)) for fmt in MEDIA}
    texts["report"] = reader_text(page[: page.index('<section id="findings"')])
    return texts


@pytest.mark.parametrize("persona", ["all-unknown", "quick-unsure", "linked-everything"])
def test_steps_that_rest_on_i_dont_know_sit_under_their_condition(
    persona: str, reports: dict[str, Report], pack: Pack
) -> None:
    """A change that rests on "I don't know" sits under a condition; a sure one never does.

    From rank 2 on, each such change follows a condition heading with only such changes in
    between. The condition is said once per group.
    """
    report = reports[persona]
    # The steps shown whole (the smaller ones are one line each, "If it applies: ..." when conditional).
    recs = report.recommendations[: len(build_plan(report, pack).steps)]
    for medium, text in plan_texts(report, pack).items():
        actions = [" ".join(r.how.split())[:40] for r in recs]
        # Each step after the one before it, in rank order (a "Do both" step names a change that
        # may be a step of its own too, so each is looked for after the last).
        at = [text.index(actions[0], text.index("If you do one thing today"))]
        for a in actions[1:]:
            at.append(text.index(a, at[-1] + 1))
        for i in range(1, len(recs)):
            between = text[at[i - 1] : at[i]]
            heading = GROUP in between or ONE in between
            if recs[i].from_ != "unknown":
                assert not heading, (medium, recs[i].question)
            else:
                assert heading or (recs[i - 1].from_ == "unknown" and i > 1), (medium, recs[i].question)
                # no sure change since the heading: walk back to it through conditional ones
                j = i
                while not (GROUP in text[at[j - 1] : at[j]] or ONE in text[at[j - 1] : at[j]]):
                    j -= 1
                    assert j >= 1, (medium, recs[i].question)
                    assert recs[j].from_ == "unknown", (medium, recs[i].question)
        if persona == "all-unknown":
            assert text.count(GROUP) == 1, medium  # the steps shown whole after the first, one condition
            assert text.count(ONE) == 1, medium  # the one thing's own


@pytest.mark.parametrize("fmt", list(MEDIA))
def test_what_to_find_out_names_every_unknown_once_and_no_stepped_one_twice(
    fmt: Format, reports: dict[str, Report], pack: Pack
) -> None:
    report = reports["all-unknown"]
    text = reader_text(plan(report, pack, fmt))
    stepped = {r.question for r in report.recommendations if r.from_ == "unknown"}
    # Much rests on them: those with most at stake lead the plan ("Find out first").
    first = text[: text.index("If you do one thing today")]
    shown = {u.question for u in report.unknowns if " ".join(u.prompt.split()) in first}
    find_out = text[text.index("What to find out") :]
    assert 0 < len(stepped) < len(report.unknowns)
    assert 0 < len(shown) <= 5
    assert f"{len(stepped - shown)} more come with the changes above" in find_out
    for u in report.unknowns:
        prompt = " ".join(u.prompt.split())
        # Under "What to find out" once, unless a step or "Find out first" already asks it (a
        # possible finding a step resolves names its questions too, as its condition).
        assert find_out.count(prompt) == (u.question not in stepped | shown), prompt


@pytest.mark.parametrize("fmt", list(MEDIA))
def test_unknowns_past_what_to_find_out_are_named_in_one_line(
    fmt: Format, reports: dict[str, Report], pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the plan's list of what to find out, the rest are named, in order, by their questions."""
    report = reports["all-unknown"]
    listed = build_plan(report, pack).find_out
    assert len(listed) > 2
    monkeypatch.setattr("audit.render.plan.FIND_OUT_MAX", 2)
    text = reader_text(plan(report, pack, fmt))
    rest = " ".join(" ".join(u.prompt.split()) for u in listed[2:])
    assert f"Also check, with less at stake (the full report says how): {rest}" in text
    find_out = text[text.index("What to find out") : text.index("Also check, with less at stake")]
    assert [" ".join(u.prompt.split()) in find_out for u in listed] == [True, True] + [False] * len(
        listed[2:]
    )


def test_the_plan_in_colour_sets_the_conditional_group_s_heading_apart(
    reports: dict[str, Report], pack: Pack
) -> None:
    report = reports["all-unknown"]
    text = renderer_for(Format.PLAN).render(report, pack, RenderOptions(width=80, color=True))
    heading = "If these apply to you (you answered \u201cI don't know\u201d):"
    assert f"\x1b[1m{heading}\x1b[0m" in text
    assert heading in plan(report, pack)


def test_change_groups_cut_runs_and_word_each_condition_for_its_size() -> None:
    ranked = ["c1", "c2", "s1", "c3", "s2", "s3"]  # c: rests on "I don't know"
    groups = change_groups(ranked, lambda x: x.startswith("c"), 2)
    assert [(g.condition, g.first, g.items) for g in groups] == [
        (GROUP_CONDITION, 2, ("c1", "c2")),
        ("", 4, ("s1",)),
        (ONE_CONDITION, 5, ("c3",)),
        ("", 6, ("s2", "s3")),
    ]


@pytest.mark.parametrize("persona", [*PERSONAS, *ADVICE_PERSONAS])
def test_the_markdown_plan_has_no_runs_of_blank_lines(persona: str, pack: Pack) -> None:
    # Template sections that render empty leave blank lines behind (quick-unsure has some).
    text = plan(persona_report(pack, persona), pack, Format.PLAN_MARKDOWN)
    assert "\n\n\n" not in text


def test_the_quick_check_s_markdown_plan_golden(pack: Pack, golden: Callable[[str, str], None]) -> None:
    # The one persona whose Markdown plan template leaves blank lines to fold (see above).
    golden("plan-quick-unsure.md", plan(persona_report(pack, "quick-unsure"), pack, Format.PLAN_MARKDOWN))


def test_plan_golden_in_colour(
    reports: dict[str, Report], pack: Pack, golden: Callable[[str, str], None]
) -> None:
    text = renderer_for(Format.PLAN).render(reports["all-unknown"], pack, RenderOptions(width=80, color=True))
    golden("plan-all-unknown.ansi", text)


@pytest.mark.parametrize("medium", ["text", "markdown", "html"])
def test_with_much_resting_on_unknowns_what_to_find_out_leads_the_plan(
    reports: dict[str, Report], pack: Pack, medium: str
) -> None:
    # The person who knows little had "What to find out" after 16 conditional steps (issue 28).
    from audit.render.plan import PlanHtmlRenderer, PlanMarkdownRenderer, PlanTextRenderer

    renderer = {"text": PlanTextRenderer, "markdown": PlanMarkdownRenderer, "html": PlanHtmlRenderer}[medium]
    unsure = renderer().render(reports["all-unknown"], pack, RenderOptions(width=80))
    assert "Find out first" in unsure
    assert unsure.index("Find out first") < unsure.index("If you do one thing today")
    sure = renderer().render(reports["linked-everything"], pack, RenderOptions(width=80))
    assert "Find out first" not in sure
