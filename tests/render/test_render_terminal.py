"""The terminal report: golden renders, 80 columns, no ANSI without colour, hostile pack text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import ADVICE_PERSONAS, GENERATED_AT, PERSONAS, ROOT, changes_since, persona_report, two_runs
from rich.cells import cell_len

from audit.collect.answers_file import read_answers
from audit.evaluate.engine import evaluate
from audit.history.diff import diff
from audit.load.read import load_pack
from audit.model.answers import Answers
from audit.model.assessment import AnswerChange, Report, TrendPoint, make_report
from audit.model.pack import Pack
from audit.render.base import Format, RenderOptions, renderer_for
from audit.render.report_view import FIND_OUT_FIRST_GAP
from audit.render.terminal import TerminalRenderer

PLAIN = RenderOptions(width=80, color=False)
COLOUR = RenderOptions(width=80, color=True)


def render(report: Report, pack: Pack, options: RenderOptions = PLAIN) -> str:
    return TerminalRenderer().render(report, pack, options)


@pytest.mark.parametrize("persona", [*PERSONAS, *ADVICE_PERSONAS])
def test_golden(
    persona: str, reports: dict[str, Report], pack: Pack, golden: Callable[[str, str], None]
) -> None:
    golden(f"terminal-{persona}.txt", render(reports[persona], pack))


def test_golden_in_colour(reports: dict[str, Report], pack: Pack, golden: Callable[[str, str], None]) -> None:
    # Colour is part of what a person sees (severity, band, "Find out first"): one report in full,
    # its summary and a report that names what to check, with their escape codes.
    golden("terminal-linked-everything.ansi", render(reports["linked-everything"], pack, COLOUR))
    golden("terminal-quick-unsure.ansi", render(reports["quick-unsure"], pack, COLOUR))


@pytest.mark.parametrize("persona", [*PERSONAS, "quick-unsure"])
@pytest.mark.parametrize("width", [60, 80, 100])
def test_every_line_fits_the_width(persona: str, width: int, reports: dict[str, Report], pack: Pack) -> None:
    text = render(reports[persona], pack, RenderOptions(width=width, color=False))
    too_long = [line for line in text.splitlines() if cell_len(line) > width]
    assert too_long == []


@pytest.mark.parametrize("persona", [*PERSONAS, "quick-unsure"])
def test_plain_has_no_escape_codes_and_colour_has_them(
    persona: str, reports: dict[str, Report], pack: Pack
) -> None:
    assert "\x1b" not in render(reports[persona], pack, PLAIN)
    coloured = render(reports[persona], pack, COLOUR)
    assert "\x1b[" in coloured


def test_colour_changes_styling_only(reports: dict[str, Report], pack: Pack) -> None:
    import re

    coloured = render(reports["linked-everything"], pack, COLOUR)
    stripped = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    lines = [line.rstrip() for line in stripped.split("\n")]
    assert lines == render(reports["linked-everything"], pack, PLAIN).split("\n")


def test_environment_does_not_change_the_render(
    reports: dict[str, Report], pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = render(reports["linked-everything"], pack)
    for name, value in (
        ("FORCE_COLOR", "1"),
        ("COLUMNS", "40"),
        ("TERM", "xterm-256color"),
        ("NO_COLOR", ""),
    ):
        monkeypatch.setenv(name, value)
    assert render(reports["linked-everything"], pack) == before


def test_severity_is_in_words_and_findings_are_grouped(reports: dict[str, Report], pack: Pack) -> None:
    text = render(reports["linked-everything"], pack)
    report = reports["linked-everything"]
    for f in report.findings:
        assert f"[{f.severity.upper()}" in text
    # Group headings appear in severity order, each once.
    present = [s for s in ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO") if f"\n{s}: " in text]
    positions = [text.index(f"\n{s}: ") for s in present]
    assert positions == sorted(positions)
    assert len(present) == len({f.severity for f in report.findings})


def test_one_thing_today_is_the_first_recommendation(reports: dict[str, Report], pack: Pack) -> None:
    report = reports["linked-everything"]
    text = render(report, pack)
    first = report.recommendations[0]
    block = text[text.index("If you do one thing today") : text.index("What your answers mean")]
    assert f"from {report.score.value} to {first.score_after}" in block
    assert " ".join(first.how.split()[:4]) in " ".join(block.replace("│", " ").split())


def test_no_recommendation_says_so(reports: dict[str, Report], pack: Pack) -> None:
    # Nothing linked, in Europe, Status shown only to the people chosen: nothing left to change.
    values = {**reports["eea-nothing-linked"].answers, "status_audience": "only_share_with"}
    report = make_report(evaluate(pack, Answers(pack="whatsapp", values=values)), generated_at=GENERATED_AT)
    assert report.recommendations == ()
    assert "Nothing to change today" in render(report, pack)


def test_sources_are_listed_once_per_finding(reports: dict[str, Report], pack: Pack) -> None:
    report = reports["linked-everything"]
    twice = next(f for f in report.findings if len({s.id for s in f.sources}) < len(f.sources))
    text = render(report, pack)
    start = text.index(twice.title[:40], text.index("What your answers mean"))
    end = text.index("\n[", start)
    block = text[start:end]
    for sid in {s.id for s in twice.sources}:
        assert block.count(f"  {sid} ") == 1


def test_flows_tree_names_recipient_data_and_certainty(reports: dict[str, Report], pack: Pack) -> None:
    text = render(reports["quick-unsure"], pack)
    tree = text[text.index("Who gets what") : text.index("What stays protected")]
    assert "Facebook, Instagram and other Meta companies" in tree
    assert "[possible]" in tree
    assert "[documented]" in tree
    assert "for: " in tree


def test_unknowns_are_counted_and_what_was_not_checked_is_offered(
    reports: dict[str, Report], pack: Pack
) -> None:
    report = reports["quick-unsure"]
    text = " ".join(render(report, pack).split())
    assert (
        f"You answered \u201cI don't know\u201d to {len(report.unknowns)} of {len(report.answers)} questions"
        in text
    )
    # Not asked is not "I don't know": listed apart, with how to check it now (not "--full").
    assert f"The quick check did not ask {len(report.not_asked)} questions" in text
    assert "choose \u201cAnswer only new or unanswered questions\u201d" in text
    assert "--full" not in text
    full = render(reports["linked-everything"], pack)
    assert "Not checked" not in full
    assert "--full" not in full


def test_changes_show_scores_titles_and_answers(reports: dict[str, Report], pack: Pack) -> None:
    base = reports["linked-everything"]
    resolved = (
        pack.finding_by_id["public_last_seen"]
        if "public_last_seen" in pack.finding_by_id
        else pack.findings[-1]
    )
    changes = changes_since(
        88,
        base.score.value,
        new=(base.findings[0].id,),
        resolved=(resolved.id,),
        answers={"two_step": AnswerChange(from_="on", to="off")},
    )
    text = " ".join(render(base.model_copy(update={"changes": changes}), pack).replace("│", " ").split())
    assert "What changed since 2026-10-01 09:30 UTC" in text
    assert f"Score 88 → {base.score.value} (lower)" in text
    assert f"resolved: {' '.join(resolved.title.split())}" in text
    assert f"new: {' '.join(base.findings[0].title.split())}" in text
    assert "changed: Is two-step verification" in text
    assert "What changed" not in render(base, pack)
    # The summary's one line, counted: what a rerun shows first.
    line = f"What changed since 2026-10-01 09:30 UTC: Score 88 → {base.score.value} (lower)."
    assert f"{line} 1 answer changed, 1 finding resolved, 1 new finding." in text
    two = changes.model_copy(update={"new_findings": tuple(f.id for f in base.findings[:2])})
    text = " ".join(render(base.model_copy(update={"changes": two}), pack).replace("│", " ").split())
    assert f"{line} 1 answer changed, 1 finding resolved, 2 new findings." in text


def _panel_lines(text: str, title: str) -> list[str]:
    """The lines inside the rich panel whose top border carries `title`, borders stripped."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if title in ln and ln.startswith("╭"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("╰"))
    return [ln.strip("│ ") for ln in lines[start + 1 : end]]


def test_a_rerun_where_nothing_else_changed(reports: dict[str, Report], pack: Pack) -> None:
    base = reports["linked-everything"]
    same = changes_since(base.score.value, base.score.value)
    text = render(base.model_copy(update={"changes": same}), pack)
    flat = " ".join(text.replace("│", " ").split())
    score = f"Score {base.score.value} → {base.score.value} (the same)"
    assert f"What changed since 2026-10-01 09:30 UTC: {score}. Nothing else changed." in flat
    assert _panel_lines(text, "What changed since") == [score, "Nothing else changed."]
    # An answer changed with no finding resolved or new: that answer is what changed.
    answered = same.model_copy(update={"changed_answers": {"two_step": AnswerChange(from_="on", to="off")}})
    text = render(base.model_copy(update={"changes": answered}), pack)
    assert "Nothing else changed" not in text
    assert _panel_lines(text, "What changed since")[1].startswith("changed: Is two-step verification")


@pytest.mark.parametrize("direction", ["lower", "higher"])
def test_golden_after_a_change(direction: str, pack: Pack, golden: Callable[[str, str], None]) -> None:
    """A rerun in colour, as a person sees it after changing one setting, either way."""
    first, second = two_runs(pack)
    previous, current = (first, second) if direction == "lower" else (second, first)
    report = make_report(
        evaluate(pack, Answers(pack="whatsapp", values=current.answers)),
        generated_at=max(first.at, second.at),
        changes=diff(previous, current),
    )
    options = RenderOptions(width=80, color=True, full_report="/home/you/wa-audit/report.html")
    text = render(report, pack, options)
    golden(f"terminal-after-a-change-{direction}.ansi", text)
    assert text.count("Full report: /home/you/wa-audit/report.html") == 2  # summary first and last


def test_stale_model_warns(pack: Pack) -> None:
    report = persona_report(pack, "eea-nothing-linked", stale_model=True)
    flat = " ".join(render(report, pack).split())
    assert (
        f"Warning: The model behind this report was last checked on {pack.meta.reviewed.isoformat()}, "
        "long before this report. WhatsApp may have changed its policies and settings since; "
        "update wa-audit and run it again."
    ) in flat


def test_a_few_unknowns_open_what_to_check_with_their_count(reports: dict[str, Report], pack: Pack) -> None:
    # One "I don't know" with little at stake: no "Find out first"; "What to check" says it all.
    values = {**reports["linked-everything"].answers, "read_receipts": "unknown"}
    report = make_report(
        evaluate(pack, Answers(pack="whatsapp", values=values)),
        generated_at=datetime(2026, 11, 29, tzinfo=UTC),
    )
    text = render(report, pack)
    assert "Find out first" not in text
    section = " ".join(text.split("\u2500 What to check \u2500", 1)[1].lstrip("\u2500").split())
    assert section.startswith(
        f"You answered \u201cI don't know\u201d to 1 of {len(report.answers)} questions; what depends on "
        "them counts as possible, never as safe."
    )
    assert "? Are read receipts (blue ticks) on?" in section


def test_score_explained_and_bar_drawn(reports: dict[str, Report], pack: Pack) -> None:
    text = render(reports["linked-everything"], pack)
    assert "How the score works:" in text
    assert "75-100 severe" in " ".join(text.split())
    assert "█" in text
    assert "░" in text


def test_trend_does_not_break_the_terminal(reports: dict[str, Report], pack: Pack) -> None:
    points = tuple(TrendPoint(at=datetime(2026, m, 1, tzinfo=UTC), score=s) for m, s in ((9, 80), (10, 70)))
    report = reports["linked-everything"].model_copy(update={"trend": points})
    assert render(report, pack).startswith("╭")


def test_hostile_pack_text_is_printed_literally(hostile_pack_dir: Path) -> None:
    hostile = load_pack(hostile_pack_dir)
    answers = Answers(pack="mini", values={"platform": "android", "linked": "yes", "share": "always"})
    report = make_report(evaluate(hostile, answers), generated_at=datetime(2026, 1, 2, tzinfo=UTC))
    for options in (PLAIN, COLOUR):
        text = render(report, hostile, options)
        flat = " ".join(text.replace("│", " ").split())
        # rich markup in pack text is not interpreted, and escape sequences are dropped.
        assert "[bold]x[/]" in flat
        assert "<script>alert(1)</script>" in flat
        assert "# Heading - item <img" in flat
    assert "\x1b" not in render(report, hostile, PLAIN)


def test_control_characters_in_report_text_are_dropped(reports: dict[str, Report], pack: Pack) -> None:
    # The pack loader refuses control characters; a report built another way must not smuggle them.
    base = reports["linked-everything"]
    finding = base.findings[0].model_copy(update={"title": "Red \x1b[31malert\x1b[0m\x07 done"})
    report = base.model_copy(update={"findings": (finding, *base.findings[1:])})
    text = render(report, pack)
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "Red [31malert[0m done" in text


def test_possible_findings_say_so_next_to_the_severity(reports: dict[str, Report], pack: Pack) -> None:
    report = reports["quick-unsure"]
    text = render(report, pack)
    possible = [f for f in report.findings if f.certainty == "possible"]
    assert possible
    # Each possible finding says so, and so do the summaries (first and last) for their top three.
    from audit.render.report_view import build_view
    from audit.render.summary import TOP_FINDINGS

    top = [f for g in build_view(report, pack).severity_groups for f in g.findings][:TOP_FINDINGS]
    in_summary = sum(f.certainty == "possible" for f in top)
    assert text.count(", possible] ") == len(possible) + 2 * in_summary
    assert text.count("Certainty: possible: it depends on an answer") == len(possible)


@pytest.mark.parametrize("color", [False, True])
def test_pack_text_is_printed_as_written_never_as_markup_or_emoji_codes(color: bool) -> None:
    # Pack text is untrusted (--rules): ":warning:" or "[bold red]" in a title prints as written.
    import io
    import re

    from audit.render.console import buffer_console

    buf = io.StringIO()
    buffer_console(buf, width=60, color=color).print(":warning: [bold red]x[/bold red] :smile:")
    assert re.sub(r"\x1b\[[0-9;]*m", "", buf.getvalue()) == ":warning: [bold red]x[/bold red] :smile:\n"


def test_a_change_of_habit_says_so(pack: Pack) -> None:
    # Private everywhere but Meta AI: the one thing today is a habit, not a setting.
    private = read_answers(pack, ROOT / "examples" / "eea-nothing-linked.yaml").values
    answers = Answers(pack="whatsapp", values={**private, "meta_ai": "sometimes"})
    report = make_report(evaluate(pack, answers), generated_at=datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    assert report.recommendations[0].question == "meta_ai"
    how = "Don't open the Meta AI chat and don't mention @Meta AI in your chats."
    flat = " ".join(render(report, pack).replace("\u2502", " ").split())
    assert f"If you do one thing today {how} (a change of habit)" in flat
    wide = render(report, pack, RenderOptions(width=120, color=True))
    assert "\x1b[2m (a change of habit)" in wide  # dim: a note, not the advice
    text = " ".join(renderer_for(Format.PLAN).render(report, pack, PLAIN).split())
    assert f"1. {how} (a change of habit)" in text


def test_an_unknown_phone_gets_both_phones_steps_and_no_phone_named(pack: Pack) -> None:
    answers = Answers(pack="whatsapp", values={"region": "other", "accounts_center": "linked"})
    report = make_report(evaluate(pack, answers), generated_at=datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    assert report.platform == "unknown"
    text = render(report, pack)
    assert "How to fix (\u2192 " in text
    assert "How to fix on" not in text
    assert "Android: " in text  # each phone's steps, labelled
    assert "iPhone: " in text
    assert text.rstrip().splitlines()[-1].strip("\u2570\u256f\u2500 ") == "report of 2026-11-29 12:00 UTC"


def test_no_flows_says_so(reports: dict[str, Report], pack: Pack) -> None:
    empty = reports["eea-nothing-linked"].model_copy(update={"flows": ()})
    text = render(empty, pack)
    after = text.split("Who gets what", 1)[1].splitlines()
    assert after[1] == "None of your data flows anywhere this model knows about."


def test_a_resolved_finding_the_model_no_longer_has_is_named_by_its_id(
    reports: dict[str, Report], pack: Pack
) -> None:
    # Resolved since a run under an older model whose finding was since retired or renamed.
    base = reports["linked-everything"]
    changes = changes_since(88, base.score.value, resolved=("retired_finding",))
    assert "retired_finding" not in pack.finding_by_id
    text = render(base.model_copy(update={"changes": changes}), pack)
    assert "resolved: retired_finding" in _panel_lines(text, "What changed since")


@pytest.mark.parametrize(("question", "leads"), [("status_to_facebook", False), ("region", True)])
def test_find_out_first_leads_only_when_much_of_the_score_rests_on_it(
    question: str, leads: bool, reports: dict[str, Report], pack: Pack
) -> None:
    # The Status share unknown puts 4 points at stake, under the 15 that lead the report with
    # "Find out first"; the region puts 17.
    values = {**reports["linked-everything"].answers, question: "unknown"}
    assessment = evaluate(pack, Answers(pack="whatsapp", values=values))
    assert assessment.score.best_case is not None
    assert (assessment.score.value - assessment.score.best_case >= FIND_OUT_FIRST_GAP) is leads
    text = render(make_report(assessment, generated_at=datetime(2026, 11, 29, tzinfo=UTC)), pack)
    assert ("Find out first" in text) is leads


def test_a_possible_finding_names_the_answers_it_rests_on_that_are_known(pack: Pack) -> None:
    # The 2016 opt-out still holds only if WhatsApp was never added to Accounts Center, which this
    # person does not know: the finding is possible, and says both what was answered and what not.
    values = {"platform": "android", "region": "other", "optout_2016": "opted_out"}
    assessment = evaluate(pack, Answers(pack="whatsapp", values={**values, "accounts_center": "unknown"}))
    report = make_report(assessment, generated_at=datetime(2026, 11, 29, tzinfo=UTC))
    finding = next(f for f in report.findings if f.id == "optout_2016_honoured")
    assert finding.certainty == "possible"
    assert finding.triggered_by == {"optout_2016": "opted_out", "accounts_center": "unknown"}
    text = " ".join(render(report, pack, RenderOptions(width=200)).split())
    block = text.split(finding.title, 1)[1].split("Sources:", 1)[0]
    q = pack.question_by_id["optout_2016"]
    label = next(v.label for v in q.values if v.id == "opted_out")
    assert f"You answered \u201c{label}\u201d to \u201c{q.prompt}\u201d" in block
    assert "You answered \u201cI don't know\u201d there, so this may not apply to you." in block


def test_a_change_that_resolves_no_finding_still_shows_its_score(
    reports: dict[str, Report], pack: Pack
) -> None:
    """A change can lower the score without ending a finding; its line says the score, not "fixes"."""
    report = reports["linked-everything"]
    first, second, *rest = report.recommendations
    bare = second.model_copy(update={"resolves": ()})
    text = " ".join(render(report.model_copy(update={"recommendations": (first, bare, *rest)}), pack).split())
    before, after = report.score.value, second.score_after
    assert f"score {before} \u2192 {after}; fixes:" not in text
    assert f"score {before} \u2192 {after} " in text
    assert f"score {before} \u2192 {rest[0].score_after}; fixes:" in text


@pytest.mark.parametrize("fold", [False, True])
def test_a_hanging_indent_cuts_or_folds_a_word_wider_than_its_column(fold: bool) -> None:
    from audit.render.console import hanging, print_parts

    word = "x" * 30
    text = print_parts([hanging([("1.", word)], fold=fold)], RenderOptions(width=20, color=False))
    lines = text.splitlines()
    if fold:  # every letter kept, under the text's column
        assert [line[3:] for line in lines] == [word[:17], word[17:]]
    else:
        assert lines == ["1. " + "x" * 16 + "\u2026"]


def test_a_further_change_folds_a_word_wider_than_the_screen(reports: dict[str, Report], pack: Pack) -> None:
    """A long word in a change (an address, say) is folded onto the next line, not cut short."""
    report = reports["linked-everything"]
    first, second, *rest = report.recommendations
    long = "https://faq.whatsapp.com/" + "x" * 60
    shown = second.model_copy(update={"how": long})
    text = render(report.model_copy(update={"recommendations": (first, shown, *rest)}), pack)
    assert "x\u2026" not in text
    assert long in "".join(line.strip() for line in text.splitlines())


@pytest.mark.parametrize("width", [20, 50, 100])
def test_the_score_bar_is_empty_at_0_and_full_at_100(width: int) -> None:
    from audit.render.words import bar

    assert bar(0, width) == bar(-5, width) == "\u2591" * width
    assert bar(100, width) == bar(150, width) == "\u2588" * width
    assert bar(50, width) == "\u2588" * (width // 2) + "\u2591" * (width // 2)


def test_a_possible_finding_with_no_answer_to_name_is_still_a_condition(
    reports: dict[str, Report], pack: Pack
) -> None:
    from audit.render.findings_view import conditional_title

    possible = next(f for f in reports["all-unknown"].findings if f.certainty == "possible")
    bare = possible.model_copy(update={"applies_if": {}})
    assert conditional_title(bare, pack) == f"If it applies to you: {possible.title}"
